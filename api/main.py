"""The web app: built here, its state loaded in the lifespan, errors as Chinese pages or JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from pydantic import SecretStr

from api.deps import AppState
from api.errors import install_error_handlers
from api.routes import analyses, docs, health, pages, reports, search
from api.routes.ledger import router as ledger_router
from api.security import SecurityHeaders, TrustedHosts, WriteAccess
from api.settings import Settings
from api.templating import STATIC_DIR
from viz.render import STATIC_DIR as VIZ_STATIC_DIR

__all__ = ["create_app"]


def create_app(
    *,
    workspace: Path | None = None,
    store: str | None = None,
    ledger: Path | None = None,
    token: str | None = None,
    upload_limit: int | None = None,
    host: str | None = None,
    allowed_hosts: Iterable[str] | None = None,
) -> FastAPI:
    """The app over a workspace (default), a graph store (``store``) or one ledger file.

    ``token`` (default ``LIANGXIN_TOKEN``; ``""`` for none) is what data-changing requests must
    present; ``upload_limit`` (bytes, default ``LIANGXIN_UPLOAD_LIMIT_MB``) caps an upload.
    Requests are answered only when their ``Host`` is 127.0.0.1, localhost, [::1], ``host``
    (the address ``liangxin serve`` binds; default ``LIANGXIN_HOST``), one of
    ``allowed_hosts`` (default ``LIANGXIN_ALLOWED_HOSTS``) or the address the connection
    arrived at (see :class:`api.security.TrustedHosts`).
    """
    settings = Settings()
    trusted = [
        settings.host,
        *([host] if host else []),
        *(settings.allowed_hosts if allowed_hosts is None else allowed_hosts),
    ]
    state = AppState(workspace=workspace, store=store, ledger=ledger)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.load()  # fail at start-up, not on the first request, if the data cannot be read
        yield

    app = FastAPI(
        title="两新图谱",
        lifespan=lifespan,
        description=docs.API_DESCRIPTION,
        openapi_tags=docs.OPENAPI_TAGS,
        docs_url=None,  # served locally by docs.router: no CDN, no inline script
        redoc_url=None,
    )
    app.state.liangxin = state
    app.state.write_access = WriteAccess(
        settings.token if token is None else SecretStr(token) if token else None
    )
    app.state.upload_limit = upload_limit or settings.upload_limit_mb << 20
    app.state.report_cache = reports.ReportCache()
    app.include_router(health.router)
    app.include_router(analyses.router)
    app.include_router(docs.router)  # before the /static mount: it serves /static/swagger/
    app.include_router(search.router)
    app.include_router(pages.router)
    app.include_router(reports.router)
    app.include_router(ledger_router)
    app.mount("/static/viz", StaticFiles(directory=VIZ_STATIC_DIR), name="viz-static")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    install_error_handlers(app)
    app.add_middleware(TrustedHosts, allowed=trusted)  # before any route sees the request
    app.add_middleware(SecurityHeaders)  # last: outermost, so error responses get it too

    return app
