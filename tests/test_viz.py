"""The maps (viz.maps) and their HTML (viz.render): what each map shows on the tiny ledger,
worked out by hand, the node cap on a 20,000-organization city, and that nothing a ledger
holds can run as script or make a page reach outside the machine."""

from __future__ import annotations

import hashlib
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import viz.mapdata
from graph.analysis.common import COVERAGE_LABELS, Params, org_table
from graph.analysis.partners import partners
from graph.build import build_graph
from graph.errors import LiangxinError, NotFound
from loaders.sample import DEFAULT_AS_OF, generate_city
from tests.analysis_kit import graph_of, params
from tests.browser import XSS_NAME
from tests.tinyledger import O1, O2, O3, O4, O5, Sheets, code, tiny
from viz.mapdata import MAX_NODES, NetworkMap
from viz.maps import (
    COVERAGE_COLORS,
    PAIRING_COLORS,
    SEVERITY_COLORS,
    chain_map,
    pairing_map,
    partner_map,
    plan_map,
    region_map,
)
from viz.render import STATIC_DIR, STATIC_FILES, map_block, map_json, standalone_html

O6, O7, O8, O9, O10 = code(6), code(7), code(8), code(9), code(10)


def link(kind: str, code: str) -> str:
    return f"/{kind}/{code}"


def more() -> Sheets:
    """The tiny ledger plus uncovered organizations the plan and the clusters act on.

    O6 己 (1 formal) and O7 庚 (2) in B2 beside O4: the building's cluster reaches 3 formal
    members (楼宇共建, the plan's group NEW-S2-01 of O6 and O7; O4 has none and gets an
    instructor); O8 辛 (1) in B1 joins PO-J, which has room (楼宇共建 attachment); O9 壬 (3)
    in S3 should form its own; O10 癸 (0) in a new 下游 segment G3; O5 戊 is 正常 again
    (中游, in P1, supplied by O1: the lead 甲's branch PO-A takes it in, 龙头领建).
    """
    sheets = tiny()
    rows = sheets["组织"]
    rows[4]["经营状态"] = "正常"

    def add(uscc: str, name: str, formal: int, street: str, **extra: object) -> None:
        row: dict[str, object] = {
            "统一社会信用代码": uscc,
            "组织名称": name,
            "组织类型": "非公企业",
            "从业人员数": 15,
            "正式党员数": formal,
            "所在街道编码": street,
        }
        rows.append({**row, **extra})

    add(O6, "己电子有限公司", 1, "S2", 所在楼宇编码="B2")
    add(O7, "庚软件有限公司", 2, "S2", 所在楼宇编码="B2")
    add(O8, "辛咨询有限公司", 1, "S1", 所在楼宇编码="B1")
    add(O9, "壬建筑有限公司", 3, "S3")
    add(O10, "癸运输有限公司", 0, "S2", 产业链环节编码="G3")
    sheets["产业链环节"].append(
        {"环节编码": "G3", "产业链编码": "C1", "环节名称": "售后服务", "位置": "下游", "顺序": 3}
    )
    return sheets


@pytest.fixture(scope="module")
def tiny_graph() -> nx.MultiDiGraph:
    return graph_of()


@pytest.fixture(scope="module")
def more_graph() -> nx.MultiDiGraph:
    return graph_of(more())


def nodes(m: NetworkMap) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in m.nodes}


def edges(m: NetworkMap) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["from"], e["to"]): e for e in m.edges}


def background(node: dict[str, Any]) -> str:
    color = node["color"]
    return color["background"] if isinstance(color, dict) else color


def border(node: dict[str, Any]) -> str | None:
    color = node["color"]
    return color.get("border") if isinstance(color, dict) else None


def org(uscc: str) -> str:
    return f"org:{uscc}"


# ---------------------------------------------------------------------------------------------
# 1. region_map on the tiny ledger


