"""What each report says, built from the analyses' own results (pure: graph in, report out).

Four reports planners hand upwards (issue 6): the chain-committee structure report (产业链党建),
the coverage report (两个覆盖), the formation plan report (组建方案) and the monthly report
(月调度). Each is a :class:`~viz.reports.document.Report`; the writers turn it into a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any, cast

import networkx as nx
import pandas as pd

from graph.analysis.chains import (
    ATTACHMENTS,
    FINDING_CODES,
    SEVERITIES,
    ChainReport,
    chain_structure,
)
from graph.analysis.common import COVERAGE_LABELS, Params, is_missing, org_table, pct
from graph.analysis.coverage import coverage
from graph.analysis.diff import VersionDiff
from graph.analysis.flags import flags
from graph.analysis.leads import leads
from graph.analysis.plan import GROUP_LEVELS, FormationPlan, split_lines
from graph.model import CommitteeSide, OrgKind
from viz.maps import chain_map
from viz.reports.document import BarChart, Column, MapFigure, Report, Section, Table

__all__ = [
    "COVERAGE_TARGETS",
    "REPORT_KINDS",
    "build_report",
    "chain_report",
    "coverage_report",
    "monthly_report",
    "plan_report",
]

REPORT_KINDS: dict[str, str] = {
    "chain": "产业链党建工作报告",
    "coverage": "两新组织“两个覆盖”情况报告",
    "plan": "两新组织党组织组建方案",
    "monthly": "两新组织党建工作月调度情况",
}
"""The four reports and their titles."""

COVERAGE_TARGETS: dict[str, float] = {OrgKind.ENTERPRISE: 90.0, OrgKind.SOCIAL: 95.0}
"""Organization coverage to reach per kind (seed 001: 非公企业 90%, 社会组织 95%), the dashed
line of the charts and the yardstick of the wording."""

LEADS_SHOWN = 10
"""Lead-enterprise candidates listed per chain."""

# ---------------------------------------------------------------------------------------------
# Columns shared by several reports

_KIND = Column("kind", "组织类型")
_TOTAL = Column("total", "纳入统计的组织", "int")
_RATE_COLUMNS = (
    _TOTAL,
    Column("org_covered", "组织覆盖", "int"),
    Column("org_rate", "组织覆盖率", "rate"),
    Column("work_covered", "工作覆盖", "int"),
    Column("work_rate", "工作覆盖率", "rate"),
    Column("standalone", "单独组建", "int"),
    Column("standalone_rate", "单独组建率", "rate"),
)
_ORG = Column("name", "组织名称")
_USCC = Column("uscc", "统一社会信用代码", "code")
_STREET = Column("street_name", "街道")
_DISTRICT = Column("district", "区县")
_PO_NAME = Column("name", "党组织名称")
_PO_CODE = Column("subject", "党组织编码", "code")
_DETAIL = Column("detail", "说明")


# ---------------------------------------------------------------------------------------------
# 1. Chain-committee structure


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
    return _report("chain", sections, params, _subtitle(source, params), name, lead=lead)


_CHAIN_OVERVIEW = (
    Column("chain", "产业链编码", "code"),
    Column("name", "产业链"),
    Column("committees", "产业链党委", "list"),
    Column("park_committee", "园区党工委"),
    Column("enterprises", "链上组织", "int"),
    Column("covered", "已覆盖", "int"),
    Column("org_rate", "覆盖率", "rate"),
    Column("attached_formal", "隶属", "int"),
    Column("attached_functional", "功能型", "int"),
    Column("detached", "未纳入", "int"),
    *(Column(f"severity_{s}", f"问题（{s}）", "int") for s in SEVERITIES),
)


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
                "org_rate": _rate(r.covered, r.enterprises),
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
        (("组织覆盖率", tuple(row["org_rate"] for row in rows)),),
    )
    return Section(
        "总体情况",
        (text, Table("产业链概况", _CHAIN_OVERVIEW, tuple(rows)), chart),
    )


_TREE = (
    Column("level", "层级"),
    Column("name", "党组织"),
    Column("code", "党组织编码", "code"),
    Column("relation", "隶属关系"),
    Column("organizations", "覆盖链上组织", "int"),
)
_MEMBERS = (
    Column("committee", "产业链党委"),
    Column("side", "方面"),
    Column("name", "成员单位"),
    Column("member", "统一社会信用代码", "code"),
)
_SEGMENTS = (
    Column("position", "位置"),
    Column("name", "环节"),
    Column("segment", "环节编码", "code"),
    Column("enterprises", "链上组织", "int"),
    Column("covered", "已覆盖", "int"),
    Column("own_organization", "单独组建", "int"),
    Column("org_rate", "覆盖率", "rate"),
)
_LEADS = (
    Column("rank", "名次", "int"),
    Column("name", "企业"),
    Column("uscc", "统一社会信用代码", "code"),
    Column("level", "党组织层级"),
    Column("members", "党员", "int"),
    Column("employees", "职工", "int"),
    Column("takes_now", "现在可吸纳", "int"),
    Column("score", "得分", "number"),
    Column("reach_count", "可带动组织", "int"),
    Column("reach_supply", "其中上下游", "int"),
    Column("reach_segment", "其中同环节", "int"),
    Column("reach_place", "其中同楼宇园区", "int"),
    Column("reason", "理由"),
)
_FINDINGS = (
    Column("severity", "严重程度"),
    Column("code_label", "类型"),
    Column("subject_name", "对象"),
    Column("subject", "对象编码", "code"),
    Column("problem", "问题"),
    Column("action", "建议做法"),
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
        f"有党组织覆盖的 {r.covered} 家，覆盖率 {_rate_words(_rate(r.covered, r.enterprises))}。"
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
            "org_rate": _number(s.org_rate),
        }
        for s in r.segments
    ]
    segment_chart = BarChart(
        f"{r.name}：各环节党组织覆盖率（上游→下游）",
        tuple(f"{s.position or ''}·{s.name}" for s in r.segments),
        (("覆盖率", tuple(row["org_rate"] for row in segment_rows)),),
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
        Section("三级组织体系", (table("三级体系", _TREE, tree, "无。"), picture), sub),
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
            (table("龙头企业", _LEADS, _rows(mine, _LEADS), "本链暂无有党组织的企业可作龙头。"),),
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


# ---------------------------------------------------------------------------------------------
# 2. Coverage


_GROUP_RATE_COLUMNS = (_KIND, *_RATE_COLUMNS)
_FLAG_ORG_COLUMNS = (
    _ORG,
    _USCC,
    Column("org_kind", "组织类型"),
    _DISTRICT,
    _STREET,
    Column("employees", "从业人员", "int"),
    Column("formal_members", "正式党员", "int"),
    Column("coverage_label", "覆盖状态"),
    _DETAIL,
)
_FLAG_PO_COLUMNS = (_PO_NAME, _PO_CODE, _DISTRICT, _STREET, _DETAIL)
_ELECTION_COLUMNS = (Column("code_label", "情况"), *_FLAG_PO_COLUMNS)


def coverage_report(g: nx.MultiDiGraph, params: Params, source: str) -> Report:
    """The two rates per kind for the area, then per district and per street (worst first),
    and the organizations to act on: 3+ formal members without their own organization,
    50+ staff without a member, weak and lax Party organizations, elections overdue or due.

    Figures are :func:`~graph.analysis.coverage.coverage`'s and
    :func:`~graph.analysis.flags.flags`' rows, unchanged.
    """
    kinds = coverage(g, "kind", params)
    found = flags(g, params)
    orgs = org_table(g, params).set_index("uscc")
    kind_rows = _rows(kinds, _GROUP_RATE_COLUMNS)
    lines = [_kind_sentence(row) for row in kind_rows]
    kind_chart = BarChart(
        "两类组织的组织覆盖率和工作覆盖率",
        tuple(kinds["kind"]),
        (
            ("组织覆盖率", _numbers(kinds["org_rate"])),
            ("工作覆盖率", _numbers(kinds["work_rate"])),
        ),
        target=None,
    )
    districts = coverage(g, "district", params)
    streets = coverage(g, "street", params)
    worst = streets.head(15)
    street_chart = BarChart(
        "组织覆盖率最低的街道（前 15 个）",
        tuple(f"{n}·{k}" for n, k in zip(worst["group_name"], worst["kind"], strict=True)),
        (("组织覆盖率", _numbers(worst["org_rate"])),),
    )

    def org_flags(code: str) -> tuple[dict[str, object], ...]:
        rows = found[found["code"] == code]
        extra = orgs.reindex(rows["subject"])
        frame = rows.assign(
            uscc=rows["subject"].to_numpy(),
            org_kind=extra["org_kind"].to_numpy(),
            employees=extra["employees"].to_numpy(),
            formal_members=extra["formal_members"].to_numpy(),
            coverage_label=extra["coverage"].map(COVERAGE_LABELS).to_numpy(),
        )
        return _rows(frame, _FLAG_ORG_COLUMNS)

    standalone = org_flags("standalone_eligible")
    big = org_flags("big_without_members")
    weak = _rows(found[found["code"] == "weak_lax"], _FLAG_PO_COLUMNS)
    elections = _rows(
        found[found["code"].isin(["overdue_election", "election_due_soon"])], _ELECTION_COLUMNS
    )
    overdue = sum(1 for row in elections if row["code_label"] == "换届逾期")
    sections = (
        Section(
            "一、两个覆盖总体情况",
            (
                *lines,
                Table("总体", _GROUP_RATE_COLUMNS, kind_rows),
                kind_chart,
            ),
        ),
        Section(
            "二、各区县覆盖情况（组织覆盖率由低到高）",
            (_frame_table("各区县", _group_columns("区县"), districts),),
        ),
        Section(
            "三、各街道覆盖情况（组织覆盖率由低到高）",
            (
                street_chart,
                _frame_table("各街道", _group_columns("街道"), streets),
            ),
        ),
        Section(
            "四、正式党员3名以上、尚未单独建立党组织的组织",
            (
                f"共 {len(standalone)} 家，应按“应建尽建”要求单独组建党组织。",
                Table("应单独组建", _FLAG_ORG_COLUMNS, standalone),
            ),
        ),
        Section(
            "五、从业人员50人以上、没有正式党员的组织",
            (
                f"共 {len(big)} 家，应选派党建指导员，培养入党积极分子，发展党员。",
                Table("50人以上无党员", _FLAG_ORG_COLUMNS, big),
            ),
        ),
        Section(
            "六、软弱涣散党组织",
            (
                f"共 {len(weak)} 个，列入软弱涣散排查，限期整顿。",
                Table("软弱涣散", _FLAG_PO_COLUMNS, weak),
            ),
        ),
        Section(
            "七、换届提醒",
            (
                f"换届逾期 {overdue} 个，{params.election_warning_days} 天内到期 "
                f"{len(elections) - overdue} 个。",
                Table("换届", _ELECTION_COLUMNS, elections),
            ),
        ),
    )
    return _report("coverage", sections, params, _subtitle(source, params))


def _group_columns(heading: str) -> tuple[Column, ...]:
    return (
        Column("group_name", heading),
        Column("group", f"{heading}编码", "code"),
        _KIND,
        *_RATE_COLUMNS,
    )


def _kind_sentence(row: dict[str, object]) -> str:
    kind = str(row["kind"])
    target = COVERAGE_TARGETS.get(kind)
    org_rate = row["org_rate"]
    verdict = ""
    if target is not None and org_rate is not None:
        gap = round(target - float(org_rate), 2)  # type: ignore[arg-type]
        verdict = (
            f"，达到 {target:g}% 的目标"
            if gap <= 0
            else f"，距 {target:g}% 的目标差 {gap:g} 个百分点"
        )
    return (
        f"{kind}纳入统计 {row['total']} 家，党组织覆盖 {row['org_covered']} 家，"
        f"组织覆盖率 {_rate_words(org_rate)}{verdict}；工作覆盖率 {_rate_words(row['work_rate'])}；"
        f"单独组建率 {_rate_words(row['standalone_rate'])}。"
    )


# ---------------------------------------------------------------------------------------------
# 3. Formation plan


_PLAN_RATES = (
    _KIND,
    _TOTAL,
    Column("org_covered_now", "现有组织覆盖", "int"),
    Column("org_rate_now", "组织覆盖率（现在）", "rate"),
    Column("org_covered_after", "实施后组织覆盖", "int"),
    Column("org_rate_after", "组织覆盖率（实施后）", "rate"),
    Column("work_rate_now", "工作覆盖率（现在）", "rate"),
    Column("work_rate_after", "工作覆盖率（实施后）", "rate"),
    Column("standalone_rate_now", "单独组建率（现在）", "rate"),
    Column("standalone_rate_after", "单独组建率（实施后）", "rate"),
)
_GROUPED_BY = {
    "building": "同楼宇",
    "park": "同园区",
    "segment": "同产业链环节",
    "chain": "同产业链",
    "category": "同细分类别",
    "industry": "同行业门类",
    "street": "同街道",
}
assert set(_GROUPED_BY) == set(GROUP_LEVELS)
_PLAN_GROUPS = (
    Column("group_id", "编号", "code"),
    _STREET,
    Column("mode", "组建方式"),
    Column("grouped_by_label", "成员相同之处"),
    Column("size", "组织数", "int"),
    Column("formal_members", "正式党员合计", "int"),
    Column("member_names", "成员组织", "list"),
    Column("members", "成员统一社会信用代码", "list"),
    Column("reason", "理由"),
)
_PLAN_STANDALONE = (
    _ORG,
    _USCC,
    _KIND,
    _STREET,
    Column("employees", "从业人员", "int"),
    Column("formal_members", "正式党员", "int"),
    Column("level", "建议层级"),
    Column("from_party_org_name", "现所在联合党组织"),
    Column("reason", "理由"),
)
_PLAN_SPLITS = (
    Column("party_org_name", "联合党组织"),
    Column("party_org", "党组织编码", "code"),
    _STREET,
    Column("covers", "覆盖组织数", "int"),
    Column("part_names", "拆分后各组成员", "list"),
    Column("reason", "理由"),
)
_PLAN_ATTACHMENTS = (
    _ORG,
    _USCC,
    _STREET,
    Column("formal_members", "正式党员", "int"),
    Column("party_org_name", "并入党组织"),
    Column("party_org", "党组织编码", "code"),
    Column("mode", "组建方式"),
    Column("reason", "理由"),
)
_PLAN_INSTRUCTORS = (
    _ORG,
    _USCC,
    _STREET,
    Column("employees", "从业人员", "int"),
    Column("formal_members", "正式党员", "int"),
    Column("instructor_name", "党建指导员"),
    Column("develop_members", "需发展党员", "int"),
    Column("target", "目标"),
)


def plan_report(result: FormationPlan, params: Params, source: str) -> Report:
    """The formation plan: the rates before and after, each proposed joint group with its
    members, mode and reason, then 单独组建, attachments and instructor assignments.

    ``result`` is :func:`~graph.analysis.plan.plan`'s, its figures unchanged.
    """
    rates = result.rates
    rate_rows = _rows(rates, _PLAN_RATES)
    groups = result.frame("groups")
    groups = groups.assign(grouped_by_label=groups["grouped_by"].map(_GROUPED_BY))
    new_own = sum(1 for s in result.standalone if s.from_party_org is None)
    moved = len(result.standalone) - new_own
    grouped = sum(g.size for g in result.groups)
    uncovered = new_own + grouped + len(result.attachments) + len(result.instructors)
    lines = [
        f"全区纳入统计、尚未建立或纳入党组织的组织共 {uncovered} 家。"
        f"方案建议：单独组建 {new_own} 家；新建联合党组织 {len(result.groups)} 个，"
        f"覆盖 {grouped} 家；"
        f"并入现有党组织 {len(result.attachments)} 家；"
        f"暂不具备组建条件、选派党建指导员并发展党员的 {len(result.instructors)} 家。"
        + (
            f"另有 {moved} 家正式党员3名以上、现在联合党组织中的，建议分出单独组建。"
            if moved
            else ""
        )
        + (
            f"覆盖组织过多的联合党组织 {len(result.splits)} 个，建议拆分。" if result.splits else ""
        ),
        result.solver.note,
        *(
            f"{row['kind']}：组织覆盖率由 {_rate_words(row['org_rate_now'])} 提高到 "
            f"{_rate_words(row['org_rate_after'])}，"
            f"工作覆盖率由 {_rate_words(row['work_rate_now'])} "
            f"提高到 {_rate_words(row['work_rate_after'])}。"
            for row in rate_rows
        ),
    ]
    chart = BarChart(
        "方案实施前后的覆盖率",
        tuple(rates["kind"]),
        tuple(
            (label, _numbers(rates[column]))
            for column, label in (
                ("org_rate_now", "组织覆盖率（现在）"),
                ("org_rate_after", "组织覆盖率（实施后）"),
                ("work_rate_now", "工作覆盖率（现在）"),
                ("work_rate_after", "工作覆盖率（实施后）"),
            )
        ),
    )
    sections = (
        Section(
            "一、方案实施前后的覆盖率",
            (*lines, Table("覆盖率", _PLAN_RATES, rate_rows), chart),
        ),
        Section(
            "二、新建联合党组织",
            (
                "每个联合党组织正式党员合计不少于3名、覆盖不超过5个组织、在同一街道或同一园区内；"
                "方案先使覆盖的组织最多，再使兜底组建和新建党组织最少，最后尽量同楼宇、同园区、"
                "同产业链、同行业。",
                _frame_table("新建联合党组织", _PLAN_GROUPS, groups),
            ),
        ),
        Section(
            "三、单独组建",
            (_frame_table("单独组建", _PLAN_STANDALONE, result.frame("standalone")),),
        ),
        Section(
            "四、并入现有党组织",
            (_frame_table("并入现有党组织", _PLAN_ATTACHMENTS, result.frame("attachments")),),
        ),
        Section(
            "五、选派党建指导员、发展党员",
            (_frame_table("选派指导员", _PLAN_INSTRUCTORS, result.frame("instructors")),),
        ),
    )
    if result.splits:
        sections += (
            Section(
                "六、拆分覆盖组织过多的联合党组织",
                (
                    "一个联合党组织原则上覆盖不超过5个组织（划小组建单元）；拆分后第一个沿用原党组织。",
                    _frame_table(
                        "拆分联合党组织", _PLAN_SPLITS, _split_parts(result.frame("splits"))
                    ),
                ),
            ),
        )
    return _report("plan", sections, params, _subtitle(source, params))


def _split_parts(splits: pd.DataFrame) -> pd.DataFrame:
    """Each split's parts as one line per part: “第1组：甲、乙、丙”."""
    # pandas-stubs: assign's column values are scalars, not a list per row (a pandas object column)
    return splits.assign(part_names=[split_lines(row) for row in splits["part_names"]])  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# 4. Monthly scheduling


