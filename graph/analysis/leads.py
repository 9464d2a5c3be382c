"""Lead enterprises (龙头领建): chain enterprises whose own organization could take in others."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pandas as pd

from graph.analysis.common import (
    Params,
    is_missing,
    node_rows,
    none_for_missing,
    org_table,
    party_org_table,
)
from graph.analysis.rules import (
    joinable,
    room_members,
    room_orgs,
    taker_fits,
    weak_lax_ids,
    weak_lax_reasons,
)
from graph.columns.leads import LEADS
from graph.errors import NotFound
from graph.model import EdgeKind, NodeKind, OrgKind, PartyLevel

__all__ = [
    "LEAD_COLUMNS",
    "LEVEL_RANK",
    "WEIGHTS",
    "lead_organizations",
    "leads",
    "supply_partners",
]

WEIGHTS: dict[str, float] = {
    "level": 30.0,  # 党委 full, 党总支 two thirds, 党支部 one third
    "members": 20.0,  # × members ÷ params.branch_max_members, at most 1
    "size": 15.0,  # × employees ÷ the largest candidate's of the same chain
    "centrality": 15.0,  # × supply partners in the chain ÷ the best connected candidate's
    "reach": 20.0,  # × reach_count ÷ the widest reach among candidates of the same chain
}
"""The score's parts and their full marks; the score is their sum (at most 100)."""

LEVEL_RANK: dict[str, int] = {
    PartyLevel.COMMITTEE.value: 3,
    PartyLevel.GENERAL_BRANCH.value: 2,
    PartyLevel.BRANCH.value: 1,
}
"""党委 > 党总支 > 党支部: how strong an organization's level is (0 when unknown)."""

LEAD_COLUMNS = LEADS.keys()
"""The columns of :func:`leads`, in order."""

_LEAD_ORG_COLUMNS = [
    "uscc",
    "name",
    "chain",
    "chain_name",
    "segment",
    "segment_name",
    "district",
    "street",
    "street_name",
    "park",
    "park_name",
    "building",
    "building_name",
    "employees",
    "formal_members",
    "party_org",
    "party_org_name",
    "level",
    "members",
    "covers_operating",
    "lon",
    "lat",
]


def lead_organizations(g: nx.MultiDiGraph, params: Params | None = None) -> pd.DataFrame:
    """Every chain enterprise in scope that has a Party organization of its own, one row each.

    An enterprise "has its own" when it is 单独组建 (``standalone`` of
    :func:`~graph.analysis.common.org_table`), or when its organization is formed 龙头领建 and
    it is that organization's head: of the organizations it covers, the one with the most
    formal members (then the most staff, then the lowest USCC). Only 非公企业 with a chain
    segment, 正常 and in scope, qualify (龙头领建 is one of seed 000 §3's formation modes: a
    lead enterprise's organization takes in its chain partners, domain.md "Formation").

    Columns: the organization's ``uscc``, ``name``, ``chain``, ``chain_name``, ``segment``,
    ``segment_name``, ``district``, ``street``, ``street_name``, ``park``, ``park_name``,
    ``building``, ``building_name``, ``employees``, ``formal_members``, ``lon``, ``lat``; its
    organization's ``party_org``, ``party_org_name``, ``level``, ``members`` (党员数) and
    ``covers_operating`` (正常 organizations it covers). Sorted by chain, then strongest
    first (level, members, staff, USCC). Cost: linear in the organizations.
    """
    params = params or Params()
    orgs = org_table(g, params)
    chain_ents = orgs["in_scope"] & orgs["chain"].notna() & (orgs["org_kind"] == OrgKind.ENTERPRISE)
    # org_table's ``standalone`` already counts a 龙头领建 organization's head (``lead_head``)
    found = orgs[chain_ents & orgs["standalone"]].copy()
    pos = party_org_table(g).set_index("id")
    found["party_org_name"] = found["party_org"].map(pos["name"])
    found["level"] = found["party_org"].map(pos["level"])
    found["members"] = found["party_org"].map(pos["members"]).fillna(0).astype("int64")
    found["covers_operating"] = (
        found["party_org"].map(pos["covers_operating"]).fillna(0).astype("int64")
    )
    found["_level_rank"] = found["level"].map(LEVEL_RANK).fillna(0)
    found = found.sort_values(
        ["chain", "_level_rank", "members", "employees", "uscc"],
        ascending=[True, False, False, False, True],
    )
    return found[_LEAD_ORG_COLUMNS].reset_index(drop=True)


