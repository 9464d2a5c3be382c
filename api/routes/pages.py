"""The planners' pages: Chinese HTML rendered on the server from the same analyses as the JSON API.

Every page runs the analyses of :mod:`graph.analysis` on the app's graph and shows their
results as tables with the headings of :mod:`api.labels` (the command line's), numbers
grouped by thousands and rates as percentages. Names and codes from the ledger are escaped by
the templates; links are built here with every code URL-quoted, and keep the request's scope
(``as_of``, ``min_employees_*``) so that following a link shows the same figures.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlencode

import networkx as nx
import numpy as np
import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.deps import GraphDep, ParamsDep, StateDep
from api.labels import (
    CHAIN_FINDING_HEADINGS,
    CLUSTER_HEADINGS,
    DIFF_CHANGE_HEADINGS,
    DIFF_HEADLINE_HEADINGS,
    DIFF_MOVE_HEADINGS,
    DIFF_ORG_HEADINGS,
    DIFF_REASON_HEADINGS,
    DIFF_SCOPE_HEADINGS,
    FLAG_HEADINGS,
    GROUP_LABELS,
    LEAD_HEADINGS,
    ORG_HEADINGS,
    PAIRING_DISTRICT_HEADINGS,
    PAIRING_TYPE_HEADINGS,
    PAIRING_UNPAIRED_HEADINGS,
    PARTNER_HEADINGS,
    PLAN_ATTACHMENT_HEADINGS,
    PLAN_GROUP_HEADINGS,
    PLAN_INSTRUCTOR_HEADINGS,
    PLAN_RATE_HEADINGS,
    PLAN_SPLIT_HEADINGS,
    PLAN_STANDALONE_HEADINGS,
    RATE_HEADINGS,
    SEARCH_HEADINGS,
    SEGMENT_HEADINGS,
)
from api.output import split_parts_joined
from api.templating import page_context, templates
from graph.analysis.clusters import clusters
from graph.analysis.common import (
    COVERAGE_LABELS,
    Params,
    is_missing,
    org_table,
    party_org_table,
    streets,
)
from graph.analysis.flags import flags
from graph.analysis.plan import plan
from graph.errors import LiangxinError, NotFound
from graph.model import NodeKind, node_id
from viz import maps
from viz.render import STATIC_FILES, map_block

if TYPE_CHECKING:
    from graph.store.workspace import VersionInfo

__all__ = ["PAGE_KINDS", "Cell", "Links", "Table", "page_url", "router", "version_options"]

router = APIRouter(tags=["页面"])

PAGE_KINDS: dict[str, str] = {
    "district": "/districts/",
    "street": "/streets/",
    "building": "/buildings/",
    "park": "/parks/",
    "chain": "/chains/",
    "org": "/orgs/",
}
"""The page of each kind of thing a link or a map node can point at (code appended, quoted)."""

SCOPE_PARAMS = ("as_of", "min_employees_enterprise", "min_employees_social")
"""Query parameters that change the figures: links carry them from page to page."""

ROW_LIMIT = 300
"""Long lists (organizations, proposals) show this many rows and say how many are left out."""

_PLACES: dict[str, tuple[NodeKind, str, str]] = {
    "district": (NodeKind.DISTRICT, "区县", "街道"),
    "street": (NodeKind.STREET, "街道", "街道"),
    "building": (NodeKind.BUILDING, "楼宇", "楼宇"),
    "park": (NodeKind.PARK, "园区", "园区"),
}
"""Place pages: the node kind, the place's Chinese name and the ledger sheet listing it."""

_COVERAGE_ORDER = {"none": 0, "work": 1, "joint": 2, "own": 3}
_GROUP_RATES = ["kind", "total", "org_covered", "org_rate", "work_covered", "work_rate"]
"""The rate columns shown for each place or chain in a list of them."""


def page_url(kind: str, code: object) -> str | None:
    """The page of a district, street, building, park, chain or organization; None without one."""
    if kind not in PAGE_KINDS or is_missing(code) or str(code) == "":
        return None
    return PAGE_KINDS[kind] + quote(str(code), safe="")


