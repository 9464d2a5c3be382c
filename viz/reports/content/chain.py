"""The chain-committee structure report (产业链党建): each chain's three levels, its committee's
three sides, coverage per segment, lead-enterprise candidates and weak links."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import pandas as pd

from graph.analysis.chains import (
    ATTACHMENTS,
    FINDING_CODES,
    SEVERITIES,
    ChainReport,
    chain_structure,
)
from graph.analysis.common import Params
from graph.analysis.leads import leads
from graph.columns import Column, Columns
from graph.columns.chains import (
    CHAIN_TREE,
    CHAINS,
    COMMITTEE,
    COMMITTEE_MEMBERS,
    COVERED_RATE,
    FINDING_PROBLEM,
    FINDING_ROWS,
    SEGMENTS,
    severity_count,
)
from graph.columns.coverage import COVERAGE
from graph.columns.leads import LEADS
from graph.model import CommitteeSide
from viz.maps import chain_map
from viz.reports.content.common import (
    data_subtitle,
    pct_of,
    rate_words,
    table_rows,
    titled_report,
    to_number,
)
from viz.reports.document import BarChart, MapFigure, Report, Section, Table

__all__ = ["LEADS_SHOWN", "chain_report"]

LEADS_SHOWN = 10
"""Lead-enterprise candidates listed per chain."""

_CHAIN_OVERVIEW = Columns(
    *CHAINS.pick("chain", "name", "committees", "park_committee", "enterprises", "covered"),
    COVERED_RATE,
    *CHAINS.pick("attached_formal", "attached_functional", "detached"),
    *(severity_count(s) for s in SEVERITIES),
)
_MEMBERS = Columns(COMMITTEE, *COMMITTEE_MEMBERS.pick("side", "name", "member"))
_SEGMENTS = SEGMENTS.pick(
    "position", "name", "segment", "enterprises", "covered", "own_organization", "org_rate"
)
_LEADS = LEADS.pick(
    "rank",
    "name",
    "uscc",
    "level",
    "members",
    "employees",
    "takes_now",
    "score",
    "reach_count",
    "reach_supply",
    "reach_segment",
    "reach_place",
    "reason",
)
_FINDINGS = Columns(
    *FINDING_ROWS.pick("severity", "code_label", "subject_name", "subject"),
    FINDING_PROBLEM,
    FINDING_ROWS.column("action"),
)


def chain_report(g: nx.MultiDiGraph, chain: str | None, params: Params, source: str) -> Report:
    """The three-level structure of one chain (or every chain), its committee's three sides,
    coverage per segment, lead-enterprise candidates and weak links with what to do.

    For every chain: a summary paragraph; 三级体系 (园区党工委 → 产业链党委 → 企业党组织, each
    enterprise organization with its attachment) and the chain map as a picture; 三方进入 (the
    committees' member units by side, and the sides missing); 各环节覆盖 (upstream to
    downstream, with a chart); 龙头企业 (the best :data:`LEADS_SHOWN` candidates with their
    reach); 薄弱环节 (every finding with its severity, problem and suggested action). With all
    chains, an overview table and chart come first. An unknown chain raises
    :class:`~graph.errors.NotFound`.
    """
    reports = chain_structure(g, chain, params)
    candidates = leads(g, chain, top=LEADS_SHOWN, params=params)
    sections: list[Section] = []
    if chain is None:
        sections.append(_chains_overview(reports))
    for r in reports:
        sections.extend(_chain_sections(g, r, candidates, params, single=chain is not None))
    name = reports[0].name if chain is not None else "全部产业链"
    lead = name if chain else ""
    return titled_report("chain", sections, params, data_subtitle(source, params), name, lead=lead)


def _chains_overview(reports: Sequence[ChainReport]) -> Section:
    rows: list[dict[str, Any]] = []
    for r in reports:
        severities = pd.Series([f.severity for f in r.findings], dtype=object).value_counts()
        rows.append(
            {
                "chain": r.chain,
                "name": r.name,
                "committees": tuple(c.name for c in r.committees),
                "park_committee": r.park_committee.name if r.park_committee else None,
                "enterprises": r.enterprises,
                "covered": r.covered,
                "org_rate": pct_of(r.covered, r.enterprises),
                "attached_formal": r.attached_formal,
                "attached_functional": r.attached_functional,
                "detached": r.detached,
                **{f"severity_{s}": int(severities.get(s, 0)) for s in SEVERITIES},
            }
        )
    incomplete = [r.name for r in reports if not r.committees or r.sides_missing]
    text = f"共有产业链 {len(reports)} 条，已建立产业链党委 " + (
        f"{sum(1 for r in reports if r.committees)} 条。"
    )
    if incomplete:
        text += f"三级体系或三方进入不完整的：{'、'.join(incomplete)}。"
    chart = BarChart(
        "各产业链链上组织党组织覆盖率",
        tuple(r.name for r in reports),
        ((COVERAGE.column("org_rate").heading, tuple(row["org_rate"] for row in rows)),),
    )
    return Section(
        "总体情况",
        (text, Table("产业链概况", _CHAIN_OVERVIEW, tuple(rows)), chart),
    )


def _chain_sections(
    g: nx.MultiDiGraph,
    r: ChainReport,
    candidates: pd.DataFrame,
    params: Params,
    *,
    single: bool,
) -> list[Section]:
    context = (("产业链", r.name),)
    level = 1 if single else 2
    sub = level + 1 if not single else 1

    def table(sheet: str, columns: tuple[Column, ...], rows: Iterable[dict], empty: str) -> Table:
        return Table(sheet, columns, tuple(rows), context=context, empty=empty)

    high = sum(1 for f in r.findings if f.severity == SEVERITIES[0])
    summary = (
        f"牵头部门：{r.lead_department or '未登记'}。链上纳入统计的组织 {r.enterprises} 家，"
        f"有党组织覆盖的 {r.covered} 家，覆盖率 {rate_words(pct_of(r.covered, r.enterprises))}。"
        f"覆盖链上组织的企业党组织 {len(r.enterprise_orgs)} 个："
        f"隶属产业链党委 {r.attached_formal} 个，"
        f"功能型管理 {r.attached_functional} 个，未纳入 {r.detached} 个。"
        f"发现薄弱环节 {len(r.findings)} 处，其中严重程度为高的 {high} 处。"
    )
    tree: list[dict[str, object]] = []
    if r.park_committee:
        tree.append(
            {
                "level": "第一级 园区党工委",
                "name": r.park_committee.name,
                "code": r.park_committee.code,
                "relation": None,
                "organizations": None,
            }
        )
    else:
        tree.append({"level": "第一级 园区党工委", "name": "（未明确）"})
    for c in r.committees:
        relation = (
            f"隶属于{c.parent_name or c.parent}"
            if c.parent_is_park
            else "无园区一级上级" + (f"（上级：{c.parent_name or c.parent}）" if c.parent else "")
        )
        tree.append(
            {
                "level": "第二级 产业链党委",
                "name": c.name,
                "code": c.code,
                "relation": relation,
            }
        )
    if not r.committees:
        tree.append({"level": "第二级 产业链党委", "name": "（尚未建立）"})
    for e in r.enterprise_orgs:
        tree.append(
            {
                "level": "第三级 企业党组织",
                "name": e.name,
                "code": e.party_org,
                "relation": ATTACHMENTS[e.attachment],
                "organizations": len(e.organizations),
            }
        )
    members = [
        {"committee": c.name, "side": m.side, "name": m.name, "member": m.member}
        for c in r.committees
        for m in sorted(c.members, key=lambda m: [s.value for s in CommitteeSide].index(m.side))
    ]
    if r.committees:
        sides = (
            f"成员单位已有：{'、'.join(r.sides_present) or '无'}；"
            f"缺少：{'、'.join(r.sides_missing) or '无，三方进入齐全'}。"
        )
    else:
        sides = "尚未建立产业链党委，三方进入无从谈起；应先组建产业链党委。"
    segment_rows: list[dict[str, Any]] = [
        {
            "position": s.position,
            "name": s.name,
            "segment": s.segment,
            "enterprises": s.enterprises,
            "covered": s.covered,
            "own_organization": s.own_organization,
            "org_rate": to_number(s.org_rate),
        }
        for s in r.segments
    ]
    segment_chart = BarChart(
        f"{r.name}：各环节党组织覆盖率（上游→下游）",
        tuple(f"{s.position or ''}·{s.name}" for s in r.segments),
        ((COVERED_RATE.heading, tuple(row["org_rate"] for row in segment_rows)),),
    )
    mine = candidates[candidates["chain"] == r.chain] if len(candidates) else candidates
    finding_rows = [
        {
            "severity": f.severity,
            "code_label": FINDING_CODES[f.code],
            "subject_name": f.subject_name,
            "subject": f.subject,
            "problem": f.detail[: len(f.detail) - len(f.action)],
            "action": f.action,
        }
        for f in sorted(r.findings, key=lambda f: SEVERITIES.index(f.severity))
    ]
    picture = MapFigure(f"{r.name}产业链党建图", chain_map(g, r.chain, params))
    heading = f"{r.name}（{r.chain}）"
    parts = [
        Section("三级组织体系", (table("三级体系", CHAIN_TREE, tree, "无。"), picture), sub),
        Section(
            "产业链党委成员（三方进入）",
            (sides, table("三方进入", _MEMBERS, members, "无成员单位。")),
            sub,
        ),
        Section(
            "各环节党组织覆盖（上游→下游）",
            (table("环节覆盖", _SEGMENTS, segment_rows, "本链没有登记环节。"), segment_chart),
            sub,
        ),
        Section(
            "龙头企业候选（龙头领建）",
            (
                table(
                    "龙头企业", _LEADS, table_rows(mine, _LEADS), "本链暂无有党组织的企业可作龙头。"
                ),
            ),
            sub,
        ),
        Section(
            "薄弱环节与建议",
            (table("薄弱环节", _FINDINGS, finding_rows, "未发现薄弱环节。"),),
            sub,
        ),
    ]
    if single:
        return [Section("总体情况", (summary,)), *parts]
    return [Section(heading, (summary,), level), *parts]
