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

import pandas as pd
import pytest

from graph.analysis.common import Params
from graph.analysis.partners import PARTNER_COLUMNS, partners
from graph.build import build_graph
from graph.errors import LiangxinError, NotFound
from graph.ledger import Ledger
from loaders.sample import generate_city
from tests.analysis_kit import org_row, segment_table, street_table, table, usccs

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
    assert list(found["candidate"]) == ["J1", U["P1"], U["P2"], U["P3"], "J3"]
    assert list(found["rank"]) == [1, 2, 3, 4, 5]
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
    # asking for four widens the search to 芙蓉区: P3 and J3 come in
    assert list(partners(g, U["X"], top=4)["candidate"]) == ["J1", U["P1"], U["P2"], U["P3"]]
    assert len(partners(g, U["X"], top=2)) == 2


def test_reasons_name_places_and_what_they_reach(g) -> None:
    by = rows(partners(g, U["X"]))
    assert "同在东湖大厦" in by["J1"]["reason"] and "可直接吸纳" in by["J1"]["reason"]
    assert "吸纳后覆盖3个组织（上限5个）" in by["J1"]["reason"]
    assert "达到3名，可联合组建" in by[U["P1"]]["reason"]
    assert "同属工程机械产业链“零部件”环节" in by[U["P2"]]["reason"]
    assert "尚不足3名" in by[U["P2"]]["reason"] and "相距约1.0公里" in by[U["P2"]]["reason"]
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
    assert partners(g, U["X"]).attrs["note"] is None


def test_thresholds_come_from_params(g) -> None:
    by = rows(partners(g, U["X"], params=Params(standalone_min_members=2)))
    # P2: together 1 of 2 → 20 × 1/2 = 10
    assert by[U["P2"]]["members_score"] == 10
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
            found = partners(g, subject)
            mates = found[found["candidate"].isin(set(inside["uscc"]) - {subject})]
            assert len(mates) >= 1, (building, name)
            assert (mates["proximity_score"] == 30).all()
            assert mates["reason"].str.startswith("同在").all()


def test_code_typed_in_lower_case_with_spaces_is_found(g) -> None:
    first = partners(g, U["X"])
    typed = partners(g, f"  {U['X'].lower()} ")
    pd.testing.assert_frame_equal(first, typed)
