"""The pairing map (结对共建图): 两新 Party organizations and the units they pair with.

Existing pairings coloured by 共建类型, the unpaired 两新 Party organizations with a line to
their suggested partner; each connected group is laid out on its own and the groups are
packed in rows.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from typing import Any, cast

import networkx as nx
import pandas as pd

from graph.analysis.common import Params, commonest, org_table, party_org_table, streets
from graph.analysis.pairing import pairing
from graph.model import EdgeKind, NodeKind, PairingType, node_id
from viz import layout, mapdata
from viz.layout import Point
from viz.mapdata import LegendItem, Linker, NetworkMap, no_links
from viz.maps.common import GREY, PARTY, Canvas, check_known, count_size, text_or_none

__all__ = ["PAIRING_COLORS", "pairing_map"]

PAIRING_COLORS: dict[str, str] = {
    PairingType.AGENCY_LIANGXIN.value: "#1565c0",
    PairingType.SCHOOL.value: "#2e7d32",
    PairingType.HOSPITAL.value: "#00897b",
    PairingType.ENTERPRISE_VILLAGE.value: "#6d4c41",
    PairingType.COMMUNITY_ENTERPRISE.value: "#8e24aa",
    PairingType.OTHER.value: "#757575",
}
"""A pairing's line colour by its 共建类型."""


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
    :data:`~viz.mapdata.MAX_NODES` the unpaired ones are folded into one node per street, then
    every 两新 Party organization is (partners stay). Unknown street:
    :class:`~graph.errors.NotFound`.
    """
    params = params or Params()
    names = streets(g)
    check_known(street is None or street in names.index, "街道编码", street, "街道表")
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
    hint_rows = cast("list[dict[str, Any]]", hints.to_dict("records"))
    suggestion = {str(r["party_org"]): r for r in hint_rows}
    pairs = _pairings(g, pos["id"].astype(str).tolist())

    is_liangxin = set(pos.loc[pos["is_liangxin"].to_numpy(dtype=bool), "id"].astype(str))
    columns = ["id", "name", "type", "is_liangxin", "covers", "pairings"]
    po_rows = cast("list[dict[str, Any]]", pos[columns].to_dict("records"))
    rows = {str(r["id"]): r for r in po_rows}

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
    level = next((k for k, n in levels.items() if n <= mapdata.MAX_NODES), "street")

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
            "size": count_size(total),
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
            by_edge[cast("tuple[str, str]", tuple(sorted((u, v))))].append(kind)
    for (u, v), kinds in sorted(by_edge.items()):
        kind = Counter(kinds).most_common(1)[0][0]
        text = "、".join(f"{k} {n} 对" for k, n in sorted(Counter(kinds).items()))
        edges.append(
            (
                u,
                v,
                {
                    "color": PAIRING_COLORS.get(kind, GREY),
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
    net = Canvas()
    for key, attrs in spec.items():
        net.node(key, xy[key], **attrs)
    for a, b, attrs in edges:
        net.edge(a, b, **attrs)
    used = sorted({k for _, _, k in pairs})
    net.legend.extend(
        [
            LegendItem("两新党组织（已结对）", PARTY),
            LegendItem("两新党组织（未结对）", "#ffcdd2"),
            LegendItem("红色边框：尚未结对", "#c62828"),
            LegendItem("结对单位（机关、学校、医院、村社区）", "#8d6e63", "square"),
            *(LegendItem(f"结对：{k}", PAIRING_COLORS.get(k, GREY), "line") for k in used),
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
    po_type = text_or_none(row["type"]) or "类别未填"
    lines = [name, f"党组织编码：{code} · {po_type}"]
    if bool(row["is_liangxin"]):
        lines.append(f"覆盖组织 {int(row['covers'])} 家 · 结对 {int(row['pairings'])} 个")
        if lonely:
            lines.append("尚未结对共建")
        if hint is not None:
            lines.append(f"建议结对：{hint['partner_name']}（{hint['suggested_type']}）")
        color: Any = {"background": "#ffcdd2", "border": "#c62828"} if lonely else PARTY
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
    home = {str(k): text_or_none(v) for k, v in pos["street"].items()}
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
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    parts = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    return layout.pack([_component_layout(graph.subgraph(part), part) for part in parts])


def _component_layout(sub: nx.Graph[str], part: list[str]) -> dict[Hashable, Point]:
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
