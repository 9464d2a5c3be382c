"""graph.analysis.clusters on a tiny hand-built city whose clusters are worked out by hand.

The city (districts 芙蓉区: streets S1, S2; 天心区: street S3 and park Y1; chain C1 with
segments G1, G2):
- buildings B1, B2 (S1), B3 (S2), B4, B5 (S3)
- Party organizations: K1, K2 the 街道两新综合党委 of S1, S2 (S3 has none); J1 a 楼宇党组织 in
  B2 covering C1a, C1b, C1c (3 organizations, 3 members: room for 2 more); J2 a joint branch
  of S2 covering C2a–C2e (5: full); L1 the own 党支部 of the lead enterprise E1 (C1, G1, S3,
  park Y1; 10 members)
- uncovered organizations (formal members in brackets):
  B1: A1 (2), A2 (1), A3 (0), and A8 (1, 僵尸企业: left out)
  B2: A4 (1), A5 (0, 5 staff)
  B3: A6 (4: should form its own), A7 (0)
  B5: A18 (5), A19 (3): both should form their own
  park Y1: A9 (1, in B4, chain C1), A10 (0, no chain)
  S3, chain C1, no building or park: A11 (1), A12 (0)
  S2, 律师事务所: A13 (2), A14 (2); S2: A15 (0)
  S1: A16 (1, a 律师事务所 but the only one), A17 (0)
"""

from __future__ import annotations

import pandas as pd
import pytest

from graph.analysis.clusters import CLUSTER_COLUMNS, clusters, joint_branches_with_room
from graph.analysis.common import Params
from graph.build import build_graph
from graph.ledger import Ledger
from loaders.sample import generate_city
from tests.analysis_kit import org_row, segment_table, street_table, table, usccs

CODES = [
    "E1",
    *(f"C1{c}" for c in "abc"),
    *(f"C2{c}" for c in "abcde"),
    *(f"A{n}" for n in range(1, 20)),
]
U = usccs(CODES)


STREET_PO = "街道两新综合党委"


def org(name: str, formal: int, street: str, **extra: object) -> dict[str, object]:
    return org_row(U[name], name, formal, street, **extra)


def po(code: str, type_: str, members: int, **extra: object) -> dict[str, object]:
    return {"id": code, "name": f"{code}党组织", "level": "党支部", "type": type_,
            "members": members, **extra}  # fmt: skip


def city() -> Ledger:
    law = {"kind": "社会组织", "category": "律师事务所"}
    return Ledger(
        {
            "streets": street_table(),
            "buildings": table(
                "buildings",
                [
                    {"id": "B1", "name": "东湖大厦", "type": "商务楼宇", "street": "S1"},
                    {"id": "B2", "name": "东湖广场", "type": "商务楼宇", "street": "S1"},
                    {"id": "B3", "name": "马坡岭产业园", "type": "产业园", "street": "S2"},
                    {"id": "B4", "name": "坡子街孵化器", "type": "孵化平台", "street": "S3"},
                    {"id": "B5", "name": "坡子街大厦", "type": "商务楼宇", "street": "S3"},
                ],
            ),
            "parks": table("parks", [{"id": "Y1", "name": "天心经开区", "level": "省级"}]),
            "chains": table("chains", [{"id": "C1", "name": "工程机械"}]),
            "segments": segment_table(),
            "party_orgs": table(
                "party_orgs",
                [
                    po("K1", STREET_PO, 12, level="党委", street="S1", formation="兜底组建"),
                    po("K2", STREET_PO, 9, level="党委", street="S2", formation="兜底组建"),
                    po("J1", "楼宇党组织", 3, formation="楼宇共建", building="B2"),
                    po("J2", "企业党组织", 5, formation="联合组建", street="S2"),
                    po("L1", "企业党组织", 10, formation="单独组建", street="S3"),
                ],
            ),
            "organizations": table(
                "organizations",
                [
                    org("E1", 8, "S3", employees=300, park="Y1", segment="G1", party_org="L1",
                        probationary_members=2),
                    *(org(f"C1{c}", 1, "S1", building="B2", party_org="J1") for c in "abc"),
                    *(org(f"C2{c}", 1, "S2", party_org="J2") for c in "abcde"),
                    org("A1", 2, "S1", building="B1"),
                    org("A2", 1, "S1", building="B1"),
                    org("A3", 0, "S1", building="B1"),
                    org("A8", 1, "S1", building="B1", status="僵尸企业"),
                    org("A4", 1, "S1", building="B2"),
                    org("A5", 0, "S1", building="B2", employees=5),
                    org("A6", 4, "S2", building="B3"),
                    org("A7", 0, "S2", building="B3"),
                    org("A18", 5, "S3", building="B5"),
                    org("A19", 3, "S3", building="B5"),
                    org("A9", 1, "S3", building="B4", park="Y1", segment="G2"),
                    org("A10", 0, "S3", park="Y1"),
                    org("A11", 1, "S3", segment="G1"),
                    org("A12", 0, "S3", segment="G2"),
                    org("A13", 2, "S2", **law),
                    org("A14", 2, "S2", **law),
                    org("A15", 0, "S2", category="商贸企业"),
                    org("A16", 1, "S1", **law),
                    org("A17", 0, "S1"),
                ],
            ),
        }
    )  # fmt: skip


