"""What every response model shares: fields described in the words of the column catalogue,
frozen models, and the error answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph.columns import Columns

__all__ = ["ApiError", "ResultModel", "described"]


def described(columns: Columns, key: str, **kwargs: Any) -> Any:
    """A model field described as the catalogue describes the column ``key`` of ``columns``."""
    return Field(description=columns.column(key).description, **kwargs)


class ResultModel(BaseModel):
    """A row or result of an analysis: frozen, as the answer it is."""

    model_config = ConfigDict(frozen=True)


class ApiError(BaseModel):
    """An error answer: what went wrong, in Chinese."""

    detail: str = Field(description="错误说明（中文）：哪里不对、该怎么做")
