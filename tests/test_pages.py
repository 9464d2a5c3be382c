"""The planners' HTML pages with TestClient: figures equal the analyses', links work, names escaped.

The tiny ledger's figures are worked out by hand (tests/tinyledger.py); the sample city checks
that every page renders on a realistic area and that its links lead to pages that answer.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.analysis.common import Params
from graph.build import build_graph
from graph.store.workspace import Workspace, source_checksum
from loaders import read_ledger
from loaders.sample import DEFAULT_AS_OF, generate_city
from tests.analysis_kit import graph_of, params
from tests.tinyledger import O1, O2, O4, O5, code, tiny, write_xlsx

AS_OF = "2026-11-01"
XSS = "<img src=x onerror=alert(1)>"
XSS_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
O6 = code(6)


# -- reading pages ------------------------------------------------------------------------------


class _Page(HTMLParser):
    """One page's tables (keyed by the heading before each), links in <main>, and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._in_main = True
        elif tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "table":
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        href = dict(attrs).get("href")
        if tag == "a" and href and self._in_main:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._rows is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag == "table" and self._rows is not None:
            self.tables[self.headings[-1] if self.headings else ""] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None:
            self._cell.append(data)


def page(client: TestClient, url: str, status: int = 200) -> tuple[_Page, str]:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:500])
    parsed = _Page()
    parsed.feed(response.text)
    assert_offline(response.text, url)
    return parsed, response.text


def table(parsed: _Page, heading_start: str) -> list[list[str]]:
    """The rows (heading row first) of the table under the heading that starts so."""
    found = [rows for heading, rows in parsed.tables.items() if heading.startswith(heading_start)]
    assert len(found) == 1, (heading_start, list(parsed.tables))
    return found[0]


def assert_offline(html: str, url: str = "") -> None:
    """No src, href or form action points outside the machine."""
    targets = re.findall(r"""(?:src|href|action)\s*=\s*["']?\s*([^"'\s>]*)""", html, flags=re.I)
    outside = [t for t in targets if t.lower().startswith(("http://", "https://", "//"))]
    assert not outside, (url, outside)


def pct(value: float) -> str:
    return f"{value:.2f}%"


# -- fixtures -----------------------------------------------------------------------------------


def _workspace(root: Path, *sheets_list: dict) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    ws = Workspace(root / "ws")
    for n, sheets in enumerate(sheets_list):
        path = write_xlsx(sheets, root / f"ledger{n}.xlsx")
        ws.save(
            read_ledger(path, today=dt.date(2026, 11, 1)),
            source=path,
            checksum=source_checksum(path),
            now=dt.datetime(2026, 9 + n, 1, 9, 0),
        )
    return ws


def _with_xss() -> dict:
    """The tiny ledger plus O6, named like a script injection: uncovered, 3 formal members in
    B1 (so it is the first finding, 应单独组建, and shows on the overview)."""
    sheets = tiny()
    sheets["组织"].append(
        {
            "统一社会信用代码": O6,
            "组织名称": XSS,
            "组织类型": "非公企业",
            "从业人员数": 15,
            "正式党员数": 3,
            "所在街道编码": "S1",
            "所在楼宇编码": "B1",
        }
    )
    return sheets


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The tiny ledger in a workspace (read only: the tests share it)."""
    ws = _workspace(tmp_path_factory.mktemp("tiny"), tiny())
    with TestClient(create_app(workspace=ws.root)) as client:
        yield client


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The sample city (500 organizations) in a workspace, twice: the second version has 20
    organizations without their Party organization and one named :data:`XSS`."""
    root = tmp_path_factory.mktemp("city")
    ws = Workspace(root / "ws")
    first = generate_city(500, seed=5)
    ws.save(first, source=root / "v1.xlsx", checksum="v1", now=dt.datetime(2026, 10, 1, 9))
    second = generate_city(500, seed=5)
    orgs = second.tables["organizations"]
    covered = orgs.index[orgs["party_org"].notna()]
    orgs.loc[covered[:20], "party_org"] = None
    target = orgs.index[orgs["building"].notna()][0]
    orgs.loc[target, "name"] = XSS
    ws.save(second, source=root / "v2.xlsx", checksum="v2", now=dt.datetime(2026, 11, 1, 9))
    with TestClient(create_app(workspace=ws.root)) as client:
        yield client, build_graph(second), build_graph(first), str(orgs.at[target, "uscc"])


# -- the tiny ledger, by hand -------------------------------------------------------------------


