"""The planners' pages for one organization, the formation plan, pairing, the changes between
versions and search: Chinese HTML rendered on the server from the same analyses as the JSON
API (helpers shared with the other page routes come from :mod:`api.templating`)."""

from __future__ import annotations

from typing import Annotated, Any, cast

import networkx as nx
import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import GraphDep, ParamsDep, StateDep
from api.labels import (
    DIFF_CHANGE_HEADINGS,
    DIFF_HEADLINE_HEADINGS,
    DIFF_MOVE_PAGE_HEADINGS,
    DIFF_ORG_HEADINGS,
    DIFF_REASON_HEADINGS,
    DIFF_SCOPE_HEADINGS,
    FLAG_HEADINGS,
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
    SEARCH_HEADINGS,
)
from api.templating import (
    ROW_LIMIT,
    Cell,
    Links,
    MapView,
    RowLink,
    StreetQuery,
    format_value,
    frame_table,
    is_org_row,
    map_view,
    render_page,
    street_choice,
    version_options,
)
from graph.analysis.common import (
    COVERAGE_LABELS,
    Params,
    is_missing,
    org_table,
    party_org_table,
)
from graph.analysis.flags import flags
from graph.analysis.pairing import pairing
from graph.analysis.partners import partners
from graph.analysis.plan import Part, plan, split_parts_joined
from graph.analysis.search import KINDS, search
from graph.errors import LiangxinError, NotFound
from graph.model import NodeKind, node_id

__all__ = ["router"]

router = APIRouter(tags=["页面"])


@router.get("/orgs/{uscc}", response_class=HTMLResponse, include_in_schema=False)
def org_page(request: Request, graph: GraphDep, params: ParamsDep, uscc: str) -> HTMLResponse:
    """组织: its facts and findings, ranked partners and their map, the plan's outcome for it."""
    link = Links(request)
    uscc = uscc.strip().upper()
    orgs = org_table(graph, params)
    hit = orgs[orgs["uscc"] == uscc]
    if hit.empty:
        raise NotFound(f"找不到统一社会信用代码为“{uscc}”的组织，请核对台账“组织”表。")
    org = cast("dict[str, Any]", hit.iloc[0].to_dict())
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
            link={"name": lambda r: link("org", r["candidate"]) if is_org_row(r) else None},
            empty="附近没有可以一起组建的未覆盖组织或有空位的联合党支部。",
        )
        partner_map = map_view("partner_map", graph, uscc, params, top=10, link=link)
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
    return render_page(request, "org.html", context)


@router.get("/plan", response_class=HTMLResponse, include_in_schema=False)
def plan_page(
    request: Request,
    graph: GraphDep,
    params: ParamsDep,
    street: StreetQuery = None,
) -> HTMLResponse:
    """组建方案: rates before and after, new joint groups, attachments, standalone, instructors."""
    link = Links(request)
    choice = street_choice(graph, street)
    street = choice["street"]
    result = plan(graph, params)

    def part(name: Part) -> pd.DataFrame:
        frame = result.frame(name)
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
        "map": map_view("plan_map", graph, params, street=street, link=link),
    }
    return render_page(request, "plan.html", context)


@router.get("/pairing", response_class=HTMLResponse, include_in_schema=False)
def pairing_page(
    request: Request,
    graph: GraphDep,
    params: ParamsDep,
    street: StreetQuery = None,
) -> HTMLResponse:
    """结对共建: the share paired, by type and district, unpaired organizations with suggestions."""
    link = Links(request)
    choice = street_choice(graph, street)
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
        "map": map_view("pairing_map", graph, params, street=street, link=link),
    }
    return render_page(request, "pairing.html", context)


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
        return render_page(request, "diff.html", context)
    versions = workspace.versions()
    context["versions"] = version_options(versions)
    if len(versions) < 2:
        context["message"] = (
            "工作区中只有一个版本，还没有可以比较的上一期。"
            "导入新一期台账（liangxin load）后再来查看变化。"
        )
        return render_page(request, "diff.html", context)
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
            DIFF_MOVE_PAGE_HEADINGS,
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
    return render_page(request, "diff.html", context)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    graph: GraphDep,
    q: Annotated[str, Query(description="名称或统一社会信用代码")] = "",
) -> HTMLResponse:
    """搜索: organizations by name or USCC, places and chains by name, each linked to its page."""
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
    return render_page(request, "search.html", context)


def _org_facts(g: nx.MultiDiGraph, org: dict[str, Any], link: Links) -> list[tuple[str, Cell]]:
    """The facts of one organization, each a (heading, cell) pair."""
    pos = party_org_table(g).set_index("id")
    po = org.get("party_org")
    po_text = "—"
    if not is_missing(po) and po in pos.index:
        row = pos.loc[po]
        level, formation = format_value(row["level"]), format_value(row["formation"])
        how = f"{level}，{formation}，党员 {row['members']} 名"
        po_text = f"{row['name']}（{how}）"
    instructor = org.get("instructor")
    instructor_text = "—"
    if not is_missing(instructor):
        data = g.nodes.get(node_id(NodeKind.INSTRUCTOR, str(instructor)), {})
        instructor_text = f"{data.get('name') or instructor}（{format_value(data.get('type'))}）"
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
        segment = f"{org['segment_name']}（{format_value(org.get('position'))}）"
    counted = (
        "是"
        if org["in_scope"]
        else ("否（经营状态非正常）" if not org["operating"] else "否（从业人员不足）")
    )
    facts = [
        ("统一社会信用代码", Cell(str(org["uscc"]))),
        ("组织类型", Cell(format_value(org["org_kind"]))),
        ("细分类别", Cell(format_value(org.get("category")))),
        (
            "经营状态",
            Cell(format_value(org.get("status")) if not is_missing(org.get("status")) else "正常"),
        ),
        ("区县", Cell(format_value(org["district"]), link("district", org["district"]))),
        ("街道", Cell(format_value(org["street_name"]), link("street", org["street"]))),
        ("楼宇", Cell(format_value(org["building_name"]), link("building", org["building"]))),
        ("园区", Cell(format_value(org["park_name"]), link("park", org["park"]))),
        ("产业链", Cell(format_value(org["chain_name"]), link("chain", org["chain"]))),
        ("产业链环节", Cell(segment)),
        ("从业人员", Cell(format_value(org["employees"]) + " 人")),
        ("正式党员", Cell(format_value(org["formal_members"]) + " 名")),
        ("预备党员", Cell(format_value(org["probationary_members"]) + " 名")),
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
