"""How errors reach a person: JSON for the API, a Chinese page elsewhere, never a traceback.

Requests to ``/api/…``, ``/healthz`` and ``/openapi.json`` get ``{"detail": "中文说明"}`` (plus
``issues`` for an invalid ledger, ``errors`` with FastAPI's list for a 422); every other request,
and any request whose ``Accept`` header prefers HTML, gets ``error.html`` with the same status.
An unexpected exception becomes a 500 with a fixed Chinese message; its traceback goes to the
server log only.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.utils import is_body_allowed_for_status_code
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.templating import page_context, templates
from graph.errors import LedgerInvalid, LiangxinError

if TYPE_CHECKING:
    pass

__all__ = [
    "INTERNAL_ERROR_MESSAGE",
    "error_response",
    "install_error_handlers",
    "wants_html",
]

logger = logging.getLogger("liangxin.api")

INTERNAL_ERROR_MESSAGE = "服务器内部错误，请联系管理员。"
JSON_PATHS = ("/api/", "/healthz", "/openapi.json")

TITLES = {
    400: "请求有误",
    401: "需要令牌",
    403: "没有权限",
    404: "找不到页面",
    405: "请求方式不对",
    409: "暂时无法完成",
    413: "文件太大",
    422: "内容有误",
    500: "服务器内部错误",
    503: "服务暂时不可用",
}
"""Heading of the error page per status."""

_HTTP_MESSAGES = {
    400: "请求无法解析，请检查提交的内容后重试。",
    401: "需要令牌才能进行这个操作。",
    403: "没有权限进行这个操作。",
    405: "这个地址不支持 {method} 请求。",
    406: "无法按请求的格式返回内容。",
    413: "提交的内容太大。",
    415: "不支持这种提交格式。",
    429: "请求太频繁，请稍后再试。",
}
"""Chinese for the errors Starlette and FastAPI raise themselves (English details)."""

_PLACES = {
    "query": "查询参数",
    "path": "路径参数",
    "body": "提交内容",
    "header": "请求头",
    "cookie": "Cookie",
}
_REASONS = {
    "missing": "缺少这一项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "date_parsing": "应为日期，格式如 2026-11-01",
    "date_from_datetime_parsing": "应为日期，格式如 2026-11-01",
    "date_from_datetime_inexact": "应为日期，格式如 2026-11-01",
    "date_type": "应为日期，格式如 2026-11-01",
    "string_pattern_mismatch": "取值不在可选范围内",
    "literal_error": "取值不在可选范围内",
    "enum": "取值不在可选范围内",
    "string_too_short": "太短",
    "string_too_long": "太长",
    "json_invalid": "不是有效的 JSON",
    "value_error": "取值无效",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "不能小于 {}"),
    "greater_than": ("gt", "应大于 {}"),
    "less_than_equal": ("le", "不能大于 {}"),
    "less_than": ("lt", "应小于 {}"),
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers for LiangxinError, HTTP errors and request validation errors, and
    the middleware that turns any other exception into a logged 500."""
    # Starlette types a handler as taking any Exception; each of these takes its own class
    app.add_exception_handler(LiangxinError, _liangxin_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_middleware(_UnexpectedErrors)
    _document_validation_errors(app)


def wants_html(request: Request) -> bool:
    """A page for page routes, JSON for the API — unless the client asks for HTML first."""
    path = request.url.path
    if not (path.startswith(JSON_PATHS) or path == "/api"):
        return True
    accepted = _accepted_types(request.headers.get("accept", ""))
    if "text/html" not in accepted:
        return False
    return "application/json" not in accepted or (
        accepted.index("text/html") < accepted.index("application/json")
    )


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """The error as a Chinese page or as ``{"detail": message, **extra}``, with ``status``."""
    if not is_body_allowed_for_status_code(status):
        return Response(status_code=status, headers=headers)
    if wants_html(request):
        return templates.TemplateResponse(
            request,
            "error.html",
            page_context(
                request,
                status=status,
                heading=TITLES.get(status, "出错了"),
                message=message,
            ),
            status_code=status,
            headers=headers,
        )
    return JSONResponse({"detail": message, **(extra or {})}, status_code=status, headers=headers)


# ---------------------------------------------------------------------------------------------
# Handlers


async def _liangxin_error(request: Request, exc: LiangxinError) -> Response:
    extra = None
    if isinstance(exc, LedgerInvalid):
        extra = {"issues": [issue.to_dict() for issue in exc.issues]}
    return error_response(
        request, exc.http_status, exc.message, headers=getattr(exc, "headers", None), extra=extra
    )


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Starlette's 404 and 405, FastAPI's 400 for an unparsable body, our own HTTPExceptions.

    A detail that is already Chinese (raised by this app) is kept; English ones are replaced.
    """
    status = exc.status_code
    if isinstance(exc.detail, str) and _CJK.search(exc.detail):
        message = exc.detail
    elif status == 404:
        place = "接口" if not wants_html(request) else "页面"
        message = f"找不到这个{place}：{request.url.path}。请检查地址是否正确。"
    else:
        template = _HTTP_MESSAGES.get(status) or f"请求未能完成（{status}）。"
        message = template.format(method=request.method)
    return error_response(request, status, message, headers=exc.headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    message = "请求有误：" + "；".join(_describe(error) for error in errors[:5])
    if len(errors) > 5:
        message += f"；另有 {len(errors) - 5} 处"
    return error_response(request, 422, message + "。", extra={"errors": jsonable_encoder(errors)})


def _describe(error: Mapping[str, Any]) -> str:
    """``查询参数 by：取值不在可选范围内（收到“planet”）`` for one pydantic error."""
    loc = [str(part) for part in error.get("loc", ())]
    place = _PLACES.get(loc[0], loc[0]) if loc else "请求"
    name = ".".join(loc[1:])
    kind = str(error.get("type", ""))
    if kind in _BOUNDS:
        key, text = _BOUNDS[kind]
        reason = text.format(error.get("ctx", {}).get(key, ""))
    else:
        reason = _REASONS.get(kind, "取值无效")
    given = error.get("input")
    if kind != "missing" and isinstance(given, str | int | float) and len(str(given)) <= 40:
        reason += f"（收到“{given}”）"
    return f"{place} {name}：{reason}" if name else f"{place}：{reason}"


def _accepted_types(header: str) -> list[str]:
    """Media types of an ``Accept`` header, most wanted first (``q=0`` ones left out)."""
    ranked: list[tuple[float, int, str]] = []
    for at, part in enumerate(header.split(",")):
        kind, *params = part.split(";")
        quality = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and kind.strip():
            ranked.append((-quality, at, kind.strip().lower()))
    return [kind for *_, kind in sorted(ranked)]


def _document_validation_errors(app: FastAPI) -> None:
    """Make the OpenAPI schema describe the 422 body this app sends (Chinese ``detail``,
    FastAPI's list under ``errors``), so that the documentation and schema checks agree."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schemas = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            schemas["HTTPValidationError"] = {
                "title": "HTTPValidationError",
                "type": "object",
                "required": ["detail"],
                "properties": {
                    "detail": {
                        "title": "Detail",
                        "type": "string",
                        "description": "哪个参数有什么问题（中文）",
                    },
                    "errors": {
                        "title": "Errors",
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ValidationError"},
                        "description": "FastAPI 的原始错误列表",
                    },
                },
            }
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override


class _UnexpectedErrors:
    """ASGI middleware: any exception not handled above → logged with its traceback, and a
    500 with :data:`INTERNAL_ERROR_MESSAGE` (a page or JSON) instead of a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception:
            logger.exception("未处理的异常：%s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # the response is under way; the server closes the connection
            request = Request(scope)
            try:
                response = error_response(request, 500, INTERNAL_ERROR_MESSAGE)
            except Exception:  # the error page itself failed: plain HTML, no template
                logger.exception("错误页面无法生成")
                text = html.escape(INTERNAL_ERROR_MESSAGE)
                response = HTMLResponse(f"<!doctype html><p>{text}</p>", status_code=500)
            await response(scope, receive, send)