class Links:
    """Page URLs for one request: :func:`page_url` plus the request's scope parameters.

    An instance is the ``link(kind, code)`` the maps of :mod:`viz.maps` take.
    """

    def __init__(self, request: Request) -> None:
        self.scope: list[tuple[str, str]] = [
            (k, v) for k, v in request.query_params.items() if k in SCOPE_PARAMS and v
        ]
        """The scope parameters of the request, carried by every link (and the forms)."""

    def __call__(self, kind: str, code: object) -> str | None:
        url = page_url(kind, code)
        return None if url is None else url + self._query()

    def page(self, path: str, **query: object) -> str:
        """``path`` with ``query`` (None values left out) and the scope parameters."""
        return path + self._query({k: v for k, v in query.items() if not is_missing(v)})

    def _query(self, extra: Mapping[str, object] | None = None) -> str:
        pairs = [*(extra or {}).items(), *self.scope]
        return "?" + urlencode([(k, str(v)) for k, v in pairs]) if pairs else ""


@dataclass(frozen=True)
class Cell:
    """One table cell: text, an optional link, or a list of (linked) items shown joined."""

    text: str
    href: str | None = None
    parts: tuple[Cell, ...] = ()


@dataclass
class Table:
    """A table ready for the ``data_table`` macro: headings, formatted cells, what was cut."""

    title: str
    headings: list[str]
    numeric: list[bool]
    rows: list[list[Cell]]
    total: int
    empty: str = "没有符合条件的结果。"
    note: str | None = None
    anchor: str | None = None


@dataclass
class MapView:
    """A map for a page: its HTML and the files it needs, or why there is none."""

    html: Markup | None = None
    message: str | None = None
    assets: list[str] = field(default_factory=list)


StreetQuery = Annotated[str | None, Query(description="只看这个街道（街道编码）")]
RowLink = Callable[[dict[str, Any]], str | None]
RowLinks = Callable[[dict[str, Any]], Sequence[str | None]]


# -- pages --------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview(request: Request, graph: GraphDep, params: ParamsDep) -> HTMLResponse:
    """概览: the two rates per kind, the worst streets and chains, findings to act on, the map."""
    from graph.analysis.chains import chain_findings
    from graph.analysis.coverage import coverage
    from graph.analysis.flags import FLAG_CODES

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
        "worst_streets": _group_table(
            coverage(graph, "street", params).head(10),
            "street",
            link,
            title="覆盖率最低的街道",
        ),
        "worst_chains": _group_table(
            coverage(graph, "chain", params).head(10),
            "chain",
            link,
            title="覆盖率最低的产业链",
        ),
        "flag_counts": flag_counts,
        "flags": _flag_table(top_flags, link, title="需要处理的问题（每类前 3 条）"),
        "chain_findings": frame_table(
            chain_high,
            {"chain_name": "产业链", **CHAIN_FINDING_HEADINGS},
            title=f"产业链薄弱环节（严重程度高，共 {len(chain_high)} 条）",
            link={
                "chain_name": lambda r: link("chain", r["chain"]),
                "subject_name": _org_link(link, graph, "subject"),
            },
            limit=30,
            empty="没有严重程度为“高”的薄弱环节。",
        ),
        "map": _map("region_map", graph, params, link=link),
    }
    return _render(request, "overview.html", context)


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
    from graph.analysis.chains import ATTACHMENTS, chain_findings, chain_structure
    from graph.analysis.chains import segment_coverage as segments_of
    from graph.analysis.coverage import coverage
    from graph.analysis.leads import leads

    link = Links(request)
    _node(graph, "chain", code)
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
            link={"subject_name": _org_link(link, graph, "subject")},
            empty="没有发现薄弱环节。",
        ),
        "map": _map("chain_map", graph, code, params, link=link),
    }
    return _render(request, "chain.html", context)


