"""What machine a benchmark ran on, so figures are never reported without it."""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["Timer", "describe", "main_with_orgs", "peak_rss_mb"]


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

    def report(self, title: str) -> str:
        lines = [
            f"### {title}",
            "",
            f"Machine: {describe()}",
            "",
            "| step | seconds | rate |",
            "|---|---:|---:|",
        ]
        lines += [f"| {n} | {s:.2f} | {r} |" for n, s, r in self.rows]
        lines += ["", f"Peak memory: {peak_rss_mb():,.0f} MiB", ""]
        return "\n".join(lines)


def main_with_orgs(
    run: Callable[[int], str], description: str | None, argv: list[str] | None = None
) -> None:
    """A benchmark's command line: ``--orgs N`` (default 100,000), then print ``run(N)``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--orgs", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(run(args.orgs))
