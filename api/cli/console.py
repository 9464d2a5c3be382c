"""Terminal output for the command line: tables with Chinese headings, progress, messages.

Ledger values, file paths and error messages are printed literally: the consoles parse no
Rich markup and no emoji codes (``[/b]``, ``[link=…]`` or ``:smile:`` in a name stay as
typed), and control characters (an ESC starting a terminal escape sequence) are shown as
``\\x1b`` instead of being sent to the terminal. Styled words come from :func:`say`, which
takes the style apart from the text.
"""

from __future__ import annotations

import json
import os
import re
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
from rich.text import Text

__all__ = [
    "err",
    "literal",
    "make_console",
    "out",
    "print_json",
    "print_rows",
    "print_table",
    "progress",
    "quiet",
    "rows_progress",
    "say",
    "visible",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and newline: C0, DEL and C1 (``\\x9b`` is a CSI too)."""


def visible(text: str) -> str:
    """``text`` with each control character (other than tab and newline) written as ``\\xNN``,
    so that nothing printed can move the cursor, retitle the window or open a hyperlink."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def literal(value: object, style: str = "") -> Text:
    """``value`` as text shown exactly as written (no markup, no emoji codes), in ``style``."""
    return Text(visible(str(value)), style=style)


class _LiteralConsole(Console):
    """A console that shows every string it is given literally: markup and emoji codes are
    off, and control characters are made visible (see :func:`visible`)."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(visible(text), **kwargs)


def make_console(**kwargs: Any) -> Console:
    """A console for the command line's output: no highlighting, markup or emoji codes."""
    return _LiteralConsole(highlight=False, markup=False, emoji=False, **kwargs)


out = make_console(soft_wrap=True)
PIPED_WIDTH = 200
"""Tables piped to a file or a program are not squeezed into 80 columns."""


def _show(renderable: object) -> None:
    if out.is_terminal:
        out.print(renderable)
    else:
        make_console(soft_wrap=True, width=PIPED_WIDTH).print(renderable)


err = make_console(stderr=True, soft_wrap=True)
"""Errors and progress: soft-wrapped like ``out``, so that a path in a message stays whole."""


def say(*parts: object, stderr: bool = False) -> None:
    """Print one message made of ``parts``: plain values, or ``(text, style)`` pairs for the
    words to colour; every part is shown literally (see :func:`literal`)."""
    line = Text()
    for part in parts:
        if isinstance(part, tuple):
            text, style = part
            line.append_text(literal(text, style))
        else:
            line.append_text(literal(part))
    (err if stderr else out).print(line)


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
    bar = _bar(TextColumn("{task.fields[label]}", markup=False))
    with bar:
        task = bar.add_task(visible(description), total=total, label="")

        def step(label: str | None = None) -> None:
            bar.update(task, advance=1, label=visible(label or ""))

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
        TextColumn("{task.completed:,.0f} 行", markup=False),
        TextColumn("{task.fields[rate]}", markup=False),
        TextColumn("{task.fields[label]}", markup=False),
    )
    with bar:
        task = bar.add_task(visible(description), total=None, label="", rate="")

        def step(label: str | None = None, rows: int = 0) -> None:
            bar.update(task, advance=rows, label=visible(label or ""))
            speed = bar.tasks[task].speed
            bar.update(task, rate=f"每秒 {speed:,.0f} 行" if speed else "")

        yield step


def _bar(*columns: ProgressColumn) -> Progress:
    """A transient bar on stderr: spinner, description, bar, then ``columns`` and the time.

    Descriptions and labels name files and stores: every column shows them literally."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", style="bold", markup=False),
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
    table = Table(title=_title(title), title_justify="left", show_lines=False)
    numeric = {c for c in headings if c in frame and pd.api.types.is_numeric_dtype(frame[c])}
    for key, heading in headings.items():
        table.add_column(
            literal(heading), justify="right" if key in numeric else "left", overflow="fold"
        )
    rows = frame if limit is None else frame.head(limit)
    for values in rows.to_dict("records"):
        table.add_row(*(_cell(values.get(key)) for key in headings))
    _show(table)
    if limit is not None and len(frame) > limit:
        say(f"…… 另有 {len(frame) - limit} 行未显示（用 --format json 或 csv 查看全部）。")


def print_rows(rows: Sequence[Sequence[object]], headings: Sequence[str], title: str = "") -> None:
    table = Table(title=_title(title), title_justify="left")
    for h in headings:
        table.add_column(literal(h), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    _show(table)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _title(title: str | None) -> Text | None:
    """A table's title, shown literally, in the style Rich gives titles."""
    return literal(title, "table.title") if title else None


def _cell(value: object) -> Text:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return Text()
    if isinstance(value, float):
        return Text(f"{value:.2f}")
    return literal(value)