@router.get("/orgs/{uscc}", response_class=HTMLResponse, include_in_schema=False)
def org_page(request: Request, graph: GraphDep, params: ParamsDep, uscc: str) -> HTMLResponse:
    """组织: its facts and findings, ranked partners and their map, the plan's outcome for it."""
    from graph.analysis.partners import partners

    link = Links(request)
    uscc = uscc.strip().upper()
    orgs = org_table(graph, params)
    hit = orgs[orgs["uscc"] == uscc]
    if hit.empty:
        raise NotFound(f"找不到统一社会信用代码为“{uscc}”的组织，请核对台账“组织”表。")
    org = hit.iloc[0].to_dict()
    found = flags(graph, params)
    own_po = None if is_missing(org["party_org"]) else str(org["party_org"])
    mine = found[(found["subject"] == uscc) | (found["subject"] == own_po)]
    try:
        ranked = partners(graph, uscc, top=10, params=params)
        partner_note = ranked.attrs.get("note")
        partner_table = frame_table(
            ranked,
            PARTNER_HEADINGS,
            title="联合组建伙伴（前 10 名）",
            link={"name": lambda r: link("org", r["candidate"]) if _is_org(r) else None},
            empty="附近没有可以一起组建的未覆盖组织或有空位的联合党支部。",
        )
        partner_map = _map("partner_map", graph, uscc, params, top=10, link=link)
    except LiangxinError as exc:  # not operating or out of scope: no suggestions for it
        partner_note, partner_table = exc.message, None
        partner_map = MapView(message=exc.message)
    context = {
        "org": org,
        "facts": _org_facts(graph, org, link),
        "flags": frame_table(
            mine, FLAG_HEADINGS, title="问题", empty="没有需要处理的问题。", anchor="flags"
        ),
        "partner_note": partner_note,
        "partners": partner_table,
        "map": partner_map,
        "outcome": _plan_outcome(graph, params, org, link),
    }
    return _render(request, "org.html", context)


@router.get("/plan", response_class=HTMLResponse, include_in_schema=False)
def plan_page(
    request: Request,
    graph: GraphDep,
    params: ParamsDep,
    street: StreetQuery = None,
) -> HTMLResponse:
    """组建方案: rates before and after, new joint groups, attachments, standalone, instructors."""
    link = Links(request)
    choice = _street_choice(graph, street)
    street = choice["street"]
    result = plan(graph, params)

    def part(name: str) -> pd.DataFrame:
        frame = result.frame(name)  # type: ignore[arg-type]
        return frame[frame["street"] == street] if street else frame

    groups, attachments = part("groups"), part("attachments")
    standalone, instructors = part("standalone"), part("instructors")
    splits = split_parts_joined(part("splits"))
    org_name = {"name": lambda r: link("org", r["uscc"])}
    street_link = {"street_name": lambda r: link("street", r["street"])}
    context = {
        **choice,
        "rates": frame_table(
            result.rates, PLAN_RATE_HEADINGS, title="方案实施前后的覆盖率（全区）"
        ),
        "groups": frame_table(
            groups,
            PLAN_GROUP_HEADINGS,
            title=f"新建联合党组织（{len(groups)} 个）",
            link=street_link,
            lists={"member_names": lambda r: [link("org", u) for u in r["members"]]},
            limit=ROW_LIMIT,
        ),
        "attachments": frame_table(
            attachments,
            PLAN_ATTACHMENT_HEADINGS,
            title=f"并入现有党组织（{len(attachments)} 个）",
            link={**org_name, **street_link},
            limit=ROW_LIMIT,
        ),
        "standalone": frame_table(
            standalone,
            PLAN_STANDALONE_HEADINGS,
            title=f"单独组建（{len(standalone)} 个）",
            link={**org_name, **street_link},
            limit=ROW_LIMIT,
        ),
        "instructors": frame_table(
            instructors,
            PLAN_INSTRUCTOR_HEADINGS,
            title=f"选派指导员、发展党员（{len(instructors)} 个）",
            link={**org_name, **street_link},
            limit=ROW_LIMIT,
        ),
        "splits": frame_table(
            splits,
            PLAN_SPLIT_HEADINGS,
            title=f"拆分覆盖组织过多的联合党组织（{len(splits)} 个）",
            link=street_link,
            limit=ROW_LIMIT,
        )
        if len(splits)
        else None,
        "solver_note": result.solver.note,
        "map": _map("plan_map", graph, params, street=street, link=link),
    }
    return _render(request, "plan.html", context)


