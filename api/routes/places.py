"""The place pages: 概览 (the whole area), and one page per district, street, building, park
and industry chain, each with its two rates, the places under it, its organizations, the
uncovered clusters, the findings to act on and its map."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import GraphDep, ParamsDep
from api.labels import (
    CHAIN_FINDING_HEADINGS,
    CHAIN_FINDING_PAGE_HEADINGS,
    CLUSTER_HEADINGS,
    LEAD_HEADINGS,
    ORG_HEADINGS,
    RATE_HEADINGS,
    SEGMENT_HEADINGS,
)
from api.templating import (
    COVERAGE_ORDER,
    PLACES,
    ROW_LIMIT,
    Cell,
    Links,
    Table,
    coverage_labels,
    flag_table,
    frame_table,
    group_table,
    map_view,
    org_link,
    place_node,
    render_page,
)
from graph.analysis.chains import ATTACHMENTS, chain_findings, chain_structure
from graph.analysis.chains import segment_coverage as segments_of
from graph.analysis.clusters import clusters
from graph.analysis.common import (
    Params,
    org_table,
    streets,
)
from graph.analysis.coverage import coverage
from graph.analysis.flags import FLAG_CODES, flags
from graph.analysis.leads import leads
from graph.model import NodeKind, node_id

__all__ = ["router"]

router = APIRouter(tags=["页面"])


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview(request: Request, graph: GraphDep, params: ParamsDep) -> HTMLResponse:
    """概览: the two rates per kind, the worst streets and chains, findings to act on, the map."""

    link = Links(request)
    kinds = coverage(graph, "kind", params)
    found = flags(graph, params)
    counts = found["code"].value_counts()
    flag_counts = [
        {"code": code, "label": label, "count": int(counts.get(code, 0))}
        for code, label in FLAG_CODES.items()
    ]
    top_flags = found.groupby("code", sort=False).head(3)
    chain_high = chain_findings(graph, None, params)
    chain_high = chain_high[chain_high["severity"] == "高"]
    context = {
        "kinds": kinds.to_dict("records"),
        "rates": frame_table(
            kinds, RATE_HEADINGS, title="两个覆盖率（按组织类型）", anchor="rates"
        ),
        "worst_streets": group_table(
            coverage(graph, "street", params).head(10),
            "street",
            link,
            title="覆盖率最低的街道",
        ),
        "worst_chains": group_table(
            coverage(graph, "chain", params).head(10),
            "chain",
            link,
            title="覆盖率最低的产业链",
        ),
        "flag_counts": flag_counts,
        "flags": flag_table(top_flags, link, title="需要处理的问题（每类前 3 条）"),
        "chain_findings": frame_table(
            chain_high,
            CHAIN_FINDING_PAGE_HEADINGS,
            title=f"产业链薄弱环节（严重程度高，共 {len(chain_high)} 条）",
            link={
                "chain_name": lambda r: link("chain", r["chain"]),
                "subject_name": org_link(link, graph, "subject"),
            },
            limit=30,
            empty="没有严重程度为“高”的薄弱环节。",
        ),
        "map": map_view("region_map", graph, params, link=link),
    }
    return render_page(request, "overview.html", context)


@router.get("/districts/{name}", response_class=HTMLResponse, include_in_schema=False)
def district_page(request: Request, graph: GraphDep, params: ParamsDep, name: str) -> HTMLResponse:
    """区县: rates, streets and parks, organizations, uncovered clusters, findings, the map."""
    return _place_page(request, graph, params, "district", name)


@router.get("/streets/{code}", response_class=HTMLResponse, include_in_schema=False)
def street_page(request: Request, graph: GraphDep, params: ParamsDep, code: str) -> HTMLResponse:
    """街道: rates, buildings and parks, organizations, uncovered clusters, findings, the map."""
    return _place_page(request, graph, params, "street", code)


@router.get("/buildings/{code}", response_class=HTMLResponse, include_in_schema=False)
def building_page(request: Request, graph: GraphDep, params: ParamsDep, code: str) -> HTMLResponse:
    """楼宇: rates, organizations, uncovered clusters, findings, the map."""
    return _place_page(request, graph, params, "building", code)


@router.get("/parks/{code}", response_class=HTMLResponse, include_in_schema=False)
def park_page(request: Request, graph: GraphDep, params: ParamsDep, code: str) -> HTMLResponse:
    """园区: rates, buildings, organizations, uncovered clusters, findings, the map."""
    return _place_page(request, graph, params, "park", code)


@router.get("/chains/{code}", response_class=HTMLResponse, include_in_schema=False)
def chain_page(request: Request, graph: GraphDep, params: ParamsDep, code: str) -> HTMLResponse:
    """产业链: the three levels, segments up- to downstream, lead candidates, weak links, map."""
    link = Links(request)
    place_node(graph, "chain", code)
    report = chain_structure(graph, code, params)[0]
    orgs = org_table(graph, params)
    names = dict(zip(orgs["uscc"], orgs["name"], strict=True))
    rates = coverage(graph, "chain", params)
    committees = [
        {
            "name": c.name,
            "level": c.level or "—",
            "has_secretary": c.has_secretary,
            "parent": c.parent_name or c.parent,
            "parent_is_park": c.parent_is_park,
            "sides": [
                (
                    side,
                    [
                        Cell(m.name, link("org", m.member) if m.member in names else None)
                        for m in c.members
                        if m.side == side
                    ],
                )
                for side in dict.fromkeys(m.side for m in c.members)
            ],
            "sides_missing": c.sides_missing,
        }
        for c in report.committees
    ]
    enterprise_orgs = [
        {
            "name": e.name,
            "attachment": ATTACHMENTS[e.attachment],
            "attachment_code": e.attachment,
            "organizations": [Cell(names.get(u, u), link("org", u)) for u in e.organizations],
        }
        for e in report.enterprise_orgs
    ]
    lead_rows = leads(graph, chain=code, top=10, params=params)
    findings = chain_findings(graph, code, params)
    headings = {k: v for k, v in LEAD_HEADINGS.items() if k != "chain_name"}
    context = {
        "report": report,
        "rates": frame_table(
            rates[rates["group"] == code],
            RATE_HEADINGS,
            title="覆盖率",
            empty="这条产业链没有计入统计的组织。",
        ),
        "committees": committees,
        "enterprise_orgs": enterprise_orgs,
        "segments": frame_table(
            segments_of(graph, code, params),
            SEGMENT_HEADINGS,
            title="各环节覆盖（上游 → 下游）",
            empty="这条产业链没有登记环节。",
        ),
        "leads": frame_table(
            lead_rows,
            headings,
            title="龙头领建候选企业",
            link={"name": lambda r: link("org", r["uscc"])},
            empty="这条产业链还没有自身建有党组织、可以领建的企业。",
        ),
        "findings": frame_table(
            findings,
            CHAIN_FINDING_HEADINGS,
            title=f"薄弱环节（{len(findings)} 条）",
            link={"subject_name": org_link(link, graph, "subject")},
            empty="没有发现薄弱环节。",
        ),
        "map": map_view("chain_map", graph, code, params, link=link),
    }
    return render_page(request, "chain.html", context)


def _place_page(
    request: Request, g: nx.MultiDiGraph, params: Params, kind: str, code: str
) -> HTMLResponse:
    """The page of one district, street, building or park."""

    link = Links(request)
    place = place_node(g, kind, code)
    name = str(place.get("name") or code)
    label = PLACES[kind][1]
    orgs = org_table(g, params)
    mine = orgs[(orgs[kind] == code).fillna(False).to_numpy(dtype=bool)]
    usccs = set(mine["uscc"])

    rates = coverage(g, kind, params)
    children: list[Table] = []
    for child, codes, title in _children(g, kind, code, mine):
        rows = coverage(g, child, params)
        rows = rows[rows["group"].isin(codes)]
        children.append(group_table(rows, child, link, title=title))

    listed = mine.assign(
        coverage_label=coverage_labels(mine),
        _order=mine["coverage"].map(COVERAGE_ORDER),
        _counted=~mine["in_scope"].astype(bool),
    ).sort_values(["_counted", "_order", "employees", "uscc"], ascending=[True, True, False, True])
    org_headings = dict(ORG_HEADINGS)
    if kind in ("street", "building"):
        org_headings.pop("street_name")
    if kind == "building":
        org_headings.pop("building_name")

    found = clusters(g, params)
    in_place = [bool(usccs.intersection(m)) for m in found["members"]]
    clusters_here = found[in_place] if len(found) else found
    flagged = flags(g, params)
    party_orgs = set(mine["party_org"].dropna())
    here = flagged["subject"].isin(usccs | party_orgs)
    if kind in ("district", "street"):
        here |= (flagged["subject_kind"] == "party_org") & (flagged[kind] == code).fillna(False)
    flags_here = flagged[here.to_numpy(dtype=bool)]

    map_scope = {kind: code}
    context = {
        "kind": kind,
        "label": label,
        "name": name,
        "code": code,
        "trail": _trail(g, kind, place, link),
        "headline": rates[rates["group"] == code].to_dict("records"),
        "rates": frame_table(
            rates[rates["group"] == code],
            RATE_HEADINGS,
            title="两个覆盖率",
            empty=f"这个{label}没有计入统计的组织。",
        ),
        "children": children,
        "orgs": frame_table(
            listed,
            org_headings,
            title=f"组织（{len(mine)} 个）",
            link={
                "name": lambda r: link("org", r["uscc"]),
                "street_name": lambda r: link("street", r["street"]),
                "building_name": lambda r: link("building", r["building"]),
            },
            limit=ROW_LIMIT,
            note="未覆盖的排在前面；不计入统计的（非正常经营或从业人员不足）排在最后。",
            empty=f"这个{label}没有登记组织。",
            anchor="orgs",
        ),
        "clusters": frame_table(
            clusters_here,
            CLUSTER_HEADINGS,
            title=f"尚未覆盖的组织群（{len(clusters_here)} 个）",
            link={"street_name": lambda r: link("street", r["street"])},
            lists={"member_names": lambda r: [link("org", u) for u in r["members"]]},
            limit=ROW_LIMIT,
            empty="没有尚未覆盖的组织群。",
            anchor="clusters",
        ),
        "flags": flag_table(
            flags_here, link, title=f"需要处理的问题（{len(flags_here)} 条）", limit=ROW_LIMIT
        ),
        "plan_link": link.page("/plan", street=code) if kind == "street" else None,
        "map": map_view("region_map", g, params, link=link, **map_scope),
    }
    return render_page(request, "place.html", context)


def _children(
    g: nx.MultiDiGraph, kind: str, code: str, mine: pd.DataFrame
) -> list[tuple[str, set[str], str]]:
    """The places shown under a place: (grouping, codes, title)."""
    if kind == "district":
        table = streets(g)
        own_streets = set(table.index[table["district"] == code])
        parks = {
            d["code"]
            for _, d in g.nodes(data=True)
            if d.get("kind") == NodeKind.PARK.value and d.get("district") == code
        }
        return [("street", own_streets, "各街道"), ("park", parks, "区内园区")]
    if kind == "street":
        buildings = {
            d["code"]
            for _, d in g.nodes(data=True)
            if d.get("kind") == NodeKind.BUILDING.value and d.get("street") == code
        }
        parks = set(mine["park"].dropna())
        return [
            ("building", buildings, "各楼宇"),
            ("park", parks, "本街道组织所在园区（园区整体数字）"),
        ]
    if kind == "park":
        return [("building", set(mine["building"].dropna()), "园区内组织所在楼宇（楼宇整体数字）")]
    return []


def _trail(g: nx.MultiDiGraph, kind: str, place: dict[str, Any], link: Links) -> list[Cell]:
    """Where a place sits: its district, and a building's street."""
    trail: list[Cell] = []
    street = place.get("street") if kind == "building" else None
    district = place.get("district")
    if street is not None:
        street_data = g.nodes.get(node_id(NodeKind.STREET, street), {})
        district = street_data.get("district")
        if district:
            trail.append(Cell(str(district), link("district", district)))
        trail.append(Cell(str(street_data.get("name") or street), link("street", street)))
    elif district and kind != "district":
        trail.append(Cell(str(district), link("district", district)))
    return trail
