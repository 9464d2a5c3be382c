"""The web app in a real browser: pages draw, maps draw nodes, nothing leaves 127.0.0.1, and an
organization named like an XSS payload shows as text everywhere and runs nothing.

Screenshots go to ``tests/output/browser/`` (see :mod:`tests.browser`).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import XSS_NAME, ServedCity, WatchedPage, screenshot

MAP_TIMEOUT_MS = 20_000

CANVAS_INK = """(section) => {
  const canvas = section.querySelector('canvas');
  if (!canvas) return 0;
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
  return ink;
}"""
"""How many pixels of a map's canvas vis-network painted (non-transparent)."""


def _open(watched: WatchedPage, path: str) -> None:
    response = watched.page.goto(watched.origin + path, wait_until="load")
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )


def _maps_drawn(watched: WatchedPage) -> list[int]:
    """Wait until every map of the page has drawn; the node count each reports."""
    page = watched.page
    sections = page.locator("section.lx-map")
    assert sections.count() >= 1, "页面上没有地图"
    counts = []
    for i in range(sections.count()):
        section = sections.nth(i)
        section.scroll_into_view_if_needed()
        page.wait_for_function(
            "(s) => s.dataset.drawn !== undefined",
            arg=section.element_handle(),
            timeout=MAP_TIMEOUT_MS,
        )
        nodes = int(section.get_attribute("data-drawn"))
        assert nodes > 0
        assert section.evaluate(CANVAS_INK) > 500, "地图画布是空的"
        counts.append(nodes)
    return counts


def _clean(watched: WatchedPage) -> None:
    assert watched.problems() == []
    assert watched.requests, "no request recorded: the route handler is not watching"
    assert all(u.startswith(watched.origin + "/") for u in watched.requests)


def _no_injected_markup(watched: WatchedPage) -> None:
    page = watched.page
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("() => document.querySelectorAll('[onerror]').length") == 0


def test_overview_draws_the_regional_map(watched_page: WatchedPage) -> None:
    _open(watched_page, "/")
    assert "覆盖率" in watched_page.page.inner_text("main")
    _maps_drawn(watched_page)
    screenshot(watched_page, "overview")
    _clean(watched_page)


def test_street_map_shows_the_xss_organization_as_text(
    watched_page: WatchedPage, served_city: ServedCity
) -> None:
    _open(watched_page, f"/streets/{quote(served_city.xss_street)}")
    _maps_drawn(watched_page)
    page = watched_page.page
    assert XSS_NAME in page.inner_text("main")  # the tables show it as text
    search = page.locator("section.lx-map input.lx-map-search").first
    search.fill(XSS_NAME)
    search.press("Enter")
    found = page.evaluate("() => Object.values(window.liangxinMaps)[0].getSelectedNodes().length")
    assert found >= 1, "地图搜索找不到以 XSS 命名的组织"
    screenshot(watched_page, "street")
    _no_injected_markup(watched_page)
    _clean(watched_page)


def test_chain_map_draws_three_levels(watched_page: WatchedPage, served_city: ServedCity) -> None:
    _open(watched_page, f"/chains/{quote(served_city.chain)}")
    _maps_drawn(watched_page)
    legend = watched_page.page.inner_text("section.lx-map")
    assert "产业链党委" in legend
    screenshot(watched_page, "chain")
    _clean(watched_page)


@pytest.mark.parametrize(
    "name, path",
    [
        ("org", "/orgs/{uscc}"),
        ("building", "/buildings/{building}"),
        ("search", "/search?q=" + quote("<img")),
        ("plan", "/plan"),
        ("pairing", "/pairing"),
    ],
)
def test_xss_name_is_text_on_every_page(
    watched_page: WatchedPage, served_city: ServedCity, name: str, path: str
) -> None:
    _open(
        watched_page,
        path.format(uscc=served_city.xss_uscc, building=quote(served_city.building)),
    )
    if watched_page.page.locator("section.lx-map").count():
        _maps_drawn(watched_page)
    if name in ("org", "building", "search"):
        assert XSS_NAME in watched_page.page.inner_text("main")
    screenshot(watched_page, name)
    _no_injected_markup(watched_page)
    _clean(watched_page)


def test_tooltip_is_plain_text(watched_page: WatchedPage, served_city: ServedCity) -> None:
    """Hovering the XSS organization shows its name as text in vis-network's tooltip."""
    _open(watched_page, f"/buildings/{quote(served_city.building)}")
    _maps_drawn(watched_page)
    page = watched_page.page
    point = page.evaluate(
        """(uscc) => {
          const net = Object.values(window.liangxinMaps)[0];
          const id = net.body.data.nodes.getIds().find((n) => String(n).includes(uscc));
          const pos = net.canvasToDOM(net.getPositions([id])[id]);
          const box = net.body.container.getBoundingClientRect();
          return {x: box.left + pos.x, y: box.top + pos.y};
        }""",
        served_city.xss_uscc,
    )
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert XSS_NAME in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    screenshot(watched_page, "tooltip")
    _no_injected_markup(watched_page)
    _clean(watched_page)


@pytest.mark.parametrize("path", ["/diff", "/upload", "/reports"])
def test_other_pages_load_offline(watched_page: WatchedPage, path: str) -> None:
    _open(watched_page, path)
    screenshot(watched_page, path.strip("/"))
    _clean(watched_page)


def test_api_docs_render_from_local_files(watched_page: WatchedPage) -> None:
    """Swagger UI comes from this machine and shows the operations of the schema."""
    _open(watched_page, "/docs")
    page = watched_page.page
    page.wait_for_selector(".swagger-ui .opblock", timeout=MAP_TIMEOUT_MS)
    assert "两新图谱" in page.inner_text(".swagger-ui .info")
    assert page.locator(".swagger-ui .opblock").count() >= 10
    screenshot(watched_page, "docs")
    _clean(watched_page)


def test_report_downloads_from_the_page(
    watched_page: WatchedPage, served_city: ServedCity, tmp_path
) -> None:
    """A planner picks a chain and Word on 报告下载 and gets that chain's report as a file."""
    import docx

    _open(watched_page, "/reports")
    page = watched_page.page
    form = page.locator('form[action="/reports/chain"]')
    form.locator('select[name="chain"]').select_option(served_city.chain)
    form.locator('select[name="format"]').select_option("docx")
    with page.expect_download() as info:
        form.locator("button").click()
    download = info.value
    assert download.suggested_filename.startswith("产业链党建工作报告-")
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = docx.Document(str(saved))
    assert document.paragraphs[0].text.endswith("产业链党建工作报告")
    with page.expect_download() as info:
        page.locator('a[href="/reports/coverage.xlsx"]').click()
    assert info.value.suggested_filename.startswith("两新组织两个覆盖情况报告-")
    _clean(watched_page)