@router.get("/pairing", response_class=HTMLResponse, include_in_schema=False)
def pairing_page(
    request: Request,
    graph: GraphDep,
    params: ParamsDep,
    street: StreetQuery = None,
) -> HTMLResponse:
    """结对共建: the share paired, by type and district, unpaired organizations with suggestions."""
    from graph.analysis.pairing import pairing

    link = Links(request)
    choice = _street_choice(graph, street)
    street = choice["street"]
    result = pairing(graph, params)
    unpaired = result.unpaired
    if street:
        unpaired = unpaired[unpaired["street"] == street]
    context = {
        **choice,
        "result": result,
        "by_type": frame_table(result.by_type, PAIRING_TYPE_HEADINGS, title="按共建类型"),
        "by_district": frame_table(
            result.by_district,
            PAIRING_DISTRICT_HEADINGS,
            title="按区县",
            link={"district": lambda r: link("district", r["district"])},
        ),
        "unpaired": frame_table(
            unpaired,
            PAIRING_UNPAIRED_HEADINGS,
            title=f"未结对的两新党组织和建议（{unpaired['party_org'].nunique()} 个党组织）",
            link={"street_name": lambda r: link("street", r["street"])},
            limit=ROW_LIMIT,
            empty="所有两新党组织都已结对共建。",
        ),
        "map": _map("pairing_map", graph, params, street=street, link=link),
    }
    return _render(request, "pairing.html", context)


