"""The industry-chain map (产业链党建图): one chain's three-level Party system.

园区党工委 (level 1) → 产业链党委 with its member units by side, 三方进入 (level 2) → the
enterprise Party organizations, attached formally (隶属), functionally (功能型) or not at all
(未纳入) (level 3) → the chain's organizations under their segment, 上游 → 中游 → 下游 left to
right (level 4), with the supply links (上下游配套) between them and every finding of the chain
report on the node it is about.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

import networkx as nx
import pandas as pd

from graph.analysis.chains import ATTACHMENTS, FINDING_CODES, SEVERITIES, chain_structure
from graph.analysis.common import Params, is_missing, org_table, party_org_names, party_org_table
from graph.model import EdgeKind, NodeKind, node_id
from viz import layout, mapdata
from viz.layout import Point
from viz.mapdata import LegendItem, Linker, NetworkMap, no_links
from viz.maps.common import (
    COVERAGE_COLORS,
    COVERAGE_LEGEND,
    GREY,
    LIGHT,
    Canvas,
    count_size,
    coverage_lines,
    org_lines,
    staff_size,
    text_or_none,
)

__all__ = ["SEVERITY_COLORS", "chain_map"]

SEVERITY_COLORS: dict[str, str] = dict(
    zip(SEVERITIES, ("#d50000", "#ff6d00", "#ffab00"), strict=True)
)
"""The border of a node with a chain finding, by the finding's severity (高 / 中 / 低)."""

