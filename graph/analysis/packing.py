"""The formation plan's core, solved exactly: one pool of organizations, new groups and takers.

A *pool* is a set of uncovered organizations that could end up together (a street, or streets
joined by a park that spans them), the existing Party organizations that may take some of
them in (*takers*), and whether each street has a 两新综合党委 for 兜底组建. :func:`solve`
places every organization of a pool in at most one of: a new joint group, a taker, the
street's 综合党委; it maximises, in this order (lexicographically):

1. organizations covered (党的组织覆盖);
2. organizations covered otherwise than by 兜底组建 (the 综合党委 takes only what is left);
3. fewest new Party organizations (new joint groups);
4. closeness: the sum over covered organizations of how far apart they are bound, building 0
   → park 1 → chain segment 2 → chain 3 → 细分类别 4 → 行业门类 5 → street 6 → 兜底 7.

under the rules of :mod:`graph.analysis.rules`: a new group has 2 to ``joint_max_orgs``
members who all share one place or trade (a *bond*: the same building, park, or, within a
street, the same segment, chain, 细分类别, 行业门类, or just the street), reach
``standalone_min_members`` formal members together and stay within ``branch_max_members``
people; a taker takes no more than its room. The model is a CP-SAT program (OR-Tools), seeded
with :func:`greedy`'s answer as a hint, solved with a deterministic time limit on one worker
so that the result does not depend on the machine; when the limit is hit before optimality is
proven, the best answer found is kept (never worse than the greedy one) and ``optimal`` says
so. The pure-Python :func:`greedy` is also the answer when the solver finds nothing in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from graph.analysis.common import Params
from graph.analysis.rules import group_feasible

__all__ = [
    "BOND_LEVELS",
    "FALLBACK_RANK",
    "MAX_EXACT",
    "Item",
    "Placement",
    "Pool",
    "Taker",
    "greedy",
    "objective",
    "solve",
    "violations",
]

BOND_LEVELS: tuple[str, ...] = (
    "building",
    "park",
    "segment",
    "chain",
    "category",
    "industry",
    "street",
)
"""What members of a group may share, closest first; the index is the closeness rank."""

FALLBACK_RANK = len(BOND_LEVELS)
"""The closeness rank of 兜底组建 by the street's 两新综合党委 (after every bond)."""

MAX_EXACT = 400
"""Pools with more organizations than this are not modelled (items × slots variables grow as
n²); the greedy answer stands and is reported as not proven optimal."""

Bond = tuple[int, str]
"""(rank in :data:`BOND_LEVELS`, key): e.g. ``(0, "B1")``, ``(3, "S1:C1")``."""


@dataclass(frozen=True)
class Item:
    """One uncovered organization that may join (1 ≤ formal members < the threshold)."""

    key: str  # USCC
    formal: int
    people: int  # formal + probationary members
    bonds: tuple[Bond, ...]  # what it shares with others, closest first
    fallback: bool = False  # its street has a 两新综合党委 that can take it in (兜底组建)


@dataclass(frozen=True)
class Taker:
    """An existing Party organization that may take some of the pool's organizations in."""

    key: str  # 党组织编码
    rank: int  # closeness rank of what it shares with those it may take
    room_orgs: int
    room_people: float  # math.inf for a 党总支 or 党委
    eligible: frozenset[str]  # the item keys it may take


@dataclass(frozen=True)
class Pool:
    items: tuple[Item, ...]
    takers: tuple[Taker, ...] = ()


@dataclass(frozen=True)
class Placement:
    """Where each item of a pool goes; items in none of these stay uncovered."""

    groups: tuple[tuple[Bond, tuple[str, ...]], ...] = ()  # (shared bond, member keys)
    attached: tuple[tuple[str, str], ...] = ()  # (item key, taker key)
    fallback: tuple[str, ...] = ()  # item keys taken in by their street's 综合党委
    optimal: bool = True  # proven optimal (trivially so for an empty pool)
    method: str = "exact"  # "exact" (CP-SAT) or "greedy" (no solver answer in time)
    stats: dict[str, float] = field(default_factory=dict, compare=False)


def objective(pool: Pool, placement: Placement) -> tuple[int, int, int, int]:
    """The lexicographic value of a placement, larger is better (see the module docstring):
    (covered, covered without 兜底, −new groups, −closeness)."""
    rank = {t.key: t.rank for t in pool.takers}
    grouped = sum(len(members) for _, members in placement.groups)
    covered = grouped + len(placement.attached) + len(placement.fallback)
    closeness = sum(bond[0] * len(members) for bond, members in placement.groups)
    closeness += sum(rank[t] for _, t in placement.attached)
    closeness += FALLBACK_RANK * len(placement.fallback)
    return covered, covered - len(placement.fallback), -len(placement.groups), -closeness


