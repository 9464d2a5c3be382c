"""The interactive maps: regions, industry chains, partners, the formation plan and pairings.

Each function takes the graph first and returns a :class:`~viz.mapdata.NetworkMap` with every
node placed (x, y in pixels; the browser runs no physics), a Chinese label, a plain-text
multi-line tooltip, ``search`` (name and code) and, where ``link`` gives one, the ``url`` a
click opens. The analyses decide everything a map shows (coverage, clusters, the chain report,
partners, the plan, pairings); this module only places and colours their results. No map
carries more than :data:`~viz.mapdata.MAX_NODES` nodes: a larger scope is folded into places
with counts, and a click on a folded node drills down.

Nodes and edges are assembled with pyvis's ``Network`` (``directed=True``: on an undirected
network pyvis scans every edge for a duplicate on each ``add_edge``; arrows are switched off
per edge instead) and taken from ``net.nodes`` / ``net.edges``; nothing of pyvis's HTML is used.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd
from pyvis.network import Network

from graph.analysis.chains import ATTACHMENTS, FINDING_CODES, SEVERITIES, chain_structure
from graph.analysis.clusters import clusters
from graph.analysis.common import (
    COVERAGE_LABELS,
    Params,
    commonest,
    is_missing,
    node_rows,
    node_table,
    org_table,
    party_org_names,
    party_org_table,
    streets,
)
from graph.analysis.pairing import pairing
from graph.analysis.partners import partners
from graph.analysis.plan import FormationPlan, JointGroup, plan
from graph.errors import NotFound
from graph.model import (
    EdgeKind,
    FormationMode,
    NodeKind,
    PairingType,
    PartyOrgType,
    node_id,
)
from viz import layout
from viz.layout import Point
from viz.mapdata import MAX_NODES, LegendItem, Linker, NetworkMap, no_links

__all__ = [
    "COVERAGE_COLORS",
    "MAX_NODES",
    "chain_map",
    "pairing_map",
    "partner_map",
    "plan_map",
    "region_map",
]

COVERAGE_COLORS: dict[str, str] = {
    "own": "#2e7d32",
    "joint": "#1565c0",
    "work": "#f9a825",
    "none": "#c62828",
}
"""An organization's colour by its coverage state (keys of ``COVERAGE_LABELS``)."""

SEVERITY_COLORS: dict[str, str] = dict(
    zip(SEVERITIES, ("#d50000", "#ff6d00", "#ffab00"), strict=True)
)
"""The border of a node with a chain finding, by the finding's severity (高 / 中 / 低)."""

PAIRING_COLORS: dict[str, str] = {
    PairingType.AGENCY_LIANGXIN.value: "#1565c0",
    PairingType.SCHOOL.value: "#2e7d32",
    PairingType.HOSPITAL.value: "#00897b",
    PairingType.ENTERPRISE_VILLAGE.value: "#6d4c41",
    PairingType.COMMUNITY_ENTERPRISE.value: "#8e24aa",
    PairingType.OTHER.value: "#757575",
}

MODE_COLORS: dict[str, str] = {
    FormationMode.BUILDING.value: "#6a1b9a",
    FormationMode.INDUSTRY.value: "#00838f",
    FormationMode.AREA.value: "#ad1457",
    FormationMode.JOINT.value: "#ad1457",
    FormationMode.LEAD.value: "#ef6c00",
    FormationMode.FALLBACK.value: "#5d4037",
    FormationMode.PLATFORM.value: "#283593",
    FormationMode.STANDALONE.value: "#2e7d32",
}
"""A proposed group's (or a cluster's) colour by its 组建方式."""

# Places are coloured by the share of their organizations without a Party organization.
_SHARE_COLORS = (
    ("#81c784", "党组织全覆盖"),
    ("#ffd54f", "党组织未覆盖不足10%"),
    ("#e57373", "党组织未覆盖10%及以上"),
    ("#cfd8dc", "范围内无组织"),
)
_PLACE_SHAPES = {
    "district": ("hexagon", "区县"),
    "street": ("diamond", "街道/镇"),
    "building": ("square", "楼宇"),
    "park": ("triangleDown", "园区"),
}
_GREY, _LIGHT, _EDGE = "#78909c", "#cfd8dc", "#b0bec5"
_COMMITTEE = "#b71c1c"
_CLUSTER, _CLUSTER_WEAK = "#8e24aa", "#ce93d8"
_PARTY = "#1565c0"
_STANDALONE = "#43a047"
_ATTACH_EDGE = "#ef6c00"
_GHOST = "#ffebee"  # what should exist and does not (a chain without a committee)
_MEMBER_EDGE = "#90a4ae"
_SIDE_COLORS = {"骨干企业": "#1565c0", "政府部门": "#6d4c41", "协会联盟": "#00897b"}
_ATTACHMENT_COLORS = {"formal": "#0d47a1", "functional": "#0097a7", "detached": "#9e9e9e"}
_NO_ARROW = {"to": {"enabled": False}}
_COVERAGE_LEGEND = tuple(LegendItem(COVERAGE_LABELS[k], c) for k, c in COVERAGE_COLORS.items())
"""An organization's colour by coverage state, as every map with organizations explains it."""


# ---------------------------------------------------------------------------------------------
# 1. The regional map


def region_map(
    g: nx.MultiDiGraph,
    params: Params | None = None,
    *,
    district: str | None = None,
    street: str | None = None,
    building: str | None = None,
    park: str | None = None,
    link: Linker = no_links,
) -> NetworkMap:
    """Districts → streets → buildings and parks → organizations, coloured by coverage.

    The scope is the organizations in every place given (none: the whole area). Only
    organizations in scope are drawn (``in_scope``: 僵尸企业, 空壳 and 注销 are cleared from the
    rates, seed 003, and so are organizations under the staff minimum); each is coloured by its
    coverage state (单独建立 / 联合 / 仅工作覆盖 / 未覆盖, :func:`org_table`) and sized by its
    staff. Places are coloured by the share of their organizations without a Party
    organization. Uncovered organizations that could form one organization together
    (:func:`~graph.analysis.clusters.clusters`) get a hub node with the suggested mode and
    reason; each street's 街道两新综合党委 hangs on its street.

    Positions come from the ledger's coordinates where it has them (buildings', organizations'
    own; projected linearly on the scope's bounding box), otherwise places go round their
    parent and organizations round their place. A scope of more than :data:`MAX_NODES` nodes
    is folded: organizations into their building, park or street (``aggregated``), then
    buildings and parks into streets, then streets into districts; a folded node links to its
    own page. Unknown places raise :class:`~graph.errors.NotFound`.
    """
    params = params or Params()
    orgs = org_table(g, params)
    places = _Places(g)
    scope = _RegionScope.of(places, district, street, building, park)
    inside = scope.mask(orgs)
    shown = orgs[orgs["in_scope"].to_numpy(dtype=bool) & inside]
    hidden = int(inside.sum()) - len(shown)
    if scope.root == "park":  # the park's part of each street and building it spans
        scope.streets = sorted(shown["street"].dropna().astype(str).unique().tolist())
        scope.buildings = sorted(shown["building"].dropna().astype(str).unique().tolist())
    pos = party_org_table(g)
    committees = pos[
        (pos["type"] == PartyOrgType.STREET_COMPREHENSIVE).to_numpy(dtype=bool)
        & pos["street"].isin(scope.streets).to_numpy(dtype=bool)
        & (scope.root != "park")
    ].sort_values("id")
    found = clusters(g, params)
    on_map = set(shown["uscc"].tolist())
    found = found.loc[[any(u in on_map for u in ms) for ms in found["members"]]]

    region = _Region(places, scope, shown, committees, found, party_org_names(g), link)
    level = region.level()
    net = region.draw(level)
    title = f"区域党建覆盖图 · {scope.title}"
    notes = []
    if level != "org":
        notes.append(f"组织较多，已按{_LEVEL_WORDS[level]}汇总；点击节点查看详情")
    if hidden:
        notes.append(f"已隐藏不计入统计的组织 {hidden} 家（僵尸企业、空壳、注销或未达统计范围）")
    return net.result(title, "；".join(notes), aggregated=level != "org")


_HUB_MAX = 12
"""Clusters of up to this many organizations get a hub node; larger ones (the rest of a
street) are described in their members' tooltips only."""

_LEVEL_WORDS = {"place": "楼宇/街道", "street": "街道", "district": "区县", "cut": "区县"}