def test_overview_rates_are_the_coverage_by_kind(client):
    from graph.analysis.coverage import coverage

    parsed, _ = page(client, f"/?as_of={AS_OF}")
    rows = table(parsed, "两个覆盖率")
    assert rows[0][:6] == [
        "组织类型",
        "纳入统计的组织",
        "组织覆盖",
        "组织覆盖率",
        "工作覆盖",
        "工作覆盖率",
    ]
    # 非公企业: O1, O2, O4 count (O5 is a 僵尸企业); O1 and O2 covered, O4 has an instructor
    assert rows[1] == ["非公企业", "3", "2", "66.67%", "3", "100.00%", "1", "50.00%", "2"]
    assert rows[2] == ["社会组织", "1", "1", "100.00%", "1", "100.00%", "0", "0.00%", "1"]
    expected = coverage(graph_of(), "kind", params())
    assert [r[3] for r in rows[1:]] == [pct(v) for v in expected["org_rate"]]
    assert [r[5] for r in rows[1:]] == [pct(v) for v in expected["work_rate"]]


def test_overview_worst_places_findings_and_chain(client):
    from graph.analysis.flags import FLAG_CODES, flags

    parsed, html = page(client, f"/?as_of={AS_OF}")
    streets = table(parsed, "覆盖率最低的街道")
    assert streets[1][:5] == ["马坡岭街道", "非公企业", "1", "0", "0.00%"]  # O4 uncovered
    assert table(parsed, "覆盖率最低的产业链")[1][:5] == [
        "工程机械",
        "非公企业",
        "1",
        "1",
        "100.00%",
    ]
    counts = flags(graph_of(), params())["code"].value_counts()
    for flag, label in FLAG_CODES.items():
        assert f'<span class="count">{counts.get(flag, 0)}</span> {label}' in html
    shown = table(parsed, "需要处理的问题")
    assert shown[1][:4] == ["50人以上无党员", O4, "丁物流有限公司", "马坡岭街道"]
    assert any(r[:2] == ["换届逾期", "PO-A"] for r in shown)
    assert f"/streets/S2?as_of={AS_OF}" in parsed.links
    assert f"/chains/C1?as_of={AS_OF}" in parsed.links
    assert f"/orgs/{O4}?as_of={AS_OF}" in parsed.links


def test_overview_links_lead_to_pages(client):
    parsed, _ = page(client, f"/?as_of={AS_OF}")
    assert parsed.links
    for link in dict.fromkeys(parsed.links):
        page(client, link)
    for own in ("/plan", "/pairing", "/diff", "/search?q=东湖"):
        page(client, own)


def test_street_page(client):
    parsed, html = page(client, f"/streets/S1?as_of={AS_OF}")
    assert "东湖街道" in parsed.headings[0]
    rates = table(parsed, "两个覆盖率")
    assert rates[1][:5] == ["非公企业", "2", "2", "100.00%", "2"]  # O1 own, O2 joint
    assert rates[2][:5] == ["社会组织", "1", "1", "100.00%", "1"]  # O3 joint
    assert table(parsed, "各楼宇")[1][:5] == ["东湖大厦", "非公企业", "2", "2", "100.00%"]
    orgs = table(parsed, "组织（3 个）")
    assert [r[0] for r in orgs[1:]] == [
        "乙科技有限公司",
        "丙社会工作服务中心",
        "甲工程机械有限公司",
    ]
    assert orgs[1][-1] == "联合党组织覆盖" and orgs[3][-1] == "单独建立党组织"
    assert "没有尚未覆盖的组织群" in html
    found = {(r[0], r[1]) for r in table(parsed, "需要处理的问题")[1:]}
    assert found == {("换届逾期", "PO-A"), ("软弱涣散", "PO-J"), ("未结对共建", "PO-J")}
    assert f"/plan?street=S1&amp;as_of={AS_OF}" in html


def test_street_with_a_cluster_and_district(client):
    parsed, _ = page(client, "/streets/S2")
    cluster = table(parsed, "尚未覆盖的组织群")
    # O4 alone, no formal member: only the street's 综合党委 could take it (兜底)
    assert cluster[1][2:7] == ["1", "0", "否", "兜底组建", "丁物流有限公司"]
    orgs = table(parsed, "组织（1 个）")
    assert orgs[1][0] == "丁物流有限公司" and orgs[1][-1] == "仅党的工作覆盖"

    parsed, _ = page(client, "/districts/%E8%8A%99%E8%93%89%E5%8C%BA")  # 芙蓉区
    rates = table(parsed, "两个覆盖率")
    assert rates[1][:4] == ["非公企业", "3", "2", "66.67%"]
    assert [r[0] for r in table(parsed, "各街道")[1:]] == ["马坡岭街道", "东湖街道", "东湖街道"]
    assert len(table(parsed, "组织（4 个）")) == 5