def test_region_map_draws_every_place_and_the_organizations_in_scope(tiny_graph):
    m = region_map(tiny_graph, params(), link=link)
    assert set(nodes(m)) == {
        "district:芙蓉区",
        "district:岳麓区",
        "street:S1",
        "street:S2",
        "street:S3",
        "building:B1",
        "building:B2",
        "park:P1",
        "po:PO-S1",
        org(O1),
        org(O2),
        org(O3),
        org(O4),
    }
    assert not m.aggregated
    found = edges(m)
    # organizations hang on their building, else their street; places on their parents
    for pair in [
        ("building:B1", org(O1)),
        ("building:B1", org(O2)),
        ("street:S1", org(O3)),
        ("building:B2", org(O4)),
        ("street:S1", "building:B1"),
        ("district:芙蓉区", "street:S2"),
        ("district:岳麓区", "street:S3"),
        ("district:岳麓区", "park:P1"),
    ]:
        assert pair in found
    o1 = nodes(m)[org(O1)]
    assert o1["label"] == "甲工程机械有限公司"
    assert o1["url"] == f"/org/{O1}"
    assert O1 in o1["search"] and "甲工程机械有限公司" in o1["search"]
    assert "单独建立党组织" in o1["title"] and "从业人员 120 人" in o1["title"]
    assert nodes(m)["street:S1"]["url"] == "/street/S1"


@pytest.mark.parametrize(
    ("uscc", "state"), [(O1, "own"), (O2, "joint"), (O3, "joint"), (O4, "work"), (O6, "none")]
)
def test_region_map_colours_organizations_by_coverage(more_graph, uscc, state):
    node = nodes(region_map(more_graph, params()))[org(uscc)]
    assert background(node) == COVERAGE_COLORS[state]
    assert f"覆盖状态：{COVERAGE_LABELS[state]}" in node["title"]


def test_region_map_hides_cleared_organizations_and_says_so(tiny_graph):
    m = region_map(tiny_graph, params())
    assert org(O5) not in nodes(m)  # 戊 is a 僵尸企业
    assert "已隐藏不计入统计的组织 1 家" in m.note


def test_region_map_places_by_coordinates(tiny_graph):
    # O4 has its own coordinates (113.01, 28.19), B1 its building's (113.05, 28.20): O4 is
    # west and south of B1, projected linearly with a kilometre as long either way.
    m = nodes(region_map(tiny_graph, params()))
    o4, b1 = m[org(O4)], m["building:B1"]
    assert o4["x"] < b1["x"] and o4["y"] > b1["y"]
    ratio = (b1["x"] - o4["x"]) / (o4["y"] - b1["y"])
    assert ratio == pytest.approx(0.04 * math.cos(math.radians(28.195)) / 0.01, rel=1e-3)


def test_region_map_is_deterministic(more_graph):
    assert map_json(region_map(more_graph, params())) == map_json(
        region_map(graph_of(more()), params())
    )


def test_region_map_hangs_the_street_committee_on_its_street(tiny_graph):
    m = region_map(tiny_graph, params())
    committee = nodes(m)["po:PO-S1"]
    assert committee["label"] == "东湖街道两新综合党委"
    assert committee["shape"] == "triangle"
    assert edges(m)[("street:S1", "po:PO-S1")]["dashes"] is True


def test_region_map_marks_uncovered_clusters(more_graph):
    m = region_map(more_graph, params())
    hub = nodes(m)["cluster:building:B2"]  # O4, O6, O7 in 马坡岭产业园: 0 + 1 + 2 members
    assert hub["label"] == "楼宇共建·3家"
    assert "可联合组建" in hub["title"] and "马坡岭产业园" in hub["title"]
    for uscc in (O4, O6, O7):
        assert edges(m)[("cluster:building:B2", org(uscc))]["dashes"] is True
        assert "建议楼宇共建" in nodes(m)[org(uscc)]["title"]


@pytest.mark.parametrize(
    ("scope", "root", "organizations"),
    [
        ({"street": "S1"}, "street:S1", {O1, O2, O3, O8}),
        ({"building": "B1"}, "street:S1", {O1, O2, O8}),
        ({"district": "岳麓区"}, "district:岳麓区", {O5, O9}),
        ({"park": "P1"}, "park:P1", {O5}),
    ],
)
def test_region_map_scopes(more_graph, scope, root, organizations):
    m = region_map(more_graph, params(), **scope)
    assert {n[4:] for n in nodes(m) if n.startswith("org:")} == organizations
    assert root in nodes(m)
    assert m.title.startswith("区域党建覆盖图 · ")


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ({"street": "S9"}, "台账中没有街道编码“S9”"),
        ({"building": "B9"}, "台账中没有楼宇编码“B9”"),
        ({"park": "P9"}, "台账中没有园区编码“P9”"),
        ({"district": "雨花区"}, "台账中没有区县“雨花区”"),
    ],
)
def test_region_map_unknown_place_is_not_found(tiny_graph, scope, message):
    with pytest.raises(NotFound) as raised:
        region_map(tiny_graph, params(), **scope)
    assert message in raised.value.message


