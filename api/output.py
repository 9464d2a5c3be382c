"""Analysis results out: a table for people (Chinese headings), JSON or CSV for programs."""

from __future__ import annotations

import io
import json
import math
import sys
from collections.abc import Mapping
from typing import Any

import pandas as pd

from api import console

__all__ = ["emit", "plain", "plain_tree", "records"]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN/NA → None, dates → ISO text, numpy scalars → Python."""
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def emit(
    frame: pd.DataFrame,
    fmt: str,
    headings: Mapping[str, str],
    *,
    title: str | None = None,
    source: str | None = None,
    limit: int | None = 200,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Print ``frame`` as a table (only ``headings``' columns, in that order), JSON or CSV.

    JSON has every column under its English name; with ``extra`` it is an object holding
    ``rows`` and those extra fields, otherwise a list of rows. CSV joins list cells with "；".
    """
    if fmt == "json":
        data: Any = records(frame)
        if extra is not None:
            data = {**{k: plain(v) for k, v in extra.items()}, "rows": data}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt == "csv":
        flat = frame.copy()
        for column in flat.columns:
            if flat[column].map(lambda v: isinstance(v, list | tuple)).any():
                flat[column] = flat[column].map(
                    lambda v: "；".join(map(str, v)) if isinstance(v, list | tuple) else v
                )
        buffer = io.StringIO()
        flat.to_csv(buffer, index=False)
        sys.stdout.write(buffer.getvalue())
        return
    if source:
        console.out.print(f"数据来源：{source}")
    shown = frame.copy()
    for column in headings:
        if column in shown and shown[column].map(lambda v: isinstance(v, list | tuple)).any():
            shown[column] = shown[column].map(
                lambda v: "、".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    if shown.empty:
        console.out.print(f"{title or ''}：没有符合条件的结果。")
        return
    console.print_table(shown, dict(headings), title=title, limit=limit)


def plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return (
            value.isoformat()[:10]
            if not hasattr(value, "hour") or value.hour == 0
            else (value.isoformat())
        )
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def plain_tree(value: Any) -> Any:
    """``plain`` applied through nested dicts and lists (dataclasses given as ``asdict``)."""
    if isinstance(value, dict):
        return {k: plain_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_tree(v) for v in value]
    return plain(value)
