"""One joint-formation plan (组建规划) for the whole area, and the rates it would give."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

import networkx as nx
import numpy as np
import pandas as pd

from graph.analysis.common import Params, memoised, org_table, party_org_table
from graph.analysis.coverage import count_coverage
from graph.model import (
    INDUSTRY_SECTIONS,
    FormationMode,
    NodeKind,
    PartyLevel,
    PartyOrgType,
    node_id,
)

__all__ = [
    "UNASSIGNED_INSTRUCTOR",
    "Attachment",
    "FormationPlan",
    "InstructorAssignment",
    "JointGroup",
    "StandaloneProposal",
    "plan",
]

UNASSIGNED_INSTRUCTOR = "待选派"
"""The instructor of an organization in a street where no 党建指导员 works yet."""

GROUP_LEVELS: tuple[str, ...] = (
    "building",
    "park",
    "segment",
    "chain",
    "category",
    "industry",
    "street",
)
"""How near and alike a proposed group's members are, closest first (``grouped_by``)."""

Part = Literal["standalone", "groups", "attachments", "instructors", "assignments"]


@dataclass(frozen=True)
class StandaloneProposal:
    """(i) An uncovered organization with enough formal members to form its own (单独组建)."""

    uscc: str
    name: str
    kind: str
    street: str
    street_name: str
    employees: int
    formal_members: int
    level: str  # 党支部, or 党总支 from ``branch_max_members`` formal members
    reason: str


@dataclass(frozen=True)
class JointGroup:
    """(ii) A proposed joint Party organization (联合组建) of uncovered organizations."""

    group_id: str
    street: str
    street_name: str
    mode: str  # 楼宇共建 / 行业组建 / 区域合建
    grouped_by: str  # one of GROUP_LEVELS: what all members share
    size: int
    formal_members: int
    members: tuple[str, ...]  # USCCs
    member_names: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Attachment:
    """(iii) An uncovered organization taken in by an existing Party organization."""

    uscc: str
    name: str
    street: str
    street_name: str
    formal_members: int
    party_org: str
    party_org_name: str
    mode: str  # 楼宇共建 / 龙头领建 / 区域合建 / 兜底组建
    reason: str


@dataclass(frozen=True)
class InstructorAssignment:
    """(iv) No Party organization possible yet: a 党建指导员 and a member-development target."""

    uscc: str
    name: str
    street: str
    street_name: str
    employees: int
    formal_members: int
    instructor: str  # the instructor's code, or 待选派
    instructor_name: str | None
    develop_members: int  # formal members to develop (发展党员) before a Party organization
    target: str
    reason: str


_PARTS: dict[str, type] = {
    "standalone": StandaloneProposal,
    "groups": JointGroup,
    "attachments": Attachment,
    "instructors": InstructorAssignment,
}


@dataclass(frozen=True)
class FormationPlan:
    """The plan: each uncovered in-scope organization appears in exactly one of the four parts.

    ``rates`` holds the two headline rows (非公企业, 社会组织) of ``coverage(by="kind")`` today
    and after the plan is carried out.
    """

    standalone: tuple[StandaloneProposal, ...]
    groups: tuple[JointGroup, ...]
    attachments: tuple[Attachment, ...]
    instructors: tuple[InstructorAssignment, ...]
    rates: pd.DataFrame = field(compare=False, repr=False)

    def frame(self, part: Part) -> pd.DataFrame:
        """One part as a table whose columns are the dataclass fields (``members`` a tuple).

        ``"assignments"`` is one row per planned organization: ``uscc``, ``outcome``
        (standalone / group / attachment / instructor) and ``ref`` (the group id, the 党组织
        code, the instructor, or the USCC itself for 单独组建).
        """
        if part == "assignments":
            return self.assignments()
        cls = _PARTS[part]
        columns = [f.name for f in fields(cls)]
        rows = [asdict(item) for item in getattr(self, part)]
        return pd.DataFrame(rows, columns=columns)

    def assignments(self) -> pd.DataFrame:
        rows: list[tuple[str, str, str]] = [(s.uscc, "standalone", s.uscc) for s in self.standalone]
        rows += [(u, "group", grp.group_id) for grp in self.groups for u in grp.members]
        rows += [(a.uscc, "attachment", a.party_org) for a in self.attachments]
        rows += [(i.uscc, "instructor", i.instructor) for i in self.instructors]
        return pd.DataFrame(rows, columns=["uscc", "outcome", "ref"])


