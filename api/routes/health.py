"""Liveness: the app answers and knows where its data comes from."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StateDep

router = APIRouter(tags=["运行状态"])


@router.get("/healthz")
def healthz(state: StateDep) -> dict[str, object]:
    """运行状态：应用正常时返回 ok 和数据来源。"""
    return {"status": "ok", "source": state.source, "version": state.version}