class _Places:
    """The place nodes of the graph as tables (code index): streets, buildings, parks."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.streets: pd.DataFrame = streets(g)
        self.buildings = node_table(g, NodeKind.BUILDING, "type", "street", "lon", "lat")
        self.parks = node_table(g, NodeKind.PARK, "level", "district")
        self.districts = sorted(str(d["code"]) for d in node_rows(g, NodeKind.DISTRICT))


@dataclass
class _RegionScope:
    """Which places a regional map shows, and which organizations are in it."""

    title: str
    districts: list[str]
    streets: list[str]
    buildings: list[str]
    parks: list[str]
    filters: dict[str, str] = field(default_factory=dict)
    root: str = "district"  # the top kind of place drawn

    @classmethod
    def of(
        cls,
        places: _Places,
        district: str | None,
        street: str | None,
        building: str | None,
        park: str | None,
    ) -> _RegionScope:
        _check(
            district is None or district in places.districts, "区县", district, "街道表的所在区县"
        )
        _check(street is None or street in places.streets.index, "街道编码", street, "街道表")
        _check(
            building is None or building in places.buildings.index, "楼宇编码", building, "楼宇表"
        )
        _check(park is None or park in places.parks.index, "园区编码", park, "园区表")
        filters = {
            k: v
            for k, v in (
                ("district", district),
                ("street", street),
                ("building", building),
                ("park", park),
            )
            if v is not None
        }
        st, bd, pk = places.streets, places.buildings, places.parks
        if building is not None:
            home = bd.at[building, "street"]
            streets_ = [] if is_missing(home) else [str(home)]
            names = [str(bd.at[building, "name"])]
            return cls(" · ".join(names), [], streets_, [building], [], filters, "street")
        if park is not None:
            return cls(str(pk.at[park, "name"]), [], [], [], [park], filters, "park")
        if street is not None:
            streets_ = [street]
            title = str(st.at[street, "name"])
            root = "street"
            districts: list[str] = []
        elif district is not None:
            streets_ = sorted(st.index[st["district"] == district].tolist())
            title, root, districts = district, "district", [district]
        else:
            streets_ = sorted(st.index.tolist())
            title, root = "全域", "district"
            districts = sorted({str(d) for d in st["district"].dropna()})
        buildings_ = sorted(bd.index[bd["street"].isin(streets_)].tolist())
        if street is not None:
            parks_: list[str] = []  # added from the organizations (a park spans streets)
        else:
            wanted = set(districts)
            parks_ = sorted(pk.index[pk["district"].isin(wanted)].tolist())
        return cls(title, districts, streets_, buildings_, parks_, filters, root)

    def mask(self, orgs: pd.DataFrame) -> pd.Series:
        mask = pd.Series(True, index=orgs.index)
        for column, value in self.filters.items():
            mask &= (orgs[column] == value).fillna(False).astype(bool)
        return mask.to_numpy(dtype=bool)


class _Region:
    """One regional map being drawn: the places, the organizations, the fold level."""

    def __init__(
        self,
        places: _Places,
        scope: _RegionScope,
        shown: pd.DataFrame,
        committees: pd.DataFrame,
        found: pd.DataFrame,
        po_names: dict[str, str],
        link: Linker,
    ) -> None:
        self.places, self.scope, self.shown, self.link = places, scope, shown, link
        self.committees, self.found, self.po_names = committees, found, po_names
        parks = set(scope.parks)
        if scope.root == "park":  # the park is the root, not one of the places below it
            parks = set()
        elif "building" not in scope.filters:
            # parks holding organizations of the scope are shown too (a park spans streets)
            parks |= set(shown["park"].dropna().astype(str))
        self.parks = sorted(parks)
        self.root_park = scope.parks[0] if scope.root == "park" else None
        self.counts = {
            column: _coverage_counts(shown, column)
            for column in ("district", "street", "building", "park")
        }
        self.cluster_places = self._cluster_places()

    # -- fold level ----------------------------------------------------------------------

    def level(self) -> str:
        """The finest of org / place / street / district whose node count fits the cap."""
        s = self.scope
        committees = len(self.committees) + (self.root_park is not None)
        place = len(s.districts) + len(s.streets) + len(s.buildings) + len(self.parks)
        hubs = sum(2 <= len(m) <= _HUB_MAX for m in self.found["members"])
        if place + committees + len(self.shown) + hubs <= MAX_NODES:
            return "org"
        if place + committees <= MAX_NODES:
            return "place"
        if len(s.districts) + len(s.streets) + committees <= MAX_NODES:
            return "street"
        return "district" if len(s.districts) <= MAX_NODES else "cut"

    # -- drawing -------------------------------------------------------------------------

    def draw(self, level: str) -> _Canvas:
        s, places = self.scope, self.places
        tree = layout.Tree(leaf_spacing=32.0)
        spec: dict[str, dict[str, Any]] = {}
        lonlat: dict[Hashable, Point] = {}  # own coordinates
        centres: dict[Hashable, Point] = {}  # places at the centre of their organizations
        folded = level != "org"
        districts = s.districts if level != "cut" else s.districts[:MAX_NODES]

        if s.root == "district":
            for d in districts:
                spec[f"district:{d}"] = self._place("district", d, d, folded)
                tree.add(f"district:{d}")
        top = None
        if self.root_park is not None:
            top = f"park:{self.root_park}"
            name = str(places.parks.at[self.root_park, "name"])
            spec[top] = self._place("park", self.root_park, name, folded)
            tree.add(top)
            centres.update(self._centroid(top, "park", self.root_park))
        show_streets = level in ("org", "place", "street")
        if show_streets:
            for code in s.streets:
                district = places.streets.at[code, "district"]
                parent = f"district:{district}" if district in districts else top
                key = f"street:{code}"
                spec[key] = self._place(
                    "street", code, str(places.streets.at[code, "name"]), folded
                )
                tree.add(key, parent)
                centres.update(self._centroid(key, "street", code))
            for row in self.committees.itertuples(index=False):
                key = f"po:{row.id}"
                spec[key] = self._committee(row)
                tree.add(key, f"street:{row.street}", leaf=True)
        if level in ("org", "place"):
            for code in s.buildings:
                key = f"building:{code}"
                parent = f"street:{places.buildings.at[code, 'street']}"
                name = str(places.buildings.at[code, "name"])
                spec[key] = self._place("building", code, name, folded)
                tree.add(key, parent if parent in spec else None)
                own = self._building_lonlat(code)
                if own is not None:
                    lonlat[key] = own
                else:
                    centres.update(self._centroid(key, "building", code))
            for code in self.parks:
                key = f"park:{code}"
                spec[key] = self._place("park", code, str(places.parks.at[code, "name"]), folded)
                tree.add(key, self._park_parent(code, spec))
                centres.update(self._centroid(key, "park", code))
        if level == "org":
            for row in self.shown.sort_values("uscc").itertuples(index=False):
                key = f"org:{row.uscc}"
                spec[key] = self._org(row)
                tree.add(key, self._org_parent(row, spec), leaf=True)
                own = self._own_lonlat(row)
                if own is not None:
                    lonlat[key] = own

        side = min(5000.0, max(600.0, 100.0 * math.sqrt(len(spec))))
        projected = layout.project({**centres, **lonlat}, side)
        xy = tree.positions(
            {k: p for k, p in projected.items() if k in lonlat},
            {k: p for k, p in projected.items() if k not in lonlat},
        )
        edges = [(tree.parent[k], k) for k in spec if tree.parent.get(k) is not None]
        hubs = self._hubs(xy, spec, edges) if level == "org" else []

        net = _Canvas()
        for key, attrs in spec.items():
            net.node(key, xy[key], **attrs)
        for a, b in edges:
            if b.startswith("po:"):
                net.edge(a, b, color=_COMMITTEE, dashes=True, title="街道两新综合党委")
            else:
                net.edge(a, b, color=_LIGHT if b.startswith("org:") else _EDGE)
        for hub, members, color in hubs:
            for m in members:
                net.edge(hub, m, color=color, dashes=True, width=1.5)
        net.legend.extend(self._legend(level, bool(hubs)))
        return net

    def _place(self, kind: str, code: str, name: str, folded: bool) -> dict[str, Any]:
        counts = self.counts[kind].get(code, Counter())
        total, uncovered = sum(counts.values()), counts["none"] + counts["work"]
        shape = _PLACE_SHAPES[kind][0]
        label = f"{name} ({total}家，未覆盖{uncovered})" if folded else name
        lines = [name, f"{_PLACE_SHAPES[kind][1]}{'' if kind == 'district' else '编码'}：{code}"]
        if kind == "building":
            b = self.places.buildings.loc[code]
            lines[1] += f" · {_text(b['type']) or '楼宇'}"
            street = _text(b["street"])
            if street in self.places.streets.index:
                lines.append(f"所在街道：{self.places.streets.at[street, 'name']}")
        elif kind == "park":
            p = self.places.parks.loc[code]
            lines[1] += f" · {_text(p['level']) or ''}园区"
        elif kind == "street":
            lines.append(f"所在区县：{_text(self.places.streets.at[code, 'district']) or '未填'}")
        lines += _coverage_lines(counts)
        hot = self.cluster_places.get(f"{kind}:{code}", [])
        for c in hot[:3]:
            lines.append(f"可联合组建的未覆盖组织群：{c['mode']}，{c['size']}家")
        if len(hot) > 3:
            lines.append(f"……共 {len(hot)} 个可联合组建的组织群")
        attrs: dict[str, Any] = {
            "label": label,
            "title": "\n".join(lines),
            "shape": shape,
            "size": _count_size(total) if folded else 18,
            "color": _share_color(total, uncovered),
            # places stay labelled when zoomed out, when their organizations' names are hidden
            "font": {"size": 20},
            "scaling": {"label": {"drawThreshold": 3}},
            "search": f"{name} {code}",
            "url": self.link(kind, code),
            "group": kind,
        }
        if hot:
            attrs["color"] = {"background": attrs["color"], "border": _CLUSTER}
            attrs["borderWidth"] = 3
        return attrs

    def _committee(self, row: Any) -> dict[str, Any]:
        lines = [
            str(row.name),
            f"街道两新综合党委 · 党组织编码：{row.id}",
            f"组织层级：{_text(row.level) or '未填'} · 党员 {int(row.members)} 名",
            f"直接覆盖组织 {int(row.covers)} 家",
        ]
        if row.has_secretary is False:
            lines.append("未配备书记")
        return {
            "label": str(row.name),
            "title": "\n".join(lines),
            "shape": "triangle",
            "size": 16,
            "color": _COMMITTEE,
            "search": f"{row.name} {row.id}",
            "group": "committee",
        }

    def _org(self, row: Any) -> dict[str, Any]:
        lines = _org_lines(row, self.po_names)
        cluster = self.org_cluster.get(row.uscc)
        if cluster is not None:
            lines.append(f"所在未覆盖组织群（{cluster['size']}家）：建议{cluster['mode']}")
            lines.append(str(cluster["reason"]))
        return {
            "label": str(row.name),
            "title": "\n".join(lines),
            "shape": "dot",
            "size": _staff_size(int(row.employees)),
            "color": COVERAGE_COLORS[row.coverage],
            "search": f"{row.name} {row.uscc}",
            "url": self.link("org", row.uscc),
            "group": row.coverage,
        }

    def _org_parent(self, row: Any, spec: dict[str, Any]) -> str | None:
        order = [("building", row.building), ("park", row.park), ("street", row.street)]
        if self.root_park is not None:  # under the park: its streets, then the park itself
            order = [order[0], order[2], order[1]]
        for kind, code in order:
            if not is_missing(code) and f"{kind}:{code}" in spec:
                return f"{kind}:{code}"
        return None

    def _park_parent(self, code: str, spec: dict[str, Any]) -> str | None:
        district = _text(self.places.parks.at[code, "district"])
        if district is not None and f"district:{district}" in spec:
            return f"district:{district}"
        inside = self.shown.loc[self.shown["park"] == code, "street"].dropna()
        if len(inside):
            commonest = inside.value_counts().sort_index().idxmax()
            if f"street:{commonest}" in spec:
                return f"street:{commonest}"
        return None

    def _centroid(self, key: str, column: str, code: str) -> dict[Hashable, Point]:
        inside = self.shown.loc[self.shown[column] == code, ["lon", "lat"]].dropna()
        if inside.empty:
            return {}
        return {key: (float(inside["lon"].mean()), float(inside["lat"].mean()))}

    def _building_lonlat(self, code: str) -> Point | None:
        lon, lat = self.places.buildings.at[code, "lon"], self.places.buildings.at[code, "lat"]
        if is_missing(lon) or is_missing(lat):
            return None
        return float(lon), float(lat)

    def _own_lonlat(self, row: Any) -> Point | None:
        """An organization's own coordinates; None when they are its building's (it then goes
        round its building with the others) or missing."""
        if is_missing(row.lon) or is_missing(row.lat):
            return None
        if not is_missing(row.building) and row.building in self.places.buildings.index:
            b = self.places.buildings.loc[row.building]
            if (
                not is_missing(b["lon"])
                and float(b["lon"]) == float(row.lon)
                and float(b["lat"]) == float(row.lat)
            ):
                return None
        return float(row.lon), float(row.lat)

    def _cluster_places(self) -> dict[str, list[dict[str, Any]]]:
        """Feasible clusters by the place node that holds them (when organizations are folded),
        and every cluster by member (for the members' tooltips)."""
        self.org_cluster: dict[str, dict[str, Any]] = {}
        by_place: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in self.found.to_dict("records"):
            for uscc in c["members"]:
                self.org_cluster[uscc] = c
            if not c["feasible"]:
                continue
            where = {"building": "building", "park": "park"}.get(c["level"], "street")
            code = c[where] if c[where] is not None else c["street"]
            if code is not None:
                by_place[f"{where}:{code}"].append(c)
            if where != "street" and c["street"] is not None:
                by_place[f"street:{c['street']}"].append(c)
            if c["district"] is not None:
                by_place[f"district:{c['district']}"].append(c)
        return by_place

    def _hubs(
        self, xy: dict[Hashable, Point], spec: dict[str, Any], edges: list[tuple[str, str]]
    ) -> list[tuple[str, list[str], str]]:
        """A hub node per cluster of two or more organizations on the map."""
        hubs = []
        for c in self.found.to_dict("records"):
            members = [f"org:{u}" for u in c["members"] if f"org:{u}" in spec]
            if not 2 <= len(members) <= _HUB_MAX:  # a whole street's rest is no group to draw
                continue
            key = f"cluster:{c['cluster_id']}"
            color = _CLUSTER if c["feasible"] else _CLUSTER_WEAK
            x = sum(xy[m][0] for m in members) / len(members)
            y = min(xy[m][1] for m in members) - 45
            xy[key] = (x, y)
            state = "可联合组建" if c["feasible"] else "暂不能自行联合组建"
            lines = [
                f"未覆盖组织群（{c['size']}家，{state}）",
                f"建议：{c['mode']}",
                str(c["reason"]),
                "成员：" + "、".join(c["member_names"][:8]) + ("等" if c["size"] > 8 else ""),
            ]
            if c["taker_name"]:
                lines.append(f"可由“{c['taker_name']}”承接：{c['taker_reason']}")
            spec[key] = {
                "label": f"{c['mode']}·{c['size']}家",
                "title": "\n".join(lines),
                "shape": "star",
                "size": 16,
                "color": color,
                "search": " ".join(c["member_names"]),
                "group": "cluster",
            }
            hubs.append((key, members, color))
        layout.separate(xy, list(spec), 26.0)
        return hubs

    def _legend(self, level: str, hubs: bool) -> list[LegendItem]:
        items = []
        if level == "org":
            items += _COVERAGE_LEGEND
        kinds = ["district", "street", "building", "park"]
        if level == "street":
            kinds = ["district", "street"]
        elif level in ("district", "cut"):
            kinds = ["district"]
        items += [LegendItem(_PLACE_SHAPES[k][1], _GREY, _PLACE_SHAPES[k][0]) for k in kinds]
        items += [LegendItem(f"地点：{label}", color, "square") for color, label in _SHARE_COLORS]
        if level in ("org", "place", "street") and len(self.committees):
            items += [
                LegendItem("街道两新综合党委", _COMMITTEE, "triangle"),
                LegendItem("综合党委所在街道", _COMMITTEE, "line", dashes=True),
            ]
        if hubs:
            items += [
                LegendItem("未覆盖组织群：可联合组建", _CLUSTER, "star"),
                LegendItem("未覆盖组织群：暂不能自行联合组建", _CLUSTER_WEAK, "star"),
                LegendItem("组织群成员（可联合组建）", _CLUSTER, "line", dashes=True),
                LegendItem("组织群成员（暂不能）", _CLUSTER_WEAK, "line", dashes=True),
            ]
        if self.cluster_places and level != "cut":
            items.append(LegendItem("紫色边框：含可联合组建的未覆盖组织群", _CLUSTER, "square"))
        items.append(LegendItem("地点所属关系", _EDGE, "line"))
        if level == "org":
            items.append(LegendItem("组织所在地点", _LIGHT, "line"))
        return items


# ---------------------------------------------------------------------------------------------
# 2. The industry-chain map


def chain_map(
    g: nx.MultiDiGraph, chain: str, params: Params | None = None, link: Linker = no_links
) -> NetworkMap:
    """The three-level chain system of one chain, upstream on the left, downstream on the right.

    From :func:`~graph.analysis.chains.chain_structure`: the 园区党工委 at the top, the
    产业链党委 below it with its member units by side (三方进入), the enterprise Party
    organizations (attached formally: solid line; functionally: dashed; detached: no line and a
    dashed red border), and the chain's organizations in scope under their segment, segments
    ordered 上游 → 中游 → 下游 left to right. Supply links (上下游配套) are thin grey arrows.
    Every finding is written into the tooltip of the node it is about and colours that node's
    border by severity. Over :data:`MAX_NODES` the organizations are folded into their
    segment, then the Party organizations into one node per attachment. An unknown chain
    raises :class:`~graph.errors.NotFound`.
    """
    params = params or Params()
    report = chain_structure(g, chain, params)[0]
    orgs = org_table(g, params)
    members = orgs[(orgs["in_scope"] & (orgs["chain"] == chain)).to_numpy(dtype=bool)]
    pos = party_org_table(g).set_index("id")
    return _Chain(g, report, members, pos, link).draw()


_Y_PARK, _Y_COMMITTEE, _Y_PO, _Y_SEGMENT = -520.0, -300.0, 0.0, 230.0
_CELL_X, _CELL_Y, _SEGMENT_GAP = 72.0, 64.0, 90.0
_MEMBER_ROWS, _MEMBER_X, _MEMBER_Y = 5, 180.0, 48.0
_PO_ROWS, _PO_GAP = 3, 110.0


class _Chain:
    def __init__(
        self,
        g: nx.MultiDiGraph,
        report: Any,
        members: pd.DataFrame,
        pos: pd.DataFrame,
        link: Linker,
    ) -> None:
        self.g, self.report, self.link, self.pos = g, report, link, pos
        order = {s.segment: i for i, s in enumerate(report.segments)}
        self.attachment = {e.party_org: e.attachment for e in report.enterprise_orgs}
        rank = {"formal": 0, "functional": 1, "detached": 2}
        self.members = members.assign(
            _segment=members["segment"].map(order),
            _rank=members["party_org"].map(lambda p: rank.get(p, 3)),
            _po=members["party_org"].fillna("~"),
        ).sort_values(["_segment", "_rank", "_po", "uscc"])
        self.po_names = party_org_names(g)

    def level(self) -> str:
        r = self.report
        fixed = 1 + len(r.committees) + sum(len(c.members) for c in r.committees) + 2
        fixed += len(r.segments)
        covering = self.members["party_org"].dropna().nunique()
        if fixed + covering + len(self.members) <= MAX_NODES:
            return "org"
        if fixed + covering <= MAX_NODES:
            return "segment"
        return "attachment"

    def draw(self) -> NetworkMap:
        r = self.report
        level = self.level()
        net = _Canvas()
        findings = self._findings()
        x_segments = self._segment_columns(level)
        centre = 0.0

        # level 1: the park committee (and any non-park parent of a committee)
        widest = max((math.ceil(len(c.members) / _MEMBER_ROWS) for c in r.committees), default=0)
        committee_x = _spread_x(len(r.committees) or 1, 760.0 + widest * _MEMBER_X, centre)
        if r.park_committee is not None:
            code = r.park_committee.code
            park = self.pos.at[code, "park"] if code in self.pos.index else None
            lines = [r.park_committee.name, f"园区党工委（第一级） · 党组织编码：{code}"]
            net.node(
                f"po:{code}",
                (centre, _Y_PARK),
                label=r.park_committee.name,
                title="\n".join(lines),
                shape="box",
                color="#7f0000",
                font={"color": "#ffffff"},
                search=f"{r.park_committee.name} {code}",
                url=None if is_missing(park) else self.link("park", str(park)),
            )
        # level 2: the chain committees and their member units
        for c, x in zip(r.committees, committee_x, strict=False):
            key = f"po:{c.code}"
            lines = [
                c.name,
                f"产业链党委（第二级） · 党组织编码：{c.code}",
                f"组织层级：{c.level or '未填'} · "
                + ("已配备书记" if c.has_secretary else "未配备书记"),
                "三方进入：已有"
                + ("、".join(c.sides_present) or "无")
                + ("；缺" + "、".join(c.sides_missing) if c.sides_missing else ""),
            ]
            if c.parent is None:
                lines.append("上级党组织：无")
            elif not c.parent_is_park:
                lines.append(f"上级党组织：{c.parent_name or c.parent}（非园区党工委）")
            net.node(
                key,
                (x, _Y_COMMITTEE),
                label=c.name,
                title="\n".join(lines + findings.pop(key, [])),
                shape="box",
                color=self._border(key, "#c62828"),
                borderWidth=self.border_width.get(key, 1),
                font={"color": "#ffffff"},
                search=f"{c.name} {c.code}",
                url=self.link("chain", r.chain),
            )
            if c.parent is not None:
                parent = f"po:{c.parent}"
                if parent not in net:
                    net.node(
                        parent,
                        (x, _Y_PARK),
                        label=c.parent_name or c.parent,
                        title=f"{c.parent_name or c.parent}\n上级党组织（非园区党工委）",
                        shape="box",
                        color=_GREY,
                        search=f"{c.parent_name or ''} {c.parent}",
                    )
                net.edge(
                    parent,
                    key,
                    color="#7f0000" if c.parent_is_park else _GREY,
                    width=2,
                    title="隶属",
                )
            # member units: a block right of the committee, column by column, sides in order
            rows = min(len(c.members), _MEMBER_ROWS)
            for i, m in enumerate(c.members):
                unit = f"unit:{c.code}:{i}"
                lines = [m.name, f"产业链党委成员单位（{m.side}）"]
                if m.member:
                    lines.append(f"统一社会信用代码：{m.member}")
                net.node(
                    unit,
                    (
                        x + 300.0 + (i // rows) * _MEMBER_X,
                        _Y_COMMITTEE + (i % rows - (rows - 1) / 2) * _MEMBER_Y,
                    ),
                    label=m.name,
                    title="\n".join(lines),
                    shape="diamond",
                    size=10,
                    color=_SIDE_COLORS.get(m.side, _GREY),
                    search=f"{m.name} {m.member or ''}".strip(),
                    url=self.link("org", m.member) if m.member else None,
                )
                net.edge(unit, key, color=_SIDE_COLORS.get(m.side, _GREY), title="三方进入")
        if not r.committees:
            key = f"missing:{r.chain}"
            net.node(
                key,
                (centre, _Y_COMMITTEE),
                label="（未建产业链党委）",
                title="\n".join(["尚未建立产业链党委", *findings.pop(key, [])]),
                shape="box",
                color={"background": _GHOST, "border": SEVERITY_COLORS["高"]},
                borderWidth=3,
                shapeProperties={"borderDashes": [6, 4]},
                search=f"{r.name} 未建产业链党委",
            )
            if r.park_committee is not None:
                net.edge(f"po:{r.park_committee.code}", key, color=_LIGHT, dashes=True)

        # level 4 first (positions of organizations decide where their Party orgs go)
        org_xy, display = self._organizations(net, level, x_segments, findings)
        # level 3: enterprise Party organizations and other covering ones
        self._party_orgs(net, level, org_xy, display, findings)
        self._supplies(net, display)
        leftover = sum(len(v) for v in findings.values())

        note = (
            f"链上组织 {r.enterprises} 家，党组织覆盖 {r.covered} 家；企业党组织隶属 "
            f"{r.attached_formal} 个、功能型 {r.attached_functional} 个、未纳入 {r.detached} 个；"
            f"发现问题 {len(r.findings)} 条"
        )
        if leftover:
            note += f"（其中 {leftover} 条未能在图上标出，见产业链报告）"
        if level != "org":
            note += "；组织较多，已按产业链环节汇总"
        net.legend.extend(self._legend(level))
        name = r.name if r.name.endswith("产业链") else f"{r.name}产业链"
        return net.result(f"{name}党建图", note, aggregated=level != "org")

    # -- parts ---------------------------------------------------------------------------

    def _findings(self) -> dict[str, list[str]]:
        """Tooltip lines per node key, and the border colour of each node with a finding."""
        lines: dict[str, list[str]] = defaultdict(list)
        self.border: dict[str, str] = {}
        self.border_width: dict[str, int] = {}
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        for f in self.report.findings:
            if f.code == "chain_without_committee":
                key = f"missing:{f.subject}"
            elif f.code in ("segment_uncovered", "segment_single_point"):
                key = f"segment:{f.subject}"
            elif f.code == "single_point_of_failure":
                key = f"org:{f.subject}"
            else:
                key = f"po:{f.subject}"
            lines[key].append(f"【{FINDING_CODES[f.code]}·{f.severity}】{f.detail}")
            old = self.border.get(key)
            if old is None or rank[f.severity] < rank[old]:
                self.border[key] = f.severity
            self.border_width[key] = 3
        return lines

    def _border(self, key: str, background: str) -> str | dict[str, str]:
        if key in self.border:
            return {"background": background, "border": SEVERITY_COLORS[self.border[key]]}
        return background

    def _segment_columns(self, level: str) -> dict[str, tuple[float, float, int]]:
        """Per segment: (left x, width, columns) of its block, left to right, centred on 0."""
        counts = self.members.groupby("segment").size().to_dict()
        blocks = []
        for s in self.report.segments:
            n = counts.get(s.segment, 0) if level == "org" else 0
            cols = max(2, math.ceil(math.sqrt(n * 1.5))) if n else 2
            blocks.append((s.segment, cols * _CELL_X, cols))
        rows = [math.ceil(counts.get(code, 0) / cols) for code, _, cols in blocks]
        # segment names go under the organizations, like the x axis of a chart
        self.footer_y = _Y_SEGMENT + max([*rows, 1] if level == "org" else [0]) * _CELL_Y + 10
        total = sum(w for _, w, _ in blocks) + _SEGMENT_GAP * max(len(blocks) - 1, 0)
        x, found = -total / 2, {}
        for code, width, cols in blocks:
            found[code] = (x, width, cols)
            x += width + _SEGMENT_GAP
        return found

    def _organizations(
        self,
        net: _Canvas,
        level: str,
        columns: dict[str, tuple[float, float, int]],
        findings: dict[str, list[str]],
    ) -> tuple[dict[str, Point], dict[str, str]]:
        """Segment headers and organizations; returns organization positions and, per USCC,
        the node that stands for it (itself, or its segment when folded)."""
        r = self.report
        xy: dict[str, Point] = {}
        display: dict[str, str] = {}
        by_segment = {s: frame for s, frame in self.members.groupby("segment", sort=False)}
        for s in r.segments:
            left, width, cols = columns[s.segment]
            key = f"segment:{s.segment}"
            rate = "—" if s.enterprises == 0 else f"{s.org_rate:.1f}%"
            lines = [
                f"{s.position or '未标注位置'} · {s.name}",
                f"环节编码：{s.segment}",
                f"链上组织 {s.enterprises} 家，党组织覆盖 {s.covered} 家（{rate}），"
                f"单独组建 {s.own_organization} 家",
            ]
            frame = by_segment.get(s.segment, self.members.iloc[0:0])
            if level != "org" and len(frame):
                lines += _coverage_lines(Counter(frame["coverage"].tolist()))
            label = f"{s.position or ''}·{s.name}\n{s.enterprises}家，覆盖{s.covered}"
            net.node(
                key,
                (left + width / 2, self.footer_y),
                label=label,
                title="\n".join(lines + findings.pop(key, [])),
                shape="box",
                color=self._border(key, "#eceff1"),
                borderWidth=self.border_width.get(key, 1),
                search=f"{s.name} {s.segment}",
                size=_count_size(s.enterprises) if level != "org" else 18,
            )
            for i, row in enumerate(frame.itertuples(index=False)):
                if level != "org":
                    display[row.uscc] = key
                    continue
                org = f"org:{row.uscc}"
                point = (left + (i % cols + 0.5) * _CELL_X, _Y_SEGMENT + (i // cols) * _CELL_Y)
                xy[row.uscc], display[row.uscc] = point, org
                lines = _org_lines(row, self.po_names)
                net.node(
                    org,
                    point,
                    label=str(row.name),
                    title="\n".join(lines + findings.pop(org, [])),
                    shape="dot",
                    size=_staff_size(int(row.employees)),
                    color=self._border(org, COVERAGE_COLORS[row.coverage]),
                    borderWidth=self.border_width.get(org, 1),
                    search=f"{row.name} {row.uscc}",
                    url=self.link("org", row.uscc),
                    group=row.coverage,
                )
        if level != "org":  # a finding about an organization goes to its segment
            for key in [k for k in findings if k.startswith("org:")]:
                target = display.get(key[4:])
                if target is not None:
                    findings.setdefault(target, []).extend(findings.pop(key))
        return xy, display

    def _party_orgs(
        self,
        net: _Canvas,
        level: str,
        org_xy: dict[str, Point],
        display: dict[str, str],
        findings: dict[str, list[str]],
    ) -> None:
        r = self.report
        committees = [c.code for c in r.committees]
        covered = self.members[self.members["party_org"].notna()]
        by_po: dict[str, list[str]] = defaultdict(list)
        for po, uscc in zip(covered["party_org"], covered["uscc"], strict=True):
            by_po[str(po)].append(str(uscc))
        if level == "attachment":
            self._attachment_nodes(net, by_po, display, committees, findings)
            return
        order = sorted(by_po, key=lambda p: (_mean_x(by_po[p], org_xy, display, net), p))
        xs = _sweep([_mean_x(by_po[p], org_xy, display, net) for p in order], _PO_GAP / _PO_ROWS)
        for i, (po, x) in enumerate(zip(order, xs, strict=True)):
            key = f"po:{po}"
            attachment = self.attachment.get(po)
            if key in net:  # a committee that covers organizations itself: only the lines
                self._cover_lines(net, key, by_po[po], display, level, attachment)
                continue
            name = self.po_names.get(po, po)
            po_type = _text(self.pos.at[po, "type"]) if po in self.pos.index else None
            lines = [name, f"党组织编码：{po} · {po_type or '类别未填'}"]
            if attachment is not None:
                lines.append(f"与产业链党委的关系：{ATTACHMENTS[attachment]}")
            else:
                lines.append("覆盖链上组织，但不属企业党组织一级（如街道两新综合党委兜底覆盖）")
            lines.append(f"覆盖链上组织 {len(by_po[po])} 家")
            color = _ATTACHMENT_COLORS.get(attachment or "", _GREY)
            extra: dict[str, Any] = {}
            if attachment == "detached":
                extra["shapeProperties"] = {"borderDashes": [5, 4]}
                color = {"background": color, "border": SEVERITY_COLORS["高"]}
            if key in self.border:
                color = {
                    "background": color if isinstance(color, str) else color["background"],
                    "border": SEVERITY_COLORS[self.border[key]],
                }
            net.node(
                key,
                (x, _Y_PO + (i % _PO_ROWS) * 40.0),  # staggered rows: labels stay apart
                label=name,
                title="\n".join(lines + findings.pop(key, [])),
                shape="triangle",
                size=14,
                color=color,
                borderWidth=3 if attachment == "detached" or key in self.border else 1,
                search=f"{name} {po}",
                group=attachment or "other",
                **extra,
            )
            self._attach(net, key, po, attachment, committees)
            self._cover_lines(net, key, by_po[po], display, level, attachment)

    def _cover_lines(
        self,
        net: _Canvas,
        key: str,
        usccs: list[str],
        display: dict[str, str],
        level: str,
        attachment: str | None,
    ) -> None:
        """COVERS: one line per organization, or per segment with a width by count."""
        weights = Counter(display[u] for u in usccs)
        for target, n in weights.items():
            net.edge(
                key,
                target,
                color="#90caf9" if attachment else _LIGHT,
                width=min(1 + math.log2(n), 6) if level != "org" else 1,
                title="覆盖" if n == 1 else f"覆盖 {n} 家",
            )

    def _attach(
        self, net: _Canvas, key: str, po: str, attachment: str | None, committees: list[str]
    ) -> None:
        """The line from a Party organization up to the chain committee it belongs to."""
        if attachment not in ("formal", "functional") or not committees:
            return
        target = committees[0]
        if attachment == "formal":
            seen, current = {po}, self._parent(po)
            while current is not None and current not in seen:
                if current in committees:
                    target = current
                    break
                seen.add(current)
                current = self._parent(current)
        else:
            for c in committees:
                if self.g.has_edge(
                    node_id(NodeKind.PARTY_ORG, po),
                    node_id(NodeKind.PARTY_ORG, c),
                    EdgeKind.FUNCTIONAL_MEMBER_OF.value,
                ):
                    target = c
                    break
        _attachment_edge(net, target, key, attachment, 1.5)

    def _parent(self, po: str) -> str | None:
        if po not in self.pos.index:
            return None
        return _text(self.pos.at[po, "parent"])

    def _attachment_nodes(
        self,
        net: _Canvas,
        by_po: dict[str, list[str]],
        display: dict[str, str],
        committees: list[str],
        findings: dict[str, list[str]],
    ) -> None:
        """Folded: one node per attachment kind standing for its Party organizations."""
        groups: dict[str, list[str]] = defaultdict(list)
        for po in sorted(by_po):
            groups[self.attachment.get(po, "other")].append(po)
        kinds = [k for k in (*ATTACHMENTS, "other") if groups.get(k)]
        for kind, x in zip(kinds, _spread_x(len(kinds), 320.0, 0.0), strict=True):
            key = f"attachment:{kind}"
            label = ATTACHMENTS.get(kind, "其他覆盖党组织")
            moved = [line for po in groups[kind] for line in findings.pop(f"po:{po}", [])]
            lines = [f"{label}的党组织 {len(groups[kind])} 个", *moved[:10]]
            if len(moved) > 10:
                lines.append(f"……共 {len(moved)} 条问题")
            net.node(
                key,
                (x, _Y_PO),
                label=f"{label}党组织 {len(groups[kind])}个",
                title="\n".join(lines),
                shape="triangle",
                size=_count_size(len(groups[kind])),
                color=_ATTACHMENT_COLORS.get(kind, _GREY),
                search=label,
            )
            if kind in ("formal", "functional") and committees:
                _attachment_edge(net, committees[0], key, kind, 2)
            weights = Counter(display[u] for po in groups[kind] for u in by_po[po])
            for target, n in sorted(weights.items()):
                net.edge(key, target, color="#90caf9", width=min(1 + math.log2(n), 6))

    def _supplies(self, net: _Canvas, display: dict[str, str]) -> None:
        links: Counter[tuple[str, str]] = Counter()
        org = NodeKind.ORGANIZATION.prefix + ":"
        for uscc in sorted(display):
            for _, buyer, key in self.g.out_edges(org + uscc, keys=True):
                other = buyer[len(org) :]
                if key == EdgeKind.SUPPLIES and other in display and other != uscc:
                    a, b = display[uscc], display[other]
                    if a != b:
                        links[(a, b)] += 1
        for (a, b), n in sorted(links.items()):
            net.edge(
                a,
                b,
                color="#9e9e9e",
                width=0.8 if n == 1 else min(0.8 + math.log2(n), 5),
                arrows=True,
                title=f"上下游配套{'' if n == 1 else f' {n} 条'}",
            )

    def _legend(self, level: str) -> list[LegendItem]:
        r = self.report
        items = [
            LegendItem("园区党工委", "#7f0000", "box"),
            LegendItem("产业链党委", "#c62828", "box"),
            LegendItem("园区党工委—产业链党委（隶属）", "#7f0000", "line"),
        ]
        if any(c.parent is not None and not c.parent_is_park for c in r.committees):
            items += [
                LegendItem("上级党组织（非园区党工委）", _GREY, "box"),
                LegendItem("隶属于非园区党组织", _GREY, "line"),
            ]
        if not r.committees:
            items.append(LegendItem("（未建产业链党委）", _GHOST, "box"))
            if r.park_committee is not None:
                items.append(LegendItem("应建的隶属关系", _LIGHT, "line", dashes=True))
        items += [LegendItem(f"成员单位：{s}", c, "diamond") for s, c in _SIDE_COLORS.items()]
        items += [LegendItem(f"三方进入：{s}", c, "line") for s, c in _SIDE_COLORS.items()]
        items += [
            LegendItem(f"企业党组织：{ATTACHMENTS[k]}", c, "triangle")
            for k, c in _ATTACHMENT_COLORS.items()
        ]
        items += [
            LegendItem("其他覆盖党组织（如街道两新综合党委）", _GREY, "triangle"),
            LegendItem("产业链环节（上游→下游，从左到右）", "#eceff1", "box"),
        ]
        if level == "org":
            items += _COVERAGE_LEGEND
        items += [
            LegendItem("隶属", _ATTACHMENT_COLORS["formal"], "line"),
            LegendItem("功能型", _ATTACHMENT_COLORS["functional"], "line", dashes=True),
            LegendItem("未纳入：无连线、红色虚线框", SEVERITY_COLORS["高"], "triangle"),
            LegendItem("上下游配套（箭头）", "#9e9e9e", "line"),
            LegendItem("覆盖（企业党组织）", "#90caf9", "line"),
            LegendItem("覆盖（其他党组织）", _LIGHT, "line"),
        ]
        items += [
            LegendItem(f"问题（{s}）：边框颜色", c, "square") for s, c in SEVERITY_COLORS.items()
        ]
        return items


# ---------------------------------------------------------------------------------------------
# 3. The partner map


def partner_map(
    g: nx.MultiDiGraph,
    uscc: str,
    params: Params | None = None,
    top: int = 10,
    link: Linker = no_links,
) -> NetworkMap:
    """One organization in the centre and its ``top`` best joint-formation partners around it.

    The ranking is :func:`~graph.analysis.partners.partners` (better ranked partners nearer the
    centre and with thicker lines; rank, whether it can be formed now, score parts, distance
    and reason in the tooltip). The plan's outcome for the organization
    (:func:`~graph.analysis.plan.plan`) is marked: the proposed group's hub linked to all its
    members, or the Party organization it would join. An unknown USCC raises
    :class:`~graph.errors.NotFound`; an organization out of scope raises
    :class:`~graph.errors.LiangxinError` (as :func:`partners` does).
    """
    params = params or Params()
    found = partners(g, uscc, top, params)
    orgs = org_table(g, params)
    by_uscc = orgs.set_index("uscc", drop=False)
    po_names = party_org_names(g)
    x = by_uscc.loc[uscc]
    proposal = plan(g, params)
    net = _Canvas()
    centre = f"org:{uscc}"
    lines = _org_lines(x, po_names)
    if found.attrs.get("note"):
        lines.append(str(found.attrs["note"]))
    net.node(
        centre,
        (0.0, 0.0),
        label=str(x["name"]),
        title="\n".join(lines),
        shape="dot",
        size=30,
        color={"background": COVERAGE_COLORS[x["coverage"]], "border": "#212121"},
        borderWidth=4,
        search=f"{x['name']} {uscc}",
        url=link("org", uscc),
        group="centre",
    )
    rows = found.to_dict("records")
    angles = _fan(len(rows), -math.pi / 2, 3 * math.pi / 2, closed=True)
    for row, angle in zip(rows, angles, strict=True):
        radius = 170.0 + (int(row["rank"]) - 1) * 40.0  # the rank is not the score's order
        point = (radius * math.cos(angle), radius * math.sin(angle))
        is_org = row["candidate_kind"] == "organization"
        key = f"{'org' if is_org else 'po'}:{row['candidate']}"
        distance = row["distance_km"]
        lines = [
            f"第 {row['rank']} 名：{row['name']}"
            + ("（现在可组建）" if row["feasible"] else "（暂不能组建）"),
            ("统一社会信用代码：" if is_org else "现有联合党组织 · 党组织编码：")
            + row["candidate"],
            f"得分 {row['score']:.1f}（地域 {row['proximity_score']:.0f} + 距离 "
            f"{row['distance_score']:.1f} + 行业 {row['similarity_score']:.0f} + 党员 "
            f"{row['members_score']:.1f} + 规模 {row['size_score']:.1f}）",
            "距离："
            + ("无坐标" if distance is None or is_missing(distance) else f"约{distance:.1f}公里"),
            f"正式党员 {row['formal_members']} 名，合计 {row['together_formal_members']} 名",
            str(row["reason"]),
        ]
        if is_org and row["candidate"] in by_uscc.index:
            color = COVERAGE_COLORS[by_uscc.at[row["candidate"], "coverage"]]
            employees = int(by_uscc.at[row["candidate"], "employees"])
        else:
            color, employees = _PARTY, 0
        net.node(
            key,
            point,
            label=f"{row['rank']}. {row['name']}",
            title="\n".join(lines),
            shape="dot" if is_org else "triangle",
            size=_staff_size(employees) if is_org else 16,
            color=color,
            search=f"{row['name']} {row['candidate']}",
            url=link("org", row["candidate"]) if is_org else None,
            group="partner",
        )
        net.edge(
            centre,
            key,
            color="#78909c",
            width=round(max(9.0 - int(row["rank"]), 1.0), 2),  # by rank, as the radius
            title=f"第 {row['rank']} 名，得分 {row['score']:.1f}",
        )
    outcome = _mark_plan(net, proposal, uscc, by_uscc, po_names, link)
    note = "；".join(t for t in (found.attrs.get("note"), outcome) if t)
    if not rows:
        note = "；".join(t for t in ("附近没有可联合组建的伙伴", note) if t)
    net.legend.extend(
        [
            LegendItem("本组织（中心）", "#212121"),
            *_COVERAGE_LEGEND,
            LegendItem("现有联合党组织（可吸纳）", _PARTY, "triangle"),
            LegendItem("伙伴：越近、线越粗得分越高", "#78909c", "line"),
            LegendItem("组建方案：拟联合组建", _CLUSTER, "star"),
            LegendItem("组建方案：同组成员", _CLUSTER, "line", dashes=True),
            LegendItem("组建方案：拟并入现有党组织", _ATTACH_EDGE, "line"),
        ]
    )
    return net.result(f"联合组建伙伴 · {x['name']}", note)


def _mark_plan(
    net: _Canvas,
    proposal: FormationPlan,
    uscc: str,
    by_uscc: pd.DataFrame,
    po_names: dict[str, str],
    link: Linker,
) -> str | None:
    """Draw the plan's outcome for ``uscc``; returns the sentence for the note."""
    group = next((grp for grp in proposal.groups if uscc in grp.members), None)
    if group is not None:
        hub = f"group:{group.group_id}"
        extra = [u for u in group.members if f"org:{u}" not in net]
        angles = _fan(len(extra), math.radians(200), math.radians(340))
        for u, angle in zip(extra, angles, strict=True):
            row = by_uscc.loc[u]
            net.node(
                f"org:{u}",
                (700 * math.cos(angle), 700 * math.sin(angle)),
                label=str(row["name"]),
                title="\n".join(_org_lines(row, po_names)),
                shape="dot",
                size=_staff_size(int(row["employees"])),
                color=COVERAGE_COLORS[row["coverage"]],
                search=f"{row['name']} {u}",
                url=link("org", u),
            )
        xs = [net.xy(f"org:{u}") for u in group.members]
        point = (sum(p[0] for p in xs) / len(xs) - 90, min(p[1] for p in xs) - 110)
        net.node(
            hub,
            point,
            label=f"拟{group.mode}·{group.size}家",
            title=_group_title(group, "组建方案："),
            shape="star",
            size=18,
            color=_CLUSTER,
            search=f"{group.group_id} {group.mode}",
        )
        for u in group.members:
            net.edge(hub, f"org:{u}", color=_CLUSTER, dashes=True, width=1.5, title="同组成员")
        return f"组建方案：与 {group.size - 1} 家组织拟{group.mode}（{group.group_id}）"
    attachment = next((a for a in proposal.attachments if a.uscc == uscc), None)
    if attachment is not None:
        key = f"po:{attachment.party_org}"
        if key not in net:
            net.node(
                key,
                (0.0, -620.0),
                label=attachment.party_org_name,
                title=f"{attachment.party_org_name}\n党组织编码：{attachment.party_org}",
                shape="triangle",
                size=16,
                color=_PARTY,
                search=f"{attachment.party_org_name} {attachment.party_org}",
            )
        net.edge(
            f"org:{uscc}",
            key,
            color=_ATTACH_EDGE,
            width=2.5,
            arrows=True,
            title=f"组建方案：{attachment.mode}\n{attachment.reason}",
        )
        return f"组建方案：拟并入“{attachment.party_org_name}”（{attachment.mode}）"
    if any(s.uscc == uscc for s in proposal.standalone):
        return "组建方案：正式党员已达标，建议单独组建党组织"
    assignment = next((i for i in proposal.instructors if i.uscc == uscc), None)
    if assignment is not None:
        return f"组建方案：暂不具备组建条件，{assignment.target}"
    return None


# ---------------------------------------------------------------------------------------------
# 4. The plan map


def plan_map(
    g: nx.MultiDiGraph,
    params: Params | None = None,
    street: str | None = None,
    link: Linker = no_links,
) -> NetworkMap:
    """The formation plan (:func:`~graph.analysis.plan.plan`) of the area or one street.

    Each proposed joint group is a star hub labelled with its mode, its members around it;
    each attachment is an arrow from the organization to the existing Party organization that
    takes it in; organizations that should form their own are green squares. Everything hangs
    on its street. Organizations that get a 党建指导员 instead are counted in the note only.
    Over :data:`MAX_NODES` nodes the plan is folded into one node per street (counts in the
    label, a click opens the street). An unknown street raises :class:`~graph.errors.NotFound`.
    """
    params = params or Params()
    proposal = plan(g, params)
    names = streets(g)
    _check(street is None or street in names.index, "街道编码", street, "街道表")

    def ours(item: Any) -> bool:
        return street is None or item.street == street

    groups = [grp for grp in proposal.groups if ours(grp)]
    attachments = [a for a in proposal.attachments if ours(a)]
    standalone = [s for s in proposal.standalone if ours(s)]
    instructors = [i for i in proposal.instructors if ours(i)]
    codes = sorted(
        {x.street for x in (*groups, *attachments, *standalone)},
        key=lambda c: (str(names["district"].get(c, "")), c),
    )
    count = (
        len(codes)
        + sum(1 + grp.size for grp in groups)
        + len(attachments)
        + len({a.party_org for a in attachments})
        + len(standalone)
    )
    aggregated = count > MAX_NODES
    net = _Canvas()
    tree = layout.Tree(leaf_spacing=30.0, gap=60.0, place_extent=50.0)
    spec: dict[str, dict[str, Any]] = {}
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for code in codes:
        key = f"street:{code}"
        name = str(names["name"].get(code, code))
        n_groups = sum(grp.street == code for grp in groups)
        n_joined = sum(grp.size for grp in groups if grp.street == code)
        n_attached = sum(a.street == code for a in attachments)
        n_alone = sum(s.street == code for s in standalone)
        n_guided = sum(i.street == code for i in instructors)
        summary = (
            f"拟联合组建 {n_groups} 个（{n_joined} 家）、并入现有党组织 {n_attached} 家、"
            f"单独组建 {n_alone} 家、选派党建指导员 {n_guided} 家"
        )
        spec[key] = {
            "label": f"{name}\n联建{n_groups}·并入{n_attached}·单建{n_alone}"
            if aggregated
            else name,
            "title": f"{name}（{code}）\n{summary}",
            "shape": "box",
            "color": "#eceff1",
            "size": _count_size(n_joined + n_attached + n_alone) if aggregated else 18,
            "search": f"{name} {code}",
            "url": link("street", code),
            "group": "street",
        }
        tree.add(key)
    if not aggregated:
        for grp in groups:
            hub = f"group:{grp.group_id}"
            color = MODE_COLORS.get(grp.mode, _CLUSTER)
            spec[hub] = {
                "label": f"{grp.mode}·{grp.size}家",
                "title": _group_title(grp),
                "shape": "star",
                "size": 18,
                "color": color,
                "search": f"{grp.group_id} {grp.mode} " + " ".join(grp.member_names),
                "group": "group",
            }
            tree.add(hub, f"street:{grp.street}")
            edges.append((f"street:{grp.street}", hub, {"color": _LIGHT}))
            for u, name in zip(grp.members, grp.member_names, strict=True):
                key = f"org:{u}"
                spec[key] = _plan_org(u, name, f"拟{grp.mode}（{grp.group_id}）", link)
                tree.add(key, hub, leaf=True)
                edges.append((hub, key, {"color": _MEMBER_EDGE, "width": 1.5}))
        for a in attachments:
            po = f"po:{a.party_org}"
            if po not in spec:
                spec[po] = {
                    "label": a.party_org_name,
                    "title": f"{a.party_org_name}\n现有党组织 · 党组织编码：{a.party_org}",
                    "shape": "triangle",
                    "size": 16,
                    "color": _PARTY,
                    "search": f"{a.party_org_name} {a.party_org}",
                    "group": "party_org",
                }
                tree.add(po, f"street:{a.street}")
                edges.append((f"street:{a.street}", po, {"color": _LIGHT}))
            key = f"org:{a.uscc}"
            spec[key] = _plan_org(a.uscc, a.name, f"拟并入“{a.party_org_name}”（{a.mode}）", link)
            spec[key]["title"] += "\n" + a.reason
            tree.add(key, po, leaf=True)
            edges.append(
                (key, po, {"color": _ATTACH_EDGE, "arrows": True, "title": f"{a.mode}：{a.reason}"})
            )
        for s in standalone:
            key = f"org:{s.uscc}"
            spec[key] = _plan_org(s.uscc, s.name, f"单独组建（{s.level}）", link)
            spec[key].update(shape="square", color=_STANDALONE, size=14)
            spec[key]["title"] += f"\n正式党员 {s.formal_members} 名\n{s.reason}"
            tree.add(key, f"street:{s.street}", leaf=True)
            edges.append((f"street:{s.street}", key, {"color": _LIGHT}))
    # each street laid out round itself, the streets packed in rows in district order
    xy = _pack([_subtree(tree, root) for root in tree.roots])
    for key, attrs in spec.items():
        net.node(key, xy[key], **attrs)
    for a, b, attrs in edges:
        net.edge(a, b, **attrs)
    net.legend.extend(
        [
            LegendItem("街道/镇", "#eceff1", "box"),
            *(
                LegendItem(f"拟{m}", MODE_COLORS[m], "star")
                for m in sorted({grp.mode for grp in groups})
            ),
            LegendItem("拟联合组建的组织（颜色为当前覆盖状态）", COVERAGE_COLORS["none"]),
            LegendItem("现有党组织", _PARTY, "triangle"),
            LegendItem("拟并入现有党组织（箭头）", _ATTACH_EDGE, "line"),
            LegendItem("拟单独组建", _STANDALONE, "square"),
            LegendItem("同组成员", _MEMBER_EDGE, "line"),
            LegendItem("所在街道", _LIGHT, "line"),
        ]
    )
    note = (
        f"拟联合组建 {len(groups)} 个（覆盖 {sum(grp.size for grp in groups)} 家）、并入现有党组织 "
        f"{len(attachments)} 家、单独组建 {len(standalone)} 家；另有 {len(instructors)} 家暂不具备"
        "组建条件，选派党建指导员（见组建方案表）"
    )
    if street is None:
        note += "。" + _rates_text(proposal.rates)
    if aggregated:
        note += "；方案较大，已按街道汇总，点击街道查看详情"
    where = "全域" if street is None else str(names["name"].get(street, street))
    return net.result(f"组建方案图 · {where}", note, aggregated=aggregated)


def _group_title(group: JointGroup, lead: str = "") -> str:
    """The tooltip of a proposed joint group's hub: what, who, why."""
    return "\n".join(
        [
            f"{lead}拟联合组建 {group.group_id}（{group.mode}）",
            f"成员 {group.size} 家，正式党员 {group.formal_members} 名",
            "成员：" + "、".join(group.member_names),
            group.reason,
        ]
    )


def _subtree(tree: layout.Tree, root: Hashable) -> dict[Hashable, Point]:
    """The positions of one root's part of ``tree``, laid out as a tree of its own."""
    part = layout.Tree(tree.leaf_spacing, tree.gap, tree.place_extent)
    queue = [root]
    for node in queue:
        part.add(node, None if node == root else tree.parent[node], leaf=node in tree.leaves)
        queue.extend(tree.children[node])
    return part.positions()


def _plan_org(uscc: str, name: str, outcome: str, link: Linker) -> dict[str, Any]:
    return {
        "label": name,
        "title": f"{name}\n统一社会信用代码：{uscc}\n组建方案：{outcome}",
        "shape": "dot",
        "size": 10,
        "color": COVERAGE_COLORS["none"],
        "search": f"{name} {uscc}",
        "url": link("org", uscc),
        "group": "organization",
    }


def _rates_text(rates: pd.DataFrame) -> str:
    parts = []
    for row in rates.to_dict("records"):
        now, after = row["org_rate_now"], row["org_rate_after"]
        if is_missing(now):
            continue
        parts.append(f"{row['kind']}组织覆盖率 {now:.2f}% → {after:.2f}%")
    return "方案实施后：" + "，".join(parts) if parts else ""


# ---------------------------------------------------------------------------------------------
# 5. The pairing map


def pairing_map(
    g: nx.MultiDiGraph,
    params: Params | None = None,
    street: str | None = None,
    link: Linker = no_links,
) -> NetworkMap:
    """结对共建: Party organizations and their pairings, coloured by pairing type.

    Existing pairings (PAIRED_WITH) are solid lines coloured by 共建类型; 两新 Party
    organizations without a partner (:func:`~graph.analysis.pairing.pairing`) are red-bordered
    and linked by a dashed grey line to their first suggested partner. With ``street`` only the
    两新 Party organizations of that street (their own street, else the one most of their
    organizations are in) and their partners are drawn. Components are laid out one by one
    (a seeded spring layout, a star around its centre) and packed in rows. Over
    :data:`MAX_NODES` the unpaired ones are folded into one node per street, then every 两新
    Party organization is (partners stay). Unknown street: :class:`~graph.errors.NotFound`.
    """
    params = params or Params()
    names = streets(g)
    _check(street is None or street in names.index, "街道编码", street, "街道表")
    result = pairing(g, params)
    pos = party_org_table(g).set_index("id", drop=False)
    orgs = org_table(g, params)
    scope = orgs[orgs["in_scope"].to_numpy(dtype=bool) & orgs["party_org"].notna().to_numpy()]
    home = _home_streets(pos, scope)
    unpaired = result.unpaired.drop_duplicates("party_org")
    unpaired_ids = set(unpaired["party_org"].astype(str))
    hints = unpaired.loc[
        unpaired["suggested_partner"].notna().to_numpy(dtype=bool),
        ["party_org", "suggested_partner", "suggested_type", "partner_name", "reason"],
    ]
    suggestion = {str(r["party_org"]): r for r in hints.to_dict("records")}
    pairs = _pairings(g, pos["id"].astype(str).tolist())

    is_liangxin = set(pos.loc[pos["is_liangxin"].to_numpy(dtype=bool), "id"].astype(str))
    columns = ["id", "name", "type", "is_liangxin", "covers", "pairings"]
    rows = {str(r["id"]): r for r in pos[columns].to_dict("records")}

    def liangxin(code: str) -> bool:
        return code in is_liangxin

    def ours(code: str) -> bool:
        return street is None or home.get(code) == street

    pairs = [p for p in pairs if any(liangxin(c) and ours(c) for c in p[:2])]
    lonely = sorted(c for c in unpaired_ids if ours(c))
    paired_liangxin = sorted({c for p in pairs for c in p[:2] if liangxin(c)})
    partners_ = sorted({c for p in pairs for c in p[:2] if not liangxin(c)})
    hinted = sorted(
        {str(suggestion[c]["suggested_partner"]) for c in lonely if c in suggestion}
        - set(paired_liangxin)
        - set(partners_)
    )
    levels = {
        "full": len(paired_liangxin) + len(partners_) + len(lonely) + len(hinted),
        "lonely": len(paired_liangxin) + len(partners_) + len({home.get(c) for c in lonely}),
        "street": len(partners_) + len({home.get(c) for c in {*lonely, *paired_liangxin}}),
    }
    level = next((k for k, n in levels.items() if n <= MAX_NODES), "street")

    lonely_set = set(lonely)

    def shown(code: str) -> str:
        folded = (level == "street" and liangxin(code)) or (
            level == "lonely" and code in lonely_set
        )
        return f"street:{home.get(code) or '-'}" if folded else f"po:{code}"

    spec: dict[str, dict[str, Any]] = {}
    edges: list[tuple[str, str, dict[str, Any]]] = []
    folded_counts: dict[str, Counter[str]] = defaultdict(Counter)
    po_nodes = [*paired_liangxin, *partners_] + (lonely + hinted if level == "full" else [])
    for code in po_nodes:
        key = shown(code)
        if key.startswith("street:"):
            folded_counts[key]["paired"] += 1
            continue
        spec[key] = _pairing_po(rows[code], code in unpaired_ids, suggestion.get(code))
    for code in lonely:
        if shown(code).startswith("street:"):
            folded_counts[shown(code)]["unpaired"] += 1
    for key, counts in sorted(folded_counts.items()):
        code = key.split(":", 1)[1]
        name = str(names["name"].get(code, "未知街道")) if code != "-" else "未知街道"
        total = counts["paired"] + counts["unpaired"]
        spec[key] = {
            "label": f"{name} (未结对{counts['unpaired']}/{total})",
            "title": f"{name}\n两新党组织 {total} 个，其中未结对 {counts['unpaired']} 个",
            "shape": "diamond",
            "size": _count_size(total),
            "color": {
                "background": "#ffcdd2" if counts["unpaired"] else "#c8e6c9",
                "border": "#c62828" if counts["unpaired"] else "#2e7d32",
            },
            "search": f"{name} {code}",
            "url": link("street", code) if code != "-" else None,
            "group": "street",
        }
    by_edge: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, b, kind in pairs:
        u, v = shown(a), shown(b)
        if u != v:
            by_edge[tuple(sorted((u, v)))].append(kind)
    for (u, v), kinds in sorted(by_edge.items()):
        kind = Counter(kinds).most_common(1)[0][0]
        text = "、".join(f"{k} {n} 对" for k, n in sorted(Counter(kinds).items()))
        edges.append(
            (
                u,
                v,
                {
                    "color": PAIRING_COLORS.get(kind, _GREY),
                    "width": min(2 + math.log2(len(kinds)), 7),
                    "title": f"结对共建：{text}",
                },
            )
        )
    if level == "full":
        for code in lonely:
            s = suggestion.get(code)
            if s is None:
                continue
            edges.append(
                (
                    f"po:{code}",
                    f"po:{s['suggested_partner']}",
                    {
                        "color": "#9e9e9e",
                        "dashes": True,
                        "title": f"建议结对（{s['suggested_type']}）：{s['reason']}",
                    },
                )
            )
    xy = _pack_components(list(spec), [(a, b) for a, b, _ in edges])
    net = _Canvas()
    for key, attrs in spec.items():
        net.node(key, xy[key], **attrs)
    for a, b, attrs in edges:
        net.edge(a, b, **attrs)
    used = sorted({k for _, _, k in pairs})
    net.legend.extend(
        [
            LegendItem("两新党组织（已结对）", _PARTY),
            LegendItem("两新党组织（未结对）", "#ffcdd2"),
            LegendItem("红色边框：尚未结对", "#c62828"),
            LegendItem("结对单位（机关、学校、医院、村社区）", "#8d6e63", "square"),
            *(LegendItem(f"结对：{k}", PAIRING_COLORS.get(k, _GREY), "line") for k in used),
            LegendItem("建议结对", "#9e9e9e", "line", dashes=True),
        ]
    )
    if level != "full":
        net.legend += [
            LegendItem("街道汇总：有未结对（未结对/两新党组织数）", "#ffcdd2", "diamond"),
            LegendItem("街道汇总：均已结对", "#c8e6c9", "diamond"),
            LegendItem("绿色边框：均已结对", "#2e7d32", "diamond"),
        ]
    if street is not None:
        note = f"本街道两新党组织 {len(paired_liangxin) + len(lonely)} 个，未结对 {len(lonely)} 个"
    else:
        note = f"两新党组织 {result.liangxin_orgs} 个，已结对 {result.liangxin_paired} 个"
        if result.liangxin_orgs:
            note += f"（{result.paired_rate:.2f}%）"
    if level != "full":
        note += "；党组织较多，已按街道汇总；点击节点查看详情"
    where = "全域" if street is None else str(names["name"].get(street, street))
    return net.result(f"结对共建图 · {where}", note, aggregated=level != "full")


def _pairing_po(row: dict[str, Any], lonely: bool, hint: dict[str, Any] | None) -> dict[str, Any]:
    code, name = str(row["id"]), str(row["name"])
    po_type = _text(row["type"]) or "类别未填"
    lines = [name, f"党组织编码：{code} · {po_type}"]
    if bool(row["is_liangxin"]):
        lines.append(f"覆盖组织 {int(row['covers'])} 家 · 结对 {int(row['pairings'])} 个")
        if lonely:
            lines.append("尚未结对共建")
        if hint is not None:
            lines.append(f"建议结对：{hint['partner_name']}（{hint['suggested_type']}）")
        color: Any = {"background": "#ffcdd2", "border": "#c62828"} if lonely else _PARTY
        return {
            "label": name,
            "title": "\n".join(lines),
            "shape": "dot",
            "size": 12,
            "color": color,
            "borderWidth": 3 if lonely else 1,
            "search": f"{name} {code}",
            "group": "unpaired" if lonely else "paired",
        }
    lines.append(f"结对 {int(row['pairings'])} 个")
    return {
        "label": name,
        "title": "\n".join(lines),
        "shape": "square",
        "size": 14,
        "color": "#8d6e63",
        "search": f"{name} {code}",
        "group": "partner",
    }


def _home_streets(pos: pd.DataFrame, scope: pd.DataFrame) -> dict[str, str | None]:
    """Each Party organization's street: its own, else the commonest of its organizations'."""
    home = {str(k): _text(v) for k, v in pos["street"].items()}
    for po, st in commonest(scope, "party_org", "street").items():
        if home.get(str(po)) is None:
            home[str(po)] = str(st)
    return home


def _pairings(g: nx.MultiDiGraph, ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """Every PAIRED_WITH edge as (party_org a, party_org b, 共建类型), in the ledger's order."""
    found = []
    kind = EdgeKind.PAIRED_WITH.value
    for code in ids:
        for v, edges in g.succ[node_id(NodeKind.PARTY_ORG, code)].items():
            if kind in edges:
                t = edges[kind].get("type") or PairingType.OTHER.value
                found.append((code, str(g.nodes[v]["code"]), str(t)))
    return found


def _pack_components(nodes: list[str], edges: list[tuple[str, str]]) -> dict[Hashable, Point]:
    """Lay out each connected component on its own and pack them in rows, biggest first."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    parts = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    return _pack([_component_layout(graph.subgraph(part), part) for part in parts])


def _pack(blocks: list[dict[Hashable, Point]]) -> dict[Hashable, Point]:
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


def _component_layout(sub: nx.Graph, part: list[str]) -> dict[str, Point]:
    n = len(part)
    if n == 1:
        return {part[0]: (0.0, 0.0)}
    if n == 2:
        return {part[0]: (0.0, 0.0), part[1]: (150.0, 0.0)}
    hub = max(part, key=lambda k: (sub.degree(k), _neg(k)))
    if (sub.degree(hub) == n - 1 and sub.number_of_edges() == n - 1) or n > 300:
        others = [k for k in part if k != hub]
        spacing = 42.0 if n > 12 else 70.0
        points = layout.sunflower((0.0, 0.0), len(others), spacing, start=1 if n > 12 else 3)
        return {hub: (0.0, 0.0), **dict(zip(others, points, strict=True))}
    raw = nx.spring_layout(sub, seed=7, iterations=80)
    scale = 60.0 * math.sqrt(n)
    return {k: (float(raw[k][0]) * scale, float(raw[k][1]) * scale) for k in part}


def _neg(key: str) -> tuple[int, ...]:
    """Sort key that prefers the smaller code among equals in :func:`max`."""
    return tuple(-ord(ch) for ch in key)


# ---------------------------------------------------------------------------------------------
# Shared helpers


class _Canvas:
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
        color, group = options.pop("color", _GREY), options.pop("group", None)
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
        if len(self.net.nodes) > MAX_NODES:  # the last guard: never more than the cap
            keep = {n["id"] for n in self.net.nodes[:MAX_NODES]}
            self.net.nodes = self.net.nodes[:MAX_NODES]
            self.net.edges = [e for e in self.net.edges if e["from"] in keep and e["to"] in keep]
            note = "；".join(t for t in (note, f"仅显示前 {MAX_NODES} 个节点") if t)
            aggregated = True
        return NetworkMap(
            title=title,
            nodes=list(self.net.nodes),
            edges=list(self.net.edges),
            legend=list(self.legend),
            note=note,
            aggregated=aggregated,
        )


def _check(ok: bool, what: str, code: str | None, where: str) -> None:
    if not ok:
        raise NotFound(f"台账中没有{what}“{code}”，请检查{where}。")


def _attachment_edge(net: _Canvas, committee: str, key: str, attachment: str, width: float) -> None:
    """The line from a chain committee down to what is attached to it: solid when formally
    (隶属), dashed when functionally (功能型)."""
    net.edge(
        f"po:{committee}",
        key,
        color=_ATTACHMENT_COLORS[attachment],
        width=width,
        dashes=attachment == "functional",
        title=ATTACHMENTS[attachment],
    )


def _text(value: object) -> str | None:
    return None if is_missing(value) else str(value)


def _coverage_counts(orgs: pd.DataFrame, column: str) -> dict[str, Counter[str]]:
    """Per code of ``column``: how many organizations are in each coverage state."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    keyed = orgs[[column, "coverage"]].dropna()
    for (code, state), n in keyed.value_counts().items():
        found[str(code)][str(state)] = int(n)
    return found


def _coverage_lines(counts: Counter[str]) -> list[str]:
    total = sum(counts.values())
    if not total:
        return ["范围内没有计入统计的组织"]
    covered = counts["own"] + counts["joint"]
    return [
        f"组织 {total} 家："
        + " · ".join(f"{COVERAGE_LABELS[k]} {counts[k]}" for k in COVERAGE_LABELS),
        f"党组织未覆盖 {total - covered} 家，组织覆盖率 {100 * covered / total:.1f}%",
    ]


def _org_lines(row: Any, po_names: dict[str, str]) -> list[str]:
    """The tooltip of an organization: name, code, kind, staff, members, coverage, places."""
    get = row.get if isinstance(row, pd.Series | dict) else lambda k, d=None: getattr(row, k, d)
    kind = _text(get("org_kind")) or "组织"
    category = _text(get("category"))
    lines = [
        str(get("name")),
        f"统一社会信用代码：{get('uscc')}",
        f"{kind}{f'（{category}）' if category else ''} · 从业人员 {int(get('employees'))} 人 · "
        f"正式党员 {int(get('formal_members'))} 名",
        f"覆盖状态：{COVERAGE_LABELS.get(str(get('coverage')), '未知')}",
    ]
    po = _text(get("party_org"))
    if po is not None:
        lines.append(f"覆盖党组织：{po_names.get(po, po)}（{po}）")
    where = [_text(get(c)) for c in ("street_name", "building_name", "park_name")]
    if any(where):
        lines.append("位置：" + " / ".join(w for w in where if w))
    chain = _text(get("chain_name"))
    if chain is not None:
        position = _text(get("position"))
        lines.append(
            f"产业链：{chain} · {_text(get('segment_name')) or ''}"
            + (f"（{position}）" if position else "")
        )
    return lines


def _staff_size(employees: int, top: float = 24.0) -> float:
    """Node radius by staff: a square-root scale, clamped (up to 9 people 8, 100 people 18,
    324 and more 24)."""
    return round(min(top, max(8.0, 3.0 + 1.5 * math.sqrt(max(employees, 0)))), 1)


def _count_size(count: int) -> float:
    """Size of a folded node by how many it stands for."""
    return round(min(45.0, 12.0 + 2.5 * math.sqrt(max(count, 0))), 1)


def _share_color(total: int, uncovered: int) -> str:
    if total == 0:
        return _SHARE_COLORS[3][0]
    if uncovered == 0:
        return _SHARE_COLORS[0][0]
    return _SHARE_COLORS[1][0] if uncovered / total < 0.1 else _SHARE_COLORS[2][0]


def _spread_x(n: int, gap: float, centre: float) -> list[float]:
    return [centre + (i - (n - 1) / 2) * gap for i in range(n)]


def _fan(n: int, start: float, stop: float, *, closed: bool = False) -> list[float]:
    """``n`` angles from ``start`` to ``stop``; ``closed`` for a full turn (no repeat)."""
    if n <= 0:
        return []
    if closed:
        return [start + (stop - start) * i / n for i in range(n)]
    if n == 1:
        return [(start + stop) / 2]
    return [start + (stop - start) * i / (n - 1) for i in range(n)]


def _sweep(xs: list[float], gap: float) -> list[float]:
    """Sorted x positions pushed apart to at least ``gap``, keeping their mean."""
    if not xs:
        return []
    out = [xs[0]]
    for x in xs[1:]:
        out.append(max(x, out[-1] + gap))
    shift = (sum(xs) - sum(out)) / len(xs)
    return [x + shift for x in out]


def _mean_x(usccs: list[str], xy: dict[str, Point], display: dict[str, str], net: _Canvas) -> float:
    points = [xy[u][0] if u in xy else net.xy(display[u])[0] for u in usccs]
    return sum(points) / len(points)
