"""The graph-database store against real servers: FalkorDB always, Neo4j when configured.

Every test taking ``store`` runs once per server; the Neo4j run says why it was skipped when
``NEO4J_URI`` is not set (see tests/servers.py). Each test gets an empty graph of its own.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from pandas.testing import assert_frame_equal

from graph.analysis.common import Params
from graph.build import build_graph, graph_counts
from graph.errors import NotFound, StoreError
from graph.ledger import Ledger
from graph.model import SHEETS, EdgeKind, NodeKind
from graph.store import cypher
from graph.store.graphdb import FalkorBackend, GraphStore, Neo4jBackend
from loaders import check_ledger
from loaders.sample import generate_city
from tests.servers import free_port, run_falkordb
from tests.tinyledger import O1, O5, tiny, write_xlsx

HOSTILE = (
    "引号'单\"双`反引号`",
    "}{ ]) MATCH (n) DETACH DELETE n //",
    "<script>alert(1)</script>",
    "$param ${x} %s {0}",
    "第一行\n第二行\t制表",
    '反斜杠\\ \\" \\n \\u0041 结尾\\',
    "' OR 1=1 --",
)
"""Text that breaks string-built Cypher (or HTML); it must come back unchanged."""

HOSTILE_HEADERS = (
    "`} MATCH (n) DETACH DELETE n //",
    "<script>alert(1)</script>",
    "$param",
    "多行\n表头",
    "code",  # taken by the store's key
    "_row",  # taken by the store's row number
    "extra_2",  # the name a header that cannot be used would get
    "org_kind",  # taken by 组织类型
    "中文备注",
)
"""Headers of the planner's own columns that cannot all be used as property names as is."""


# ---------------------------------------------------------------------------------------------
# Fixtures


@dataclass
class Target:
    store: GraphStore
    cli_store: str  # the --store value that reaches the same graph


@pytest.fixture(params=["falkordb", "neo4j"])
def target(request) -> Iterator[Target]:
    """An empty graph on each server: a fresh FalkorDB graph, or the cleared Neo4j database."""
    if request.param == "falkordb":
        from falkordb import FalkorDB

        server = request.getfixturevalue("falkordb_server")
        client = FalkorDB(host=server.host, port=server.port)
        name = f"test_{uuid.uuid4().hex[:12]}"
        graph = client.select_graph(name)
        yield Target(GraphStore(FalkorBackend(graph)), f"{server.url}/{name}")
        if name in client.list_graphs():
            graph.delete()
        client.close()
    else:
        driver, database = request.getfixturevalue("neo4j_driver")
        store = GraphStore(Neo4jBackend(driver, database))
        store.clear()
        yield Target(store, "neo4j")
        store.clear()


@pytest.fixture
def store(target: Target) -> GraphStore:
    return target.store


@pytest.fixture(scope="module")
def city() -> Ledger:
    """The 3,000-organization sample city (tests copy it before changing anything)."""
    return generate_city(3000)


@pytest.fixture
def tiny_ledger(tmp_path) -> Ledger:
    """The hand-checkable tiny ledger, read and validated from a real workbook."""
    ledger, issues = check_ledger(write_xlsx(tiny(), tmp_path / "tiny.xlsx"))
    assert not [i for i in issues if i.is_error]
    return ledger


# ---------------------------------------------------------------------------------------------
# Round trip, idempotence, reduction


def test_sample_city_reads_back_equal(store, city):
    report = store.load(city)
    back = store.read()
    for sheet in SHEETS:
        assert_frame_equal(back[sheet.key], city[sheet.key], obj=sheet.label)
    assert back.present == city.present
    assert back.equals(city)
    assert report.rows == sum(store.counts().values())
    assert report.removed == 0 and report.rows_per_second > 0


def test_counts_are_the_graph_and_reload_changes_nothing(store, city):
    store.load(city)
    counts = store.counts()
    nodes, edges = graph_counts(build_graph(city))
    assert {k: counts[k] for k in nodes["kind"]} == dict(
        zip(nodes["kind"], nodes["count"], strict=True)
    )
    rows = {"SUPPLIES": "supply_links", "SITS_ON": "committee_members", "PAIRED_WITH": "pairings"}
    for kind, count in zip(edges["kind"], edges["count"], strict=True):
        assert counts[kind] == (len(city[rows[kind]]) if kind in rows else count), kind

    again = store.load(city)
    assert again.removed == 0
    assert store.counts() == counts
    assert store.read().equals(city)