def test_region_map_folds_organizations_into_places(tiny_graph, monkeypatch):
    # 8 places + 1 committee + 4 organizations = 13 nodes: over a cap of 12, the places stay
    monkeypatch.setattr(viz.mapdata, "MAX_NODES", 12)
    m = region_map(tiny_graph, params(), link=link)
    assert m.aggregated and "已按楼宇/街道汇总" in m.note
    assert len(m.nodes) == 9 and not any(n.startswith("org:") for n in nodes(m))
    b1, b2 = nodes(m)["building:B1"], nodes(m)["building:B2"]
    assert b1["label"] == "东湖大厦 (2家，未覆盖0)"
    assert b2["label"] == "马坡岭产业园 (1家，未覆盖1)"
    assert b1["url"] == "/building/B1"
    assert nodes(m)["street:S1"]["label"] == "东湖街道 (3家，未覆盖0)"


# ---------------------------------------------------------------------------------------------
# 2. chain_map


def chain_sheets() -> Sheets:
    """``more()`` with O2 乙 in G1 under PO-J, now subordinate to the chain committee (formal),
    and O6 己 in G2 covered by PO-K, a branch under the street (detached)."""
    sheets = more()
    rows = {r["统一社会信用代码"]: r for r in sheets["组织"]}
    rows[O2]["产业链环节编码"] = "G1"
    rows[O6].update({"产业链环节编码": "G2", "覆盖党组织编码": "PO-K", "正式党员数": 3})
    pos = {r["党组织编码"]: r for r in sheets["党组织"]}
    pos["PO-J"]["上级党组织编码"] = "PO-CHAIN"
    sheets["党组织"].append(
        {
            "党组织编码": "PO-K",
            "党组织名称": "己公司党支部",
            "组织层级": "党支部",
            "党组织类别": "企业党组织",
            "组建方式": "单独组建",
            "党员数": 3,
            "上级党组织编码": "PO-S1",
            "所属街道编码": "S2",
            "最近组织生活日期": "2026-10-01",
        }
    )
    return sheets


@pytest.fixture(scope="module")
def chain_graph() -> nx.MultiDiGraph:
    return graph_of(chain_sheets())


def test_chain_map_draws_three_levels_top_down(tiny_graph):
    m = chain_map(tiny_graph, "C1", params(), link=link)
    n = nodes(m)
    park, committee, branch = n["po:PO-PARK"], n["po:PO-CHAIN"], n["po:PO-A"]
    assert park["y"] < committee["y"] < branch["y"] < n[org(O1)]["y"]
    found = edges(m)
    assert ("po:PO-PARK", "po:PO-CHAIN") in found
    assert found[("po:PO-CHAIN", "po:PO-A")]["dashes"] is True  # 功能型: O1 sits on it
    assert ("po:PO-A", org(O1)) in found
    assert committee["url"] == "/chain/C1"
    units = sorted(v["label"] for k, v in n.items() if k.startswith("unit:"))
    assert units == ["市工业和信息化局", "甲工程机械有限公司"]


def test_chain_map_orders_segments_upstream_to_downstream(more_graph):
    n = nodes(chain_map(more_graph, "C1", params()))
    assert n["segment:G1"]["x"] < n["segment:G2"]["x"] < n["segment:G3"]["x"]
    assert n[org(O1)]["x"] < n[org(O5)]["x"] < n[org(O10)]["x"]  # 上游, 中游, 下游
    assert n["segment:G1"]["label"].startswith("上游·关键零部件")


