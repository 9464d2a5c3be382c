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

The moves scenario (``THEN_M`` / ``NOW_M``, judged with a 10-staff minimum for enterprises)
adds seven organizations whose changes used to appear in no table:

| org | then                         | now                                                    |
|-----|------------------------------|--------------------------------------------------------|
| O12 | S1, building B1, PF          | S2, building B2, PF: moved, covered both times         |
| O13 | S2, chain C1, PG             | S1, chain C1, uncovered: moved and newly uncovered     |
| O14 | S1, 20 staff, PH             | 5 staff: left the scope (below the staff minimum)      |
| O15 | S2, 6 staff, uncovered       | 12 staff: entered the scope, newly uncovered           |
| O16 | S2, building B2, chain C1, PI| no building, park P1, chain C2: moved (same street)    |
| O17 | S1 非公企业, uncovered        | 社会组织: moved between kinds                           |
| O18 | S1, 5 staff, PK              | S2, 5 staff: out of scope both times, in no table      |
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.analysis.common import Params
from graph.analysis.diff import (
    CHANGE_COLUMNS,
    MOVE_COLUMNS,
    ORG_COLUMNS,
    RATE_COLUMNS,
    SCOPE_COLUMNS,
    VersionDiff,
    diff,
)
from graph.build import build_graph
from graph.ledger import Ledger
from loaders.sample import generate_city
from tests.analysis_kit import graph_of, table
from tests.tinyledger import O2, O4, O5, Sheets, code, tiny

U = {n: code(n) for n in range(1, 19)}  # O1 … O18 of the tables above
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
        *(own(f"P{x}", f"{x}党支部", "S1") for x in "FGHIK"),
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
            "buildings": table(
                "buildings",
                [
                    {"id": "B1", "name": "东湖大厦", "street": "S1"},
                    {"id": "B2", "name": "马坡岭产业园", "street": "S2"},
                ],
            ),
            "parks": table("parks", [{"id": "P1", "name": "长沙高新区", "district": "岳麓区"}]),
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
        ["S1", "东湖街道", "非公企业", 3, 3, 100.0, 3, 1, 33.33, -66.67],
        ["S1", "东湖街道", "社会组织", 1, 1, 100.0, 1, 1, 100.0, 0.0],
        ["S2", "马坡岭街道", "非公企业", 4, 2, 50.0, 5, 3, 60.0, 10.0],
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
    for frame in (d.left_scope, d.entered_scope, d.moved):
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


# ---------------------------------------------------------------------------------------------
# Moves, leaving and entering the scope: every rate change has rows behind it

THEN_M = [
    *THEN,
    org(12, "S1", "PF", building="B1"),
    org(13, "S2", "PG", segment="G1"),
    org(14, "S1", "PH"),
    org(15, "S2", employees=6),
    org(16, "S2", "PI", building="B2", segment="G1"),
    org(17, "S1"),
    org(18, "S1", "PK", employees=5),
]
NOW_M = [
    *NOW,
    org(12, "S2", "PF", building="B2"),
    org(13, "S1", segment="G1"),
    org(14, "S1", "PH", employees=5),
    org(15, "S2", employees=12),
    org(16, "S2", "PI", park="P1", segment="H1"),
    org(17, "S1", kind="社会组织"),
    org(18, "S2", "PK", employees=5),
]
SCOPE_10 = Params(min_employees_enterprise=10)


def moves() -> VersionDiff:
    return diff(version(THEN_M), version(NOW_M), SCOPE_10)


def test_organizations_that_left_the_scope_say_why() -> None:
    d = moves()
    left = d.left_scope
    assert list(left.columns) == SCOPE_COLUMNS
    # S1: O7 (removed), O14 (below the minimum now); S2: O8 (注销). Sorted by street, USCC.
    assert left[["uscc", "street", "covered", "party_org_name", "cause"]].values.tolist() == [
        [U[7], "S1", True, "东湖街道两新综合党委", "removed"],
        [U[14], "S1", True, "H党支部", "staff"],
        [U[8], "S2", True, "辛党支部", "status"],
    ]
    assert left["reason"].tolist() == [
        "本期台账中已没有该组织，不再纳入统计",
        "从业人员 5 人，不足统计下限 10 人，不再纳入统计",
        "经营状态由正常变为注销，不再纳入统计",
    ]
    o7 = left.iloc[0]
    assert (o7["status_then"], o7["status_now"], o7["employees_then"]) == ("正常", None, 20)
    assert pd.isna(o7["employees_now"])