@router.get("/diff", response_class=HTMLResponse, include_in_schema=False)
def diff_page(
    request: Request,
    graph: GraphDep,
    params: ParamsDep,
    state: StateDep,
    from_version: Annotated[str, Query(alias="from", description="较早的版本")] = "previous",
    to_version: Annotated[str, Query(alias="to", description="较新的版本")] = "current",
) -> HTMLResponse:
    """版本变化 (月调度): headline changes, streets and chains whose rates moved, organizations."""
    link = Links(request)
    workspace = state.workspace_versions
    context: dict[str, Any] = {"versions": [], "message": None, "result": None}
    if workspace is None:
        context["message"] = (
            "此应用的数据来自台账文件或图数据库，没有工作区版本可比较。"
            "请用 liangxin load 把每期台账导入工作区，再用 liangxin serve 打开。"
        )
        return _render(request, "diff.html", context)
    versions = workspace.versions()
    context["versions"] = version_options(versions)
    if len(versions) < 2:
        context["message"] = (
            "工作区中只有一个版本，还没有可以比较的上一期。"
            "导入新一期台账（liangxin load）后再来查看变化。"
        )
        return _render(request, "diff.html", context)
    then, now, result = state.compare(from_version, to_version, params)

    def org_link(r: dict[str, Any]) -> str | None:
        return (
            link("org", r["uscc"]) if node_id(NodeKind.ORGANIZATION, r["uscc"]) in graph else None
        )

    def group_link(kind: str, node_kind: NodeKind) -> RowLink:
        return lambda r: link(kind, r["group"]) if node_id(node_kind, r["group"]) in graph else None

    changed_streets = result.streets[result.streets["change"].ne(0)]
    changed_chains = result.chains[result.chains["change"].ne(0)]
    orgs = {"name": org_link, "street_name": lambda r: link("street", r["street"])}
    context.update(
        then=then,
        now=now,
        selected_from=then.id,
        selected_to=now.id,
        result=result,
        headline=frame_table(result.headline, DIFF_HEADLINE_HEADINGS, title="两类组织覆盖率"),
        streets=frame_table(
            changed_streets,
            DIFF_CHANGE_HEADINGS,
            title=f"覆盖率有变化的街道（{len(changed_streets)} 行，降幅大的在前）",
            link={"group_name": group_link("street", NodeKind.STREET)},
            limit=ROW_LIMIT,
            empty="各街道的覆盖率没有变化。",
        ),
        chains=frame_table(
            changed_chains,
            DIFF_CHANGE_HEADINGS,
            title=f"覆盖率有变化的产业链（{len(changed_chains)} 行）",
            link={"group_name": group_link("chain", NodeKind.CHAIN)},
            empty="各产业链的覆盖率没有变化。",
        ),
        added=frame_table(
            result.added,
            DIFF_ORG_HEADINGS,
            title=f"新增组织（{len(result.added)} 个）",
            link=orgs,
            limit=ROW_LIMIT,
        ),
        removed=frame_table(
            result.removed,
            DIFF_ORG_HEADINGS,
            title=f"减少的组织（{len(result.removed)} 个）",
            link=orgs,
            limit=ROW_LIMIT,
        ),
        moved=frame_table(
            result.moved,
            {**DIFF_MOVE_HEADINGS, "covered_then": "上期有党组织", "covered_now": "本期有党组织"},
            title=f"迁移的组织（{len(result.moved)} 个：街道、楼宇、园区、产业链或类型变了）",
            link={"name": org_link},
            limit=ROW_LIMIT,
            empty="没有迁移的组织。",
        ),
        left_scope=frame_table(
            result.left_scope,
            DIFF_SCOPE_HEADINGS,
            title=f"移出统计范围的组织（{len(result.left_scope)} 个，街道为上期所在）",
            link=orgs,
            limit=ROW_LIMIT,
            empty="没有移出统计范围的组织。",
        ),
        entered_scope=frame_table(
            result.entered_scope,
            DIFF_SCOPE_HEADINGS,
            title=f"纳入统计范围的组织（{len(result.entered_scope)} 个）",
            link=orgs,
            limit=ROW_LIMIT,
            empty="没有新纳入统计范围的组织。",
        ),
        newly_uncovered=frame_table(
            result.newly_uncovered,
            DIFF_REASON_HEADINGS,
            title=f"新出现的未覆盖组织（{len(result.newly_uncovered)} 个）",
            link=orgs,
            limit=ROW_LIMIT,
        ),
        newly_covered=frame_table(
            result.newly_covered,
            DIFF_REASON_HEADINGS,
            title=f"新覆盖的组织（{len(result.newly_covered)} 个）",
            link=orgs,
            limit=ROW_LIMIT,
        ),
    )
    return _render(request, "diff.html", context)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    graph: GraphDep,
    q: Annotated[str, Query(description="名称或统一社会信用代码")] = "",
) -> HTMLResponse:
    """搜索: organizations by name or USCC, places and chains by name, each linked to its page."""
    from graph.analysis.search import KINDS, search

    link = Links(request)
    hits = search(graph, q)
    hits = hits.assign(kind_label=hits["kind"].map(KINDS))
    context = {
        "query": q,
        "results": frame_table(
            hits,
            SEARCH_HEADINGS,
            title=f"搜索“{q.strip()}”：找到 {len(hits)} 项" if q.strip() else "",
            link={"name": lambda r: link(r["kind"], r["code"])},
            empty="没有找到。可以输入组织名称的一部分、统一社会信用代码的前几位，或街道、楼宇、园区、产业链的名称。",
        ),
    }
    return _render(request, "search.html", context)


# -- tables -------------------------------------------------------------------------------------