def test_chain_map_formal_solid_functional_dashed_detached_unlinked(chain_graph):
    m = chain_map(chain_graph, "C1", params())
    found = edges(m)
    assert not found[("po:PO-CHAIN", "po:PO-J")].get("dashes")  # 隶属
    assert found[("po:PO-CHAIN", "po:PO-A")]["dashes"] is True  # 功能型
    assert not any(b == "po:PO-K" and a.startswith("po:") for a, b in found)  # 未纳入
    detached = nodes(m)["po:PO-K"]
    assert border(detached) == SEVERITY_COLORS["中"]  # its finding's severity
    assert detached["shapeProperties"] == {"borderDashes": [5, 4]}
    assert "与产业链党委的关系：未纳入" in detached["title"]
    assert "【企业党组织未纳入产业链党委·中】" in detached["title"]


def test_chain_map_puts_findings_in_tooltips(more_graph):
    n = nodes(chain_map(more_graph, "C1", params()))
    committee = n["po:PO-CHAIN"]
    assert "【三方进入缺项·中】" in committee["title"] and "协会联盟" in committee["title"]
    # its organisational-life date is blank: no evidence, not 软弱涣散 (issue 11 item 9)
    assert "软弱涣散" not in committee["title"]
    assert border(committee) == SEVERITY_COLORS["中"]  # the worst of its findings
    assert "【环节仅一家覆盖·中】" in n["segment:G1"]["title"]
    assert "【环节无党组织覆盖·高】" in n["segment:G2"]["title"]
    assert border(n["segment:G2"]) == SEVERITY_COLORS["高"]


def test_chain_map_draws_supply_links_as_arrows(more_graph):
    supply = edges(chain_map(more_graph, "C1", params()))[(org(O1), org(O5))]
    assert supply["arrows"] == "to" and "上下游配套" in supply["title"]


def test_chain_map_marks_a_missing_committee(tiny_graph):
    sheets = tiny()
    sheets["党组织"] = [r for r in sheets["党组织"] if r["党组织编码"] != "PO-CHAIN"]
    sheets["产业链党委成员"] = []
    m = chain_map(graph_of(sheets), "C1", params())
    ghost = nodes(m)["missing:C1"]
    assert ghost["label"] == "（未建产业链党委）"
    assert "【未建产业链党委·高】" in ghost["title"]


def test_chain_map_unknown_chain_is_not_found(tiny_graph):
    with pytest.raises(NotFound):
        chain_map(tiny_graph, "C9", params())


def test_chain_map_folds_organizations_into_segments(more_graph, monkeypatch):
    monkeypatch.setattr(viz.mapdata, "MAX_NODES", 12)
    m = chain_map(more_graph, "C1", params())
    assert m.aggregated and len(m.nodes) <= 12
    assert not any(n.startswith("org:") for n in nodes(m))
    assert ("po:PO-A", "segment:G1") in edges(m)  # PO-A covers O1 in G1
    assert ("segment:G1", "segment:G2") in edges(m)  # O1 supplies O5


# ---------------------------------------------------------------------------------------------
# 3. partner_map


def test_partner_map_centre_and_ranked_partners(more_graph):
    m = partner_map(more_graph, O6, params(), link=link)
    ranked = partners(more_graph, O6, 10, params())
    n = nodes(m)
    centre = n[org(O6)]
    assert (centre["x"], centre["y"]) == (0.0, 0.0)
    kinds = {"organization": "org", "party_org": "po"}
    expected = [
        f"{kinds[k]}:{c}"
        for k, c in zip(ranked["candidate_kind"], ranked["candidate"], strict=True)
    ]
    assert expected[0] == org(O7)  # same building, 3 formal members together
    assert all(key in n for key in expected)
    assert n[expected[0]]["label"].startswith("1. ")

    def reach(key: str) -> float:
        return math.hypot(n[key]["x"], n[key]["y"])

    assert reach(expected[0]) < reach(expected[-1])  # better partners sit nearer
    widths = [edges(m)[(org(O6), key)]["width"] for key in expected]
    assert widths == sorted(widths, reverse=True)
    assert "得分" in n[expected[0]]["title"] and "同在马坡岭产业园" in n[expected[0]]["title"]


def test_partner_map_marks_the_proposed_group(more_graph):
    m = partner_map(more_graph, O6, params())
    hub = nodes(m)["group:NEW-S2-01"]
    assert hub["label"] == "拟楼宇共建·2家"
    assert edges(m)[("group:NEW-S2-01", org(O6))]["dashes"] is True
    assert ("group:NEW-S2-01", org(O7)) in edges(m)
    assert "NEW-S2-01" in m.note