_HEADLINE = (
    _KIND,
    Column("total_then", "纳入统计（上期）", "int"),
    Column("total_now", "纳入统计（本期）", "int"),
    Column("org_rate_then", "组织覆盖率（上期）", "rate"),
    Column("org_rate_now", "组织覆盖率（本期）", "rate"),
    Column("org_rate_change", "组织覆盖率增减（百分点）", "number"),
    Column("work_rate_then", "工作覆盖率（上期）", "rate"),
    Column("work_rate_now", "工作覆盖率（本期）", "rate"),
    Column("work_rate_change", "工作覆盖率增减（百分点）", "number"),
)


def _change_columns(heading: str) -> tuple[Column, ...]:
    return (
        Column("group_name", heading),
        Column("group", f"{heading}编码", "code"),
        _KIND,
        Column("org_rate_then", "上期组织覆盖率", "rate"),
        Column("org_rate_now", "本期组织覆盖率", "rate"),
        Column("change", "增减（百分点）", "number"),
        Column("trend", "升降"),
        Column("total_then", "上期纳入统计", "int"),
        Column("org_covered_then", "上期已覆盖", "int"),
        Column("total_now", "本期纳入统计", "int"),
        Column("org_covered_now", "本期已覆盖", "int"),
    )


_CHANGED_ORGS = (
    _ORG,
    _USCC,
    _KIND,
    _STREET,
    Column("party_org_now_name", "现覆盖党组织"),
    Column("reason", "情况说明"),
)
_LISTED_ORGS = (_ORG, _USCC, _KIND, _STREET, Column("status", "经营状态"))
_MOVED_ORGS = (
    _ORG,
    _USCC,
    _KIND,
    Column("reason", "变化情况"),
    Column("covered_then", "上期有党组织覆盖"),
    Column("covered_now", "本期有党组织覆盖"),
)
_SCOPE_ORGS = (
    _ORG,
    _USCC,
    _KIND,
    _STREET,
    Column("party_org_name", "覆盖党组织"),
    Column("reason", "原因"),
)