def plan(g: nx.MultiDiGraph, params: Params | None = None) -> FormationPlan:
    """Give every uncovered organization in scope exactly one outcome, closest and most alike first.

    Policy (seed 003 组建方式, seed 001 §6, seed 002 工程一, domain.md "Formation"): an
    organization with ``standalone_min_members`` (3) or more formal members forms its own
    (单独组建, part i). Those with fewer but at least one are grouped with uncovered
    neighbours, "区域相近、就近方便", into proposed joint organizations of at least
    ``standalone_min_members`` formal members together and at most ``joint_max_orgs`` (5)
    organizations, never across a street (part ii). Each street is worked greedily, nearest
    first: same building (楼宇), then building leftovers join a joint branch *in that
    building* that has room (part iii, 楼宇共建); then same park, same chain segment, same
    chain, same 细分类别, same 行业门类, and finally the rest of the street. What is still left
    joins, in this order, a 龙头领建 organization of its chain in its street or park with
    room (龙头领建), a joint branch of its street with room (区域合建), or the street's
    街道两新综合党委 (兜底组建). A branch has room while it covers fewer than
    ``joint_max_orgs`` operating organizations and its members plus the newcomer's stay
    within ``branch_max_members``. Organizations with no formal member are put in no Party
    organization: like organizations of a street without a 综合党委 that nothing could take,
    they get a 党建指导员 (their own, else the least-loaded one already working in the street,
    else 待选派) and a target to develop members; 50+ staff (``big_org_staff``) should have
    members (seed 002), so the target there starts with 培养入党积极分子 (part iv).

    A group's mode is 楼宇共建 when its members share a building, 行业组建 when they share a
    细分类别, otherwise 区域合建. (龙头领建 is an attachment mode only: every member of a
    proposed group is uncovered with fewer than 3 members, so none has an organization that
    could lead; a lead's existing organization taking an organization in is an attachment.)

    Within a bucket organizations are packed largest first, each group topped up with the
    smallest that still lets it reach the threshold, so few members are wasted on one group.
    Groups are numbered ``NEW-<street>-<nn>`` in the order formed. The result is
    deterministic. Cost: one sort per street and level and ``joint_max_orgs`` steps per
    group, i.e. O(n log n) in the uncovered organizations, no pairwise comparison; existing
    branches wait in one heap per place, so each attachment costs O(log b) and looks at no
    more than 64 branches that cannot take it. 100,000 organizations: 0.4 s once
    :func:`org_table` is built; memoised per graph and parameters.
    """
    params = params or Params()
    return memoised(g, "plan", params.key(), lambda: _plan(g, params))


def _plan(g: nx.MultiDiGraph, params: Params) -> FormationPlan:
    orgs = org_table(g, params)
    todo = orgs[(orgs["in_scope"] & ~orgs["org_covered"]).to_numpy(dtype=bool)]
    planner = _Planner(g, orgs, params)
    need = params.standalone_min_members
    records = sorted(
        (_Org.of(row) for row in _rows(todo, _ORG_FIELDS)),
        key=lambda o: (o.street, -o.formal, -o.employees, o.uscc),
    )
    small: dict[str, list[_Org]] = {}
    for o in records:
        if o.formal >= need:
            planner.standalone.append(_standalone(o, params))
        elif o.formal > 0:
            small.setdefault(o.street, []).append(o)
        else:
            planner.instructor(o)
    for street in sorted(small):
        planner.street(small[street])
    planner.instructors.sort(key=lambda i: (i.street, i.uscc))
    return FormationPlan(
        standalone=tuple(planner.standalone),
        groups=tuple(planner.groups),
        attachments=tuple(planner.attachments),
        instructors=tuple(planner.instructors),
        rates=_rates(orgs, planner),
    )


# ---------------------------------------------------------------------------------------------
# Helpers


_BRANCH_LEVELS = (PartyLevel.BRANCH.value, PartyLevel.GENERAL_BRANCH.value)
_RATE_FLAGS = ["org_covered", "work_covered", "standalone"]


