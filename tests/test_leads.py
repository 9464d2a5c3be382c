"""graph.analysis.leads on a tiny hand-built city whose scores are worked out by hand.

The city (芙蓉区: streets S1, S2; 天心区: street S3 and park Y1; building B1 in S1):
- chain C1 with segments G1 上游, G2 中游, G3 下游; chain C2 with segment H1
- candidates (chain enterprises with their own organization):
  E1 (C1 G2, S1, B1, park Y1, 400 staff): L1 党委, 80 members, 单独组建
  E2 (C1 G1, S2, 100 staff): L2 党支部, 5 members, 单独组建
  E3 (C1 G3, S3, 200 staff): L3 党总支, 50 members, 龙头领建 covering E3 (50 formal) and F1 (1)
  E4 (C2 H1, S1, 50 staff): L4 党支部, 3 members
- not candidates: F1 (taken in by L3, not its head), N1 (own organization, no chain), E5
  (C1, own organization, 僵尸企业)
- uncovered (formal members in brackets): U1 (C1 G1, S2, 1), U2 (C1 G3, S1, 0), U3 (no chain,
  B1, 2), U4 (C1 G2, park Y1, S3, 0), U5 (no chain, park Y1, 0), U6 (C1 G1, S1, 4: should
  form its own), U7 (C1 G3, S3, 0), U8 (C1 G2, S1, 僵尸企业)
- 链上关系: U1→E1, E1→U2, E2→E1, E1→E3, E1→E4 (another chain), U7→E3, U8→E2 (僵尸企业)
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.analysis.common import Params
from graph.analysis.leads import LEAD_COLUMNS, lead_organizations, leads
from graph.build import build_graph
from graph.errors import NotFound
from graph.ledger import Ledger
from loaders.sample import generate_city
from tests.analysis_kit import AS_OF, org_row, segment_table, street_table, table, usccs

NAMES = ["E1", "E2", "E3", "E4", "E5", "F1", "N1", *(f"U{n}" for n in range(1, 9))]
U = usccs(NAMES)


def org(name: str, formal: int, street: str, employees: int = 20, **extra: object) -> dict:
    return org_row(U[name], name, formal, street, employees, **extra)


def po(code: str, level: str, members: int, formation: str = "单独组建") -> dict:
    return {"id": code, "name": f"{code}党组织", "level": level, "type": "企业党组织",
            "formation": formation, "members": members}  # fmt: skip


def city() -> Ledger:
    segments = [
        ("G1", "C1", "上游"),
        ("G2", "C1", "中游"),
        ("G3", "C1", "下游"),
        ("H1", "C2", "上游"),
    ]
    links = [("U1", "E1"), ("E1", "U2"), ("E2", "E1"), ("E1", "E3"), ("E1", "E4"), ("U7", "E3")]
    links.append(("U8", "E2"))
    return Ledger(
        {
            "streets": street_table(),
            "buildings": table(
                "buildings", [{"id": "B1", "name": "东湖大厦", "type": "商务楼宇", "street": "S1"}]
            ),
            "parks": table("parks", [{"id": "Y1", "name": "天心经开区", "level": "省级"}]),
            "chains": table(
                "chains", [{"id": "C1", "name": "工程机械"}, {"id": "C2", "name": "生物医药"}]
            ),
            "segments": table(
                "segments",
                [
                    {"id": s, "chain": c, "name": f"{s}环节", "position": p, "order": n}
                    for n, (s, c, p) in enumerate(segments, start=1)
                ],
            ),
            "party_orgs": table(
                "party_orgs",
                [
                    po("L1", "党委", 80),
                    po("L2", "党支部", 5),
                    po("L3", "党总支", 50, "龙头领建"),
                    po("L4", "党支部", 3),
                    po("L5", "党支部", 4),
                    po("L6", "党支部", 3),
                ],
            ),
            "organizations": table(
                "organizations",
                [
                    org(
                        "E1", 60, "S1", 400, building="B1", park="Y1", segment="G2", party_org="L1"
                    ),
                    org("E2", 5, "S2", 100, segment="G1", party_org="L2"),
                    org("E3", 50, "S3", 200, segment="G3", party_org="L3"),
                    org("F1", 1, "S3", segment="G3", party_org="L3"),
                    org("E4", 3, "S1", 50, segment="H1", party_org="L4"),
                    org("N1", 4, "S1", party_org="L5"),
                    org("E5", 3, "S1", segment="G1", party_org="L6", status="僵尸企业"),
                    org("U1", 1, "S2", segment="G1"),
                    org("U2", 0, "S1", segment="G3"),
                    org("U3", 2, "S1", building="B1"),
                    org("U4", 0, "S3", park="Y1", segment="G2"),
                    org("U5", 0, "S3", park="Y1"),
                    org("U6", 4, "S1", segment="G1"),
                    org("U7", 0, "S3", segment="G3"),
                    org("U8", 0, "S1", segment="G2", status="僵尸企业"),
                ],
            ),
            "supply_links": table(
                "supply_links", [{"supplier": U[a], "buyer": U[b]} for a, b in links]
            ),
        }
    )


@pytest.fixture(scope="module")
def g():
    return build_graph(city())


def by_uscc(frame: pd.DataFrame) -> dict[str, dict]:
    return {r["uscc"]: r for r in frame.to_dict("records")}


def test_candidates_are_chain_enterprises_with_their_own_organization(g) -> None:
    found = lead_organizations(g)
    # E3 heads L3 (50 formal against F1's 1); F1, N1 (no chain) and E5 (僵尸企业) are out
    assert list(found["uscc"]) == [U["E1"], U["E3"], U["E2"], U["E4"]]  # C1 strongest first
    assert list(found["party_org"]) == ["L1", "L3", "L2", "L4"]
    assert list(found["covers_operating"]) == [1, 2, 1, 1]


def test_reach_per_kind(g) -> None:
    found = by_uscc(leads(g))
    e1, e2, e3, e4 = (found[U[n]] for n in ("E1", "E2", "E3", "E4"))
    # E1: suppliers/buyers U1, U2 (E2, E3, E4 are covered); segment G2 in 芙蓉区: U8 is 僵尸企业,
    # U4 is in 天心区 → none; place: U3 in B1, U4 in park Y1 and chain C1 (U5 has no chain)
    assert e1["reach"] == [U["U1"], U["U2"], U["U3"], U["U4"]]
    assert (e1["reach_supply"], e1["reach_segment"], e1["reach_place"]) == (2, 0, 2)
    # E2: U8 is 僵尸企业; G1 in 芙蓉区: U1 (U6 has 4 formal members: it forms its own)
    assert e2["reach"] == [U["U1"]] and (e2["reach_supply"], e2["reach_segment"]) == (0, 1)
    # E3: U7 supplies it and shares G3 in 天心区: counted in both kinds, once in reach
    assert e3["reach"] == [U["U7"]] and e3["reach_count"] == 1
    assert (e3["reach_supply"], e3["reach_segment"], e3["reach_place"]) == (1, 1, 0)
    assert e4["reach"] == [] and e4["reach_count"] == 0
    # supply partners of the same chain, 正常: E1 has U1, U2, E2, E3 (not E4 of C2) = 4;
    # E2 has E1 (not U8) = 1; E3 has E1, U7 = 2
    assert [x["supply_degree"] for x in (e1, e2, e3, e4)] == [4, 1, 2, 0]


def test_scores_worked_out_by_hand(g) -> None:
    found = leads(g)
    assert list(found.columns) == LEAD_COLUMNS
    # C1: largest staff 400, best degree 4, widest reach 4
    # E1: 党委 30 + 80/50 capped → 20 + 15×400/400 + 15×4/4 + 20×4/4 = 100
    # E3: 党总支 20 + 20×50/50 = 20 + 15×200/400 = 7.5 + 15×2/4 = 7.5 + 20×1/4 = 5 → 60
    # E2: 党支部 10 + 20×5/50 = 2 + 15×100/400 = 3.75 + 15×1/4 = 3.75 + 5 → 24.5
    # C2: E4: 10 + 20×3/50 = 1.2 + 15×50/50 = 15 + 0 + 0 → 26.2
    # the order puts what can be taken in now first: E1 can take U1 (1 formal, its supply
    # partner); U3 (2) shares its building but no chain: not E1's to take in (龙头领建 takes its
    # supply partners and its chain in its street or park, as the plan does); E2 can take U1;
    # E3 reaches only U7, who has no formal member: E3 (60) after E2 (24.5)
    assert list(found["uscc"]) == [U["E1"], U["E2"], U["E3"], U["E4"]]
    assert list(found["chain"]) == ["C1", "C1", "C1", "C2"]
    assert list(found["rank"]) == [1, 2, 3, 1]  # ranked within each chain
    assert list(found["score"]) == [100.0, 24.5, 60.0, 26.2]
    assert list(found["takes_now"]) == [1, 1, 0, 0]
    assert list(found["reach_joinable"]) == [1, 1, 0, 0]
    assert not found["weak_lax"].any()
    e2 = by_uscc(found)[U["E2"]]
    parts = ["level_score", "members_score", "size_score", "centrality_score", "reach_score"]
    assert [e2[p] for p in parts] == [10, 2, 3.75, 3.75, 5]
    assert (e2["level"], e2["members"], e2["employees"], e2["room"]) == ("党支部", 5, 100, 4)
    assert e2["room_members"] == 45  # a 党支部 of 5: 50 − 5
    assert by_uscc(found)[U["E1"]]["room_members"] is None  # a 党委 has no member cap


def test_one_chain_top_and_unknown_chain(g) -> None:
    assert list(leads(g, chain="C2")["uscc"]) == [U["E4"]]
    assert list(leads(g, top=1)["uscc"]) == [U["E1"], U["E4"]]
    with pytest.raises(NotFound, match="C9"):
        leads(g, chain="C9")


def test_reasons(g) -> None:
    found = by_uscc(leads(g))
    e1 = found[U["E1"]]["reason"]
    assert "党委" in e1 and "从业人员400人" in e1 and "与链上4家企业有上下游配套关系" in e1
    assert "周边有4个尚未建立党组织的组织" in e1 and "上下游配套2个" in e1
    assert "现在可吸纳其中1个" in e1 and "另有2个没有正式党员" in e1 and "还可吸纳" not in e1
    assert "另有1个不是上下游配套、也不是同街道或同园区的本产业链组织" in e1  # U3
    e3 = found[U["E3"]]["reason"]
    assert "已带动覆盖1个组织" in e3  # L3 covers F1 besides E3
    assert "但都没有正式党员，暂不能吸纳" in e3 and "现在可吸纳" not in e3
    assert "目前周边没有可带动的未覆盖组织" in found[U["E4"]]["reason"]


def test_thresholds_come_from_params(g) -> None:
    found = by_uscc(leads(g, params=Params(joint_max_orgs=3, branch_max_members=100)))
    e1, e2 = found[U["E1"]], found[U["E2"]]
    # at most 3 organizations per organization: E1 (covers 1) may take 2 of its 4; the one it
    # may take in and that can join (U1) fits
    assert e1["room"] == 2 and e1["takes_now"] == 1 and "还可吸纳" not in e1["reason"]
    assert e1["members_score"] == 16  # 20 × 80/100
    assert e2["members_score"] == 1  # 20 × 5/100
    found = by_uscc(leads(g, params=Params(joint_max_orgs=2)))
    e1 = found[U["E1"]]
    assert (e1["room"], e1["takes_now"]) == (1, 1)
    assert "现在可吸纳其中1个" in e1["reason"] and "还可吸纳" not in e1["reason"]
    found = by_uscc(leads(g, params=Params(joint_max_orgs=1)))
    assert found[U["E1"]]["takes_now"] == 0 and "还可吸纳0个" in found[U["E1"]]["reason"]
    # with 5 as the threshold U6 (4 formal members) can join: E2 reaches U1 and U6, but U6
    # sits in another street (S1, E2 is in S2) and is no supply partner: E2 takes U1 only
    found = by_uscc(leads(g, params=Params(standalone_min_members=5)))
    assert found[U["E2"]]["reach"] == [U["U1"], U["U6"]]
    assert found[U["E2"]]["takes_now"] == 1
    assert "另有1个不是上下游配套" in found[U["E2"]]["reason"]
    # E2's 党支部 has 5 members: with a cap of 6 it has room for one more member, U1 (1 formal)
    found = by_uscc(leads(g, params=Params(standalone_min_members=5, branch_max_members=6)))
    assert (found[U["E2"]]["room_members"], found[U["E2"]]["takes_now"]) == (1, 1)
    # U1 is the only one it may take in, and it fits: the member room does not limit it
    assert "还可容纳" not in found[U["E2"]]["reason"]
    found = by_uscc(leads(g, params=Params(standalone_min_members=5, branch_max_members=5)))
    assert (found[U["E2"]]["room_members"], found[U["E2"]]["takes_now"]) == (0, 0)


def test_empty_when_no_chain_has_candidates() -> None:
    ledger = city()
    ledger.tables["party_orgs"] = ledger.tables["party_orgs"].iloc[0:0]
    orgs = ledger.tables["organizations"]
    ledger.tables["organizations"] = orgs.assign(party_org=pd.NA)
    found = leads(build_graph(ledger))
    assert found.empty and list(found.columns) == LEAD_COLUMNS


def test_sample_city_leads_reach_the_uncovered_segment() -> None:
    """Planted gap (b): chain 1's segment without a covered enterprise is reached by leads."""
    ledger = generate_city(3000)
    g = build_graph(ledger)
    found = leads(g, top=1000)
    assert set(found["chain"]) == set(ledger.chains["id"])  # every chain, with or without committee
    orgs = ledger.organizations
    chain_of = ledger.segments.set_index("id")["chain"]
    ents = orgs[orgs["segment"].notna() & (orgs["status"] == "正常")]
    covered = ents.groupby("segment")["party_org"].count()
    empty = covered[(covered == 0) & covered.index.map(chain_of).isin(["CYL01"])].index
    assert len(empty) == 1
    small = set(ents.loc[(ents["segment"] == empty[0]) & (ents["formal_members"] < 3), "uscc"])
    reached = {u for reach in found["reach"] for u in reach}
    assert small & reached
    # everything reached is uncovered, 正常 and below the threshold
    open_ = orgs[
        orgs["party_org"].isna() & (orgs["status"] == "正常") & (orgs["formal_members"] < 3)
    ]
    assert reached <= set(open_["uscc"])
    key = found["takes_now"].gt(0).astype(int) * 2 + (~found["weak_lax"]).astype(int)
    assert key.groupby(found["chain"]).apply(lambda s: s.is_monotonic_decreasing).all()


