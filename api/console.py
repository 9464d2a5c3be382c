"""Terminal output for the command line: tables with Chinese headings, progress, messages."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

__all__ = [
    "err",
    "out",
    "print_json",
    "print_rows",
    "print_table",
    "progress",
    "quiet",
    "rows_progress",
]

out = Console(highlight=False, soft_wrap=True)
PIPED_WIDTH = 200
"""Tables piped to a file or a program are not squeezed into 80 columns."""


def _show(renderable: object) -> None:
    if out.is_terminal:
        out.print(renderable)
    else:
        Console(highlight=False, soft_wrap=True, width=PIPED_WIDTH).print(renderable)


err = Console(stderr=True, highlight=False)


def quiet() -> bool:
    """True in CI or when output is not a terminal: no progress bars then."""
    return bool(os.environ.get("CI")) or not err.is_terminal


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Any]:
    """A progress bar on stderr in a terminal; a no-op elsewhere.

    Yields a callable ``step(label)`` that advances one step and shows ``label``.
    """
    if quiet():
        yield lambda label=None: None
        return
    bar = _bar(TextColumn("{task.fields[label]}"))
    with bar:
        task = bar.add_task(description, total=total, label="")

        def step(label: str | None = None) -> None:
            bar.update(task, advance=1, label=label or "")

        yield step


@contextmanager
def rows_progress(description: str) -> Iterator[Any]:
    """Rows written so far and rows per second on stderr in a terminal; a no-op elsewhere.

    Yields ``step(label, rows)`` advancing by ``rows`` and showing ``label``.
    """
    if quiet():
        yield lambda label=None, rows=0: None
        return
    bar = _bar(
        TextColumn("{task.completed:,.0f} 行"),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[label]}"),
    )
    with bar:
        task = bar.add_task(description, total=None, label="", rate="")

        def step(label: str | None = None, rows: int = 0) -> None:
            bar.update(task, advance=rows, label=label or "")
            speed = bar.tasks[task].speed
            bar.update(task, rate=f"每秒 {speed:,.0f} 行" if speed else "")

        yield step


def _bar(*columns: ProgressColumn) -> Progress:
    """A transient bar on stderr: spinner, description, bar, then ``columns`` and the time."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        *columns,
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def print_table(
    frame: pd.DataFrame,
    headings: dict[str, str],
    *,
    title: str | None = None,
    limit: int | None = None,
) -> None:
    """Print ``frame``'s columns named in ``headings`` (key → Chinese heading), aligned."""
    table = Table(title=title, title_justify="left", show_lines=False)
    numeric = {c for c in headings if c in frame and pd.api.types.is_numeric_dtype(frame[c])}
    for key, heading in headings.items():
        table.add_column(heading, justify="right" if key in numeric else "left", overflow="fold")
    rows = frame if limit is None else frame.head(limit)
    for values in rows.to_dict("records"):
        table.add_row(*(_cell(values.get(key)) for key in headings))
    _show(table)
    if limit is not None and len(frame) > limit:
        out.print(f"…… 另有 {len(frame) - limit} 行未显示（用 --format json 或 csv 查看全部）。")


def print_rows(rows: Sequence[Sequence[object]], headings: Sequence[str], title: str = "") -> None:
    table = Table(title=title or None, title_justify="left")
    for h in headings:
        table.add_column(h, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    _show(table)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
