"""Tests for graph.analysis.plan on a tiny hand-built area whose plan is worked out by hand.

The area (芙蓉区):
- streets S1 东湖街道 (with its 街道两新综合党委 PO-S1) and S2 马坡岭街道 (no 综合党委)
- buildings B1 东湖大厦, B2 东湖创业园, B3 东湖商业广场 (all S1), B4 马坡岭商务楼 (S2);
  park P1 东湖科技园
- chain C1 工程机械 with segments G1 零部件 and G2 整机; instructors I1 张敏, I2 李强
- existing Party organizations and the covered organizations (X…, Y…):
  PO-B1 楼宇共建 branch in B1, 50 members (full by members), covers X7 (2), X8 (1)
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
    org(107, 2, employees=40, building="B1", party_org="PO-B1"),
    org(108, 1, employees=30, building="B1", party_org="PO-B1"),
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


def area(
    *uncovered: dict[str, object],
    party_orgs: list[dict[str, object]] = (),  # type: ignore[assignment]
    all_party_orgs: list[dict[str, object]] | None = None,
    supply: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> nx.MultiDiGraph:
    """The area with the uncovered (or extra covered) organizations and Party organizations
    added; ``all_party_orgs`` replaces the Party organizations altogether."""
    streets = [
        {"id": "S1", "name": "东湖街道", "district": "芙蓉区"},
        {"id": "S2", "name": "马坡岭街道", "district": "芙蓉区"},
    ]
    buildings = [
        {"id": "B1", "name": "东湖大厦", "type": "商务楼宇", "street": "S1"},
        {"id": "B2", "name": "东湖创业园", "type": "产业园", "street": "S1"},
        {"id": "B3", "name": "东湖商业广场", "type": "商圈", "street": "S1"},
        {"id": "B4", "name": "马坡岭商务楼", "type": "商务楼宇", "street": "S2"},
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
            "party_orgs": table("party_orgs", all_party_orgs or [*PARTY_ORGS, *party_orgs]),
            "organizations": table("organizations", [*COVERED, *uncovered]),
            "supply_links": table("supply_links", [{"supplier": a, "buyer": b} for a, b in supply]),
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
    result = plan(
        area(
            org(1, 3), org(2, 60, employees=300), org(3, 2, street="S2"), org(4, 120, employees=900)
        )
    )
    own = {s.uscc: s for s in result.standalone}
    assert set(own) == {code(1), code(2), code(4)}  # U3 has 2 < 3 formal members
    assert own[code(1)].level == "党支部"
    assert "应单独组建党支部" in own[code(1)].reason
    assert "支部委员会" not in own[code(1)].reason  # 3 < 7 formal members
    assert own[code(2)].level == "党总支"  # 60 >= 50 members
    assert "正式党员50名以上" in own[code(2)].reason
    assert own[code(4)].level == "党委"  # 120 >= 100 members: a 基层党委, not a 党总支
    assert "设立基层党委" in own[code(4)].reason
    assert all(s.from_party_org is None for s in result.standalone)
    assert outcome(result, 3)[0] == "instructor"


def test_standalone_threshold_is_a_parameter() -> None:
    result = plan(area(org(1, 3)), Params(standalone_min_members=4))
    assert result.standalone == ()
    assert outcome(result, 1)[0] == "attachment"  # 3 < 4: small, joins PO-JS


def test_three_or_more_leave_a_joint_organization_to_form_their_own() -> None:
    # Issue 11 item 5. PO-JS covers X3 (2), X4 (1) and, here, U1 (4) and U2 (3): both have 3+
    # and leave (X3 + X4 still make 3 together). PO-B2 covers X1 (2), X2 (1) and U3 (5): U3
    # leaves. A branch PO-T covering U4 (3) and U5 (1) only: U4 alone would leave U5 with 1
    # formal member, no joint organization, so U4 stays. PO-U covers U6 (4) and U7 (6): both
    # leave and PO-U is no longer needed.
    extra = [
        org(1, 4, party_org="PO-JS"),
        org(2, 3, party_org="PO-JS"),
        org(3, 5, building="B2", party_org="PO-B2"),
        org(4, 3, street="S2", party_org="PO-T"),
        org(5, 1, street="S2", party_org="PO-T"),
        org(6, 4, street="S2", party_org="PO-U"),
        org(7, 6, street="S2", party_org="PO-U"),
    ]
    party_orgs = [
        po("PO-T", "马坡岭第一联合党支部", formation="联合组建", street="S2", parent=None),
        po("PO-U", "马坡岭第二联合党支部", formation="联合组建", street="S2", parent=None),
    ]
    result = plan(area(*extra, party_orgs=party_orgs))
    moved = {s.uscc: s for s in result.standalone}
    assert set(moved) == {code(1), code(2), code(3), code(6), code(7)}
    assert moved[code(1)].from_party_org == "PO-JS"
    assert moved[code(1)].from_party_org_name == "东湖街道第一联合党支部"
    assert "应建尽建" in moved[code(1)].reason
    assert moved[code(3)].from_party_org == "PO-B2"
    # projected: the five have their own after the plan
    e = result.rates.set_index("kind").loc["非公企业"]
    orgs = org_table(area(*extra, party_orgs=party_orgs))
    scope = orgs[orgs["in_scope"] & (orgs["org_kind"] == "非公企业")]
    own_now = int(scope["standalone"].sum())
    covered = int(scope["org_covered"].sum())
    assert e["standalone_rate_now"] == round(100 * own_now / covered, 2)
    assert e["standalone_rate_after"] == round(100 * (own_now + 5) / covered, 2)


def test_oversized_joint_organization_is_split() -> None:
    # Issue 11 item 5. PO-BIG covers seven organizations of S2 with 2, 2, 1, 1, 1, 1 and 0
    # formal members: more than 5. Split: two parts of 3+ formal members each ([2,1,1] and
    # [2,1,1] or [2,1,1,1] and [2,1]); the 0-member one fills a free place. The first part
    # (largest) keeps PO-BIG.
    members = [(11, 2), (12, 2), (13, 1), (14, 1), (15, 1), (16, 1), (17, 0)]
    extra = [org(n, f, street="S2", party_org="PO-BIG") for n, f in members]
    party_orgs = [po("PO-BIG", "马坡岭联合党支部", formation="区域合建", street="S2", parent=None)]
    result = plan(area(*extra, party_orgs=party_orgs))
    (split,) = result.splits
    assert (split.party_org, split.covers) == ("PO-BIG", 7)
    assert len(split.parts) == 2
    assert sorted(u for part in split.parts for u in part) == sorted(code(n) for n, _ in members)
    formal = dict((code(n), f) for n, f in members)
    for part in split.parts:
        assert len(part) <= 5 and sum(formal[u] for u in part) >= 3
    assert "拆分为2个" in split.reason and "沿用原党组织" in split.reason
    assert result.frame("splits").loc[0, "party_org"] == "PO-BIG"


# ---------------------------------------------------------------------------------------------
# (ii) proposed groups. S2 has no 综合党委 and only a law-firm branch, so new groups form there;
# in S1 the joint branches with room come first (fewest new organizations).


def test_building_group_and_members_without_party_members_stay_out() -> None:
    # B4 (S2): U1 (2) + U2 (1) = 3 formal members, 2 organizations → 楼宇共建.
    # U3 in B4 has no formal member: never put in a Party organization, gets an instructor.
    result = plan(
        area(
            org(1, 2, street="S2", building="B4"),
            org(2, 1, street="S2", building="B4"),
            org(3, 0, street="S2", building="B4"),
        )
    )
    (group,) = result.groups
    assert group.group_id == "NEW-S2-01"
    assert group.members == (code(1), code(2))
    assert group.member_names == ("组织1", "组织2")
    assert (group.size, group.formal_members) == (2, 3)
    assert (group.mode, group.grouped_by) == ("楼宇共建", "building")
    assert (group.street, group.street_name) == ("S2", "马坡岭街道")
    assert group.reason.startswith("同在马坡岭商务楼，2家组织正式党员合计3名")
    assert outcome(result, 3)[0] == "instructor"


def test_existing_branch_with_room_before_a_new_group() -> None:
    # B3 (S1): U1 (2) + U2 (1) could form a 楼宇共建 group, but PO-JS (S1) has room for both:
    # joining it forms no new organization, so they join (fewest new organizations).
    result = plan(area(org(1, 2, building="B3"), org(2, 1, building="B3")))
    assert result.groups == ()
    assert {attachment(result, n).party_org for n in (1, 2)} == {"PO-JS"}


def test_two_below_three_in_a_building_form_no_group() -> None:
    # U1 (1) + U2 (1) = 2 < 3 in B3; PO-JS takes both.
    result = plan(area(org(1, 1, building="B3"), org(2, 1, building="B3")))
    assert result.groups == ()
    assert {outcome(result, 1)[0], outcome(result, 2)[0]} == {"attachment"}


@pytest.mark.parametrize(
    ("level", "shared", "mode", "why"),
    [
        ("park", {"park": "P1"}, "区域合建", "同在东湖科技园"),
        ("segment", {"segment": "G2"}, "区域合建", "同属工程机械产业链整机环节"),
        ("category", {"category": "会计师事务所"}, "行业组建", "同为会计师事务所"),
        ("industry", {"industry": "C"}, "区域合建", "同属制造业"),
    ],
)
def test_group_by_the_closest_shared_place_or_trade(level, shared, mode, why) -> None:
    # S2: U1 (2), U2 (1), U3 (1) share the place or trade; U4 (2), U5 (1), U6 (1) share only
    # the street. Six organizations need two groups (at most 5 each); of the ways to cover all
    # six with two, the closest keeps the three that share something together.
    near = [org(n, f, street="S2", **shared) for n, f in [(1, 2), (2, 1), (3, 1)]]
    rest = [org(n, f, street="S2") for n, f in [(4, 2), (5, 1), (6, 1)]]
    result = plan(area(*near, *rest))
    first, second = sorted(result.groups, key=lambda g: g.members)
    assert first.members == (code(1), code(2), code(3))
    assert (first.grouped_by, first.mode) == (level, mode)
    assert first.reason.startswith(why)
    assert (second.members, second.grouped_by) == ((code(4), code(5), code(6)), "street")


def test_same_chain_different_segments() -> None:
    # G1 and G2 are both 工程机械: no shared segment, but a shared chain.
    chain = [org(1, 2, street="S2", segment="G1"), org(2, 1, street="S2", segment="G2")]
    chain.append(org(3, 1, street="S2", segment="G2"))
    rest = [org(n, f, street="S2") for n, f in [(4, 2), (5, 1), (6, 1)]]
    result = plan(area(*chain, *rest))
    first = min(result.groups, key=lambda g: g.members)
    assert (first.members, first.grouped_by) == ((code(1), code(2), code(3)), "chain")
    assert first.mode == "区域合建" and first.reason.startswith("同属工程机械产业链")


def test_tops_groups_up_so_everyone_is_covered() -> None:
    # Issue 11 item 2: in S2 (no 综合党委, no branch for them) 2, 2, 1, 1, 1, 1 formal members.
    # Closing each group at 3 gave [2,1] + [2,1] and two instructors (66.67 %); two groups
    # topped up cover all six.
    result = plan(area(*(org(n, f, street="S2") for n, f in enumerate([2, 2, 1, 1, 1, 1], 1))))
    assert len(result.groups) == 2
    assert sum(g.size for g in result.groups) == 6
    assert all(g.formal_members >= 3 and g.size <= 5 for g in result.groups)
    assert result.instructors == ()
    assert (result.solver.pools, result.solver.optimal) == (1, 1)


def test_groups_never_cross_streets_but_a_park_spans_them() -> None:
    # Issue 11 item 4. U1 (2) in S1, U2 (1) in S2: 3 together, but two streets → no group (U1
    # joins PO-JS, U2 has nothing). With both in park P1 they group across the streets
    # (区域合建), as `clusters` says they can.
    apart = plan(area(org(1, 2, industry="C"), org(2, 1, street="S2", industry="C")))
    assert apart.groups == ()
    assert outcome(apart, 2)[0] == "instructor"
    parked = plan(
        area(org(1, 2, park="P1", category="x"), org(2, 1, street="S2", park="P1", category="x")),
        Params(joint_max_orgs=2),  # every S1 branch is full, so a new group is the only way
    )
    (group,) = parked.groups
    assert (group.grouped_by, group.mode) == ("park", "行业组建")
    assert set(group.members) == {code(1), code(2)}
    assert "跨街道" in group.reason


def test_group_size_limit() -> None:
    # need 5 formal members, at most 3 organizations, in S2: 2, 2, 1, 1, 1 → one group of
    # three reaching 5 must hold both 2s and a 1; two 1s are left (instructors).
    result = plan(
        area(
            *(
                org(n, f, street="S2", building="B4")
                for n, f in [(1, 2), (2, 2), (3, 1), (4, 1), (5, 1)]
            )
        ),
        Params(standalone_min_members=5, joint_max_orgs=3),
    )
    (group,) = result.groups
    assert (group.size, group.formal_members) == (3, 5)
    assert group.members[:2] == (code(1), code(2))  # listed larger first
    assert len(result.instructors) == 2


def test_building_leftover_joins_the_branch_of_its_building() -> None:
    # U1 (1) alone in B2 joins PO-B2 (2 orgs, 3 members: room), closer than PO-JS; U2 (2)
    # joins PO-JS. No new organization.
    result = plan(area(org(1, 1, building="B2"), org(2, 2)))
    assert result.groups == ()
    a1, a2 = attachment(result, 1), attachment(result, 2)
    assert (a1.party_org, a1.mode) == ("PO-B2", "楼宇共建")
    assert a1.party_org_name == "东湖创业园联合党支部"
    assert "同在东湖创业园" in a1.reason and "现覆盖2家组织（上限5家）、党员3名" in a1.reason
    assert (a2.party_org, a2.mode) == ("PO-JS", "区域合建")


def test_a_branch_full_of_members_takes_no_one() -> None:
    # PO-B1 has 50 members: 50 + 1 > 50. U1 of B1 goes to the street branch PO-JS instead.
    result = plan(area(org(1, 1, building="B1")))
    assert (attachment(result, 1).party_org, attachment(result, 1).mode) == ("PO-JS", "区域合建")


def test_room_is_counted_as_organizations_join() -> None:
    # At most 3 organizations per branch: PO-B2, PO-JS and PO-L (2 each) have one place left.
    # U1 (1) and U2 (1) of B2: 1 + 1 < 3, no group. One takes PO-B2's last place (closest),
    # the other PO-JS's.
    result = plan(
        area(org(1, 1, building="B2"), org(2, 1, building="B2")), Params(joint_max_orgs=3)
    )
    taken = sorted((attachment(result, n).party_org, attachment(result, n).mode) for n in (1, 2))
    assert taken == [("PO-B2", "楼宇共建"), ("PO-JS", "区域合建")]


def test_a_building_branch_takes_only_its_building() -> None:
    # U1 (1) has no building: PO-B2 (in B2) has room but is not for it; PO-JS takes it.
    assert attachment(plan(area(org(1, 1))), 1).party_org == "PO-JS"


def test_lead_enterprise_takes_in_its_chain_in_its_street_or_park() -> None:
    # U1 (1, G2 of C1, S1) and U2 (1, G1, S2 but in park P1 like the lead X5) join PO-L
    # (龙头领建: 2 orgs, 9 members). U3 (1, C1, S2, no park): not near the lead → no 综合党委 in
    # S2 → instructor.
    result = plan(
        area(
            org(1, 1, segment="G2"),
            org(2, 1, street="S2", segment="G1", park="P1"),
            org(3, 1, street="S2", segment="G1"),
        )
    )
    a2 = attachment(result, 2)
    assert (a2.party_org, a2.mode) == ("PO-L", "龙头领建")
    assert "同园区、同属工程机械产业链" in a2.reason
    assert attachment(result, 1).party_org in {"PO-L", "PO-JS"}
    assert outcome(result, 3)[0] == "instructor"


def test_a_lead_takes_in_its_supply_partner_wherever_it_is() -> None:
    # Issue 11 item 6: a lead's organization takes in its uncovered suppliers (龙头领建), as
    # `leads` counts them. U1 (1 formal, S2, no chain, no park) supplies the lead X5: nothing
    # in S2 could take it (no 综合党委, no branch for it), PO-L does.
    result = plan(area(org(1, 1, street="S2"), supply=[(code(1), code(105))]))
    a = attachment(result, 1)
    assert (a.party_org, a.mode) == ("PO-L", "龙头领建")
    assert "上下游配套" in a.reason


def test_a_lead_committee_takes_in_like_a_branch() -> None:
    # Issue 11 item 3: the lead's organization is a 党委 (any level takes in, with no 50-member
    # cap). U1 (1, C1, S2, park P1) has no other way in: PO-L takes it.
    party_orgs = [dict(p) for p in PARTY_ORGS]
    for p in party_orgs:
        if p["id"] == "PO-L":
            p.update(level="党委", members=120)
    result = plan(area(org(1, 1, street="S2", segment="G1", park="P1"), all_party_orgs=party_orgs))
    assert (attachment(result, 1).party_org, attachment(result, 1).mode) == ("PO-L", "龙头领建")


def test_a_weak_and_lax_branch_takes_no_one() -> None:
    # PO-JS without a secretary is 软弱涣散: it is to be rectified first, not to take in; U1
    # (1, no building) falls back to the street's 综合党委.
    party_orgs = [dict(p) for p in PARTY_ORGS]
    for p in party_orgs:
        if p["id"] in ("PO-JS", "PO-L"):
            p["has_secretary"] = False
    result = plan(area(org(1, 1), all_party_orgs=party_orgs))
    assert (attachment(result, 1).party_org, attachment(result, 1).mode) == ("PO-S1", "兜底组建")


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
    assert "没有尚有余量的党组织" in assigned.reason and "证明最优" in assigned.reason


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
    # Enterprises: X1–X9 covered (9), X9 and the lead X5 have their own (standalone 2); U1 (3)
    # → 单独组建; U2 (2) + U3 (1) in B3 → join PO-JS; U4 (0) → instructor. Total 13.
    #   org  now 9/13 = 69.23 %, after 12/13 = 92.31 %
    #   work now 9/13 = 69.23 % (U… have no instructor or 群团), after 13/13 = 100 %
    #   standalone now 2/9 = 22.22 %, after 3/12 = 25 %
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
    assert (e["standalone_rate_now"], e["standalone_rate_after"]) == (22.22, 25.0)
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
    g = area(
        org(1, 3),
        org(2, 2, street="S2", building="B4"),
        org(3, 1, street="S2", building="B4"),
        org(4, 1),
        org(5, 0),
    )
    result = plan(g)
    assert plan(g) == result
    assert plan(area(*[org(n, 1, street="S2") for n in range(9)])) == plan(
        area(*[org(n, 1, street="S2") for n in range(9)])
    )
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
    park = orgs.set_index("uscc")["park"]
    formal = orgs.set_index("uscc")["formal_members"]
    for group in result.groups:
        assert group.formal_members == sum(formal[u] for u in group.members) >= 3
        assert group.size == len(group.members) <= 5
        streets = {street[u] for u in group.members}
        assert streets == {group.street} or (
            group.grouped_by == "park" and len({park[u] for u in group.members}) == 1
        )
    assert result.solver.pools > 0 and result.solver.optimal == result.solver.pools
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
    # where they reach 3 together every small one is covered (a group, or a branch with room)
    outcomes = assigned.set_index("uscc")["outcome"]
    for b in feasible:
        small = uncovered[(uncovered["building"] == b) & (uncovered["formal_members"] > 0)]
        assert set(outcomes[small["uscc"]]) <= {"group", "attachment"}
    assert not infeasible & grouped

    # (d) uncovered with 3+ formal members: each proposed for 单独组建
    big = set(todo.loc[todo["formal_members"] >= 3, "uscc"])
    assert len(big) >= 3 and big == {s.uscc for s in result.standalone}
    # (h) 50+ staff and no formal member, uncovered: an instructor and 培养入党积极分子
    memberless = set(todo.loc[(todo["employees"] >= 50) & (todo["formal_members"] == 0), "uscc"])
    targets = {i.uscc: i.target for i in result.instructors}
    assert len(memberless) >= 2
    assert all(targets[u].startswith("培养入党积极分子") for u in memberless)