def monthly_report(
    result: VersionDiff, then: tuple[str, str], now: tuple[str, str], params: Params
) -> Report:
    """What changed from one version to the next, in the words of a monthly scheduling meeting
    (月调度, seed 004): the two rates then and now and how far they moved, streets and chains
    that fell or rose, the organizations behind each move of a rate (moved, left the scope,
    entered it), organizations newly uncovered (to follow up before the next meeting), newly
    covered, added and removed, and the work to do next.

    ``then`` and ``now`` are ``(version, date loaded)``; ``result`` is
    :func:`~graph.analysis.diff.diff`'s, its figures unchanged.
    """
    (then_id, then_day), (now_id, now_day) = then, now
    headline = _rows(result.headline, _HEADLINE)
    lines = [
        f"本期台账为版本 {now_id}（{now_day} 导入），上期为版本 {then_id}（{then_day} 导入）。"
        f"与上期相比，新增两新组织 {len(result.added)} 家，减少 {len(result.removed)} 家；"
        f"新实现党组织覆盖 {len(result.newly_covered)} 家，"
        f"新出现未覆盖组织 {len(result.newly_uncovered)} 家；"
        f"迁移的组织 {len(result.moved)} 家，移出统计范围 {len(result.left_scope)} 家，"
        f"纳入统计范围 {len(result.entered_scope)} 家。"
    ]
    for row in headline:
        lines.append(
            f"{row['kind']}：组织覆盖率 {_rate_words(row['org_rate_now'])}，"
            f"较上期{_trend_words(row['org_rate_change'])}；工作覆盖率 "
            f"{_rate_words(row['work_rate_now'])}，较上期{_trend_words(row['work_rate_change'])}。"
        )
    streets = _with_trend(result.streets)
    chains = _with_trend(result.chains)
    falling = [r for r in streets if r["change"] is not None and float(r["change"]) < 0]
    rising = [r for r in streets if r["change"] is not None and float(r["change"]) > 0]
    street_text = f"覆盖率下降的街道 {len(falling)} 个、上升的 {len(rising)} 个。" + (
        "下降较多的："
        + "、".join(
            f"{r['group_name']}（{r['kind']}，{_trend_words(r['change'])}）" for r in falling[:5]
        )
        + "，请说明原因、提出整改措施。"
        if falling
        else "没有覆盖率下降的街道。"
    )
    chart_rows = result.headline
    chart = BarChart(
        "两类组织覆盖率：上期与本期",
        tuple(chart_rows["kind"]),
        (
            ("组织覆盖率（上期）", _numbers(chart_rows["org_rate_then"])),
            ("组织覆盖率（本期）", _numbers(chart_rows["org_rate_now"])),
            ("工作覆盖率（上期）", _numbers(chart_rows["work_rate_then"])),
            ("工作覆盖率（本期）", _numbers(chart_rows["work_rate_now"])),
        ),
    )
    uncovered = _rows(result.newly_uncovered, _CHANGED_ORGS)
    next_steps = [
        f"对新出现的 {len(uncovered)} 家未覆盖组织逐一建立工作台账、明确责任人，"
        "下次调度前完成组建、纳入联合党组织或选派党建指导员，做到动态清零。"
        if uncovered
        else "本期没有新出现的未覆盖组织，继续巩固“两个覆盖”成果。",
        (
            f"覆盖率下降的 {len(falling)} 个街道要查找原因、补齐短板，下次调度会上汇报整改情况。"
            if falling
            else "各街道覆盖率没有下降，继续按组建方案推进。"
        ),
        f"对新增的 {len(result.added)} 家组织核实经营状态和党员情况，同步开展党的组织和工作覆盖。",
    ]
    sections = (
        Section("一、总体情况", (*lines, Table("总体", _HEADLINE, headline), chart)),
        Section(
            "二、各街道覆盖率升降",
            (street_text, Table("各街道", _change_columns("街道"), streets)),
        ),
        Section("三、各产业链覆盖率升降", (Table("各产业链", _change_columns("产业链"), chains),)),
        Section(
            "四、新出现的未覆盖组织（需跟进）",
            (
                Table(
                    "新出现未覆盖", _CHANGED_ORGS, uncovered, empty="本期没有新出现的未覆盖组织。"
                ),
            ),
        ),
        Section(
            "五、新实现覆盖的组织",
            (_frame_table("新实现覆盖", _CHANGED_ORGS, result.newly_covered),),
        ),
        Section("六、新增组织", (_frame_table("新增组织", _LISTED_ORGS, result.added),)),
        Section(
            "七、减少的组织",
            (_frame_table("减少的组织", _LISTED_ORGS, result.removed),),
        ),
        Section(
            "八、迁移的组织",
            (
                "两期都纳入统计、所在街道、楼宇、园区、产业链或组织类型发生变化的组织："
                "它们从原所在街道（产业链）的统计中移出，计入新的街道（产业链）。",
                _frame_table("迁移的组织", _MOVED_ORGS, result.moved),
            ),
        ),
        Section(
            "九、移出统计范围",
            (
                "上期纳入统计、本期不再纳入的组织（台账中删除、注销、僵尸企业、空壳，"
                "或从业人员低于统计下限），街道为上期所在街道。",
                _frame_table("移出统计范围", _SCOPE_ORGS, result.left_scope),
            ),
        ),
        Section(
            "十、纳入统计范围",
            (
                "本期新纳入统计的组织（新增、恢复正常经营，或从业人员达到统计下限）。",
                _frame_table("纳入统计范围", _SCOPE_ORGS, result.entered_scope),
            ),
        ),
        Section("十一、下一步工作", tuple(f"{i}. {s}" for i, s in enumerate(next_steps, 1))),
    )
    subtitle = f"版本 {then_id} → {now_id}；统计截至 {params.as_of.isoformat()}"
    return _report("monthly", sections, params, subtitle, f"{then_id}至{now_id}")


