"""Who may change data (the token) and the headers every response carries.

Data-changing requests present the token set in ``LIANGXIN_TOKEN`` (in the header
``Authorization: Bearer …`` or ``X-Liangxin-Token``, or the upload form's token field); without
a configured token every such request is refused. There are no cookies or sessions, so a form
cannot be submitted on a planner's behalf by another site (it would need the token).

Every response carries a Content-Security-Policy that lets a page load only what this app
serves, and run no inline script: a page can neither fetch from outside the machine nor run
script injected into it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, ClassVar

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import LiangxinError

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SECURITY_HEADERS",
    "AccessDenied",
    "NotAuthenticated",
    "SecurityHeaders",
    "TokenRequired",
    "WriteAccess",
    "write_access",
]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

NO_TOKEN_CONFIGURED = (
    "本服务没有设置令牌，修改数据的功能（如上传台账）已关闭。"
    "如需开启，请管理员设置环境变量 LIANGXIN_TOKEN 后重新启动 liangxin serve。"
)
TOKEN_MISSING = (
    "需要令牌才能修改数据：请在表单中填写令牌，或在请求头中提供 "
    "Authorization: Bearer 令牌 或 X-Liangxin-Token: 令牌。"
)
TOKEN_WRONG = "令牌不正确，未做任何修改。请向管理员核实令牌（LIANGXIN_TOKEN）后重试。"


class AccessDenied(LiangxinError):
    """The request may not change data: no token configured, or the token is wrong."""

    http_status = 403


class NotAuthenticated(LiangxinError):
    """A data-changing request came without a token."""

    http_status = 401
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Bearer realm="liangxin"'}


@dataclass(frozen=True)
class WriteAccess:
    """The token data-changing requests must present; without one, all of them are refused."""

    token: SecretStr | None

    @property
    def enabled(self) -> bool:
        return self.token is not None and bool(self.token.get_secret_value().strip())

    def check(self, presented: str | None) -> None:
        """Refuse unless ``presented`` is the configured token (compared in constant time).

        Raises AccessDenied (403) when no token is configured or the token is wrong,
        NotAuthenticated (401) when none was presented.
        """
        if self.token is None or not self.enabled:
            raise AccessDenied(NO_TOKEN_CONFIGURED)
        if not presented:
            raise NotAuthenticated(TOKEN_MISSING)
        expected = self.token.get_secret_value().strip().encode("utf-8")
        if not secrets.compare_digest(presented.strip().encode("utf-8"), expected):
            raise AccessDenied(TOKEN_WRONG)


def write_access(request: Request) -> WriteAccess:
    """The app's write access, set by ``create_app``."""
    return request.app.state.write_access


_bearer = HTTPBearer(auto_error=False, description="令牌（服务器的 LIANGXIN_TOKEN）")
_token_header = APIKeyHeader(
    name="X-Liangxin-Token", auto_error=False, description="令牌（服务器的 LIANGXIN_TOKEN）"
)


def _require_token(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_token_header)],
) -> None:
    write_access(request).check(bearer.credentials if bearer else header)


TokenRequired = Depends(_require_token)
"""Dependency for a data-changing JSON endpoint: ``dependencies=[TokenRequired]``."""


class SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every HTTP response (pages, JSON, files).

    Add it last (outermost) so that error responses carry the headers too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
