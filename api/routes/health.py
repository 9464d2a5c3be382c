"""Liveness: the app answers and knows where its data comes from."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StateDep

router = APIRouter(tags=["运行状态"])


@router.get("/healthz")
def healthz(state: StateDep) -> dict[str, object]:
    """运行状态：应用正常时返回 ok、数据来源（只有文件名，不含文件夹）和版本号。"""
    return {"status": "ok", "source": state.public_source, "version": state.version}
