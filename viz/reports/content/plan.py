"""The formation plan report (组建方案): the rates before and after, and every proposal of
:func:`graph.analysis.plan.plan` with its members and reason."""

from __future__ import annotations

import pandas as pd

from graph.analysis.common import Params
from graph.analysis.plan import GROUP_LEVELS, FormationPlan, split_lines
from graph.columns import Columns
from graph.columns.plan import (
    ATTACHMENTS,
    GROUPED_BY_LABEL,
    INSTRUCTORS,
    JOINT_GROUPS,
    PLAN_RATES,
    SPLITS,
    STANDALONE,
)
from viz.reports.content.common import (
    chart_series,
    data_subtitle,
    frame_table,
    rate_words,
    table_rows,
    titled_report,
)
from viz.reports.document import BarChart, Report, Section, Table

__all__ = ["plan_report"]

_PLAN_GROUPS = Columns(
    *JOINT_GROUPS.pick("group_id", "street_name", "mode"),
    GROUPED_BY_LABEL,
    *JOINT_GROUPS.pick("size", "formal_members", "member_names", "members", "reason"),
)
_PLAN_STANDALONE = STANDALONE.pick(
    "name",
    "uscc",
    "kind",
    "street_name",
    "employees",
    "formal_members",
    "level",
    "from_party_org_name",
    "reason",
)
_PLAN_SPLITS = SPLITS.pick(
    "party_org_name", "party_org", "street_name", "covers", "part_names", "reason"
)
_PLAN_ATTACHMENTS = ATTACHMENTS.pick(
    "name", "uscc", "street_name", "formal_members", "party_org_name", "party_org", "mode", "reason"
)
_PLAN_INSTRUCTORS = INSTRUCTORS.pick(
    "name",
    "uscc",
    "street_name",
    "employees",
    "formal_members",
    "instructor_name",
    "develop_members",
    "target",
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


def plan_report(result: FormationPlan, params: Params, source: str) -> Report:
    """The formation plan: the rates before and after, each proposed joint group with its
    members, mode and reason, then 单独组建, attachments and instructor assignments.

    ``result`` is :func:`~graph.analysis.plan.plan`'s, its figures unchanged.
    """
    rates = result.rates
    rate_rows = table_rows(rates, PLAN_RATES)
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
            f"{row['kind']}：组织覆盖率由 {rate_words(row['org_rate_now'])} 提高到 "
            f"{rate_words(row['org_rate_after'])}，"
            f"工作覆盖率由 {rate_words(row['work_rate_now'])} "
            f"提高到 {rate_words(row['work_rate_after'])}。"
            for row in rate_rows
        ),
    ]
    chart = BarChart(
        "方案实施前后的覆盖率",
        tuple(rates["kind"]),
        chart_series(
            rates,
            PLAN_RATES.pick("org_rate_now", "org_rate_after", "work_rate_now", "work_rate_after"),
        ),
    )
    sections = (
        Section(
            "一、方案实施前后的覆盖率",
            (*lines, Table("覆盖率", PLAN_RATES, rate_rows), chart),
        ),
        Section(
            "二、新建联合党组织",
            (
                "每个联合党组织正式党员合计不少于3名、覆盖不超过5个组织、在同一街道或同一园区内；"
                "方案先使覆盖的组织最多，再使兜底组建和新建党组织最少，最后尽量同楼宇、同园区、"
                "同产业链、同行业。",
                frame_table("新建联合党组织", _PLAN_GROUPS, groups),
            ),
        ),
        Section(
            "三、单独组建",
            (frame_table("单独组建", _PLAN_STANDALONE, result.frame("standalone")),),
        ),
        Section(
            "四、并入现有党组织",
            (frame_table("并入现有党组织", _PLAN_ATTACHMENTS, result.frame("attachments")),),
        ),
        Section(
            "五、选派党建指导员、发展党员",
            (frame_table("选派指导员", _PLAN_INSTRUCTORS, result.frame("instructors")),),
        ),
    )
    if result.splits:
        sections += (
            Section(
                "六、拆分覆盖组织过多的联合党组织",
                (
                    "一个联合党组织原则上覆盖不超过5个组织（划小组建单元）；拆分后第一个沿用原党组织。",
                    frame_table(
                        "拆分联合党组织", _PLAN_SPLITS, _split_parts(result.frame("splits"))
                    ),
                ),
            ),
        )
    return titled_report("plan", sections, params, data_subtitle(source, params))


def _split_parts(splits: pd.DataFrame) -> pd.DataFrame:
    """Each split's parts as one line per part: “第1组：甲、乙、丙”."""
    # pandas-stubs: assign's column values are scalars, not a list per row (a pandas object column)
    return splits.assign(part_names=[split_lines(row) for row in splits["part_names"]])  # type: ignore[misc]