def test_reduced_ledger_removes_exactly_what_it_lost(store, city):
    store.load(city)
    before = store.counts()
    reduced, gone_orgs, gone_street = _reduce(city)

    report = store.load(reduced)
    after = store.counts()
    assert after == _expected_counts(reduced)
    assert after["Organization"] == before["Organization"] - len(gone_orgs)
    assert after["Street"] == before["Street"] - 1
    assert after["PAIRED_WITH"] == before["PAIRED_WITH"] - 1
    # Nothing that stayed was rewritten: what was removed is exactly the difference.
    assert report.removed == sum(before.values()) - sum(after.values())
    back = store.read()
    assert back.equals(reduced)
    assert not set(back.organizations["uscc"]) & gone_orgs
    assert gone_street not in set(back.streets["id"])


# ---------------------------------------------------------------------------------------------
# What planners see in Browser / Bloom


def test_nodes_and_relationships_carry_the_ledger_values(store, tiny_ledger):
    store.load(tiny_ledger)
    (row,) = store.backend.run(
        "MATCH (p:PartyOrganization)-[:COVERS]->(o:Organization {code: $code}) "
        "RETURN p.code AS po, o.name AS name, o.label_zh AS label_zh, o.org_kind AS kind, "
        "o.employees AS employees, o.registered AS registered, o.`备注` AS note",
        {"code": O1},
    )
    assert row == {
        "po": "PO-A",
        "name": "甲工程机械有限公司",
        "label_zh": "两新组织",
        "kind": "非公企业",
        "employees": 120,
        "registered": "2015-03-01",
        "note": "龙头",
    }
    (supply,) = store.backend.run(
        "MATCH (a:Organization)-[r:SUPPLIES]->(b:Organization) "
        "RETURN a.code AS a, b.code AS b, r.relation AS relation"
    )
    assert supply == {"a": O1, "b": O5, "relation": "供货"}
    units = store.backend.run(
        "MATCH (u:MemberUnit)-[r:SITS_ON]->(c:PartyOrganization) "
        "RETURN u.name AS unit, r.side AS side, c.code AS committee"
    )
    assert units == [{"unit": "市工业和信息化局", "side": "政府部门", "committee": "PO-CHAIN"}]
    districts = store.backend.run("MATCH (d:District) RETURN d.name AS name")
    assert sorted(d["name"] for d in districts) == sorted(["芙蓉区", "岳麓区"])


# ---------------------------------------------------------------------------------------------
# Hostile text


def test_hostile_names_headers_and_codes_round_trip(store, tiny_ledger):
    ledger = _hostile(tiny_ledger)
    store.load(ledger, batch_size=2)
    back = store.read()
    for sheet in SHEETS:
        assert_frame_equal(back[sheet.key], ledger[sheet.key], obj=sheet.label)
    assert back.equals(ledger)
    assert store.counts() == _expected_counts(ledger)
    # The hostile District and MemberUnit names are node codes, found as plain values.
    for label, code in (("District", HOSTILE[1]), ("MemberUnit", HOSTILE[0])):
        found = store.backend.run(
            f"MATCH (n:{label}) WHERE n.code = $code RETURN n.name AS name", {"code": code}
        )
        assert found == [{"name": code}]
    # Loading it twice is as harmless as loading it once.
    assert store.load(ledger).removed == 0
    assert store.read().equals(ledger)


def test_render_accepts_only_the_models_names():
    query = cypher.render(cypher.MERGE_NODES, label=NodeKind.ORGANIZATION)
    assert "MERGE (n:Organization {code: row.code})" in query
    assert cypher.render(cypher.COUNT_NODES, label="Street") == (
        "MATCH (n:Street) RETURN count(n) AS total"
    )
    for bad in ("Organization) DETACH DELETE (x", "organization", "Foo", EdgeKind.COVERS):
        with pytest.raises(ValueError):
            cypher.render(cypher.MERGE_NODES, label=bad)
    with pytest.raises(ValueError):
        cypher.render(cypher.COUNT_RELATIONSHIPS, type="COVERS]->() DELETE r //")


# ---------------------------------------------------------------------------------------------
# Refusing: nothing written for an invalid ledger, a half-written graph never served


