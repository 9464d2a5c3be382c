"""Security headers on every response, the token check, and errors as Chinese pages or JSON."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api import security
from api.main import create_app
from api.routes.reports import ReportCache
from api.security import AccessDenied, NotAuthenticated, WriteAccess
from graph.errors import NotFound
from graph.store.workspace import Workspace, source_checksum
from loaders import read_ledger
from tests.asgikit import run_coroutine
from tests.tinyledger import tiny, write_xlsx

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SECRET = "secret-xyz-内部细节"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> FastAPI:
    """The app over the tiny ledger, with routes that fail on purpose (nothing here writes)."""
    folder = tmp_path_factory.mktemp("security")
    path = write_xlsx(tiny(), folder / "tiny.xlsx")
    ws = Workspace(folder / "ws")
    ws.save(read_ledger(path), source=path, checksum=source_checksum(path))
    app = create_app(workspace=ws.root, token="t0ken")

    def missing_org() -> None:
        raise NotFound("找不到统一社会信用代码为 X 的组织。")

    def broken() -> None:
        raise RuntimeError(SECRET)

    for prefix in ("", "/api"):
        app.add_api_route(f"{prefix}/probe/missing", missing_org)
        app.add_api_route(f"{prefix}/probe/broken", broken)
    return app


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as client:
        yield client


def _is_page(response) -> bool:
    return response.headers["content-type"].startswith("text/html") and (
        '<a href="/">返回概览</a>' in response.text
    )


# ---------------------------------------------------------------------------------------------
# Headers


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/upload", 200),  # a page
        ("GET", "/healthz", 200),  # JSON
        ("GET", "/api/coverage", 200),
        ("GET", "/static/app.css", 200),  # a static file
        ("GET", "/static/no-such.css", 404),
        ("GET", "/no-such-page", 404),
        ("GET", "/api/coverage?by=planet", 422),
        ("POST", "/api/ledger", 401),
        ("GET", "/probe/broken", 500),
        ("GET", "/api/probe/broken", 500),
    ],
)
def test_every_response_carries_the_security_headers(client, method, path, status):
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_the_policy_allows_nothing_from_outside_and_no_inline_script():
    directives = dict(d.split(" ", 1) for d in security.CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == directives["script-src"] == "'self'"
    assert all("http" not in sources and "*" not in sources for sources in directives.values())
    assert directives["object-src"] == directives["base-uri"] == "'none'"


# ---------------------------------------------------------------------------------------------
# The token


def test_write_access_takes_only_the_configured_token(monkeypatch):
    compared = []
    real = security.secrets.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security.secrets, "compare_digest", spy)
    access = WriteAccess(SecretStr("两新-令牌"))
    access.check("两新-令牌")
    access.check(" 两新-令牌\n")  # pasted with spaces
    assert compared and all(isinstance(a, bytes) for a, _ in compared)
    for wrong in ("两新", "两新-令牌x", "两新-令 牌"):
        with pytest.raises(AccessDenied, match="令牌不正确"):
            access.check(wrong)
    for missing in (None, ""):
        with pytest.raises(NotAuthenticated, match="需要令牌"):
            access.check(missing)
    assert NotAuthenticated.http_status == 401 and AccessDenied.http_status == 403


@pytest.mark.parametrize("configured", [None, "", "   "])
def test_without_a_configured_token_nothing_may_change(configured):
    access = WriteAccess(None if configured is None else SecretStr(configured))
    assert not access.enabled
    for presented in (None, "", "   ", "anything"):
        with pytest.raises(AccessDenied, match="LIANGXIN_TOKEN"):
            access.check(presented)


# ---------------------------------------------------------------------------------------------
# Errors: pages for people, JSON for programs


def test_unknown_page_is_a_chinese_page(client):
    response = client.get("/no-such-page", headers=BROWSER)
    assert response.status_code == 404 and _is_page(response)
    assert "找不到这个页面：/no-such-page" in response.text and "Not Found" not in response.text


def test_unknown_api_path_is_chinese_json(client):
    response = client.get("/api/no-such")
    assert response.status_code == 404
    assert response.json() == {"detail": "找不到这个接口：/api/no-such。请检查地址是否正确。"}


def test_liangxin_errors_as_page_or_json(client):
    page = client.get("/probe/missing")
    assert page.status_code == 404 and _is_page(page)
    assert "找不到统一社会信用代码为 X 的组织。" in page.text and "<h1>找不到页面</h1>" in page.text
    api = client.get("/api/probe/missing")
    assert api.status_code == 404
    assert api.json() == {"detail": "找不到统一社会信用代码为 X 的组织。"}
    browser = client.get("/api/probe/missing", headers=BROWSER)  # a person opened the API link
    assert browser.status_code == 404 and _is_page(browser)
    assert client.get("/api/probe/missing", headers={"Accept": "*/*"}).json()["detail"]


def test_method_not_allowed_is_chinese(client):
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert response.json() == {"detail": "这个地址不支持 DELETE 请求。"}
    assert "GET" in response.headers["allow"]


def test_validation_errors_are_chinese_with_fastapis_list_kept(client):
    response = client.get("/api/coverage", params={"by": "planet", "min_employees_enterprise": -1})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("请求有误：")
    assert "查询参数 by：取值不在可选范围内（收到“planet”）" in body["detail"]
    assert "查询参数 min_employees_enterprise：不能小于 0（收到“-1”）" in body["detail"]
    assert {tuple(e["loc"]) for e in body["errors"]} == {
        ("query", "by"),
        ("query", "min_employees_enterprise"),
    }
    page = client.get("/api/coverage", params={"as_of": "昨天"}, headers=BROWSER)
    assert page.status_code == 422 and _is_page(page)
    assert "查询参数 as_of：应为日期，格式如 2026-11-01（收到“昨天”）" in page.text


@pytest.mark.parametrize(("path", "page"), [("/probe/broken", True), ("/api/probe/broken", False)])
def test_unexpected_errors_are_logged_not_shown(client, caplog, path, page):
    with caplog.at_level(logging.ERROR, logger="liangxin.api"):
        response = client.get(path)
    assert response.status_code == 500
    assert SECRET not in response.text and "Traceback" not in response.text
    if page:
        assert _is_page(response) and "服务器内部错误，请联系管理员" in response.text
    else:
        assert response.json() == {"detail": "服务器内部错误，请联系管理员。"}
    logged = [r for r in caplog.records if r.name == "liangxin.api"]
    assert len(logged) == 1 and path in logged[0].getMessage()
    assert logged[0].exc_info and SECRET in str(logged[0].exc_info[1])


def test_openapi_documents_the_chinese_422_and_the_token(client):
    schema = client.get("/openapi.json").json()
    validation = schema["components"]["schemas"]["HTTPValidationError"]
    assert validation["properties"]["detail"]["type"] == "string"
    assert "errors" in validation["properties"]
    upload = schema["paths"]["/api/ledger"]["post"]
    assert {name for item in upload["security"] for name in item} == {"HTTPBearer", "APIKeyHeader"}
    assert set(upload["responses"]) >= {"201", "401", "403", "409", "413", "422"}
    assert upload["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/LedgerRejected"
    )


# ---------------------------------------------------------------------------------------------
# The Host header: DNS rebinding


HOST_CASES = [
    ("127.0.0.1", 200),
    ("127.0.0.1:8000", 200),
    ("localhost", 200),
    ("LOCALHOST:8000", 200),
    ("localhost.", 200),
    ("[::1]:8000", 200),
    ("[::1]", 200),
    ("evil.example", 400),
    ("evil.example:8000", 400),
    ("127.0.0.1.evil.example", 400),
    ("localhost.evil.example", 400),
    ("", 400),
    ("[::1", 400),
    ("127.0.0.1:http", 400),
]


@pytest.mark.parametrize(("host", "status"), HOST_CASES)
def test_only_known_host_names_are_answered(client, host, status):
    for path in ("/api/coverage", "/api/status", "/", "/healthz", "/static/app.css"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-security-policy"] == CSP  # refusals carry them too
        if status == 400:
            assert "LIANGXIN_ALLOWED_HOSTS" in response.text and "台账" not in response.text


def test_a_refused_host_is_told_in_chinese(client):
    api = client.get("/api/plan", headers={"Host": "evil.example"})
    assert api.status_code == 400 and api.headers["content-type"] == "application/json"
    assert api.json()["detail"].startswith("本服务不接受用“evil.example”这个地址访问")
    page = client.get("/", headers={"Host": "rebind.evil.example:8000", **BROWSER})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/plain")
    assert "rebind.evil.example:8000" in page.text and "127.0.0.1" in page.text
    odd = client.get("/", headers={"Host": "<script>x</script>"})
    assert odd.status_code == 400 and "<script>" not in odd.text  # shown without markup


def test_a_refused_post_changes_nothing(client, app):
    before = app.state.liangxin.workspace_versions.versions()
    response = client.post(
        "/api/ledger",
        headers={"Host": "evil.example", "Authorization": "Bearer t0ken"},
        files={"file": ("a.xlsx", b"x" * 100)},
    )
    assert response.status_code == 400
    assert app.state.liangxin.workspace_versions.versions() == before


def test_allowed_hosts_come_from_settings_and_serve(tmp_path, monkeypatch):
    path = write_xlsx(tiny(), tmp_path / "tiny.xlsx")
    monkeypatch.setenv("LIANGXIN_ALLOWED_HOSTS", " liangxin.example.gov.cn , 10.0.0.7:8000,,")
    monkeypatch.setenv("LIANGXIN_HOST", "0.0.0.0")  # "listen everywhere" names no host
    app = create_app(ledger=path, host="planner-pc.corp")
    with TestClient(app) as client:
        for host in ("liangxin.example.gov.cn", "LIANGXIN.example.gov.cn:443", "10.0.0.7:80"):
            assert client.get("/healthz", headers={"Host": host}).status_code == 200
        assert client.get("/healthz", headers={"Host": "planner-pc.corp:8000"}).status_code == 200
        for host in ("0.0.0.0", "0.0.0.0:8000", "example.gov.cn", "10.0.0.8"):
            assert client.get("/healthz", headers={"Host": host}).status_code == 400, host
    explicit = create_app(ledger=path, allowed_hosts=["only.example"])
    with TestClient(explicit) as client:
        assert client.get("/healthz", headers={"Host": "only.example"}).status_code == 200
        assert client.get("/healthz", headers={"Host": "10.0.0.7"}).status_code == 400


def test_the_address_the_connection_arrived_at_is_accepted():
    """A server bound to 0.0.0.0 serves http://<its LAN address>:port/ (the server puts that
    address in the scope), but not a name that merely resolves there."""

    seen = []

    async def inner(scope, receive, send):
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    guard = security.TrustedHosts(inner, allowed=["0.0.0.0"])
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    def call(host: str, server: str) -> int:
        sent.clear()
        scope = {
            "type": "http",
            "path": "/api/coverage",
            "headers": [(b"host", host.encode())],
            "server": (server, 8000),
        }
        run_coroutine(guard(scope, receive, send))
        return sent[0]["status"]

    assert call("192.168.1.5:8000", "192.168.1.5") == 204
    assert call("[fe80::1]:8000", "fe80::1") == 204
    assert call("evil.example:8000", "192.168.1.5") == 400
    assert call("192.168.1.6:8000", "192.168.1.5") == 400
    assert seen == ["/api/coverage", "/api/coverage"]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("::1", "::1"),
        ("Example.GOV.cn.", "example.gov.cn"),
        ("a.example:", "a.example"),
        ("", None),
        (None, None),
        ("[::1]x", None),
        ("a.example:80x", None),
    ],
)
def test_host_name(value, name):
    assert security.host_name(value) == name


def test_a_real_server_refuses_a_foreign_host(tmp_path):
    """``liangxin serve`` on a free loopback port: Host evil.example gets 400, 127.0.0.1 200."""
    import http.client
    import os
    import subprocess
    import sys

    from tests.browser import wait_healthy
    from tests.servers import free_port

    path = write_xlsx(tiny(), tmp_path / "tiny.xlsx")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIANGXIN_")}
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--ledger", str(path), "--port", str(port)],
        env={**env, "LIANGXIN_HOME": str(tmp_path / "ws")},
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def get(host: str, target: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.putrequest("GET", target, skip_host=True)
            connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    try:
        wait_healthy(proc, f"http://127.0.0.1:{port}", tmp_path / "serve.log")
        for target in ("/api/coverage", "/api/plan", "/"):
            status, text = get("evil.example", target)
            assert status == 400 and "本服务不接受" in text, (target, text)
            assert get(f"127.0.0.1:{port}", target)[0] == 200
            assert get(f"localhost:{port}", target)[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


# ---------------------------------------------------------------------------------------------
# What the API says about this machine


def test_status_and_health_show_no_absolute_path(client, app):
    root = app.state.liangxin.workspace
    status = client.get("/api/status")
    assert status.status_code == 200
    body = status.json()
    assert body["workspace"] == "ws" and body["source"] == "tiny.xlsx"
    health = client.get("/healthz").json()
    assert health["source"].endswith("（tiny.xlsx）")
    for text in (status.text, client.get("/healthz").text):
        assert str(root.parent) not in text and "/" not in text.replace("\\/", "")


# ---------------------------------------------------------------------------------------------
# CPU an anonymous request can cost: report downloads are cached, built one at a time


@pytest.fixture
def counted_builds(monkeypatch):
    """Every report document built, by kind."""
    from api.routes import reports

    built: list[str] = []
    real = reports._build

    def counting(graph, params, state, kind, *rest):
        built.append(kind)
        return real(graph, params, state, kind, *rest)

    monkeypatch.setattr(reports, "_build", counting)
    return built


def test_a_second_identical_report_download_builds_nothing(client, app, counted_builds):
    app.state.report_cache = ReportCache()
    first = client.get("/reports/coverage.docx", params={"as_of": "2026-11-01"})
    assert first.status_code == 200 and counted_builds == ["coverage"]
    again = client.get("/reports/coverage.docx", params={"as_of": "2026-11-01"})
    assert again.status_code == 200 and again.content == first.content
    form = client.get("/reports/coverage", params={"format": "docx", "as_of": "2026-11-01"})
    assert form.content == first.content
    assert form.headers["content-disposition"] == first.headers["content-disposition"]
    assert counted_builds == ["coverage"]  # the same file three times, built once
    assert client.get("/reports/coverage.html", params={"as_of": "2026-11-01"}).status_code == 200
    assert client.get("/reports/coverage.docx", params={"as_of": "2026-11-02"}).status_code == 200
    assert counted_builds == ["coverage"] * 3  # another format, another day: built
    assert app.state.report_cache.built == 3


def test_report_cache_is_bounded_and_least_recently_used():
    import networkx as nx

    cache, g = ReportCache(size=2), nx.MultiDiGraph()
    calls: list[str] = []

    def build(name: str):
        return lambda: (calls.append(name), (name, name.encode()))[1]

    for name in ("a", "b", "a", "c", "a", "b"):
        assert cache.get(g, name, build(name)) == (name, name.encode())
    assert calls == ["a", "b", "c", "b"]  # a kept (used recently), b pushed out by c
    assert len(cache._entries) == 2
    other = nx.MultiDiGraph()  # a new version is a new graph: nothing of the old one served
    cache.get(other, "a", build("a"))
    assert calls == ["a", "b", "c", "b", "a"]


def test_report_cache_builds_once_for_requests_arriving_together():
    import threading
    import time

    import networkx as nx

    cache, g = ReportCache(size=4, builds_at_once=1), nx.MultiDiGraph()
    running, most, calls = [0], [0], []
    lock = threading.Lock()

    def build(name: str):
        def run():
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
                calls.append(name)
            time.sleep(0.05)
            with lock:
                running[0] -= 1
            return name, b"x"

        return run

    names = ["same"] * 6 + ["other1", "other2", "other3"]
    threads = [threading.Thread(target=cache.get, args=(g, n, build(n))) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(calls) == ["other1", "other2", "other3", "same"]  # "same" built once
    assert most[0] == 1  # one build at a time
    assert cache.built == 4


def test_a_failed_report_build_keeps_nothing(client, app, counted_builds):
    app.state.report_cache = ReportCache()
    for _ in range(2):
        response = client.get("/reports/monthly.docx")  # one version only: nothing to compare
        assert response.status_code == 400 and "月调度报告" in response.text
    assert counted_builds == ["monthly", "monthly"] and app.state.report_cache.built == 0