def _with_trend(frame: pd.DataFrame) -> tuple[dict[str, Any], ...]:
    return _rows(frame.assign(trend=frame["change"].map(_trend_words)), _change_columns(""))


# ---------------------------------------------------------------------------------------------
# Helpers


def _rows(frame: pd.DataFrame, columns: Sequence[Column]) -> tuple[dict[str, object], ...]:
    """The ``columns`` of ``frame`` as plain Python rows: NaN/NA → None, numpy → Python."""
    keys = [c.key for c in columns]
    out = []
    for record in cast("list[dict[str, object]]", frame.reindex(columns=keys).to_dict("records")):
        out.append({k: _plain(v) for k, v in record.items()})
    return tuple(out)


def _frame_table(sheet: str, columns: tuple[Column, ...], frame: pd.DataFrame) -> Table:
    """A table of the ``columns`` of ``frame`` (see :func:`_rows`)."""
    return Table(sheet, columns, _rows(frame, columns))


def _plain(value: object) -> object:
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def _numbers(values: Iterable[object]) -> tuple[float | None, ...]:
    """A chart series: every value a float, missing ones None."""
    return tuple(_number(v) for v in values)


def _rate(numerator: int, denominator: int) -> float | None:
    return _number(pct(numerator, denominator))


def _rate_words(value: object) -> str:
    return "—（无纳入统计的组织）" if is_missing(value) else f"{float(value):.2f}%"  # type: ignore[arg-type]