def test_invalid_ledger_writes_nothing(store, tiny_ledger, tmp_path):
    store.load(tiny_ledger)
    before = store.counts()
    sheets = tiny()
    sheets["组织"][3]["所在街道编码"] = "S9"  # no such street
    sheets["组织"][4]["统一社会信用代码"] = O1  # the same code twice
    bad, issues = check_ledger(write_xlsx(sheets, tmp_path / "bad.xlsx"))
    assert {i.code for i in issues if i.is_error} >= {"duplicate_key"}

    # The store checks again what it relies on, before writing anything.
    with pytest.raises(StoreError, match="未写入图数据库"):
        store.load(bad)
    sheets["组织"][4]["统一社会信用代码"] = O5
    dangling, issues = check_ledger(write_xlsx(sheets, tmp_path / "dangling.xlsx"))
    assert any(i.is_error for i in issues)
    with pytest.raises(StoreError, match="S9"):
        store.load(dangling)
    assert store.counts() == before
    assert store.read().equals(tiny_ledger)


def test_cli_load_refuses_an_invalid_ledger(target, tiny_ledger, tmp_path, monkeypatch):
    from api.cli import app

    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path / "ws"))
    runner = CliRunner()
    good = write_xlsx(tiny(), tmp_path / "good.xlsx")
    result = runner.invoke(app, ["load", str(good), "--store", target.cli_store])
    assert result.exit_code == 0, result.output
    before = target.store.counts()

    sheets = tiny()
    sheets["组织"][1]["正式党员数"] = 30  # more members than staff
    sheets["组织"].append({**sheets["组织"][0], "组织名称": "新增的组织"})  # O1 again
    bad = write_xlsx(sheets, tmp_path / "bad.xlsx")
    result = runner.invoke(app, ["load", str(bad), "--store", target.cli_store])
    assert result.exit_code == 1
    assert target.store.counts() == before
    assert target.store.read().equals(tiny_ledger)


def test_interrupted_load_is_not_served_and_the_next_load_repairs_it(store, city, tiny_ledger):
    store.load(tiny_ledger)
    written = []

    class Stop(Exception):
        pass

    def stop_after_two_batches(label: str, rows: int) -> None:
        written.append(rows)
        if len(written) == 2:
            raise Stop

    with pytest.raises(Stop):
        store.load(city, batch_size=500, progress=stop_after_two_batches)
    with pytest.raises(StoreError, match="中途失败"):
        store.read()
    store.load(city)
    assert store.read().equals(city)
    assert store.counts() == _expected_counts(city)


def test_read_and_clear(store, tiny_ledger):
    with pytest.raises(NotFound, match="liangxin load"):
        store.read()
    store.load(tiny_ledger)
    store.backend.run("CREATE (:Foreign {code: 'kept'})")
    store.clear()
    assert set(store.counts().values()) == {0}
    assert store.backend.run("MATCH (n:Foreign) RETURN n.code AS code") == [{"code": "kept"}]
    with pytest.raises(NotFound):
        store.read()


def test_nul_character(store, tiny_ledger):
    """FalkorDB cannot hold a NUL in a value: refused up front. Neo4j keeps it."""
    ledger = _copy(tiny_ledger)
    ledger.organizations.loc[1, "name"] = "乙\x00科技"
    if store.dialect is cypher.Dialect.FALKORDB:
        with pytest.raises(StoreError, match="第 3 行"):
            store.load(ledger)
        assert set(store.counts().values()) == {0}
    else:
        store.load(ledger)
        assert store.read().equals(ledger)


# ---------------------------------------------------------------------------------------------
# Servers that cannot be reached or refuse


def test_unreachable_falkordb_is_a_store_error(falkordb_server):
    from falkordb import FalkorDB

    with run_falkordb() as server:
        client = FalkorDB(host=server.host, port=server.port, password=None)
        store = GraphStore(FalkorBackend(client.select_graph("gone")))
    with pytest.raises(StoreError, match="无法连接 FalkorDB") as info:
        store.counts()
    assert "Traceback" not in info.value.message


def test_unreachable_neo4j_is_a_store_error_without_the_password():
    import neo4j

    driver = neo4j.GraphDatabase.driver(
        f"bolt://127.0.0.1:{free_port()}",
        auth=("planner", "s3cret-pw"),
        connection_timeout=2,
        max_transaction_retry_time=0,
    )
    try:
        with pytest.raises(StoreError, match="无法连接 Neo4j") as info:
            GraphStore(Neo4jBackend(driver)).counts()
    finally:
        driver.close()
    assert "s3cret-pw" not in info.value.message