def test_building_and_park_pages(client):
    parsed, _ = page(client, "/buildings/B1")
    assert [r[0] for r in table(parsed, "组织（2 个）")[1:]] == [
        "乙科技有限公司",
        "甲工程机械有限公司",
    ]
    assert parsed.links[:2] == ["/districts/%E8%8A%99%E8%93%89%E5%8C%BA", "/streets/S1"]
    parsed, html = page(client, "/parks/P1")
    assert "这个园区没有计入统计的组织" in html  # O5 is a 僵尸企业
    assert table(parsed, "组织（1 个）")[1][-1] == "不计入统计（僵尸企业）"


def test_chain_page(client):
    from graph.analysis.chains import chain_findings

    parsed, html = page(client, f"/chains/C1?as_of={AS_OF}")
    assert "长沙高新区党工委" in html and "工程机械产业链党委" in html
    assert "三方进入缺少：协会联盟" in html
    levels = table(parsed, "三级体系")
    assert levels[1] == ["甲公司党支部", "功能型", "甲工程机械有限公司"]
    segments = table(parsed, "各环节覆盖")
    assert segments[1] == ["上游", "关键零部件", "1", "1", "1", "100.00%"]
    assert segments[2] == ["中游", "整机制造", "0", "0", "0", "—"]
    findings = table(parsed, "薄弱环节")
    expected = chain_findings(graph_of(), "C1", params())
    assert [r[1] for r in findings[1:]] == list(expected["code_label"])
    assert table(parsed, "龙头领建候选企业")[1][1] == "甲工程机械有限公司"


def test_org_pages(client):
    parsed, html = page(client, f"/orgs/{O4.lower()}?as_of={AS_OF}")
    assert parsed.headings[0] == "丁物流有限公司"
    assert "仅党的工作覆盖" in html and "张敏（专职）" in html
    assert "选派党建指导员（张敏）" in html
    assert table(parsed, "问题")[1][0] == "50人以上无党员"
    # 丁 has no formal member (the note says so) and the only branch nearby, PO-J, has no
    # secretary (软弱涣散): it takes no one, so no partner is offered
    assert "没有正式党员，暂不能加入党组织" in html
    assert "联合组建伙伴" in html and "PO-J" not in html.split("联合组建伙伴", 1)[1]

    _, html = page(client, f"/orgs/{O1}")
    assert "单独建立党组织" in html and "已有党组织覆盖，方案不涉及。" in html
    assert "甲公司党支部（党支部，单独组建，党员 5 名）" in html

    _, html = page(client, f"/orgs/{O5}")  # 僵尸企业: no partners, said why
    assert "经营状态为“僵尸企业”" in html and "不计入统计范围，方案不涉及。" in html


def test_plan_page(client):
    from graph.analysis.plan import plan

    parsed, _ = page(client, "/plan")
    expected = plan(graph_of(), params()).rates
    rates = table(parsed, "方案实施前后的覆盖率")
    assert [r[2] for r in rates[1:]] == [pct(v) for v in expected["org_rate_now"]]
    assert [r[3] for r in rates[1:]] == [pct(v) for v in expected["org_rate_after"]]
    assert table(parsed, "选派指导员")[1][:3] == ["丁物流有限公司", "马坡岭街道", "60"]
    parsed, html = page(client, "/plan?street=S1")
    assert "选派指导员、发展党员（0 个）" in html and 'value="S1" selected' in html


def test_pairing_page(client):
    parsed, html = page(client, "/pairing")
    assert '<span class="figure">50.00%</span>' in html  # PO-A paired, PO-J not
    unpaired = table(parsed, "未结对的两新党组织")
    assert unpaired[1][0] == "东湖大厦联合党支部" and unpaired[1][4] == "市工信局机关党支部"
    assert table(parsed, "按共建类型")[1] == ["机关—两新", "1", "1"]


