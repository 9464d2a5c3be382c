"""The best joint-formation partners (联合组建) for one organization, with the score's parts."""

from __future__ import annotations

from collections import Counter
from itertools import combinations_with_replacement, islice

import networkx as nx
import numpy as np
import pandas as pd

from graph.analysis.clusters import joint_branches_with_room
from graph.analysis.common import (
    COVERAGE_LABELS,
    Params,
    none_for_missing,
    org_table,
    place_names,
    shared_value,
)
from graph.analysis.rules import group_feasible, joinable, standalone_eligible, taker_fits
from graph.columns.partners import PARTNERS
from graph.errors import LiangxinError, NotFound
from graph.model import INDUSTRY_SECTIONS, FormationMode

__all__ = ["DISTANCE_KM", "PARTNER_COLUMNS", "WEIGHTS", "partners"]

WEIGHTS: dict[str, float] = {
    "building": 30.0,  # proximity: same building
    "park": 20.0,  # … else same park
    "street": 15.0,  # … else same street
    "district": 5.0,  # … else same district
    "distance": 10.0,  # × (1 − km ÷ DISTANCE_KM), 0 beyond; where both have coordinates
    "segment": 15.0,  # similarity: same chain segment
    "chain": 10.0,  # … else same chain
    "category": 10.0,  # + same 细分类别
    "industry": 5.0,  # + same 行业门类
    "members": 20.0,  # × together ÷ params.standalone_min_members, at most 1
    "size": 10.0,  # the smaller the group after joining, the more (see partners)
}
"""Full marks of each part of the score; the parts add up to at most 100."""

DISTANCE_KM = 5.0
"""Beyond this many kilometres apart the distance part is 0."""

PARTNER_COLUMNS = PARTNERS.keys()
"""The columns of :func:`partners`, in order."""

_PLACES = ("building", "park", "street", "district")

BONDS = ("building", "park", "segment", "chain", "category", "industry", "street")
"""What the members of one new joint organization may share (the plan's bonds), closest first:
the same building, the same park (across streets), or within one street the same chain
segment, chain, 细分类别, 行业门类, or just the street."""

_IN_STREET = ("segment", "chain", "category", "industry")
_COUNTS = "零一两三四五六七八九十"


