"""Tests for graph.build on a tiny hand-built ledger whose counts are worked out by hand.

The city:
- districts 芙蓉区 (streets S01, S02) and 天心区 (street X1 and park Y1)
- buildings B1 (S01), B2 (X1); chain C1 with segments G1, G2; instructor I1
- Party organizations: X1 S01's 街道两新综合党委 (its code equals street X1's); PW the park's
  园区党工委; PC the 产业链党委 of C1 (parent PW); P1 O1's own branch (parent X1, located in
  B1, with a chain code although not a chain committee); P2 a joint branch covering O2, O3
  (parent PC)
- organizations O1 (P1, B1, G1), O2 (P2, B1, G2), O3 (P2, B2, Y1, G1), O4 (社会组织,
  uncovered, instructor I1), O5 (uncovered, Y1, instructor I1, sparse row)
- committee of PC: O1 (骨干企业), O4 (协会联盟), 市工信局 by name (政府部门)
- supply O1 → O2 (供货), O3 → O1 (配套); pairing X1 → P2
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from graph import uscc
from graph.build import build_graph, graph_counts, nodes_of
from graph.ledger import Ledger
from graph.model import SHEETS, EdgeKind, NodeKind
from tests.analysis_kit import table

O1, O2, O3, O4, O5 = (uscc.make(f"91430100MA{n:07d}") for n in range(1, 6))


def tiny() -> Ledger:
    return Ledger(
        {
            "streets": table(
                "streets",
                [
                    {"id": "S01", "name": "东湖街道", "district": "芙蓉区", "type": "街道"},
                    {"id": "S02", "name": "马坡岭街道", "district": "芙蓉区", "type": "街道"},
                    {"id": "X1", "name": "坡子街街道", "district": "天心区", "type": "街道"},
                ],
            ),
            "buildings": table(
                "buildings",
                [
                    {"id": "B1", "name": "东湖大厦", "type": "商务楼宇", "street": "S01"},
                    {"id": "B2", "name": "坡子街市场", "type": "专业市场", "street": "X1"},
                ],
            ),
            "parks": table(
                "parks",
                [{"id": "Y1", "name": "天心经开区", "level": "省级", "district": "天心区"}],
            ),
            "chains": table(
                "chains", [{"id": "C1", "name": "工程机械", "lead_department": "市工信局"}]
            ),
            "segments": table(
                "segments",
                [
                    {"id": "G1", "chain": "C1", "name": "零部件", "position": "上游", "order": 1},
                    {"id": "G2", "chain": "C1", "name": "整机", "position": "中游", "order": 2},
                ],
            ),
            "instructors": table("instructors", [{"id": "I1", "type": "专职", "name": "张敏"}]),
            "party_orgs": table(
                "party_orgs",
                [
                    {
                        "id": "X1",
                        "name": "东湖街道两新综合党委",
                        "level": "党委",
                        "type": "街道两新综合党委",
                        "members": 12,
                        "street": "S01",
                    },
                    {
                        "id": "PW",
                        "name": "天心经开区党工委",
                        "level": "党委",
                        "type": "园区党工委",
                        "members": 20,
                        "park": "Y1",
                    },
                    {
                        "id": "PC",
                        "name": "工程机械产业链党委",
                        "level": "党委",
                        "type": "产业链党委",
                        "members": 9,
                        "parent": "PW",
                        "chain": "C1",
                        "park": "Y1",
                    },
                    {
                        "id": "P1",
                        "name": "甲公司党支部",
                        "level": "党支部",
                        "type": "企业党组织",
                        "formation": "单独组建",
                        "members": 5,
                        "parent": "X1",
                        "chain": "C1",
                        "street": "S01",
                        "building": "B1",
                        "founded": "2018-07-01",
                    },
                    {
                        "id": "P2",
                        "name": "乙丙联合党支部",
                        "level": "党支部",
                        "type": "企业党组织",
                        "formation": "联合组建",
                        "members": 3,
                        "parent": "PC",
                        "street": "X1",
                    },
                ],
            ),
            "organizations": table(
                "organizations",
                [
                    {
                        "uscc": O1,
                        "name": "甲公司",
                        "kind": "非公企业",
                        "employees": 120,
                        "formal_members": 5,
                        "probationary_members": 1,
                        "street": "S01",
                        "building": "B1",
                        "segment": "G1",
                        "party_org": "P1",
                        "registered": "2019-05-20",
                        "备注": "龙头企业",
                    },
                    {
                        "uscc": O2,
                        "name": "乙公司",
                        "kind": "非公企业",
                        "employees": 30,
                        "formal_members": 2,
                        "street": "S01",
                        "building": "B1",
                        "segment": "G2",
                        "party_org": "P2",
                    },
                    {
                        "uscc": O3,
                        "name": "丙公司",
                        "kind": "非公企业",
                        "employees": 15,
                        "formal_members": 1,
                        "street": "X1",
                        "building": "B2",
                        "park": "Y1",
                        "segment": "G1",
                        "party_org": "P2",
                    },
                    {
                        "uscc": O4,
                        "name": "工程机械协会",
                        "kind": "社会组织",
                        "employees": 8,
                        "formal_members": 0,
                        "street": "S02",
                        "instructor": "I1",
                    },
                    {
                        "uscc": O5,
                        "name": "戊公司",
                        "kind": "非公企业",
                        "employees": 60,
                        "formal_members": 0,
                        "street": "X1",
                        "park": "Y1",
                        "instructor": "I1",
                    },
                ],
            ),
            "committee_members": table(
                "committee_members",
                [
                    {"party_org": "PC", "side": "骨干企业", "member": O1},
                    {"party_org": "PC", "side": "协会联盟", "member": O4},
                    {"party_org": "PC", "side": "政府部门", "member_name": "市工信局"},
                ],
            ),
            "supply_links": table(
                "supply_links",
                [
                    {"supplier": O1, "buyer": O2, "relation": "供货"},
                    {"supplier": O3, "buyer": O1, "relation": "配套"},
                ],
            ),
            "pairings": table(
                "pairings", [{"a": "X1", "b": "P2", "type": "社区—企业", "since": "2023-03-01"}]
            ),
        }
    )


EXPECTED_NODES = {
    "Organization": 5,
    "PartyOrganization": 5,  # X1, PW, PC, P1, P2
    "Street": 3,
    "District": 2,  # 芙蓉区 (S01, S02), 天心区 (X1 and park Y1: one node, not two)
    "Building": 2,
    "Park": 1,
    "IndustryChain": 1,
    "ChainSegment": 2,
    "Instructor": 1,
    "MemberUnit": 1,  # 市工信局, the committee member given by name only
}
EXPECTED_EDGES = {
    "LOCATED_IN": 4,  # O1, O2 → B1, O3 → B2 (3 organizations) + P1 → B1
    "IN_STREET": 10,  # 5 organizations + 2 buildings + X1, P1, P2 (POs with a street)
    "IN_DISTRICT": 4,  # 3 streets + park Y1
    "IN_PARK": 4,  # O3, O5 + PW, PC
    "COVERS": 3,  # P1 → O1, P2 → O2, P2 → O3; O4 and O5 are uncovered
    "SUBORDINATE_TO": 3,  # PC → PW, P1 → X1, P2 → PC
    "FUNCTIONAL_MEMBER_OF": 1,  # P1 → PC (O1 sits on PC); O4 has no Party organization
    "SITS_ON": 3,  # O1, O4, unit:市工信局 → PC
    "IN_SEGMENT": 3,  # O1, O3 → G1, O2 → G2
    "PART_OF": 2,  # G1, G2 → C1
    "SUPPLIES": 2,  # O1 → O2, O3 → O1
    "LEADS_CHAIN": 1,  # PC → C1; P1 has a chain code but is not a 产业链党委
    "PAIRED_WITH": 1,  # X1 → P2
    "GUIDES": 2,  # I1 → O4, I1 → O5
}


def _as_dict(counts: pd.DataFrame) -> dict[str, int]:
    return dict(zip(counts["kind"], counts["count"], strict=True))


def test_counts_per_kind_worked_out_by_hand() -> None:
    nodes, edges = graph_counts(build_graph(tiny()))
    assert _as_dict(nodes) == EXPECTED_NODES
    assert _as_dict(edges) == EXPECTED_EDGES
    assert list(nodes["kind"]) == [k.value for k in NodeKind]
    assert list(edges["kind"]) == [k.value for k in EdgeKind]
    assert list(nodes["label_zh"]) == [k.label_zh for k in NodeKind]
    assert list(edges["label_zh"]) == [k.label_zh for k in EdgeKind]


def test_totals_and_built_from() -> None:
    ledger = tiny()
    g = build_graph(ledger)
    assert g.number_of_nodes() == sum(EXPECTED_NODES.values()) == 23
    assert g.number_of_edges() == sum(EXPECTED_EDGES.values()) == 43
    assert g.graph["built_from"] == ledger.counts()
    assert g.graph["built_from"]["organizations"] == 5


def test_street_and_party_org_with_the_same_code_are_two_nodes() -> None:
    g = build_graph(tiny())
    street, po = g.nodes["street:X1"], g.nodes["po:X1"]
    assert (street["kind"], street["code"], street["name"]) == ("Street", "X1", "坡子街街道")
    assert (po["kind"], po["code"], po["name"]) == (
        "PartyOrganization",
        "X1",
        "东湖街道两新综合党委",
    )
    # The street committee X1 sits in street S01, not in the street that shares its code.
    assert g.has_edge("po:X1", "street:S01", key="IN_STREET")
    assert not g.has_edge("po:X1", "street:X1")


def test_member_organization_keeps_formal_and_functional_parent() -> None:
    g = build_graph(tiny())
    assert g.has_edge("po:P1", "po:X1", key="SUBORDINATE_TO")  # 隶属: the street committee
    assert g.has_edge("po:P1", "po:PC", key="FUNCTIONAL_MEMBER_OF")  # 功能型: the chain
    assert g.edges["po:P1", "po:PC", "FUNCTIONAL_MEMBER_OF"] == {"kind": "FUNCTIONAL_MEMBER_OF"}
    assert g.edges[f"org:{O1}", "po:PC", "SITS_ON"] == {"kind": "SITS_ON", "side": "骨干企业"}
    assert g.edges[f"org:{O4}", "po:PC", "SITS_ON"]["side"] == "协会联盟"


def test_no_functional_edge_when_the_committee_itself_covers_the_member() -> None:
    ledger = tiny()
    orgs = ledger.tables["organizations"]
    ledger.tables["organizations"] = orgs.assign(
        party_org=orgs["party_org"].mask(orgs["uscc"] == O4, "PC")
    )
    g = build_graph(ledger)
    assert g.has_edge("po:PC", f"org:{O4}", key="COVERS")
    assert not g.has_edge("po:PC", "po:PC")
    assert _as_dict(graph_counts(g)[1])["FUNCTIONAL_MEMBER_OF"] == 1  # still only P1 → PC


def test_member_unit_by_name() -> None:
    g = build_graph(tiny())
    unit = g.nodes["unit:市工信局"]
    assert unit == {
        "kind": "MemberUnit",
        "code": "市工信局",
        "name": "市工信局",
        "side": "政府部门",
    }
    assert g.edges["unit:市工信局", "po:PC", "SITS_ON"]["side"] == "政府部门"
    assert list(g.successors("unit:市工信局")) == ["po:PC"]


def test_districts_from_streets_and_parks() -> None:
    g = build_graph(tiny())
    assert sorted(nodes_of(g, NodeKind.DISTRICT)) == ["district:天心区", "district:芙蓉区"]
    assert g.nodes["district:天心区"] == {"kind": "District", "code": "天心区", "name": "天心区"}
    assert set(g.predecessors("district:天心区")) == {"street:X1", "park:Y1"}


def test_node_attributes_are_plain_python() -> None:
    g = build_graph(tiny())
    o1, o5 = g.nodes[f"org:{O1}"], g.nodes[f"org:{O5}"]
    assert (o1["kind"], o1["code"], o1["name"], o1["uscc"]) == ("Organization", O1, "甲公司", O1)
    assert o1["org_kind"] == "非公企业"  # 组织类型, renamed so it cannot clash with kind
    assert o1["registered"] == dt.date(2019, 5, 20)
    assert type(o1["registered"]) is dt.date  # not a Timestamp (itself a date subclass)
    assert type(o1["employees"]) is int and o1["employees"] == 120
    assert o1["备注"] == "龙头企业"  # the planner's extra column is kept under its header
    assert o5["building"] is None and o5["registered"] is None
    assert o5["probationary_members"] is None and o5["备注"] is None
    assert g.nodes["po:P1"]["founded"] == dt.date(2018, 7, 1)
    assert g.nodes["po:PC"]["type"] == "产业链党委"
    assert g.nodes["segment:G2"]["order"] == 2


def test_edge_attributes() -> None:
    g = build_graph(tiny())
    pairing = g.edges["po:X1", "po:P2", "PAIRED_WITH"]
    assert pairing == {"kind": "PAIRED_WITH", "type": "社区—企业", "since": dt.date(2023, 3, 1)}
    assert type(pairing["since"]) is dt.date
    assert not g.has_edge("po:P2", "po:X1")  # one direction, as in the ledger
    assert g.edges[f"org:{O3}", f"org:{O1}", "SUPPLIES"]["relation"] == "配套"
    assert g.edges[f"org:{O1}", "building:B1", "LOCATED_IN"] == {"kind": "LOCATED_IN"}


def test_at_most_one_edge_of_a_kind_between_two_nodes() -> None:
    ledger = tiny()
    links = ledger.tables["supply_links"]
    ledger.tables["supply_links"] = pd.concat([links, links.iloc[[0]]], ignore_index=True)
    g = build_graph(ledger)
    assert g.number_of_edges(f"org:{O1}", f"org:{O2}") == 1
    # Different kinds between the same two nodes are distinct edges: P2 is formally under PC.
    assert set(g["po:P2"]["po:PC"]) == {"SUBORDINATE_TO"}


def test_empty_ledger_builds_an_empty_graph_with_every_kind_counted() -> None:
    g = build_graph(Ledger({}))
    assert g.number_of_nodes() == 0 and g.number_of_edges() == 0
    nodes, edges = graph_counts(g)
    assert len(nodes) == len(NodeKind) and len(edges) == len(EdgeKind)
    assert nodes["count"].sum() == 0 and edges["count"].sum() == 0
    assert g.graph["built_from"] == {sheet.key: 0 for sheet in SHEETS}


def test_building_twice_gives_identical_graphs() -> None:
    a, b = build_graph(tiny()), build_graph(tiny())
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_nodes_of() -> None:
    g = build_graph(tiny())
    assert nodes_of(g, NodeKind.PARTY_ORG) == ["po:X1", "po:PW", "po:PC", "po:P1", "po:P2"]
    assert nodes_of(g, NodeKind.MEMBER_UNIT) == ["unit:市工信局"]
    assert nodes_of(build_graph(Ledger({})), NodeKind.STREET) == []


@pytest.mark.parametrize("sheet_key", [sheet.key for sheet in SHEETS])
def test_building_does_not_mutate_the_ledger(sheet_key: str) -> None:
    ledger = tiny()
    before = ledger[sheet_key].copy(deep=True)
    build_graph(ledger)
    after = ledger[sheet_key]
    assert list(after.columns) == list(before.columns)
    assert list(after.dtypes) == list(before.dtypes)
    pd.testing.assert_frame_equal(after, before)
