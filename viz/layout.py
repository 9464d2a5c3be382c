"""Deterministic node positions for the maps: projected coordinates, rings, spirals, rows.

Every function is pure and depends only on its arguments and their order, so a map drawn
twice from the same ledger looks the same. Units are vis-network pixels, y growing downwards
(north is up).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence

__all__ = [
    "GOLDEN_ANGLE",
    "Point",
    "Tree",
    "fan",
    "pack",
    "project",
    "ring",
    "separate",
    "spread_x",
    "sunflower",
    "sunflower_radius",
    "sweep",
]

Point = tuple[float, float]

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
"""The sunflower's turn between two seeds: spreads any number of points evenly on a disc."""


def project(lonlat: Mapping[Hashable, Point], side: float) -> dict[Hashable, Point]:
    """Longitude/latitude to pixels, linear on the points' bounding box, centred on (0, 0).

    The longer side of the box becomes ``side`` pixels; east–west is shortened by the cosine
    of the middle latitude so that a kilometre is as long either way; north is up. A box of
    no extent (one point) maps to the centre.
    """
    if not lonlat:
        return {}
    lons = [p[0] for p in lonlat.values()]
    lats = [p[1] for p in lonlat.values()]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    width, height = (max(lons) - min(lons)) * squeeze, max(lats) - min(lats)
    span = max(width, height)
    scale = side / span if span > 0 else 0.0
    mid_lon, mid_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    return {
        key: ((lon - mid_lon) * squeeze * scale, (mid_lat - lat) * scale)
        for key, (lon, lat) in lonlat.items()
    }


def sunflower(centre: Point, count: int, spacing: float, start: int = 0) -> list[Point]:
    """``count`` points on a disc around ``centre``, about ``spacing`` apart (Vogel's spiral).

    ``start=1`` leaves the centre itself free (for the node the points belong to).
    """
    cx, cy = centre
    found = []
    for i in range(start, start + count):
        r = spacing * math.sqrt(i + 0.5) if i or start else 0.0
        theta = i * GOLDEN_ANGLE
        found.append((cx + r * math.cos(theta), cy + r * math.sin(theta)))
    return found


def sunflower_radius(count: int, spacing: float, start: int = 0) -> float:
    """The radius of :func:`sunflower`'s disc."""
    if count <= 0:
        return 0.0
    return spacing * math.sqrt(start + count - 1 + 0.5)


def ring(centre: Point, weights: Sequence[float], radius: float) -> list[Point]:
    """Points on a circle around ``centre``, each given an arc proportional to its weight,
    the first at the top, clockwise. One point goes straight above the centre."""
    cx, cy = centre
    total = sum(weights)
    if not weights or total <= 0:
        return [(cx, cy)] * len(weights)
    found, angle = [], -math.pi / 2
    for w in weights:
        half = math.pi * w / total
        angle += half
        found.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        angle += half
    return found


def separate(positions: dict[Hashable, Point], order: Iterable[Hashable], spacing: float) -> None:
    """Fan out nodes that sit on the same spot (within a pixel), in place.

    Per spot, the first node in ``order`` keeps it and the others go on a sunflower around it.
    """
    for keys in _stacks(positions, order):
        centre = positions[keys[0]]
        for key, point in zip(
            keys[1:], sunflower(centre, len(keys) - 1, spacing, start=1), strict=True
        ):
            positions[key] = point


def _stacks(positions: Mapping[Hashable, Point], order: Iterable[Hashable]) -> list[list[Hashable]]:
    """The nodes of ``order`` that share a spot (within a pixel) with another, per spot, in
    ``order``; nodes without a position are skipped."""
    spots: dict[tuple[int, int], list[Hashable]] = {}
    for key in order:
        if key in positions:
            x, y = positions[key]
            spots.setdefault((round(x), round(y)), []).append(key)
    return [keys for keys in spots.values() if len(keys) > 1]


