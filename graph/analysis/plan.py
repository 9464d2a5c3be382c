"""One joint-formation plan (组建规划) for the whole area, and the rates it would give."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from graph.analysis.common import Params, memoised, org_table, party_org_table, shared_value
from graph.analysis.coverage import count_coverage
from graph.analysis.leads import lead_organizations, supply_partners
from graph.analysis.packing import BOND_LEVELS, Item, Placement, Pool, Taker, solve
from graph.analysis.rules import (
    JOINT_TAKER_TYPES,
    NOT_JOINT_FORMATIONS,
    formation_level,
    joinable,
    room_members,
    room_orgs,
    standalone_eligible,
    weak_lax_ids,
)
from graph.model import (
    INDUSTRY_SECTIONS,
    FormationMode,
    NodeKind,
    PartyLevel,
    PartyOrgType,
    node_id,
)

__all__ = [
    "GROUP_LEVELS",
    "UNASSIGNED_INSTRUCTOR",
    "Attachment",
    "FormationPlan",
    "InstructorAssignment",
    "JointGroup",
    "SolverSummary",
    "Split",
    "StandaloneProposal",
    "plan",
    "split_lines",
    "split_parts_joined",
]

UNASSIGNED_INSTRUCTOR = "待选派"
"""The instructor of an organization in a street where no 党建指导员 works yet."""

GROUP_LEVELS: tuple[str, ...] = BOND_LEVELS
"""How near and alike a proposed group's members are, closest first (``grouped_by``)."""

SOLVER_LIMIT = 2.0
"""CP-SAT's deterministic time limit per pool (about seconds; the same answer everywhere)."""

Part = Literal["standalone", "groups", "attachments", "instructors", "splits", "assignments"]


@dataclass(frozen=True)
class StandaloneProposal:
    """(i) An organization with enough formal members to form its own (单独组建).

    Uncovered today, or (``from_party_org`` set) covered by a joint Party organization it
    should leave to form its own (应建尽建).
    """

    uscc: str
    name: str
    kind: str
    street: str
    street_name: str
    employees: int
    formal_members: int
    level: str  # 党支部; 党总支 from 50, 党委 from 100 formal members
    reason: str
    from_party_org: str | None = None
    from_party_org_name: str | None = None


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
    mode: str  # 楼宇共建 / 龙头领建 / 区域合建 / 行业组建 / 兜底组建
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


@dataclass(frozen=True)
class Split:
    """(v) A joint Party organization covering more than ``joint_max_orgs`` organizations,
    split into smaller ones (划小组建单元, seed 001 §6); the first part keeps the old one."""

    party_org: str
    party_org_name: str
    street: str | None
    street_name: str | None
    covers: int  # 正常 organizations it covers after 3+ member ones left to form their own
    parts: tuple[tuple[str, ...], ...]  # USCCs of each part
    part_names: tuple[tuple[str, ...], ...]
    reason: str


def split_lines(part_names: Iterable[Iterable[str]]) -> list[str]:
    """A split's parts as planners read them: “第1组：甲、乙、丙”, one line per part."""
    return [f"第{n}组：{'、'.join(names)}" for n, names in enumerate(part_names, 1)]


def split_parts_joined(splits: pd.DataFrame) -> pd.DataFrame:
    """A plan's ``splits`` table with each split's parts as one text, as the command line and
    the web page show it: “第1组：甲、乙；第2组：丙、丁”."""
    return splits.assign(part_names=["；".join(split_lines(p)) for p in splits["part_names"]])


@dataclass(frozen=True)
class SolverSummary:
    """How the plan was found: pools solved to proven optimality, or the greedy fallback."""

    pools: int  # independent pools (a street, or streets joined by a park)
    optimal: int  # solved and proven optimal
    limited: int  # the time limit was hit: best answer found kept (at least the greedy one)
    greedy: int  # the solver found nothing in time: the greedy answer
    largest: int  # organizations in the largest pool

    @property
    def note(self) -> str:
        """What a planner is told about how exact the plan is (Chinese)."""
        if self.pools == 0:
            return "没有需要联合组建的组织。"
        text = f"方案按精确求解得出：{self.pools} 个片区中 {self.optimal} 个已证明为最优"
        if self.limited or self.greedy:
            text += (
                f"；{self.limited + self.greedy} 个在求解时限内未能证明最优"
                f"（其中 {self.greedy} 个采用逐级就近的贪心方案），结果不差于贪心方案"
            )
        return text + "。"


