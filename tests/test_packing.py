"""Tests for graph.analysis.packing: the exact solver against an exhaustive search.

The exhaustive search below is written independently of the solver: it tries every way to
put each organization of a pool into a new group (groups numbered in order of first use, so
each partition is tried once), into a taker, into its street's 综合党委, or nowhere, keeps
the valid ones (:func:`~graph.analysis.packing.violations` is empty) and takes the best
:func:`~graph.analysis.packing.objective`. Hypothesis draws random streets of up to 9
organizations (with buildings, a park, chains, categories, existing branches and sometimes a
综合党委); the solver must reach the same objective on every one.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.analysis.common import Params
from graph.analysis.packing import (
    Item,
    Placement,
    Pool,
    Taker,
    greedy,
    objective,
    solve,
    violations,
)

P = Params()


def item(key: str, formal: int, *bonds: tuple[int, str], fallback: bool = False) -> Item:
    return Item(key, formal, formal, (*bonds, (6, "S1")), fallback)


def exhaustive(pool: Pool, params: Params) -> tuple[int, int, int, int]:
    """The best objective over every placement of the pool (exponential: tests only).

    Branch and bound on coverage only: a branch is dropped when even covering every item
    still to place could not reach the best coverage found; a group is dropped as soon as
    its members share no place or exceed the size or member limits.
    """
    items = pool.items
    cap = params.joint_max_orgs
    best: list[tuple[int, int, int, int] | None] = [None]
    groups: list[tuple[list[str], set[tuple[int, str]], int]] = []
    attached: list[tuple[str, str]] = []
    fallback: list[str] = []
    load = {t.key: [0, 0] for t in pool.takers}
    left_out = [0]

    def visit(k: int) -> None:
        if best[0] is not None and len(items) - left_out[0] < best[0][0]:
            return
        if k == len(items):
            chosen = tuple((min(common), tuple(m)) for m, common, _ in groups)
            placement = Placement(chosen, tuple(attached), tuple(fallback))
            if violations(pool, placement, params):
                return
            value = objective(pool, placement)
            if best[0] is None or value > best[0]:
                best[0] = value
            return
        it = items[k]
        for n, (members, common, people) in enumerate(groups):  # an existing group
            shared = common & set(it.bonds)
            if len(members) < cap and shared and people + it.people <= params.branch_max_members:
                groups[n] = ([*members, it.key], shared, people + it.people)
                visit(k + 1)
                groups[n] = (members, common, people)
        groups.append(([it.key], set(it.bonds), it.people))  # a new group
        visit(k + 1)
        groups.pop()
        for t in pool.takers:
            used = load[t.key]
            room = used[0] < t.room_orgs and used[1] + it.people <= t.room_people
            if it.key in t.eligible and room:
                used[0] += 1
                used[1] += it.people
                attached.append((it.key, t.key))
                visit(k + 1)
                attached.pop()
                used[0] -= 1
                used[1] -= it.people
        if it.fallback:
            fallback.append(it.key)
            visit(k + 1)
            fallback.pop()
        left_out[0] += 1
        visit(k + 1)  # nowhere
        left_out[0] -= 1

    visit(0)
    assert best[0] is not None
    return best[0]


# -- the cases of issue 11, by hand ------------------------------------------------------------


def test_tops_groups_up_to_cover_everyone() -> None:
    """Issue 11 item 2: 2, 2, 1, 1, 1, 1 formal members in one street, no taker, no 综合党委.
    Closing each group at 3 gives [2,1] + [2,1] and leaves two out (66.67%); [2,1,1] + [2,1,1]
    covers all six with the same two new organizations."""
    pool = Pool(tuple(item(f"U{n}", f) for n, f in enumerate([2, 2, 1, 1, 1, 1])))
    result = solve(pool, P)
    assert not violations(pool, result, P)
    assert len(result.groups) == 2
    assert objective(pool, result) == (6, 6, -2, -36)
    assert result.optimal


def test_prefers_a_taker_with_room_to_a_new_group() -> None:
    """Fewest new organizations: two organizations (2 and 1 formal members) of one building
    and that building's joint branch with room for two: both join it (0 new) rather than
    forming a new branch of their own."""
    pool = Pool(
        (item("A", 2, (0, "B1")), item("B", 1, (0, "B1"))),
        (Taker("PO-B1", 0, 2, 50, frozenset({"A", "B"})),),
    )
    result = solve(pool, P)
    assert result.groups == ()
    assert result.attached == (("A", "PO-B1"), ("B", "PO-B1"))


def test_fallback_only_for_what_nothing_else_covers() -> None:
    pool = Pool(
        (
            item("A", 2, (0, "B1"), fallback=True),
            item("B", 1, (0, "B1"), fallback=True),
            item("C", 1, (0, "B2"), fallback=True),
        )
    )
    result = solve(pool, P)
    assert objective(pool, result) == (3, 3, -1, -18)  # all three in one street group
    assert result.fallback == ()


def test_closest_bond_first() -> None:
    """Two in B1 (2+1) and two in B2 (2+1): two building groups, not one street group of four
    (same coverage, but one new organization fewer wins: a street group of 4)."""
    pool = Pool(
        (
            item("A", 2, (0, "B1")),
            item("B", 1, (0, "B1")),
            item("C", 2, (0, "B2")),
            item("D", 1, (0, "B2")),
        )
    )
    result = solve(pool, P)
    assert objective(pool, result) == (4, 4, -1, -24)
    assert result.groups == (((6, "S1"), ("A", "B", "C", "D")),)


def test_member_room_of_a_branch() -> None:
    pool = Pool(
        (item("A", 2), item("B", 2)),
        (Taker("PO", 6, 5, 3, frozenset({"A", "B"})),),
    )
    result = solve(pool, P)
    # the branch has room for 3 people: one of them joins it, or both form a group
    assert objective(pool, result) == (2, 2, -1, -12)


def test_greedy_is_valid_and_never_better() -> None:
    pool = Pool(tuple(item(f"U{n}", f) for n, f in enumerate([2, 2, 1, 1, 1, 1])))
    g = greedy(pool, P)
    assert not violations(pool, g, P)
    assert objective(pool, g) <= objective(pool, solve(pool, P))


# -- the property test -------------------------------------------------------------------------


@st.composite
def pools(draw: st.DrawFn) -> Pool:
    n = draw(st.integers(1, 9))
    two_streets = draw(st.booleans())
    committee = {"S1": draw(st.booleans()), "S2": draw(st.booleans())}
    items = []
    for k in range(n):
        street = "S2" if two_streets and draw(st.booleans()) else "S1"
        bonds: list[tuple[int, str]] = []
        building = draw(st.sampled_from([None, "1", "2"]))
        if building:
            bonds.append((0, f"{street}-B{building}"))
        if draw(st.booleans()):
            bonds.append((1, "P1"))  # one park across both streets
        chain = draw(st.sampled_from([None, "C1", "C2"]))
        if chain:
            segment = draw(st.sampled_from(["1", "2"]))
            bonds += [(2, f"{street}:{chain}{segment}"), (3, f"{street}:{chain}")]
        if draw(st.booleans()):
            bonds.append((4, f"{street}:律师事务所"))
        bonds.append((6, street))
        formal = draw(st.sampled_from([1, 1, 1, 2, 2]))
        people = formal + draw(st.sampled_from([0, 0, 0, 1, 20]))
        items.append(Item(f"U{k}", formal, people, tuple(sorted(bonds)), committee[street]))
    takers = []
    for t in range(draw(st.integers(0, 2))):
        eligible = draw(st.sets(st.sampled_from([i.key for i in items]), max_size=n))
        room_people = draw(st.sampled_from([math.inf, 3, 10, 50]))
        takers.append(
            Taker(
                f"T{t}",
                draw(st.sampled_from([0, 3, 6])),
                draw(st.integers(0, 3)),
                room_people,
                frozenset(eligible),
            )
        )
    return Pool(tuple(items), tuple(takers))


@settings(max_examples=220, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools())
def test_solver_equals_exhaustive_search(pool: Pool) -> None:
    """On every drawn pool the solver's placement is valid, proven optimal and as good as the
    best the exhaustive search finds, on all four parts of the objective (coverage first)."""
    result = solve(pool, P)
    assert not violations(pool, result, P)
    assert result.optimal
    assert objective(pool, result) == exhaustive(pool, P)


@pytest.mark.parametrize("need,cap", [(3, 5), (4, 3), (2, 2)])
def test_solver_equals_exhaustive_search_with_other_thresholds(need: int, cap: int) -> None:
    params = Params(standalone_min_members=need, joint_max_orgs=cap)
    formal = [f for f in [3, 2, 2, 1, 1, 1, 1] if f < need]
    pool = Pool(tuple(item(f"U{n}", f) for n, f in enumerate(formal)))
    result = solve(pool, params)
    assert not violations(pool, result, params)
    assert objective(pool, result) == exhaustive(pool, params)


def test_a_pool_too_large_to_model_keeps_the_greedy_answer() -> None:
    from graph.analysis.packing import MAX_EXACT

    pool = Pool(tuple(item(f"U{n:04d}", 1) for n in range(MAX_EXACT + 1)))
    result = solve(pool, P)
    assert (result.method, result.optimal) == ("greedy", False)
    assert not violations(pool, result, P)
    assert objective(pool, result)[0] == MAX_EXACT + 1  # still everyone covered