def leads(
    g: nx.MultiDiGraph,
    chain: str | None = None,
    top: int = 10,
    params: Params | None = None,
) -> pd.DataFrame:
    """The enterprises that could lead formation (龙头领建) in each chain, best first, and why.

    Candidates are :func:`lead_organizations`. Under 龙头领建 a lead enterprise's organization
    takes in its chain partners (seed 000 §3, §12), so a planner first needs a lead that can
    take someone in *now*, then one that is sound enough to lead, and only then the strongest.
    The ranking within a chain is therefore lexicographic:

    1. ``takes_now`` > 0: how many of its reach it can take in now. Only organizations that
       can join a Party organization count (``rules.joinable``: at least one formal member,
       fewer than ``params.standalone_min_members``; those with none get an instructor, not a
       branch), that its organization may take in by the plan's rule (its supply partners, and
       its chain in its street or its park: ``reach_joinable`` counts them), and only as many
       as its organization has
       room for: ``room`` more organizations (``rules.room_orgs``: a joint organization covers
       at most ``params.joint_max_orgs``) and ``room_members`` more members
       (``rules.room_members``: a 党支部 at most ``params.branch_max_members``; a 党总支 or 党委
       has no cap, ``None``). ``takes_now`` is the largest number of them that
       ``rules.taker_fits`` accepts at once (taking the fewest-member ones first, which is
       what makes the largest number fit).
    2. not ``weak_lax``: a 软弱涣散 organization (``rules.weak_lax_reasons``: no secretary, or
       no organisational life for ``params.inactive_months``; seed 001 §12) should be put
       right (整顿) before it leads anyone, so it comes after every sound one.
    3. ``score``, out of 100 on five parts (:data:`WEIGHTS`): the level of its organization
       (党委 30, 党总支 20, 党支部 10), its members (20 × 党员数 ÷
       ``params.branch_max_members``, at most 20), its size (15 × staff ÷ the largest
       candidate's in the chain), its place in the chain's supply network (15 ×
       ``supply_degree`` ÷ the best connected candidate's; ``supply_degree`` counts its
       distinct 正常 partners of the same chain on 链上关系 links, either direction), and its
       reach (20 × ``reach_count`` ÷ the widest reach in the chain). Then ``reach_count``,
       staff and USCC break ties.

    Its reach is the uncovered organizations in scope with fewer than
    ``params.standalone_min_members`` formal members (those with more should form their own)
    around it: its supply partners in either direction (``reach_supply``), organizations of
    its chain segment in its district (``reach_segment``), and organizations in its building
    or of its chain in its park (``reach_place``). ``reach`` lists their USCCs (supply
    partners first, then segment, then place, each by USCC), ``reach_count`` counts them once
    each, the three ``reach_*`` count each kind (one organization can be counted in several).
    ``reason`` says in Chinese what it can take in now, and why not where it cannot.

    ``chain=None`` ranks every chain, each on its own (``rank`` restarts at 1 per chain; at
    most ``top`` rows per chain, chains in code order): scores are relative within a chain,
    so ranks across chains are not compared. An unknown chain code raises
    :class:`~graph.errors.NotFound`. Cost: linear in the organizations and the supply links
    of the candidates (plus a sort of each candidate's reach).
    """
    params = params or Params()
    known = {d["code"] for d in node_rows(g, NodeKind.CHAIN)} if chain is not None else set()
    if chain is not None and chain not in known:
        raise NotFound(f"找不到产业链编码“{chain}”，请核对“产业链”表中的产业链编码。")
    orgs = org_table(g, params)
    found = lead_organizations(g, params)
    if chain is not None:
        found = found[found["chain"] == chain]
    if found.empty:
        return pd.DataFrame(columns=LEAD_COLUMNS)
    found = found.reset_index(drop=True)

    open_ = orgs[
        orgs["in_scope"]
        & ~orgs["org_covered"]
        & (orgs["formal_members"] < params.standalone_min_members)
    ]
    open_set = set(open_["uscc"])
    people_of = {  # formal and probationary members of those that can join a branch
        u: int(f + p)
        for u, f, p in zip(
            open_["uscc"], open_["formal_members"], open_["probationary_members"], strict=True
        )
        if joinable(int(f), params)
    }
    chain_of = dict(zip(orgs["uscc"], orgs["chain"], strict=True))
    street_of = dict(zip(orgs["uscc"], orgs["street"], strict=True))
    park_of = dict(zip(orgs["uscc"], orgs["park"], strict=True))
    operating = set(orgs.loc[orgs["operating"], "uscc"])
    by_segment = _lists(open_, ["segment", "district"])
    by_building = _lists(open_, ["building"])
    by_park_chain = _lists(open_, ["park", "chain"])

    def _near_in_chain(u: str, lead: Any) -> bool:
        same_place = street_of.get(u) == lead.street or (
            _known(lead.park) and park_of.get(u) == lead.park
        )
        return chain_of.get(u) == lead.chain and same_place

    rows = []
    for lead in found.itertuples(index=False):
        partners = supply_partners(g, str(lead.uscc))
        degree = sum(1 for p in partners if p in operating and chain_of.get(p) == lead.chain)
        supply = sorted(p for p in partners if p in open_set)
        segment = by_segment.get((lead.segment, lead.district), [])
        place = sorted(
            set(by_building.get((lead.building,), []))
            | set(by_park_chain.get((lead.park, lead.chain), []))
        )
        reach = list(dict.fromkeys([*supply, *segment, *place]))
        # what its organization may take in, by the plan's rule: its supply partners, and
        # organizations of its chain in its street or its park (others in reach are worth
        # knowing, but for their own place to take in)
        people = sorted(
            people_of[u]
            for u in reach
            if u in people_of and (u in partners or _near_in_chain(u, lead))
        )
        takes = _takes_now(lead, people, params)
        memberless = sum(1 for u in reach if u not in people_of)
        elsewhere = len(reach) - memberless - len(people)
        rows.append(
            (
                degree,
                reach,
                len(reach),
                len(people),
                takes,
                len(supply),
                len(segment),
                len(place),
                memberless,
                elsewhere,
            )
        )
    parts = pd.DataFrame(
        rows,
        columns=[
            "supply_degree",
            "reach",
            "reach_count",
            "reach_joinable",
            "takes_now",
            "reach_supply",
            "reach_segment",
            "reach_place",
            "memberless_n",
            "elsewhere_n",
        ],
    )
    found = pd.concat([found, parts], axis=1)
    found["room"] = [room_orgs(c, params) for c in found["covers_operating"]]
    levels = [v if isinstance(v, str) else None for v in found["level"]]
    found["room_members"] = pd.Series(  # None: a 党委 or 党总支 has no member cap
        [
            None if math.isinf(r) else int(r)
            for r in (
                room_members(v, m, params) for v, m in zip(levels, found["members"], strict=True)
            )
        ],
        index=found.index,
        dtype=object,
    )
    pos = party_org_table(g)
    weak_ids = weak_lax_ids(g, params)
    weak = pos[pos["id"].isin(weak_ids).to_numpy(dtype=bool)]
    found["weak_lax"] = found["party_org"].isin(weak_ids)
    found["weak_lax_reasons"] = [
        _weak_reasons(weak, po, params) if w else []
        for po, w in zip(found["party_org"], found["weak_lax"], strict=True)
    ]
    found = _score(found, params)
    found["_takes"] = found["takes_now"] > 0
    found = found.sort_values(
        ["chain", "_takes", "weak_lax", "score", "reach_count", "employees", "uscc"],
        ascending=[True, False, True, False, False, False, True],
    )
    found["rank"] = found.groupby("chain").cumcount() + 1
    found = found[found["rank"] <= top].reset_index(drop=True)
    found["reason"] = [_reason(row, params) for row in found.itertuples(index=False)]
    return none_for_missing(found[LEAD_COLUMNS].copy())