_PARTS: dict[str, type] = {
    "standalone": StandaloneProposal,
    "groups": JointGroup,
    "attachments": Attachment,
    "instructors": InstructorAssignment,
    "splits": Split,
}


@dataclass(frozen=True)
class FormationPlan:
    """The plan: each uncovered in-scope organization appears in exactly one of the four
    outcome parts; ``standalone`` also lists covered organizations that should leave a joint
    organization, and ``splits`` the joint organizations to divide.

    ``rates`` holds the two headline rows (非公企业, 社会组织) of ``coverage(by="kind")`` today
    and after the plan is carried out.
    """

    standalone: tuple[StandaloneProposal, ...]
    groups: tuple[JointGroup, ...]
    attachments: tuple[Attachment, ...]
    instructors: tuple[InstructorAssignment, ...]
    rates: pd.DataFrame = field(compare=False, repr=False)
    splits: tuple[Split, ...] = ()
    solver: SolverSummary = field(default_factory=lambda: SolverSummary(0, 0, 0, 0, 0))

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
    """Give every uncovered organization in scope one outcome, covering as many as possible.

    Policy (seed 003 组建方式, seed 001 §6, seed 002 工程一, domain.md "Formation"):

    (i) an organization with ``standalone_min_members`` (3) or more formal members forms its
    own (单独组建) at the level its members call for (:func:`~graph.analysis.rules.
    formation_level`); one that sits in a joint organization today leaves it to form its own
    (应建尽建), unless those left behind would no longer make a joint organization (fewer than
    two organizations or 3 formal members), in which case the one with fewest formal members
    stays with them.

    (ii)–(iii) those with 1 or 2 formal members are placed by an exact optimisation per pool
    (a street, or the streets a park spans; :mod:`graph.analysis.packing`): new joint groups of
    2–5 organizations sharing a building, park, or within the street a segment, chain,
    细分类别, 行业门类 or just the street, with 3+ formal members together; or an existing
    Party organization with room: a joint branch of their building, a joint branch of their
    street (a 行业 one only for its trade), a lead enterprise's own organization of their chain
    in their street or park (龙头领建, at any level); or the street's 两新综合党委 (兜底组建).
    It maximises organizations covered, then covers as few as possible by 兜底, then forms the
    fewest new organizations, then keeps them closest. Takers that are 软弱涣散 take no one
    (they are to be rectified first); room is ``joint_max_orgs`` organizations at any level
    and ``branch_max_members`` members for a 党支部.

    (iv) organizations with no formal member, and those nothing can take in, get a
    党建指导员 (their own, else the least-loaded one already working in the street, else
    待选派) and a target to develop members (50+ staff should have members, seed 002).

    (v) a joint organization covering more than ``joint_max_orgs`` organizations (after (i))
    is split into parts of at most that many, each with 3+ formal members where possible.

    Groups are numbered ``NEW-<street>-<nn>`` (the commonest street of the members). The
    result is deterministic (the solver runs on one worker with a deterministic time limit).
    ``solver`` tells how many pools were proven optimal. Memoised per graph and parameters.
    """
    params = params or Params()
    return memoised(g, "plan", params.key(), lambda: _plan(g, params))


