"""The API documentation page, served from this machine: Swagger UI without a CDN or inline script.

FastAPI's own ``/docs`` loads Swagger UI from a CDN and ``/redoc`` adds web fonts; the app turns
both off and serves this page instead. Swagger UI's files come from the ``swagger-ui-bundle-v2``
package (Swagger UI 5, which reads the OpenAPI 3.1 that FastAPI writes); the page's start-up
script is ``api/static/swagger/init.js`` and reads its settings from data attributes, so the
app's Content-Security-Policy ``script-src 'self'`` holds. ``validatorUrl`` is off: Swagger UI
would otherwise send the schema to validator.swagger.io for its badge.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import swagger_ui_default_parameters
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from graph.errors import NotFound

__all__ = [
    "ASSETS",
    "DOCS_TITLE",
    "SWAGGER_UI_PARAMETERS",
    "router",
]

DOCS_TITLE = "两新图谱 接口文档"

SWAGGER_UI_PARAMETERS: dict[str, Any] = {
    **swagger_ui_default_parameters,
    "validatorUrl": None,
    "docExpansion": "list",
    "defaultModelsExpandDepth": 0,
    "displayRequestDuration": True,
}
"""Swagger UI's settings (FastAPI's defaults, no outside validator)."""

_SWAGGER_DIR = Path(str(swagger_ui_path))
_STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "swagger"
ASSETS: dict[str, Path] = {
    "swagger-ui.css": _SWAGGER_DIR / "swagger-ui.css",
    "swagger-ui-bundle.js": _SWAGGER_DIR / "swagger-ui-bundle.js",
    "favicon-32x32.png": _SWAGGER_DIR / "favicon-32x32.png",
    "init.js": _STATIC_DIR / "init.js",
}
"""The files the page loads, by the name they are served under ``/static/swagger/``."""

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """The Swagger UI page: local stylesheet, icon and scripts; settings in data attributes."""
    root = request.scope.get("root_path", "")
    asset = f"{root}/static/swagger/"
    openapi_url = root + (request.app.openapi_url or "/openapi.json")
    settings = html.escape(json.dumps(SWAGGER_UI_PARAMETERS, ensure_ascii=False), quote=True)
    page = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(DOCS_TITLE)}</title>
<link rel="stylesheet" href="{asset}swagger-ui.css">
<link rel="icon" type="image/png" href="{asset}favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{html.escape(openapi_url, quote=True)}" \
data-settings="{settings}"></div>
<script src="{asset}swagger-ui-bundle.js"></script>
<script src="{asset}init.js"></script>
</body>
</html>
"""
    return HTMLResponse(page)


@router.get("/static/swagger/{name}")
def docs_asset(name: str) -> FileResponse:
    """One of the page's files (a fixed list: nothing else under the folder is served)."""
    path = ASSETS.get(name)
    if path is None:
        raise NotFound(f"接口文档没有文件“{name}”。")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})