_GHOST = "#ffebee"  # what should exist and does not (a chain without a committee)
_SIDE_COLORS = {"骨干企业": "#1565c0", "政府部门": "#6d4c41", "协会联盟": "#00897b"}
_ATTACHMENT_COLORS = {"formal": "#0d47a1", "functional": "#0097a7", "detached": "#9e9e9e"}


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
    border by severity. Over :data:`~viz.mapdata.MAX_NODES` the organizations are folded into
    their segment, then the Party organizations into one node per attachment. An unknown chain
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
        if fixed + covering + len(self.members) <= mapdata.MAX_NODES:
            return "org"
        if fixed + covering <= mapdata.MAX_NODES:
            return "segment"
        return "attachment"

    def draw(self) -> NetworkMap:
        r = self.report
        level = self.level()
        net = Canvas()
        findings = self._findings()
        x_segments = self._segment_columns(level)
        centre = 0.0

        # level 1: the park committee (and any non-park parent of a committee)
        widest = max((math.ceil(len(c.members) / _MEMBER_ROWS) for c in r.committees), default=0)
        committee_x = layout.spread_x(len(r.committees) or 1, 760.0 + widest * _MEMBER_X, centre)
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
                        color=GREY,
                        search=f"{c.parent_name or ''} {c.parent}",
                    )
                net.edge(
                    parent,
                    key,
                    color="#7f0000" if c.parent_is_park else GREY,
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
                    color=_SIDE_COLORS.get(m.side, GREY),
                    search=f"{m.name} {m.member or ''}".strip(),
                    url=self.link("org", m.member) if m.member else None,
                )
                net.edge(unit, key, color=_SIDE_COLORS.get(m.side, GREY), title="三方进入")
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
                net.edge(f"po:{r.park_committee.code}", key, color=LIGHT, dashes=True)

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
        net: Canvas,
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
                lines += coverage_lines(Counter(frame["coverage"].tolist()))
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
                size=count_size(s.enterprises) if level != "org" else 18,
            )
            row: Any  # a namedtuple of ``frame``
            for i, row in enumerate(frame.itertuples(index=False)):
                if level != "org":
                    display[row.uscc] = key
                    continue
                org = f"org:{row.uscc}"
                point = (left + (i % cols + 0.5) * _CELL_X, _Y_SEGMENT + (i // cols) * _CELL_Y)
                xy[row.uscc], display[row.uscc] = point, org
                lines = org_lines(row, self.po_names)
                net.node(
                    org,
                    point,
                    label=str(row.name),
                    title="\n".join(lines + findings.pop(org, [])),
                    shape="dot",
                    size=staff_size(int(row.employees)),
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
        net: Canvas,
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
        xs = layout.sweep(
            [_mean_x(by_po[p], org_xy, display, net) for p in order], _PO_GAP / _PO_ROWS
        )
        for i, (po, x) in enumerate(zip(order, xs, strict=True)):
            key = f"po:{po}"
            attachment = self.attachment.get(po)
            if key in net:  # a committee that covers organizations itself: only the lines
                self._cover_lines(net, key, by_po[po], display, level, attachment)
                continue
            name = self.po_names.get(po, po)
            po_type = text_or_none(self.pos.at[po, "type"]) if po in self.pos.index else None
            lines = [name, f"党组织编码：{po} · {po_type or '类别未填'}"]
            if attachment is not None:
                lines.append(f"与产业链党委的关系：{ATTACHMENTS[attachment]}")
            else:
                lines.append("覆盖链上组织，但不属企业党组织一级（如街道两新综合党委兜底覆盖）")
            lines.append(f"覆盖链上组织 {len(by_po[po])} 家")
            color = _ATTACHMENT_COLORS.get(attachment or "", GREY)
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
        net: Canvas,
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
                color="#90caf9" if attachment else LIGHT,
                width=min(1 + math.log2(n), 6) if level != "org" else 1,
                title="覆盖" if n == 1 else f"覆盖 {n} 家",
            )

    def _attach(
        self, net: Canvas, key: str, po: str, attachment: str | None, committees: list[str]
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
        return text_or_none(self.pos.at[po, "parent"])

    def _attachment_nodes(
        self,
        net: Canvas,
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
        for kind, x in zip(kinds, layout.spread_x(len(kinds), 320.0, 0.0), strict=True):
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
                size=count_size(len(groups[kind])),
                color=_ATTACHMENT_COLORS.get(kind, GREY),
                search=label,
            )
            if kind in ("formal", "functional") and committees:
                _attachment_edge(net, committees[0], key, kind, 2)
            weights = Counter(display[u] for po in groups[kind] for u in by_po[po])
            for target, n in sorted(weights.items()):
                net.edge(key, target, color="#90caf9", width=min(1 + math.log2(n), 6))

    def _supplies(self, net: Canvas, display: dict[str, str]) -> None:
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
                LegendItem("上级党组织（非园区党工委）", GREY, "box"),
                LegendItem("隶属于非园区党组织", GREY, "line"),
            ]
        if not r.committees:
            items.append(LegendItem("（未建产业链党委）", _GHOST, "box"))
            if r.park_committee is not None:
                items.append(LegendItem("应建的隶属关系", LIGHT, "line", dashes=True))
        items += [LegendItem(f"成员单位：{s}", c, "diamond") for s, c in _SIDE_COLORS.items()]
        items += [LegendItem(f"三方进入：{s}", c, "line") for s, c in _SIDE_COLORS.items()]
        items += [
            LegendItem(f"企业党组织：{ATTACHMENTS[k]}", c, "triangle")
            for k, c in _ATTACHMENT_COLORS.items()
        ]
        items += [
            LegendItem("其他覆盖党组织（如街道两新综合党委）", GREY, "triangle"),
            LegendItem("产业链环节（上游→下游，从左到右）", "#eceff1", "box"),
        ]
        if level == "org":
            items += COVERAGE_LEGEND
        items += [
            LegendItem("隶属", _ATTACHMENT_COLORS["formal"], "line"),
            LegendItem("功能型", _ATTACHMENT_COLORS["functional"], "line", dashes=True),
            LegendItem("未纳入：无连线、红色虚线框", SEVERITY_COLORS["高"], "triangle"),
            LegendItem("上下游配套（箭头）", "#9e9e9e", "line"),
            LegendItem("覆盖（企业党组织）", "#90caf9", "line"),
            LegendItem("覆盖（其他党组织）", LIGHT, "line"),
        ]
        items += [
            LegendItem(f"问题（{s}）：边框颜色", c, "square") for s, c in SEVERITY_COLORS.items()
        ]
        return items


def _attachment_edge(net: Canvas, committee: str, key: str, attachment: str, width: float) -> None:
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


def _mean_x(usccs: list[str], xy: dict[str, Point], display: dict[str, str], net: Canvas) -> float:
    points = [xy[u][0] if u in xy else net.xy(display[u])[0] for u in usccs]
    return sum(points) / len(points)