def by_id(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {row["cluster_id"]: row for row in frame.to_dict("records")}


def members(*names: str) -> list[str]:
    return [U[n] for n in names]


@pytest.fixture(scope="module")
def found() -> pd.DataFrame:
    return clusters(build_graph(city()))


def test_every_uncovered_organization_in_scope_is_in_exactly_one_cluster(found) -> None:
    assert list(found.columns) == CLUSTER_COLUMNS
    listed = [u for ms in found["members"] for u in ms]
    assert len(listed) == len(set(listed))
    # 19 A-organizations, minus A8 (僵尸企业): 18; covered ones (E1, C1*, C2*) are in none
    assert sorted(listed) == sorted(members(*(f"A{n}" for n in range(1, 20) if n != 8)))
    assert len(found) == 9


def test_levels_and_order(found) -> None:
    # feasible first (B1: 3 joint formal, the lawyers: 4), then by level, most joint formal
    assert list(found["cluster_id"]) == [
        "building:B1",
        "street_category:S2:律师事务所",
        "building:B2",  # 1 joint formal member
        "building:B3",  # 0 (A6's 4 do not count: it should form its own)
        "building:B5",  # 0
        "park:Y1",
        "street_chain:S3:C1",
        "street:S1",  # 1
        "street:S2",  # 0
    ]
    assert list(found["feasible"]) == [True, True] + [False] * 7


def test_building_cluster_feasible_without_taker(found) -> None:
    b1 = by_id(found)["building:B1"]
    # A1 2 + A2 1 + A3 0 = 3 formal members >= 3; A8 (僵尸企业) is not counted
    assert b1["members"] == members("A1", "A2", "A3")  # most formal members first
    assert (b1["size"], b1["formal_members"], b1["joint_formal_members"]) == (3, 3, 3)
    assert (b1["level"], b1["mode"], b1["feasible"]) == ("building", "楼宇共建", True)
    assert (b1["street"], b1["street_name"], b1["building_name"]) == ("S1", "东湖街道", "东湖大厦")
    assert b1["district"] == "芙蓉区" and b1["park"] is None
    # J1 in S1 has room for 5 - 3 = 2 organizations, not 3; a feasible cluster needs no 兜底
    assert b1["taker"] is None and b1["taker_kind"] is None
    assert "正式党员合计3名，达到3名，可联合组建" in b1["reason"]
    assert "楼宇共建" in b1["reason"]


def test_building_cluster_taken_in_by_the_building_branch_with_room(found) -> None:
    b2 = by_id(found)["building:B2"]
    # A4 1 + A5 0 = 1 < 3; J1 in B2 covers 3 (< 5) with 3 members (< 50): room for both
    assert b2["members"] == members("A4", "A5") and not b2["feasible"]
    assert (b2["mode"], b2["taker"], b2["taker_kind"]) == ("楼宇共建", "J1", "joint_branch")
    assert b2["taker_name"] == "J1党组织"
    assert "吸纳后覆盖5个组织（上限5个）" in b2["taker_reason"]


def test_standalone_eligible_flagged_and_fallback_to_the_street_committee(found) -> None:
    b3 = by_id(found)["building:B3"]
    # A6 has 4 >= 3 formal members: listed and flagged; A7 alone has 0 → 兜底 by K2
    assert b3["members"] == members("A6", "A7")
    assert b3["standalone_eligible"] == members("A6")
    assert (b3["formal_members"], b3["joint_formal_members"]) == (4, 0)
    assert (b3["mode"], b3["taker"], b3["taker_kind"]) == ("兜底组建", "K2", "street_committee")
    assert "应单独组建" in b3["reason"]


def test_all_members_should_form_their_own(found) -> None:
    b5 = by_id(found)["building:B5"]
    assert b5["standalone_eligible"] == members("A18", "A19")
    assert (b5["mode"], b5["feasible"], b5["taker"]) == ("单独组建", False, None)


def test_park_cluster_fallback_without_a_street_committee(found) -> None:
    y1 = by_id(found)["park:Y1"]
    # A9 is alone in B4, so it binds with A10 through the park; chains differ (C1 / none)
    assert y1["members"] == members("A9", "A10")
    assert (y1["park"], y1["park_name"], y1["street"], y1["chain"]) == (
        "Y1",
        "天心经开区",
        "S3",
        None,
    )
    # S3 has no 两新综合党委 and no joint branch: 兜底组建, nobody to take it yet
    assert (y1["mode"], y1["taker"]) == ("兜底组建", None)


def test_street_chain_cluster_led_by_the_lead_enterprise(found) -> None:
    sc = by_id(found)["street_chain:S3:C1"]
    # A11 (G1) and A12 (G2) share street S3 and chain C1; E1's own 党支部 L1 covers 1 (room 4)
    assert sc["members"] == members("A11", "A12")
    assert (sc["chain"], sc["chain_name"]) == ("C1", "工程机械")
    assert (sc["mode"], sc["taker"], sc["taker_kind"]) == ("龙头领建", "L1", "lead")
    assert "E1公司" in sc["taker_reason"]


def test_trade_cluster_and_a_lone_firm_that_is_not_one(found) -> None:
    clusters_ = by_id(found)
    law = clusters_["street_category:S2:律师事务所"]
    # A13 2 + A14 2 = 4 >= 3; J2 (S2) covers 5 already: no taker
    assert law["members"] == members("A13", "A14") and law["feasible"]
    assert (law["mode"], law["category"], law["taker"]) == ("行业组建", "律师事务所", None)
    s1 = clusters_["street:S1"]
    # A16 is S1's only law firm: no trade cluster; it joins the rest of S1 with A17
    assert s1["members"] == members("A16", "A17")
    assert s1["mode"] == "区域合建" and s1["mode"] != "行业组建"
    # 1 formal member; J1 (S1) has room for 2: it can take both in
    assert (s1["taker"], s1["taker_kind"]) == ("J1", "joint_branch")


def test_street_remainder_of_one(found) -> None:
    s2 = by_id(found)["street:S2"]
    assert s2["members"] == members("A15") and s2["size"] == 1
    assert (s2["mode"], s2["taker"]) == ("兜底组建", "K2")


def test_scope_moves_an_organization_out() -> None:
    # A5 has 5 staff: below a scope of 10 it is out; A4, alone in B2, joins the rest of S1
    found = by_id(clusters(build_graph(city()), Params(min_employees_enterprise=10)))
    assert "building:B2" not in found
    s1 = found["street:S1"]
    assert s1["members"] == members("A4", "A16", "A17")
    # 1 + 1 + 0 = 2 < 3; J1 has room for 2 organizations, not 3: K1 兜底
    assert (s1["mode"], s1["taker"], s1["taker_kind"]) == ("兜底组建", "K1", "street_committee")


def test_thresholds_come_from_params() -> None:
    g = build_graph(city())
    found = by_id(clusters(g, Params(joint_max_orgs=2)))
    # 3 organizations in B1, at most 2 per joint branch: only the two with formal members can
    # form one (issue 11: "宜分为2个左右" was advised though only one group reaches 3)
    assert "宜分为" not in found["building:B1"]["reason"]
    assert "最多可组成" not in found["building:B1"]["reason"]
    # J1 covers 3 >= 2: no room any more, so B2 falls back to K1
    assert found["building:B2"]["taker"] == "K1"
    found = by_id(clusters(g, Params(standalone_min_members=5)))
    # with 5 as the threshold A6 (4) no longer forms its own; A18 (5) does
    assert found["building:B3"]["standalone_eligible"] == []
    assert found["building:B5"]["standalone_eligible"] == members("A18")


def test_split_advice_counts_the_groups_that_can_reach_the_threshold() -> None:
    # Issue 11 item 11: the advice is what the plan's solver finds for the cluster alone, not
    # a plain ceil(n / 5). Six organizations with 2, 1, 1, 1, 1, 1 formal members: two groups
    # ([2,1,1] + [1,1,1]) cover all six.
    from graph.analysis.clusters import _best_split, _can_form

    p = Params()
    assert _best_split([(2, 0), (1, 0), (1, 0), (1, 0), (1, 0), (1, 0)], p) == (2, 6)
    assert _best_split([(2, 0), (1, 0), (1, 0), (1, 0), (1, 0), (1, 0), (1, 0)], p) == (2, 7)
    # 1 + 1 + … seven organizations of one member each: two groups of 3+ need 6: (2, 7)
    assert _best_split([(1, 0)] * 7, p) == (2, 7)
    # 2 + 2 + 1: one group; ten 1s with at most 2 per group: none can reach 3
    assert _best_split([(2, 0), (2, 0), (1, 0)], Params(joint_max_orgs=2)) == (1, 2)
    assert not _can_form([(1, 0)] * 10, Params(joint_max_orgs=2))
    assert _can_form([(2, 0), (1, 0)], p) and not _can_form([(2, 0)], p)
    assert not _can_form([(2, 30), (1, 30)], p)  # 63 people: more than 50 in one branch


def test_lead_without_room_takes_nothing_in() -> None:
    ledger = city()
    pos = ledger.tables["party_orgs"]
    ledger.tables["party_orgs"] = pos.assign(members=pos["members"].mask(pos["id"] == "L1", 50))
    sc = by_id(clusters(build_graph(ledger)))["street_chain:S3:C1"]
    # a 党支部 of 50 members has no room (at most 50); S3 has no committee either
    assert (sc["mode"], sc["taker"]) == ("兜底组建", None)


def test_joint_branches_with_room() -> None:
    rooms = joint_branches_with_room(build_graph(city()))
    # J1: 3 of 5 organizations, 3 of 50 members; J2 is full; K1, K2, L1 are not joint branches
    assert list(rooms["id"]) == ["J1"]
    assert (rooms["room_orgs"].iloc[0], rooms["room_members"].iloc[0]) == (2, 47)


def test_no_uncovered_organizations_gives_an_empty_frame() -> None:
    ledger = city()
    orgs = ledger.tables["organizations"]
    ledger.tables["organizations"] = orgs[orgs["party_org"].notna()].reset_index(drop=True)
    found = clusters(build_graph(ledger))
    assert found.empty and list(found.columns) == CLUSTER_COLUMNS


def test_sample_city_planted_building_clusters() -> None:
    """Planted gap (a): buildings where 3–8 正常 enterprises are uncovered, at most 2 each."""
    ledger = generate_city(3000)
    found = clusters(build_graph(ledger), Params(as_of=pd.Timestamp("2026-11-01").date()))
    orgs = ledger.organizations
    open_ = orgs[(orgs["status"] == "正常") & orgs["party_org"].isna() & orgs["building"].notna()]
    per = open_.groupby("building").agg(
        n=("uscc", "size"), formal=("formal_members", "sum"), most=("formal_members", "max")
    )
    planted = per[per["n"].between(3, 8) & (per["most"] <= 2)]
    assert (planted["formal"] >= 3).sum() >= 5 and (planted["formal"] < 3).sum() >= 3
    rows = found.set_index("cluster_id")
    for building, p in planted.iterrows():
        row = rows.loc[f"building:{building}"]
        assert row["size"] == p["n"] and row["formal_members"] == p["formal"]
        assert bool(row["feasible"]) == (p["formal"] >= 3)
        assert row["mode"] in ("楼宇共建", "兜底组建")
        assert row["mode"] == "楼宇共建" or not row["feasible"]
    # every uncovered 正常 organization is in exactly one cluster
    listed = [u for ms in found["members"] for u in ms]
    assert sorted(listed) == sorted(
        orgs.loc[(orgs["status"] == "正常") & orgs["party_org"].isna(), "uscc"]
    )
    # planted (d): uncovered organizations with 3+ formal members are flagged
    eligible = {u for us in found["standalone_eligible"] for u in us}
    big = orgs[
        (orgs["status"] == "正常") & orgs["party_org"].isna() & (orgs["formal_members"] >= 3)
    ]
    assert eligible == set(big["uscc"]) and len(eligible) >= 3


def test_feasible_park_cluster_is_area_formation() -> None:
    ledger = city()
    orgs = ledger.tables["organizations"]
    ledger.tables["organizations"] = orgs.assign(
        formal_members=orgs["formal_members"].mask(orgs["uscc"] == U["A10"], 2)
    )
    y1 = by_id(clusters(build_graph(ledger)))["park:Y1"]
    # A9 1 + A10 2 = 3 >= 3: a joint organization of the park (区域合建), not 兜底, no taker
    assert (y1["feasible"], y1["mode"], y1["taker"]) == (True, "区域合建", None)


def test_clusters_and_plan_agree_on_the_sample_city() -> None:
    """Issue 11 items 4 and 11: a cluster called feasible is one the plan acts on. Every
    feasible cluster has members the plan covers (in a new group or an existing branch), and
    a park cluster across two streets is grouped or taken in, never left out."""
    from graph.analysis.plan import plan
    from loaders.sample import generate_city

    g = build_graph(generate_city(3000))
    found = clusters(g)
    outcome = plan(g).assignments().set_index("uscc")["outcome"]
    feasible = found[found["feasible"]]
    assert len(feasible) >= 5
    for row in feasible.itertuples():
        eligible = set(row.standalone_eligible)
        joint = [u for u in row.members if u not in eligible]
        assert {outcome[u] for u in joint} & {"group", "attachment"}, row.cluster_id