def test_organizations_that_entered_the_scope_say_why() -> None:
    d = moves()
    entered = d.entered_scope
    assert list(entered.columns) == SCOPE_COLUMNS
    assert entered[["uscc", "street", "chain", "covered", "cause"]].values.tolist() == [
        [U[9], "S1", None, False, "added"],
        [U[10], "S2", "C2", True, "added"],
        [U[11], "S2", None, False, "status"],
        [U[15], "S2", None, False, "staff"],
    ]
    assert entered["reason"].tolist() == [
        "本期新增的组织",
        "本期新增的组织",
        "上期不在统计范围（僵尸企业），本期纳入统计",
        "上期不在统计范围（从业人员 6 人，不足 10 人），本期纳入统计",
    ]
    # O15 is uncovered, so it is also newly uncovered, with the same words first.
    o15 = d.newly_uncovered.set_index("uscc").loc[U[15]]
    assert o15["reason"] == "上期不在统计范围（从业人员 6 人，不足 10 人），本期纳入统计，未覆盖"


def test_moved_organizations_with_places_then_and_now() -> None:
    d = moves()
    moved = d.moved
    assert list(moved.columns) == MOVE_COLUMNS
    # O18 moved too, but is below the minimum both times: it changes no rate, and is absent.
    assert moved["uscc"].tolist() == [U[12], U[17], U[13], U[16]]
    o12, o17, o13, o16 = (moved.iloc[i] for i in range(4))
    assert (o12["street_then_name"], o12["street_now_name"]) == ("东湖街道", "马坡岭街道")
    assert (o12["building_then_name"], o12["building_now_name"]) == ("东湖大厦", "马坡岭产业园")
    assert (o12["covered_then"], o12["covered_now"]) == (True, True)
    assert o12["reason"] == "街道：东湖街道 → 马坡岭街道；楼宇：东湖大厦 → 马坡岭产业园"
    assert o13["reason"] == "街道：马坡岭街道 → 东湖街道"
    assert (o13["covered_then"], o13["covered_now"]) == (True, False)
    assert (
        o16["reason"] == "楼宇：马坡岭产业园 → 无；园区：无 → 长沙高新区；产业链：工程机械 → 汽车"
    )
    assert (o16["building_now"], o16["park_now"], o16["chain_now"]) == (None, "P1", "C2")
    assert (o17["kind_then"], o17["kind"]) == ("非公企业", "社会组织")
    assert o17["reason"] == "组织类型：非公企业 → 社会组织"
    # O13 lost its Party organization where it arrived: newly uncovered, marked as moved.
    lost = d.newly_uncovered.set_index("uscc")
    assert lost.loc[U[13], "moved"] and not lost.loc[U[2], "moved"]
    assert lost.loc[U[13], "reason"] == "由马坡岭街道迁入，上期由G党支部覆盖，本期未覆盖"
    assert lost.loc[U[13], "chain"] == "C1"


def _explained(d: VersionDiff, place: str | None) -> pd.DataFrame:
    """The change of (total, covered) per group and kind that the listed rows add up to;
    ``place`` None: per kind only (the headline)."""

    def key(row: pd.Series, side: str = "") -> object:
        return "all" if place is None else row[f"{place}{side}"]

    deltas: list[tuple[object, str, int, int]] = []
    for _, r in d.left_scope.iterrows():
        deltas.append((key(r), r["kind"], -1, -int(r["covered"])))
    for _, r in d.entered_scope.iterrows():
        deltas.append((key(r), r["kind"], 1, int(r["covered"])))
    for _, r in d.moved.iterrows():
        then_key = "all" if place is None else r[f"{place}_then"]
        now_key = "all" if place is None else r[f"{place}_now"]
        deltas.append((then_key, r["kind_then"], -1, -int(r["covered_then"])))
        deltas.append((now_key, r["kind"], 1, int(r["covered_now"])))
    for frame, sign in ((d.newly_uncovered, -1), (d.newly_covered, 1)):
        for _, r in frame[frame["in_scope_then"] & ~frame["moved"]].iterrows():
            deltas.append((key(r), r["kind"], 0, sign))
    frame = pd.DataFrame(deltas, columns=["group", "kind", "total", "covered"])
    frame = frame[frame["group"].notna()]
    return frame.groupby(["group", "kind"])[["total", "covered"]].sum()


