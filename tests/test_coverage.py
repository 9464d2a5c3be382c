"""coverage: the two rates per kind, by hand on the tiny ledger.

In scope (经营状态 正常): O1, O2, O4 (enterprises) and O3 (social); O5 is a 僵尸企业 and counts
nowhere. Enterprises: 3 in scope; O1 (own PO-A) and O2 (joint PO-J) covered → 2/3 = 66.67%;
work coverage adds O4 (instructor I1) → 3/3 = 100%; standalone O1 → 1/2 = 50%. Social: O3 in
joint PO-J → 100% covered, 0% standalone.
"""

from __future__ import annotations

import math

import pytest

from graph.analysis.common import Params, org_table
from graph.analysis.coverage import GROUPINGS, coverage
from graph.build import build_graph
from loaders.sample import DEFAULT_AS_OF, generate_city
from tests.analysis_kit import graph_of, params
from tests.tinyledger import O1, O2, O3, code, tiny


def _rows(frame):
    return {
        r["kind"] if "group" not in r else (r["group"], r["kind"]): r
        for r in frame.to_dict("records")
    }


def test_headline_rows_by_kind():
    rows = _rows(coverage(graph_of(), "kind", params()))
    e, s = rows["非公企业"], rows["社会组织"]
    assert (
        e["total"],
        e["org_covered"],
        e["work_covered"],
        e["standalone"],
        e["with_members"],
    ) == (3, 2, 3, 1, 2)
    assert (e["org_rate"], e["work_rate"], e["standalone_rate"]) == (66.67, 100.0, 50.0)
    assert (s["total"], s["org_covered"], s["standalone"], s["org_rate"], s["standalone_rate"]) == (
        1,
        1,
        0,
        100.0,
        0.0,
    )


def test_scope_filter_by_staff():
    # O2 has 20 staff: with a minimum of 21 only O1 (covered) and O4 (not) remain → 50%.
    e = _rows(coverage(graph_of(), "kind", params(min_employees_enterprise=21)))["非公企业"]
    assert (e["total"], e["org_covered"], e["org_rate"]) == (2, 1, 50.0)
    s = _rows(coverage(graph_of(), "kind", params(min_employees_social=11)))["社会组织"]
    assert s["total"] == 0 and math.isnan(s["org_rate"])


@pytest.mark.parametrize(
    ("change", "work_covered"),
    [
        ({}, 3),
        ({"党建指导员编码": None}, 2),
        ({"党建指导员编码": None, "有工会": "是"}, 3),
        ({"党建指导员编码": None, "有妇联": "是"}, 3),
    ],
)
def test_work_coverage_counts_instructors_and_mass_organizations(change, work_covered):
    sheets = tiny()
    row = sheets["组织"][3]  # O4
    for key, value in change.items():
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value
    assert (
        _rows(coverage(graph_of(sheets), "kind", params()))["非公企业"]["work_covered"]
        == work_covered
    )


def test_cleared_organizations_are_outside_denominators():
    sheets = tiny()
    sheets["组织"][3]["经营状态"] = "注销"  # O4 leaves: 2 enterprises, both covered
    e = _rows(coverage(graph_of(sheets), "kind", params()))["非公企业"]
    assert (e["total"], e["org_rate"]) == (2, 100.0)


def test_by_street_sorted_worst_first():
    frame = coverage(graph_of(), "street", params())
    assert list(frame[["group", "kind"]].itertuples(index=False, name=None)) == [
        ("S2", "非公企业"),  # O4 alone, uncovered: 0%
        ("S1", "非公企业"),  # O1, O2: 100%
        ("S1", "社会组织"),  # O3: 100%
    ]
    assert frame.iloc[0]["group_name"] == "马坡岭街道" and frame.iloc[0]["org_rate"] == 0.0
    assert math.isnan(frame.iloc[0]["standalone_rate"])  # nothing covered there


def test_by_building_and_chain_leave_out_organizations_without_one():
    building = _rows(coverage(graph_of(), "building", params()))
    assert set(building) == {("B1", "非公企业"), ("B2", "非公企业")}  # O3 has no building
    assert building[("B1", "非公企业")]["total"] == 2
    chain = _rows(coverage(graph_of(), "chain", params()))
    assert set(chain) == {("C1", "非公企业")}  # O1 (G1); O5 (G2) is a 僵尸企业
    assert _rows(coverage(graph_of(), "district", params()))[("芙蓉区", "非公企业")]["total"] == 3


@pytest.mark.parametrize("by", list(GROUPINGS))
def test_every_grouping_on_the_sample_city(by):
    g = build_graph(generate_city(3000))
    frame = coverage(g, by, Params(as_of=DEFAULT_AS_OF))
    assert len(frame) and frame["org_covered"].le(frame["total"]).all()
    if by == "kind":
        rates = dict(zip(frame["kind"], frame["org_rate"], strict=True))
        assert abs(rates["非公企业"] - 90) < 3 and abs(rates["社会组织"] - 95) < 3
    else:
        assert frame["org_rate"].is_monotonic_increasing


def test_org_tables_kept_per_graph_are_bounded() -> None:
    """A web app asked for many dates keeps the last few organization tables, not all."""
    import datetime as dt

    from graph.analysis.common import ORG_TABLES_KEPT, Params, org_table

    g = graph_of()
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(ORG_TABLES_KEPT + 3)]
    for day in days:
        org_table(g, Params(as_of=day))
    kept = g.graph["_analysis_memo"]["orgs"]
    assert len(kept) == ORG_TABLES_KEPT
    first = org_table(g, Params(as_of=days[-1]))
    assert org_table(g, Params(as_of=days[-1])) is first  # still memoised


