"""Problems found in a ledger (台账问题): errors that block loading and warnings that do not."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

__all__ = ["LedgerIssue", "Severity"]


class Severity(StrEnum):
    """错误 blocks a load; 提醒 is questionable but legal data, shown apart."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "提醒"


@dataclass(frozen=True, slots=True)
class LedgerIssue:
    """One problem, located the way a planner finds it in Excel.

    ``sheet`` and ``column`` are spelled as in the file (the sheet name, or the CSV file name);
    ``row`` is the Excel row number with the header on row 1 (``None`` for a whole sheet or
    column); ``value`` is the offending cell as read; ``message`` says what is wrong and
    what to do, in Chinese; ``code`` names the rule (stable, English, for programs).
    """

    severity: Severity
    code: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        """``工作表“组织” 第 12 行 “正式党员数”列`` — where to look."""
        parts = [f"工作表“{self.sheet}”"]
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            parts.append(f"“{self.column}”列")
        return " ".join(parts)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data
