"""published_results: what `liangxin publish` writes to the shared store (tiny ledger)."""

from __future__ import annotations

from graph.analysis.published import RESULT_LABELS, published_results
from tests.analysis_kit import graph_of, params
from tests.tinyledger import O1, O2, O4, O5, tiny


def _by_code(frame):
    return {row["code"]: row for row in frame.to_dict("records")}


def test_tiny_ledger():
    result = published_results(graph_of(), params())
    orgs = _by_code(result.organizations)
    assert orgs[O1]["coverage"] == "own" and orgs[O1]["labels"] == ["LeadCandidate"]
    assert orgs[O1]["lead_score"] > 0
    assert orgs[O2]["coverage_zh"] == "联合党组织覆盖" and orgs[O2]["labels"] == []
    # O4: uncovered (only work coverage), 60 staff and no member.
    assert orgs[O4]["labels"] == ["Uncovered", "BigWithoutMembers"]
    assert orgs[O4]["finding_codes"] == ["big_without_members"]
    assert orgs[O5]["labels"] == []  # a 僵尸企业 is not "uncovered in scope"
    pos = _by_code(result.party_orgs)
    assert pos["PO-J"]["labels"] == ["Unpaired", "WeakLax"]
    assert pos["PO-A"]["finding_codes"] == ["overdue_election"]
    chains = _by_code(result.chains)
    assert "committee_missing_side" in chains["C1"]["finding_codes"]
    every = {
        label
        for frame in (result.organizations, result.party_orgs)
        for ls in frame["labels"]
        for label in ls
    }
    assert every <= set(RESULT_LABELS)


def test_feasible_cluster_members_get_its_id():
    sheets = tiny()
    for row in sheets["组织"][1:3]:  # O2 and O3 leave PO-J: both in S1, 2 + 1 formal members
        row.pop("覆盖党组织编码")
    sheets["组织"][2]["所在楼宇编码"] = "B1"  # now O2 and O3 share building B1 → 3 members
    orgs = _by_code(published_results(graph_of(sheets), params()).organizations)
    assert orgs[O2]["cluster_id"] == "building:B1" and orgs[O2]["cluster_mode"] == "楼宇共建"
    assert "InFeasibleCluster" in orgs[O2]["labels"]
