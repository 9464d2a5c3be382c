"""Tests for graph.analysis.diff: two tiny versions of one ledger, the changes picked by hand.

Streets S1 东湖街道 and S2 马坡岭街道; chains C1 工程机械 (segment G1) and C2 汽车 (segment H1).
Party organizations: PA (O1's own), PJ (联合组建: O2 and O3 then, O3 only now), PS (S1's
街道两新综合党委, covers O7), PB (O5's own), PC (O8's own); new this month PD (O10's own) and
PE (O6's own). All 非公企业 but O3 (社会组织).

| org | street | then                 | now                                                |
|-----|--------|----------------------|----------------------------------------------------|
| O1  | S1     | PA, chain C1         | PA                                                 |
| O2  | S1     | PJ                   | uncovered: newly uncovered                         |
| O3  | S1     | PJ (社会组织)        | PJ                                                 |
| O4  | S2     | uncovered            | uncovered                                          |
| O5  | S2     | PB                   | PB                                                 |
| O6  | S2     | uncovered, chain C1  | PE: newly covered                                  |
| O7  | S1     | PS                   | removed                                            |
| O8  | S2     | PC                   | 注销, uncovered: left the scope, not newly uncovered |
| O9  | S1     | —                    | added, uncovered: newly uncovered (new)            |
| O10 | S2     | —                    | added, PD, chain C2: newly covered (new)           |
| O11 | S2     | 僵尸企业, uncovered   | 正常, uncovered: newly uncovered (entered scope)   |
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.analysis.common import Params
from graph.analysis.diff import CHANGE_COLUMNS, ORG_COLUMNS, RATE_COLUMNS, diff
from graph.build import build_graph
from graph.ledger import Ledger
from loaders.sample import generate_city
from tests.analysis_kit import table
from tests.tinyledger import code

U = {n: code(n) for n in range(1, 12)}  # O1 … O11 of the table above
U[3] = code(3, "5")


def org(n: int, street: str, party_org: str | None = None, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "uscc": U[n],
        "name": f"组织{n}",
        "kind": "社会组织" if n == 3 else "非公企业",
        "employees": 20,
        "formal_members": 1,
        "street": street,
        "party_org": party_org,
    }
    row.update(extra)
    return row


def own(id: str, name: str, street: str) -> dict[str, object]:
    return {
        "id": id,
        "name": name,
        "level": "党支部",
        "type": "企业党组织",
        "formation": "单独组建",
        "members": 3,
        "street": street,
    }


THEN = [
    org(1, "S1", "PA", segment="G1"),
    org(2, "S1", "PJ"),
    org(3, "S1", "PJ"),
    org(4, "S2"),
    org(5, "S2", "PB"),
    org(6, "S2", segment="G1"),
    org(7, "S1", "PS"),
    org(8, "S2", "PC"),
    org(11, "S2", status="僵尸企业"),
]
NOW = [
    org(1, "S1", "PA", segment="G1"),
    org(2, "S1"),
    org(3, "S1", "PJ"),
    org(4, "S2"),
    org(5, "S2", "PB"),
    org(6, "S2", "PE", segment="G1"),
    org(8, "S2", status="注销"),
    org(9, "S1"),
    org(10, "S2", "PD", segment="H1"),
    org(11, "S2"),
]


def version(orgs: list[dict[str, object]]) -> nx.MultiDiGraph:
    party_orgs = [
        own("PA", "甲党支部", "S1"),
        {**own("PJ", "东湖联合党支部", "S1"), "formation": "联合组建"},
        {
            "id": "PS",
            "name": "东湖街道两新综合党委",
            "level": "党委",
            "type": "街道两新综合党委",
            "formation": "兜底组建",
            "members": 10,
            "street": "S1",
        },
        own("PB", "戊党支部", "S2"),
        own("PC", "辛党支部", "S2"),
        own("PD", "癸党支部", "S2"),
        own("PE", "己党支部", "S2"),
    ]
    ledger = Ledger(
        {
            "streets": table(
                "streets",
                [
                    {"id": "S1", "name": "东湖街道", "district": "芙蓉区"},
                    {"id": "S2", "name": "马坡岭街道", "district": "芙蓉区"},
                ],
            ),
            "chains": table(
                "chains", [{"id": "C1", "name": "工程机械"}, {"id": "C2", "name": "汽车"}]
            ),
            "segments": table(
                "segments",
                [
                    {"id": "G1", "chain": "C1", "name": "零部件", "position": "上游"},
                    {"id": "H1", "chain": "C2", "name": "整车", "position": "中游"},
                ],
            ),
            "party_orgs": table("party_orgs", party_orgs),
            "organizations": table("organizations", orgs),
        }
    )
    return build_graph(ledger)


def test_added_and_removed() -> None:
    d = diff(version(THEN), version(NOW))
    assert list(d.added.columns) == ORG_COLUMNS
    assert d.added[["uscc", "street_name", "covered"]].values.tolist() == [
        [U[9], "东湖街道", False],
        [U[10], "马坡岭街道", True],
    ]
    assert d.removed[["uscc", "kind", "covered", "in_scope"]].values.tolist() == [
        [U[7], "非公企业", True, True]
    ]


def test_newly_uncovered_marks_new_and_returning_organizations() -> None:
    d = diff(version(THEN), version(NOW))
    lost = d.newly_uncovered
    assert list(lost.columns) == CHANGE_COLUMNS
    # S1: O9 (new) before O2; S2: O11 (back from 僵尸企业). O8 left the scope (注销): absent.
    assert lost["uscc"].tolist() == [U[9], U[2], U[11]]
    assert lost["new_org"].tolist() == [True, False, False]
    assert lost["in_scope_then"].tolist() == [False, True, False]
    o2 = lost.iloc[1]
    assert (o2["party_org_then"], o2["party_org_then_name"]) == ("PJ", "东湖联合党支部")
    assert o2["party_org_now"] is None and o2["party_org_now_name"] is None
    assert o2["reason"] == "上期由东湖联合党支部覆盖，本期未覆盖"
    assert lost.iloc[0]["reason"] == "本期新增的组织，尚未建立或纳入党组织"
    assert lost.iloc[2]["reason"] == "上期不在统计范围（僵尸企业），本期纳入统计，未覆盖"


def test_newly_covered() -> None:
    d = diff(version(THEN), version(NOW))
    gained = d.newly_covered
    # S2 only: O10 (new, PD) before O6 (PE). O1, O3, O5 stay covered: absent.
    assert gained["uscc"].tolist() == [U[10], U[6]]
    assert gained["new_org"].tolist() == [True, False]
    assert gained["party_org_now"].tolist() == ["PD", "PE"]
    assert gained.iloc[0]["reason"] == "本期新增的组织，已由癸党支部覆盖"
    assert gained.iloc[1]["reason"] == "上期未覆盖，本期由己党支部覆盖"
    assert gained.iloc[1]["party_org_then"] is None


def test_street_rates_then_and_now_largest_drop_first() -> None:
    # S1 enterprises: then O1, O2, O7 all covered 3/3 = 100; now O1 of O1, O2, O9 = 33.33.
    # S1 social: O3 1/1 then and now. S2 enterprises: then O5, O8 of O4, O5, O6, O8 = 50
    # (O11 a 僵尸企业, out); now O5, O6, O10 of O4, O5, O6, O10, O11 = 60 (O8 注销, out).
    d = diff(version(THEN), version(NOW))
    assert list(d.streets.columns) == RATE_COLUMNS
    assert d.streets.values.tolist() == [
        ["S1", "东湖街道", "非公企业", 3, 100.0, 3, 33.33, -66.67],
        ["S1", "东湖街道", "社会组织", 1, 100.0, 1, 100.0, 0.0],
        ["S2", "马坡岭街道", "非公企业", 4, 50.0, 5, 60.0, 10.0],
    ]


def test_chain_rates_with_a_chain_new_this_month() -> None:
    # C1: then O1 of O1, O6 = 50; now both = 100 (+50). C2 has an enterprise only now (O10):
    # nothing then, so its change is NaN and it is listed last.
    d = diff(version(THEN), version(NOW))
    chains = d.chains
    assert chains["group"].tolist() == ["C1", "C2"]
    c1, c2 = chains.iloc[0], chains.iloc[1]
    assert (c1["total_then"], c1["org_rate_then"], c1["org_rate_now"], c1["change"]) == (
        2,
        50.0,
        100.0,
        50.0,
    )
    assert c2["total_then"] == 0 and pd.isna(c2["org_rate_then"]) and pd.isna(c2["change"])
    assert (c2["group_name"], c2["total_now"], c2["org_rate_now"]) == ("汽车", 1, 100.0)


def test_headline_rows_then_and_now() -> None:
    # Enterprises then: O1, O2, O4, O5, O6, O7, O8 (7), covered O1, O2, O5, O7, O8 (5) =
    # 71.43 %; alone O1 (PA), O5 (PB), O8 (PC) = 3/5 = 60 % (PJ is joint, PS 兜底).
    # Now: O1, O2, O4, O5, O6, O9, O10, O11 (8), covered O1, O5, O6, O10 (4) = 50 %; all four
    # alone = 100 %. No instructor or 群团 anywhere, so work rates equal organization rates.
    d = diff(version(THEN), version(NOW))
    e = d.headline.set_index("kind").loc["非公企业"]
    assert (e["total_then"], e["org_covered_then"], e["org_rate_then"]) == (7, 5, 71.43)
    assert (e["total_now"], e["org_covered_now"], e["org_rate_now"]) == (8, 4, 50.0)
    assert (e["standalone_rate_then"], e["standalone_rate_now"]) == (60.0, 100.0)
    assert (e["org_rate_change"], e["work_rate_change"]) == (-21.43, -21.43)
    s = d.headline.set_index("kind").loc["社会组织"]
    assert (s["total_then"], s["org_rate_then"], s["org_rate_now"], s["org_rate_change"]) == (
        1,
        100.0,
        100.0,
        0.0,
    )
    assert d.headline["kind"].tolist() == ["非公企业", "社会组织"]


def test_scope_applies_to_both_versions() -> None:
    # With a 30-staff scope for enterprises every enterprise (20 staff) is out; O3, the one
    # social organization, stays covered by PJ: nothing is newly uncovered or covered.
    d = diff(version(THEN), version(NOW), Params(min_employees_enterprise=30))
    assert d.newly_uncovered.empty and d.newly_covered.empty
    assert d.headline.set_index("kind").loc["非公企业", "total_now"] == 0
    assert d.streets[["group", "kind"]].values.tolist() == [["S1", "社会组织"]]


def test_no_change_no_rows() -> None:
    d = diff(version(THEN), version(THEN))
    for frame in (d.added, d.removed, d.newly_uncovered, d.newly_covered):
        assert frame.empty
    assert (d.streets["change"] == 0).all() and (d.headline["org_rate_change"] == 0).all()


def test_sample_city_month_over_month() -> None:
    # Next month of the sample city: 30 organizations leave, the 40 covered ones after them
    # lose their Party organization. Exactly those 40 are newly uncovered (in scope: 正常).
    ledger = generate_city(3000)
    before = build_graph(ledger)
    orgs = ledger.organizations
    later = orgs.iloc[30:].copy()
    normal = later["status"].fillna("正常").eq("正常") & later["party_org"].notna()
    lost = later.index[normal.to_numpy(dtype=bool)][:40]
    later.loc[lost, "party_org"] = pd.NA
    ledger.tables["organizations"] = later
    d = diff(before, build_graph(ledger))
    assert set(d.removed["uscc"]) == set(orgs["uscc"].iloc[:30])
    assert set(d.newly_uncovered["uscc"]) == set(later.loc[lost, "uscc"])
    assert not d.newly_uncovered["new_org"].any() and d.added.empty
    # covered and counted: then minus the covered counted ones that left, minus the 40
    gone = d.removed["covered"] & d.removed["in_scope"]
    headline = d.headline[["org_covered_then", "org_covered_now"]].sum()
    assert headline["org_covered_now"] == headline["org_covered_then"] - gone.sum() - 40
    drop = d.streets.iloc[0]
    assert drop["change"] == d.streets["change"].min() < 0