@dataclass
class _Org:
    """What the planner needs of one uncovered organization."""

    uscc: str
    name: str
    kind: str
    street: str
    street_name: str
    employees: int
    formal: int
    probationary: int = 0
    building: str | None = None
    building_name: str | None = None
    park: str | None = None
    park_name: str | None = None
    segment: str | None = None
    segment_name: str | None = None
    chain: str | None = None
    chain_name: str | None = None
    category: str | None = None
    industry: str | None = None
    instructor: str | None = None
    mass: bool = False  # a 群团 organization is present

    @classmethod
    def of(cls, row: dict[str, object]) -> _Org:
        """From one row of :func:`org_table` as a dict of plain values."""
        text = {k: _text(v) for k, v in row.items()}
        return cls(
            uscc=str(row["uscc"]),
            name=str(row["name"]),
            kind=str(row["org_kind"]),
            street=text["street"] or "",
            street_name=text["street_name"] or text["street"] or "",
            employees=int(row["employees"]),  # type: ignore[call-overload]
            formal=int(row["formal_members"]),  # type: ignore[call-overload]
            probationary=int(row["probationary_members"]),  # type: ignore[call-overload]
            building=text["building"],
            building_name=text["building_name"] or text["building"],
            park=text["park"],
            park_name=text["park_name"] or text["park"],
            segment=text["segment"],
            segment_name=text["segment_name"] or text["segment"],
            chain=text["chain"],
            chain_name=text["chain_name"] or text["chain"],
            category=text["category"],
            industry=text["industry"],
            instructor=text["instructor"],
            mass=any(text[f] is not None and bool(row[f]) for f in _MASS),
        )

    def key(self, level: str) -> str | None:
        return self.street if level == "street" else getattr(self, level)


_MASS = ("has_union", "has_youth_league", "has_womens_federation")
_ORG_FIELDS = (
    "uscc",
    "name",
    "org_kind",
    "street",
    "street_name",
    "employees",
    "formal_members",
    "probationary_members",
    "building",
    "building_name",
    "park",
    "park_name",
    "segment",
    "segment_name",
    "chain",
    "chain_name",
    "category",
    "industry",
    "instructor",
    *_MASS,
)


@dataclass
class _Branch:
    """An existing Party organization that may take organizations in, and its room left."""

    id: str
    name: str
    covers: int  # operating organizations covered
    members: int
    street: str | None
    building: str | None
    categories: frozenset[str] | None = None  # a 行业组建 branch takes its categories only
    version: int = 0  # how many organizations the plan has given it

    def fits(self, o: _Org, params: Params) -> bool:
        if self.categories is not None and o.category not in self.categories:
            return False
        return (
            self.covers + 1 <= params.joint_max_orgs
            and self.members + o.formal + o.probationary <= params.branch_max_members
        )

    def full(self, params: Params) -> bool:
        """No organization with a formal member can join any more."""
        return self.covers >= params.joint_max_orgs or self.members >= params.branch_max_members

    def take(self, o: _Org) -> None:
        self.covers += 1
        self.members += o.formal + o.probationary
        self.version += 1


_MAX_TRIES = 64
"""Branches that cannot take one organization looked at before giving up (bounds each pick)."""


class _Shelf:
    """The branches of one place, roomiest first: a heap with lazy updates.

    Roomiest is fewest organizations covered, then fewest members, then code. A branch that
    took an organization (its ``version`` moved on) is re-queued with its new room when its
    old entry comes up; full ones are dropped. Each pick costs O(log n), looking at most at
    ``_MAX_TRIES`` branches that do not fit (too many members for this one, other trade).
    """

    def __init__(self) -> None:
        self.heap: list[tuple[int, int, str, int, _Branch]] = []
        self.newest: dict[str, int] = {}  # branch code → version of its newest entry here

    def add(self, branch: _Branch) -> None:
        entry = (branch.covers, branch.members, branch.id, branch.version, branch)
        heapq.heappush(self.heap, entry)
        self.newest[branch.id] = branch.version

    def pick(self, o: _Org, params: Params) -> _Branch | None:
        tried: list[tuple[int, int, str, int, _Branch]] = []
        found = None
        while self.heap and len(tried) < _MAX_TRIES:
            entry = heapq.heappop(self.heap)
            branch = entry[-1]
            if entry[3] != branch.version:  # it has taken organizations since
                if self.newest[branch.id] == entry[3]:
                    self.add(branch)
                continue
            if branch.full(params):
                continue
            tried.append(entry)
            if branch.fits(o, params):
                found = branch
                break
        for entry in tried:
            heapq.heappush(self.heap, entry)
        return found