def test_partner_map_marks_an_attachment(more_graph):
    # PO-J, the branch of B1, has no secretary (软弱涣散) and takes no one: 辛 falls back to
    # the street's 综合党委 (兜底组建)
    m = partner_map(more_graph, O8, params())
    join = edges(m)[(org(O8), "po:PO-S1")]
    assert join["arrows"] == "to" and "兜底组建" in join["title"]
    assert "拟并入“东湖街道两新综合党委”" in m.note


def test_partner_map_refuses_unknown_and_cleared(tiny_graph):
    with pytest.raises(NotFound):
        partner_map(tiny_graph, code(99), params())
    with pytest.raises(LiangxinError, match="僵尸企业"):
        partner_map(tiny_graph, O5, params())


# ---------------------------------------------------------------------------------------------
# 4. plan_map


def test_plan_map_groups_attachments_and_standalone(more_graph):
    m = plan_map(more_graph, params(), link=link)
    n, found = nodes(m), edges(m)
    hub = n["group:NEW-S2-01"]
    assert hub["shape"] == "star" and hub["label"] == "楼宇共建·2家"
    assert {b for a, b in found if a == "group:NEW-S2-01"} == {org(O6), org(O7)}
    assert found[(org(O8), "po:PO-S1")]["arrows"] == "to"  # PO-J is 软弱涣散: 辛 falls back
    assert n[org(O9)]["shape"] == "square" and "单独组建" in n[org(O9)]["title"]
    # 戊 supplies 甲, the chain's lead: 甲's branch PO-A takes it in (龙头领建), though 戊 sits
    # in a street with no 综合党委; 丁 and 癸 have no member: instructors
    assert found[(org(O5), "po:PO-A")]["arrows"] == "to"
    assert not {org(O4), org(O10)} & set(n)
    assert "另有 2 家暂不具备组建条件" in m.note
    assert n["street:S2"]["url"] == "/street/S2"


def test_plan_map_one_street(more_graph):
    m = plan_map(more_graph, params(), street="S2")
    assert {k for k in nodes(m) if not k.startswith("street:")} == {
        "group:NEW-S2-01",
        org(O6),
        org(O7),
    }
    with pytest.raises(NotFound):
        plan_map(more_graph, params(), street="S9")


# ---------------------------------------------------------------------------------------------
# 5. pairing_map


def test_pairing_map_pairings_and_unpaired(tiny_graph):
    m = pairing_map(tiny_graph, params())
    n, found = nodes(m), edges(m)
    pair = found.get(("po:PO-A", "po:PO-GOV")) or found[("po:PO-GOV", "po:PO-A")]
    assert pair["color"] == PAIRING_COLORS["机关—两新"] and "机关—两新" in pair["title"]
    lonely = n["po:PO-J"]  # 东湖大厦联合党支部 has no partner
    assert border(lonely) == "#c62828" and "尚未结对共建" in lonely["title"]
    hint = found[("po:PO-J", "po:PO-GOV")]  # the first suggestion
    assert hint["dashes"] is True and "建议结对" in hint["title"]
    assert n["po:PO-A"]["shape"] == "dot" and n["po:PO-GOV"]["shape"] == "square"
    assert "两新党组织 2 个，已结对 1 个" in m.note


def test_pairing_map_one_street(tiny_graph):
    assert set(nodes(pairing_map(tiny_graph, params(), street="S2"))) == set()
    assert "po:PO-A" in nodes(pairing_map(tiny_graph, params(), street="S1"))


# ---------------------------------------------------------------------------------------------
# Every map: its legend describes every look it uses


def all_maps(g: nx.MultiDiGraph) -> list[NetworkMap]:
    p = params()
    return [
        region_map(g, p),
        chain_map(g, "C1", p),
        partner_map(g, O6, p),
        plan_map(g, p),
        pairing_map(g, p),
    ]