# ---------------------------------------------------------------------------------------------


def _lists(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, list[str]]:
    """USCCs (sorted) per combination of ``keys``; rows with a missing key are left out."""
    keyed = frame.dropna(subset=keys).sort_values("uscc")
    return {
        (k if isinstance(k, tuple) else (k,)): v
        for k, v in keyed.groupby(keys, sort=False)["uscc"].agg(list).items()
    }


def supply_partners(g: nx.MultiDiGraph, uscc: str) -> set[str]:
    """USCCs linked to ``uscc`` by a 链上关系 (SUPPLIES) edge in either direction."""
    node = f"{NodeKind.ORGANIZATION.prefix}:{uscc}"
    kind = EdgeKind.SUPPLIES.value
    found: set[str] = set()
    for adjacency in (g.succ[node], g.pred[node]):
        for other, keys in adjacency.items():
            if kind in keys:
                found.add(g.nodes[other]["code"])
    return found


def _known(value: object) -> bool:
    return isinstance(value, str)


def _takes_now(lead: object, people: list[int], params: Params) -> int:
    """The most of these newcomers (formal + probationary members each, ascending) that the
    lead's organization can take in at once (``rules.taker_fits``)."""
    level = lead.level if isinstance(lead.level, str) else None  # type: ignore[attr-defined]
    covers, members = int(lead.covers_operating), int(lead.members)  # type: ignore[attr-defined]
    taken, total = 0, 0
    for n in people:
        if not taker_fits(level, covers, members, taken + 1, total + n, params):
            break
        taken, total = taken + 1, total + n
    return taken


