"""coverage: the two rates per kind, by hand on the tiny ledger.

In scope (经营状态 正常): O1, O2, O4 (enterprises) and O3 (social); O5 is a 僵尸企业 and counts
nowhere. Enterprises: 3 in scope; O1 (own PO-A) and O2 (joint PO-J) covered → 2/3 = 66.67%;
work coverage adds O4 (instructor I1) → 3/3 = 100%; standalone O1 → 1/2 = 50%. Social: O3 in
joint PO-J → 100% covered, 0% standalone.
"""

from __future__ import annotations

import math

import pytest

from graph.analysis.common import Params
from graph.analysis.coverage import GROUPINGS, coverage
from graph.build import build_graph
from loaders.sample import DEFAULT_AS_OF, generate_city
from tests.analysis_kit import graph_of, params
from tests.tinyledger import tiny


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