# -- issue 11 item 6: the ranking was inverted --------------------------------------------------
#
# Chain K1 (one segment KG, every organization in 东湖街道 S1); suppliers V* have no chain.
# - A: 党委 LA, 90 members, 400 staff, 龙头领建 covering A and W1–W4: 5 organizations, full
# - B: 党委 LB, 100 members, 600 staff, no secretary (软弱涣散)
# - C: 党委 LC, 70 members, 800 staff, no uncovered organization around it
# - D: 党支部 LD, 4 members, 80 staff
# - V1, V2, V3 (1 formal member each) supply both A and D; V4, V5, V6 (0 formal) supply B
# - C supplies A, B and D (its 3 chain partners; A, B, D have 1 each)

FINDING = ["A", "B", "C", "D", "W1", "W2", "W3", "W4", *(f"V{n}" for n in range(1, 7))]
F = usccs(FINDING)


def finding_city(v4_formal: int = 0) -> Ledger:
    def o(name: str, formal: int, employees: int = 20, **extra: object) -> dict:
        return org_row(F[name], name, formal, "S1", employees, **extra)

    links = [(f"V{n}", lead) for n in (1, 2, 3) for lead in ("A", "D")]
    links += [(f"V{n}", "B") for n in (4, 5, 6)] + [("C", "A"), ("C", "B"), ("C", "D")]
    return Ledger(
        {
            "streets": street_table(),
            "chains": table("chains", [{"id": "K1", "name": "新能源"}]),
            "segments": table(
                "segments",
                [{"id": "KG", "chain": "K1", "name": "电池", "position": "中游", "order": 1}],
            ),
            "party_orgs": table(
                "party_orgs",
                [
                    po("LA", "党委", 90, "龙头领建"),
                    {**po("LB", "党委", 100), "has_secretary": False},
                    po("LC", "党委", 70),
                    po("LD", "党支部", 4),
                ],
            ),
            "organizations": table(
                "organizations",
                [
                    o("A", 60, 400, segment="KG", party_org="LA"),
                    *(o(f"W{n}", 1, party_org="LA") for n in range(1, 5)),
                    o("B", 100, 600, segment="KG", party_org="LB"),
                    o("C", 70, 800, segment="KG", party_org="LC"),
                    o("D", 4, 80, segment="KG", party_org="LD"),
                    *(o(f"V{n}", 1) for n in (1, 2, 3)),
                    o("V4", v4_formal),
                    o("V5", 0),
                    o("V6", 0),
                ],
            ),
            "supply_links": table(
                "supply_links", [{"supplier": F[a], "buyer": F[b]} for a, b in links]
            ),
        }
    )


