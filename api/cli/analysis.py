"""The analysis commands of ``liangxin``: one per question planners ask (domain.md).

Every command runs on the loaded workspace (``--version`` picks one) or on a ledger file
given with ``--ledger``, judges dates as of ``--as-of`` (default today), applies the scope
filters, and prints a table with Chinese headings or ``--format json|csv`` for programs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pandas as pd

from api import sources
from api.cli import console
from api.cli.options import (
    AS_OF_OPT,
    LEDGER_OPT,
    MIN_EMPLOYEES_OPTS,
    SCOPE_OPTS,
    STORE_OPT,
    VERSION_OPT,
    WORKSPACE_OPT,
    AnalysisContext,
    analysis_command,
    format_opt,
    load_graph,
    params_from,
)
from api.cli.tables import emit
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
    SEGMENT_HEADINGS,
    SUMMARY_COUNT_HEADINGS,
    SUMMARY_KIND_HEADINGS,
    rate_headings_by,
)
from api.payloads import (
    DIFF_PARTS,
    chains_json,
    diff_json,
    pairing_json,
    partners_json,
    plan_json,
    summary_json,
)
from api.stores import connect, parse_store
from graph.analysis.chains import chain_findings, chain_structure, segment_coverage
from graph.analysis.clusters import clusters
from graph.analysis.coverage import coverage, kind_overview
from graph.analysis.flags import FLAG_CODES, flags
from graph.analysis.leads import leads
from graph.analysis.pairing import pairing
from graph.analysis.partners import partners
from graph.analysis.plan import plan, split_parts_joined
from graph.analysis.published import RESULT_LABELS, published_results
from graph.build import build_graph, graph_counts

__all__ = [
    "chains_command",
    "clusters_command",
    "coverage_command",
    "diff_command",
    "flags_command",
    "leads_command",
    "pairing_command",
    "partners_command",
    "plan_command",
    "publish_command",
    "summary_command",
]


@click.command("summary")
@LEDGER_OPT
@WORKSPACE_OPT
@VERSION_OPT
@format_opt("table", "json", "csv")
def summary_command(
    ledger: Path | None, workspace: Path | None, version: str | None, fmt: str
) -> None:
    """概况：两类组织的数量和党组织覆盖，图谱中各类节点和关系的数量。

    示例：liangxin summary   或   liangxin summary --ledger 台账.xlsx
    """
    graph, label = load_graph(ledger, workspace, version, None)
    if fmt == "json":
        console.print_json(summary_json(graph, label))
        return
    kinds = kind_overview(graph)
    if fmt == "csv":
        emit(kinds, "csv", {})  # cells that a spreadsheet would run as a formula neutralised
        return
    nodes, edges = graph_counts(graph)
    console.out.print(f"数据来源：{label}")
    console.print_table(kinds, SUMMARY_KIND_HEADINGS, title="两类组织")
    console.print_table(nodes, SUMMARY_COUNT_HEADINGS, title="图谱节点")
    console.print_table(edges, SUMMARY_COUNT_HEADINGS, title="图谱关系")


@click.command("coverage")
@analysis_command()
@click.option(
    "--by",
    type=click.Choice(list(GROUP_LABELS)),
    default="kind",
    show_default=True,
    help="按什么分组：kind 组织类型、district 区县、street 街道、building 楼宇、park 园区、"
    "chain 产业链、segment 环节",
)
def coverage_command(ctx: AnalysisContext, by: str) -> None:
    """党组织覆盖率和党的工作覆盖率：按组织类型，或按区县、街道、楼宇、园区、产业链、环节。

    只统计经营状态为“正常”且在统计范围内的组织；分组时最差的排在最前。

    \b
    示例：liangxin coverage
          liangxin coverage --by street --min-employees-enterprise 10 --min-employees-social 30
    """
    frame = coverage(ctx.graph, by, ctx.params)
    headings = rate_headings_by(by)
    emit(frame, ctx.fmt, headings, title=f"覆盖情况（按{GROUP_LABELS[by]}）", source=ctx.source)


@click.command("flags")
@analysis_command()
@click.option("--code", "codes", multiple=True, help="只看这类问题（可多次指定），如 weak_lax")
def flags_command(ctx: AnalysisContext, codes: tuple[str, ...]) -> None:
    """需要处理的问题清单：应单独组建、联合党组织过大、50人以上无党员、软弱涣散、换届、未结对。

    每行一个问题，代码（code）供程序使用，说明（detail）写明该怎么做。

    \b
    示例：liangxin flags
          liangxin flags --code weak_lax --code overdue_election --format csv > 问题清单.csv
    """
    unknown = [c for c in codes if c not in FLAG_CODES]
    if unknown:
        raise click.BadParameter(
            f"未知的问题代码 {', '.join(unknown)}；可选：{', '.join(FLAG_CODES)}",
            param_hint="--code",
        )
    frame = flags(ctx.graph, ctx.params)
    if codes:
        frame = frame[frame["code"].isin(codes)].reset_index(drop=True)
    emit(
        frame,
        ctx.fmt,
        FLAG_HEADINGS,
        title=f"问题清单（共 {len(frame)} 条）",
        source=ctx.source,
    )


@click.command("clusters")
@analysis_command()
@click.option("--feasible", is_flag=True, help="只列出现在就能联合组建的（正式党员合计达到3名）")
def clusters_command(ctx: AnalysisContext, feasible: bool) -> None:
    """尚未建立党组织、位置相近的组织群：同楼宇、同园区、同街道同产业链或同行业。

    每群给出成员、正式党员合计、能否联合组建、建议的组建方式和理由，以及可以承接的现有党组织。

    \b
    示例：liangxin clusters --feasible
    """
    frame = clusters(ctx.graph, ctx.params)
    if feasible:
        frame = frame[frame["feasible"]].reset_index(drop=True)
    emit(
        frame,
        ctx.fmt,
        CLUSTER_HEADINGS,
        title=f"未覆盖组织群（共 {len(frame)} 个）",
        source=ctx.source,
    )


@click.command("partners")
@click.argument("uscc", metavar="统一社会信用代码")
@analysis_command()
@click.option(
    "--top", "-k", type=click.IntRange(min=1), default=10, show_default=True, help="列出前几名"
)
def partners_command(ctx: AnalysisContext, uscc: str, top: int) -> None:
    """为一个组织推荐最合适的联合组建伙伴：附近未覆盖的组织和有空位的联合党支部。

    得分由位置相近、距离、产业链和行业相近、合计党员数、组织规模几部分组成，逐项列出。

    \b
    示例：liangxin partners 91430100MA4L0000XX --top 5
    """
    frame = partners(ctx.graph, uscc, top=top, params=ctx.params)
    if ctx.fmt == "json":
        console.print_json(partners_json(frame))
        return
    note = frame.attrs.get("note")
    if note and ctx.fmt == "table":
        console.say(("注意：", "yellow"), note)
    emit(
        frame,
        ctx.fmt,
        PARTNER_HEADINGS,
        title=f"联合组建伙伴（{uscc}）",
        source=ctx.source,
    )


@click.command("leads")
@analysis_command()
@click.option("--chain", help="只看这条产业链（产业链编码）")
@click.option(
    "--top",
    "-k",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="每条产业链列出前几名",
)
def leads_command(ctx: AnalysisContext, chain: str | None, top: int) -> None:
    """可以龙头领建的企业：自身党组织强、规模大、处在产业链供应网络的关键位置、能带动周边未覆盖组织。

    每行列出得分的各个部分和可以带动的组织。

    \b
    示例：liangxin leads --chain CYL01 --top 5
    """
    frame = leads(ctx.graph, chain=chain, top=top, params=ctx.params)
    emit(
        frame,
        ctx.fmt,
        LEAD_HEADINGS,
        title="龙头领建候选企业",
        source=ctx.source,
    )


@click.command("plan")
@analysis_command()
def plan_command(ctx: AnalysisContext) -> None:
    """全区组建方案：每个尚未覆盖的组织单独组建、联合组建、就近并入现有党组织，或选派指导员发展党员。

    方案按精确求解得出：先使有党组织覆盖的组织最多，再使兜底组建最少、新建党组织最少，最后就近
    （同楼宇、同园区、同环节、同产业链、同行业、同街道）。联合组建每组正式党员合计不少于3名、不超过5个
    组织、在同一街道或同一园区内。正式党员3名以上而在联合党组织中的，建议分出单独组建；覆盖组织过多的
    联合党组织建议拆分。最后给出方案实施后两类组织的覆盖率，与现在对比。

    \b
    示例：liangxin plan
          liangxin plan --format json > 组建方案.json
    """
    result = plan(ctx.graph, ctx.params)
    if ctx.fmt == "json":
        console.print_json(plan_json(result))
        return
    if ctx.fmt == "csv":
        emit(result.assignments(), "csv", {})
        return
    emit(result.rates, "table", PLAN_RATE_HEADINGS, title="方案实施前后的覆盖率", source=ctx.source)
    emit(
        result.frame("standalone"),
        "table",
        PLAN_STANDALONE_HEADINGS,
        title=f"单独组建（{len(result.standalone)} 个）",
    )
    emit(
        result.frame("groups"),
        "table",
        PLAN_GROUP_HEADINGS,
        title=f"新建联合党组织（{len(result.groups)} 个）",
    )
    emit(
        result.frame("attachments"),
        "table",
        PLAN_ATTACHMENT_HEADINGS,
        title=f"并入现有党组织（{len(result.attachments)} 个）",
    )
    emit(
        result.frame("instructors"),
        "table",
        PLAN_INSTRUCTOR_HEADINGS,
        title=f"选派指导员、发展党员（{len(result.instructors)} 个）",
        limit=50,
    )
    if result.splits:
        emit(
            split_parts_joined(result.frame("splits")),
            "table",
            PLAN_SPLIT_HEADINGS,
            title=f"拆分覆盖组织过多的联合党组织（{len(result.splits)} 个）",
        )
    console.out.print(result.solver.note)


@click.command("diff")
@WORKSPACE_OPT
@click.option(
    "--from",
    "from_version",
    default="previous",
    show_default=True,
    metavar="版本号",
    help="较早的版本（默认上一版）",
)
@click.option(
    "--to",
    "to_version",
    default="current",
    show_default=True,
    metavar="版本号",
    help="较新的版本（默认当前版本）",
)
@format_opt("table", "json", "csv")
@click.option(
    "--table",
    "csv_table",
    type=click.Choice(["rates", *DIFF_PARTS]),
    default="rates",
    show_default=True,
    help="csv 格式输出哪张表：rates（各街道和产业链覆盖率）、headline、moved（迁移的组织）、"
    "left_scope（移出统计范围）、entered_scope（纳入统计范围）、added、removed、"
    "newly_uncovered、newly_covered",
)
@SCOPE_OPTS[0]
@SCOPE_OPTS[1]
@SCOPE_OPTS[2]
def diff_command(
    workspace: Path | None,
    from_version: str,
    to_version: str,
    fmt: str,
    csv_table: str,
    as_of: dt.datetime | None,
    min_employees_enterprise: int,
    min_employees_social: int,
) -> None:
    """两个版本之间的变化（月调度）：新增和减少的组织、迁移的组织、移出和纳入统计范围的组织、新出现的未覆盖组织、各街道和产业链覆盖率的升降。

    各街道、各产业链覆盖率的每一处升降，都能在组织清单中找到对应的行：移出或纳入统计范围、
    迁移、失去或新实现党组织覆盖。

    \b
    示例：liangxin diff                       （上一版 → 当前版本）
          liangxin diff --from 20261001 --to 20261101
          liangxin diff --format csv --table left_scope
    """
    params = params_from(as_of, min_employees_enterprise, min_employees_social)
    then, now, result = sources.compare_versions(
        workspace, from_version, to_version, params, progress=console.progress
    )
    if fmt == "json":
        console.print_json(diff_json(then.id, now.id, result))
        return
    if fmt == "csv":
        if csv_table != "rates":
            emit(getattr(result, csv_table), "csv", {})
            return
        rates = pd.concat(
            [result.streets.assign(scope="street"), result.chains.assign(scope="chain")],
            ignore_index=True,
        )
        emit(rates, "csv", {})
        return
    console.out.print(
        f"版本 {then.id}（{then.loaded_at[:10]}）→ {now.id}（{now.loaded_at[:10]}）；"
        f"统计截至 {params.as_of.isoformat()}"
    )
    emit(
        result.headline,
        "table",
        DIFF_HEADLINE_HEADINGS,
        title="两类组织覆盖率",
    )
    change = DIFF_CHANGE_HEADINGS
    emit(result.streets, "table", change, title="各街道（降幅大的在前）", limit=30)
    emit(result.chains, "table", change, title="各产业链（降幅大的在前）")
    for part, headings, title in (
        ("moved", DIFF_MOVE_HEADINGS, "迁移的组织"),
        ("left_scope", DIFF_SCOPE_HEADINGS, "移出统计范围的组织"),
        ("entered_scope", DIFF_SCOPE_HEADINGS, "纳入统计范围的组织"),
        ("added", DIFF_ORG_HEADINGS, "新增组织"),
        ("removed", DIFF_ORG_HEADINGS, "减少的组织"),
        ("newly_uncovered", DIFF_REASON_HEADINGS, "新出现的未覆盖组织"),
    ):
        frame = getattr(result, part)
        emit(frame, "table", headings, title=f"{title}（{len(frame)} 个）", limit=50)


@click.command("chains")
@analysis_command()
@click.option("--chain", help="只看这条产业链（产业链编码）")
def chains_command(ctx: AnalysisContext, chain: str | None) -> None:
    """产业链党建：园区党工委—产业链党委—企业党组织三级体系、三方进入、各环节覆盖和薄弱环节。

    薄弱环节逐条列出代码、严重程度和建议做法，如“将×××党支部纳入产业链党委功能型管理”。

    \b
    示例：liangxin chains
          liangxin chains --chain CYL01 --format json
    """
    if ctx.fmt == "csv":
        emit(chain_findings(ctx.graph, chain, ctx.params), "csv", {})
        return
    reports = chain_structure(ctx.graph, chain, ctx.params)
    if ctx.fmt == "json":
        console.print_json(chains_json(reports))
        return
    console.out.print(f"数据来源：{ctx.source}")
    segments = segment_coverage(ctx.graph, chain, ctx.params)
    findings = chain_findings(ctx.graph, chain, ctx.params)
    for report in reports:
        park = report.park_committee.name if report.park_committee else "（无）"
        committees = "、".join(c.name for c in report.committees) or "（未建立产业链党委）"
        console.say(
            (f"\n{report.name}（{report.chain}）", "bold"),
            f" 牵头部门：{report.lead_department or '—'}"
            f"\n  园区党工委：{park}\n  产业链党委：{committees}"
            f"\n  三方进入：已有 {'、'.join(report.sides_present) or '无'}；"
            f"缺少 {'、'.join(report.sides_missing) or '无'}"
            f"\n  企业党组织：隶属 {report.attached_formal} 个，功能型 "
            f"{report.attached_functional} 个，未纳入 {report.detached} 个；"
            f"链上企业 {report.enterprises} 家，已覆盖 {report.covered} 家",
        )
        emit(
            segments[segments["chain"] == report.chain],
            "table",
            SEGMENT_HEADINGS,
            title="各环节覆盖",
        )
        mine = findings[findings["chain"] == report.chain]
        emit(
            mine,
            "table",
            CHAIN_FINDING_HEADINGS,
            title=f"薄弱环节（{len(mine)} 条）",
            limit=40,
        )


@click.command("pairing")
@analysis_command()
@click.option(
    "--top",
    "-k",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="每个党组织建议几个结对对象",
)
def pairing_command(ctx: AnalysisContext, top: int) -> None:
    """结对共建：哪些两新党组织还没有结对，建议与哪个机关、学校、医院、村或社区结对；各类结对的数量。

    \b
    示例：liangxin pairing
          liangxin pairing --format csv > 结对建议.csv
    """
    result = pairing(ctx.graph, ctx.params, top=top)
    if ctx.fmt == "json":
        console.print_json(pairing_json(result))
        return
    if ctx.fmt == "csv":
        emit(result.unpaired, "csv", {})
        return
    console.out.print(
        f"数据来源：{ctx.source}\n两新党组织 {result.liangxin_orgs} 个，已结对 "
        f"{result.liangxin_paired} 个（{result.paired_rate}%）。"
    )
    emit(
        result.by_type,
        "table",
        PAIRING_TYPE_HEADINGS,
        title="按共建类型",
    )
    emit(
        result.by_district,
        "table",
        PAIRING_DISTRICT_HEADINGS,
        title="按区县",
    )
    emit(
        result.unpaired,
        "table",
        PAIRING_UNPAIRED_HEADINGS,
        title="结对建议",
        limit=60,
    )


@click.command("publish")
@STORE_OPT
@AS_OF_OPT
@MIN_EMPLOYEES_OPTS[0]
@MIN_EMPLOYEES_OPTS[1]
def publish_command(
    store: str | None,
    as_of: dt.datetime | None,
    min_employees_enterprise: int,
    min_employees_social: int,
) -> None:
    """把分析结果写回共享图数据库（供 Browser / Bloom 查看）：覆盖状态、组织群、龙头得分、问题代码。

    组织节点得到 coverage、cluster_id、lead_score、finding_codes 等属性，并按情况加上
    Uncovered、StandaloneEligible、WeakLax、Unpaired 等标签；上一次写回的结果会先被清除。

    \b
    示例：liangxin publish --store neo4j://neo4j@localhost:7687/neo4j
    """
    spec = parse_store(store)
    if spec.kind == "workspace":
        raise click.UsageError("publish 需要图数据库：请用 --store 指定 Neo4j 或 FalkorDB。")
    graph_store = connect(spec)
    with console.progress(f"读取 {spec.label}"):
        graph = build_graph(graph_store.read())
    params = params_from(as_of, min_employees_enterprise, min_employees_social)
    with console.progress("分析并写回结果"):
        labelled = graph_store.publish(published_results(graph, params))
    console.say(("已写回", "green"), f" {spec.label}：")
    console.print_rows(
        [(label, RESULT_LABELS[label], str(n)) for label, n in labelled.items()],
        ["标签", "含义", "节点数"],
    )
