"""The web app's JSON endpoints with TestClient (lifespan runs): figures by hand on the tiny
ledger, the same JSON as the command line on a sample city, the response models against the
analyses they mirror, and the OpenAPI page served from this machine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args

import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api import schemas
from api.cli import app as cli
from api.main import create_app
from api.payloads import DIFF_PARTS, PLAN_PARTS
from api.routes import analyses, docs
from graph.analysis import chains, clusters, diff, flags, leads, pairing, partners, plan
from graph.analysis.common import Params
from graph.analysis.coverage import GROUPINGS, coverage, kind_overview
from graph.build import build_graph, graph_counts
from graph.ledger import Ledger
from graph.model import (
    CommitteeSide,
    FormationMode,
    OrgKind,
    OrgStatus,
    PartyLevel,
    SegmentPosition,
)
from graph.store.workspace import VersionInfo, Workspace, source_checksum
from loaders import read_ledger
from loaders.sample import generate_city
from tests.tinyledger import O1, O2, O4, O5, tiny, write_xlsx

AS_OF = {"as_of": "2026-11-01"}
SAMPLE_AS_OF = dt.date(2026, 11, 1)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def workspace(tmp_path):
    path = write_xlsx(tiny(), tmp_path / "tiny.xlsx")
    ws = Workspace(tmp_path / "ws")
    ws.save(read_ledger(path), source=path, checksum=source_checksum(path))
    return ws


@pytest.fixture
def client(workspace):
    with TestClient(create_app(workspace=workspace.root)) as client:
        yield client


def test_healthz(client, workspace):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["version"] == workspace.current().id


def test_coverage_like_the_cli(client):
    rows = {r["kind"]: r for r in client.get("/api/coverage").json()}
    assert rows["非公企业"]["org_rate"] == 66.67 and rows["社会组织"]["org_rate"] == 100.0
    scoped = client.get("/api/coverage", params={"min_employees_enterprise": 21}).json()
    assert {r["kind"]: r for r in scoped}["非公企业"]["total"] == 2
    streets = client.get("/api/coverage", params={"by": "street"}).json()
    assert streets[0]["group"] == "S2"
    assert client.get("/api/coverage", params={"by": "planet"}).status_code == 422


def test_every_analysis_endpoint(client):
    found = {(r["code"], r["subject"]) for r in client.get("/api/flags", params=AS_OF).json()}
    assert ("overdue_election", "PO-A") in found
    assert [c["members"] for c in client.get("/api/clusters").json()] == [[O4]]
    partners = client.get(f"/api/partners/{O4.lower()}").json()
    assert partners["subject"]["uscc"] == O4
    assert isinstance(client.get("/api/leads").json(), list)
    assert client.get("/api/chains/findings").json()[0]["chain"] == "C1"
    assert client.get("/api/chains/segments", params={"chain": "C1"}).json()
    assert client.get("/api/pairing").json()["paired_rate"] == 50.0
    plan = client.get("/api/plan").json()
    assert [i["uscc"] for i in plan["instructors"]] == [O4]


def test_errors_are_chinese_4xx(client):
    missing = client.get("/api/partners/91430100MA000000XX")
    assert missing.status_code == 404 and "找不到" in missing.json()["detail"]
    assert client.get("/api/leads", params={"chain": "NOPE"}).status_code == 404


def test_a_new_version_is_picked_up(client, workspace, tmp_path):
    sheets = tiny()
    sheets["组织"][1].pop("覆盖党组织编码")  # O2 loses its branch
    path = write_xlsx(sheets, tmp_path / "later.xlsx")
    workspace.save(read_ledger(path), source=path, checksum=source_checksum(path))
    rows = {r["kind"]: r for r in client.get("/api/coverage").json()}
    assert rows["非公企业"]["org_rate"] == 33.33
    assert client.get("/healthz").json()["version"] == workspace.current().id


def test_no_workspace_fails_at_start_with_the_message(tmp_path):
    from graph.errors import NotFound

    with (
        pytest.raises(NotFound, match="liangxin load"),
        TestClient(create_app(workspace=tmp_path / "none")),
    ):
        pass


def test_liangxin_serve_answers_on_loopback(workspace):
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "LIANGXIN_HOME": str(workspace.root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "serve did not answer in 20 s"
                time.sleep(0.2)
        assert response.json()["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- the endpoints added or typed, by hand on the tiny ledger ---------------------------------


def test_coverage_by_kind_has_no_group_fields(client):
    kinds = client.get("/api/coverage").json()
    assert [set(r) for r in kinds] == [
        set(schemas.CoverageRow.model_fields) - {"group", "group_name"}
    ] * 2
    streets = client.get("/api/coverage", params={"by": "street"}).json()
    assert {"group", "group_name"} <= set(streets[0])


def test_flags_filtered_by_code(client):
    rows = client.get("/api/flags", params={**AS_OF, "code": ["weak_lax", "unpaired"]}).json()
    assert [(r["code"], r["subject"]) for r in rows] == [("weak_lax", "PO-J"), ("unpaired", "PO-J")]
    assert client.get("/api/flags", params={"code": "planets"}).status_code == 422


def test_clusters_feasible_only(client):
    assert [c["members"] for c in client.get("/api/clusters").json()] == [[O4]]
    assert client.get("/api/clusters", params={"feasible": True}).json() == []  # O4: no members


def test_pairing_top(client):
    body = client.get("/api/pairing", params={"top": 1}).json()
    assert (body["liangxin_orgs"], body["liangxin_paired"]) == (2, 1)
    [row] = body["unpaired"]  # PO-J: one suggestion, the agency branch
    assert (row["party_org"], row["rank"], row["suggested_partner"]) == ("PO-J", 1, "PO-GOV")
    assert client.get("/api/pairing", params={"top": 0}).status_code == 422


def test_chains_structure_by_hand(client):
    [c1] = client.get("/api/chains", params=AS_OF).json()
    assert (c1["chain"], c1["lead_department"]) == ("C1", "市工业和信息化局")
    assert c1["park_committee"] == {"code": "PO-PARK", "name": "长沙高新区党工委"}
    [committee] = c1["committees"]
    assert (committee["code"], committee["parent"], committee["parent_is_park"]) == (
        "PO-CHAIN",
        "PO-PARK",
        True,
    )
    assert [(m["side"], m["member"]) for m in committee["members"]] == [
        ("骨干企业", O1),
        ("政府部门", None),
    ]
    assert (c1["sides_present"], c1["sides_missing"]) == (["骨干企业", "政府部门"], ["协会联盟"])
    # O5 is a 僵尸企业: only O1 counts; its branch PO-A is under the street, O1 sits on the
    # committee, so PO-A is a functional member
    assert (c1["enterprises"], c1["covered"]) == (1, 1)
    assert c1["enterprise_orgs"] == [
        {
            "party_org": "PO-A",
            "name": "甲公司党支部",
            "attachment": "functional",
            "organizations": [O1],
        }
    ]
    assert [(s["segment"], s["enterprises"], s["org_rate"]) for s in c1["segments"]] == [
        ("G1", 1, 100.0),
        ("G2", 0, None),
    ]
    # the chain committee's blank organisational-life date is no 软弱涣散 evidence (one definition
    # with flags, issue 11 item 9)
    assert [f["code"] for f in c1["findings"]] == [
        "committee_missing_side",
        "segment_single_point",
    ]
    assert c1["findings"] == [
        {k: v for k, v in f.items() if k != "code_label"}
        for f in client.get("/api/chains/findings", params=AS_OF).json()
    ]


def test_unknown_chain_is_a_chinese_404(client):
    for path in ("/api/chains", "/api/chains/findings", "/api/chains/segments", "/api/leads"):
        answer = client.get(path, params={"chain": "NOPE"})
        assert answer.status_code == 404 and "NOPE" in answer.json()["detail"], path
        assert CJK.search(answer.json()["detail"])


def test_summary_by_hand(client):
    body = client.get("/api/summary").json()
    assert body["source"].startswith("工作区版本")
    assert body["organizations"] == [
        # O1, O2, O4, O5 listed; O5 is a 僵尸企业; O1 and O2 covered; O4 has an instructor
        {
            "kind": "非公企业",
            "listed": 4,
            "total": 3,
            "org_covered": 2,
            "org_rate": 66.67,
            "work_rate": 100.0,
        },
        {
            "kind": "社会组织",
            "listed": 1,
            "total": 1,
            "org_covered": 1,
            "org_rate": 100.0,
            "work_rate": 100.0,
        },
    ]
    nodes = {r["kind"]: r["count"] for r in body["nodes"]}
    assert (nodes["Organization"], nodes["PartyOrganization"], nodes["Street"]) == (5, 6, 3)
    assert {r["kind"]: r["count"] for r in body["edges"]}["COVERS"] == 3  # O1; O2 and O3


def test_versions_and_status(client, workspace):
    [version] = client.get("/api/versions").json()
    current = workspace.current()
    assert (version["id"], version["current"]) == (current.id, True)
    assert version["counts"]["organizations"] == 5
    assert version["source"] == Path(current.source).name  # no absolute path (issue 12)
    status = client.get("/api/status").json()
    assert status["workspace"] == workspace.root.name
    assert status["source"] == Path(current.source).name
    expected = {**current.to_dict(), "source": Path(current.source).name}
    assert {k: v for k, v in status.items() if k != "workspace"} == expected


def test_diff_month_on_month(client, workspace, tmp_path):
    only = client.get("/api/diff")
    assert only.status_code == 404 and only.json()["detail"] == "当前版本是第一个版本，没有上一版。"
    first = workspace.current().id
    sheets = tiny()
    sheets["组织"][1].pop("覆盖党组织编码")  # O2 leaves the joint branch PO-J
    path = write_xlsx(sheets, tmp_path / "later.xlsx")
    workspace.save(
        read_ledger(path),
        source=path,
        checksum=source_checksum(path),
        now=dt.datetime.now() + dt.timedelta(minutes=1),
    )
    body = client.get("/api/diff").json()
    assert (body["from"], body["to"]) == (first, workspace.current().id)
    enterprises = body["headline"][0]
    assert (enterprises["kind"], enterprises["org_rate_then"], enterprises["org_rate_now"]) == (
        "非公企业",
        66.67,
        33.33,
    )
    assert enterprises["org_rate_change"] == -33.34
    [lost] = body["newly_uncovered"]
    assert (lost["uscc"], lost["party_org_then"], lost["party_org_now"]) == (O2, "PO-J", None)
    assert body["added"] == body["removed"] == body["newly_covered"] == []
    worst = body["streets"][0]  # the enterprises of 东湖街道: O1 and O2, then O1 only
    assert (worst["group"], worst["kind"], worst["change"]) == ("S1", "非公企业", -50.0)
    same = client.get("/api/diff", params={"from": first, "to": first}).json()
    assert same["headline"][0]["org_rate_change"] == 0.0 and same["newly_uncovered"] == []
    unknown = client.get("/api/diff", params={"from": "19990101"})
    assert unknown.status_code == 404 and "19990101" in unknown.json()["detail"]


def test_diff_lists_moves_and_scope_changes_as_of_a_day(client, workspace, tmp_path):
    """/api/diff has the moved, left_scope and entered_scope tables and takes ``as_of`` like
    every other analysis endpoint (a bad date is refused, not ignored)."""
    from tests.test_diff import tiny_next_month

    path = write_xlsx(tiny_next_month(), tmp_path / "later.xlsx")
    workspace.save(
        read_ledger(path),
        source=path,
        checksum=source_checksum(path),
        now=dt.datetime.now() + dt.timedelta(minutes=1),
    )
    answer = client.get("/api/diff", params={"as_of": "2026-11-01"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    [moved] = body["moved"]
    assert (moved["uscc"], moved["street_then"], moved["street_now"]) == (O2, "S1", "S2")
    assert (moved["building_then_name"], moved["building_now_name"]) == ("东湖大厦", "马坡岭产业园")
    assert [(r["uscc"], r["cause"]) for r in body["left_scope"]] == [(O4, "status")]
    assert [(r["uscc"], r["cause"]) for r in body["entered_scope"]] == [(O5, "status")]
    assert body["left_scope"][0]["reason"] == "经营状态由正常变为注销，不再纳入统计"
    assert client.get("/api/diff", params={"as_of": "十一月"}).status_code == 422


def test_workspace_endpoints_need_a_workspace(tmp_path):
    path = write_xlsx(tiny(), tmp_path / "tiny.xlsx")
    with TestClient(create_app(ledger=path)) as client:
        assert client.get("/api/coverage").status_code == 200
        for url in ("/api/diff", "/api/versions", "/api/status"):
            answer = client.get(url)
            assert answer.status_code == 404, url
            assert "台账文件或图数据库" in answer.json()["detail"]


def test_extreme_days_and_scopes_are_answered(client):
    """Schemathesis found these 500s: a date near year 1 or 9999, a staff minimum beyond int64."""
    late = client.get("/api/flags", params={"as_of": "9999-12-31"})
    found = {(r["code"], r["subject"]) for r in late.json()}
    assert {
        ("overdue_election", "PO-A"),
        ("overdue_election", "PO-S1"),
        ("weak_lax", "PO-A"),
    } <= found
    assert not any(code == "election_due_soon" for code, _ in found)
    early = client.get("/api/flags", params={"as_of": "0001-01-01"})
    found = {(r["code"], r["subject"]) for r in early.json()}
    assert ("weak_lax", "PO-J") in found  # no secretary, whatever the day
    assert not any(code in ("overdue_election", "weak_lax") and s == "PO-A" for code, s in found)
    for path in ("/api/chains", "/api/chains/findings", "/api/plan", "/api/pairing"):
        for day in ("0001-01-01", "9999-12-31"):
            assert client.get(path, params={"as_of": day}).status_code == 200, (path, day)
    huge = client.get("/api/coverage", params={"min_employees_enterprise": 10**30}).json()
    assert {r["kind"]: r["total"] for r in huge} == {"非公企业": 0, "社会组织": 1}
    assert huge[0]["org_rate"] is None


# -- the same JSON as the command line, on a sample city --------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A 300-organization sample city in a workspace, two versions a month apart, served."""
    root = tmp_path_factory.mktemp("sample")
    ws = Workspace(root / "ws")
    city = generate_city(300, seed=2022)
    ws.save(city, source=root / "十月.xlsx", checksum="october", now=dt.datetime(2026, 10, 1, 9))
    later = _uncover(city, 10)
    ws.save(
        later, source=root / "十一月.xlsx", checksum="november", now=dt.datetime(2026, 11, 1, 9)
    )
    with TestClient(create_app(workspace=ws.root)) as client:
        yield ws, client, build_graph(city), build_graph(later)