class Tree:
    """A forest of places and what they hold, laid out from the roots down.

    ``add(node, parent)`` in a stable order; ``leaf`` marks a node drawn small (an
    organization). Nodes given a position in :meth:`positions`' ``fixed`` keep it; a place
    without one sits at the mean of its placed descendants, and what is left goes round its
    parent: places on a ring wide enough for their own contents, leaves on a sunflower.
    """

    def __init__(
        self, leaf_spacing: float = 28.0, gap: float = 40.0, place_extent: float = 60.0
    ) -> None:
        self.leaf_spacing = leaf_spacing
        self.gap = gap
        self.place_extent = place_extent
        """Half the room an empty place (a folded building, with its label) takes."""
        self.children: dict[Hashable, list[Hashable]] = {}
        self.parent: dict[Hashable, Hashable | None] = {}
        self.leaves: set[Hashable] = set()
        self.roots: list[Hashable] = []

    def add(self, node: Hashable, parent: Hashable | None = None, *, leaf: bool = False) -> None:
        if node in self.parent:
            return
        self.parent[node] = parent
        self.children.setdefault(node, [])
        if parent is None:
            self.roots.append(node)
        else:
            self.children.setdefault(parent, []).append(node)
        if leaf:
            self.leaves.add(node)

    def __len__(self) -> int:
        return len(self.parent)

    def positions(
        self,
        fixed: Mapping[Hashable, Point] | None = None,
        approximate: Mapping[Hashable, Point] | None = None,
    ) -> dict[Hashable, Point]:
        """Every node's position.

        ``fixed`` ones (a place's or an organization's own coordinates) are kept;
        ``approximate`` ones (a street at the centre of its organizations) too, unless they
        fall on a fixed one, which then keeps the spot.
        """
        fixed = dict(fixed or {})
        order = self._preorder()
        extent = self._extents(order)
        known = self._derived(order, {**(approximate or {}), **fixed})
        self._unstack(
            known, [n for n in order if n in fixed] + [n for n in order if n not in fixed], extent
        )
        placed: dict[Hashable, Point] = {}
        if known:  # places without coordinates go round the area that has them
            reach = max(math.hypot(*p) for p in known.values())
            outside = [r for r in self.roots if r not in known]
            widest = max((extent[r] for r in outside), default=0.0)
            for node, point in zip(
                outside,
                ring((0.0, 0.0), [1.0] * len(outside), reach + widest + self.gap),
                strict=True,
            ):
                placed[node] = point
            for node in self.roots:
                if node in known:
                    placed[node] = known[node]
        else:
            self._place_group((0.0, 0.0), self.roots, extent, known, placed, centre_taken=False)
        for node in order:
            self._place_group(placed[node], self.children[node], extent, known, placed)
        separate(placed, order, self.leaf_spacing)
        return placed

    # -- helpers ---------------------------------------------------------------------------

    def _unstack(
        self, known: dict[Hashable, Point], order: list[Hashable], extent: dict[Hashable, float]
    ) -> None:
        """Places that fall on the same spot (a street at the mean of its only building): the
        first in ``order`` keeps it, the others go round it clear of its contents."""
        for nodes in _stacks(known, order):
            first, others = nodes[0], nodes[1:]
            # the others' contents mostly have places of their own: count their node only
            held = extent[first] if self.children[first] else self.leaf_spacing
            radius = held + self.place_extent + self.gap
            for node, point in zip(
                others, ring(known[first], [1.0] * len(others), radius), strict=True
            ):
                known[node] = point

    def _preorder(self) -> list[Hashable]:
        order: list[Hashable] = []
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(reversed(self.children[node]))
        return order

    def _split(self, nodes: list[Hashable]) -> tuple[list[Hashable], list[Hashable]]:
        """(places, leaves) among ``nodes``: a leaf is a small node that holds nothing."""
        leaves = [n for n in nodes if n in self.leaves and not self.children[n]]
        places = [n for n in nodes if not (n in self.leaves and not self.children[n])]
        return places, leaves

    def _ring_radius(
        self, places: list[Hashable], leaves: int, extent: dict[Hashable, float]
    ) -> tuple[float, float]:
        """(sunflower radius of the leaves, ring radius of the places) around one centre."""
        inner = sunflower_radius(leaves, self.leaf_spacing, start=2) if leaves else 0.0
        if not places:
            return inner, 0.0
        widest = max(extent[p] for p in places)
        around = sum(2 * extent[p] + self.gap for p in places) / (2 * math.pi)
        return inner, max(around, inner + widest + self.gap, widest + self.gap)

    def _extents(self, order: list[Hashable]) -> dict[Hashable, float]:
        extent: dict[Hashable, float] = {}
        for node in reversed(order):
            places, leaves = self._split(self.children[node])
            inner, radius = self._ring_radius(places, len(leaves), extent)
            widest = max((extent[p] for p in places), default=0.0)
            extent[node] = max(self.place_extent, inner + self.leaf_spacing / 2)
            if places:
                extent[node] = radius + widest
        return extent

    def _derived(
        self, order: list[Hashable], fixed: dict[Hashable, Point]
    ) -> dict[Hashable, Point]:
        """Fixed positions, plus places at the mean of their fixed descendants."""
        known = dict(fixed)
        for node in reversed(order):
            if node in known:
                continue
            points = [known[c] for c in self.children[node] if c in known]
            if points:
                known[node] = (
                    sum(p[0] for p in points) / len(points),
                    sum(p[1] for p in points) / len(points),
                )
        return known

    def _place_group(
        self,
        centre: Point,
        nodes: list[Hashable],
        extent: dict[Hashable, float],
        known: dict[Hashable, Point],
        placed: dict[Hashable, Point],
        *,
        centre_taken: bool = True,
    ) -> None:
        for node in nodes:
            if node in known:
                placed[node] = known[node]
        todo = [n for n in nodes if n not in known]
        if not todo:
            return
        places, leaves = self._split(todo)
        if not centre_taken and len(places) == 1 and not leaves:
            placed[places[0]] = centre
            return
        _, radius = self._ring_radius(places, len(leaves), extent)
        start = 2 if centre_taken else 0  # clear of the centre node and its label
        for node, point in zip(
            leaves, sunflower(centre, len(leaves), self.leaf_spacing, start), strict=True
        ):
            placed[node] = point
        weights = [2 * extent[p] + self.gap for p in places]
        for node, point in zip(places, ring(centre, weights, radius), strict=True):
            placed[node] = point