def test_every_map_has_a_legend_for_what_it_draws(more_graph, chain_graph, monkeypatch):
    drawn = [*all_maps(more_graph), chain_map(chain_graph, "C1", params())]
    monkeypatch.setattr(viz.mapdata, "MAX_NODES", 5)
    drawn += [region_map(more_graph, params()), pairing_map(more_graph, params())]
    for m in drawn:
        colors = {item.color for item in m.legend}
        shapes = {item.shape for item in m.legend}
        lines = {(item.color, item.dashes) for item in m.legend if item.shape == "line"}
        for node in m.nodes:
            assert background(node) in colors, (m.title, node["id"])
            assert border(node) in colors | {None, "#212121"}, (m.title, node["id"])
            assert node["shape"] in shapes, (m.title, node["id"])
        for edge in m.edges:
            assert (edge["color"], bool(edge.get("dashes"))) in lines, (m.title, edge)


def test_every_map_is_deterministic(more_graph):
    again = graph_of(more())
    for first, second in zip(all_maps(more_graph), all_maps(again), strict=True):
        assert map_json(first) == map_json(second), first.title


def test_maps_of_a_scope_without_organizations(tiny_graph):
    p = params(min_employees_enterprise=10_000, min_employees_social=10_000)
    region = region_map(tiny_graph, p)
    assert not any(n.startswith("org:") for n in nodes(region)) and len(region.nodes) == 9
    assert "已隐藏不计入统计的组织 5 家" in region.note
    chain = chain_map(tiny_graph, "C1", p)
    assert chain.note.startswith("链上组织 0 家")
    assert plan_map(tiny_graph, p).nodes == []
    assert "nan" not in pairing_map(tiny_graph, p).note
    for m in (region, chain):
        json.loads(map_json(m))


# ---------------------------------------------------------------------------------------------
# A 20,000-organization city: never more than MAX_NODES, folded nodes drill down


@pytest.fixture(scope="module")
def city() -> tuple[nx.MultiDiGraph, Params]:
    return build_graph(generate_city(20_000)), Params(as_of=DEFAULT_AS_OF)


def test_city_whole_area_is_folded_into_buildings_with_links(city):
    g, p = city
    m = region_map(g, p, link=link)
    assert len(m.nodes) <= MAX_NODES and m.aggregated
    assert m.note.startswith("组织较多，已按楼宇/街道汇总")
    orgs = org_table(g, p)
    scope = orgs[orgs["in_scope"]]
    building = str(scope["building"].value_counts().index[0])
    node = nodes(m)[f"building:{building}"]
    total = int((scope["building"] == building).sum())
    open_ = int(((scope["building"] == building) & ~scope["org_covered"]).sum())
    assert node["label"].endswith(f"({total}家，未覆盖{open_})")
    assert node["url"] == f"/building/{building}"
    assert not any(n.startswith("org:") for n in nodes(m))


def test_city_every_map_stays_under_the_cap(city):
    g, p = city
    orgs = org_table(g, p)
    street = str(orgs["street"].value_counts().index[0])
    chain = str(orgs["chain"].dropna().iloc[0])
    uscc = str(orgs.loc[orgs["in_scope"] & ~orgs["org_covered"], "uscc"].iloc[0])
    drawn = [
        region_map(g, p, street=street, link=link),
        region_map(g, p, district=str(orgs["district"].iloc[0]), link=link),
        chain_map(g, chain, p, link=link),
        partner_map(g, uscc, p, link=link),
        plan_map(g, p, link=link),
    ]
    for m in drawn:
        assert 0 < len(m.nodes) <= MAX_NODES, m.title
        assert any(n.get("url") for n in m.nodes), m.title
    whole = pairing_map(g, p, link=link)  # 7,600 两新 Party organizations
    assert len(whole.nodes) <= MAX_NODES and whole.aggregated
    folded = [n for n in whole.nodes if n["id"].startswith("street:")]
    assert folded and all(n["url"] == f"/street/{n['id'][7:]}" for n in folded)


def test_city_plan_and_chain_fold_with_links(city, monkeypatch):
    g, p = city
    monkeypatch.setattr(viz.mapdata, "MAX_NODES", 120)
    plan = plan_map(g, p, link=link)
    assert plan.aggregated and len(plan.nodes) <= 120
    assert all(n["url"] == f"/street/{n['id'][7:]}" for n in plan.nodes)
    chain = str(org_table(g, p)["chain"].dropna().iloc[0])
    m = chain_map(g, chain, p, link=link)
    assert m.aggregated and len(m.nodes) <= 120


