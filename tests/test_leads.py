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

import pandas as pd
import pytest

from graph.analysis.common import Params
from graph.analysis.leads import LEAD_COLUMNS, lead_organizations, leads
from graph.build import build_graph
from graph.errors import NotFound
from graph.ledger import Ledger
from loaders.sample import generate_city
from tests.analysis_kit import org_row, street_table, table, usccs

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
    assert list(found["uscc"]) == [U["E1"], U["E3"], U["E2"], U["E4"]]
    assert list(found["chain"]) == ["C1", "C1", "C1", "C2"]
    assert list(found["rank"]) == [1, 2, 3, 1]  # ranked within each chain
    assert list(found["score"]) == [100.0, 60.0, 24.5, 26.2]
    e2 = by_uscc(found)[U["E2"]]
    parts = ["level_score", "members_score", "size_score", "centrality_score", "reach_score"]
    assert [e2[p] for p in parts] == [10, 2, 3.75, 3.75, 5]
    assert (e2["level"], e2["members"], e2["employees"], e2["room"]) == ("党支部", 5, 100, 4)


def test_one_chain_top_and_unknown_chain(g) -> None:
    assert list(leads(g, chain="C2")["uscc"]) == [U["E4"]]
    assert list(leads(g, top=1)["uscc"]) == [U["E1"], U["E4"]]
    with pytest.raises(NotFound, match="C9"):
        leads(g, chain="C9")


def test_reasons(g) -> None:
    found = by_uscc(leads(g))
    e1 = found[U["E1"]]["reason"]
    assert "党委" in e1 and "从业人员400人" in e1 and "与链上4家企业有上下游配套关系" in e1
    assert "可带动4个" in e1 and "上下游配套2个" in e1 and "还可吸纳" not in e1
    assert "已带动覆盖1个组织" in found[U["E3"]]["reason"]  # L3 covers F1 besides E3
    assert "目前周边没有可带动的未覆盖组织" in found[U["E4"]]["reason"]


def test_thresholds_come_from_params(g) -> None:
    found = by_uscc(leads(g, params=Params(joint_max_orgs=3, branch_max_members=100)))
    e1, e2 = found[U["E1"]], found[U["E2"]]
    # at most 3 organizations per organization: E1 (covers 1) may take 2 of its 4
    assert e1["room"] == 2 and "本组织还可吸纳2个" in e1["reason"]
    assert e1["members_score"] == 16  # 20 × 80/100
    assert e2["members_score"] == 1  # 20 × 5/100
    # with 5 as the threshold U6 (4 formal members) can be taken in: E2 reaches U1 and U6
    found = by_uscc(leads(g, params=Params(standalone_min_members=5)))
    assert found[U["E2"]]["reach"] == [U["U1"], U["U6"]]


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
    assert (found.groupby("chain")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()
