"""What the command line prints: analysis tables with Chinese headings, CSV, ledger issues.

JSON goes through :mod:`api.payloads` (the same as the web API's); everything here is for
people at a terminal or for a spreadsheet.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from api.cli import console
from api.payloads import records
from graph.issues import LedgerIssue
from graph.ledger import Ledger

__all__ = ["ISSUE_LIMIT", "count_line", "csv_safe", "csv_text", "emit", "print_issues"]


def emit(
    frame: pd.DataFrame,
    fmt: str,
    headings: Mapping[str, str],
    *,
    title: str | None = None,
    source: str | None = None,
    limit: int | None = 200,
) -> None:
    """Print ``frame`` as a table (only ``headings``' columns, in that order), JSON or CSV.

    JSON is a list of rows, every column under its English name, values as they are. CSV joins
    list cells with "；" and neutralises text a spreadsheet would run as a formula
    (:func:`csv_safe`).
    """
    if fmt == "json":
        console.print_json(records(frame))
        return
    if fmt == "csv":
        sys.stdout.write(csv_text(frame))
        return
    if source:
        console.say(f"数据来源：{source}")
    shown = _lists_joined(frame, [c for c in headings if c in frame], "、")
    if shown.empty:
        console.say(f"{title or ''}：没有符合条件的结果。")
        return
    console.print_table(shown, dict(headings), title=title, limit=limit)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel, WPS or LibreOffice read a cell as a formula (OWASP, "CSV Injection")."""


def csv_safe(value: Any) -> Any:
    """A text cell that starts like a formula, prefixed with ``'`` so that a spreadsheet shows
    it as text instead of running it (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``); numbers, dates
    and other text unchanged. For CSV only: JSON keeps every value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as the CSV every ``--format csv`` writes: no index, list cells joined with
    "；", formula-like text neutralised (:func:`csv_safe`)."""
    safe = _lists_joined(frame, frame.columns, "；")
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(csv_safe)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False)
    return buffer.getvalue()


def _lists_joined(frame: pd.DataFrame, columns: Iterable[str], separator: str) -> pd.DataFrame:
    """A copy of ``frame`` whose list cells in ``columns`` are text, items joined by
    ``separator``."""
    joined = frame.copy()
    for column in columns:
        if joined[column].map(lambda v: isinstance(v, list | tuple)).any():
            joined[column] = joined[column].map(
                lambda v: separator.join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return joined


def count_line(led: Ledger) -> str:
    counts = led.counts()
    return (
        f"组织 {counts['organizations']} 个，党组织 {counts['party_orgs']} 个，"
        f"街道 {counts['streets']} 个"
    )


ISSUE_LIMIT = 200


def print_issues(issues: list[LedgerIssue]) -> None:
    if not issues:
        return
    sheets = list(dict.fromkeys(i.sheet for i in issues))
    ordered = sorted(issues, key=lambda i: (not i.is_error, sheets.index(i.sheet), i.row or 0))
    shown = ordered[:ISSUE_LIMIT]
    console.print_rows(
        [
            (
                i.severity.label,
                i.sheet,
                "" if i.row is None else str(i.row),
                i.column or "",
                "" if i.value is None else str(i.value),
                i.message,
            )
            for i in shown
        ],
        ["级别", "工作表", "行", "列", "值", "说明"],
        title="台账问题",
    )
    if len(issues) > ISSUE_LIMIT:
        console.out.print(
            f"…… 共 {len(issues)} 条，只显示前 {ISSUE_LIMIT} 条。"
            "查看全部：liangxin check 台账 --format json"
        )