class _Planner:
    """The state of one planning run: existing organizations' room, instructors' load, output."""

    def __init__(self, g: nx.MultiDiGraph, orgs: pd.DataFrame, params: Params) -> None:
        self.g, self.params = g, params
        self.standalone: list[StandaloneProposal] = []
        self.groups: list[JointGroup] = []
        self.attachments: list[Attachment] = []
        self.instructors: list[InstructorAssignment] = []
        self._numbers: dict[str, int] = {}

        pos = party_org_table(g)
        joint = pos[
            (
                pos["is_liangxin"]
                & pos["is_joint"]
                & pos["level"].isin(_BRANCH_LEVELS)
                & (pos["type"] != PartyOrgType.STREET_COMPREHENSIVE)
            ).to_numpy(dtype=bool)
        ].sort_values("id")
        self.by_building: dict[str, _Shelf] = {}
        self.by_street: dict[str, _Shelf] = {}
        self.by_lead: dict[tuple[str, str], _Shelf] = {}  # (chain, street or park:<code>)
        lead_ids = set(joint.loc[joint["formation"] == FormationMode.LEAD, "id"])
        covered = orgs[orgs["party_org"].isin(lead_ids).to_numpy(dtype=bool)]
        lead_chains = covered.dropna(subset=["chain"]).groupby("party_org")["chain"].agg(set)
        lead_parks = covered.dropna(subset=["park"]).groupby("party_org")["park"].agg(frozenset)
        trade_ids = set(joint.loc[joint["formation"] == FormationMode.INDUSTRY, "id"])
        trade = orgs[orgs["party_org"].isin(trade_ids).to_numpy(dtype=bool)]
        trades = trade.dropna(subset=["category"]).groupby("party_org")["category"].agg(frozenset)
        branch_fields = ("id", "name", "covers_operating", "members", "street", "building")
        for row in _rows(joint, branch_fields):
            branch = _Branch(
                id=str(row["id"]),
                name=str(row["name"]),
                covers=int(row["covers_operating"]),  # type: ignore[call-overload]
                members=int(row["members"]),  # type: ignore[call-overload]
                street=_text(row["street"]),
                building=_text(row["building"]),
            )
            if branch.id in trade_ids:
                branch.categories = trades.get(branch.id, frozenset())
            if branch.id in lead_ids:  # a lead's organization takes in its chain only
                places = [f"park:{p}" for p in sorted(lead_parks.get(branch.id, frozenset()))]
                if branch.street is not None:
                    places.append(branch.street)
                for chain in sorted(lead_chains.get(branch.id, set())):
                    for place in places:
                        self.by_lead.setdefault((chain, place), _Shelf()).add(branch)
                continue
            if branch.building is not None:  # a building's branch is for that building
                self.by_building.setdefault(branch.building, _Shelf()).add(branch)
            elif branch.street is not None:
                self.by_street.setdefault(branch.street, _Shelf()).add(branch)

        fallback = pos[(pos["type"] == PartyOrgType.STREET_COMPREHENSIVE).to_numpy(dtype=bool)]
        fallback = fallback.dropna(subset=["street"]).sort_values("id")
        self.fallback: dict[str, tuple[str, str]] = {}
        for row in _rows(fallback, ("street", "id", "name")):
            self.fallback.setdefault(str(row["street"]), (str(row["id"]), str(row["name"])))

        guided = orgs.dropna(subset=["instructor"])
        load = {str(k): int(v) for k, v in guided["instructor"].value_counts().items()}
        self.street_instructors: dict[str, list[tuple[int, str]]] = {}
        pairs = guided[["street", "instructor"]].dropna().drop_duplicates()
        streets, codes = pairs["street"].tolist(), pairs["instructor"].tolist()
        for street, code in sorted(zip(streets, codes, strict=True)):
            self.street_instructors.setdefault(street, []).append((load[code], code))
        for heap in self.street_instructors.values():
            heapq.heapify(heap)

    # -- one street ----------------------------------------------------------------------------

    def street(self, pool: list[_Org]) -> None:
        """Groups level by level, building attachments after the building level, then the rest."""
        for level in GROUP_LEVELS:
            pool = self._group_level(pool, level)
            if level == "building":
                pool = [o for o in pool if not self._attach_in_building(o)]
        for o in pool:
            if not (self._attach_to_lead(o) or self._attach_in_street(o) or self._fall_back(o)):
                self.instructor(o)

    def _group_level(self, pool: list[_Org], level: str) -> list[_Org]:
        buckets: dict[str, list[_Org]] = {}
        for o in pool:
            key = o.key(level)
            if key is not None:
                buckets.setdefault(key, []).append(o)
        if not buckets:
            return pool
        placed: set[str] = set()
        need, cap = self.params.standalone_min_members, self.params.joint_max_orgs
        for key in sorted(buckets):
            for members in _pack(buckets[key], need, cap):
                self._new_group(members, level)
                placed.update(o.uscc for o in members)
        return [o for o in pool if o.uscc not in placed]

    def _new_group(self, members: list[_Org], level: str) -> None:
        members = sorted(members, key=_larger_first)
        first = members[0]
        n = self._numbers.get(first.street, 0) + 1
        self._numbers[first.street] = n
        formal = sum(o.formal for o in members)
        mode, why = _group_mode(members, level)
        p = self.params
        reason = (
            f"{why}，{len(members)}家组织正式党员合计{formal}名，达到{p.standalone_min_members}名，"
            f"可{mode}联合党支部（区域相近、就近方便，每个联合党支部不超过{p.joint_max_orgs}家）"
        )
        self.groups.append(
            JointGroup(
                group_id=f"NEW-{first.street}-{n:02d}",
                street=first.street,
                street_name=first.street_name,
                mode=mode.value,
                grouped_by=level,
                size=len(members),
                formal_members=formal,
                members=tuple(o.uscc for o in members),
                member_names=tuple(o.name for o in members),
                reason=reason,
            )
        )

    # -- attachments ---------------------------------------------------------------------------

    def _attach_in_building(self, o: _Org) -> bool:
        branch = self._pick(self.by_building, o.building, o)
        if branch is None:
            return False
        why = f"同在{o.building_name}，该楼宇的联合党组织{_room(branch)}，就近纳入"
        self._attach(o, branch, FormationMode.BUILDING, why)
        return True

    def _attach_to_lead(self, o: _Org) -> bool:
        if o.chain is None:
            return False
        branch = self._pick(self.by_lead, (o.chain, o.street), o)
        if branch is None and o.park is not None:
            branch = self._pick(self.by_lead, (o.chain, f"park:{o.park}"), o)
        if branch is None:
            return False
        why = f"同属{o.chain_name}产业链，由链上龙头企业党组织领建，该组织{_room(branch)}"
        self._attach(o, branch, FormationMode.LEAD, why)
        return True

    def _attach_in_street(self, o: _Org) -> bool:
        branch = self._pick(self.by_street, o.street, o)
        if branch is None:
            return False
        why = f"{o.street_name}内凑不足{self.params.standalone_min_members}名党员新建联合党支部，"
        if branch.categories is not None:  # only organizations of its trade reach it
            why += f"同为{o.category}，本街道的行业联合党组织{_room(branch)}，纳入"
            self._attach(o, branch, FormationMode.INDUSTRY, why)
            return True
        why += f"本街道联合党组织{_room(branch)}，就近纳入"
        self._attach(o, branch, FormationMode.AREA, why)
        return True

    def _fall_back(self, o: _Org) -> bool:
        committee = self.fallback.get(o.street)
        if committee is None:
            return False
        why = (
            f"{o.street_name}内凑不足{self.params.standalone_min_members}名党员"
            f"联合组建，也没有尚有余量的联合党组织，由街道两新综合党委兜底管理"
        )
        self._record(o, committee, FormationMode.FALLBACK, why)
        return True

    def _pick(self, shelves: dict[Any, _Shelf], key: object, o: _Org) -> _Branch | None:
        """The roomiest branch of one place that can take ``o``, if any."""
        shelf = shelves.get(key) if key is not None else None
        return None if shelf is None else shelf.pick(o, self.params)

    def _attach(self, o: _Org, branch: _Branch, mode: FormationMode, why: str) -> None:
        branch.take(o)
        self._record(o, (branch.id, branch.name), mode, why)

    def _record(self, o: _Org, party_org: tuple[str, str], mode: FormationMode, why: str) -> None:
        """Note ``o`` as taken in by ``party_org`` (code, name); ``why`` follows its members."""
        self.attachments.append(
            Attachment(
                uscc=o.uscc,
                name=o.name,
                street=o.street,
                street_name=o.street_name,
                formal_members=o.formal,
                party_org=party_org[0],
                party_org_name=party_org[1],
                mode=mode.value,
                reason=f"正式党员{o.formal}名，{why}",
            )
        )

    # -- instructors ---------------------------------------------------------------------------

    def instructor(self, o: _Org) -> None:
        p = self.params
        if o.instructor is not None:
            code, how = o.instructor, "继续由现有党建指导员指导"
        else:
            code = self._least_loaded(o.street)
            if code == UNASSIGNED_INSTRUCTOR:
                how = "本街道尚无党建指导员，需选派党建指导员"
            else:
                how = "选派本街道的党建指导员（当前指导组织最少者）"
        name = None
        if code != UNASSIGNED_INSTRUCTOR:
            name = self.g.nodes.get(node_id(NodeKind.INSTRUCTOR, code), {}).get("name")
        if o.formal == 0:
            develop = 1
            why = "暂无正式党员，不具备组建党组织的条件"
            target = f"发展党员至少{develop}名"
            if o.employees >= p.big_org_staff:
                target = f"培养入党积极分子，{target}（从业人员{p.big_org_staff}人以上应有党员）"
        else:
            develop = p.standalone_min_members - o.formal
            why = (
                f"正式党员{o.formal}名，{o.street_name}内凑不足{p.standalone_min_members}名联合组建，"
                "且没有可纳入的党组织（无余量的联合党组织，也无街道两新综合党委）"
            )
            target = f"发展党员{develop}名，达到{p.standalone_min_members}名后单独组建党组织"
        if not o.mass:
            target += "；建立工会、共青团等群团组织"
        self.instructors.append(
            InstructorAssignment(
                uscc=o.uscc,
                name=o.name,
                street=o.street,
                street_name=o.street_name,
                employees=o.employees,
                formal_members=o.formal,
                instructor=code,
                instructor_name=name,
                develop_members=develop,
                target=target,
                reason=f"{why}；{how}，实现党的工作覆盖（派驻帮建）",
            )
        )

    def _least_loaded(self, street: str) -> str:
        """The street's instructor guiding fewest organizations (then code); counts the new one."""
        heap = self.street_instructors.get(street)
        if not heap:
            return UNASSIGNED_INSTRUCTOR
        load, code = heap[0]
        heapq.heapreplace(heap, (load + 1, code))
        return code