def _plan(g: nx.MultiDiGraph, params: Params) -> FormationPlan:
    orgs = org_table(g, params)
    builder = _Builder(g, orgs, params)
    todo = orgs[(orgs["in_scope"] & ~orgs["org_covered"]).to_numpy(dtype=bool)]
    records = sorted(
        (_Org.of(row) for row in _rows(todo, _ORG_FIELDS)),
        key=lambda o: (o.street, -o.formal, -o.employees, o.uscc),
    )
    small: list[_Org] = []
    for o in records:
        if standalone_eligible(o.formal, params):
            builder.standalone.append(_standalone(o, params))
        elif joinable(o.formal, params):
            small.append(o)
        else:
            builder.instructor(o)
    builder.separate()
    builder.place(small)
    builder.split()
    builder.instructors.sort(key=lambda i: (i.street, i.uscc))
    builder.standalone.sort(key=lambda s: (s.from_party_org is not None, s.street, s.uscc))
    return FormationPlan(
        standalone=tuple(builder.standalone),
        groups=tuple(builder.groups),
        attachments=tuple(builder.attachments),
        instructors=tuple(builder.instructors),
        rates=_rates(orgs, builder),
        splits=tuple(builder.splits),
        solver=builder.summary(),
    )


# ---------------------------------------------------------------------------------------------
# Helpers


_RATE_FLAGS = ["org_covered", "work_covered", "standalone"]
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
class _Org:
    """What the planner needs of one organization."""

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

    @property
    def people(self) -> int:
        return self.formal + self.probationary

    def bonds(self) -> tuple[tuple[int, str], ...]:
        """What it shares with others (packing's bonds), closest first; the keys of the
        levels below park are taken within its street (groups never cross a street but in a
        park)."""
        s = self.street
        found = [
            (0, self.building),
            (1, self.park),
            (2, self.segment and f"{s}:{self.segment}"),
            (3, self.chain and f"{s}:{self.chain}"),
            (4, self.category and f"{s}:{self.category}"),
            (5, self.industry and f"{s}:{self.industry}"),
            (6, s),
        ]
        return tuple((rank, key) for rank, key in found if key)

    def places(self) -> list[tuple[str, ...]]:
        """Index keys of the takers that may take it: its building, its street, its chain in
        its street and in its park (each taker's ``may_take`` then decides)."""
        keys: list[tuple[str, ...]] = [("street", self.street)]
        if self.building is not None:
            keys.append(("building", self.building))
        if self.chain is not None:
            keys.append(("chain-street", self.chain, self.street))
            if self.park is not None:
                keys.append(("chain-park", self.chain, self.park))
        return keys

    def item(self, fallback: bool) -> Item:
        return Item(self.uscc, self.formal, self.people, self.bonds(), fallback)


@dataclass
class _Taker:
    """An existing Party organization that may take organizations in, and whom."""

    id: str
    name: str
    kind: Literal["building", "street", "trade", "lead"]
    level: str | None
    covers: int  # 正常 organizations covered (after 3+ member ones leave, see separate)
    members: int
    street: str | None
    building: str | None = None
    categories: frozenset[str] = frozenset()  # a 行业组建 branch takes its trade only
    chain: str | None = None  # a lead's chain
    chain_name: str | None = None
    park: str | None = None  # a lead's park
    suppliers: frozenset[str] = frozenset()  # a lead's supply partners (上下游配套), anywhere
    rank: int = 6

    def may_take(self, o: _Org) -> bool:
        if self.kind == "building":
            return o.building is not None and o.building == self.building
        if self.kind == "street":
            return o.street == self.street
        if self.kind == "trade":
            return o.street == self.street and o.category in self.categories
        if o.uscc in self.suppliers:
            return True
        same_place = o.street == self.street or (o.park is not None and o.park == self.park)
        return o.chain is not None and o.chain == self.chain and same_place

    def places(self) -> list[tuple[str, ...]]:
        """The index keys of the organizations it may take (see ``_Org.places``)."""
        if self.kind == "building":
            return [("building", self.building or "")]
        if self.kind in ("street", "trade"):
            return [("street", self.street or "")]
        keys: list[tuple[str, ...]] = [("chain-street", self.chain or "", self.street or "")]
        if self.park is not None:
            keys.append(("chain-park", self.chain or "", self.park))
        return keys

    def taker(self, eligible: Iterable[str], params: Params) -> Taker:
        return Taker(
            self.id,
            self.rank,
            room_orgs(self.covers, params),
            room_members(self.level, self.members, params),
            frozenset(eligible),
        )


