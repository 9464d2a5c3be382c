"""Clusters of uncovered organizations that sit together, and how each could be covered."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.analysis.common import (
    Params,
    commonest,
    memoised,
    missing_as_none,
    none_for_missing,
    org_table,
    party_org_table,
    place_names,
)
from graph.analysis.leads import lead_organizations
from graph.analysis.packing import Item, Pool, solve
from graph.analysis.rules import (
    JOINT_TAKER_TYPES,
    NOT_JOINT_FORMATIONS,
    group_feasible,
    joinable,
    room_members,
    room_orgs,
    weak_lax_ids,
)
from graph.columns.clusters import CLUSTERS
from graph.model import FormationMode, PartyOrgType

__all__ = [
    "CLUSTER_COLUMNS",
    "INDUSTRY_CATEGORIES",
    "LEVELS",
    "clusters",
    "joint_branches_with_room",
]

LEVELS: tuple[str, ...] = ("building", "park", "street_chain", "street_category", "street")
"""Cluster levels, strongest bond first: each organization joins the first that fits."""

INDUSTRY_CATEGORIES: tuple[str, ...] = (
    "律师事务所",
    "会计师事务所",
    "税务师事务所",
    "民办学校",
    "民办医院",
)
"""细分类别 grouped by trade (行业组建) within a street: the ones seed 003 covers by trade."""

CLUSTER_COLUMNS = CLUSTERS.keys()
"""The columns of :func:`clusters`, in order."""

_MIN_GROUP = 2  # a joint organization covers two or more (domain.md), so a group is 2+


def joint_branches_with_room(g: nx.MultiDiGraph, params: Params | None = None) -> pd.DataFrame:
    """Existing joint Party organizations that can still take in an organization.

    A joint branch (联合党组织: a 企业党组织, 社会组织党组织 or 楼宇党组织 that covers two or
    more organizations, or is formed jointly, but not 龙头领建 or 兜底组建) has room while it
    covers fewer than ``params.joint_max_orgs`` 正常 organizations (domain.md "Joint
    branches": as a rule one covers no more than 5; seed 001 §6: 划小组建单元) and, for a
    党支部, has fewer than ``params.branch_max_members`` members (a branch normally has at
    most 50; a 党总支 or 党委 has no such cap), and is not 软弱涣散 (it is to be rectified
    first). The rules are :mod:`graph.analysis.rules`', the same for the plan and partners.

    Columns: those of :func:`~graph.analysis.common.party_org_table` plus ``room_orgs``
    (organizations it may still take) and ``room_members`` (members it may still take;
    ``inf`` for a 党总支 or 党委). Sorted by ``id``. Cost: linear in the Party organizations.
    """
    params = params or Params()
    pos = party_org_table(g)
    candidates = pos[
        (
            pos["is_joint"]
            & pos["type"].isin(JOINT_TAKER_TYPES)
            & ~pos["formation"].isin(NOT_JOINT_FORMATIONS)
            & ~pos["id"].isin(weak_lax_ids(g, params))
        ).to_numpy(dtype=bool)
    ].copy()
    candidates["room_orgs"] = [room_orgs(c, params) for c in candidates["covers_operating"]]
    candidates["room_members"] = [
        room_members(level, members, params)
        for level, members in zip(candidates["level"], candidates["members"], strict=True)
    ]
    found = candidates[(candidates["room_orgs"] > 0) & (candidates["room_members"] > 0)]
    return found.sort_values("id").reset_index(drop=True)


def clusters(
    g: nx.MultiDiGraph,
    params: Params | None = None,
    *,
    categories: Iterable[str] = INDUSTRY_CATEGORIES,
) -> pd.DataFrame:
    """Group the uncovered organizations in scope by where they sit, and say how to cover each.

    Rule (seed 001 §6, seed 003; domain.md "Formation"): fewer than
    ``params.standalone_min_members`` formal members form a joint organization with nearby
    ones, "区域相近、就近方便": in the same building, park or street, or by trade (行业组建).
    Every uncovered organization in scope (正常, staff at least the scope's minimum) is put in
    exactly one cluster, the first of :data:`LEVELS` where at least one other still-unplaced
    one shares its place: the same ``building``; the same ``park``; the same street and
    chain (``street_chain``); the same street and one of ``categories`` (``street_category``);
    else the rest of its ``street`` (which may be a single organization). Grouping is by
    shared places (pandas groupby), never by pairs, so the cost is linear in the organizations.

    Organizations with ``params.standalone_min_members`` or more formal members are listed in
    their cluster but flagged in ``standalone_eligible``: they should form their own (单独组建)
    rather than join. ``joint_formal_members`` counts the formal members of the others, and a
    cluster is ``feasible`` when that reaches ``params.standalone_min_members``: a joint
    organization can be formed among them now.

    ``mode`` (组建方式) and ``reason`` suggest how: 楼宇共建 (building), 区域合建 (park, street),
    行业组建 (same trade), 龙头领建 (a same-street chain group with a lead enterprise nearby),
    单独组建 (everyone in it should form their own), 兜底组建 (nothing reaches the threshold and
    only the street's 街道两新综合党委 can take it in). ``taker`` is the existing 党组织 that could
    take the cluster in, tried in order: a joint branch with room for all of it in the
    building (:func:`joint_branches_with_room`), a lead enterprise's organization of the same
    chain in the same park or street with room, a joint branch with room in the street, and,
    for a cluster that is not feasible, the street's 街道两新综合党委 (兜底). ``taker_kind`` is
    ``joint_branch``, ``lead`` or ``street_committee``. Each cluster's taker is suggested on
    its own: two clusters may be offered the same branch's room (the plan allocates it).

    One row per cluster (columns :data:`CLUSTER_COLUMNS`); ``cluster_id`` is stable:
    ``building:<code>``, ``park:<code>``, ``street_chain:<street>:<chain>``,
    ``street_category:<street>:<category>``, ``street:<street>``. Place columns are set where
    every member shares them (``street`` is the commonest street of a park cluster). Rows:
    feasible first, then by level, most joint formal members, ``cluster_id``. Memoised per
    graph, parameters and categories (a page and its map ask for the same result).
    """
    params = params or Params()
    chosen = tuple(sorted(set(categories)))
    return memoised(g, "clusters", (params.key(), chosen), lambda: _clusters(g, params, chosen))


def _clusters(g: nx.MultiDiGraph, params: Params, categories: Iterable[str]) -> pd.DataFrame:
    orgs = org_table(g, params)
    open_ = orgs[orgs["in_scope"] & ~orgs["org_covered"]].copy()
    if open_.empty:
        return pd.DataFrame(columns=CLUSTER_COLUMNS)
    open_["cluster_id"] = _assign(open_, set(categories))
    open_["eligible"] = open_["formal_members"] >= params.standalone_min_members
    open_["joint_formal"] = open_["formal_members"].where(~open_["eligible"], 0)
    open_["joint_people"] = (open_["formal_members"] + open_["probationary_members"]).where(
        ~open_["eligible"], 0
    )
    open_ = open_.sort_values(
        ["cluster_id", "formal_members", "uscc"], ascending=[True, False, True]
    )
    found = _aggregate(open_)
    found = _place_names(found, orgs)
    joinable_formal = (
        open_[[joinable(f, params) for f in open_["formal_members"]]]
        .groupby("cluster_id")[["formal_members", "probationary_members"]]
        .agg(list)
    )
    found["joinable_members"] = [  # type: ignore[assignment]
        list(zip(*joinable_formal.loc[c], strict=True)) if c in joinable_formal.index else []
        for c in found["cluster_id"]
    ]
    found["feasible"] = [_can_form(members, params) for members in found["joinable_members"]]
    takers = _Takers(g, params)
    decided = [takers.decide(row) for row in found.itertuples(index=False)]
    found[["mode", "reason", "taker", "taker_name", "taker_kind", "taker_reason"]] = pd.DataFrame(
        decided, index=found.index
    )
    found["_level"] = found["level"].map({lv: i for i, lv in enumerate(LEVELS)})
    found = found.sort_values(
        ["feasible", "_level", "joint_formal_members", "cluster_id"],
        ascending=[False, True, False, True],
    )
    return none_for_missing(found[CLUSTER_COLUMNS].reset_index(drop=True))


# ---------------------------------------------------------------------------------------------


def _assign(open_: pd.DataFrame, categories: set[str]) -> pd.Series:
    """The cluster id of each organization: the first level whose key it shares with another."""
    street = open_["street"].astype("string")
    category = open_["category"].where(open_["category"].isin(categories))
    keys = {
        "building": open_["building"].astype("string"),
        "park": open_["park"].astype("string"),
        "street_chain": street + ":" + open_["chain"].astype("string"),
        "street_category": street + ":" + category.astype("string"),
        "street": street,
    }
    cluster = pd.Series(pd.NA, index=open_.index, dtype="string")
    for level in LEVELS:
        key = (level + ":" + keys[level]).where(cluster.isna())
        sizes = key.map(key.value_counts())
        least = 1 if level == "street" else _MIN_GROUP
        cluster = cluster.mask(key.notna() & (sizes >= least), key)
    return cluster


def _aggregate(open_: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster; ``open_`` is sorted by cluster, then members' order."""
    grouped = open_.groupby("cluster_id", sort=True)
    found = grouped.agg(
        size=("uscc", "size"),
        formal_members=("formal_members", "sum"),
        joint_formal_members=("joint_formal", "sum"),
        joint_people=("joint_people", "sum"),
    )
    for column in ("district", "park", "building", "chain", "category"):
        values = grouped[column]
        found[column] = values.first().where(values.nunique(dropna=False) == 1)
    found["street"] = commonest(open_, "cluster_id", "street")
    cuts = np.cumsum(found["size"].to_numpy())[:-1]
    found["members"] = [a.tolist() for a in np.split(open_["uscc"].to_numpy(dtype=object), cuts)]
    found["member_names"] = [
        a.tolist() for a in np.split(open_["name"].to_numpy(dtype=object), cuts)
    ]
    eligible = open_[open_["eligible"]].groupby("cluster_id")["uscc"].agg(list)
    found["standalone_eligible"] = [eligible.get(c, []) for c in found.index]
    found = found.reset_index()
    found["level"] = found["cluster_id"].str.split(":").str[0]
    for column in ("size", "formal_members", "joint_formal_members", "joint_people"):
        found[column] = found[column].astype("int64")
    for column in ("district", "park", "building", "chain", "category", "street"):
        found[column] = missing_as_none(found[column])
    return found


def _place_names(found: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    for column in ("street", "park", "building", "chain"):
        found[f"{column}_name"] = found[column].map(place_names(orgs, column))
    return found


class _Takers:
    """Lookups of the existing organizations that could take a cluster in, by place."""

    def __init__(self, g: nx.MultiDiGraph, params: Params) -> None:
        self.params = params
        branches = joint_branches_with_room(g, params).sort_values(
            ["room_orgs", "room_members", "id"], ascending=[False, False, True]
        )
        self.by_building = _records(branches, ["building"])
        self.by_street = _records(branches, ["street"])
        leads = lead_organizations(g, params)  # strongest first within a chain
        pos = party_org_table(g)
        weak = weak_lax_ids(g, params)
        leads = leads[~leads["party_org"].isin(weak).to_numpy(dtype=bool)]
        leads = leads.assign(
            room_orgs=[room_orgs(c, params) for c in leads["covers_operating"]],
            # the 50-member limit is a 党支部's; a 党总支 or 党委 takes members without it
            room_members=[
                room_members(level, members, params)
                for level, members in zip(leads["level"], leads["members"], strict=True)
            ],
        )
        self.leads_street = _records(leads, ["chain", "street"])
        self.leads_park = _records(leads, ["chain", "park"])
        committees = pos[(pos["type"] == PartyOrgType.STREET_COMPREHENSIVE) & ~pos["id"].isin(weak)]
        self.committee = _records(committees.sort_values("id"), ["street"])

    def decide(self, c: Any) -> tuple[str, str, str | None, str | None, str | None, str | None]:
        """(mode, reason, taker, taker_name, taker_kind, taker_reason) of one cluster."""
        p = self.params
        joint = c.size - len(c.standalone_eligible)
        head = f"{_place_text(c)}尚未建立党组织的组织{c.size}个"
        if c.standalone_eligible:
            text = (
                f"{head}，正式党员共{c.formal_members}名；其中{len(c.standalone_eligible)}个"
                f"各有{p.standalone_min_members}名以上正式党员，应单独组建党组织"
            )
            if joint == 0:
                return FormationMode.STANDALONE.value, text + "。", None, None, None, None
            text += f"；其余{joint}个正式党员合计{c.joint_formal_members}名，"
        else:
            text = f"{head}，正式党员合计{c.joint_formal_members}名，"
        if c.feasible:
            text += f"达到{p.standalone_min_members}名，可联合组建。"
            groups, covered = _best_split(c.joinable_members, p)
            if len(c.joinable_members) > p.joint_max_orgs or covered < len(c.joinable_members):
                text += (
                    f"一个联合党组织原则上不超过{p.joint_max_orgs}个组织、正式党员不少于"
                    f"{p.standalone_min_members}名，最多可组成{groups}个，覆盖其中{covered}个组织"
                )
                rest = joint - covered
                text += f"，其余{rest}个需另行纳入或发展党员。" if rest else "。"
        elif c.joint_formal_members >= p.standalone_min_members:
            text += (
                f"达到{p.standalone_min_members}名，但有正式党员的组织不足2个，暂不能自行联合组建。"
            )
        else:
            text += f"不足{p.standalone_min_members}名，暂不能自行联合组建。"
        taker = self._taker(c, joint)
        mode = _mode(c.level, c.feasible, taker[2] if taker else None)
        text += _MODE_TEXT[mode]
        if taker is None:
            return mode.value, text, None, None, None, None
        return (mode.value, text, *taker)

    def _taker(self, c: Any, joint: int) -> tuple[str, str, str, str] | None:
        """(code, name, kind, reason) of the first organization that can take ``c`` in."""
        p = self.params
        people = c.joint_people

        def fits(row: dict) -> bool:
            return row["room_orgs"] >= joint and row["room_members"] >= people

        def branch(rows: list[dict], where: str) -> tuple[str, str, str, str] | None:
            for row in rows:
                if fits(row):
                    why = (
                        f"{where}的联合党组织“{row['name']}”现覆盖{row['covers_operating']}个组织、"
                        f"党员{row['members']}名；吸纳后覆盖{row['covers_operating'] + joint}个组织"
                        f"（上限{p.joint_max_orgs}个）、党员约{row['members'] + people}名"
                        f"（上限{p.branch_max_members}名）。"
                    )
                    return row["id"], row["name"], "joint_branch", why
            return None

        if c.building is not None and (
            found := branch(self.by_building.get((c.building,), []), "同楼宇")
        ):
            return found
        if c.chain is not None:
            for lookup, place, where in (
                (self.leads_park, c.park, "同园区"),
                (self.leads_street, c.street, "同街道"),
            ):
                for lead in lookup.get((c.chain, place), []) if place is not None else []:
                    if fits(lead):
                        why = _lead_text(lead, where, joint)
                        return lead["party_org"], lead["party_org_name"], "lead", why
        if c.street is not None and (
            found := branch(self.by_street.get((c.street,), []), "同街道")
        ):
            return found
        if not c.feasible and (rows := self.committee.get((c.street,))):
            row = rows[0]
            why = f"由{_place_text(c, street_only=True)}两新综合党委“{row['name']}”兜底覆盖。"
            return row["id"], row["name"], "street_committee", why
        return None


def _can_form(members: list[tuple[int, int]], params: Params) -> bool:
    """At least one new joint organization can be formed of these (formal, probationary)
    members: for some k from 2 to ``joint_max_orgs``, the k largest are
    :func:`~graph.analysis.rules.group_feasible` (the rule the plan uses)."""
    largest = sorted(members, reverse=True)[: params.joint_max_orgs]
    return any(
        group_feasible([f for f, _ in largest[:k]], sum(f + pr for f, pr in largest[:k]), params)
        for k in range(2, len(largest) + 1)
    )


def _best_split(members: list[tuple[int, int]], params: Params) -> tuple[int, int]:
    """(groups, organizations covered) when the cluster's members with 1–2 formal members are
    formed into joint organizations among themselves as well as possible (the plan's solver
    on this cluster alone: most covered, then fewest groups)."""
    bond = (6, "cluster")
    items = tuple(Item(str(k), f, f + pr, (bond,)) for k, (f, pr) in enumerate(members))
    placement = solve(Pool(items), params, time_limit=1.0)
    return len(placement.groups), sum(len(m) for _, m in placement.groups)


def _lead_text(lead: dict, where: str, joint: int) -> str:
    level = lead["level"] if isinstance(lead["level"], str) else "层级未填"
    return (
        f"{where}、同属{lead['chain_name']}产业链的龙头企业“{lead['name']}”"
        f"有本企业党组织（{level}，党员{lead['members']}名），"
        f"现覆盖{lead['covers_operating']}个组织，可带动吸纳"
        f"（吸纳后覆盖{lead['covers_operating'] + joint}个组织）。"
    )


def _mode(level: str, feasible: bool, taker_kind: str | None) -> FormationMode:
    """The suggested 组建方式 of a cluster (see :func:`clusters`)."""
    if taker_kind == "lead" and (level == "street_chain" or not feasible):
        return FormationMode.LEAD
    if not feasible and taker_kind in (None, "street_committee"):
        return FormationMode.FALLBACK
    if level == "building":
        return FormationMode.BUILDING
    if level == "street_category" and feasible:
        return FormationMode.INDUSTRY
    return FormationMode.AREA


_MODE_TEXT = {
    FormationMode.BUILDING: "建议楼宇共建：同一楼宇内的组织联合建立党组织或并入楼宇党组织。",
    FormationMode.AREA: "建议区域合建：按地域相邻就近联合建立党组织或并入就近的联合党组织。",
    FormationMode.INDUSTRY: "建议行业组建：同一街道的同行业组织联合建立党组织。",
    FormationMode.LEAD: "建议龙头领建：由同产业链龙头企业党组织带动吸纳。",
    FormationMode.FALLBACK: (
        "建议兜底组建：由街道两新综合党委兜底覆盖，同时选派党建指导员、发展党员。"
    ),
}


def _place_text(c: Any, *, street_only: bool = False) -> str:
    street = c.street_name if isinstance(c.street_name, str) else (c.street or "")
    if street_only or c.level == "street":
        return street
    if c.level == "building":
        return f"{c.building_name}（{street}）"
    if c.level == "park":
        return f"{c.park_name}"
    if c.level == "street_chain":
        return f"{street}{c.chain_name}产业链"
    return f"{street}{c.category}"


def _records(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, list[dict]]:
    """Rows as dicts per combination of ``keys``, in the frame's order; missing keys left out."""
    keyed = frame.dropna(subset=keys)
    found: dict[tuple, list[dict]] = {}
    for row in keyed.to_dict("records"):
        found.setdefault(tuple(row[k] for k in keys), []).append(row)
    return found