def frame_table(
    frame: pd.DataFrame,
    headings: Mapping[str, str],
    *,
    title: str = "",
    link: Mapping[str, RowLink] | None = None,
    lists: Mapping[str, RowLinks] | None = None,
    limit: int | None = None,
    empty: str = "没有符合条件的结果。",
    note: str | None = None,
    anchor: str | None = None,
) -> Table:
    """``frame``'s columns named in ``headings`` as a :class:`Table`, at most ``limit`` rows.

    Numbers are grouped by thousands; a column whose heading has ``%`` is a rate, shown as
    ``90.56%`` (the ``%`` leaves the heading); one measured in 百分点 is signed (``+1.50``);
    true/false are 是/否; lists are joined with 、; missing values are —. ``link`` gives a
    column's cell a link computed from the row; ``lists`` links each item of a list column.
    """
    link, lists = link or {}, lists or {}
    columns = [c for c in headings if c in frame.columns]
    shown = frame if limit is None else frame.head(limit)
    kinds = [_column_format(headings[c]) for c in columns]
    rows = []
    for record in shown.to_dict("records"):
        cells = []
        for column, kind in zip(columns, kinds, strict=True):
            value = record[column]
            if column in lists and isinstance(value, list | tuple):
                hrefs = list(lists[column](record))
                parts = tuple(
                    Cell(_format(v, kind), href)
                    for v, href in zip(value, hrefs + [None] * len(value), strict=False)
                )
                cells.append(Cell("、".join(p.text for p in parts), parts=parts))
                continue
            href = link[column](record) if column in link and not is_missing(value) else None
            cells.append(Cell(_format(value, kind), href))
        rows.append(cells)
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in columns
    ]
    return Table(
        title=title,
        headings=[headings[c].replace("%", "") for c in columns],
        numeric=numeric,
        rows=rows,
        total=len(frame),
        empty=empty,
        note=note,
        anchor=anchor,
    )


def _column_format(heading: str) -> str:
    if "%" in heading:
        return "percent"
    if "百分点" in heading:
        return "change"
    return "plain"


def _format(value: object, kind: str = "plain") -> str:
    """One value as a planner reads it (see :func:`frame_table`)."""
    if isinstance(value, list | tuple):
        return "、".join(_format(v, kind) for v in value)
    if is_missing(value):
        return "—"
    if isinstance(value, bool | np.bool_):
        return "是" if value else "否"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        number = float(value)
        if kind == "percent":
            return f"{number:.2f}%"
        if kind == "change":
            return f"{number:+.2f}"
        return f"{number:,.2f}"
    return str(value)


def _pct(value: object) -> str:
    return _format(value, "percent")


def _num(value: object) -> str:
    return _format(value)


templates.env.filters["pct"] = _pct  # for figures the templates show outside tables
templates.env.filters["num"] = _num


# -- helpers ------------------------------------------------------------------------------------