def partners(
    g: nx.MultiDiGraph,
    uscc: str,
    top: int = 10,
    params: Params | None = None,
) -> pd.DataFrame:
    """The ``top`` best partners for one organization to form or join a joint organization.

    Rule (domain.md "Joint branches"; seed 003 "区域相近、就近方便"): an organization with
    fewer than ``params.standalone_min_members`` formal members forms a joint organization with
    others "地域相邻、行业相近、规模适当、便于管理", or joins an existing joint branch that covers
    fewer than ``params.joint_max_orgs`` organizations and has fewer than
    ``params.branch_max_members`` members.

    Candidates are other uncovered organizations in scope (``candidate_kind``
    ``organization``, ``candidate`` its USCC) and joint branches with room for this one
    (``party_org``, its 党组织 code; :func:`~graph.analysis.clusters.joint_branches_with_room`
    with room for its formal and probationary members). The search is bounded: the same
    building, park and street first; the rest of its district only when those give fewer than
    ``top``; never the whole city. A branch sits where its 党组织 row says, else where all the
    organizations it covers sit; it is compared on what those organizations are.

    The ranking is lexicographic, in the order a planner needs (domain.md "Formation",
    "Joint branches"):

    1. ``feasible``: the joining or pairing can be done now. Joining a branch: this
       organization can join one (``rules.joinable``: at least one formal member, fewer than
       ``params.standalone_min_members``) and the branch has room for it
       (``rules.taker_fits``: under ``params.joint_max_orgs`` organizations and, for a 党支部,
       ``params.branch_max_members`` members). A new group: ``rules.group_feasible`` for the
       two, i.e. both can join and their formal members reach
       ``params.standalone_min_members`` together; or, where the pair falls short, for the
       two completed with up to ``params.joint_max_orgs`` − 2 other uncovered joinable
       organizations that share a bond with both (the plan's bonds, :data:`BONDS`, the
       closest the two share first; the fewest others, those with most formal members
       first): three of one formal member in one building are feasible together, as
       ``clusters`` and ``plan`` group them. ``completed_with`` lists those others (USCCs;
       empty for a pair that reaches the threshold itself, a branch, or what is not
       feasible); ``group_size`` and ``together_formal_members`` count them.
    2. what the candidate brings: those with formal members first; then those with none
       (they cannot join a Party organization themselves, ``rules.joinable``); last an
       organization with ``params.standalone_min_members`` or more (``rules.standalone_eligible``:
       it should form its own, so it is no partner for joint formation; its reason says it
       could take this one in once it has its own).
    3. closeness: same building > same park > same street > same district
       (``proximity_score``), then the shorter distance (``distance_km``; unknown last).
    4. similarity and size as scored (``similarity_score`` + ``size_score``), then the
       code.

    ``score`` (at most 100, :data:`WEIGHTS`) is still shown, as the sum of the parts shown as
    columns, for comparison; it does not decide the rank:
    ``proximity_score`` (same building 30 > same park 20 > same street 15 > same district 5),
    ``distance_score`` (10 × (1 − km ÷ :data:`DISTANCE_KM`), 0 beyond or without coordinates
    on either side), ``similarity_score`` (same chain segment 15, else same chain 10; same
    细分类别 +10; same 行业门类 +5), ``members_score`` (20 × ``together_formal_members`` ÷
    ``params.standalone_min_members``, at most 20: do they reach the threshold together) and
    ``size_score`` (10 × (``params.joint_max_orgs`` + 1 − ``group_size``) ÷
    (``params.joint_max_orgs`` − 1): a pair scores 10, joining a branch that then covers the
    maximum scores least). ``reason`` names the shared places, whether it can be done now and,
    if not, what is missing (e.g. how many formal members are still needed), in Chinese.

    An unknown USCC raises :class:`~graph.errors.NotFound`; an organization that is not 正常
    or out of scope raises :class:`~graph.errors.LiangxinError` (it is in no suggestion). An
    organization already covered is answered all the same (partners for re-forming, e.g.
    when its joint organization is split): ``result.attrs["subject"]`` describes the
    organization (``uscc``, ``name``, ``party_org``, ``covered``, ``formal_members``) and
    ``result.attrs["note"]`` says in Chinese that it is covered or should form its own.
    Cost: linear in the organizations of its district (the completions bucket them once per
    bond of this organization; each candidate then costs O(``params.joint_max_orgs``)).
    ``uscc`` is matched as the ledger stores it (spaces trimmed, upper case), so a code typed
    in lower case is found.
    """
    params = params or Params()
    uscc = uscc.strip().upper()
    orgs = org_table(g, params)
    hit = orgs.index[orgs["uscc"] == uscc]
    if len(hit) == 0:
        raise NotFound(f"找不到统一社会信用代码为“{uscc}”的组织，请核对台账“组织”表。")
    x = orgs.loc[hit[0]]
    _check_in_scope(x, params)

    pool = orgs[orgs["in_scope"] & ~orgs["org_covered"] & (orgs["uscc"] != uscc)]
    branches = _branches(g, orgs, x, params)
    near_orgs = _near(pool, x, _PLACES[:3])
    near_branches = _near(branches, x, _PLACES[:3])
    if len(near_orgs) + len(near_branches) < top:
        near_orgs = _near(pool, x, _PLACES)
        near_branches = _near(branches, x, _PLACES)

    near_orgs = _completed(_org_candidates(near_orgs, bond_keys(near_orgs)), x, pool, params)
    parts = [f for f in (near_orgs, near_branches) if not f.empty]
    candidates = pd.concat(parts, ignore_index=True, sort=False) if parts else pd.DataFrame()
    if candidates.empty:
        result = pd.DataFrame(columns=PARTNER_COLUMNS)
    else:
        result = _rank_keys(_score(candidates, x, params), x, params)
        result = result.sort_values(
            ["feasible", "_brings", "proximity_score", "distance_km", "_alike", "candidate"],
            ascending=[False, False, False, True, False, True],
            na_position="last",
        ).head(top)
        result["rank"] = np.arange(1, len(result) + 1)
        result["reason"] = [_reason(r, x, params) for r in result.to_dict("records")]
        result = none_for_missing(result[PARTNER_COLUMNS].reset_index(drop=True))
    result.attrs["subject"] = {
        "uscc": uscc,
        "name": x["name"],
        "party_org": x["party_org"] if pd.notna(x["party_org"]) else None,
        "covered": bool(x["org_covered"]),
        "formal_members": int(x["formal_members"]),
    }
    result.attrs["note"] = _note(x, params)
    return result


