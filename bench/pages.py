"""The web app's pages on a large city: server seconds per page, and the browser's seconds until
the page's map has drawn (the issue's "usable within 3 seconds").

``python -m bench.pages --orgs 100000`` loads the cached CSV city (see ``bench.pipeline``) into
a temporary workspace, starts ``liangxin serve`` on a free loopback port, asks for every page
once to warm the shared tables (as a planner's first visit does), then times each page again
with a plain HTTP client (server time + transfer) and, when Debian's Chromium is installed, in
headless Chromium from navigation to the map's ``data-drawn`` mark.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from bench.machine import main_with_orgs, markdown
from bench.pipeline import city, largest
from graph.analysis.common import Params, org_table
from graph.build import build_graph
from loaders import read_ledger
from tests.browser import CHROMIUM, CHROMIUM_ARGS, wait_healthy
from tests.servers import free_port


def run(orgs: int) -> str:
    path = city(orgs)
    table = org_table(build_graph(read_ledger(path)), Params())

    def biggest(column: str) -> str:
        return quote(largest(table, column))

    uncovered = table[table["in_scope"] & (table["coverage"] == "none")]
    pages = {
        "overview": "/",
        "largest district": f"/districts/{biggest('district')}",
        "largest street": f"/streets/{biggest('street')}",
        "largest building": f"/buildings/{biggest('building')}",
        "largest chain": f"/chains/{biggest('chain')}",
        "organization": f"/orgs/{quote(str(uncovered['uscc'].iloc[0]))}",
        "plan": "/plan",
        "pairing": "/pairing",
        "search": "/search?q=" + quote("科技"),
    }
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        env = {**os.environ, "LIANGXIN_HOME": str(Path(tmp) / "ws")}
        cli = [sys.executable, "-m", "api"]
        subprocess.run([*cli, "load", str(path)], env=env, check=True, capture_output=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            start = time.perf_counter()
            wait_healthy(server, url, timeout=600)
            started = time.perf_counter() - start
            first = {name: _get(url + p) for name, p in pages.items()}
            warm = {name: _get(url + p) for name, p in pages.items()}
            drawn = _browser_times(url, pages)
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = []
    for name in pages:
        (cold, size), (hot, _) = first[name], warm[name]
        browser = f"{drawn[name]:.2f}" if name in drawn else "—"
        rows.append((name, f"{cold:.2f}", f"{hot:.2f}", f"{size / 1e6:.2f}", browser))
    return markdown(
        f"Pages, {orgs:,} organizations",
        ("page", "first request s", "warm request s", "HTML MB", "browser: map drawn s"),
        rows,
        intro=f"`liangxin serve` answering /healthz: {started:.1f} s (graph built in the lifespan)",
        memory=False,  # the pages are made in the server's process
    )


def _get(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        size = len(response.read())
    return time.perf_counter() - start, size


def _browser_times(url: str, pages: dict[str, str]) -> dict[str, float]:
    """Seconds from navigation to the map's ``data-drawn`` (pages without a map: to ``load``)."""
    if not Path(CHROMIUM).exists():
        return {}
    from playwright.sync_api import sync_playwright

    times: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for name, path in pages.items():
            start = time.perf_counter()
            page.goto(url + path, wait_until="load", timeout=600_000)
            if page.locator("section.lx-map").count():
                page.wait_for_selector("section.lx-map[data-drawn]", timeout=600_000)
            times[name] = time.perf_counter() - start
        browser.close()
    return times


def main(argv: list[str] | None = None) -> None:
    main_with_orgs(run, __doc__, argv)


if __name__ == "__main__":
    main()