def violations(pool: Pool, placement: Placement, params: Params) -> list[str]:
    """Every rule the placement breaks (empty when it is valid); for tests and assertions."""
    items = {i.key: i for i in pool.items}
    takers = {t.key: t for t in pool.takers}
    found: list[str] = []
    seen: list[str] = []
    for bond, members in placement.groups:
        seen += members
        chosen = [items[k] for k in members]
        people = sum(i.people for i in chosen)
        if not group_feasible([i.formal for i in chosen], people, params):
            found.append(f"group {members} is not feasible")
        if any(bond not in i.bonds for i in chosen):
            found.append(f"group {members} does not share {bond}")
    load: dict[str, list[Item]] = {}
    for key, taker in placement.attached:
        seen.append(key)
        if key not in takers[taker].eligible:
            found.append(f"{key} may not join {taker}")
        load.setdefault(taker, []).append(items[key])
    for taker, taken in load.items():
        t = takers[taker]
        if len(taken) > t.room_orgs or sum(i.people for i in taken) > t.room_people:
            found.append(f"{taker} takes more than its room")
    for key in placement.fallback:
        seen.append(key)
        if not items[key].fallback:
            found.append(f"{key} has no 综合党委 to fall back on")
    if len(seen) != len(set(seen)):
        found.append("an item is placed twice")
    return found


def solve(pool: Pool, params: Params, *, time_limit: float = 10.0) -> Placement:
    """The best placement of the pool (module docstring), exact unless the limit is hit.

    ``time_limit`` is CP-SAT's *deterministic* time (about seconds on a current machine, the
    same answer everywhere). Cost: the model has items × slots assignment variables (slots =
    the most groups the pool could form), so pools of a street's size (tens) solve in
    milliseconds; a pool of hundreds may hit the limit and keep its best answer found.
    """
    if not pool.items:
        return Placement()
    hint = greedy(pool, params)
    if _trivially_optimal(pool, hint, params):  # it meets a lower bound: proven optimal
        return replace(hint, optimal=True, method="exact")
    if len(pool.items) > MAX_EXACT:  # the model would grow as n²: the greedy answer stands
        return hint
    return _Model(pool, params, hint).run(time_limit)


def greedy(pool: Pool, params: Params) -> Placement:
    """A good placement without a solver, closest first (also the solver's starting hint).

    Level by level (building, park, segment, chain, category, industry, street), the items
    still free that share a bond are packed into groups largest first, each group closed at
    the threshold and then topped up to ``joint_max_orgs`` with members of the same bond that
    no other group of that bond can use. What is left goes to the closest taker with room,
    then to the street's 综合党委. Cost: O(n log n) per level.
    """
    free = {i.key: i for i in pool.items}
    groups: list[tuple[Bond, tuple[str, ...]]] = []
    for rank in range(len(BOND_LEVELS)):
        buckets: dict[Bond, list[Item]] = {}
        for item in free.values():
            for bond in item.bonds:
                if bond[0] == rank:
                    buckets.setdefault(bond, []).append(item)
        for bond in sorted(buckets):
            bucket = [i for i in buckets[bond] if i.key in free]
            for members in _pack(bucket, params):
                groups.append((bond, tuple(i.key for i in members)))
                for i in members:
                    del free[i.key]
    attached: list[tuple[str, str]] = []
    room = {t.key: [t.room_orgs, t.room_people] for t in pool.takers}
    for item in sorted(free.values(), key=lambda i: (-i.formal, i.key)):
        for t in sorted(pool.takers, key=lambda t: (t.rank, -room[t.key][0], t.key)):
            left = room[t.key]
            if item.key in t.eligible and left[0] >= 1 and left[1] >= item.people:
                left[0] -= 1
                left[1] -= item.people
                attached.append((item.key, t.key))
                del free[item.key]
                break
    fallback = tuple(sorted(k for k, i in free.items() if i.fallback))
    return Placement(tuple(groups), tuple(sorted(attached)), fallback, False, "greedy")


# ---------------------------------------------------------------------------------------------