# ---------------------------------------------------------------------------------------------


def _check_in_scope(x: pd.Series, params: Params) -> None:
    if not x["operating"]:
        raise LiangxinError(
            f"“{x['name']}”的经营状态为“{x['status']}”，不计入覆盖率，也不参与组建建议。"
        )
    if not x["in_scope"]:
        raise LiangxinError(
            f"“{x['name']}”从业人员{x['employees']}人，不在本次统计范围"
            f"（{x['org_kind']}{params.min_employees(x['org_kind'])}人以上）内，不参与组建建议。"
        )


def _note(x: pd.Series, params: Params) -> str | None:
    if x["org_covered"]:
        state = COVERAGE_LABELS.get(x["coverage"], "")
        return (
            f"“{x['name']}”已由党组织{x['party_org']}覆盖（{state}）；"
            "以下为重新组建（如拆分过大的联合党组织）时可选的伙伴。"
        )
    if x["formal_members"] >= params.standalone_min_members:
        return (
            f"“{x['name']}”有{x['formal_members']}名正式党员，达到"
            f"{params.standalone_min_members}名，应单独组建党组织；以下伙伴供其建立后吸纳参考。"
        )
    if x["formal_members"] == 0:
        return (
            f"“{x['name']}”没有正式党员，暂不能加入党组织（联合组建须有正式党员）；"
            "宜先选派党建指导员、发展党员，以下伙伴供发展党员后参考。"
        )
    return None


def _near(frame: pd.DataFrame, x: pd.Series, places: tuple[str, ...]) -> pd.DataFrame:
    """Rows sharing at least one of ``places`` with ``x`` (a missing place matches nothing)."""
    if frame.empty:
        return frame
    mask = pd.Series(False, index=frame.index)
    for place in places:
        if pd.notna(x[place]):
            mask |= frame[place] == x[place]
    return frame[mask]


def bond_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """One column per :data:`BONDS` level: the key two organizations share when they share that
    bond (segment, chain, 细分类别 and 行业门类 within their street), missing where they have
    none."""
    keys = pd.DataFrame(index=frame.index)
    street = frame["street"].astype("string")
    for bond in BONDS:
        value = frame[bond].astype("string")
        keys[bond] = street + ":" + value if bond in _IN_STREET else value
    return keys


