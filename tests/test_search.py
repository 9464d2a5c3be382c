"""search: organizations by name or USCC, places and chains by name, on the tiny ledger by hand."""

from __future__ import annotations

import pytest

from graph.analysis.search import KINDS, SEARCH_COLUMNS, search
from tests.analysis_kit import graph_of
from tests.tinyledger import O1, O2, O3, O4, O5


@pytest.fixture(scope="module")
def g():
    return graph_of()


def rows(frame) -> list[tuple]:
    return list(frame.itertuples(index=False, name=None))


def test_places_by_name(g):
    assert rows(search(g, "东湖")) == [
        ("street", "S1", "东湖街道", "芙蓉区"),
        ("building", "B1", "东湖大厦", "芙蓉区 / 东湖街道"),
    ]
    assert rows(search(g, "高新")) == [("park", "P1", "长沙高新区", "岳麓区")]
    assert rows(search(g, "莲花镇")) == [("street", "S3", "莲花镇", "岳麓区")]


def test_exact_and_prefix_matches_come_first(g):
    # 芙蓉区 is the district's whole name; no other name contains it
    assert rows(search(g, "芙蓉区")) == [("district", "芙蓉区", "芙蓉区", None)]
    # 工程机械 (the chain) starts with the query, 甲工程机械有限公司 only contains it
    assert [r[:2] for r in rows(search(g, "工程"))] == [("chain", "C1"), ("org", O1)]
    assert [r[:2] for r in rows(search(g, "c1"))] == [("chain", "C1")]  # a code, any case


def test_organizations_by_name_and_uscc(g):
    assert rows(search(g, "甲工程")) == [
        ("org", O1, "甲工程机械有限公司", "芙蓉区 / 东湖街道 / 东湖大厦")
    ]
    assert [r[1] for r in rows(search(g, "有限公司"))] == [O4, O2, O1]  # by name
    assert [r[1] for r in rows(search(g, O1.lower()))] == [O1]
    prefix = O1[:8]  # 91430100: every enterprise (O3 is a social organization, 5…)
    assert {r[1] for r in rows(search(g, f" {prefix} "))} == {O1, O2, O4, O5}
    assert O3 not in set(search(g, prefix)["code"])
    assert rows(search(g, O5))[0][3] == "岳麓区 / 莲花镇"  # no building


def test_nothing_blank_and_limit(g):
    assert search(g, "火星").empty
    assert search(g, "   ").empty
    assert list(search(g, "").columns) == SEARCH_COLUMNS
    assert len(search(g, O1[:8], limit=2)) == 2
    assert set(search(g, "街道")["kind"]) <= set(KINDS)


def test_sample_city_finds_an_organization_by_part_of_its_name():
    from graph.build import build_graph
    from loaders.sample import generate_city

    city = build_graph(generate_city(300, seed=3))
    name = next(d["name"] for _, d in city.nodes(data=True) if d.get("kind") == "Organization")
    found = search(city, name[2:6])
    assert name in set(found["name"]) and len(found) <= 50