_TAKER_RANK = {"building": 0, "lead": 3, "trade": 4, "street": 6}
_TAKER_MODE = {
    "building": FormationMode.BUILDING,
    "lead": FormationMode.LEAD,
    "trade": FormationMode.INDUSTRY,
    "street": FormationMode.AREA,
}


class _Builder:
    """The state of one planning run: the takers, instructors' load and the output."""

    def __init__(self, g: nx.MultiDiGraph, orgs: pd.DataFrame, params: Params) -> None:
        self.g, self.orgs, self.params = g, orgs, params
        self.standalone: list[StandaloneProposal] = []
        self.groups: list[JointGroup] = []
        self.attachments: list[Attachment] = []
        self.instructors: list[InstructorAssignment] = []
        self.splits: list[Split] = []
        self.outcomes: list[Placement] = []
        self.pool_sizes: list[int] = []
        self.moved: set[str] = set()  # covered organizations leaving to form their own
        self._numbers: dict[str, int] = {}

        pos = party_org_table(g)
        self.pos = pos.set_index(pos["id"].rename(None))
        self.weak = weak_lax_ids(g, params)
        self.fallback: dict[str, tuple[str, str]] = {}
        committees = pos[(pos["type"] == PartyOrgType.STREET_COMPREHENSIVE).to_numpy(dtype=bool)]
        for row in _rows(
            committees.dropna(subset=["street"]).sort_values("id"), ("street", "id", "name")
        ):
            if row["id"] not in self.weak:
                self.fallback.setdefault(str(row["street"]), (str(row["id"]), str(row["name"])))
        self._instructor_heaps()

    # -- (i) leaving a joint organization to form one's own --------------------------------

    def separate(self) -> None:
        """Covered 3+ member organizations in scope that are not on their own move out, as
        long as those left behind still make a joint organization."""
        o = self.orgs
        p = self.params
        operating = o[o["operating"].to_numpy(dtype=bool)]
        not_own = operating[
            ~operating["standalone"].to_numpy(dtype=bool)
            & operating["party_org"].notna().to_numpy(dtype=bool)
        ]
        big = not_own[
            (not_own["formal_members"] >= p.standalone_min_members).to_numpy(dtype=bool)
            & not_own["in_scope"].to_numpy(dtype=bool)
        ]
        if big.empty:
            return
        committee = set(self.pos.index[self.pos["type"] == PartyOrgType.STREET_COMPREHENSIVE])
        members = operating[operating["party_org"].isin(set(big["party_org"])).to_numpy(dtype=bool)]
        for party_org, covered in members.groupby("party_org", sort=True):
            leaving = covered[covered["uscc"].isin(set(big["uscc"])).to_numpy(dtype=bool)]
            staying = covered[~covered["uscc"].isin(set(leaving["uscc"])).to_numpy(dtype=bool)]
            viable = staying.empty or (
                len(staying) >= 2 and staying["formal_members"].sum() >= p.standalone_min_members
            )
            if party_org not in committee and not viable:
                keep = leaving.sort_values(["formal_members", "uscc"]).index[0]
                leaving = leaving.drop(index=keep)
            name = (
                str(self.pos.at[party_org, "name"])
                if party_org in self.pos.index
                else str(party_org)
            )
            for row in _rows(leaving.sort_values("uscc"), _ORG_FIELDS):
                org = _Org.of(row)
                self.moved.add(org.uscc)
                proposal = _standalone(org, p, joint=name)
                self.standalone.append(
                    replace(proposal, from_party_org=str(party_org), from_party_org_name=name)
                )

    # -- (ii)–(iii) the exact placement of organizations with 1–2 formal members -----------

    def place(self, small: list[_Org]) -> None:
        by_key = {o.uscc: o for o in small}
        takers = self._takers()
        index: dict[tuple[str, ...], list[_Taker]] = {}  # the places a taker serves
        for t in takers.values():
            for place in t.places():
                index.setdefault(place, []).append(t)
        eligible: dict[str, set[str]] = {}
        for t in takers.values():  # a lead takes in its supply partners wherever they are
            if t.suppliers & by_key.keys():
                eligible[t.id] = set(t.suppliers & by_key.keys())
        for o in small:
            for place in o.places():
                for t in index.get(place, ()):
                    if t.may_take(o):
                        eligible.setdefault(t.id, set()).add(o.uscc)
        # pools: a street, or streets joined by a park an organization sits in. A taker that
        # reaches several pools (a lead's supply partners elsewhere) offers each, in pool
        # order, the room the pools before have left it.
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for o in small:
            root = find(o.street)
            if o.park is not None:
                other = find(f"park:{o.park}")
                if other != root:
                    parent[max(root, other)] = min(root, other)
        pools: dict[str, list[_Org]] = {}
        for o in small:
            pools.setdefault(find(o.street), []).append(o)
        reach: dict[str, dict[str, list[str]]] = {}  # pool → taker → its items there
        for tid in sorted(eligible):
            for u in sorted(eligible[tid]):
                reach.setdefault(find(by_key[u].street), {}).setdefault(tid, []).append(u)
        for root in sorted(pools):
            members = sorted(pools[root], key=lambda o: o.uscc)
            here = [
                takers[tid].taker(us, self.params)
                for tid, us in sorted(reach.get(root, {}).items())
            ]
            pool = Pool(
                tuple(o.item(o.street in self.fallback) for o in members),
                tuple(t for t in here if t.room_orgs > 0 and t.room_people > 0),
            )
            placement = solve(pool, self.params, time_limit=SOLVER_LIMIT)
            self.outcomes.append(placement)
            self.pool_sizes.append(len(members))
            self._record(placement, members, by_key, takers)

    def _takers(self) -> dict[str, _Taker]:
        """The existing Party organizations that may take organizations in (healthy ones)."""
        pos, orgs, p = self.pos, self.orgs, self.params
        moved_out = orgs[orgs["uscc"].isin(self.moved).to_numpy(dtype=bool)]
        leaving = moved_out.groupby("party_org").size()
        found: dict[str, _Taker] = {}
        joint = pos[
            (
                pos["is_joint"]
                & pos["type"].isin(JOINT_TAKER_TYPES)
                & ~pos["formation"].isin(NOT_JOINT_FORMATIONS)
            ).to_numpy(dtype=bool)
        ].sort_values("id")
        # where its row names no building or street, a branch serves the one all of its
        # organizations share (as partners describes it)
        covered = orgs[orgs["operating"].to_numpy(dtype=bool)]
        covered = covered[covered["party_org"].isin(set(joint["id"])).to_numpy(dtype=bool)]
        joint = joint.copy()
        for place in ("building", "street"):
            shared = covered.groupby("party_org")[place].agg(shared_value)
            joint[place] = joint[place].where(joint[place].notna(), joint["id"].map(shared))
        trade_ids = set(joint.loc[joint["formation"] == FormationMode.INDUSTRY, "id"])
        trade = orgs[orgs["party_org"].isin(trade_ids).to_numpy(dtype=bool)]
        trades = trade.dropna(subset=["category"]).groupby("party_org")["category"].agg(frozenset)
        for row in _rows(
            joint, ("id", "name", "level", "covers_operating", "members", "street", "building")
        ):
            code = str(row["id"])
            if code in self.weak:
                continue
            building, street = _text(row["building"]), _text(row["street"])
            if code in trade_ids:
                kind = "trade"
            elif building is not None:
                kind = "building"
            elif street is not None:
                kind = "street"
            else:
                continue
            found[code] = _Taker(
                id=code,
                name=str(row["name"]),
                kind=kind,  # type: ignore[arg-type]
                level=_text(row["level"]),
                covers=int(row["covers_operating"]) - int(leaving.get(code, 0)),  # type: ignore[call-overload]
                members=int(row["members"]),  # type: ignore[call-overload]
                street=street,
                building=building,
                categories=trades.get(code, frozenset()),
                rank=_TAKER_RANK[kind],
            )
        leads = lead_organizations(self.g, p)
        for row in _rows(
            leads,
            (
                "uscc",
                "party_org",
                "party_org_name",
                "level",
                "members",
                "covers_operating",
                "street",
                "park",
                "chain",
                "chain_name",
            ),
        ):
            code = str(row["party_org"])
            if code in self.weak or code in found:
                continue
            found[code] = _Taker(
                id=code,
                name=str(row["party_org_name"]),
                kind="lead",
                level=_text(row["level"]),
                covers=int(row["covers_operating"]) - int(leaving.get(code, 0)),  # type: ignore[call-overload]
                members=int(row["members"]),  # type: ignore[call-overload]
                street=_text(row["street"]),
                chain=_text(row["chain"]),
                chain_name=_text(row["chain_name"]),
                park=_text(row["park"]),
                suppliers=frozenset(supply_partners(self.g, str(row["uscc"]))),
                rank=_TAKER_RANK["lead"],
            )
        return found

    def _record(
        self,
        placement: Placement,
        pool_orgs: list[_Org],
        by_key: dict[str, _Org],
        takers: dict[str, _Taker],
    ) -> None:
        """The outcomes of one solved pool; what it leaves uncovered gets an instructor."""
        p = self.params
        placed: set[str] = set()
        for bond, keys in placement.groups:
            members = sorted((by_key[k] for k in keys), key=_larger_first)
            placed.update(keys)
            self._new_group(members, GROUP_LEVELS[bond[0]])
        for key, tid in placement.attached:
            o, t = by_key[key], takers[tid]
            placed.add(key)
            self._attach(o, t)
        for key in placement.fallback:
            o = by_key[key]
            placed.add(key)
            committee = self.fallback[o.street]
            why = (
                f"{o.street_name}内无法与其他组织凑足{p.standalone_min_members}名党员联合组建，"
                f"也没有尚有余量的党组织可以纳入，由街道两新综合党委兜底管理"
            )
            self._add_attachment(o, committee, FormationMode.FALLBACK, why)
        for o in sorted((o for o in pool_orgs if o.uscc not in placed), key=lambda o: o.uscc):
            self.instructor(o, exact=placement.optimal)

    def _new_group(self, members: list[_Org], level: str) -> None:
        street, street_name = _commonest_street(members)
        n = self._numbers.get(street, 0) + 1
        self._numbers[street] = n
        formal = sum(o.formal for o in members)
        mode, why = _group_mode(members, level)
        p = self.params
        if len({o.street for o in members}) > 1:
            why += "（跨街道，园区内区域合建）"
        reason = (
            f"{why}，{len(members)}家组织正式党员合计{formal}名，达到{p.standalone_min_members}名，"
            f"可{mode}联合党支部（区域相近、就近方便，每个联合党支部不超过{p.joint_max_orgs}家）"
        )
        self.groups.append(
            JointGroup(
                group_id=f"NEW-{street}-{n:02d}",
                street=street,
                street_name=street_name,
                mode=mode.value,
                grouped_by=level,
                size=len(members),
                formal_members=formal,
                members=tuple(o.uscc for o in members),
                member_names=tuple(o.name for o in members),
                reason=reason,
            )
        )

    def _attach(self, o: _Org, t: _Taker) -> None:
        room = (
            f"“{t.name}”现覆盖{t.covers}家组织（上限{self.params.joint_max_orgs}家）"
            + (f"、党员{t.members}名" if t.level == PartyLevel.BRANCH else "")
            + "，尚有余量"
        )
        if t.kind == "building":
            why = f"同在{o.building_name}，该楼宇的联合党组织{room}，就近纳入"
        elif t.kind == "lead" and o.uscc in t.suppliers:
            why = f"与龙头企业有上下游配套关系，由龙头企业党组织领建，{room}"
        elif t.kind == "lead":
            where = (
                "同园区"
                if o.park is not None and o.park == t.park and o.street != t.street
                else "同街道"
            )
            why = f"{where}、同属{o.chain_name}产业链，由链上龙头企业党组织领建，{room}"
        elif t.kind == "trade":
            why = f"同为{o.category}，本街道的行业联合党组织{room}，纳入"
        else:
            why = f"本街道联合党组织{room}，就近纳入"
        t.covers += 1
        t.members += o.people
        self._add_attachment(o, (t.id, t.name), _TAKER_MODE[t.kind], why)

    def _add_attachment(
        self, o: _Org, party_org: tuple[str, str], mode: FormationMode, why: str
    ) -> None:
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

    # -- (iv) instructors --------------------------------------------------------------------

    def _instructor_heaps(self) -> None:
        orgs = self.orgs
        guided = orgs.dropna(subset=["instructor"])
        load = {str(k): int(v) for k, v in guided["instructor"].value_counts().items()}
        self.street_instructors: dict[str, list[tuple[int, str]]] = {}
        pairs = guided[["street", "instructor"]].dropna().drop_duplicates()
        streets, codes = pairs["street"].tolist(), pairs["instructor"].tolist()
        for street, code in sorted(zip(streets, codes, strict=True)):
            self.street_instructors.setdefault(street, []).append((load[code], code))
        for heap in self.street_instructors.values():
            heapq.heapify(heap)

    def instructor(self, o: _Org, *, exact: bool = True) -> None:
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
            if o.employees >= p.big_org_staff and o.probationary == 0:
                target = f"培养入党积极分子，{target}（从业人员{p.big_org_staff}人以上应有党员）"
            elif o.probationary:
                target = f"预备党员{o.probationary}名按期转正，{target}"
        else:
            develop = p.standalone_min_members - o.formal
            place = o.street_name + (f"及{o.park_name}" if o.park_name else "")
            why = (
                f"正式党员{o.formal}名；{place}内其余可联合的组织都已编入联合组建或纳入现有党组织"
                f"{'（方案已证明最优）' if exact else ''}，本组织无法再与其他组织凑足"
                f"{p.standalone_min_members}名党员，附近也没有尚有余量的党组织、没有可兜底的街道两新综合党委"
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

    # -- (v) splitting oversized joint organizations ----------------------------------------

    def split(self) -> None:
        """Joint organizations covering more than ``joint_max_orgs`` 正常 organizations (after
        the 3+ member ones left) are divided: their members are packed exactly like uncovered
        ones into parts of at most ``joint_max_orgs`` with 3+ formal members; members no part
        can use (no formal member) fill free places; what still has no place stays in the
        first part, which keeps the old organization. A joint organization whose members
        cannot make two parts of 3+ formal members is not split (``flags`` still lists it as
        oversized: it needs members developed first)."""
        p, orgs = self.params, self.orgs
        joint = self.pos[
            (
                self.pos["is_joint"] & (self.pos["type"] != PartyOrgType.STREET_COMPREHENSIVE)
            ).to_numpy(dtype=bool)
        ]
        operating = orgs[
            orgs["operating"].to_numpy(dtype=bool)
            & orgs["party_org"].isin(set(joint.index)).to_numpy(dtype=bool)
        ]
        operating = operating[~operating["uscc"].isin(self.moved).to_numpy(dtype=bool)]
        counts = operating["party_org"].value_counts()
        oversized = set(counts.index[counts > p.joint_max_orgs])
        operating = operating[operating["party_org"].isin(oversized).to_numpy(dtype=bool)]
        for party_org, covered in operating.groupby("party_org", sort=True):
            members = [_Org.of(row) for row in _rows(covered.sort_values("uscc"), _ORG_FIELDS)]
            by_key = {o.uscc: o for o in members}
            pool = Pool(tuple(o.item(False) for o in members if joinable(o.formal, p)))
            placement = solve(pool, p, time_limit=SOLVER_LIMIT)
            parts = [
                sorted((by_key[k] for k in keys), key=_larger_first) for _, keys in placement.groups
            ]
            parts.sort(key=lambda part: (-len(part), part[0].uscc))
            placed = {o.uscc for part in parts for o in part}
            rest = sorted((o for o in members if o.uscc not in placed), key=_larger_first)
            for part in parts:
                while rest and len(part) < p.joint_max_orgs:
                    part.append(rest.pop(0))
            if len(parts) < 2:
                continue  # no two parts reach 3 formal members: cannot be split (still flagged)
            parts[0].extend(rest)
            name = str(self.pos.at[party_org, "name"])
            street = _text(self.pos.at[party_org, "street"])
            street_name = _text(self.pos.at[party_org, "street_name"])
            reason = (
                f"“{name}”联合覆盖{len(members)}家组织，超过{p.joint_max_orgs}家，应划小组建单元："
                f"拆分为{len(parts)}个，每个不超过{p.joint_max_orgs}家"
            )
            if rest:
                reason += f"（其中{len(rest)}家暂无法单独编组，仍留在原党组织）"
            else:
                reason += f"、正式党员各不少于{p.standalone_min_members}名"
            self.splits.append(
                Split(
                    party_org=str(party_org),
                    party_org_name=name,
                    street=street,
                    street_name=street_name,
                    covers=len(members),
                    parts=tuple(tuple(o.uscc for o in part) for part in parts),
                    part_names=tuple(tuple(o.name for o in part) for part in parts),
                    reason=reason + "，第一个沿用原党组织。",
                )
            )

    def summary(self) -> SolverSummary:
        return SolverSummary(
            pools=len(self.outcomes),
            optimal=sum(1 for pl in self.outcomes if pl.optimal),
            limited=sum(1 for pl in self.outcomes if not pl.optimal and pl.method == "exact"),
            greedy=sum(1 for pl in self.outcomes if pl.method == "greedy"),
            largest=max(self.pool_sizes, default=0),
        )


def _commonest_street(members: list[_Org]) -> tuple[str, str]:
    counts: dict[tuple[str, str], int] = {}
    for o in members:
        counts[(o.street, o.street_name)] = counts.get((o.street, o.street_name), 0) + 1
    return min(counts, key=lambda s: (-counts[s], s[0]))


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


_WHERE = {
    "building": lambda o: f"同在{o.building_name}",
    "park": lambda o: f"同在{o.park_name}",
    "segment": lambda o: f"同属{o.chain_name}产业链{o.segment_name}环节",
    "chain": lambda o: f"同属{o.chain_name}产业链",
    "category": lambda o: f"同为{o.category}",
    "industry": lambda o: f"同属{INDUSTRY_SECTIONS.get(o.industry or '', o.industry)}",
    "street": lambda o: f"同在{o.street_name}",
}


def _standalone(o: _Org, params: Params, joint: str | None = None) -> StandaloneProposal:
    """单独组建 at the level its formal members call for; ``joint`` names the joint
    organization it leaves, if any."""
    level = formation_level(o.formal, params)
    reason = f"正式党员{o.formal}名，达到{params.standalone_min_members}名以上，应单独组建{level}"
    if joint is not None:
        reason = f"现由“{joint}”联合覆盖，{reason}（应建尽建，从联合党组织中分出）"
    if level == PartyLevel.BRANCH and o.formal >= params.branch_committee_members:
        reason += f"；正式党员{params.branch_committee_members}名以上，应设立支部委员会"
    elif level == PartyLevel.GENERAL_BRANCH:
        reason += f"（正式党员{params.branch_max_members}名以上）"
    elif level == PartyLevel.COMMITTEE:
        reason += f"（正式党员{params.committee_min_members}名以上，设立基层党委）"
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


def _rates(orgs: pd.DataFrame, builder: _Builder) -> pd.DataFrame:
    """Today's headline rows beside those after the plan (new coverage flags, same counting)."""
    scope = orgs[orgs["in_scope"].to_numpy(dtype=bool)]
    now = _kind_counts(scope)
    own = {s.uscc for s in builder.standalone}
    joined = {u for grp in builder.groups for u in grp.members}
    joined |= {a.uscc for a in builder.attachments}
    guided = {i.uscc for i in builder.instructors}
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
