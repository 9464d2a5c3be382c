"""graph.analysis.partners on a tiny hand-built city whose scores are worked out by hand.

The city (芙蓉区: streets S1, S2; 天心区: street S3; chain C1 with segments G1, G2):
- buildings B1 (S1, 113.000 E 28.200 N) and B2 (S1, 113.000 E 28.209 N: 0.009° of latitude
  north, 6371 km × 0.009 × π/180 = 1.0008 km away)
- X, the organization asking: S1, B1, segment G1, 制造企业, 行业门类 C, 1 formal member
- uncovered: P1 (B1, 2 formal, 商贸企业 F), P2 (B2, G1, 制造企业 C, 0), P3 (S2, G2, 2, no
  coordinates), P4 (S3, another district), P6 (S1, 僵尸企业), P7 (S3, 4 formal)
- joint branches: J1 (楼宇党组织 in B1) covers Q1 (制造企业 C) and Q2, 1 formal each, 2
  members; J2 (S1) covers P5, Q3–Q6 (5: full); J3 (S2) covers R1–R4, 45 members
"""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.analysis.common import Params
from graph.analysis.partners import PARTNER_COLUMNS, partners
from graph.analysis.plan import plan
from graph.build import build_graph
from graph.errors import LiangxinError, NotFound
from graph.ledger import Ledger
from loaders.sample import generate_city
from tests.analysis_kit import AS_OF, org_row, segment_table, street_table, table, usccs

