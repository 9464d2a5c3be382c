"""The web app: built here, its state loaded in the lifespan, errors turned into Chinese 4xx."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.deps import AppState
from api.routes import analyses, health
from graph.errors import LiangxinError

__all__ = ["create_app"]


def create_app(
    *, workspace: Path | None = None, store: str | None = None, ledger: Path | None = None
) -> FastAPI:
    """The app over a workspace (default), a graph store (``store``) or one ledger file."""
    state = AppState(workspace=workspace, store=store, ledger=ledger)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.load()  # fail at start-up, not on the first request, if the data cannot be read
        yield

    app = FastAPI(title="两新图谱", lifespan=lifespan)
    app.state.liangxin = state
    app.include_router(health.router)
    app.include_router(analyses.router)

    @app.exception_handler(LiangxinError)
    async def _liangxin_error(request: Request, exc: LiangxinError) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=exc.http_status)

    return app