def test_diff_page_with_one_and_two_versions(tmp_path):
    from graph.analysis.diff import diff

    later = tiny()
    later["组织"][1].pop("覆盖党组织编码")  # O2 loses its branch
    ws = _workspace(tmp_path, tiny())
    with TestClient(create_app(workspace=ws.root)) as client:
        _, html = page(client, "/diff")
        assert "只有一个版本" in html
    ws = _workspace(tmp_path / "two", tiny(), later)
    with TestClient(create_app(workspace=ws.root)) as client:
        parsed, html = page(client, "/diff")
        versions = [v.id for v in ws.versions()]
        assert f'<option value="{versions[0]}" selected>' in html
        headline = table(parsed, "两类组织覆盖率")
        expected = diff(graph_of(), graph_of(later), Params())
        assert headline[1] == ["非公企业", "3", "3", "66.67%", "33.33%", "-33.34"]
        assert headline[1][5] == f"{expected.headline['org_rate_change'][0]:+.2f}"
        uncovered = table(parsed, "新出现的未覆盖组织")
        assert uncovered[1][0] == "乙科技有限公司" and "本期未覆盖" in uncovered[1][3]
        assert table(parsed, "覆盖率有变化的街道")[1][:5] == [
            "东湖街道",
            "非公企业",
            "100.00%",
            "50.00%",
            "-50.00",
        ]
        page(client, f"/diff?from={versions[1]}&to={versions[0]}")
        assert client.get("/diff?from=19990101").status_code == 404


def test_diff_page_lists_moves_and_scope_changes(tmp_path):
    """The rows behind the street rates: O2 moved, O4 注销 (left), O5 正常 again (entered)."""
    from tests.test_diff import tiny_next_month

    ws = _workspace(tmp_path, tiny(), tiny_next_month())
    with TestClient(create_app(workspace=ws.root)) as client:
        parsed, html = page(client, "/diff")
        moved = table(parsed, "迁移的组织（1 个")
        assert moved[0] == [
            *("组织名称", "组织类型", "变化情况"),
            *("上期有党组织覆盖", "本期有党组织覆盖"),
        ]
        assert moved[1] == [
            "乙科技有限公司",
            "非公企业",
            "街道：东湖街道 → 马坡岭街道；楼宇：东湖大厦 → 马坡岭产业园",
            "是",
            "是",
        ]
        left = table(parsed, "移出统计范围的组织（1 个")
        assert left[1][:3] == ["丁物流有限公司", "非公企业", "马坡岭街道"]
        assert left[1][4] == "经营状态由正常变为注销，不再纳入统计"
        entered = table(parsed, "纳入统计范围的组织（1 个")
        assert entered[1][0] == "戊机械配件厂" and "僵尸企业" in entered[1][4]
        assert f'href="/orgs/{O2}"' in html and 'href="/streets/S3"' in html


def test_diff_page_without_a_workspace(tmp_path):
    path = write_xlsx(tiny(), tmp_path / "tiny.xlsx")
    with TestClient(create_app(ledger=path)) as client:
        _, html = page(client, "/diff")
        assert "没有工作区版本可比较" in html


def test_search_page_and_json(client):
    parsed, html = page(client, "/search?q=东湖")
    assert [r[:3] for r in table(parsed, "搜索“东湖”")[1:]] == [
        ["街道", "东湖街道", "S1"],
        ["楼宇", "东湖大厦", "B1"],
    ]
    assert parsed.links == ["/streets/S1", "/buildings/B1"]
    body = client.get("/api/search", params={"q": O1[:10].lower()}).json()
    assert body["query"] == O1[:10].lower()
    assert {h["code"] for h in body["hits"]} == {O1, O2, O4, O5}
    hit = client.get("/api/search", params={"q": "甲工程"}).json()["hits"][0]
    assert hit == {
        "kind": "org",
        "kind_label": "组织",
        "code": O1,
        "name": "甲工程机械有限公司",
        "place": "芙蓉区 / 东湖街道 / 东湖大厦",
        "url": f"/orgs/{O1}",
    }
    assert client.get("/api/search", params={"q": "火星"}).json()["hits"] == []
    assert client.get("/api/search", params={"q": "东", "limit": 0}).status_code == 422
    _, html = page(client, "/search?q=")
    assert "请在上方输入" in html


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/streets/NOPE", "NOPE"),
        ("/districts/火星区", "火星区"),
        ("/buildings/NOPE", "NOPE"),
        ("/parks/NOPE", "NOPE"),
        ("/chains/NOPE", "NOPE"),
        ("/orgs/91430100ma000000xx", "91430100MA000000XX"),
        ("/plan?street=NOPE", "NOPE"),
        ("/pairing?street=NOPE", "NOPE"),
    ],
)
def test_unknown_codes_are_404_in_chinese(client, url, shown):
    response = client.get(url)
    assert response.status_code == 404
    assert "找不到" in response.text and f"“{shown}”" in response.text