def _org_candidates(near: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    found = near[
        [
            "uscc",
            "name",
            "building",
            "building_name",
            "park",
            "park_name",
            "street",
            "street_name",
            "district",
            "segment",
            "segment_name",
            "chain",
            "chain_name",
            "category",
            "industry",
            "lon",
            "lat",
            "formal_members",
            "probationary_members",
        ]
    ].rename(columns={"uscc": "candidate"})
    found["candidate_kind"] = "organization"
    found["group_size"] = 2
    for column in ("segment", "chain", "category", "industry"):
        found[f"{column}s"] = found[column].map(lambda v: frozenset() if pd.isna(v) else {v})
    for bond in BONDS:
        found[f"bond_{bond}"] = keys[bond]
    return found


def _completed(c: pd.DataFrame, x: pd.Series, pool: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Add ``feasible`` and, where a new pair of ``x`` and the candidate needs others to reach
    the threshold, who completes it (``completed_with``, ``completed_names``,
    ``completed_bond``, ``completed_formal``; ``group_size`` counts them).

    A new joint organization of ``x`` and candidate C can be formed now when the pair itself
    is ``rules.group_feasible`` or when up to ``params.joint_max_orgs`` − 2 other uncovered,
    in-scope, :func:`~graph.analysis.rules.joinable` organizations that share a bond with both
    complete it (the closest bond the two share first): the whole group is
    ``rules.group_feasible``. Among completions the fewest others, then the most formal
    members, then the fewest people (:func:`_complete`): whether such a group exists at a
    bond is decided exactly, not greedily (the 50-person limit may rule out the greedy pick).
    Cost: the pool is bucketed once per bond key of ``x`` (at most 7), each candidate then
    takes O(``joint_max_orgs``) (times the few mixes of formal members a group may take).
    """
    c = c.copy()
    n = len(c)
    feasible, size = [False] * n, c["group_size"].tolist() if n else []
    usccs: list[list[str]] = [[] for _ in range(n)]
    names: list[list[str]] = [[] for _ in range(n)]
    bonds: list[str | None] = [None] * n
    formal: list[int] = [0] * n
    apart: list[bool] = [False] * n  # neither the same street nor the same park
    xf = int(x["formal_members"])
    x_people = xf + int(x["probationary_members"])
    x_keys = bond_keys(x.to_frame().T).iloc[0]
    buckets = _buckets(pool, x_keys, params) if n else {}
    slots = params.joint_max_orgs - 2
    for i, r in enumerate(c.to_dict("records")):
        theirs = int(r["formal_members"])
        people = x_people + theirs + int(r["probationary_members"])
        shared = [b for b in BONDS if pd.notna(x_keys[b]) and r[f"bond_{b}"] == x_keys[b]]
        if not shared:
            apart[i] = True
            continue  # a group shares a street or a park (the plan's rule): not across streets
        if group_feasible([xf, theirs], people, params):
            feasible[i] = True
            continue
        if slots <= 0 or not (joinable(xf, params) and joinable(theirs, params)):
            continue
        need = params.standalone_min_members - xf - theirs
        for bond in BONDS:  # the closest bond the two share first
            key = x_keys[bond]
            if pd.isna(key) or r[f"bond_{bond}"] != key:
                continue
            others = _complete(
                buckets[bond], need, slots, params.branch_max_members - people, r["candidate"]
            )
            if others is None:
                continue
            group = [xf, theirs, *(o[0] for o in others)]
            feasible[i] = group_feasible(group, people + sum(o[1] for o in others), params)
            usccs[i], names[i] = [o[2] for o in others], [o[3] for o in others]
            bonds[i], formal[i], size[i] = bond, sum(group) - xf - theirs, len(group)
            break
    c["feasible"] = pd.Series(feasible, index=c.index, dtype=bool)
    c["apart"] = apart
    c["completed_with"], c["completed_names"] = usccs, names
    c["completed_bond"], c["completed_formal"], c["group_size"] = bonds, formal, size
    return c


_Other = tuple[int, int, str, str]  # formal members, people, USCC, name


def _buckets(
    pool: pd.DataFrame, x_keys: pd.Series, params: Params
) -> dict[str, dict[int, list[_Other]]]:
    """Per bond of ``x``: the joinable organizations of ``pool`` sharing it, by formal members,
    each list with the fewest people first (then by code)."""
    near = pool["street"] == x_keys["street"]  # every bond but the park is within a street
    if pd.notna(x_keys["park"]):
        near |= pool["park"] == x_keys["park"]
    small = pool[near.fillna(False).astype(bool)]
    small = small[np.array([joinable(int(f), params) for f in small["formal_members"]], bool)]
    keys = bond_keys(small)
    people = small["formal_members"] + small["probationary_members"]
    table = pd.DataFrame(
        {
            "formal": small["formal_members"].astype("int64"),
            "people": people.astype("int64"),
            "uscc": small["uscc"].astype(str),
            "name": small["name"].astype(str),
        }
    ).sort_values(["people", "uscc"])
    found: dict[str, dict[int, list[_Other]]] = {}
    for bond in BONDS:
        key = x_keys[bond]
        same = (keys[bond] == key).fillna(False).astype(bool) if pd.notna(key) else False
        inside = table[pd.Series(same, index=keys.index).reindex(table.index)]
        found[bond] = {
            int(f): list(group.itertuples(index=False, name=None))  # type: ignore[arg-type]
            for f, group in inside.groupby("formal")
        }
    return found


def _complete(
    buckets: dict[int, list[_Other]], need: int, slots: int, budget: int, skip: str
) -> list[_Other] | None:
    """The fewest others (at most ``slots``) of ``buckets`` but ``skip`` whose formal members
    reach ``need`` and whose people stay within ``budget``; among as many, the most formal
    members, then the fewest people. None when there are none.

    For each mix of formal members the cheapest choice is the fewest people of each, so trying
    every mix (a handful: formal members are 1 to the threshold − 1) is exact.
    """
    values = sorted(buckets, reverse=True)  # only the formal members present: a few
    for size in range(1, slots + 1):
        if not values or values[0] * size < need:
            continue
        best: tuple[tuple[int, int], list[_Other]] | None = None
        for mix in combinations_with_replacement(values, size):
            if sum(mix) < need:
                continue
            picked: list[_Other] = []
            for formal, count in Counter(mix).items():
                picked += islice((o for o in buckets[formal] if o[2] != skip), count)
            if len(picked) < size:
                continue
            people = sum(o[1] for o in picked)
            if people <= budget and (best is None or (-sum(mix), people) < best[0]):
                best = ((-sum(mix), people), picked)
        if best is not None:
            return sorted(best[1], key=lambda o: (-o[0], o[1], o[2]))
    return None


def _branches(g: nx.MultiDiGraph, orgs: pd.DataFrame, x: pd.Series, params: Params) -> pd.DataFrame:
    """Joint branches with room for ``x`` that cover or sit in its district, described."""
    people = int(x["formal_members"] + x["probationary_members"])
    rooms = joint_branches_with_room(g, params)
    rooms = rooms[(rooms["room_members"] >= people) & (rooms["id"] != x["party_org"])]
    covered = orgs[orgs["operating"] & orgs["party_org"].isin(rooms["id"])]
    ids = set(covered.loc[covered["district"] == x["district"], "party_org"])
    ids |= set(rooms.loc[rooms["district"] == x["district"], "id"])
    rooms = rooms[rooms["id"].isin(ids)].set_index("id")
    if rooms.empty:
        return pd.DataFrame()
    covered = covered[covered["party_org"].isin(rooms.index)]
    by = covered.groupby("party_org")
    shared = by[["building", "park", "street", "district"]].agg(shared_value)
    for place in ("building", "park", "street", "district"):
        rooms[place] = rooms[place].fillna(shared[place]) if place in rooms else shared[place]
    found = pd.DataFrame(
        {
            "candidate": rooms.index,
            "name": rooms["name"].to_numpy(),
            "candidate_kind": "party_org",
            "level": rooms["level"].to_numpy(),
            "formation": rooms["formation"].to_numpy(),
            "building": rooms["building"].to_numpy(),
            "park": rooms["park"].to_numpy(),
            "street": rooms["street"].to_numpy(),
            "district": rooms["district"].to_numpy(),
            "lon": by["lon"].mean().reindex(rooms.index).to_numpy(),
            "lat": by["lat"].mean().reindex(rooms.index).to_numpy(),
            "formal_members": by["formal_members"].sum().reindex(rooms.index).fillna(0).to_numpy(),
            "covers_operating": rooms["covers_operating"].to_numpy(),
            "members": rooms["members"].to_numpy(),
            "group_size": (rooms["covers_operating"] + 1).to_numpy(),
        }
    )
    for place in ("building", "park", "street"):
        found[f"{place}_name"] = found[place].map(place_names(orgs, place))
    for column in ("segment", "chain", "category", "industry"):
        sets: pd.Series = by[column].agg(lambda s: frozenset(s.dropna()))
        found[f"{column}s"] = sets.reindex(rooms.index).to_numpy()
    found["formal_members"] = found["formal_members"].astype("int64")
    return found


def _score(c: pd.DataFrame, x: pd.Series, params: Params) -> pd.DataFrame:
    w = WEIGHTS
    c = c.copy()
    for place in _PLACES:
        c[f"same_{place}"] = (c[place] == x[place]).fillna(False).astype(bool) & pd.notna(x[place])
    c["proximity_score"] = np.select(
        [c["same_building"], c["same_park"], c["same_street"], c["same_district"]],
        [w["building"], w["park"], w["street"], w["district"]],
        default=0.0,
    )
    km = _haversine(c["lon"], c["lat"], x["lon"], x["lat"])
    c["distance_km"] = km.round(2)
    c["distance_score"] = (w["distance"] * (1 - km / DISTANCE_KM)).clip(lower=0).fillna(0).round(2)
    for column in ("segment", "chain", "category", "industry"):
        value = x[column]
        c[f"same_{column}"] = [pd.notna(value) and value in s for s in c[f"{column}s"]]
    chainwise = np.select(
        [c["same_segment"], c["same_chain"]], [w["segment"], w["chain"]], default=0.0
    )
    c["similarity_score"] = (
        chainwise + w["category"] * c["same_category"] + w["industry"] * c["same_industry"]
    )
    minimum = max(params.standalone_min_members, 1)
    completing = c["completed_formal"].fillna(0) if "completed_formal" in c else 0
    together = c["formal_members"] + x["formal_members"] + completing
    c["together_formal_members"] = together.astype("int64")
    c["members_score"] = (
        w["members"] * (c["together_formal_members"] / minimum).clip(upper=1)
    ).round(2)
    span = max(params.joint_max_orgs - 1, 1)
    c["size_score"] = (
        (w["size"] * (params.joint_max_orgs + 1 - c["group_size"]) / span)
        .clip(0, w["size"])
        .round(2)
    )
    parts = ["proximity_score", "distance_score", "similarity_score", "members_score", "size_score"]
    c[parts] = c[parts].astype("float64")
    c["score"] = c[parts].sum(axis=1).round(2)
    c["group_size"] = c["group_size"].astype("int64")
    return c


def _serves(branch: dict, x: pd.Series) -> bool:
    """The branch takes organizations where ``x`` sits, as the plan's takers do: a branch of a
    building only that building's, a street's branch only that street's, a 行业组建 one only
    organizations of the 细分类别 it covers."""
    if isinstance(branch["building"], str):
        return branch["building"] == x["building"]
    if branch["street"] != x["street"]:
        return False
    if branch.get("formation") == FormationMode.INDUSTRY:
        return x["category"] in branch["categorys"]
    return True


def _rank_keys(c: pd.DataFrame, x: pd.Series, params: Params) -> pd.DataFrame:
    """Add ``feasible`` and the sort keys ``_brings`` (2 brings formal members, 1 none, 0 should
    form its own) and ``_alike`` (similarity + size) to scored candidates."""
    xf = int(x["formal_members"])
    x_people = xf + int(x["probationary_members"])
    branch = c["candidate_kind"] == "party_org"
    c["standalone"] = ~branch & c["formal_members"].map(lambda f: standalone_eligible(f, params))
    feasible, apart = [], []
    for r in c.to_dict("records"):
        if r["candidate_kind"] == "party_org":
            level = r["level"] if isinstance(r["level"], str) else None
            fits = taker_fits(
                level, int(r["covers_operating"]), int(r["members"]), 1, x_people, params
            )
            serves = _serves(r, x)
            apart.append(not serves)
            feasible.append(joinable(xf, params) and fits and serves)
        else:
            feasible.append(bool(r["feasible"]))  # _completed
            apart.append(bool(r["apart"]))
    c["feasible"] = pd.Series(feasible, index=c.index, dtype=bool)
    c["apart"] = apart
    if "completed_with" not in c:
        c["completed_with"] = [[] for _ in range(len(c))]
    c["completed_with"] = [v if isinstance(v, list) else [] for v in c["completed_with"]]
    c["_brings"] = np.where(c["standalone"], 0, np.where(c["formal_members"] > 0, 2, 1))
    c["_alike"] = c["similarity_score"] + c["size_score"]
    return c


def _reason(r: dict, x: pd.Series, params: Params) -> str:
    bits: list[str] = []
    if r["same_building"]:
        bits.append(f"同在{r['building_name']}")
    elif r["same_park"]:
        bits.append(f"同在{r['park_name']}")
    elif r["same_street"]:
        bits.append(f"同在{r['street_name']}")
    elif r["same_district"]:
        bits.append(f"同在{r['district']}")
    if pd.notna(r["distance_km"]):
        bits.append(f"相距约{r['distance_km']:.1f}公里")
    if r["same_segment"]:
        bits.append(f"同属{x['chain_name']}产业链“{x['segment_name']}”环节")
    elif r["same_chain"]:
        bits.append(f"同属{x['chain_name']}产业链")
    if r["same_category"]:
        bits.append(f"同为{x['category']}")
    if r["same_industry"]:
        bits.append(f"同属“{INDUSTRY_SECTIONS.get(x['industry'], x['industry'])}”门类")
    text = "，".join(bits) + "；" if bits else ""
    minimum = params.standalone_min_members
    together, theirs = r["together_formal_members"], r["formal_members"]
    xf = int(x["formal_members"])
    if xf == 0:
        ours = "本组织没有正式党员，暂不能加入党组织，宜先发展党员"
    elif xf >= minimum:
        ours = f"本组织有{xf}名正式党员，应单独组建"
    else:
        ours = ""
    if r["candidate_kind"] == "party_org":
        text += (
            f"该联合党组织现覆盖{int(r['covers_operating'])}个组织、党员{int(r['members'])}名，"
            f"吸纳后覆盖{r['group_size']}个组织（上限{params.joint_max_orgs}个）"
        )
        if r["feasible"]:
            return text + "，可直接吸纳本组织。"
        if r["apart"] and not ours:
            return (
                text + "，但它只吸纳所在楼宇或街道（行业联合党组织只吸纳同行业）的组织，"
                "不能直接吸纳本组织。"
            )
        return text + f"，但{ours or '党员数已近上限'}。"
    if r["completed_with"]:
        count = len(r["completed_with"]) + 2
        words = _COUNTS[count] if count < len(_COUNTS) else str(count)
        text += (
            f"与{_bond_words(r['completed_bond'], x)}的{'、'.join(r['completed_names'])}一起，"
            f"{words}家合计正式党员{together}名"
        )
    else:
        text += f"两家合计正式党员{together}名"
    if r["standalone"]:
        return (
            text + f"，但对方有{theirs}名正式党员，应单独组建，不作联合组建伙伴；"
            "可在其建立党组织后吸纳本组织。"
        )
    if r["feasible"]:
        return text + f"，达到{minimum}名，可联合组建。"
    if r["apart"] and not ours:
        return (
            text
            + "，但不在同一街道或同一园区，不能联合组建（联合组建须同街道，或同一园区内跨街道）。"
        )
    if ours:
        return text + f"；{ours}。"
    if together < minimum:
        none = "（对方没有正式党员）" if theirs == 0 else ""
        return text + f"，尚需{minimum - together}名{none}，还需吸纳其他有正式党员的组织。"
    return text + f"，但党员合计超过{params.branch_max_members}名，不宜组建一个党支部。"


def _bond_words(bond: str, x: pd.Series) -> str:
    """What the members of a completed group share, in Chinese (“同在东湖大厦”)."""

    def name(place: str) -> str:
        return x[f"{place}_name"] if pd.notna(x[f"{place}_name"]) else x[place]

    street = f"同在{name('street')}、"
    if bond in ("building", "park"):
        return f"同在{name(bond)}"
    if bond == "segment":
        return f"{street}同属{x['chain_name']}产业链“{x['segment_name']}”环节"
    if bond == "chain":
        return f"{street}同属{x['chain_name']}产业链"
    if bond == "category":
        return f"{street}同为{x['category']}"
    if bond == "industry":
        return f"{street}同属“{INDUSTRY_SECTIONS.get(x['industry'], x['industry'])}”门类"
    return f"同在{name('street')}"


def _haversine(lon: pd.Series, lat: pd.Series, lon0: float, lat0: float) -> pd.Series:
    """Great-circle distance in km (NaN where a coordinate is missing)."""
    lon = pd.to_numeric(lon, errors="coerce").astype("float64")
    lat = pd.to_numeric(lat, errors="coerce").astype("float64")
    lon0 = float(lon0) if pd.notna(lon0) else np.nan
    lat0 = float(lat0) if pd.notna(lat0) else np.nan
    p1, p2 = np.radians(lat), np.radians(lat0)
    dphi, dlmb = p2 - p1, np.radians(lon0) - np.radians(lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))
