"""Tests for graph.analysis.plan on a tiny hand-built area whose plan is worked out by hand.

The area (芙蓉区):
- streets S1 东湖街道 (with its 街道两新综合党委 PO-S1) and S2 马坡岭街道 (no 综合党委)
- buildings B1 东湖大厦, B2 东湖创业园, B3 东湖商业广场 (all S1); park P1 东湖科技园
- chain C1 工程机械 with segments G1 零部件 and G2 整机; instructors I1 张敏, I2 李强
- existing Party organizations and the covered organizations (X…, Y…):
  PO-B1 楼宇共建 branch in B1, 50 members (full by members), covers X7, X8
  PO-B2 楼宇共建 branch in B2, 3 members, covers X1 (2 formal), X2 (1)
  PO-JS 区域合建 branch of S1, 3 members, covers X3 (2), X4 (1)
  PO-L  龙头领建 branch of the lead X5 (8 formal, C1/G1, park P1, S1), 9 members, covers X5, X6
  PO-X9 X9's own branch (单独组建, S2); PO-LAW 行业组建 branch of S2 covering the law firms
  Y1, Y2 (社会组织)
- instructors: I1 guides X1 and X3, I2 guides X4 (loads 2 and 1)
Each test adds the uncovered organizations (U…) it needs. Thresholds are the defaults (3
formal members, 5 organizations, 50 members, 50 staff) unless a test says otherwise.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis.common import Params, org_table
from graph.analysis.coverage import coverage
from graph.analysis.plan import (
    UNASSIGNED_INSTRUCTOR,
    FormationPlan,
    _kind_counts,
    _Org,
    _pack,
    plan,
)
from graph.build import build_graph
from graph.ledger import Ledger
from loaders.sample import generate_city
from tests.analysis_kit import table
from tests.tinyledger import code


def org(n: int, formal: int, street: str = "S1", **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "uscc": code(n),
        "name": f"组织{n}",
        "kind": "非公企业",
        "employees": 10,
        "formal_members": formal,
        "street": street,
    }
    row.update(extra)
    return row


def po(id: str, name: str, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": id,
        "name": name,
        "level": "党支部",
        "type": "企业党组织",
        "members": 3,
        "parent": "PO-S1",
    }
    row.update(extra)
    return row


Y1, Y2 = code(201, "5"), code(202, "5")

COVERED = [
    org(101, 2, building="B2", party_org="PO-B2", instructor="I1"),
    org(102, 1, building="B2", party_org="PO-B2"),
    org(103, 2, party_org="PO-JS", instructor="I1"),
    org(104, 1, party_org="PO-JS", instructor="I2"),
    org(105, 8, employees=200, segment="G1", park="P1", party_org="PO-L"),
    org(106, 1, segment="G2", party_org="PO-L"),
    org(107, 30, employees=40, building="B1", party_org="PO-B1"),
    org(108, 20, employees=30, building="B1", party_org="PO-B1"),
    org(109, 4, street="S2", party_org="PO-X9"),
    {**org(201, 2, street="S2", category="律师事务所", party_org="PO-LAW"), "uscc": Y1},
    {**org(202, 1, street="S2", category="律师事务所", party_org="PO-LAW"), "uscc": Y2},
]
for row in COVERED[-2:]:
    row["kind"] = "社会组织"

PARTY_ORGS = [
    {
        "id": "PO-S1",
        "name": "东湖街道两新综合党委",
        "level": "党委",
        "type": "街道两新综合党委",
        "formation": "兜底组建",
        "members": 20,
        "street": "S1",
    },
    po(
        "PO-B1",
        "东湖大厦联合党支部",
        type="楼宇党组织",
        formation="楼宇共建",
        members=50,
        building="B1",
    ),
    po("PO-B2", "东湖创业园联合党支部", type="楼宇党组织", formation="楼宇共建", building="B2"),
    po("PO-JS", "东湖街道第一联合党支部", formation="区域合建", street="S1"),
    po("PO-L", "工程机械龙头企业党支部", formation="龙头领建", members=9, street="S1"),
    po("PO-X9", "X9党支部", formation="单独组建", members=4, street="S2", parent=None),
    po("PO-LAW", "马坡岭律师行业联合党支部", formation="行业组建", street="S2", parent=None),
]


def area(*uncovered: dict[str, object]) -> nx.MultiDiGraph:
    streets = [
        {"id": "S1", "name": "东湖街道", "district": "芙蓉区"},
        {"id": "S2", "name": "马坡岭街道", "district": "芙蓉区"},
    ]
    buildings = [
        {"id": "B1", "name": "东湖大厦", "type": "商务楼宇", "street": "S1"},
        {"id": "B2", "name": "东湖创业园", "type": "产业园", "street": "S1"},
        {"id": "B3", "name": "东湖商业广场", "type": "商圈", "street": "S1"},
    ]
    segments = [
        {"id": "G1", "chain": "C1", "name": "零部件", "position": "上游", "order": 1},
        {"id": "G2", "chain": "C1", "name": "整机", "position": "中游", "order": 2},
    ]
    ledger = Ledger(
        {
            "streets": table("streets", streets),
            "buildings": table("buildings", buildings),
            "parks": table("parks", [{"id": "P1", "name": "东湖科技园", "level": "省级"}]),
            "chains": table("chains", [{"id": "C1", "name": "工程机械"}]),
            "segments": table("segments", segments),
            "instructors": table(
                "instructors",
                [
                    {"id": "I1", "type": "专职", "name": "张敏"},
                    {"id": "I2", "type": "兼职", "name": "李强"},
                ],
            ),
            "party_orgs": table("party_orgs", PARTY_ORGS),
            "organizations": table("organizations", [*COVERED, *uncovered]),
        }
    )
    return build_graph(ledger)


def outcome(result: FormationPlan, n: int) -> tuple[str, str]:
    """(outcome, ref) of organization U``n``."""
    rows = result.assignments().set_index("uscc")
    row = rows.loc[code(n)]
    return row["outcome"], row["ref"]


def attachment(result: FormationPlan, n: int):
    return next(a for a in result.attachments if a.uscc == code(n))


def instructed(result: FormationPlan, n: int):
    return next(i for i in result.instructors if i.uscc == code(n))


# ---------------------------------------------------------------------------------------------
# (i) 单独组建


def test_three_formal_members_form_their_own() -> None:
    result = plan(area(org(1, 3), org(2, 60, employees=300), org(3, 2, street="S2")))
    own = {s.uscc: s for s in result.standalone}
    assert set(own) == {code(1), code(2)}  # U3 has 2 < 3 formal members
    assert own[code(1)].level == "党支部"
    assert "应单独组建党支部" in own[code(1)].reason
    assert "支部委员会" not in own[code(1)].reason  # 3 < 7 formal members
    assert own[code(2)].level == "党总支"  # 60 >= 50 members
    assert "支部委员会" in own[code(2)].reason  # 60 >= 7
    assert outcome(result, 3)[0] == "instructor"


def test_standalone_threshold_is_a_parameter() -> None:
    result = plan(area(org(1, 3)), Params(standalone_min_members=4))
    assert result.standalone == ()
    assert outcome(result, 1)[0] == "attachment"  # 3 < 4: small, joins PO-JS


# ---------------------------------------------------------------------------------------------
# (ii) proposed groups


def test_building_group_and_members_without_party_members_stay_out() -> None:
    # B3 has no branch: U1 (2) + U2 (1) = 3 formal members, 2 organizations → 楼宇共建.
    # U3 in B3 has no formal member: never put in a Party organization, gets an instructor.
    result = plan(
        area(org(1, 2, building="B3"), org(2, 1, building="B3"), org(3, 0, building="B3"))
    )
    (group,) = result.groups
    assert group.group_id == "NEW-S1-01"
    assert group.members == (code(1), code(2))
    assert group.member_names == ("组织1", "组织2")
    assert (group.size, group.formal_members) == (2, 3)
    assert (group.mode, group.grouped_by) == ("楼宇共建", "building")
    assert (group.street, group.street_name) == ("S1", "东湖街道")
    assert group.reason.startswith("同在东湖商业广场，2家组织正式党员合计3名")
    assert outcome(result, 3)[0] == "instructor"


def test_two_below_three_in_a_building_form_no_group() -> None:
    # U1 (1) + U2 (1) = 2 < 3 in B3; in the street no other small organization either.
    result = plan(area(org(1, 1, building="B3"), org(2, 1, building="B3")))
    assert result.groups == ()
    assert {outcome(result, 1)[0], outcome(result, 2)[0]} == {"attachment"}


@pytest.mark.parametrize(
    ("level", "shared", "mode", "why"),
    [
        ("park", {"park": "P1"}, "区域合建", "同在东湖科技园"),
        ("segment", {"segment": "G2"}, "区域合建", "同属工程机械产业链整机环节"),
        ("category", {"category": "律师事务所"}, "行业组建", "同为律师事务所"),
        ("industry", {"industry": "C"}, "区域合建", "同属制造业"),
    ],
)
def test_group_by_the_closest_shared_place_or_trade(level, shared, mode, why) -> None:
    # U1 (2) and U2 (1) share the place or trade, U3 (2) does not. Street-wide the three would
    # pack as U1 + U2 or U3 + U2 (both reach 3); the shared level comes first, so U1 + U2.
    # U3 is left with 2 < 3 and joins PO-JS (区域合建, it has room: 2 orgs, 3 members).
    result = plan(area(org(1, 2, **shared), org(2, 1, **shared), org(3, 2)))
    (group,) = result.groups
    assert group.members == (code(1), code(2))
    assert (group.grouped_by, group.mode) == (level, mode)
    assert group.reason.startswith(why)
    if level == "segment":  # U3 has no chain, so no 龙头领建 for it
        assert attachment(result, 3).party_org == "PO-JS"
    assert attachment(result, 3).mode == "区域合建"


def test_same_chain_different_segments() -> None:
    # G1 and G2 are both 工程机械: no shared segment, but a shared chain.
    result = plan(area(org(1, 2, segment="G1"), org(2, 1, segment="G2"), org(3, 2)))
    (group,) = result.groups
    assert (group.members, group.grouped_by) == ((code(1), code(2)), "chain")
    assert group.mode == "区域合建" and group.reason.startswith("同属工程机械产业链")


def test_street_group_and_one_building_group_mode() -> None:
    # U3, U4, U5 of B3 have one formal member each: 1 + 1 + 1 = 3 → 楼宇共建, formed first.
    # U1 (2) + U2 (1) share nothing but the street → 区域合建 at street level.
    result = plan(
        area(
            org(1, 2),
            org(2, 1),
            org(3, 1, building="B3"),
            org(4, 1, building="B3"),
            org(5, 1, building="B3"),
        )
    )
    first, second = result.groups
    assert (first.grouped_by, first.mode, first.size) == ("building", "楼宇共建", 3)
    assert first.members == (code(3), code(4), code(5))
    assert (second.grouped_by, second.mode) == ("street", "区域合建")
    assert second.members == (code(1), code(2))
    assert [first.group_id, second.group_id] == ["NEW-S1-01", "NEW-S1-02"]


def test_groups_never_cross_streets() -> None:
    # U1 (2) in S1, U2 (1) in S2: 3 together, but two streets.
    result = plan(area(org(1, 2), org(2, 1, street="S2")))
    assert result.groups == ()


def test_groups_pack_to_reach_three_with_few_members_wasted() -> None:
    # B3: 2, 2, 2, 1 → largest (2) topped up with the smallest (1): 2 + 1; then 2 + 2;
    # no 2 + 2 + … with a 1 left over. Two groups of 3 and 4 formal members.
    result = plan(area(*(org(n, f, building="B3") for n, f in [(1, 2), (2, 2), (3, 2), (4, 1)])))
    assert [g.formal_members for g in result.groups] == [3, 4]
    assert result.groups[0].members == (code(1), code(4))
    assert result.groups[1].members == (code(2), code(3))


def test_group_size_limit() -> None:
    # need 5 formal members, at most 3 organizations: 2, 2, 1, 1, 1 → 2 + 1 + 2 (the third
    # place must be a 2 to reach 5); 1 + 1 are left.
    result = plan(
        area(*(org(n, f, building="B3") for n, f in [(1, 2), (2, 2), (3, 1), (4, 1), (5, 1)])),
        Params(standalone_min_members=5, joint_max_orgs=3),
    )
    (group,) = result.groups
    assert (group.size, group.formal_members) == (3, 5)
    assert group.members == (code(1), code(2), code(5))  # listed larger first


@pytest.mark.parametrize(
    ("formal", "need", "cap", "groups"),
    [
        ([2, 1, 1, 1, 1, 1, 1], 3, 5, [[2, 1], [1, 1, 1]]),  # 8 members, leftover 1 + 1
        ([2, 2, 2], 3, 5, [[2, 2]]),
        ([2, 2, 1, 1, 1], 5, 3, [[2, 1, 2]]),
        ([1, 1, 1], 3, 2, []),  # two places hold only 2
        ([], 3, 5, []),
    ],
)
def test_pack(formal: list[int], need: int, cap: int, groups: list[list[int]]) -> None:
    items = [_Org(f"{n:02d}", "", "非公企业", "S1", "", 10, f) for n, f in enumerate(formal)]
    assert [[o.formal for o in g] for g in _pack(items, need, cap)] == groups


# ---------------------------------------------------------------------------------------------
# (iii) attachments


def test_building_leftover_joins_the_branch_of_its_building_before_street_grouping() -> None:
    # U1 (1) alone in B2 joins PO-B2 (2 orgs, 3 members: room) although U1 + U2 (2) would reach
    # 3 in the street; U2 then joins PO-JS.
    result = plan(area(org(1, 1, building="B2"), org(2, 2)))
    assert result.groups == ()
    a1, a2 = attachment(result, 1), attachment(result, 2)
    assert (a1.party_org, a1.mode) == ("PO-B2", "楼宇共建")
    assert a1.party_org_name == "东湖创业园联合党支部"
    assert "同在东湖创业园" in a1.reason and "现覆盖2家、党员3名" in a1.reason
    assert (a2.party_org, a2.mode) == ("PO-JS", "区域合建")


def test_a_branch_full_of_members_takes_no_one() -> None:
    # PO-B1 has 50 members: 50 + 1 > 50. U1 of B1 goes to the street branch PO-JS instead.
    result = plan(area(org(1, 1, building="B1")))
    assert (attachment(result, 1).party_org, attachment(result, 1).mode) == ("PO-JS", "区域合建")


def test_room_is_counted_as_organizations_join() -> None:
    # At most 3 organizations per branch: PO-B2 and PO-JS (2 each) have one place left.
    # U1 (1) and U2 (1) of B2: 1 + 1 < 3, no group. U1 (first by code) takes PO-B2's last
    # place; U2 finds PO-B2 full and joins the street's branch PO-JS (2 → 3).
    result = plan(
        area(org(1, 1, building="B2"), org(2, 1, building="B2")), Params(joint_max_orgs=3)
    )
    assert (attachment(result, 1).party_org, attachment(result, 1).mode) == ("PO-B2", "楼宇共建")
    assert (attachment(result, 2).party_org, attachment(result, 2).mode) == ("PO-JS", "区域合建")


def test_a_building_branch_takes_only_its_building() -> None:
    # U1 (1) has no building: PO-B2 (in B2) has room but is not for it; PO-JS takes it.
    assert attachment(plan(area(org(1, 1))), 1).party_org == "PO-JS"


def test_lead_enterprise_takes_in_its_chain_in_its_street_or_park() -> None:
    # U1 (1, G2 of C1, S1) and U2 (1, G1, S2 but in park P1 like the lead X5) join PO-L
    # (龙头领建: 2 orgs, 9 members). U3 (1, C1, S2, no park): not near the lead → no 综合党委 in
    # S2 → instructor. U1 and U2 cannot group: different streets.
    result = plan(
        area(
            org(1, 1, segment="G2"),
            org(2, 1, street="S2", segment="G1", park="P1"),
            org(3, 1, street="S2", segment="G1"),
        )
    )
    for n in (1, 2):
        a = attachment(result, n)
        assert (a.party_org, a.mode) == ("PO-L", "龙头领建")
        assert "同属工程机械产业链" in a.reason
    assert outcome(result, 3)[0] == "instructor"


def test_fallback_to_the_street_committee() -> None:
    # With at most 2 organizations per branch every branch is full (each covers 2): U1 (1)
    # and U2 (1) of S1 cannot group (1 + 1 < 3), so the 综合党委 takes both (兜底组建).
    result = plan(area(org(1, 1), org(2, 1, building="B2")), Params(joint_max_orgs=2))
    for n in (1, 2):
        a = attachment(result, n)
        assert (a.party_org, a.party_org_name, a.mode) == (
            "PO-S1",
            "东湖街道两新综合党委",
            "兜底组建",
        )
        assert "兜底" in a.reason


def test_no_fallback_where_the_street_has_no_committee() -> None:
    # S2 has no 综合党委 and its only joint branch is a law-firm branch (行业组建): U1 (1, 商贸)
    # cannot join it; U2 (1, 律师事务所) can (行业组建). U1 gets an instructor: 待选派, as no
    # instructor works in S2; develop 3 − 1 = 2 members.
    result = plan(area(org(1, 1, street="S2"), org(2, 1, street="S2", category="律师事务所")))
    lawyer = attachment(result, 2)
    assert (lawyer.party_org, lawyer.mode) == ("PO-LAW", "行业组建")
    assert "同为律师事务所" in lawyer.reason
    assigned = instructed(result, 1)
    assert (assigned.instructor, assigned.instructor_name) == (UNASSIGNED_INSTRUCTOR, None)
    assert assigned.develop_members == 2
    assert assigned.target.startswith("发展党员2名，达到3名后单独组建党组织")
    assert "没有可纳入的党组织" in assigned.reason


# ---------------------------------------------------------------------------------------------
# (iv) instructors and member development


def test_instructors_least_loaded_of_the_street_and_targets() -> None:
    # Loads in S1: I1 guides X1, X3 (2); I2 guides X4 and U3 (2). U1 (0 formal, 60 staff)
    # comes first (more staff): tie 2–2, by code → I1 (now 3). U2 (0, 10 staff) → I2 (2 < 3).
    # U3 (0 formal, already guided by I2, with a union) keeps I2. U4 (0, S2): 待选派.
    result = plan(
        area(
            org(1, 0, employees=60),
            org(2, 0),
            org(3, 0, instructor="I2", has_union=True),
            org(4, 0, street="S2"),
        )
    )
    u1, u2, u3, u4 = (instructed(result, n) for n in (1, 2, 3, 4))
    assert (u1.instructor, u1.instructor_name) == ("I1", "张敏")
    assert u1.target.startswith("培养入党积极分子，发展党员至少1名（从业人员50人以上应有党员）")
    assert (u2.instructor, u2.instructor_name) == ("I2", "李强")
    assert u2.target == "发展党员至少1名；建立工会、共青团等群团组织"  # 10 < 50 staff
    assert u3.instructor == "I2" and "继续由现有党建指导员指导" in u3.reason
    assert u3.target == "发展党员至少1名"  # it has a union already
    assert u4.instructor == UNASSIGNED_INSTRUCTOR and "需选派" in u4.reason
    assert {u.develop_members for u in (u1, u2, u3, u4)} == {1}
    assert [i.uscc for i in result.instructors] == [code(1), code(2), code(3), code(4)]


# ---------------------------------------------------------------------------------------------
# The whole plan


def test_outside_the_scope_is_not_planned() -> None:
    # A 僵尸企业 with 3 formal members and an enterprise of 5 staff under a 10-staff scope.
    result = plan(
        area(org(1, 3, status="僵尸企业"), org(2, 3, employees=5), org(3, 3, employees=10)),
        Params(min_employees_enterprise=10),
    )
    assert list(result.assignments()["uscc"]) == [code(3)]


def test_projected_rates_beside_today() -> None:
    # Enterprises: X1–X9 covered (9), X9 alone its own (standalone 1); U1 (3) → 单独组建;
    # U2 (2) + U3 (1) in B3 → group; U4 (0) → instructor. Total 13.
    #   org  now 9/13 = 69.23 %, after 12/13 = 92.31 %
    #   work now 9/13 = 69.23 % (U… have no instructor or 群团), after 13/13 = 100 %
    #   standalone now 1/9 = 11.11 %, after 2/12 = 16.67 %
    # Social organizations: Y1, Y2 in PO-LAW: 2/2 covered, none alone: unchanged.
    result = plan(area(org(1, 3), org(2, 2, building="B3"), org(3, 1, building="B3"), org(4, 0)))
    rates = result.rates.set_index("kind")
    assert list(result.rates.columns) == [
        "kind",
        "total",
        "org_covered_now",
        "org_rate_now",
        "org_covered_after",
        "org_rate_after",
        "work_rate_now",
        "work_rate_after",
        "standalone_rate_now",
        "standalone_rate_after",
    ]
    e = rates.loc["非公企业"]
    assert (e["total"], e["org_covered_now"], e["org_covered_after"]) == (13, 9, 12)
    assert (e["org_rate_now"], e["org_rate_after"]) == (69.23, 92.31)
    assert (e["work_rate_now"], e["work_rate_after"]) == (69.23, 100.0)
    assert (e["standalone_rate_now"], e["standalone_rate_after"]) == (11.11, 16.67)
    s = rates.loc["社会组织"]
    assert (s["total"], s["org_rate_now"], s["org_rate_after"]) == (2, 100.0, 100.0)
    assert (s["standalone_rate_now"], s["standalone_rate_after"]) == (0.0, 0.0)


def test_counting_equals_coverage() -> None:
    g = area(
        org(1, 3), org(2, 1, has_union=True), org(3, 0, instructor="I1"), org(4, 2, status="注销")
    )
    orgs = org_table(g)
    mine = _kind_counts(orgs[orgs["in_scope"]])
    theirs = coverage(g, by="kind")[mine.columns]
    assert mine.equals(theirs)


def test_frames_and_determinism() -> None:
    g = area(org(1, 3), org(2, 2, building="B3"), org(3, 1, building="B3"), org(4, 1), org(5, 0))
    result = plan(g)
    assert plan(g) == result
    groups = result.frame("groups")
    assert list(groups.columns[:4]) == ["group_id", "street", "street_name", "mode"]
    assert groups.loc[0, "members"] == (code(2), code(3))
    assert list(result.frame("attachments")["uscc"]) == [code(4)]
    assert list(result.frame("standalone")["uscc"]) == [code(1)]
    assert list(result.frame("instructors")["uscc"]) == [code(5)]
    empty = plan(area()).frame("groups")
    assert empty.empty and "members" in empty.columns
    assert plan(area()).rates["kind"].tolist() == ["非公企业", "社会组织"]


# ---------------------------------------------------------------------------------------------
# The sample city


def test_sample_city_plan_covers_every_uncovered_organization_once() -> None:
    g = build_graph(generate_city(3000))
    orgs = org_table(g)
    result = plan(g)
    todo = orgs[orgs["in_scope"] & ~orgs["org_covered"]]
    assigned = result.assignments()
    assert assigned["uscc"].is_unique
    assert set(assigned["uscc"]) == set(todo["uscc"])

    street = orgs.set_index("uscc")["street"]
    formal = orgs.set_index("uscc")["formal_members"]
    for group in result.groups:
        assert group.formal_members == sum(formal[u] for u in group.members) >= 3
        assert group.size == len(group.members) <= 5
        assert {street[u] for u in group.members} == {group.street}
    mine = _kind_counts(orgs[orgs["in_scope"]])
    assert mine.equals(coverage(g, by="kind")[mine.columns])  # same counting as coverage
    rates = result.rates.set_index("kind")
    assert (rates["org_rate_after"] > rates["org_rate_now"]).all()
    assert (rates["work_rate_after"] == 100.0).all()  # every uncovered one gets something

    # (a) buildings with 3–8 uncovered 正常 enterprises of at most 2 formal members each:
    # where they reach 3 together (planted: 5) a 楼宇共建 group forms there; where they have 2
    # or fewer in all (planted: 3) no building group can.
    operating = orgs[orgs["operating"] & orgs["building"].notna()]
    uncovered = operating[~operating["org_covered"]]
    stats = uncovered.groupby("building").agg(
        n=("uscc", "size"),
        formal=("formal_members", "sum"),
        most=("formal_members", "max"),
        social=("org_kind", lambda k: int((k == "社会组织").sum())),
    )
    planted = stats[(stats["n"].between(3, 8)) & (stats["most"] <= 2) & (stats["social"] == 0)]
    grouped = {
        orgs.set_index("uscc").at[g.members[0], "building"]
        for g in result.groups
        if g.grouped_by == "building"
    }
    feasible = set(planted.index[planted["formal"] >= 3])
    infeasible = set(planted.index[planted["formal"] <= 2])
    assert len(feasible) >= 5 and len(infeasible) >= 3
    assert feasible <= grouped
    assert not infeasible & grouped

    # (d) uncovered with 3+ formal members: each proposed for 单独组建
    big = set(todo.loc[todo["formal_members"] >= 3, "uscc"])
    assert len(big) >= 3 and big == {s.uscc for s in result.standalone}
    # (h) 50+ staff and no formal member, uncovered: an instructor and 培养入党积极分子
    memberless = set(todo.loc[(todo["employees"] >= 50) & (todo["formal_members"] == 0), "uscc"])
    targets = {i.uscc: i.target for i in result.instructors}
    assert len(memberless) >= 2
    assert all(targets[u].startswith("培养入党积极分子") for u in memberless)
