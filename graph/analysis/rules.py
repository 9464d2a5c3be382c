"""The formation rules every analysis shares: standalone, group, room, weak and lax.

``clusters``, ``plan``, ``partners``, ``leads``, ``flags`` and ``chains`` all decide with these
functions, so that no two commands contradict each other (issue 11). Each is a small pure
function of plain values; the vectorised forms take pandas columns.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import networkx as nx
import pandas as pd

from graph.analysis.common import Params, as_date, memoised, months_before, party_org_table
from graph.model import FormationMode, PartyLevel, PartyOrgType

__all__ = [
    "JOINT_TAKER_TYPES",
    "NOT_JOINT_FORMATIONS",
    "formation_level",
    "group_feasible",
    "joinable",
    "room_members",
    "room_orgs",
    "standalone_eligible",
    "taker_fits",
    "weak_lax_ids",
    "weak_lax_mask",
    "weak_lax_reasons",
]


JOINT_TAKER_TYPES: tuple[str, ...] = (
    PartyOrgType.ENTERPRISE.value,
    PartyOrgType.SOCIAL.value,
    PartyOrgType.BUILDING.value,
)
"""The types of Party organization that, formed jointly, take in organizations of their
building or street (联合党组织: 企业党组织, 社会组织党组织, 楼宇党组织)."""

NOT_JOINT_FORMATIONS: tuple[str, ...] = (
    FormationMode.LEAD.value,
    FormationMode.FALLBACK.value,
    FormationMode.STANDALONE.value,
)
"""Formation modes that do not make a joint branch: a 龙头领建 organization takes in through its
lead enterprise (its chain), a 兜底 one is the street's committee, a 单独组建 one is one's own."""


def standalone_eligible(formal_members: int, params: Params) -> bool:
    """应单独组建: ``params.standalone_min_members`` (3) or more formal members (正式党员)
    form their own Party organization (domain.md "Formation"; seed 003)."""
    return formal_members >= params.standalone_min_members


def joinable(formal_members: int, params: Params) -> bool:
    """Can join a joint organization (联合组建): at least one formal member and fewer than the
    standalone threshold. Organizations with no formal member are put in no Party
    organization; they get a 党建指导员 and a member-development target instead."""
    return 0 < formal_members < params.standalone_min_members


def group_feasible(formal_members: Sequence[int], people: int, params: Params) -> bool:
    """A new joint Party organization (联合党支部) can be formed of these organizations now.

    Two to ``params.joint_max_orgs`` (5) organizations, each :func:`joinable`, whose formal
    members reach ``params.standalone_min_members`` (3) together, and whose formal plus
    probationary members (``people``) stay within ``params.branch_max_members`` (50; seed 001
    §6 "划小组建单元", domain.md "Joint branches"). Where they sit is the caller's: members of
    one group share a street, or a park across its streets.
    """
    return (
        2 <= len(formal_members) <= params.joint_max_orgs
        and all(joinable(f, params) for f in formal_members)
        and sum(formal_members) >= params.standalone_min_members
        and people <= params.branch_max_members
    )


def room_orgs(covers_operating: int, params: Params) -> int:
    """How many more organizations an existing Party organization may cover: a joint one, at
    any level, covers no more than ``params.joint_max_orgs`` 正常 organizations."""
    return max(params.joint_max_orgs - int(covers_operating), 0)


def room_members(level: str | None, members: int, params: Params) -> float:
    """How many more members it may take: a 党支部 normally has at most
    ``params.branch_max_members`` (50); a 党总支 or 党委 has no such limit (``math.inf``)."""
    if level in (PartyLevel.GENERAL_BRANCH, PartyLevel.COMMITTEE):
        return math.inf
    return max(params.branch_max_members - int(members), 0)


def taker_fits(
    level: str | None,
    covers_operating: int,
    members: int,
    newcomers: int,
    newcomer_people: int,
    params: Params,
) -> bool:
    """An existing organization can take ``newcomers`` organizations with ``newcomer_people``
    formal and probationary members in at once (:func:`room_orgs`, :func:`room_members`)."""
    return newcomers <= room_orgs(covers_operating, params) and newcomer_people <= room_members(
        level, members, params
    )


def formation_level(formal_members: int, params: Params) -> PartyLevel:
    """The level an organization of this many formal members forms (《中国共产党章程》、
    《中国共产党支部工作条例》): 党支部 from 3, 党总支 from ``params.branch_max_members`` (50),
    基层党委 from ``params.committee_min_members`` (100)."""
    if formal_members >= params.committee_min_members:
        return PartyLevel.COMMITTEE
    if formal_members >= params.branch_max_members:
        return PartyLevel.GENERAL_BRANCH
    return PartyLevel.BRANCH


def weak_lax_reasons(has_secretary: object, last_activity: object, params: Params) -> list[str]:
    """Why a Party organization is 软弱涣散 (seed 001 §12), empty when it is not.

    The one definition (``flags`` and ``chains`` both use it): no secretary in post
    (书记是否配备 = 否), or the last organisational life (最近组织生活日期) more than
    ``params.inactive_months`` (6) months before ``params.as_of``. A date not filled in is no
    evidence either way and does not make an organization weak.
    """
    reasons = []
    if has_secretary is False:
        reasons.append("未配备书记")
    last = as_date(last_activity)
    if last is not None and last < _inactive_before(params):
        reasons.append(
            f"最近一次组织生活在 {last.isoformat()}，已超过 {params.inactive_months} 个月"
        )
    return reasons


def weak_lax_mask(pos: pd.DataFrame, params: Params) -> pd.Series:
    """:func:`weak_lax_reasons` is not empty, for each row of a ``party_org_table``."""
    cutoff = pd.Timestamp(_inactive_before(params))
    last = pd.to_datetime(pos["last_activity"], errors="coerce")
    no_secretary = pd.Series(
        [v is False for v in pos["has_secretary"].astype(object).tolist()], index=pos.index
    )
    return no_secretary | (last < cutoff).fillna(False).astype(bool)


def weak_lax_ids(g: nx.MultiDiGraph, params: Params) -> frozenset[str]:
    """The codes of the graph's Party organizations :func:`weak_lax_mask` finds weak; memoised
    per graph and parameters (the plan, clusters and leads all ask)."""
    return memoised(g, "weak_lax_ids", params.key(), lambda: _weak_lax_ids(g, params))


def _weak_lax_ids(g: nx.MultiDiGraph, params: Params) -> frozenset[str]:
    pos = party_org_table(g)
    return frozenset(pos.loc[weak_lax_mask(pos, params).to_numpy(dtype=bool), "id"])


def _inactive_before(params: Params) -> dt.date:
    return months_before(params.as_of, params.inactive_months)