def test_falkordb_refusal_is_a_store_error(falkordb_server):
    """Two nodes with one code already in the graph: the unique constraint cannot be built."""
    from falkordb import FalkorDB

    client = FalkorDB(host=falkordb_server.host, port=falkordb_server.port)
    graph = client.select_graph(f"test_{uuid.uuid4().hex[:12]}")
    try:
        graph.query("CREATE (:Street {code: 'S1'}), (:Street {code: 'S1'})")
        with pytest.raises(StoreError, match="Street"):
            GraphStore(FalkorBackend(graph)).ensure_schema()
    finally:
        graph.delete()
        client.close()


# ---------------------------------------------------------------------------------------------
# Helpers


def _copy(ledger: Ledger) -> Ledger:
    return Ledger({k: t.copy() for k, t in ledger.tables.items()}, present=ledger.present)


def _expected_counts(ledger: Ledger) -> dict[str, int]:
    """The graph builder's counts, with one relationship per row of the three row sheets."""
    nodes, edges = graph_counts(build_graph(ledger))
    out = dict(zip(nodes["kind"], nodes["count"], strict=True))
    out |= dict(zip(edges["kind"], edges["count"], strict=True))
    out["SUPPLIES"] = len(ledger.supply_links)
    out["SITS_ON"] = len(ledger.committee_members)
    out["PAIRED_WITH"] = len(ledger.pairings)
    return out


def _reduce(city: Ledger) -> tuple[Ledger, set[str], str]:
    """The city less one street (its buildings and organizations), 5 more organizations, and
    its first pairing, with every reference to what went made blank or dropped."""
    t = {k: df.copy() for k, df in city.tables.items()}
    orgs = t["organizations"]
    street = orgs["street"].value_counts().idxmin()
    in_street = orgs["street"] == street
    others = orgs.loc[~in_street, "uscc"]
    gone = set(orgs.loc[in_street, "uscc"]) | set(others.iloc[[0, 10, 20, 30, 40]])
    t["organizations"] = orgs[~orgs["uscc"].isin(gone)].reset_index(drop=True)
    links = t["supply_links"]
    t["supply_links"] = links[
        ~(links["supplier"].isin(gone) | links["buyer"].isin(gone))
    ].reset_index(drop=True)
    cm = t["committee_members"]
    t["committee_members"] = cm[~cm["member"].isin(gone).fillna(False)].reset_index(drop=True)
    t["pairings"] = t["pairings"].iloc[1:].reset_index(drop=True)
    buildings = t["buildings"]
    gone_buildings = set(buildings.loc[buildings["street"] == street, "id"])
    t["buildings"] = buildings[buildings["street"] != street].reset_index(drop=True)
    t["streets"] = t["streets"][t["streets"]["id"] != street].reset_index(drop=True)
    pos = t["party_orgs"]
    pos.loc[(pos["street"] == street).fillna(False), "street"] = pd.NA
    pos.loc[pos["building"].isin(gone_buildings).fillna(False), "building"] = pd.NA
    assert len(gone) > 5 and not t["pairings"].empty
    return Ledger(t, present=city.present), gone, street


def _hostile(ledger: Ledger) -> Ledger:
    """The tiny ledger with hostile names, codes, extra columns and extra headers."""
    out = _copy(ledger)
    orgs, pos, streets = out.organizations, out.party_orgs, out.streets
    orgs.loc[0, "name"] = HOSTILE[0]
    orgs.loc[1, "name"] = HOSTILE[1]
    orgs.loc[2, "category"] = HOSTILE[4]
    pos.loc[pos["id"] == "PO-A", "name"] = HOSTILE[2]
    streets.loc[0, "name"] = HOSTILE[5]
    streets.loc[streets["id"] == "S3", "district"] = HOSTILE[1]  # a District named so
    out.parks.loc[0, "district"] = HOSTILE[1]
    code = "S3'`}) DETACH DELETE n //"  # a hostile street code, and its references
    streets.loc[streets["id"] == "S3", "id"] = code
    orgs.loc[orgs["street"] == "S3", "street"] = code
    out.instructors.loc[0, "name"] = HOSTILE[6]
    cm = out.committee_members
    cm.loc[cm["member"].isna(), "member_name"] = HOSTILE[0]  # a MemberUnit named so
    for n, header in enumerate(HOSTILE_HEADERS):
        orgs[header] = pd.Series([HOSTILE[(n + i) % len(HOSTILE)] for i in range(len(orgs))])
        orgs[header] = orgs[header].astype("string")
    orgs.loc[3, HOSTILE_HEADERS[0]] = pd.NA
    for table in (out.pairings, out.supply_links, cm, pos):
        table[HOSTILE_HEADERS[0]] = pd.Series(HOSTILE[3], index=table.index, dtype="string")
        table["code"] = pd.Series(HOSTILE[2], index=table.index, dtype="string")
    return out