def _pack(bucket: list[_Org], need: int, cap: int) -> list[list[_Org]]:
    """Greedy bin covering: groups of at most ``cap`` whose formal members reach ``need``.

    Largest first; each group is topped up with the smallest remaining organization as long
    as the group can still reach ``need`` with the largest ones in its free places, else with
    the largest. Remaining organizations stay a contiguous run of the sorted list ``[i, j)``,
    so each step costs at most ``cap``.
    """
    items = sorted(bucket, key=_larger_first)
    i, j = 0, len(items)
    groups: list[list[_Org]] = []
    while i < j and sum(o.formal for o in items[i : min(i + cap, j)]) >= need:
        group, total = [items[i]], items[i].formal
        i += 1
        while total < need:
            free = cap - len(group)
            best_rest = sum(o.formal for o in items[i : min(i + free - 1, j - 1)])
            if total + items[j - 1].formal + best_rest >= need:
                j -= 1
                pick = items[j]
            else:
                pick = items[i]
                i += 1
            group.append(pick)
            total += pick.formal
        groups.append(group)
    return groups


def _larger_first(o: _Org) -> tuple[int, int, str]:
    return -o.formal, -o.employees, o.uscc


def _group_mode(members: list[_Org], level: str) -> tuple[FormationMode, str]:
    first = members[0]
    buildings = {o.building for o in members}
    categories = {o.category for o in members}
    where = _WHERE[level](first)
    if len(buildings) == 1 and first.building is not None:
        return FormationMode.BUILDING, where
    if len(categories) == 1 and first.category is not None:
        if level != "category":
            where += f"，且同为{first.category}"
        return FormationMode.INDUSTRY, where
    return FormationMode.AREA, where


