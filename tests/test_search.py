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


# ---------------------------------------------------------------------------------------------
# GET /api/search: every kind of hit validates, and no query is a server error


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.tinyledger import tiny, write_xlsx

    path = write_xlsx(tiny(), tmp_path_factory.mktemp("search") / "tiny.xlsx")
    with TestClient(create_app(ledger=path, token="")) as client:
        yield client


@pytest.mark.parametrize(
    ("query", "kind", "code", "place", "url"),
    [
        ("芙蓉区", "district", "芙蓉区", None, "/districts/%E8%8A%99%E8%93%89%E5%8C%BA"),
        ("东湖街道", "street", "S1", "芙蓉区", "/streets/S1"),
        ("东湖大厦", "building", "B1", "芙蓉区 / 东湖街道", "/buildings/B1"),
        ("长沙", "park", "P1", "岳麓区", "/parks/P1"),
        ("工程", "chain", "C1", None, "/chains/C1"),
        ("甲工程", "org", O1, "芙蓉区 / 东湖街道 / 东湖大厦", f"/orgs/{O1}"),
    ],
)
def test_api_answers_every_kind_of_hit(api, query, kind, code, place, url):
    response = api.get("/api/search", params={"q": query})
    assert response.status_code == 200, response.text
    hit = next(h for h in response.json()["hits"] if h["kind"] == kind)
    assert (hit["code"], hit["place"], hit["url"]) == (code, place, url)
    assert hit["kind_label"] == KINDS[kind]


def test_api_mixes_hits_with_and_without_a_place(api):
    """工程 finds the chain (no place) and an organization (a place): the case that was a 500."""
    body = api.get("/api/search", params={"q": "工程"}).json()
    assert [(h["kind"], h["place"]) for h in body["hits"]] == [
        ("chain", None),
        ("org", "芙蓉区 / 东湖街道 / 东湖大厦"),
    ]
    assert search(graph_of(), "工程")["place"].tolist() == [None, "芙蓉区 / 东湖街道 / 东湖大厦"]


QUERIES = [
    "长沙", "工程", "区", "街道", "有限公司", "9143", "c1", "", " ", "　", "a" * 5000,
    "长" * 2000, "%", "%25", "_", "*", ".*", "[", "(", "\\", "'", '"', "<script>", "&amp;",
    "\x00", "\t\n", "😀", "NaN", "None", "null", "nan", "-1", "1e300", "../../etc/passwd",
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_api_never_fails_on_a_listed_query(api, query):
    response = api.get("/api/search", params={"q": query})
    assert response.status_code == 200, response.text
    assert response.json()["query"] == query


def test_api_never_fails_on_any_query(api):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = ["芙蓉区", "东湖街道", "东湖大厦", "长沙高新区", "工程机械", "甲工程机械有限公司"]
    pieces = st.sampled_from([*names, *(n[:2] for n in names), O1[:6], "C1", "B1", "S"])
    text = st.text(max_size=300) | st.lists(pieces, min_size=1, max_size=3).map("".join)

    @given(query=text, limit=st.integers(1, 200))
    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    def check(query: str, limit: int) -> None:
        response = api.get("/api/search", params={"q": query, "limit": limit})
        assert response.status_code == 200, (query, response.text)
        hits = response.json()["hits"]
        assert len(hits) <= limit
        assert all(h["kind"] in KINDS and h["url"] for h in hits)

    check()
