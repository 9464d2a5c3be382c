"""What every map family draws with: the canvas, the shared colours, sizes and tooltip lines.

:class:`Canvas` assembles one map's nodes and edges with pyvis's ``Network`` (``directed=True``:
on an undirected network pyvis scans every edge for a duplicate on each ``add_edge``; arrows
are switched off per edge instead) and takes them from ``net.nodes`` / ``net.edges``; nothing
of pyvis's HTML is used. Its :meth:`Canvas.result` is the last guard of the node cap,
:data:`~viz.mapdata.MAX_NODES`, read when a map is drawn (lower it there, not on
:mod:`viz.maps`). An organization looks the same on every map: coloured by its coverage state
(:data:`COVERAGE_COLORS`), sized by its staff (:func:`staff_size`), with the tooltip of
:func:`org_lines`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import pandas as pd
from pyvis.network import Network

from graph.analysis.common import COVERAGE_LABELS, is_missing
from graph.errors import NotFound
from viz import mapdata
from viz.layout import Point
from viz.mapdata import LegendItem, NetworkMap

COVERAGE_COLORS: dict[str, str] = {
    "own": "#2e7d32",
    "joint": "#1565c0",
    "work": "#f9a825",
    "none": "#c62828",
}
"""An organization's colour by its coverage state (keys of ``COVERAGE_LABELS``)."""

# Colours more than one map family uses; each family's own are in its module.
GREY, LIGHT = "#78909c", "#cfd8dc"
CLUSTER = "#8e24aa"
PARTY = "#1565c0"
ATTACH_EDGE = "#ef6c00"
_NO_ARROW = {"to": {"enabled": False}}
COVERAGE_LEGEND = tuple(LegendItem(COVERAGE_LABELS[k], c) for k, c in COVERAGE_COLORS.items())
"""An organization's colour by coverage state, as every map with organizations explains it."""


class Canvas:
    """The node and edge lists of one map, kept in a pyvis ``Network``."""

    def __init__(self) -> None:
        # directed=True: pyvis checks every earlier edge for a duplicate on undirected
        # networks (quadratic); arrows are set per edge instead.
        self.net = Network(directed=True)
        self.legend: list[LegendItem] = []
        self._xy: dict[str, Point] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._xy

    def xy(self, key: str) -> Point:
        return self._xy[key]

    def node(self, key: str, point: Point, **attrs: Any) -> None:
        """One node at ``point``; None-valued attributes (``url``) are left out."""
        options = {k: v for k, v in attrs.items() if v is not None}
        x, y = point
        self._xy[key] = point
        color, group = options.pop("color", GREY), options.pop("group", None)
        self.net.add_node(
            key,
            label=options.pop("label"),
            shape=options.pop("shape", "dot"),
            x=round(float(x), 1),
            y=round(float(y), 1),
            **options,
        )
        # pyvis drops ``color`` when ``group`` is given; set both on its node dict instead
        self.net.node_map[key]["color"] = color
        if group is not None:
            self.net.node_map[key]["group"] = group

    def edge(
        self,
        a: str,
        b: str,
        *,
        color: str,
        width: float = 1.0,
        dashes: bool = False,
        arrows: bool = False,
        title: str | None = None,
    ) -> None:
        options: dict[str, Any] = {"color": color, "width": width}
        if dashes:
            options["dashes"] = True
        if title:
            options["title"] = title
        # pyvis puts arrows on every edge of a directed network unless told otherwise
        self.net.add_edge(a, b, arrows="to" if arrows else _NO_ARROW, **options)

    def result(self, title: str, note: str, *, aggregated: bool = False) -> NetworkMap:
        cap = mapdata.MAX_NODES
        if len(self.net.nodes) > cap:  # the last guard: never more than the cap
            keep = {n["id"] for n in self.net.nodes[:cap]}
            self.net.nodes = self.net.nodes[:cap]
            self.net.edges = [e for e in self.net.edges if e["from"] in keep and e["to"] in keep]
            note = "；".join(t for t in (note, f"仅显示前 {cap} 个节点") if t)
            aggregated = True
        return NetworkMap(
            title=title,
            nodes=list(self.net.nodes),
            edges=list(self.net.edges),
            legend=list(self.legend),
            note=note,
            aggregated=aggregated,
        )


def check_known(ok: bool, what: str, code: str | None, where: str) -> None:
    """Raise :class:`~graph.errors.NotFound` for a ``code`` the ledger does not have."""
    if not ok:
        raise NotFound(f"台账中没有{what}“{code}”，请检查{where}。")


def text_or_none(value: object) -> str | None:
    """A ledger value as text; None when the cell is empty (None, NaN, ``pd.NA``, ``pd.NaT``)."""
    return None if is_missing(value) else str(value)


def coverage_lines(counts: Counter[str]) -> list[str]:
    """The tooltip lines of a place or segment: its organizations by coverage state."""
    total = sum(counts.values())
    if not total:
        return ["范围内没有计入统计的组织"]
    covered = counts["own"] + counts["joint"]
    return [
        f"组织 {total} 家："
        + " · ".join(f"{COVERAGE_LABELS[k]} {counts[k]}" for k in COVERAGE_LABELS),
        f"党组织未覆盖 {total - covered} 家，组织覆盖率 {100 * covered / total:.1f}%",
    ]


def org_lines(row: Any, po_names: dict[str, str]) -> list[str]:
    """The tooltip of an organization: name, code, kind, staff, members, coverage, places."""
    get: Callable[..., Any] = (
        row.get if isinstance(row, pd.Series | dict) else lambda k, d=None: getattr(row, k, d)
    )
    kind = text_or_none(get("org_kind")) or "组织"
    category = text_or_none(get("category"))
    lines = [
        str(get("name")),
        f"统一社会信用代码：{get('uscc')}",
        f"{kind}{f'（{category}）' if category else ''} · 从业人员 {int(get('employees'))} 人 · "
        f"正式党员 {int(get('formal_members'))} 名",
        f"覆盖状态：{COVERAGE_LABELS.get(str(get('coverage')), '未知')}",
    ]
    po = text_or_none(get("party_org"))
    if po is not None:
        lines.append(f"覆盖党组织：{po_names.get(po, po)}（{po}）")
    where = [text_or_none(get(c)) for c in ("street_name", "building_name", "park_name")]
    if any(where):
        lines.append("位置：" + " / ".join(w for w in where if w))
    chain = text_or_none(get("chain_name"))
    if chain is not None:
        position = text_or_none(get("position"))
        lines.append(
            f"产业链：{chain} · {text_or_none(get('segment_name')) or ''}"
            + (f"（{position}）" if position else "")
        )
    return lines


def staff_size(employees: int, top: float = 24.0) -> float:
    """Node radius by staff: a square-root scale, clamped (up to 9 people 8, 100 people 18,
    324 and more 24)."""
    return round(min(top, max(8.0, 3.0 + 1.5 * math.sqrt(max(employees, 0)))), 1)


def count_size(count: int) -> float:
    """Size of a folded node by how many it stands for."""
    return round(min(45.0, 12.0 + 2.5 * math.sqrt(max(count, 0))), 1)
