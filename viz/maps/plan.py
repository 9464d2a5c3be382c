"""The formation-plan map (组建方案图): what the plan proposes for the area or one street.

Proposed joint groups (联合组建) as hubs with their members, attachments to existing Party
organizations (就近并入) as arrows, organizations that should form their own (单独组建) as
squares, everything hanging on its street. :func:`group_title`, the tooltip of a proposed
group, is shared with the partner map.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import networkx as nx
import pandas as pd

from graph.analysis.common import Params, is_missing, streets
from graph.analysis.plan import Attachment, JointGroup, StandaloneProposal, plan
from graph.model import FormationMode
from viz import layout, mapdata
from viz.layout import Point
from viz.mapdata import LegendItem, Linker, NetworkMap, no_links
from viz.maps.common import (
    ATTACH_EDGE,
    CLUSTER,
    COVERAGE_COLORS,
    LIGHT,
    PARTY,
    Canvas,
    check_known,
    count_size,
)

__all__ = ["MODE_COLORS", "plan_map"]

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

_STANDALONE = "#43a047"
_MEMBER_EDGE = "#90a4ae"


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
    Over :data:`~viz.mapdata.MAX_NODES` nodes the plan is folded into one node per street
    (counts in the label, a click opens the street). An unknown street raises
    :class:`~graph.errors.NotFound`.
    """
    params = params or Params()
    proposal = plan(g, params)
    names = streets(g)
    check_known(street is None or street in names.index, "街道编码", street, "街道表")

    def ours(item: Any) -> bool:
        return street is None or item.street == street

    groups = [grp for grp in proposal.groups if ours(grp)]
    attachments = [a for a in proposal.attachments if ours(a)]
    standalone = [s for s in proposal.standalone if ours(s)]
    instructors = [i for i in proposal.instructors if ours(i)]
    placed: list[JointGroup | Attachment | StandaloneProposal] = [
        *groups,
        *attachments,
        *standalone,
    ]
    codes = sorted(
        {x.street for x in placed},
        key=lambda c: (str(names["district"].get(c, "")), c),
    )
    count = (
        len(codes)
        + sum(1 + grp.size for grp in groups)
        + len(attachments)
        + len({a.party_org for a in attachments})
        + len(standalone)
    )
    aggregated = count > mapdata.MAX_NODES
    net = Canvas()
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
            "size": count_size(n_joined + n_attached + n_alone) if aggregated else 18,
            "search": f"{name} {code}",
            "url": link("street", code),
            "group": "street",
        }
        tree.add(key)
    if not aggregated:
        for grp in groups:
            hub = f"group:{grp.group_id}"
            color = MODE_COLORS.get(grp.mode, CLUSTER)
            spec[hub] = {
                "label": f"{grp.mode}·{grp.size}家",
                "title": group_title(grp),
                "shape": "star",
                "size": 18,
                "color": color,
                "search": f"{grp.group_id} {grp.mode} " + " ".join(grp.member_names),
                "group": "group",
            }
            tree.add(hub, f"street:{grp.street}")
            edges.append((f"street:{grp.street}", hub, {"color": LIGHT}))
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
                    "color": PARTY,
                    "search": f"{a.party_org_name} {a.party_org}",
                    "group": "party_org",
                }
                tree.add(po, f"street:{a.street}")
                edges.append((f"street:{a.street}", po, {"color": LIGHT}))
            key = f"org:{a.uscc}"
            spec[key] = _plan_org(a.uscc, a.name, f"拟并入“{a.party_org_name}”（{a.mode}）", link)
            spec[key]["title"] += "\n" + a.reason
            tree.add(key, po, leaf=True)
            edges.append(
                (key, po, {"color": ATTACH_EDGE, "arrows": True, "title": f"{a.mode}：{a.reason}"})
            )
        for s in standalone:
            key = f"org:{s.uscc}"
            spec[key] = _plan_org(s.uscc, s.name, f"单独组建（{s.level}）", link)
            spec[key].update(shape="square", color=_STANDALONE, size=14)
            spec[key]["title"] += f"\n正式党员 {s.formal_members} 名\n{s.reason}"
            tree.add(key, f"street:{s.street}", leaf=True)
            edges.append((f"street:{s.street}", key, {"color": LIGHT}))
    # each street laid out round itself, the streets packed in rows in district order
    xy = layout.pack([_subtree(tree, root) for root in tree.roots])
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
            LegendItem("现有党组织", PARTY, "triangle"),
            LegendItem("拟并入现有党组织（箭头）", ATTACH_EDGE, "line"),
            LegendItem("拟单独组建", _STANDALONE, "square"),
            LegendItem("同组成员", _MEMBER_EDGE, "line"),
            LegendItem("所在街道", LIGHT, "line"),
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


def group_title(group: JointGroup, lead: str = "") -> str:
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