_WHERE: dict[str, Callable[[_Org], str]] = {
    "building": lambda o: f"同在{o.building_name}",
    "park": lambda o: f"同在{o.park_name}",
    "segment": lambda o: f"同属{o.chain_name}产业链{o.segment_name}环节",
    "chain": lambda o: f"同属{o.chain_name}产业链",
    "category": lambda o: f"同为{o.category}",
    "industry": lambda o: f"同属{INDUSTRY_SECTIONS.get(o.industry or '', o.industry)}",
    "street": lambda o: f"同在{o.street_name}",
}


def _room(branch: _Branch) -> str:
    return f"“{branch.name}”现覆盖{branch.covers}家、党员{branch.members}名，尚有余量"


def _standalone(o: _Org, params: Params) -> StandaloneProposal:
    level = PartyLevel.BRANCH
    if o.formal >= params.branch_max_members:
        level = PartyLevel.GENERAL_BRANCH
    reason = f"正式党员{o.formal}名，达到{params.standalone_min_members}名以上，应单独组建{level}"
    if o.formal >= params.branch_committee_members:
        reason += f"；正式党员{params.branch_committee_members}名以上，应设立支部委员会"
    return StandaloneProposal(
        uscc=o.uscc,
        name=o.name,
        kind=o.kind,
        street=o.street,
        street_name=o.street_name,
        employees=o.employees,
        formal_members=o.formal,
        level=level.value,
        reason=reason,
    )