def _trend_words(change: object) -> str:
    if is_missing(change):
        return "无可比数据"
    change = float(change)  # type: ignore[arg-type]
    if change > 0:
        return f"上升 {change:g} 个百分点"
    if change < 0:
        return f"下降 {-change:g} 个百分点"
    return "持平"


def _report(
    kind: str,
    sections: Iterable[Section],
    params: Params,
    subtitle: str,
    what: str | None = None,
    *,
    lead: str = "",
) -> Report:
    """The ``kind`` report made on the day judged, titled from :data:`REPORT_KINDS` (after
    ``lead``, a chain's name); ``what`` goes into the file name."""
    title = REPORT_KINDS[kind]
    return Report(
        kind=kind,
        title=lead + title,
        subtitle=subtitle,
        made=params.as_of,
        sections=tuple(sections),
        filename=_filename(title, what, params.as_of),
    )


def _subtitle(source: str, params: Params) -> str:
    return f"数据来源：{source}；统计截至 {params.as_of.isoformat()}"


def _filename(title: str, what: str | None, day: dt.date) -> str:
    parts = [
        title.replace("“", "").replace("”", ""),
        *([what] if what else []),
        day.strftime("%Y%m%d"),
    ]
    return re.sub(r'[\\/:*?"<>|\s]+', "_", "-".join(parts))


def build_report(
    kind: str, g: nx.MultiDiGraph, params: Params, source: str, chain: str | None = None
) -> Report:
    """The ``chain``, ``coverage`` or ``plan`` report of one graph (``monthly`` needs two
    versions: :func:`monthly_report`). ``chain`` picks one chain of the chain report."""
    if kind == "chain":
        return chain_report(g, chain, params, source)
    if kind == "coverage":
        return coverage_report(g, params, source)
    if kind == "plan":
        from graph.analysis.plan import plan

        return plan_report(plan(g, params), params, source)
    raise ValueError(f"unknown report kind {kind!r}")
