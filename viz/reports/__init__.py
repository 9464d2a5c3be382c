"""Reports planners hand upwards (issue 6), as Excel, Word or one self-contained HTML file.

:mod:`~viz.reports.content` builds a :class:`~viz.reports.document.Report` from the analyses;
:func:`render` writes it in the format a file suffix names.
"""

from __future__ import annotations

from collections.abc import Callable

from viz.reports.document import Report

__all__ = ["FORMATS", "MEDIA_TYPES", "render"]

MEDIA_TYPES: dict[str, str] = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
}
"""The formats a report is written in, by file suffix, and their media types."""

FORMATS = tuple(MEDIA_TYPES)


def _writer(suffix: str) -> Callable[[Report], bytes]:
    if suffix == ".xlsx":
        from viz.reports.xlsx import write_xlsx

        return write_xlsx
    if suffix == ".docx":
        from viz.reports.docx import write_docx

        return write_docx
    if suffix == ".html":
        from viz.reports.html import write_html

        return write_html
    raise ValueError(f"unknown report format {suffix!r}")


def render(report: Report, suffix: str) -> bytes:
    """The report as the bytes of a ``.xlsx``, ``.docx`` or ``.html`` file."""
    return _writer(suffix.lower())(report)
