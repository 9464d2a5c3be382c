"""Who may change data (the token) and the headers every response carries.

Data-changing requests present the token set in ``LIANGXIN_TOKEN`` (in the header
``Authorization: Bearer …`` or ``X-Liangxin-Token``, or the upload form's token field); without
a configured token every such request is refused. There are no cookies or sessions, so a form
cannot be submitted on a planner's behalf by another site (it would need the token).

Every response carries a Content-Security-Policy that lets a page load only what this app
serves, and run no inline script: a page can neither fetch from outside the machine nor run
script injected into it.

The upload checks the token before it reads the request body (:func:`token_before_body`): the
token comes in a header, or as the form's ``token`` field sent before the file; a request
without the right token is refused after at most a few kilobytes, and its connection closed.

Only requests addressed to a known host name are answered (:class:`TrustedHosts`): 127.0.0.1,
localhost, [::1], the address the server listens on and the names in
``LIANGXIN_ALLOWED_HOSTS``. A page of another site that re-points its own name at this machine
(DNS rebinding) sends its own name in ``Host`` and gets 400, so it cannot read the ledger.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, ClassVar
from urllib.parse import parse_qs

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import SecretStr
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import LiangxinError

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "LOOPBACK_HOSTS",
    "SECURITY_HEADERS",
    "AccessDenied",
    "NotAuthenticated",
    "SecurityHeaders",
    "TokenRequired",
    "TrustedHosts",
    "WriteAccess",
    "host_name",
    "token_before_body",
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
TOKEN_NOT_FIRST = (
    "需要令牌才能修改数据：请在表单中填写令牌（令牌字段须在文件之前发送），或在请求头中提供 "
    "Authorization: Bearer 令牌 或 X-Liangxin-Token: 令牌。未导入。"
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


# ---------------------------------------------------------------------------------------------
# The token before the body


EARLY_BYTES = 64 << 10
"""At most this much of a body is read to find the form's token field before the check."""
_BOUNDARY = re.compile(r'boundary="?([^";,]+)"?', re.IGNORECASE)
_FIELD_NAME = re.compile(rb'(?:^|[;\s])name="([^"]*)"', re.IGNORECASE)


async def token_before_body(request: Request, field: str = "token") -> Request:
    """Check the token of a data-changing request before its body is read; the request to
    handle on, with what was read of the body replayed.

    The token is taken from ``Authorization: Bearer …`` or ``X-Liangxin-Token``; without
    either, from the form field ``field`` if it is the first part of a multipart body (the
    upload page sends it before the file) or in a small urlencoded body. At most
    :data:`EARLY_BYTES` are read for it. A refusal (AccessDenied 403, NotAuthenticated 401)
    carries ``Connection: close``, so the server reads none of the rest of the body.
    """
    access = write_access(request)
    presented = _header_token(request)
    if presented is not None or not access.enabled:
        _check_early(access, presented)
        return request
    read, token, other_first = await _first_field(
        request.receive, request.headers.get("content-type", ""), field
    )
    _check_early(access, token, TOKEN_NOT_FIRST if other_first else TOKEN_MISSING)
    return Request(request.scope, _replay(read, request.receive))


def _header_token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get("x-liangxin-token") or None


def _check_early(access: WriteAccess, presented: str | None, missing: str = TOKEN_MISSING) -> None:
    try:
        if presented is None and access.enabled:
            raise NotAuthenticated(missing)
        access.check(presented)
    except LiangxinError as exc:
        # headers the error handler sends; LiangxinError does not declare the attribute
        exc.headers = {**getattr(exc, "headers", {}), "Connection": "close"}  # type: ignore[attr-defined]
        raise


async def _first_field(
    receive: Receive, content_type: str, field: str
) -> tuple[list[Message], str | None, bool]:
    """Read the body's first messages until the value of ``field`` is known: (the messages
    read, the value or None, whether the body's first part is another field)."""
    read: list[Message] = []
    body = b""
    more = True
    kind = content_type.split(";", 1)[0].strip().lower()
    boundary = _BOUNDARY.search(content_type) if kind == "multipart/form-data" else None
    if boundary is None and kind != "application/x-www-form-urlencoded":
        return read, None, False
    while more and len(body) <= EARLY_BYTES:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if boundary is not None:
            found = _multipart_first(body, boundary.group(1).encode("latin-1"), field)
            if found is not None:
                return read, *found
    if boundary is None and not more:
        values = parse_qs(body.decode("utf-8", "replace")).get(field)
        return read, (values[0] if values else None), False
    return read, None, False