def _render(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    map_view = context.get("map")
    assets = map_view.assets if isinstance(map_view, MapView) else []
    return templates.TemplateResponse(
        request,
        name,
        page_context(request, **{"link": Links(request), "viz_assets": assets, **context}),
    )


def _map(builder: str, *args: Any, **kwargs: Any) -> MapView:
    """One map of :mod:`viz.maps` as page HTML; the reason instead where it cannot be drawn."""
    try:
        network = getattr(maps, builder)(*args, **kwargs)
    except LiangxinError as exc:
        return MapView(message=exc.message)
    return MapView(html=map_block(network), assets=list(STATIC_FILES))


def _node(g: nx.MultiDiGraph, kind: str, code: str) -> dict[str, Any]:
    """The node of a place or chain page; NotFound with a Chinese message when there is none."""
    node_kind, label, sheet = _PLACES.get(kind, (NodeKind.CHAIN, "产业链", "产业链"))
    key = node_id(node_kind, code)
    if key not in g:
        raise NotFound(f"找不到{label}“{code}”，请核对台账“{sheet}”表中的编码。")
    return g.nodes[key]


def version_options(versions: Sequence[VersionInfo]) -> list[dict[str, str]]:
    """Workspace versions for a version choice, newest first: ``版本号（导入日期）``."""
    return [{"id": v.id, "label": f"{v.id}（{v.loaded_at[:10]}）"} for v in reversed(versions)]


def _street_choice(g: nx.MultiDiGraph, street: str | None) -> dict[str, Any]:
    """The street a plan or pairing page shows (None: the whole area), its name, and every
    street to choose from; NotFound for a street the ledger does not have."""
    street = street or None
    name = str(_node(g, "street", street).get("name") or street) if street else None
    table = streets(g).sort_values(["district", "name"])
    return {
        "street": street,
        "street_name": name,
        "streets": [
            {"code": str(code), "name": f"{row['district']} {row['name']}"}
            for code, row in table.iterrows()
        ],
    }


def _is_org(row: Mapping[str, Any]) -> bool:
    return row.get("candidate_kind") == "organization"


def _org_link(link: Links, g: nx.MultiDiGraph, column: str) -> RowLink:
    """Link a cell to the organization whose USCC is in ``column``, when it is one."""

    def href(row: dict[str, Any]) -> str | None:
        code = row.get(column)
        if is_missing(code) or node_id(NodeKind.ORGANIZATION, str(code)) not in g:
            return None
        return link("org", code)

    return href


def _group_table(frame: pd.DataFrame, kind: str, link: Links, *, title: str) -> Table:
    """Rates of ``coverage(by=kind)`` rows, each group linked to its page."""
    headings = {"group_name": GROUP_LABELS[kind], **{k: RATE_HEADINGS[k] for k in _GROUP_RATES}}
    return frame_table(
        frame,
        headings,
        title=title,
        link={"group_name": lambda r: link(kind, r["group"])},
        empty="没有计入统计的组织。",
    )


def _flag_table(frame: pd.DataFrame, link: Links, *, title: str, limit: int | None = None) -> Table:
    return frame_table(
        frame,
        FLAG_HEADINGS,
        title=title,
        link={
            "name": lambda r: (
                link("org", r["subject"]) if r["subject_kind"] == "organization" else None
            ),
            "street_name": lambda r: link("street", r["street"]),
        },
        limit=limit,
        empty="没有需要处理的问题。",
    )


def _coverage_labels(orgs: pd.DataFrame) -> pd.Series:
    """Each organization's coverage state in Chinese; those not counted say why."""
    labels = orgs["coverage"].map(COVERAGE_LABELS)
    outside = ~orgs["in_scope"].astype(bool)
    why = orgs["status"].where(~orgs["operating"].astype(bool), "从业人员不足")
    return labels.where(~outside, "不计入统计（" + why.astype(str) + "）")


def _place_page(
    request: Request, g: nx.MultiDiGraph, params: Params, kind: str, code: str
) -> HTMLResponse:
    """The page of one district, street, building or park."""
    from graph.analysis.coverage import coverage

    link = Links(request)
    place = _node(g, kind, code)
    name = str(place.get("name") or code)
    label = _PLACES[kind][1]
    orgs = org_table(g, params)
    mine = orgs[(orgs[kind] == code).fillna(False).to_numpy(dtype=bool)]
    usccs = set(mine["uscc"])

    rates = coverage(g, kind, params)
    children: list[Table] = []
    for child, codes, title in _children(g, kind, code, mine):
        rows = coverage(g, child, params)
        rows = rows[rows["group"].isin(codes)]
        children.append(_group_table(rows, child, link, title=title))

    listed = mine.assign(
        coverage_label=_coverage_labels(mine),
        _order=mine["coverage"].map(_COVERAGE_ORDER),
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
        "flags": _flag_table(
            flags_here, link, title=f"需要处理的问题（{len(flags_here)} 条）", limit=ROW_LIMIT
        ),
        "plan_link": link.page("/plan", street=code) if kind == "street" else None,
        "map": _map("region_map", g, params, link=link, **map_scope),
    }
    return _render(request, "place.html", context)


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


def _org_facts(g: nx.MultiDiGraph, org: dict[str, Any], link: Links) -> list[tuple[str, Cell]]:
    """The facts of one organization, each a (heading, cell) pair."""
    pos = party_org_table(g).set_index("id")
    po = org.get("party_org")
    po_text = "—"
    if not is_missing(po) and po in pos.index:
        row = pos.loc[po]
        how = f"{_format(row['level'])}，{_format(row['formation'])}，党员 {row['members']} 名"
        po_text = f"{row['name']}（{how}）"
    instructor = org.get("instructor")
    instructor_text = "—"
    if not is_missing(instructor):
        data = g.nodes.get(node_id(NodeKind.INSTRUCTOR, str(instructor)), {})
        instructor_text = f"{data.get('name') or instructor}（{_format(data.get('type'))}）"
    mass = [
        label
        for key, label in (
            ("has_union", "工会"),
            ("has_youth_league", "共青团"),
            ("has_womens_federation", "妇联"),
        )
        if org.get(key) is True
    ]
    segment = "—"
    if not is_missing(org.get("segment_name")):
        segment = f"{org['segment_name']}（{_format(org.get('position'))}）"
    counted = (
        "是"
        if org["in_scope"]
        else ("否（经营状态非正常）" if not org["operating"] else "否（从业人员不足）")
    )
    facts = [
        ("统一社会信用代码", Cell(str(org["uscc"]))),
        ("组织类型", Cell(_format(org["org_kind"]))),
        ("细分类别", Cell(_format(org.get("category")))),
        (
            "经营状态",
            Cell(_format(org.get("status")) if not is_missing(org.get("status")) else "正常"),
        ),
        ("区县", Cell(_format(org["district"]), link("district", org["district"]))),
        ("街道", Cell(_format(org["street_name"]), link("street", org["street"]))),
        ("楼宇", Cell(_format(org["building_name"]), link("building", org["building"]))),
        ("园区", Cell(_format(org["park_name"]), link("park", org["park"]))),
        ("产业链", Cell(_format(org["chain_name"]), link("chain", org["chain"]))),
        ("产业链环节", Cell(segment)),
        ("从业人员", Cell(_format(org["employees"]) + " 人")),
        ("正式党员", Cell(_format(org["formal_members"]) + " 名")),
        ("预备党员", Cell(_format(org["probationary_members"]) + " 名")),
        ("覆盖党组织", Cell(po_text)),
        ("党建指导员", Cell(instructor_text)),
        ("群团组织", Cell("、".join(mass) or "—")),
        ("覆盖状态", Cell(COVERAGE_LABELS[org["coverage"]])),
        ("计入统计", Cell(counted)),
    ]
    return facts


def _plan_outcome(
    g: nx.MultiDiGraph, params: Params, org: dict[str, Any], link: Links
) -> dict[str, Any]:
    """What the formation plan proposes for one organization, in Chinese."""
    result = plan(g, params)
    uscc = org["uscc"]
    for s in result.standalone:
        if s.uscc == uscc:
            title = f"单独组建（建议成立{s.level}）"
            if s.from_party_org_name:
                title = f"从{s.from_party_org_name}分出，{title}"
            return {"title": title, "reason": s.reason, "members": []}
    for grp in result.groups:
        if uscc in grp.members:
            others = [
                Cell(n, link("org", u))
                for u, n in zip(grp.members, grp.member_names, strict=True)
                if u != uscc
            ]
            return {
                "title": f"{grp.mode}：与 {len(others)} 个组织联合组建"
                f"（{grp.group_id}，正式党员合计 {grp.formal_members} 名）",
                "reason": grp.reason,
                "members": others,
            }
    for a in result.attachments:
        if a.uscc == uscc:
            return {"title": f"{a.mode}：并入{a.party_org_name}", "reason": a.reason, "members": []}
    for i in result.instructors:
        if i.uscc == uscc:
            who = i.instructor_name or i.instructor
            return {
                "title": f"选派党建指导员（{who}），{i.target}",
                "reason": i.reason,
                "members": [],
            }
    if org["org_covered"]:
        why = "已有党组织覆盖，方案不涉及。"
    elif not org["in_scope"]:
        why = "不计入统计范围，方案不涉及。"
    else:
        why = "方案未涉及。"
    return {"title": why, "reason": None, "members": []}