def _weak_reasons(weak: pd.DataFrame, party_org: str, params: Params) -> list[str]:
    row = weak.loc[weak["id"] == party_org].iloc[0]
    secretary = None if is_missing(row["has_secretary"]) else bool(row["has_secretary"])
    return weak_lax_reasons(secretary, row["last_activity"], params)


def _relative(values: pd.Series, by: pd.Series) -> pd.Series:
    """Each value ÷ the largest of its group (0 where the largest is 0)."""
    top = values.groupby(by).transform("max").astype("float64")
    return (values / top.where(top > 0)).fillna(0.0)


def _score(found: pd.DataFrame, params: Params) -> pd.DataFrame:
    w = WEIGHTS
    by = found["chain"]
    level = found["level"].map(LEVEL_RANK).fillna(0) / max(LEVEL_RANK.values())
    members = (found["members"] / max(params.branch_max_members, 1)).clip(upper=1.0)
    found["level_score"] = (w["level"] * level).round(2)
    found["members_score"] = (w["members"] * members).round(2)
    found["size_score"] = (w["size"] * _relative(found["employees"], by)).round(2)
    found["centrality_score"] = (w["centrality"] * _relative(found["supply_degree"], by)).round(2)
    found["reach_score"] = (w["reach"] * _relative(found["reach_count"], by)).round(2)
    parts = ["level_score", "members_score", "size_score", "centrality_score", "reach_score"]
    found["score"] = found[parts].sum(axis=1).round(2)
    return found


def _reason(row: Any, params: Params) -> str:
    r = row  # a namedtuple of the found frame
    level = r.level if isinstance(r.level, str) else "层级未填"
    text = (
        f"{r.name}有本企业党组织“{r.party_org_name}”（{level}，党员{r.members}名），"
        f"从业人员{r.employees}人"
    )
    if isinstance(r.segment_name, str):
        text += f"，处于{r.chain_name}产业链“{r.segment_name}”环节"
    if r.supply_degree:
        text += f"，与链上{r.supply_degree}家企业有上下游配套关系"
    if r.covers_operating > 1:
        text += f"，已带动覆盖{r.covers_operating - 1}个组织"
    text += "。"
    if r.weak_lax:
        text += f"该党组织软弱涣散（{'；'.join(r.weak_lax_reasons)}），应先整顿，再领建。"
    if not r.reach_count:
        return text + "目前周边没有可带动的未覆盖组织。"
    kinds = []
    if r.reach_supply:
        kinds.append(f"上下游配套{r.reach_supply}个")
    if r.reach_segment:
        kinds.append(f"同区县同环节{r.reach_segment}个")
    if r.reach_place:
        kinds.append(f"同楼宇或同园区同产业链{r.reach_place}个")
    text += f"周边有{r.reach_count}个尚未建立党组织的组织（{'、'.join(kinds)}）"
    no_members = r.memberless_n
    limit = params.joint_max_orgs
    if r.takes_now:
        text += f"，现在可吸纳其中{r.takes_now}个"
        if r.takes_now < r.reach_joinable:
            if r.room <= r.takes_now:
                text += f"（按一个党组织联合覆盖不超过{limit}个组织，本组织还可吸纳{r.room}个）"
            else:
                text += (
                    f"（党支部党员一般不超过{params.branch_max_members}名，"
                    f"本组织还可容纳{r.room_members}名党员）"
                )
            text += "，其余宜另行组建"
        if no_members:
            text += f"；另有{no_members}个没有正式党员，宜先选派党建指导员、发展党员"
        if r.elsewhere_n:
            text += (
                f"；另有{r.elsewhere_n}个不是上下游配套、也不是同街道或同园区的本产业链组织，"
                "宜由所在地就近组建"
            )
    elif not r.reach_joinable and r.elsewhere_n:
        text += (
            f"，但其中有正式党员的{r.elsewhere_n}个不是上下游配套、也不是同街道或同园区的本产业链组织"
            "（龙头领建吸纳上下游配套企业和本产业链在同街道或同园区的组织），宜由所在地就近组建"
        )
    elif not r.reach_joinable:
        text += "，但都没有正式党员，暂不能吸纳，宜先选派党建指导员、发展党员"
    elif r.room == 0:
        text += (
            f"，但本组织已覆盖{r.covers_operating}个组织，按一个党组织联合覆盖不超过{limit}个，"
            "还可吸纳0个，宜另行组建"
        )
    else:
        text += (
            f"，但本组织党员已{r.members}名，党支部党员一般不超过{params.branch_max_members}名，"
            f"还可容纳{r.room_members}名，不够吸纳其中任何一个，宜另行组建"
        )
    return text + "。"