def _uncover(city: Ledger, n: int) -> Ledger:
    tables = {key: table.copy() for key, table in city.tables.items()}
    orgs = tables["organizations"]
    orgs.loc[orgs.index[orgs["party_org"].notna()][:n], "party_org"] = pd.NA
    return Ledger(tables, present=city.present)


def _some_uncovered_org(ws: Workspace) -> str:
    orgs = ws.read().organizations
    return str(orgs.loc[orgs["party_org"].isna() & (orgs["status"] == "正常"), "uscc"].iloc[0])


A = ["--as-of", "2026-11-01"]
Q = "as_of=2026-11-01"
CLI_CASES = [
    (["coverage", *A], f"/api/coverage?{Q}"),
    (["coverage", "--by", "segment", *A], f"/api/coverage?by=segment&{Q}"),
    (
        ["flags", "--code", "weak_lax", "--code", "unpaired", *A],
        f"/api/flags?code=weak_lax&code=unpaired&{Q}",
    ),
    (
        ["clusters", "--feasible", "--min-employees-enterprise", "10", *A],
        f"/api/clusters?feasible=true&min_employees_enterprise=10&{Q}",
    ),
    (["partners", "{uscc}", "--top", "4", *A], f"/api/partners/{{uscc}}?top=4&{Q}"),
    (["leads", "--top", "2", *A], f"/api/leads?top=2&{Q}"),
    (["chains", *A], f"/api/chains?{Q}"),
    (
        ["pairing", "--top", "2", "--min-employees-social", "5", *A],
        f"/api/pairing?top=2&min_employees_social=5&{Q}",
    ),
    (["plan", *A], f"/api/plan?{Q}"),
    (["diff", "--min-employees-enterprise", "10"], "/api/diff?min_employees_enterprise=10"),
    (["diff", *A], f"/api/diff?{Q}"),
    (["diff", "--from", "current", "--to", "previous"], "/api/diff?from=current&to=previous"),
    (["versions"], "/api/versions"),
    (["status"], "/api/status"),
    (["summary"], "/api/summary"),
]