def test_city_map_never_exceeds_the_cap_whatever_the_cap(city, monkeypatch):
    g, p = city
    monkeypatch.setattr(viz.mapdata, "MAX_NODES", 3)
    chain = str(org_table(g, p)["chain"].dropna().iloc[0])
    for m in (region_map(g, p), plan_map(g, p), chain_map(g, chain, p)):
        assert len(m.nodes) <= 3 and m.aggregated
        assert all(e["from"] in nodes(m) and e["to"] in nodes(m) for e in m.edges)


# ---------------------------------------------------------------------------------------------
# HTML: escaped, no inline script, nothing fetched from outside


@pytest.fixture(scope="module")
def xss_graph() -> nx.MultiDiGraph:
    sheets = tiny()
    sheets["组织"][1]["组织名称"] = XSS_NAME  # O2, in 东湖大厦
    sheets["组织"][2]["组织名称"] = "丙</script><!--<script>alert(2)</script>"
    return graph_of(sheets)


def test_map_json_escapes_markup_and_round_trips(xss_graph):
    m = region_map(xss_graph, params())
    payload = map_json(m)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    data = json.loads(payload)
    assert set(data) == {"title", "nodes", "edges", "options", "note", "aggregated"}
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[org(O2)] == XSS_NAME
    assert labels[org(O3)] == "丙</script><!--<script>alert(2)</script>"
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["interaction"]["hover"] is True
    assert data["options"]["edges"]["smooth"] is False
    assert "Microsoft YaHei" in data["options"]["nodes"]["font"]["face"]


def test_map_json_escapes_line_separators():
    m = NetworkMap("a\u2028b\u2029c", nodes=[{"id": "x", "label": "x", "size": float("nan")}])
    payload = map_json(m)
    assert "\u2028" not in payload and "\u2029" not in payload
    data = json.loads(payload)
    assert data["title"] == "a\u2028b\u2029c" and data["nodes"][0]["size"] is None


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


def test_map_block_escapes_names_and_has_no_inline_code(xss_graph):
    m = partner_map(xss_graph, O2, params())  # the title holds the name too
    html = str(map_block(m, "partners", "70vh"))
    assert "<img" not in html
    assert "联合组建伙伴 · &lt;img src=x onerror=alert(1)&gt;" in html
    tags = parse(html)
    names = [t for t, _ in tags.tags]
    assert names.count("script") == 1
    (script,) = [a for t, a in tags.tags if t == "script"]
    assert script == {"type": "application/json", "class": "lx-map-data"}
    assert json.loads(tags.scripts[0])["title"] == m.title
    for _, attrs in tags.tags:
        assert not any(k.startswith("on") for k in attrs)  # no event handler
    section = tags.tags[0]
    assert section == ("section", {"class": "lx-map", "id": "partners", "aria-label": m.title})
    assert ("input", {"type": "search", "class": "lx-map-search", "placeholder": "搜索名称或代码",
                      "aria-label": "在图中搜索名称或代码"}) in tags.tags  # fmt: skip
    assert ("div", {"class": "lx-map-canvas", "style": "height: 70vh"}) in tags.tags
    assert "noscript" in names


def test_map_block_legend_draws_dashed_lines(tiny_graph):
    html = str(map_block(chain_map(tiny_graph, "C1", params())))
    assert re.search(r'<line [^>]*stroke="#0097a7"[^>]*stroke-dasharray="5 3"', html)
    assert "<span>功能型</span>" in html


@pytest.mark.parametrize(
    ("dom_id", "height"), [('m" onload="x', "640px"), ("map", "1px;background:url(x)")]
)
def test_map_block_refuses_odd_ids_and_heights(tiny_graph, dom_id, height):
    with pytest.raises(ValueError):
        map_block(plan_map(tiny_graph, params()), dom_id, height)


def test_standalone_html_fetches_nothing(xss_graph):
    html = standalone_html(region_map(xss_graph, params()))
    assert html.startswith("<!doctype html>")
    assert '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html
    tags = parse(html)
    assert not any(t == "link" for t, _ in tags.tags)
    scripts = [a for t, a in tags.tags if t == "script"]
    assert scripts == [{"type": "application/json", "class": "lx-map-data"}, {}]
    for _, attrs in tags.tags:
        for key in ("src", "href", "action"):
            assert attrs.get(key) is None, attrs
    # the inlined code survived whole: nothing in it closed its element early
    code_ = tags.scripts[1]
    assert "vis-network" in code_[:200] and code_.rstrip().endswith("})();")
    assert "<img" not in html.split("<script>", 1)[0].split('class="lx-map-data"')[0]


