"""The regional map (区域党建覆盖图): districts → streets → buildings and parks → organizations.

One map per place kind a page shows: the whole area, a district (区县), a street (街道/镇), a
building (楼宇) or a park (园区). Places are coloured by their share of organizations without a
Party organization, organizations by their coverage state; the uncovered organizations that
could form one Party organization together get a hub, each street its 街道两新综合党委.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd

from graph.analysis.clusters import clusters
from graph.analysis.common import (
    Params,
    is_missing,
    node_rows,
    node_table,
    org_table,
    party_org_names,
    party_org_table,
    streets,
)
from graph.model import NodeKind, PartyOrgType
from viz import layout, mapdata
from viz.layout import Point
from viz.mapdata import LegendItem, Linker, NetworkMap, no_links
from viz.maps.common import (
    CLUSTER,
    COVERAGE_COLORS,
    COVERAGE_LEGEND,
    GREY,
    LIGHT,
    Canvas,
    check_known,
    count_size,
    coverage_lines,
    org_lines,
    staff_size,
    text_or_none,
)

__all__ = ["region_map"]

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
_EDGE = "#b0bec5"
_COMMITTEE = "#b71c1c"
_CLUSTER_WEAK = "#ce93d8"


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
    parent and organizations round their place. A scope of more than
    :data:`~viz.mapdata.MAX_NODES` nodes is folded: organizations into their building, park or
    street (``aggregated``), then buildings and parks into streets, then streets into
    districts; a folded node links to its own page. Unknown places raise
    :class:`~graph.errors.NotFound`.
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
        check_known(
            district is None or district in places.districts, "区县", district, "街道表的所在区县"
        )
        check_known(street is None or street in places.streets.index, "街道编码", street, "街道表")
        check_known(
            building is None or building in places.buildings.index, "楼宇编码", building, "楼宇表"
        )
        check_known(park is None or park in places.parks.index, "园区编码", park, "园区表")
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

    def mask(self, orgs: pd.DataFrame) -> npt.NDArray[np.bool_]:
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
        cap = mapdata.MAX_NODES
        if place + committees + len(self.shown) + hubs <= cap:
            return "org"
        if place + committees <= cap:
            return "place"
        if len(s.districts) + len(s.streets) + committees <= cap:
            return "street"
        return "district" if len(s.districts) <= cap else "cut"

    # -- drawing -------------------------------------------------------------------------

    def draw(self, level: str) -> Canvas:
        s, places = self.scope, self.places
        tree = layout.Tree(leaf_spacing=32.0)
        spec: dict[str, dict[str, Any]] = {}
        lonlat: dict[Hashable, Point] = {}  # own coordinates
        centres: dict[Hashable, Point] = {}  # places at the centre of their organizations
        folded = level != "org"
        districts = s.districts if level != "cut" else s.districts[: mapdata.MAX_NODES]

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
                parent = f"street:{places.buildings.at[code, 'street']!s}"
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
        # every parent added to the tree is a key of spec: a str
        edges = [(cast(str, tree.parent[k]), k) for k in spec if tree.parent.get(k) is not None]
        hubs = self._hubs(xy, spec, edges) if level == "org" else []

        net = Canvas()
        for key, attrs in spec.items():
            net.node(key, xy[key], **attrs)
        for a, b in edges:
            if b.startswith("po:"):
                net.edge(a, b, color=_COMMITTEE, dashes=True, title="街道两新综合党委")
            else:
                net.edge(a, b, color=LIGHT if b.startswith("org:") else _EDGE)
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
            lines[1] += f" · {text_or_none(b['type']) or '楼宇'}"
            street = text_or_none(b["street"])
            if street in self.places.streets.index:
                lines.append(f"所在街道：{self.places.streets.at[street, 'name']!s}")
        elif kind == "park":
            p = self.places.parks.loc[code]
            lines[1] += f" · {text_or_none(p['level']) or ''}园区"
        elif kind == "street":
            lines.append(
                f"所在区县：{text_or_none(self.places.streets.at[code, 'district']) or '未填'}"
            )
        lines += coverage_lines(counts)
        hot = self.cluster_places.get(f"{kind}:{code}", [])
        for c in hot[:3]:
            lines.append(f"可联合组建的未覆盖组织群：{c['mode']}，{c['size']}家")
        if len(hot) > 3:
            lines.append(f"……共 {len(hot)} 个可联合组建的组织群")
        attrs: dict[str, Any] = {
            "label": label,
            "title": "\n".join(lines),
            "shape": shape,
            "size": count_size(total) if folded else 18,
            "color": _share_color(total, uncovered),
            # places stay labelled when zoomed out, when their organizations' names are hidden
            "font": {"size": 20},
            "scaling": {"label": {"drawThreshold": 3}},
            "search": f"{name} {code}",
            "url": self.link(kind, code),
            "group": kind,
        }
        if hot:
            attrs["color"] = {"background": attrs["color"], "border": CLUSTER}
            attrs["borderWidth"] = 3
        return attrs

    def _committee(self, row: Any) -> dict[str, Any]:
        lines = [
            str(row.name),
            f"街道两新综合党委 · 党组织编码：{row.id}",
            f"组织层级：{text_or_none(row.level) or '未填'} · 党员 {int(row.members)} 名",
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
        lines = org_lines(row, self.po_names)
        cluster = self.org_cluster.get(row.uscc)
        if cluster is not None:
            lines.append(f"所在未覆盖组织群（{cluster['size']}家）：建议{cluster['mode']}")
            lines.append(str(cluster["reason"]))
        return {
            "label": str(row.name),
            "title": "\n".join(lines),
            "shape": "dot",
            "size": staff_size(int(row.employees)),
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
        district = text_or_none(self.places.parks.at[code, "district"])
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
        lon: Any = self.places.buildings.at[code, "lon"]
        lat: Any = self.places.buildings.at[code, "lat"]
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
        for c in cast("list[dict[str, Any]]", self.found.to_dict("records")):
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
        for c in cast("list[dict[str, Any]]", self.found.to_dict("records")):
            members = [f"org:{u}" for u in c["members"] if f"org:{u}" in spec]
            if not 2 <= len(members) <= _HUB_MAX:  # a whole street's rest is no group to draw
                continue
            key = f"cluster:{c['cluster_id']}"
            color = CLUSTER if c["feasible"] else _CLUSTER_WEAK
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
        items: list[LegendItem] = []
        if level == "org":
            items += COVERAGE_LEGEND
        kinds = ["district", "street", "building", "park"]
        if level == "street":
            kinds = ["district", "street"]
        elif level in ("district", "cut"):
            kinds = ["district"]
        items += [LegendItem(_PLACE_SHAPES[k][1], GREY, _PLACE_SHAPES[k][0]) for k in kinds]
        items += [LegendItem(f"地点：{label}", color, "square") for color, label in _SHARE_COLORS]
        if level in ("org", "place", "street") and len(self.committees):
            items += [
                LegendItem("街道两新综合党委", _COMMITTEE, "triangle"),
                LegendItem("综合党委所在街道", _COMMITTEE, "line", dashes=True),
            ]
        if hubs:
            items += [
                LegendItem("未覆盖组织群：可联合组建", CLUSTER, "star"),
                LegendItem("未覆盖组织群：暂不能自行联合组建", _CLUSTER_WEAK, "star"),
                LegendItem("组织群成员（可联合组建）", CLUSTER, "line", dashes=True),
                LegendItem("组织群成员（暂不能）", _CLUSTER_WEAK, "line", dashes=True),
            ]
        if self.cluster_places and level != "cut":
            items.append(LegendItem("紫色边框：含可联合组建的未覆盖组织群", CLUSTER, "square"))
        items.append(LegendItem("地点所属关系", _EDGE, "line"))
        if level == "org":
            items.append(LegendItem("组织所在地点", LIGHT, "line"))
        return items


def _coverage_counts(orgs: pd.DataFrame, column: str) -> dict[str, Counter[str]]:
    """Per code of ``column``: how many organizations are in each coverage state."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    keyed = orgs[[column, "coverage"]].dropna()
    counts = cast("Iterable[tuple[tuple[Any, Any], int]]", keyed.value_counts().items())
    for (code, state), n in counts:
        found[str(code)][str(state)] = int(n)
    return found


def _share_color(total: int, uncovered: int) -> str:
    if total == 0:
        return _SHARE_COLORS[3][0]
    if uncovered == 0:
        return _SHARE_COLORS[0][0]
    return _SHARE_COLORS[1][0] if uncovered / total < 0.1 else _SHARE_COLORS[2][0]