def test_finding_the_one_lead_that_can_take_in_now_comes_first() -> None:
    found = leads(build_graph(finding_city()))
    names = {F[n]: n for n in FINDING}
    # largest staff 800 (C), best degree 3 (C), widest reach 3 (A, B, D):
    # A: 30 + 20 + 15×400/800 = 7.5 + 15×1/3 = 5 + 20 → 82.5
    # B: 30 + 20 + 15×600/800 = 11.25 + 5 + 20 → 86.25
    # C: 30 + 20 + 15 + 15 + 0 → 80
    # D: 10 + 20×4/50 = 1.6 + 15×80/800 = 1.5 + 5 + 20 → 38.1
    score = {names[u]: s for u, s in zip(found["uscc"], found["score"], strict=True)}
    assert score == {"A": 82.5, "B": 86.25, "C": 80.0, "D": 38.1}
    # by the score alone the order was B, A, C, D: the finding. Now:
    # D can take in V1–V3 now (room 4 organizations, 46 members; 3 people) → first;
    # A has no room (covers 5), C reaches nobody, B reaches only V4–V6, who have no formal
    # member, and B is 软弱涣散: of those three the sound ones by score (A 82.5, C 80), then B
    assert [names[u] for u in found["uscc"]] == ["D", "A", "C", "B"]
    assert list(found["rank"]) == [1, 2, 3, 4]
    assert list(found["takes_now"]) == [3, 0, 0, 0]
    assert list(found["weak_lax"]) == [False, False, False, True]
    assert list(found["room"]) == [4, 0, 4, 4]
    reason = {names[u]: r for u, r in zip(found["uscc"], found["reason"], strict=True)}
    assert "现在可吸纳其中3个" in reason["D"]
    assert "已覆盖5个组织" in reason["A"] and "还可吸纳0个" in reason["A"]
    assert "现在可吸纳" not in reason["A"] + reason["B"] + reason["C"]
    assert "目前周边没有可带动的未覆盖组织" in reason["C"]
    assert "软弱涣散（未配备书记）" in reason["B"] and "应先整顿" in reason["B"]
    assert "都没有正式党员" in reason["B"]


