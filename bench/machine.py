"""What machine a benchmark ran on, so figures are never reported without it."""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["Timer", "describe", "main_with_orgs", "markdown", "peak_rss_mb", "timed"]

T = TypeVar("T")


def describe() -> str:
    """One line: CPU model, cores, memory, OS and Python."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(make: Callable[[], T]) -> tuple[T, float]:
    """``make()`` and the seconds it took."""
    start = time.perf_counter()
    result = make()
    return result, time.perf_counter() - start


def markdown(
    title: str,
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    align: str = "",
    intro: str = "",
    memory: bool = True,
) -> str:
    """A benchmark's figures as Markdown: the title, the machine it ran on, ``intro``, a table
    (``head`` and ``rows`` of cell texts; ``align`` one ``l`` or ``r`` a column, by default
    the first left and the others right) and the peak memory of this process (``memory=False``
    when the work ran in another one)."""
    align = align or "l" + "r" * (len(head) - 1)
    lines = [f"### {title}", "", f"Machine: {describe()}", ""]
    if intro:
        lines += [intro, ""]
    lines += [
        "| " + " | ".join(head) + " |",
        "|" + "".join("---:|" if a == "r" else "---|" for a in align),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    lines += ["", f"Peak memory: {peak_rss_mb():,.0f} MiB", ""] if memory else [""]
    return "\n".join(lines)


@dataclass
class Timer:
    rows: list[tuple[str, float, str]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str, count: int | None = None, unit: str = "rows") -> Iterator[None]:
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        rate = f"{count / seconds:,.0f} {unit}/s" if count else ""
        self.rows.append((name, seconds, rate))

    @property
    def seconds(self) -> float:
        """The steps' seconds added up."""
        return sum(seconds for _, seconds, _ in self.rows)

    def report(self, title: str) -> str:
        rows = [(n, f"{s:.2f}", r) for n, s, r in self.rows]
        return markdown(title, ("step", "seconds", "rate"), rows)


def main_with_orgs(
    run: Callable[[int], str], description: str | None, argv: list[str] | None = None
) -> None:
    """A benchmark's command line: ``--orgs N`` (default 100,000), then print ``run(N)``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--orgs", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(run(args.orgs))