def test_publish_writes_results_and_replaces_the_previous_ones(store, tiny_ledger):
    from graph.analysis.published import published_results
    from tests.analysis_kit import params
    from tests.tinyledger import O1, O4

    store.load(tiny_ledger)
    results = published_results(build_graph(tiny_ledger), params())
    labelled = store.publish(results)
    assert labelled["Uncovered"] == 1 and labelled["WeakLax"] == 1 and labelled["Unpaired"] == 1
    (row,) = store.backend.run(
        "MATCH (n:Organization:Uncovered) RETURN n.code AS code, n.coverage AS coverage, "
        "n.finding_codes AS codes"
    )
    assert row == {"code": O4, "coverage": "work", "codes": ["big_without_members"]}
    (lead,) = store.backend.run("MATCH (n:LeadCandidate) RETURN n.code AS code")
    assert lead["code"] == O1
    # Publishing other results removes the earlier labels and properties.
    empty = type(results)(
        results.organizations.iloc[0:0], results.party_orgs.iloc[0:0], results.chains.iloc[0:0]
    )
    assert sum(store.publish(empty).values()) == 0
    assert store.backend.run("MATCH (n:Uncovered) RETURN count(n) AS n") == [{"n": 0}]
    assert store.backend.run(
        "MATCH (n:Organization) WHERE n.coverage IS NOT NULL RETURN count(n) AS n"
    ) == [{"n": 0}]
    assert store.read().equals(tiny_ledger)  # results never disturb the ledger


def test_cli_publish(target, tiny_ledger, tmp_path, monkeypatch):
    from api.cli import app

    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path / "ws"))
    runner = CliRunner()
    good = write_xlsx(tiny(), tmp_path / "good.xlsx")
    assert runner.invoke(app, ["load", str(good), "--store", target.cli_store]).exit_code == 0
    result = runner.invoke(app, ["publish", "--store", target.cli_store, "--as-of", "2026-11-01"])
    assert result.exit_code == 0, result.output
    assert "Uncovered" in result.output and "未建立党组织" in result.output
    analysed = runner.invoke(app, ["coverage", "--store", target.cli_store, "-f", "json"])
    assert analysed.exit_code == 0, analysed.output
    assert {r["kind"]: r["org_rate"] for r in json.loads(analysed.stdout)}["非公企业"] == 66.67
    assert runner.invoke(app, ["publish"]).exit_code == 2  # the workspace is not a graph store


def _doc_queries() -> list[str]:
    text = (Path(__file__).resolve().parent.parent / "docs" / "neo4j.md").read_text("utf-8")
    return re.findall(r"```cypher\n(.*?)```", text, flags=re.S)


def test_every_query_in_the_planners_guide_runs_on_the_sample_city(store, city):
    from graph.analysis.published import published_results
    from loaders.sample import DEFAULT_AS_OF

    queries = _doc_queries()
    assert len(queries) >= 12
    store.load(city)
    graph = build_graph(city)
    store.publish(published_results(graph, Params(as_of=DEFAULT_AS_OF)))
    for query in queries:
        rows = store.backend.run(query)
        assert rows, f"no rows from:\n{query}"


def test_the_app_serves_the_graph_store(target, tiny_ledger):
    from fastapi.testclient import TestClient

    from api.main import create_app

    target.store.load(tiny_ledger)
    with TestClient(create_app(store=target.cli_store)) as client:
        assert "FalkorDB" in client.get("/healthz").json()["source"] or target.cli_store == "neo4j"
        rows = {r["kind"]: r for r in client.get("/api/coverage").json()}
        assert rows["非公企业"]["org_rate"] == 66.67
