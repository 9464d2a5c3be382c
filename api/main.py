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
from api.routes import analyses, docs, health, pages, places, reports, search
from api.routes import ledger as ledger_routes
from api.security import SecurityHeaders, TrustedHosts, WriteAccess
from api.settings import Settings
from api.templating import STATIC_DIR
from viz.render import STATIC_DIR as VIZ_STATIC_DIR

__all__ = ["API_DESCRIPTION", "OPENAPI_TAGS", "create_app"]


API_DESCRIPTION = (
    "两新图谱的 JSON 接口：与命令行 `liangxin <命令> --format json` 给出相同的字段。"
    "\n\n"
    "- 分析类接口都接受 `as_of`（以哪天为准判断日期，默认今天）和统计范围 "
    "`min_employees_enterprise`、`min_employees_social`（两类组织的从业人员下限）；"
    "只统计经营状态为“正常”的组织。\n"
    "- 覆盖率为百分比，保留两位小数；分母为 0 时为 `null`。缺少的值为 `null`。\n"
    '- 出错时返回 `{"detail": "中文说明"}`：编码或版本不存在为 404，参数不合法为 422。'
)
"""The description at the top of the OpenAPI document (Chinese: read by IT staff)."""

OPENAPI_TAGS: list[dict[str, str]] = [
    *analyses.TAGS,
    *search.TAGS,
    *ledger_routes.TAGS,
    {"name": "运行状态", "description": "应用是否正常运行，数据来自哪里。"},
]
"""Every tag of the documented endpoints, in the order the page lists them."""


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
        description=API_DESCRIPTION,
        openapi_tags=OPENAPI_TAGS,
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
    app.include_router(places.router)
    app.include_router(pages.router)
    app.include_router(reports.router)
    app.include_router(ledger_routes.router)
    app.mount("/static/viz", StaticFiles(directory=VIZ_STATIC_DIR), name="viz-static")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    install_error_handlers(app)
    app.add_middleware(TrustedHosts, allowed=trusted)  # before any route sees the request
    app.add_middleware(SecurityHeaders)  # last: outermost, so error responses get it too

    return app