def test_a_name_like_a_script_is_escaped_everywhere(tmp_path):
    ws = _workspace(tmp_path, _with_xss())
    with TestClient(create_app(workspace=ws.root)) as client:
        for url in (f"/?as_of={AS_OF}", "/streets/S1", "/buildings/B1", f"/orgs/{O6}"):
            _, html = page(client, url)
            assert XSS_ESCAPED in html, url
            assert "<img" not in html, url
        _, html = page(client, "/search?q=onerror")
        assert XSS_ESCAPED in html and "<img" not in html
        assert client.get("/api/search", params={"q": "onerror"}).json()["hits"][0]["name"] == XSS


# -- the sample city ----------------------------------------------------------------------------


def test_city_overview_equals_the_analyses_and_its_links_answer(city):
    from graph.analysis.coverage import coverage

    client, graph, _, _ = city
    as_of = DEFAULT_AS_OF.isoformat()
    parsed, _ = page(client, f"/?as_of={as_of}")
    expected = coverage(graph, "kind", Params(as_of=DEFAULT_AS_OF))
    rows = table(parsed, "两个覆盖率")
    assert [r[1] for r in rows[1:]] == [f"{v:,}" for v in expected["total"]]
    assert [r[3] for r in rows[1:]] == [pct(v) for v in expected["org_rate"]]
    assert [r[5] for r in rows[1:]] == [pct(v) for v in expected["work_rate"]]
    worst = coverage(graph, "street", Params(as_of=DEFAULT_AS_OF)).head(10)
    assert [r[0] for r in table(parsed, "覆盖率最低的街道")[1:]] == list(worst["group_name"])
    links = list(dict.fromkeys(parsed.links))
    kinds = {urlsplit(link).path.split("/")[1] for link in links}
    assert {"streets", "chains", "orgs"} <= kinds
    for link in links:
        page(client, link)


def test_city_every_page_answers(city):
    from graph.analysis.chains import segment_coverage
    from graph.analysis.common import org_table
    from graph.analysis.coverage import coverage
    from graph.analysis.diff import diff
    from graph.analysis.pairing import pairing

    client, graph, first, _ = city
    orgs = org_table(graph)
    some = orgs[orgs["building"].notna() & orgs["park"].notna() & orgs["chain"].notna()].iloc[0]
    for kind, path in (
        ("district", "districts"),
        ("street", "streets"),
        ("building", "buildings"),
        ("park", "parks"),
    ):
        parsed, _ = page(client, f"/{path}/{some[kind]}")
        rates = coverage(graph, kind, Params())
        rates = rates[rates["group"] == some[kind]]
        shown = table(parsed, "两个覆盖率")[1:]
        assert [(r[0], r[1], r[3]) for r in shown] == [
            (k, f"{t:,}", pct(v))
            for k, t, v in zip(rates["kind"], rates["total"], rates["org_rate"], strict=True)
        ]
        assert f"组织（{int((orgs[kind] == some[kind]).sum())} 个）" in parsed.headings
    parsed, _ = page(client, f"/chains/{some['chain']}")
    segments = segment_coverage(graph, some["chain"], Params())
    assert [r[1] for r in table(parsed, "各环节覆盖")[1:]] == list(segments["name"])
    _, html = page(client, f"/orgs/{some['uscc']}")
    assert str(some["name"]) in html
    page(client, f"/plan?street={some['street']}")
    page(client, f"/pairing?street={some['street']}")
    _, html = page(client, "/pairing")
    assert f'<span class="figure">{pct(pairing(graph, Params()).paired_rate)}</span>' in html
    parsed, _ = page(client, "/diff")
    expected = diff(first, graph, Params())
    headline = table(parsed, "两类组织覆盖率")
    assert [r[5] for r in headline[1:]] == [
        f"{v:+.2f}" for v in expected.headline["org_rate_change"]
    ]
    assert f"新出现的未覆盖组织（{len(expected.newly_uncovered)} 个）" in parsed.headings


def test_city_name_like_a_script_is_escaped(city):
    client, graph, _, uscc = city
    street = graph.nodes[f"org:{uscc}"]["street"]
    for url in (f"/orgs/{uscc}", f"/streets/{street}", "/search?q=onerror"):
        _, html = page(client, url)
        assert XSS_ESCAPED in html and "<img" not in html, url
