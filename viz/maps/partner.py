"""The partner map (联合组建伙伴): one organization and its best joint-formation partners.

The organization in the centre, its ranked partners (other organizations, existing joint Party
organizations with room) around it, and what the formation plan proposes for it.
"""

from __future__ import annotations

import math
from typing import Any, cast

import networkx as nx
import pandas as pd

from graph.analysis.common import Params, is_missing, org_table, party_org_names
from graph.analysis.partners import partners
from graph.analysis.plan import FormationPlan, plan
from viz import layout
from viz.mapdata import LegendItem, Linker, NetworkMap, no_links
from viz.maps.common import (
    ATTACH_EDGE,
    CLUSTER,
    COVERAGE_COLORS,
    COVERAGE_LEGEND,
    PARTY,
    Canvas,
    org_lines,
    staff_size,
)
from viz.maps.plan import group_title

__all__ = ["partner_map"]


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
    x: Any = by_uscc.loc[uscc]  # the organization's row (uscc is unique)
    proposal = plan(g, params)
    net = Canvas()
    centre = f"org:{uscc}"
    lines = org_lines(x, po_names)
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
    angles = layout.fan(len(rows), -math.pi / 2, 3 * math.pi / 2, closed=True)
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
            color = COVERAGE_COLORS[cast(str, by_uscc.at[row["candidate"], "coverage"])]
            employees = int(cast(float, by_uscc.at[row["candidate"], "employees"]))
        else:
            color, employees = PARTY, 0
        net.node(
            key,
            point,
            label=f"{row['rank']}. {row['name']}",
            title="\n".join(lines),
            shape="dot" if is_org else "triangle",
            size=staff_size(employees) if is_org else 16,
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
            *COVERAGE_LEGEND,
            LegendItem("现有联合党组织（可吸纳）", PARTY, "triangle"),
            LegendItem("伙伴：越近、线越粗得分越高", "#78909c", "line"),
            LegendItem("组建方案：拟联合组建", CLUSTER, "star"),
            LegendItem("组建方案：同组成员", CLUSTER, "line", dashes=True),
            LegendItem("组建方案：拟并入现有党组织", ATTACH_EDGE, "line"),
        ]
    )
    return net.result(f"联合组建伙伴 · {x['name']}", note)


def _mark_plan(
    net: Canvas,
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
        angles = layout.fan(len(extra), math.radians(200), math.radians(340))
        for u, angle in zip(extra, angles, strict=True):
            row: Any = by_uscc.loc[u]  # a member's row (uscc is unique)
            net.node(
                f"org:{u}",
                (700 * math.cos(angle), 700 * math.sin(angle)),
                label=str(row["name"]),
                title="\n".join(org_lines(row, po_names)),
                shape="dot",
                size=staff_size(int(row["employees"])),
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
            title=group_title(group, "组建方案："),
            shape="star",
            size=18,
            color=CLUSTER,
            search=f"{group.group_id} {group.mode}",
        )
        for u in group.members:
            net.edge(hub, f"org:{u}", color=CLUSTER, dashes=True, width=1.5, title="同组成员")
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
                color=PARTY,
                search=f"{attachment.party_org_name} {attachment.party_org}",
            )
        net.edge(
            f"org:{uscc}",
            key,
            color=ATTACH_EDGE,
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