def test_finding_a_weak_lead_that_can_take_in_comes_after_a_sound_one() -> None:
    # V4 now has a formal member: B can take it in (党委: no member cap), but B is 软弱涣散
    found = leads(build_graph(finding_city(v4_formal=1)))
    names = {F[n]: n for n in FINDING}
    assert [names[u] for u in found["uscc"]] == ["D", "B", "A", "C"]
    assert list(found["takes_now"]) == [3, 1, 0, 0]
    b = found.iloc[1]["reason"]
    assert "现在可吸纳其中1个" in b and "另有2个没有正式党员" in b and "应先整顿" in b


# -- the ranking, checked exhaustively on small random chains ----------------------------------

RECENT, OLD = pd.Timestamp("2026-09-01"), pd.Timestamp("2024-01-01")  # as_of 2026-11-01
STREETS = {"S1": "芙蓉区", "S2": "芙蓉区", "S3": "天心区"}


@st.composite
def random_chain(draw: st.DrawFn) -> tuple[Ledger, list[dict], list[dict], list[tuple]]:
    n = draw(st.integers(3, 8))
    names = [f"O{i}" for i in range(1, n + 1)]
    codes = usccs(names)
    orgs, pos = [], []
    for name in names:
        street = draw(st.sampled_from(sorted(STREETS)))
        own = draw(st.booleans())
        row = {
            "uscc": codes[name],
            "name": f"{name}公司",
            "formal": draw(st.integers(0, 5 if own else 3)),
            "probationary": draw(st.integers(0, 3)),
            "street": street,
            "building": draw(st.sampled_from(["B1", None])) if street == "S1" else None,
            "segment": draw(st.sampled_from(["G1", "G2", None])),
            "party_org": f"P{name}" if own else None,
        }
        orgs.append(row)
        if own:
            pos.append(
                {
                    "id": f"P{name}",
                    "name": f"{name}党组织",
                    "level": draw(st.sampled_from(["党委", "党总支", "党支部"])),
                    "type": "企业党组织",
                    "formation": "单独组建",
                    "members": draw(st.sampled_from([3, 20, 46, 48, 50])),
                    "has_secretary": draw(st.sampled_from([True, False, None])),
                    "last_activity": draw(st.sampled_from([RECENT, OLD, None])),
                }
            )
    pairs = [(a, b) for a in codes.values() for b in codes.values() if a != b]
    links = draw(st.lists(st.sampled_from(pairs), max_size=6, unique=True)) if pairs else []
    ledger = Ledger(
        {
            "streets": street_table(),
            "buildings": table(
                "buildings", [{"id": "B1", "name": "东湖大厦", "type": "商务楼宇", "street": "S1"}]
            ),
            "chains": table("chains", [{"id": "C1", "name": "工程机械"}]),
            "segments": segment_table(),
            "party_orgs": table("party_orgs", pos),
            "organizations": table("organizations", [_row(o) for o in orgs]),
            "supply_links": table("supply_links", [{"supplier": a, "buyer": b} for a, b in links]),
        }
    )
    return ledger, orgs, pos, links


