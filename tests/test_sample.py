"""The sample city: valid, deterministic, at the target rates, with every planted gap present."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from graph import uscc
from graph.errors import LiangxinError
from graph.ledger import DTYPES, Ledger, schema_columns
from graph.model import (
    SHEETS,
    SHEETS_BY_KEY,
    ColumnType,
    CommitteeSide,
    PairingType,
    PartyOrgType,
)
from loaders import check_ledger
from loaders.sample import DEFAULT_AS_OF, generate_city, write_sample
from loaders.writer import write_csv_folder, write_workbook

AS_OF = pd.Timestamp(DEFAULT_AS_OF)
LIANGXIN = [t.value for t in PartyOrgType if t.is_liangxin]


@pytest.fixture(scope="module")
def city() -> Ledger:
    return generate_city(3000, seed=2022)


@pytest.fixture(scope="module")
def small_city() -> Ledger:
    return generate_city(300, seed=5)


@pytest.fixture(scope="module", params=[300, 3000, 20_000], ids=lambda n: f"{n}orgs")
def any_city(request: pytest.FixtureRequest) -> Ledger:
    """The planted gaps must be present at every size."""
    return generate_city(request.param, seed=request.param)


def _at_least(ledger: Ledger, per: int, minimum: int) -> int:
    """The planted count for a city of this size: ``max(minimum, orgs / per)``."""
    return max(minimum, round(len(ledger.organizations) / per))


# ---------------------------------------------------------------------------------------------
# Shape and integrity


def test_same_seed_same_city_other_seed_other_city() -> None:
    a = generate_city(600, seed=7)
    b = generate_city(600, seed=7, as_of=DEFAULT_AS_OF)
    c = generate_city(600, seed=8)
    assert a.equals(b)
    assert not a.equals(c)
    assert not a.organizations["uscc"].equals(c.organizations["uscc"])


def test_as_of_moves_every_date() -> None:
    a = generate_city(300, seed=1)
    b = generate_city(300, seed=1, as_of=date(2027, 11, 1))
    shift = b.party_orgs["last_activity"] - a.party_orgs["last_activity"]
    assert (shift == pd.Timedelta(days=365)).all()


def test_too_few_organizations_is_refused() -> None:
    with pytest.raises(LiangxinError, match="至少"):
        generate_city(50)


@pytest.mark.parametrize("orgs", [300, 3000, 20_000])
def test_integrity_at_every_size(orgs: int) -> None:
    ledger = generate_city(orgs, seed=11)
    assert len(ledger.organizations) == orgs
    _assert_integrity(ledger)


def test_integrity_of_the_default_city(city: Ledger) -> None:
    _assert_integrity(city)


def test_sizes_scale(small_city: Ledger, city: Ledger) -> None:
    counts = city.counts()
    assert 2 <= len(city.streets["district"].unique()) <= 4
    assert 12 <= counts["streets"] <= 30
    assert set(city.buildings["type"]) == {
        "商务楼宇", "商圈", "专业市场", "产业园", "孵化平台", "特色小镇",
    }  # fmt: skip
    levels = city.parks["level"].value_counts()
    assert levels["国家级"] == 2 and 2 <= levels["省级"] <= 3
    assert 4 <= counts["chains"] <= 6
    per_chain = city.segments.groupby("chain").size()
    assert per_chain.between(3, 6).all()
    for chain, segs in city.segments.groupby("chain"):
        assert set(segs["position"]) == {"上游", "中游", "下游"}, chain
        assert list(segs["order"]) == sorted(segs["order"])
    small = small_city.counts()
    assert small["streets"] < counts["streets"] and small["buildings"] < counts["buildings"]


def test_kinds_categories_and_status(city: Ledger) -> None:
    orgs = city.organizations
    share = (orgs["kind"] == "社会组织").mean()
    assert 0.13 <= share <= 0.17
    not_normal = (orgs["status"] != "正常").mean()
    assert 0.02 <= not_normal <= 0.04
    social_cats = set(orgs.loc[orgs["kind"] == "社会组织", "category"].dropna())
    assert {"民办学校", "律师事务所", "行业协会商会"} <= social_cats
    assert orgs["employees"].median() < orgs["employees"].mean()  # skewed: many small, few large
    assert orgs["employees"].max() >= 300


def test_uscc_valid_unique_and_by_registration_authority(city: Ledger) -> None:
    orgs = city.organizations
    codes = orgs["uscc"]
    assert codes.is_unique
    assert all(uscc.is_valid(c) for c in codes)
    first = codes.str[0]
    enterprise = orgs["kind"] == "非公企业"
    assert (first[enterprise] == "9").all()
    assert first[~enterprise].isin(["5", "Y"]).all()
    assert (codes.str[:2] == "Y1").sum() >= 3
    assert codes.str[8:10].eq("MA").any() and codes.str[8:16].str.isdigit().any()


def test_coverage_rates_per_kind(city: Ledger) -> None:
    orgs = city.organizations
    normal = orgs[orgs["status"] == "正常"]
    rates = normal.groupby("kind")["party_org"].apply(lambda s: s.notna().mean() * 100)
    assert abs(rates["非公企业"] - 90) <= 3
    assert abs(rates["社会组织"] - 95) <= 3


def test_members_follow_covered_organizations(city: Ledger) -> None:
    orgs, pos = city.organizations, city.party_orgs.set_index("id")
    covered = orgs[orgs["party_org"].notna()]
    people = (covered["formal_members"] + covered["probationary_members"]).groupby(
        covered["party_org"]
    )
    total, count = people.sum(), people.size()
    members = pos.loc[total.index, "members"]
    assert (members >= total).all()
    branches = pos.loc[total.index, "type"].isin(["企业党组织", "社会组织党组织", "楼宇党组织"])
    assert (members[branches] == total[branches]).all()
    standalone = pos.loc[total.index, "formation"] == "单独组建"
    assert (count[standalone] == 1).all()
    own = covered[covered["party_org"].map(pos["formation"]) == "单独组建"]
    assert (own["formal_members"] >= 3).all()
    joint = pos.loc[total.index, "formation"].isin(["联合组建", "楼宇共建", "区域合建", "行业组建"])
    assert (count[joint] >= 2).all()
    formal = covered.groupby("party_org")["formal_members"].sum()
    assert (formal[joint[joint].index] >= 3).all()  # every joint branch has 3 formal members


def test_street_committees_and_formations(city: Ledger) -> None:
    pos = city.party_orgs
    committees = pos[pos["type"] == "街道两新综合党委"]
    assert sorted(committees["street"]) == sorted(city.streets["id"])
    assert (committees["level"] == "党委").all()
    covering = set(city.organizations["party_org"].dropna())
    fallback = committees[committees["formation"] == "兜底组建"]
    assert len(fallback) and set(fallback["id"]) <= covering
    assert {"龙头领建", "楼宇共建", "行业组建", "联合组建", "区域合建"} <= set(
        pos["formation"].dropna()
    )
    assert {"机关党组织", "事业单位党组织", "村社区党组织"} <= set(pos["type"])
    parks = pos[pos["type"] == "园区党工委"]
    assert sorted(parks["park"]) == sorted(city.parks["id"])


def test_instructors_at_li_county_ratio(city: Ledger) -> None:
    instructors, orgs = city.instructors, city.organizations
    kinds = instructors["type"].value_counts()
    assert kinds["兼职"] / kinds["专职"] == pytest.approx(124 / 3, rel=0.15)
    assert len(instructors) / len(orgs) == pytest.approx(127 / 470, rel=0.05)
    normal = orgs[orgs["status"] == "正常"]
    uncovered = normal[normal["party_org"].isna()]
    guided = uncovered["instructor"].notna().mean()
    assert 0.4 <= guided <= 0.9


# ---------------------------------------------------------------------------------------------
# Planted gaps (module docstring of loaders.sample)


def test_a_uncovered_clusters_feasible_and_not(any_city: Ledger) -> None:
    city = any_city
    orgs = city.organizations
    open_ = orgs[(orgs["status"] == "正常") & orgs["party_org"].isna() & orgs["building"].notna()]
    by_building = open_.groupby("building").agg(
        n=("uscc", "size"), formal=("formal_members", "sum"), most=("formal_members", "max")
    )
    clusters = by_building[by_building["n"].between(3, 8) & (by_building["most"] <= 2)]
    assert (clusters["formal"] >= 3).sum() >= _at_least(city, 600, 2)
    assert (clusters["formal"] < 3).sum() >= _at_least(city, 1000, 1)


def test_b_chain_structure_gaps(any_city: Ledger) -> None:
    city = any_city
    pos, orgs, members = city.party_orgs, city.organizations, city.committee_members
    committees = pos[pos["type"] == "产业链党委"].set_index("id")
    # a chain with no committee at all
    assert set(city.chains["id"]) - set(committees["chain"])
    # a committee with no park committee above it
    parent_type = committees["parent"].map(pos.set_index("id")["type"])
    park_level = [t.value for t in PartyOrgType if t.is_park_level]
    assert (~parent_type.isin(park_level)).sum() >= 1
    assert parent_type.isin(park_level).sum() >= 1
    # a committee missing one of the three sides
    sides = members.groupby("party_org")["side"].apply(frozenset)
    three = {s.value for s in CommitteeSide}
    assert any(s != three for s in sides)
    assert any(s == three for s in sides)
    assert members.loc[members["side"] == "政府部门", "member"].isna().all()
    by_name = members[(members["side"] == "协会联盟") & members["member"].isna()]
    assert len(by_name) >= 1
    # segments with no covered enterprise (one empty, one all uncovered) and one with exactly one
    chain_orgs = orgs[orgs["segment"].notna()]
    per_segment = chain_orgs.groupby("segment").agg(
        n=("uscc", "size"), covered=("party_org", lambda s: s.notna().sum())
    )
    per_segment = per_segment.reindex(city.segments["id"], fill_value=0)
    assert (per_segment["n"] == 0).sum() >= 1
    assert ((per_segment["n"] >= 2) & (per_segment["covered"] == 0)).sum() >= 1
    assert ((per_segment["n"] >= 2) & (per_segment["covered"] == 1)).sum() >= 1
    # enterprise organizations neither under nor on their chain's committee
    seg_chain = city.segments.set_index("id")["chain"]
    chain_orgs = chain_orgs.assign(chain=chain_orgs["segment"].map(seg_chain))
    own = chain_orgs.merge(pos, left_on="party_org", right_on="id", suffixes=("", "_po"))
    own = own[
        own["formation"].isin(["单独组建", "龙头领建"]) & own["chain"].isin(committees["chain"])
    ]
    committee_of = committees.reset_index().set_index("chain")["id"]
    own = own.assign(committee=own["chain"].map(committee_of))
    listed = set(zip(members["party_org"], members["member"], strict=True))
    under = own["parent"] == own["committee"]
    on = pd.Series(
        [(c, u) in listed for c, u in zip(own["committee"], own["uscc"], strict=True)],
        index=own.index,
    )
    assert under.any() and on.any()
    loose = own[~under & ~on]
    assert set(loose["committee"]) == set(committees.index)


def test_c_joint_organizations_that_are_too_large(any_city: Ledger) -> None:
    city = any_city
    orgs, pos = city.organizations, city.party_orgs.set_index("id")
    size = orgs["party_org"].value_counts()
    joint = pos.loc[size.index]
    joint = joint[(joint["formation"] != "单独组建") & (joint["type"] != "街道两新综合党委")]
    large = size[joint.index][size[joint.index] > 5]
    assert large.between(7, 12).sum() >= _at_least(city, 1500, 2)


def test_d_three_members_without_an_organization_of_their_own(any_city: Ledger) -> None:
    city = any_city
    orgs, pos = city.organizations, city.party_orgs.set_index("id")
    three = orgs[(orgs["status"] == "正常") & (orgs["formal_members"] >= 3)]
    assert three["party_org"].isna().sum() >= _at_least(city, 1000, 3)
    formation = three["party_org"].dropna().map(pos["formation"])
    assert (formation != "单独组建").sum() >= _at_least(city, 1000, 3)


def test_e_weak_and_lax(any_city: Ledger) -> None:
    city = any_city
    pos = city.party_orgs
    liangxin = pos[pos["type"].isin(LIANGXIN)]
    assert (~liangxin["has_secretary"]).sum() >= 2
    stale = liangxin["last_activity"] < AS_OF - pd.DateOffset(months=6)
    assert stale.sum() >= 2
    assert stale.mean() < 0.15


def test_f_elections_overdue_and_due(any_city: Ledger) -> None:
    city = any_city
    pos = city.party_orgs
    liangxin = pos[pos["type"].isin(LIANGXIN)]
    years = liangxin["level"].map({"党支部": 3, "党总支": 3, "党委": 5})
    due = pd.Series(
        [
            e + pd.DateOffset(years=int(y))
            for e, y in zip(liangxin["last_election"], years, strict=True)
        ],
        index=liangxin.index,
    )
    overdue = due < AS_OF
    assert (overdue & (years == 3)).sum() >= 2
    assert (overdue & (years == 5)).sum() >= 1
    soon = (due >= AS_OF) & (due <= AS_OF + pd.Timedelta(days=90))
    assert soon.sum() >= 2
    assert overdue.mean() < 0.15
    assert (pos["founded"] <= pos["last_election"]).all()
    assert (pos["last_election"] <= AS_OF).all() and (pos["last_activity"] <= AS_OF).all()


def test_g_most_are_unpaired(any_city: Ledger) -> None:
    city = any_city
    pos, pairings = city.party_orgs, city.pairings
    covering = set(city.organizations["party_org"].dropna())
    liangxin = pos[pos["type"].isin(LIANGXIN) & pos["id"].isin(covering)]
    paired = liangxin["id"].isin(set(pairings["a"]) | set(pairings["b"]))
    assert 0.05 <= paired.mean() <= 0.3
    assert set(pairings["type"]) == {t.value for t in PairingType}
    kinds = pos.set_index("id")["type"]
    school = pairings[pairings["type"] == "公办—民办学校"]
    assert (school["a"].map(kinds) == "事业单位党组织").all()


def test_h_fifty_staff_and_no_member(any_city: Ledger) -> None:
    city = any_city
    orgs = city.organizations
    big = orgs[
        (orgs["status"] == "正常") & (orgs["employees"] >= 50) & (orgs["formal_members"] == 0)
    ]
    assert len(big) >= _at_least(city, 750, 4)
    assert big["party_org"].isna().any() and big["party_org"].notna().any()


def test_i_supply_links_run_downstream_with_hubs(any_city: Ledger) -> None:
    city = any_city
    links, orgs, segments = city.supply_links, city.organizations, city.segments
    segment_of = orgs.set_index("uscc")["segment"]
    order = segments.set_index("id")["order"]
    chain = segments.set_index("id")["chain"]
    s_seg, b_seg = links["supplier"].map(segment_of), links["buyer"].map(segment_of)
    assert s_seg.notna().all() and b_seg.notna().all()
    assert (s_seg.map(chain) == b_seg.map(chain)).all()
    assert (s_seg.map(order) < b_seg.map(order)).mean() >= 0.8
    assert set(links["relation"]) <= {"供货", "配套", "服务"}
    assert not links.duplicated(["supplier", "buyer"]).any()
    network = nx.Graph(zip(links["supplier"], links["buyer"], strict=True))
    hubs = set(nx.articulation_points(network))
    assert len(hubs) >= 2
    # removing a hub cuts someone off
    hub = max(hubs, key=network.degree)
    before = nx.number_connected_components(network)
    network.remove_node(hub)
    assert nx.number_connected_components(network) > before


def test_write_sample_both_formats(tmp_path: Path) -> None:
    ledger = write_sample(tmp_path / "city.xlsx", orgs=300, seed=3)
    assert (tmp_path / "city.xlsx").stat().st_size > 10_000
    write_sample(tmp_path / "csv", orgs=300, seed=3, fmt="csv", encoding="gb18030")
    text = (tmp_path / "csv" / "组织.csv").read_bytes().decode("gb18030")
    assert ledger.organizations["uscc"].iloc[0] in text
    with pytest.raises(LiangxinError):
        write_sample(tmp_path / "x", orgs=300, fmt="docx")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "encoding"), [("xlsx", None), ("csv", "utf-8-sig"), ("csv", "gb18030")]
)
def test_sample_city_reads_back_valid_and_unchanged(
    tmp_path: Path, city: Ledger, fmt: str, encoding: str | None
) -> None:
    if fmt == "xlsx":
        path = tmp_path / "示例城市.xlsx"
        write_workbook(city, path)
    else:
        path = tmp_path / "示例城市"
        write_csv_folder(city, path, encoding=encoding or "utf-8-sig")
    ledger, issues = check_ledger(path, today=DEFAULT_AS_OF)
    errors = [f"{i.location()}: {i.message}" for i in issues if i.is_error]
    assert errors == []
    assert ledger.equals(city)


# ---------------------------------------------------------------------------------------------
# Helpers


def _assert_integrity(ledger: Ledger) -> None:
    """What the validator checks, computed directly on the tables."""
    for sheet in SHEETS:
        table = ledger[sheet.key]
        assert list(table.columns) == schema_columns(sheet), sheet.key
        for column in sheet.columns:
            assert str(table[column.key].dtype) == DTYPES[column.type], (sheet.key, column.key)
            values = table[column.key].dropna()
            if column.required:
                assert table[column.key].notna().all(), (sheet.key, column.key)
            if column.choices:
                assert set(values) <= set(column.choices), (sheet.key, column.key)
            if column.type is ColumnType.INT:
                assert (values >= 0).all(), (sheet.key, column.key)
        if sheet.id_column:
            assert table[sheet.id_column].is_unique, sheet.key
    # every reference resolves
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.ref:
                target = SHEETS_BY_KEY[column.ref]
                ids = set(ledger[target.key][target.id_column])
                values = set(ledger[sheet.key][column.key].dropna())
                assert values <= ids, (sheet.key, column.key, sorted(values - ids)[:5])
    orgs, pos = ledger.organizations, ledger.party_orgs
    assert orgs["name"].is_unique
    assert (orgs["formal_members"] <= orgs["employees"]).all()
    assert (orgs["formal_members"] + orgs["probationary_members"] <= orgs["employees"]).all()
    building_street = orgs["building"].map(ledger.buildings.set_index("id")["street"])
    in_building = orgs["building"].notna()
    assert (building_street[in_building] == orgs.loc[in_building, "street"]).all()
    po_building = pos["building"].map(ledger.buildings.set_index("id")["street"])
    assert (
        po_building[pos["building"].notna()] == pos.loc[pos["building"].notna(), "street"]
    ).all()
    parents = pos.dropna(subset=["parent"])
    tree = nx.DiGraph(zip(parents["id"], parents["parent"], strict=True))
    assert nx.is_directed_acyclic_graph(tree)
    assert pos["name"].is_unique
    chain_committees = set(pos.loc[pos["type"] == "产业链党委", "id"])
    assert set(ledger.committee_members["party_org"]) <= chain_committees
    cm = ledger.committee_members
    assert (cm["member"].notna() ^ cm["member_name"].notna()).all()
    assert pos.loc[pos["type"] == "产业链党委", "chain"].notna().all()
    assert (orgs["registered"] <= AS_OF).all()
    own = orgs.merge(pos, left_on="party_org", right_on="id", suffixes=("", "_po"))
    own = own[own["formation"] == "单独组建"]
    assert (own["registered"] < own["founded"]).all()
    assert orgs["lon"].dropna().between(112.9, 113.1).all()
    assert orgs["lat"].dropna().between(28.1, 28.3).all()
    assert orgs["lon"].notna().mean() > 0.8