def spread_x(n: int, gap: float, centre: float) -> list[float]:
    """``n`` x positions ``gap`` apart, centred on ``centre``."""
    return [centre + (i - (n - 1) / 2) * gap for i in range(n)]


def fan(n: int, start: float, stop: float, *, closed: bool = False) -> list[float]:
    """``n`` angles from ``start`` to ``stop``; ``closed`` for a full turn (no repeat)."""
    if n <= 0:
        return []
    if closed:
        return [start + (stop - start) * i / n for i in range(n)]
    if n == 1:
        return [(start + stop) / 2]
    return [start + (stop - start) * i / (n - 1) for i in range(n)]


def sweep(xs: list[float], gap: float) -> list[float]:
    """Sorted x positions pushed apart to at least ``gap``, keeping their mean."""
    if not xs:
        return []
    out = [xs[0]]
    for x in xs[1:]:
        out.append(max(x, out[-1] + gap))
    shift = (sum(xs) - sum(out)) / len(xs)
    return [x + shift for x in out]


def pack(blocks: list[dict[Hashable, Point]]) -> dict[Hashable, Point]:
    """Blocks of nodes (each laid out on its own) side by side in rows, in the order given."""
    placed: list[tuple[dict[Hashable, Point], float, float]] = []
    for local in blocks:
        if not local:
            continue
        xs, ys = [p[0] for p in local.values()], [p[1] for p in local.values()]
        width, height = max(xs) - min(xs) + 160, max(ys) - min(ys) + 110
        shifted = {k: (p[0] - min(xs), p[1] - min(ys)) for k, p in local.items()}
        placed.append((shifted, width, height))
    area = sum(w * h for _, w, h in placed)
    row_width = max(1600.0, math.sqrt(area) * 1.3)
    xy: dict[Hashable, Point] = {}
    x = y = row_height = 0.0
    for local, width, height in placed:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for k, p in local.items():
            xy[k] = (x + p[0] - row_width / 2, y + p[1])
        x += width
        row_height = max(row_height, height)
    return xy
