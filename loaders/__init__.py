"""Reading workbooks and CSV folders into a validated ledger; the template and sample writers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from graph.errors import LedgerInvalid
from graph.issues import LedgerIssue
from graph.ledger import Ledger
from loaders.read import read_raw
from loaders.validate import validate

__all__ = ["check_ledger", "read_ledger"]


def check_ledger(
    path: Path | str,
    *,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Ledger, list[LedgerIssue]]:
    """Read and validate a ledger file or folder; return the typed ledger and every problem.

    Raises ``LedgerUnreadable`` if the path is not a ledger at all. The ledger is only usable
    when no issue is an error.
    """
    raw = read_raw(path, progress=progress)
    return validate(raw, today=today)


def read_ledger(
    path: Path | str,
    *,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Ledger:
    """Read a ledger that must be valid: raises ``LedgerInvalid`` (with all issues) otherwise."""
    ledger, issues = check_ledger(path, today=today, progress=progress)
    if any(i.is_error for i in issues):
        raise LedgerInvalid(issues)
    return ledger