# -- 单独组建: who has its own Party organization (issue 11) ------------------------------------


def _kinds(sheets) -> dict:
    return _rows(coverage(graph_of(sheets), "kind", params()))


def _lead_committee(sheets, *covered: int) -> None:
    """PO-A becomes a 龙头领建 党委 covering the tiny ledger's organizations at ``covered``."""
    sheets["党组织"][3].update({"组织层级": "党委", "组建方式": "龙头领建"})
    for index in covered:
        sheets["组织"][index]["覆盖党组织编码"] = "PO-A"


def test_head_of_a_lead_committee_has_its_own():
    # PO-A, 龙头领建, covers O1 (5 formal) and O2 (2): O1 heads it and has its own, O2 is in
    # a joint one. Enterprises covered: O1, O2 → standalone 1 ÷ 2 = 50% (0% before issue 11).
    sheets = tiny()
    _lead_committee(sheets, 0, 1)
    e = _kinds(sheets)["非公企业"]
    assert (e["org_covered"], e["standalone"], e["standalone_rate"]) == (2, 1, 50.0)
    orgs = org_table(graph_of(sheets), params()).set_index("uscc")
    assert orgs.loc[[O1, O2], "coverage"].tolist() == ["own", "joint"]


@pytest.mark.parametrize(
    ("o2", "head"),
    [
        ({"正式党员数": 6}, O2),  # most formal members
        ({"正式党员数": 5, "从业人员数": 121}, O2),  # equal members: most staff (O1 has 120)
        ({"正式党员数": 5, "从业人员数": 120}, O1),  # equal again: lowest USCC
        ({"正式党员数": 9, "经营状态": "注销"}, O1),  # only 正常 organizations can head it
    ],
)
def test_head_of_a_lead_committee_most_members_then_staff_then_uscc(o2, head):
    sheets = tiny()
    _lead_committee(sheets, 0, 1)
    sheets["组织"][1].update(o2)
    orgs = org_table(graph_of(sheets), params())
    assert orgs.loc[orgs["lead_head"], "uscc"].tolist() == [head]
    assert orgs.loc[orgs["standalone"], "uscc"].tolist() == [head]


def test_a_lead_committee_of_one_is_its_heads_own():
    sheets = tiny()
    _lead_committee(sheets, 0)  # covers O1 alone
    assert _kinds(sheets)["非公企业"]["standalone"] == 1


def test_only_operating_organizations_make_a_standalone_branch_joint():
    # PO-A (单独组建) still lists O6, 注销, beside O1: O1 keeps its own (1 ÷ 2 = 50%, was 0%).
    sheets = tiny()
    sheets["组织"].append(
        {
            "统一社会信用代码": code(6),
            "组织名称": "庚公司",
            "组织类型": "非公企业",
            "从业人员数": 5,
            "正式党员数": 1,
            "经营状态": "注销",
            "所在街道编码": "S1",
            "覆盖党组织编码": "PO-A",
        }
    )
    e = _kinds(sheets)["非公企业"]
    assert (e["total"], e["org_covered"], e["standalone"], e["standalone_rate"]) == (3, 2, 1, 50.0)
    sheets["组织"][-1]["经营状态"] = "空壳"  # any status but 正常
    assert _kinds(sheets)["非公企业"]["standalone"] == 1
    sheets["组织"][-1]["经营状态"] = "正常"  # two that operate: a joint branch in fact
    e = _kinds(sheets)["非公企业"]
    assert (e["total"], e["org_covered"], e["standalone"]) == (4, 3, 0)


def test_standalone_rate_per_kind_is_own_over_covered():
    # O3 (社会组织) gets its own branch PO-O3 that still lists a 注销 social organization;
    # O2 alone is left in PO-J. Social: 1 covered, 1 own → 100%; enterprises: O1 own, O2
    # joint → 50%. Neither kind's rate mixes in the other's organizations.
    sheets = tiny()
    sheets["党组织"].append(
        {
            "党组织编码": "PO-O3",
            "党组织名称": "丙中心党支部",
            "组织层级": "党支部",
            "党组织类别": "社会组织党组织",
            "组建方式": "单独组建",
            "党员数": 3,
        }
    )
    sheets["组织"][2]["覆盖党组织编码"] = "PO-O3"
    sheets["组织"].append(
        {
            "统一社会信用代码": code(7, "5"),
            "组织名称": "辛服务中心",
            "组织类型": "社会组织",
            "从业人员数": 3,
            "正式党员数": 1,
            "经营状态": "注销",
            "所在街道编码": "S1",
            "覆盖党组织编码": "PO-O3",
        }
    )
    rows = _kinds(sheets)
    e, s = rows["非公企业"], rows["社会组织"]
    assert (s["total"], s["org_covered"], s["standalone"], s["standalone_rate"]) == (1, 1, 1, 100.0)
    assert (e["org_covered"], e["standalone"], e["standalone_rate"]) == (2, 1, 50.0)
    assert org_table(graph_of(sheets), params()).set_index("uscc").at[O3, "coverage"] == "own"


def test_own_organizations_agree_with_lead_organizations_on_the_sample_city():
    # leads.lead_organizations: chain enterprises in scope with their own organization,
    # 单独组建 or head of a 龙头领建 one; org_table's standalone says the same.
    from graph.analysis.leads import lead_organizations

    g = build_graph(generate_city(3000))
    p = Params(as_of=DEFAULT_AS_OF)
    orgs = org_table(g, p)
    own = orgs["in_scope"] & orgs["chain"].notna() & (orgs["org_kind"] == "非公企业")
    assert set(orgs.loc[own & orgs["standalone"], "uscc"]) == set(lead_organizations(g, p)["uscc"])
    assert orgs["lead_head"].any()
