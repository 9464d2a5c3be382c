"""One error hierarchy for everything a user can be told went wrong.

Every message is Chinese, says where the problem is and what to do; the CLI prints it and
exits non-zero, the API turns it into a 4xx with the same text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.issues import LedgerIssue

__all__ = [
    "ImportConflict",
    "LedgerInvalid",
    "LedgerTooLarge",
    "LedgerUnreadable",
    "LiangxinError",
    "NotFound",
    "SaveFailed",
    "StoreError",
    "WorkspaceError",
]


class LiangxinError(Exception):
    """Base class: a problem the user can act on, with a Chinese message."""

    exit_code: int = 1
    http_status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LedgerUnreadable(LiangxinError):
    """The file is not a ledger at all (not a workbook, not a CSV folder, cannot decode)."""

    exit_code = 2
    http_status = 400


class LedgerTooLarge(LedgerUnreadable):
    """The file would take more memory or time to read than allowed: a sheet whose used range
    reaches far beyond its data, a zip bomb, a reader stopped at its memory or time limit."""

    http_status = 413


class LedgerInvalid(LiangxinError):
    """The ledger was read but breaks rules of the ledger format (台账格式)."""

    exit_code = 1
    http_status = 422

    def __init__(self, issues: list[LedgerIssue], message: str | None = None) -> None:
        errors = [i for i in issues if i.is_error]
        super().__init__(message or f"台账有 {len(errors)} 处错误，请按提示逐条修改后重新导入。")
        self.issues = issues


class WorkspaceError(LiangxinError):
    """The workspace folder (工作区) cannot be used: missing, locked, damaged."""


class ImportConflict(WorkspaceError):
    """A ledger cannot be imported now or here: another load is writing the workspace, or the
    web app has no workspace to import into (it reads a ledger file or a graph store)."""

    http_status = 409


class SaveFailed(WorkspaceError):
    """A checked ledger could not be saved as a new version (a full disk, a quota, a read-only
    disk, no permission); the workspace is unchanged."""

    http_status = 500


class NotFound(LiangxinError):
    """A code, version or page the user asked for does not exist."""

    http_status = 404


class StoreError(LiangxinError):
    """The shared graph store (Neo4j / FalkorDB) could not be reached or refused a write."""

    http_status = 503