def test_standalone_html_neutralises_closing_tags_in_inlined_code(tiny_graph, monkeypatch):
    import viz.render

    files = {
        "vis-network.min.js": 'var a = "</script><img src=x onerror=alert(1)>", b = /<!--/;',
        "map.js": "var c = '</SCRIPT >'; // end",
        "vis-network.min.css": '.x::after { content: "</style><script>alert(1)</script>"; }',
        "map.css": ".y {}",
    }
    monkeypatch.setattr(viz.render, "_static", files.__getitem__)
    tags = parse(standalone_html(plan_map(tiny_graph, params())))
    assert [t for t, _ in tags.tags if t in ("script", "img", "style")] == [
        "style",
        "script",
        "script",
    ]
    code_ = tags.scripts[1]
    assert '"\\x3C/script><img src=x onerror=alert(1)>"' in code_ and "/\\x3C!--/" in code_
    assert code_.rstrip().endswith("// end")


def test_vendored_vis_network_is_pyvis_own_and_safe_to_inline():
    import pyvis

    theirs = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    ours = (STATIC_DIR / "vis-network.min.js").read_bytes()
    assert (
        hashlib.sha256(ours).digest()
        == hashlib.sha256((theirs / "vis-network.min.js").read_bytes()).digest()
    )
    assert (
        (STATIC_DIR / "vis-network.min.css")
        .read_text()
        .endswith((theirs / "vis-network.css").read_text())
    )
    for name in STATIC_FILES:
        text = (STATIC_DIR / name).read_text(encoding="utf-8").lower()
        assert "</script" not in text and "</style" not in text and "<!--" not in text
        assert "@import" not in text and "url(http" not in text and "url(//" not in text
    assert STATIC_FILES == ("vis-network.min.css", "map.css", "vis-network.min.js", "map.js")


def test_map_js_never_builds_html_from_data():
    source = (STATIC_DIR / "map.js").read_text(encoding="utf-8")
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "Function(",
                      "document.write"):  # fmt: skip
        assert forbidden not in source
    assert "textContent" in source and "window.location.assign" in source


# ---------------------------------------------------------------------------------------------
# The standalone file in a real browser (skipped without Chromium, see tests.browser)


def test_standalone_map_draws_offline_and_shows_names_as_text(browser, xss_graph, tmp_path):
    m = region_map(xss_graph, params(), link=lambda kind, c: f"#{kind}-{c}")
    path = tmp_path / "map.html"
    path.write_text(standalone_html(m), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        requests.append(r.request.url)
        r.continue_() if r.request.url == path.as_uri() else r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("section.lx-map[data-drawn]", timeout=20_000)
        assert page.get_attribute("section.lx-map", "data-drawn") == str(len(m.nodes))
        assert requests == [path.as_uri()]  # not one request beyond the file itself

        page.fill("input.lx-map-search", O3.lower())  # by code, any case
        assert page.text_content(".lx-map-status") == "找到 1 个"
        selected = page.evaluate("window.liangxinMaps['map'].getSelectedNodes()")
        assert selected == [org(O3)]

        # hover the organization named like a payload: its tooltip is text, nothing runs
        xy = page.evaluate(
            "(id) => { const n = window.liangxinMaps['map'];"
            " n.moveTo({scale: 1.5, position: n.getPosition(id), animation: false});"
            " const p = n.canvasToDOM(n.getPosition(id));"
            " const r = document.querySelector('.lx-map-canvas').getBoundingClientRect();"
            " return [r.left + p.x, r.top + p.y]; }",
            org(O2),
        )
        page.mouse.move(xy[0], xy[1])
        tooltip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        assert XSS_NAME in tooltip.inner_text()
        assert page.query_selector("div.vis-tooltip img") is None
        assert page.query_selector(".lx-map img") is None

        page.mouse.click(xy[0], xy[1])  # drill-down: the node's url
        page.wait_for_function(f"location.hash === '#org-{O2}'", timeout=5_000)
        assert dialogs == [] and errors == []
    finally:
        context.close()
