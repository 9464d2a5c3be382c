"""A real browser on the real app: Debian's Chromium driven by Playwright, the app served by
``liangxin serve`` on a free loopback port.

``served_city`` writes a small sample city (with one organization named like an XSS payload),
loads it into a fresh workspace and starts ``liangxin serve`` on it, once per test session
(per xdist worker). ``browser`` launches ``/usr/bin/chromium`` headless with the flags that
keep it from reaching for the network; ``watched_page`` opens a page that records console
errors, page errors, dialogs and every request, and aborts any request that would leave
127.0.0.1. Without Chromium the tests are skipped with the reason (``make test`` installs it);
under CI (``CI`` set) a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers import free_port

__all__ = [
    "CHROMIUM",
    "OUTPUT_DIR",
    "XSS_NAME",
    "ServedCity",
    "WatchedPage",
    "browser",
    "served_city",
    "wait_healthy",
    "watched_page",
]

CHROMIUM = os.environ.get("LIANGXIN_CHROMIUM", "/usr/bin/chromium")
OUTPUT_DIR = Path(__file__).parent / "output" / "browser"
"""Screenshots of the pages the browser tests open (look at them before resolving)."""

XSS_NAME = "<img src=x onerror=alert(1)>"
START_TIMEOUT = 60.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass(frozen=True)
class ServedCity:
    """The running app: its base URL and the codes the tests open."""

    url: str
    street: str
    chain: str
    xss_uscc: str
    xss_street: str
    building: str


@dataclass
class WatchedPage:
    """A Playwright page and what it did: console errors, page errors, dialogs, requests."""

    page: object
    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"控制台错误: {e}" for e in self.console_errors]
            + [f"页面错误: {e}" for e in self.page_errors]
            + [f"弹窗: {e}" for e in self.dialogs]
            + [f"外部请求: {u}" for u in self.blocked]
        )


def _need_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"未找到 Chromium（{CHROMIUM}）：运行 make test 会安装（需要 root 执行 apt-get）"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def served_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedCity]:
    """The sample city (600 organizations, one named :data:`XSS_NAME`) served for real."""
    from graph.analysis.common import Params, org_table
    from graph.build import build_graph
    from loaders.sample import generate_city
    from loaders.writer import write_workbook

    root = tmp_path_factory.mktemp("served")
    ledger = generate_city(600, seed=7)
    orgs = ledger.tables["organizations"]
    target = orgs.index[orgs["building"].notna()][0]
    orgs.loc[target, "name"] = XSS_NAME
    xss_uscc, xss_street = str(orgs.at[target, "uscc"]), str(orgs.at[target, "street"])
    path = root / "city.xlsx"
    write_workbook(ledger, path)

    env = {**os.environ, "LIANGXIN_HOME": str(root / "workspace"), "NO_COLOR": "1"}
    env.pop("LIANGXIN_TOKEN", None)
    cli = [sys.executable, "-m", "api"]
    subprocess.run([*cli, "load", str(path)], env=env, check=True, capture_output=True)

    table = org_table(build_graph(ledger), Params())
    chain = str(table["chain"].dropna().iloc[0])
    building = str(orgs.at[target, "building"])
    port = free_port()
    log = (root / "serve.log").open("wb")
    proc = subprocess.Popen(
        [*cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, root / "serve.log")
        yield ServedCity(url, xss_street, chain, xss_uscc, xss_street, building)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_healthy(
    proc: subprocess.Popen, url: str, log: Path | None = None, timeout: float = START_TIMEOUT
) -> None:
    """Wait until the ``liangxin serve`` of ``proc`` answers ``/healthz`` at ``url``; raise
    ``RuntimeError`` (with the end of its ``log``) if it exits or does not answer in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    output = log.read_text(errors="replace")[-3000:] if log is not None else ""
    raise RuntimeError(f"liangxin serve did not answer:\n{output}")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright (no browser download: the system one)."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def watched_page(browser: object, served_city: ServedCity) -> Iterator[WatchedPage]:
    """A fresh page in a fresh context; requests leaving the app's origin are aborted and kept."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    watched = WatchedPage(page, served_city.url)

    def on_console(message: object) -> None:
        if message.type == "error":
            watched.console_errors.append(message.text)

    def on_route(route: object) -> None:
        request_url = route.request.url
        watched.requests.append(request_url)
        if request_url.startswith(served_city.url + "/") or request_url.startswith("data:"):
            route.continue_()
        else:
            watched.blocked.append(request_url)
            route.abort()

    def on_dialog(dialog: object) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watched.page_errors.append(str(exc)))
    page.on("dialog", on_dialog)
    context.route("**/*", on_route)
    try:
        yield watched
    finally:
        context.close()


def screenshot(watched: WatchedPage, name: str) -> Path:
    """Save a full-page screenshot under :data:`OUTPUT_DIR` (and ``NAME-map.png`` of the
    page's first map, at full resolution) and return the page's path."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / f"{name}.png"
    watched.page.screenshot(path=str(path), full_page=True)
    maps = watched.page.locator("section.lx-map")
    if maps.count():
        maps.first.screenshot(path=str(OUTPUT_DIR / f"{name}-map.png"))
    return path