def _reconcile(d: VersionDiff) -> None:
    """Every street's, chain's and kind's change of (counted, covered) is the sum of the rows."""
    headline = d.headline.assign(group="all")
    for place, rates in (("street", d.streets), ("chain", d.chains), (None, headline)):
        explained = _explained(d, place)
        actual = rates.set_index(["group", "kind"])
        change = pd.DataFrame(
            {
                "total": actual["total_now"] - actual["total_then"],
                "covered": actual["org_covered_now"] - actual["org_covered_then"],
            }
        )
        rows = explained.add_suffix("_rows")
        joined = change.join(rows, how="outer").fillna(0)
        assert (joined["total"] == joined["total_rows"]).all(), (place, joined)
        assert (joined["covered"] == joined["covered_rows"]).all(), (place, joined)


def test_every_rate_change_has_rows_behind_it() -> None:
    d = moves()
    _reconcile(d)
    # 东湖街道 非公企业: then O1, O2, O7, O12, O14, O17 (6, all but O17 covered: 5);
    # now O1, O2, O9, O13, O14 is out, O17 is 社会组织 (4: O1, O2, O9, O13; covered O1: 1).
    s1 = d.streets.set_index(["group", "kind"]).loc[("S1", "非公企业")]
    assert (s1["total_then"], s1["org_covered_then"]) == (6, 5)
    assert (s1["total_now"], s1["org_covered_now"]) == (4, 1)
    _reconcile(diff(version(THEN), version(NOW)))
    _reconcile(diff(version(THEN_M), version(NOW_M)))  # no minimum: O14, O15, O18 count


def test_sample_city_reconciles_for_every_street_and_chain() -> None:
    """The sample city, a few organizations changed each way: moved, 注销, below the staff
    minimum, removed, new, covered, uncovered, moved to another chain; the rows add up."""
    ledger = generate_city(400, seed=7)
    before = build_graph(ledger)
    orgs = ledger.organizations.copy()
    streets = sorted(ledger.streets["id"].dropna().unique())
    segments = ledger.segments["id"].dropna().tolist()
    rows = orgs.index.to_numpy()
    moved, closed, shrunk, gone, lost, joined, rechained = (
        rows[i : i + 6] for i in range(0, 42, 6)
    )
    orgs.loc[moved, "street"] = [
        streets[(streets.index(s) + 1) % len(streets)] for s in orgs.loc[moved, "street"]
    ]
    orgs.loc[moved, "building"] = pd.NA
    orgs.loc[closed, "status"] = "注销"
    orgs.loc[shrunk, "employees"] = 3
    orgs.loc[lost, "party_org"] = pd.NA
    covering = orgs["party_org"].dropna().iloc[0]
    orgs.loc[joined, "party_org"] = covering
    orgs.loc[rechained, "segment"] = [segments[i % len(segments)] for i in range(6)]
    newcomers = generate_city(410, seed=7).organizations.iloc[-10:]
    newcomers = newcomers[~newcomers["uscc"].isin(orgs["uscc"])]
    orgs = pd.concat([orgs.drop(index=gone), newcomers], ignore_index=True)
    ledger.tables["organizations"] = orgs
    d = diff(before, build_graph(ledger), Params(min_employees_enterprise=5))
    assert not d.moved.empty and not d.left_scope.empty and not d.entered_scope.empty
    assert set(d.left_scope["cause"]) == {"removed", "status", "staff"}
    _reconcile(d)


# ---------------------------------------------------------------------------------------------
# The tiny ledger of tests/tinyledger.py a month later, for the command, API, page and report


def tiny_next_month() -> Sheets:
    """The tiny ledger a month later: O2 乙 moved from 东湖街道 (东湖大厦) to 马坡岭街道
    (马坡岭产业园), still in its joint branch; O4 丁 is 注销 (left the scope); O5 戊 is 正常
    again (entered the scope, uncovered)."""
    sheets = tiny()
    o2, o4, o5 = (sheets["组织"][i] for i in (1, 3, 4))
    o2.update({"所在街道编码": "S2", "所在楼宇编码": "B2"})
    o4["经营状态"] = "注销"
    o5["经营状态"] = "正常"
    return sheets


def test_tiny_next_month() -> None:
    d = diff(graph_of(), graph_of(tiny_next_month()))
    assert d.moved[["uscc", "street_then", "street_now", "covered_now"]].values.tolist() == [
        [O2, "S1", "S2", True]
    ]
    assert d.left_scope[["uscc", "cause"]].values.tolist() == [[O4, "status"]]
    assert d.entered_scope[["uscc", "cause"]].values.tolist() == [[O5, "status"]]
    _reconcile(d)