def _multipart_first(body: bytes, boundary: bytes, field: str) -> tuple[str | None, bool] | None:
    """(the value of ``field``, False) when the first part is that field, (None, True) when
    the first part is another field, None when more of the body is needed to tell."""
    delimiter = b"--" + boundary
    start = body.find(delimiter)
    head_end = body.find(b"\r\n\r\n", start) if start >= 0 else -1
    if head_end < 0:
        return None
    name = _FIELD_NAME.search(body[start:head_end])
    if name is None or name.group(1).decode("utf-8", "replace") != field:
        return None, True
    end = body.find(b"\r\n" + delimiter, head_end + 4)
    if end < 0:
        return None
    return body[head_end + 4 : end].decode("utf-8", "replace"), False


def _replay(read: list[Message], receive: Receive) -> Receive:
    """``receive`` that first answers the messages already read."""
    pending = list(read)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


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


# ---------------------------------------------------------------------------------------------
# The Host header


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Host names always accepted: this machine."""
_WILDCARD_BINDS = {"", "0.0.0.0", "::"}  # "listen everywhere" is an address, never a Host
HOST_REFUSED = (
    "本服务不接受用“{host}”这个地址访问，请求已拒绝（防止其他网站借用本机的数据）。"
    "请用 http://127.0.0.1:端口 或管理员告知的地址打开；如需用这个名称访问，"
    "请管理员把它加入环境变量 LIANGXIN_ALLOWED_HOSTS（多个用逗号分隔）后重新启动 liangxin serve。"
)
_SHOWN_HOST = re.compile(r"[^A-Za-z0-9.:\-\[\]_]")


def host_name(value: str | None) -> str | None:
    """The host of a ``Host`` header or an allowed-host entry, lower case, without port,
    brackets or a trailing dot (``[::1]:8000`` → ``::1``); None when there is none."""
    text = (value or "").strip().lower()
    if text.startswith("["):  # [v6] or [v6]:port
        end = text.find("]")
        if end < 0:
            return None
        host, rest = text[1:end], text[end + 1 :]
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
    elif text.count(":") > 1:  # a bare IPv6 address (allowed-host entries, server addresses)
        host = text
    else:
        host, _, port = text.partition(":")
        if port and not port.isdigit():
            return None
    host = host.rstrip(".")
    return host or None


class TrustedHosts:
    """ASGI middleware: answer only requests whose ``Host`` is an allowed name (400 otherwise).

    Allowed: :data:`LOOPBACK_HOSTS`, the names given (the address ``liangxin serve`` binds,
    ``LIANGXIN_ALLOWED_HOSTS``), and the address the connection arrived at (``scope["server"]``,
    set by the server, never by the client): a colleague who opens ``http://192.168.1.5:8000``
    of a server bound to 0.0.0.0 is served, a page of ``evil.example`` re-pointed at this
    machine is not. The refusal is in Chinese: JSON under ``/api``, plain text elsewhere.
    """

    def __init__(self, app: ASGIApp, allowed: Iterable[str] = ()) -> None:
        self.app = app
        names = {host_name(name) for name in (*LOOPBACK_HOSTS, *allowed)}
        self.allowed = frozenset(n for n in names if n and n not in _WILDCARD_BINDS)

    def accepts(self, scope: Scope) -> bool:
        host = host_name(Headers(scope=scope).get("host"))
        if host is None:
            return False
        if host in self.allowed:
            return True
        # The address the connection arrived at, set by the server from its socket (an IP
        # address; Starlette's TestClient puts the name of the URL the test addressed there).
        server = scope.get("server")
        if not server:
            return False
        return host == host_name(str(server[0]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.accepts(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        shown = _SHOWN_HOST.sub("", Headers(scope=scope).get("host", ""))[:100] or "（空）"
        message = HOST_REFUSED.format(host=shown)
        if scope.get("path", "").startswith("/api/"):
            body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
            media = "application/json"
        else:
            body, media = message.encode("utf-8"), "text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", media.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