def _rows(frame: pd.DataFrame, columns: Iterable[str]) -> Iterator[dict[str, object]]:
    """The rows as dicts of plain values (iterating Arrow-backed columns cell by cell is slow)."""
    columns = list(columns)
    values = [frame[c].tolist() for c in columns]
    for row in zip(*values, strict=True):
        yield dict(zip(columns, row, strict=True))


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or value != value:
        return None
    return str(value)


def _kind_counts(scope: pd.DataFrame) -> pd.DataFrame:
    """``coverage(by="kind")``'s counts and rates from an org table already cut to the scope."""
    return count_coverage(scope, "kind")


def _rates(orgs: pd.DataFrame, planner: _Planner) -> pd.DataFrame:
    """Today's headline rows beside those after the plan (new coverage flags, same counting)."""
    scope = orgs[orgs["in_scope"].to_numpy(dtype=bool)]
    now = _kind_counts(scope)
    own = {s.uscc for s in planner.standalone}
    joined = {u for grp in planner.groups for u in grp.members}
    joined |= {a.uscc for a in planner.attachments}
    guided = {i.uscc for i in planner.instructors}
    after_flags = scope[["org_kind", "formal_members", *_RATE_FLAGS]].copy()
    uscc = scope["uscc"].tolist()
    covered = np.fromiter((u in own or u in joined for u in uscc), dtype=bool, count=len(uscc))
    alone = np.fromiter((u in own for u in uscc), dtype=bool, count=len(uscc))
    instructed = np.fromiter((u in guided for u in uscc), dtype=bool, count=len(uscc))
    after_flags["org_covered"] = scope["org_covered"].to_numpy(dtype=bool) | covered
    after_flags["standalone"] = scope["standalone"].to_numpy(dtype=bool) | alone
    work = scope["work_covered"].to_numpy(dtype=bool)
    after_flags["work_covered"] = work | covered | instructed
    after = _kind_counts(after_flags)
    return pd.DataFrame(
        {
            "kind": now["kind"],
            "total": now["total"],
            "org_covered_now": now["org_covered"],
            "org_rate_now": now["org_rate"],
            "org_covered_after": after["org_covered"],
            "org_rate_after": after["org_rate"],
            "work_rate_now": now["work_rate"],
            "work_rate_after": after["work_rate"],
            "standalone_rate_now": now["standalone_rate"],
            "standalone_rate_after": after["standalone_rate"],
        }
    )