@pytest.mark.parametrize(("args", "url"), CLI_CASES, ids=[" ".join(a[:3]) for a, _ in CLI_CASES])
def test_endpoint_answers_like_the_cli(sample, args, url):
    ws, client, _, _ = sample
    uscc = _some_uncovered_org(ws)
    args = [a.replace("{uscc}", uscc) for a in args]
    result = CliRunner().invoke(cli, [*args, "--workspace", str(ws.root), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)
    if url in ("/api/versions", "/api/status"):  # the web names no folder, only file names
        for row in expected if isinstance(expected, list) else [expected]:
            row["source"] = Path(row["source"]).name
            if "workspace" in row:
                row["workspace"] = Path(row["workspace"]).name
    answer = client.get(url.replace("{uscc}", uscc))
    assert answer.status_code == 200
    assert answer.json() == expected
    assert expected, "an empty answer would prove nothing"


# -- the response models mirror the analyses --------------------------------------------------


def _fields(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def _dataclass_fields(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def _mirrors(g, later, ws) -> list[tuple[type[BaseModel], set[str]]]:
    p = Params(as_of=SAMPLE_AS_OF)
    formation = plan.plan(g, p)
    paired = pairing.pairing(g, p)
    changes = diff.diff(g, later, p)
    nodes, edges = graph_counts(g)
    overview = kind_overview(g)
    return [
        (schemas.CoverageRow, set(coverage(g, "street", p).columns)),
        (schemas.FlagRow, set(flags.flags(g, p).columns)),
        (schemas.ClusterRow, set(clusters.clusters(g, p).columns)),
        (schemas.PartnerRow, set(partners.partners(g, _some_uncovered_org(ws), params=p).columns)),
        (
            schemas.PartnerSubject,
            set(partners.partners(g, _some_uncovered_org(ws), params=p).attrs["subject"]),
        ),
        (schemas.LeadRow, set(leads.leads(g, params=p).columns)),
        (schemas.ChainFindingRow, set(chains.chain_findings(g, None, p).columns)),
        (schemas.SegmentRow, set(chains.segment_coverage(g, None, p).columns)),
        (schemas.SegmentRow, _dataclass_fields(chains.SegmentRow)),
        (schemas.ChainReport, _dataclass_fields(chains.ChainReport)),
        (schemas.ChainFinding, _dataclass_fields(chains.ChainFinding)),
        (schemas.ChainCommittee, _dataclass_fields(chains.ChainCommittee)),
        (schemas.CommitteeMember, _dataclass_fields(chains.CommitteeMember)),
        (schemas.ParkCommittee, _dataclass_fields(chains.ParkCommittee)),
        (schemas.EnterpriseOrg, _dataclass_fields(chains.EnterpriseOrg)),
        (schemas.PairingResult, _dataclass_fields(pairing.PairingResult)),
        (schemas.PairingByType, set(paired.by_type.columns)),
        (schemas.PairingByDistrict, set(paired.by_district.columns)),
        (schemas.UnpairedRow, set(paired.unpaired.columns)),
        (schemas.FormationPlan, _dataclass_fields(plan.FormationPlan)),
        (schemas.PlanRate, set(formation.rates.columns)),
        (schemas.StandaloneProposal, set(formation.frame("standalone").columns)),
        (schemas.JointGroup, set(formation.frame("groups").columns)),
        (schemas.Attachment, set(formation.frame("attachments").columns)),
        (schemas.InstructorAssignment, set(formation.frame("instructors").columns)),
        (schemas.VersionDiff, _dataclass_fields(diff.VersionDiff) | {"from", "to"}),
        (schemas.DiffHeadline, set(changes.headline.columns)),
        (schemas.RateChange, set(changes.streets.columns)),
        (schemas.RateChange, set(changes.chains.columns)),
        (schemas.DiffOrganization, set(diff.ORG_COLUMNS)),
        (schemas.MovedOrganization, set(changes.moved.columns)),
        (schemas.ScopeChange, set(changes.left_scope.columns)),
        (schemas.ScopeChange, set(changes.entered_scope.columns)),
        (schemas.CoverageChange, set(changes.newly_uncovered.columns)),
        (schemas.VersionInfo, _dataclass_fields(VersionInfo)),
        (schemas.VersionListed, _dataclass_fields(VersionInfo) | {"current"}),
        (schemas.WorkspaceStatus, _dataclass_fields(VersionInfo) | {"workspace"}),
        (schemas.KindOverview, set(overview.columns)),
        (schemas.CountRow, set(nodes.columns) | set(edges.columns)),
    ]


def test_each_model_has_exactly_the_fields_of_what_it_mirrors(sample):
    ws, _, g, later = sample
    for model, columns in _mirrors(g, later, ws):
        assert _fields(model) == columns, model.__name__
    by_kind = set(coverage(g, "kind", Params(as_of=SAMPLE_AS_OF)).columns)
    assert _fields(schemas.CoverageRow) - by_kind == {"group", "group_name"}


def test_models_cover_every_table_of_the_plan_and_the_diff():
    """A new part of a result (a new table in the JSON) needs a model too."""
    assert set(schemas.FormationPlan.model_fields) == {"rates", *PLAN_PARTS, "solver"}
    assert _fields(schemas.VersionDiff) == {"from", "to", *DIFF_PARTS}


@pytest.mark.parametrize(
    ("literal", "values"),
    [
        (schemas.OrgKindName, [k.value for k in OrgKind]),
        (schemas.OrgStatusName, [s.value for s in OrgStatus]),
        (schemas.PartyLevelName, [lv.value for lv in PartyLevel]),
        (schemas.FormationModeName, [m.value for m in FormationMode]),
        (schemas.CommitteeSideName, [s.value for s in CommitteeSide]),
        (schemas.SegmentPositionName, [s.value for s in SegmentPosition]),
        (schemas.FlagCode, list(flags.FLAG_CODES)),
        (schemas.ChainFindingCode, list(chains.FINDING_CODES)),
        (schemas.Severity, list(chains.SEVERITIES)),
        (schemas.EnterpriseAttachment, list(chains.ATTACHMENTS)),
        (schemas.ClusterLevel, list(clusters.LEVELS)),
        (schemas.PlanGroupLevel, list(plan.GROUP_LEVELS)),
        (analyses.Grouping, list(GROUPINGS)),
    ],
)
def test_code_sets_are_the_analyses_own(literal, values):
    assert list(get_args(literal)) == values


# -- the OpenAPI document and its page ---------------------------------------------------------


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _undescribed(spec: dict[str, Any], node: dict[str, Any], seen: set[str]) -> list[str]:
    """Properties without a Chinese description, through arrays, unions and references."""
    missing: list[str] = []
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return missing
        seen.add(name)
    node = _resolve(spec, node)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            missing += _undescribed(spec, node[key], seen)
    for option in node.get("anyOf", []):
        missing += _undescribed(spec, option, seen)
    for name, prop in node.get("properties", {}).items():
        if not CJK.search(prop.get("description", "")):
            missing.append(f"{node.get('title')}.{name}")
        missing += _undescribed(spec, prop, seen)
    return missing


def test_every_endpoint_is_documented_in_chinese(client):
    spec = client.get("/openapi.json").json()
    tags = {t["name"] for t in analyses.TAGS}
    assert {t["name"] for t in spec["tags"]} >= tags
    assert all(CJK.search(t["description"]) for t in spec["tags"])
    used = {tag for path in spec["paths"].values() for op in path.values() for tag in op["tags"]}
    assert used <= {t["name"] for t in spec["tags"]}  # every tag shown has its description
    ours = {route.path for route in analyses.router.routes}
    assert ours >= {"/api/chains", "/api/diff", "/api/versions", "/api/status", "/api/summary"}
    for route in analyses.router.routes:
        operation = spec["paths"][route.path]["get"]
        assert CJK.search(operation["summary"]) and CJK.search(operation["description"])
        assert len(operation["tags"]) == 1 and operation["tags"][0] in tags, route.path
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema or "$ref" in schema.get("items", {}), route.path
        assert _undescribed(spec, schema, set()) == [], route.path
        for parameter in operation.get("parameters", []):
            assert CJK.search(parameter.get("description", "")), (route.path, parameter["name"])
        for code, answer in operation["responses"].items():
            if code in ("400", "404"):
                assert answer["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ApiError"
                }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.links += [v for k, v in attrs if k in ("src", "href") and v is not None]
        if tag == "script":
            self.scripts.append(values)
            self._in_script = True
        if tag == "div" and values.get("id") == "swagger-ui":
            self.settings = json.loads(values["data-settings"] or "{}")
            self.openapi_url = values["data-openapi-url"]

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text += data.strip()


def test_docs_are_served_from_this_machine(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    parsed = _Links()
    parsed.feed(page.text)
    assert "<title>两新图谱 接口文档</title>" in page.text
    assert sorted(parsed.links) == sorted(f"/static/swagger/{name}" for name in docs.ASSETS)
    for link in parsed.links:
        assert link.startswith("/") and not link.startswith("//"), link
        answer = client.get(link)
        assert answer.status_code == 200 and answer.content, link
    assert (
        client.get("/static/swagger/init.js").headers["content-type"].startswith("text/javascript")
    )
    assert "SwaggerUIBundle" in client.get("/static/swagger/swagger-ui-bundle.js").text[:2000]
    # no inline script: every script is a file, and Swagger UI's settings are data
    assert all(s.get("src") for s in parsed.scripts) and parsed.script_text == ""
    assert parsed.settings["validatorUrl"] is None and parsed.settings["dom_id"] == "#swagger-ui"
    assert client.get(parsed.openapi_url).json()["info"]["title"] == "两新图谱"
    assert re.search(r"https?:|//", page.text) is None  # no address outside this machine
    assert client.get("/redoc").status_code == 404
    assert client.get("/static/swagger/swagger-ui.css.map").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404