NAMES = ["X", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
NAMES += ["R1", "R2", "R3", "R4"]
U = usccs(NAMES)


OFFICE = {"type": "商务楼宇", "street": "S1"}


def org(name: str, formal: int, street: str, **extra: object) -> dict[str, object]:
    return org_row(U[name], name, formal, street, **extra)


def branch(code: str, type_: str, members: int, **extra: object) -> dict[str, object]:
    return {"id": code, "name": f"{code}联合党支部", "level": "党支部", "type": type_,
            "formation": "联合组建", "members": members, **extra}  # fmt: skip


def city() -> Ledger:
    making = {"category": "制造企业", "industry": "C"}
    return Ledger(
        {
            "streets": street_table(),
            "buildings": table(
                "buildings",
                [
                    {
                        "id": "B1",
                        "name": "东湖大厦",
                        "type": "商务楼宇",
                        "street": "S1",
                        "lon": 113.0,
                        "lat": 28.2,
                    },
                    {
                        "id": "B2",
                        "name": "东湖广场",
                        "type": "商务楼宇",
                        "street": "S1",
                        "lon": 113.0,
                        "lat": 28.209,
                    },
                ],
            ),
            "chains": table("chains", [{"id": "C1", "name": "工程机械"}]),
            "segments": segment_table(),
            "party_orgs": table(
                "party_orgs",
                [
                    branch("J1", "楼宇党组织", 2, building="B1"),
                    branch("J2", "企业党组织", 5, street="S1"),
                    branch("J3", "企业党组织", 45, street="S2"),
                ],
            ),
            "organizations": table(
                "organizations",
                [
                    org("X", 1, "S1", building="B1", segment="G1", **making),
                    org("P1", 2, "S1", building="B1", category="商贸企业", industry="F"),
                    org("P2", 0, "S1", building="B2", segment="G1", **making),
                    org("P3", 2, "S2", segment="G2"),
                    org("P4", 2, "S3"),
                    org("P5", 1, "S1", party_org="J2"),
                    org("P6", 2, "S1", status="僵尸企业"),
                    org("P7", 4, "S3"),
                    org("Q1", 1, "S1", building="B1", party_org="J1", **making),
                    org("Q2", 1, "S1", building="B1", party_org="J1"),
                    *(org(f"Q{n}", 1, "S1", party_org="J2") for n in range(3, 7)),
                    *(org(f"R{n}", 0, "S2", party_org="J3") for n in range(1, 5)),
                ],
            ),
        }
    )


@pytest.fixture(scope="module")
def g():
    return build_graph(city())


def rows(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {r["candidate"]: r for r in frame.to_dict("records")}


def test_ranked_with_every_part_worked_out(g) -> None:
    found = partners(g, U["X"])
    assert list(found.columns) == PARTNER_COLUMNS
    # J1: building 30 + 0 km 10 + (制造企业 10 + C 5) + together 2+1=3 → 20 + size 3 → 10×3/4
    # P1: building 30 + 0 km 10 + nothing alike 0 + together 2+1=3 → 20 + a pair → 10
    # P2: street 15 + 1.0008 km → 10×(1−1.0008/5)=8.0 + (G1 15 + 10 + 5) + 1/3 → 6.67 + 10
    # P3: district 5 + no coordinates 0 + chain C1 10 + together 3 → 20 + 10
    # J3: district 5 + 0 + 0 + together 0+1 → 6.67 + size 5 → 10×1/4 = 2.5
    # The rank is not the score's order. Feasible now: J1 (X joins; 2 → 3 organizations, 2 → 3
    # members), P1 (1 + 2 = 3). Not: P3 (1 + 2 = 3 but in 马坡岭街道: a group shares a street
    # or a park, as in the plan), J3 (a branch of 马坡岭街道 takes that street's organizations
    # only), P2 (1 + 0 = 1). Among the feasible: building J1, P1 (both 0 km; alike + size
    # 15 + 7.5 = 22.5 against 0 + 10 = 10: J1 first). Then what they bring: P3 (2 formal
    # members) before P2 and J3 (none); of those, P2 (street) before J3 (district).
    assert list(found["candidate"]) == ["J1", U["P1"], U["P3"], U["P2"], "J3"]
    assert list(found["rank"]) == [1, 2, 3, 4, 5]
    assert list(found["feasible"]) == [True, True, False, False, False]
    assert "不在同一街道或同一园区，不能联合组建" in rows(found)[U["P3"]]["reason"]
    assert "不能直接吸纳本组织" in rows(found)["J3"]["reason"]
    expected = {
        "J1": (30, 10, 15, 20, 7.5, 82.5),
        U["P1"]: (30, 10, 0, 20, 10, 70),
        U["P2"]: (15, 8.0, 30, 6.67, 10, 69.67),
        U["P3"]: (5, 0, 10, 20, 10, 45),
        "J3": (5, 0, 0, 6.67, 2.5, 14.17),
    }
    parts = ["proximity_score", "distance_score", "similarity_score", "members_score"]
    for code, row in rows(found).items():
        assert tuple(row[p] for p in [*parts, "size_score", "score"]) == pytest.approx(
            expected[code], abs=0.01
        ), code
    by = rows(found)
    assert (
        by["J1"]["candidate_kind"] == "party_org"
        and by[U["P1"]]["candidate_kind"] == "organization"
    )
    assert by[U["P2"]]["distance_km"] == pytest.approx(1.0, abs=0.01)
    assert pd.isna(by[U["P3"]]["distance_km"])
    assert (by["J1"]["together_formal_members"], by["J1"]["group_size"]) == (3, 3)
    assert (by[U["P2"]]["together_formal_members"], by[U["P2"]]["group_size"]) == (1, 2)


def test_never_offered(g) -> None:
    found = set(partners(g, U["X"])["candidate"])
    # P4: another district; P5, Q*, R*: covered; P6: 僵尸企业; J2: full (5 organizations)
    assert not found & {U["P4"], U["P5"], U["P6"], U["Q1"], "J2"}
    assert U["X"] not in found


def test_district_only_when_the_neighbourhood_gives_too_few(g) -> None:
    # building, park and street give J1, P1, P2: three
    assert set(partners(g, U["X"], top=3)["candidate"]) == {"J1", U["P1"], U["P2"]}
    # asking for four widens the search to 芙蓉区: P3 and J3 come in (neither can form with X
    # across streets); P3 brings members, so it comes before P2
    assert list(partners(g, U["X"], top=4)["candidate"]) == ["J1", U["P1"], U["P3"], U["P2"]]
    assert len(partners(g, U["X"], top=2)) == 2


def test_reasons_name_places_and_what_they_reach(g) -> None:
    by = rows(partners(g, U["X"]))
    assert "同在东湖大厦" in by["J1"]["reason"] and "可直接吸纳本组织" in by["J1"]["reason"]
    assert "吸纳后覆盖3个组织（上限5个）" in by["J1"]["reason"]
    assert "达到3名，可联合组建" in by[U["P1"]]["reason"]
    assert "同属工程机械产业链“零部件”环节" in by[U["P2"]]["reason"]
    assert "两家合计正式党员1名，尚需2名（对方没有正式党员）" in by[U["P2"]]["reason"]
    assert "相距约1.0公里" in by[U["P2"]]["reason"] and "可联合组建" not in by[U["P2"]]["reason"]
    assert "同在芙蓉区" in by[U["P3"]]["reason"]


def test_unknown_out_of_scope_and_not_operating() -> None:
    g = build_graph(city())
    with pytest.raises(NotFound, match="找不到统一社会信用代码"):
        partners(g, "91430100MA0000000X")
    with pytest.raises(LiangxinError, match="僵尸企业"):
        partners(g, U["P6"])
    with pytest.raises(LiangxinError, match="不在本次统计范围"):
        partners(g, U["X"], params=Params(min_employees_enterprise=50))


def test_covered_and_standalone_eligible_are_answered_with_a_note(g) -> None:
    found = partners(g, U["P5"])
    assert found.attrs["subject"]["covered"] and found.attrs["subject"]["party_org"] == "J2"
    assert "已由党组织J2覆盖" in found.attrs["note"]
    assert "J2" not in set(found["candidate"])  # not its own branch
    found = partners(g, U["P7"])
    assert "应单独组建" in found.attrs["note"]
    assert list(found["candidate"]) == [U["P4"]]  # alone in S3 with P4
    assert not found["feasible"].any()  # P7 should form its own: no joint formation for it
    assert "本组织有4名正式党员，应单独组建" in found["reason"].iloc[0]
    found = partners(g, U["P2"])  # no formal member: it can join nothing yet
    assert "没有正式党员，暂不能加入党组织" in found.attrs["note"]
    assert not found["feasible"].any() and found["reason"].str.contains("宜先发展党员").all()
    assert partners(g, U["X"]).attrs["note"] is None


def test_thresholds_come_from_params(g) -> None:
    by = rows(partners(g, U["X"], params=Params(standalone_min_members=2)))
    # P2: together 1 of 2 → 20 × 1/2 = 10
    assert by[U["P2"]]["members_score"] == 10
    # with 2 as the threshold P1 and P3 (2 formal each) should form their own: no partners,
    # listed last (the nearer first)
    found = partners(g, U["X"], params=Params(standalone_min_members=2))
    assert list(found["candidate"].iloc[-2:]) == [U["P1"], U["P3"]]
    assert not found["feasible"].iloc[-2:].any()
    assert "对方有2名正式党员，应单独组建，不作联合组建伙伴" in found.iloc[-2]["reason"]
    assert by["J1"]["feasible"] and not by[U["P2"]]["feasible"]  # P2: 1 + 0 < 2
    by = rows(partners(g, U["X"], params=Params(joint_max_orgs=3)))
    # J1 covers 2 < 3 → joins as the 3rd: size 10 × (3+1−3)/2 = 5; J3 (4) no longer has room
    assert by["J1"]["size_score"] == 5 and "J3" not in by


def test_sample_city_members_of_planted_clusters_find_each_other() -> None:
    """Planted gap (a): in a feasible building cluster everyone finds building mates."""
    ledger = generate_city(3000)
    g = build_graph(ledger)
    orgs = ledger.organizations
    open_ = orgs[(orgs["status"] == "正常") & orgs["party_org"].isna() & orgs["building"].notna()]
    per = open_.groupby("building").agg(
        n=("uscc", "size"), formal=("formal_members", "sum"), most=("formal_members", "max")
    )
    planted = per[per["n"].between(3, 8) & (per["most"] <= 2) & (per["formal"] >= 3)]
    assert len(planted) >= 5
    for building in planted.index:
        inside = open_[open_["building"] == building]
        name = inside["name"].iloc[0]
        for subject in inside["uscc"]:
            found = partners(g, subject, top=100)
            others = found["candidate"].isin(set(inside["uscc"]) - {subject})
            mates = found[others]
            assert len(mates) >= 1, (building, name)
            assert (mates["proximity_score"] == 30).all()
            assert mates["reason"].str.startswith("同在").all()
            # feasible first, and among those the building mates (proximity 30) first
            assert found["feasible"].is_monotonic_decreasing
            assert found.loc[found["feasible"], "proximity_score"].is_monotonic_decreasing


def test_code_typed_in_lower_case_with_spaces_is_found(g) -> None:
    first = partners(g, U["X"])
    typed = partners(g, f"  {U['X'].lower()} ")
    pd.testing.assert_frame_equal(first, typed)


# -- issue 11 item 7: the right partner came third ---------------------------------------------
#
# X (东湖大厦 B1, segment G1, 制造企业, C, 1 formal member) asks; in B1 too:
# - A: G1, 制造企业, C, 5 formal members (should form its own)
# - B: G1, 制造企业, C, no formal member
# - C: 商贸企业, F, 2 formal members: X and C reach 3 together

THIRD = ["X", "A", "B", "C"]
T = usccs(THIRD)


def third_city() -> Ledger:
    making = {"category": "制造企业", "industry": "C", "segment": "G1"}

    def o(name: str, formal: int, **extra: object) -> dict[str, object]:
        return org_row(T[name], name, formal, "S1", building="B1", **extra)

    return Ledger(
        {
            "streets": street_table(),
            "buildings": table(
                "buildings",
                [{"id": "B1", "name": "东湖大厦", **OFFICE, "lon": 113.0, "lat": 28.2}],
            ),
            "chains": table("chains", [{"id": "C1", "name": "工程机械"}]),
            "segments": segment_table(),
            "organizations": table(
                "organizations",
                [
                    o("X", 1, **making),
                    o("A", 5, **making),
                    o("B", 0, **making),
                    o("C", 2, category="商贸企业", industry="F"),
                ],
            ),
        }
    )


def test_finding_the_partner_that_reaches_three_comes_first() -> None:
    found = partners(build_graph(third_city()), T["X"])
    names = {T[n]: n for n in THIRD}
    # all three: same building 30 + 0 km 10 + a pair 10; then
    # A: G1 15 + 制造企业 10 + C 5 = 30, together 6 → 20: 100
    # B: 30, together 1 → 20 × 1/3 = 6.67: 86.67
    # C: nothing alike 0, together 3 → 20: 70
    score = {names[c]: s for c, s in zip(found["candidate"], found["score"], strict=True)}
    assert score == {"A": 100.0, "B": 86.67, "C": 70.0}
    # by the score the order was A, B, C: the finding. Now C, the only feasible pair (1 + 2 =
    # 3), comes first; then B (no formal member: brings nobody); A (5: forms its own) last
    assert [names[c] for c in found["candidate"]] == ["C", "B", "A"]
    assert list(found["feasible"]) == [True, False, False]
    c, b, a = found["reason"]
    assert "两家合计正式党员3名，达到3名，可联合组建" in c
    assert "两家合计正式党员1名，尚需2名（对方没有正式党员）" in b and "可联合组建" not in b
    assert "对方有5名正式党员，应单独组建，不作联合组建伙伴" in a and "可联合组建" not in a


# -- three of one formal member: a group of three, not a pair, reaches 3 -----------------------
#
# 东湖大厦 B1 (东湖街道 S1) holds 甲, 乙 and 丙, one formal member each; 丁 (S1, no building)
# has 2. No pair of the three reaches 3, but the three together do (1 + 1 + 1 = 3, the plan and
# clusters group them): 乙 and 丙 are feasible partners for 甲, each completed with the other,
# and come before 丁, a feasible pair from the street.

MATES = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"]
M = usccs(MATES)


def building_city(rows: list[dict[str, object]]) -> Ledger:
    return Ledger(
        {
            "streets": street_table(),
            "buildings": table(
                "buildings",
                [{"id": "B1", "name": "东湖大厦", **OFFICE, "lon": 113.0, "lat": 28.2}],
            ),
            "organizations": table("organizations", rows),
        }
    )


def mate(
    name: str, formal: int, probationary: int = 0, street: str = "S1", **extra: object
) -> dict[str, object]:
    extra = {"building": "B1", "probationary_members": probationary, **extra}
    return org_row(M[name], name, formal, street, **extra)


def test_three_of_one_member_in_a_building_are_feasible_together() -> None:
    ledger = building_city(
        [mate("甲", 1), mate("乙", 1), mate("丙", 1), mate("丁", 2, building=None)]
    )
    g = build_graph(ledger)
    found = partners(g, M["甲"])
    names = {M[n]: n for n in MATES}
    # all feasible; the building mates (proximity 30) before 丁 (street 15), 乙 before 丙 by code
    assert [names[c] for c in found["candidate"]] == ["乙", "丙", "丁"]
    assert list(found["feasible"]) == [True, True, True]
    by = rows(found)
    assert by[M["乙"]]["completed_with"] == [M["丙"]]
    assert by[M["丙"]]["completed_with"] == [M["乙"]]
    assert by[M["丁"]]["completed_with"] == []  # 1 + 2 = 3: the pair needs no others
    # the group counts the third: 3 organizations, 3 formal members (members 20, size 7.5)
    assert (by[M["乙"]]["group_size"], by[M["乙"]]["together_formal_members"]) == (3, 3)
    assert (by[M["乙"]]["members_score"], by[M["乙"]]["size_score"]) == (20, 7.5)
    assert (
        "与同在东湖大厦的丙公司一起，三家合计正式党员3名，达到3名，可联合组建"
        in (by[M["乙"]]["reason"])
    )
    assert "两家合计正式党员3名，达到3名，可联合组建" in by[M["丁"]]["reason"]
    # the plan puts the three in one joint organization too
    groups = plan(g, Params(as_of=AS_OF)).frame("groups")
    together = [set(m) for m in groups["members"] if M["甲"] in m]
    assert len(together) == 1 and {M["甲"], M["乙"], M["丙"]} <= together[0]


def test_two_of_one_member_alone_are_not_feasible() -> None:
    g = build_graph(building_city([mate("甲", 1), mate("乙", 1), mate("丙", 0)]))
    found = partners(g, M["甲"])
    assert not found["feasible"].any()  # 丙 has no formal member: it completes nothing
    assert (found["completed_with"].map(len) == 0).all()
    assert "两家合计正式党员2名，尚需1名" in rows(found)[M["乙"]]["reason"]


def test_completion_stays_within_fifty_people() -> None:
    # 甲 and 乙: 1 formal + 19 probationary each, 40 people; 10 more at most
    base = [mate("甲", 1, 19), mate("乙", 1, 19)]
    # 丙: 1 + 10 = 11 people → 51; 丁: 2 + 15 = 17 → 57: neither completes 甲 and 乙
    over = [mate("丙", 1, 10), mate("丁", 2, 15)]
    by = rows(partners(build_graph(building_city(base + over)), M["甲"]))
    assert not by[M["乙"]]["feasible"] and by[M["乙"]]["completed_with"] == []
    assert "可联合组建" not in by[M["乙"]]["reason"]
    # 戊: 1 + 4 = 5 → 45 people. The one that brings most formal members (丁) would break the
    # limit; the completion is exact, not greedy: 戊 completes it
    by = rows(partners(build_graph(building_city([*base, *over, mate("戊", 1, 4)])), M["甲"]))
    assert by[M["乙"]]["feasible"] and by[M["乙"]]["completed_with"] == [M["戊"]]
    assert "与同在东湖大厦的戊公司一起，三家合计正式党员3名" in by[M["乙"]]["reason"]


def test_completion_stays_within_five_organizations() -> None:
    # with 6 as the threshold, 甲 + 乙 (1 + 1) need 4 more; 丙–己 bring 1 each: 4 others make
    # 6 organizations, over 5; 3 make 5 formal members, short of 6
    ones = [mate(n, 1) for n in ["甲", "乙", "丙", "丁", "戊", "己"]]
    g = build_graph(building_city(ones))
    six = Params(standalone_min_members=6)
    assert not partners(g, M["甲"], params=six)["feasible"].any()
    # allowing 6 organizations, 甲 and 乙 are completed with the 4 others
    by = rows(partners(g, M["甲"], params=Params(standalone_min_members=6, joint_max_orgs=6)))
    assert by[M["乙"]]["feasible"] and len(by[M["乙"]]["completed_with"]) == 4
    assert (
        "与同在东湖大厦的丙公司、丁公司、戊公司、己公司一起，六家合计正式党员6名"
        in (by[M["乙"]]["reason"])
    )
    # or with one of 2 formal members (庚), three others fit in 5: 庚 (2), then two of 1
    g = build_graph(building_city([*ones, mate("庚", 2)]))
    by = rows(partners(g, M["甲"], params=six))
    assert by[M["乙"]]["feasible"] and by[M["乙"]]["completed_with"] == [M["庚"], M["丙"], M["丁"]]


def test_completion_uses_a_wider_bond_when_the_closest_gives_none() -> None:
    # 甲 and 乙 in 东湖大厦 alone; 丙 (1 formal) elsewhere in 东湖街道: the three share the street
    g = build_graph(building_city([mate("甲", 1), mate("乙", 1), mate("丙", 1, building=None)]))
    by = rows(partners(g, M["甲"]))
    assert by[M["乙"]]["feasible"] and by[M["乙"]]["completed_with"] == [M["丙"]]
    assert "与同在东湖街道的丙公司一起，三家合计正式党员3名" in by[M["乙"]]["reason"]
    # but not across streets (outside a park): 丙 in 马坡岭街道 shares nothing with both
    away = mate("丙", 1, street="S2", building=None)
    g = build_graph(building_city([mate("甲", 1), mate("乙", 1), away]))
    by = rows(partners(g, M["甲"], top=100))
    assert not by[M["乙"]]["feasible"]


# -- the ranking, checked exhaustively on small random neighbourhoods --------------------------

SPOTS = {"B1": (113.0, 28.2), "B2": (113.0, 28.209)}  # both in 东湖街道 S1


@st.composite
def neighbourhood(draw: st.DrawFn) -> tuple[Ledger, list[dict], dict | None]:
    n = draw(st.integers(3, 8))
    names = [f"O{i}" for i in range(1, n + 1)]
    codes = usccs(names)
    orgs = []
    for i, name in enumerate(names):
        building = draw(st.sampled_from(["B1", "B2", None]))
        street = "S1" if building else draw(st.sampled_from(["S1", "S2", "S3"]))
        orgs.append(
            {
                "uscc": codes[name],
                "formal": draw(st.sampled_from([0, 1, 1, 1, 2, 3, 4])),  # 1s: groups of three
                "probationary": draw(st.integers(0, 2)),
                "street": "S1" if i == 0 else street,  # O1 asks: in 芙蓉区
                "building": building,
                "segment": draw(st.sampled_from(["G1", "G2", None])),
                "category": draw(st.sampled_from(["制造企业", "商贸企业"])),
                "party_org": None,
            }
        )
    branch = None
    if n >= 5 and draw(st.booleans()):  # the last two form joint branch J
        branch = {"id": "J", "members": draw(st.sampled_from([2, 47, 49]))}
        for o in orgs[-2:]:
            o["party_org"] = "J"
    ledger = Ledger(
        {
            "streets": street_table(),
            "buildings": table(
                "buildings",
                [
                    {"id": b, "name": f"{b}大厦", **OFFICE, "lon": lon, "lat": lat}
                    for b, (lon, lat) in SPOTS.items()
                ],
            ),
            "chains": table("chains", [{"id": "C1", "name": "工程机械"}]),
            "segments": segment_table(),
            "party_orgs": table("party_orgs", [branch_row(branch["members"])] if branch else []),
            "organizations": table(
                "organizations",
                [
                    org_row(
                        o["uscc"],
                        f"O{i}",
                        o["formal"],
                        o["street"],
                        probationary_members=o["probationary"],
                        building=o["building"],
                        segment=o["segment"],
                        category=o["category"],
                        party_org=o["party_org"],
                    )
                    for i, o in enumerate(orgs, start=1)
                ],
            ),
        }
    )
    return ledger, orgs, branch


def branch_row(members: int) -> dict[str, object]:
    return branch("J", "企业党组织", members)


def _km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    if a is None or b is None:
        return math.nan
    (lon1, lat1), (lon2, lat2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return round(2 * 6371.0 * math.asin(math.sqrt(h)), 2)


def _bonds(o: dict) -> list[str | None]:
    """The plan's bonds of a test organization, closest first (no park, no 行业门类 here)."""
    s = o["street"]
    segment = o["segment"]
    return [
        o["building"],
        segment and f"{s}:{segment}",
        segment and f"{s}:C1",  # both segments are of chain C1
        f"{s}:{o['category']}",
        s,
    ]


def _completion(orgs: list[dict], o: dict, p: Params) -> int | None:
    """How many others complete a new group of orgs[0] and ``o`` (0: the pair reaches the
    threshold itself), by brute force over every set of others at the closest bond the two
    share that has one; None when none does."""
    x = orgs[0]

    def feasible(group: list[dict]) -> bool:
        return (
            len(group) <= p.joint_max_orgs
            and all(1 <= g["formal"] < p.standalone_min_members for g in group)
            and sum(g["formal"] for g in group) >= p.standalone_min_members
            and sum(g["formal"] + g["probationary"] for g in group) <= p.branch_max_members
        )

    if not any(k is not None and k == v for k, v in zip(_bonds(x), _bonds(o), strict=True)):
        return None  # a group shares a street (or a park): never across streets
    if feasible([x, o]):
        return 0
    others = [g for g in orgs[1:] if g is not o and g["party_org"] is None]
    for level, key in enumerate(_bonds(x)):
        if key is None or _bonds(o)[level] != key:
            continue
        sharing = [g for g in others if _bonds(g)[level] == key]
        for size in range(1, p.joint_max_orgs - 1):
            if any(feasible([x, o, *more]) for more in itertools.combinations(sharing, size)):
                return size
    return None


def _expected(orgs: list[dict], branch: dict | None, p: Params) -> dict[str, tuple]:
    """(feasible, what it brings, closeness, −km) per candidate, worked out from the rows."""
    x = orgs[0]
    xf, xp = x["formal"], x["formal"] + x["probationary"]
    district = {"S1": "芙蓉区", "S2": "芙蓉区", "S3": "天心区"}

    def joins(f: int) -> bool:
        return 1 <= f < p.standalone_min_members

    def closeness(building: str | None, street: str | None, same_district: bool) -> int:
        if building is not None and building == x["building"]:
            return 30
        if street == x["street"]:
            return 15
        return 5 if same_district else 0

    spot = SPOTS.get(x["building"])
    found = {}
    for o in orgs[1:]:
        if o["party_org"] is None and district[o["street"]] == "芙蓉区":
            feasible = _completion(orgs, o, p) is not None
            brings = 0 if o["formal"] >= p.standalone_min_members else 2 if o["formal"] else 1
            km = _km(spot, SPOTS.get(o["building"]))
            place = closeness(o["building"], o["street"], True)
            found[o["uscc"]] = (feasible, brings, place, -km if km == km else -math.inf)
    inside = [o for o in orgs if o["party_org"] == "J"]
    room = branch is not None and branch["members"] + xp <= p.branch_max_members
    if room and p.joint_max_orgs > 2:
        spots = [SPOTS[o["building"]] for o in inside if o["building"]]
        middle = (
            (sum(s[0] for s in spots) / len(spots), sum(s[1] for s in spots) / len(spots))
            if spots
            else None
        )
        km = _km(spot, middle)
        buildings = {o["building"] for o in inside}
        streets = {o["street"] for o in inside}
        place = closeness(
            next(iter(buildings)) if len(buildings) == 1 else None,
            next(iter(streets)) if len(streets) == 1 else None,
            {district[s] for s in streets} == {"芙蓉区"},
        )
        brings = 2 if sum(o["formal"] for o in inside) else 1
        # it serves where its organizations all sit: their building, else their street
        home = next(iter(buildings)) if len(buildings) == 1 else None
        street = next(iter(streets)) if len(streets) == 1 else None
        serves = x["building"] == home if home is not None else street == x["street"]
        if place:  # a branch spread over two districts shares no place with X: not offered
            found["J"] = (joins(xf) and serves, brings, place, -km if km == km else -math.inf)
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(neighbourhood(), st.sampled_from([2, 3, 5]), st.sampled_from([50, 9]))
def test_best_partner_has_the_greatest_key(case, joint_max_orgs, branch_max_members) -> None:
    ledger, orgs, branch_ = case
    p = Params(as_of=AS_OF, joint_max_orgs=joint_max_orgs, branch_max_members=branch_max_members)
    found = partners(build_graph(ledger), orgs[0]["uscc"], top=100, params=p)
    expected = _expected(orgs, branch_, p)
    assert set(found["candidate"]) == set(expected)
    if found.empty:
        return
    assert list(found["feasible"]) == [expected[c][0] for c in found["candidate"]]
    keys = [
        (*expected[c], alike)
        for c, alike in zip(
            found["candidate"], found["similarity_score"] + found["size_score"], strict=True
        )
    ]
    assert keys[0] == max(keys)  # the best has the greatest key …
    assert keys == sorted(keys, reverse=True)  # … and the whole list is in key order
    by_code = {o["uscc"]: o for o in orgs}
    for row in found.itertuples():
        if row.candidate_kind == "organization" and row.feasible:
            # as many others as the brute force needs, at the closest bond, and they do it
            assert len(row.completed_with) == _completion(orgs, by_code[row.candidate], p)
            assert row.group_size == 2 + len(row.completed_with)
            group = [orgs[0], by_code[row.candidate], *(by_code[u] for u in row.completed_with)]
            assert row.together_formal_members == sum(o["formal"] for o in group)
            assert sum(o["formal"] + o["probationary"] for o in group) <= p.branch_max_members
            assert all(o["party_org"] is None for o in group[2:])
        else:
            assert row.completed_with == []
        if not row.feasible:
            assert "可联合组建" not in row.reason and "可直接吸纳" not in row.reason
        short = p.standalone_min_members - row.together_formal_members
        if row.candidate_kind == "organization" and row.feasible:
            assert short <= 0 and "可联合组建" in row.reason
