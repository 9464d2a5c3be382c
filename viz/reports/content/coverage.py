"""The coverage report (两个覆盖): the two rates per kind, per district and per street, and the
organizations and Party organizations to act on."""

from __future__ import annotations

import networkx as nx

from graph.analysis.common import COVERAGE_LABELS, Params, org_table
from graph.analysis.coverage import coverage
from graph.analysis.flags import flags
from graph.columns import Columns
from graph.columns.common import ORGANIZATIONS, PARTY_ORG_NAME
from graph.columns.coverage import COVERAGE, RATES, by_group
from graph.columns.flags import ELECTION_STATE, FLAGGED_PARTY_ORG, FLAGS
from graph.model import OrgKind
from viz.reports.content.common import (
    chart_series,
    data_subtitle,
    frame_table,
    rate_words,
    table_rows,
    titled_report,
)
from viz.reports.document import BarChart, Report, Section, Table

__all__ = ["COVERAGE_TARGETS", "coverage_report"]

COVERAGE_TARGETS: dict[str, float] = {OrgKind.ENTERPRISE: 90.0, OrgKind.SOCIAL: 95.0}
"""Organization coverage to reach per kind (seed 001: 非公企业 90%, 社会组织 95%), the dashed
line of the charts and the yardstick of the wording."""

_GROUP_RATE_COLUMNS = Columns(COVERAGE.column("kind"), *RATES)
_BY_GROUP = Columns(*COVERAGE.pick("group_name", "group"), *_GROUP_RATE_COLUMNS)
"""Rates per district or street (:func:`~graph.columns.coverage.by_group` names the group)."""
_FLAG_ORG_COLUMNS = Columns(
    *ORGANIZATIONS.pick(
        "name",
        "uscc",
        "org_kind",
        "district",
        "street_name",
        "employees",
        "formal_members",
        "coverage_label",
    ),
    FLAGS.column("detail"),
)
_FLAG_PO_COLUMNS = Columns(
    PARTY_ORG_NAME, FLAGGED_PARTY_ORG, *FLAGS.pick("district", "street_name", "detail")
)
_ELECTION_COLUMNS = Columns(ELECTION_STATE, *_FLAG_PO_COLUMNS)


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
    kind_rows = table_rows(kinds, _GROUP_RATE_COLUMNS)
    lines = [_kind_sentence(row) for row in kind_rows]
    kind_chart = BarChart(
        "两类组织的组织覆盖率和工作覆盖率",
        tuple(kinds["kind"]),
        chart_series(kinds, COVERAGE.pick("org_rate", "work_rate")),
        target=None,
    )
    districts = coverage(g, "district", params)
    streets = coverage(g, "street", params)
    worst = streets.head(15)
    street_chart = BarChart(
        "组织覆盖率最低的街道（前 15 个）",
        tuple(f"{n}·{k}" for n, k in zip(worst["group_name"], worst["kind"], strict=True)),
        chart_series(worst, COVERAGE.pick("org_rate")),
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
        return table_rows(frame, _FLAG_ORG_COLUMNS)

    standalone = org_flags("standalone_eligible")
    big = org_flags("big_without_members")
    weak = table_rows(found[found["code"] == "weak_lax"], _FLAG_PO_COLUMNS)
    elections = table_rows(
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
            (frame_table("各区县", by_group(_BY_GROUP, "district"), districts),),
        ),
        Section(
            "三、各街道覆盖情况（组织覆盖率由低到高）",
            (
                street_chart,
                frame_table("各街道", by_group(_BY_GROUP, "street"), streets),
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
    return titled_report("coverage", sections, params, data_subtitle(source, params))


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
        f"组织覆盖率 {rate_words(org_rate)}{verdict}；工作覆盖率 {rate_words(row['work_rate'])}；"
        f"单独组建率 {rate_words(row['standalone_rate'])}。"
    )