def _pack(bucket: Sequence[Item], params: Params) -> list[list[Item]]:
    """Greedy bin covering with a cardinality cap: groups reaching the threshold, largest
    first, each topped up with the smallest that still lets it reach it; then the leftovers
    are added to groups with free places (they cover more organizations at no new cost)."""
    need, cap = params.standalone_min_members, params.joint_max_orgs
    items = sorted(bucket, key=lambda i: (-i.formal, i.key))
    i, j = 0, len(items)
    groups: list[list[Item]] = []
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
        if len(group) < 2:  # one organization alone is no joint group (cannot happen < need)
            break
        groups.append(group)
    rest = items[i:j]
    for group in sorted(groups, key=len):
        while rest and len(group) < cap:
            extra = rest[0]
            people = sum(o.people for o in group) + extra.people
            if people > params.branch_max_members:
                break
            group.append(rest.pop(0))
    return [g for g in groups if group_feasible([o.formal for o in g], _people(g), params)]


def _people(items: Iterable[Item]) -> int:
    return sum(i.people for i in items)


def _trivially_optimal(pool: Pool, hint: Placement, params: Params) -> bool:
    """Every item covered without 兜底 and no group could be saved or brought closer: one
    group at the closest possible bond, or only attachments at rank 0 (nothing to improve)."""
    covered, proper, groups, closeness = objective(pool, hint)
    if covered < len(pool.items) or proper < covered:
        return False
    best_closeness = 0
    for i in pool.items:
        ranks = [b[0] for b in i.bonds] + [t.rank for t in pool.takers if i.key in t.eligible]
        best_closeness += min(ranks, default=FALLBACK_RANK)
    fewest_groups = 0 if pool.takers else -(-len(pool.items) // params.joint_max_orgs)
    return -closeness <= best_closeness and -groups <= fewest_groups


class _Model:
    """The CP-SAT model of one pool (see :func:`solve`)."""

    def __init__(self, pool: Pool, params: Params, hint: Placement) -> None:
        from ortools.sat.python import cp_model  # imported when a pool needs solving

        self.cp = cp_model
        self.pool, self.params, self.hint = pool, params, hint
        m = self.model = cp_model.CpModel()
        items = pool.items
        n = len(items)
        need, cap = params.standalone_min_members, params.joint_max_orgs
        counts: dict[Bond, int] = {}
        for item in items:
            for bond in item.bonds:
                counts[bond] = counts.get(bond, 0) + 1
        self.bonds = sorted(b for b, c in counts.items() if c >= 2)
        total_formal = sum(i.formal for i in items)
        slots = min(n // 2, total_formal // need) if self.bonds else 0
        self.slots = range(slots)

        self.y = [m.new_bool_var(f"y{s}") for s in self.slots]
        self.z = {
            (s, b): m.new_bool_var(f"z{s}_{k}")
            for s in self.slots
            for k, b in enumerate(self.bonds)
        }
        self.x = {}
        for idx, item in enumerate(items):
            mine = [b for b in item.bonds if counts.get(b, 0) >= 2]
            if not mine:
                continue
            # symmetry: number groups by their first member, so item idx is in a slot ≤ idx
            for s in self.slots[: idx + 1]:
                v = self.x[idx, s] = m.new_bool_var(f"x{idx}_{s}")
                m.add(v <= sum(self.z[s, b] for b in mine))
        self.a = {}
        for t_idx, t in enumerate(pool.takers):
            for idx, item in enumerate(items):
                if item.key in t.eligible:
                    self.a[idx, t_idx] = m.new_bool_var(f"a{idx}_{t_idx}")
        self.u = {idx: m.new_bool_var(f"u{idx}") for idx, i in enumerate(items) if i.fallback}
        in_slot: dict[int, list[tuple[int, Any]]] = {s: [] for s in self.slots}
        of_item: dict[int, list[Any]] = {idx: [] for idx in range(n)}
        for (idx, s), v in self.x.items():
            in_slot[s].append((idx, v))
            of_item[idx].append(v)
        by_taker: dict[int, list[tuple[int, Any]]] = {}
        for (idx, t), v in self.a.items():
            by_taker.setdefault(t, []).append((idx, v))
            of_item[idx].append(v)

        for s in self.slots:
            members = in_slot[s]
            m.add(sum(self.z[s, b] for b in self.bonds) == self.y[s])
            m.add(sum(v for _, v in members) >= 2 * self.y[s])
            m.add(sum(v for _, v in members) <= cap * self.y[s])
            m.add(sum(items[idx].formal * v for idx, v in members) >= need * self.y[s])
            m.add(
                sum(items[idx].people * v for idx, v in members)
                <= params.branch_max_members * self.y[s]
            )
            if s:
                m.add(self.y[s] <= self.y[s - 1])
        for t_idx, t in enumerate(pool.takers):
            taken = by_taker.get(t_idx, [])
            if not taken:
                continue
            m.add(sum(v for _, v in taken) <= t.room_orgs)
            if t.room_people != float("inf"):
                m.add(sum(items[idx].people * v for idx, v in taken) <= int(t.room_people))
        self.placed = []
        for idx in range(n):
            where = list(of_item[idx])
            if idx in self.u:
                where.append(self.u[idx])
            placed = sum(where) if where else 0
            if where:
                m.add(placed <= 1)
            self.placed.append(placed)

        # closeness of each slot: rank of its bond × its size
        self.cost = []
        for s in self.slots:
            c = m.new_int_var(0, (FALLBACK_RANK - 1) * cap, f"c{s}")
            size = sum(v for _, v in in_slot[s])
            for b in self.bonds:
                if b[0]:
                    m.add(c >= b[0] * size - b[0] * cap * (1 - self.z[s, b]))
            self.cost.append(c)
        covered = sum(p for p in self.placed if not isinstance(p, int))
        fallback = sum(self.u.values())
        groups = sum(self.y)
        closeness = sum(self.cost)
        closeness += sum(pool.takers[t].rank * v for (_, t), v in self.a.items())
        closeness += FALLBACK_RANK * fallback
        w_groups = FALLBACK_RANK * n + 1
        w_fallback = w_groups * (n // 2 + 1)
        w_covered = w_fallback * (n + 1)
        m.maximize(w_covered * covered - w_fallback * fallback - w_groups * groups - closeness)
        self._hint()

    def _hint(self) -> None:
        """The greedy placement as CP-SAT's starting solution (complete, so it is checked)."""
        m, items = self.model, self.pool.items
        index = {i.key: idx for idx, i in enumerate(items)}
        taker = {t.key: t_idx for t_idx, t in enumerate(self.pool.takers)}
        slot_of: dict[int, int] = {}
        bond_of: dict[int, Bond] = {}
        for s, (bond, members) in enumerate(self.hint.groups):
            if s >= len(self.slots):
                return  # should not happen: the greedy never forms more groups than slots
            bond_of[s] = bond
            for key in members:
                slot_of[index[key]] = s
        attached = {index[k]: taker[t] for k, t in self.hint.attached}
        fallen = {index[k] for k in self.hint.fallback}
        for s in self.slots:
            m.add_hint(self.y[s], s in bond_of)
            for b in self.bonds:
                m.add_hint(self.z[s, b], bond_of.get(s) == b)
        for (idx, s), v in self.x.items():
            m.add_hint(v, slot_of.get(idx) == s)
        for (idx, t), v in self.a.items():
            m.add_hint(v, attached.get(idx) == t)
        for idx, v in self.u.items():
            m.add_hint(v, idx in fallen)

    def run(self, time_limit: float) -> Placement:
        cp = self.cp
        solver = cp.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_deterministic_time = time_limit
        status = solver.solve(self.model)
        stats = {"deterministic_time": solver.deterministic_time, "wall": solver.wall_time}
        if status not in (cp.OPTIMAL, cp.FEASIBLE):
            return Placement(
                self.hint.groups, self.hint.attached, self.hint.fallback, False, "greedy", stats
            )
        items = self.pool.items
        by_key = {i.key: i for i in items}
        groups = []
        for s in self.slots:
            if not solver.boolean_value(self.y[s]):
                continue
            members = tuple(
                sorted(
                    items[idx].key
                    for (idx, ss), v in self.x.items()
                    if ss == s and solver.boolean_value(v)
                )
            )
            # the closest bond all members share (the solver's choice may tie with it)
            common = set.intersection(*(set(by_key[k].bonds) for k in members))
            groups.append((min(common), members))
        attached = tuple(
            sorted(
                (items[idx].key, self.pool.takers[t].key)
                for (idx, t), v in self.a.items()
                if solver.boolean_value(v)
            )
        )
        fallback = tuple(
            sorted(items[idx].key for idx, v in self.u.items() if solver.boolean_value(v))
        )
        placement = Placement(
            tuple(sorted(groups, key=lambda g: (g[0], g[1]))),
            attached,
            fallback,
            status == cp.OPTIMAL,
            "exact",
            stats,
        )
        if objective(self.pool, placement) < objective(self.pool, self.hint):
            return self.hint  # cannot happen with a complete hint; kept as a guard
        return placement