def _row(o: dict) -> dict[str, object]:
    extra = {k: o[k] for k in ("building", "segment", "party_org")}
    return org_row(
        o["uscc"],
        o["name"][:-2],
        o["formal"],
        o["street"],
        probationary_members=o["probationary"],
        **extra,
    )


def _expected_keys(orgs: list[dict], pos: list[dict], links: list[tuple], p: Params) -> dict:
    """(can take someone in now, sound, takes_now) per candidate, worked out from the rows."""
    po = {x["id"]: x for x in pos}
    links_of = {o["uscc"]: set() for o in orgs}
    for a, b in links:
        links_of[a].add(b)
        links_of[b].add(a)
    opened = [o for o in orgs if o["party_org"] is None and o["formal"] < 3]
    found = {}
    for lead in orgs:
        if lead["party_org"] is None or lead["segment"] is None:
            continue
        reach = [
            u
            for u in opened
            if u["uscc"] in links_of[lead["uscc"]]
            or (u["segment"] == lead["segment"] and STREETS[u["street"]] == STREETS[lead["street"]])
            or (u["building"] is not None and u["building"] == lead["building"])
        ]
        # what it may take in (the plan's rule): its supply partners, and its chain (every
        # segment here is of C1) in its street (no parks here)
        people = [
            u["formal"] + u["probationary"]
            for u in reach
            if 1 <= u["formal"] <= 2
            and (
                u["uscc"] in links_of[lead["uscc"]]
                or (u["segment"] is not None and u["street"] == lead["street"])
            )
        ]
        x = po[lead["party_org"]]
        room = max(p.joint_max_orgs - 1, 0)
        capped = x["level"] == "党支部"
        best = 0
        for k in range(len(people) + 1):  # every subset: the largest that fits
            for chosen in itertools.combinations(people, k):
                if k <= room and (not capped or sum(chosen) <= 50 - x["members"]):
                    best = max(best, k)
        sound = x["has_secretary"] is not False and x["last_activity"] is not OLD
        found[lead["uscc"]] = (best > 0, sound, best)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_chain(), st.sampled_from([1, 2, 5]))
def test_best_lead_has_the_greatest_key(case, joint_max_orgs) -> None:
    ledger, orgs, pos, links = case
    p = Params(as_of=AS_OF, joint_max_orgs=joint_max_orgs)
    found = leads(build_graph(ledger), top=100, params=p)
    expected = _expected_keys(orgs, pos, links, p)
    assert set(found["uscc"]) == set(expected)
    if found.empty:
        return
    assert dict(zip(found["uscc"], found["takes_now"], strict=True)) == {
        u: k[2] for u, k in expected.items()
    }
    assert dict(zip(found["uscc"], ~found["weak_lax"], strict=True)) == {
        u: k[1] for u, k in expected.items()
    }
    keys = [(*expected[u][:2], s) for u, s in zip(found["uscc"], found["score"], strict=True)]
    assert keys[0] == max(keys)  # the best has the greatest key …
    assert keys == sorted(keys, reverse=True)  # … and the whole list is in key order
    for row in found.itertuples():
        if row.takes_now == 0:
            assert "现在可吸纳" not in row.reason
        else:
            assert f"现在可吸纳其中{row.takes_now}个" in row.reason
