"""The monthly scheduling report (月调度): what changed from one version of the ledger to the
next, in the words of a monthly meeting."""

from __future__ import annotations

from typing import Any

import pandas as pd

from graph.analysis.common import Params
from graph.analysis.diff import VersionDiff
from graph.columns import Columns
from graph.columns.coverage import by_group
from graph.columns.diff import (
    COVERAGE_CHANGES,
    DIFF_ORGS,
    HEADLINE,
    MOVED,
    RATE_CHANGES,
    SCOPE_CHANGES,
    TREND,
)
from viz.reports.content.common import (
    chart_series,
    frame_table,
    rate_words,
    table_rows,
    titled_report,
    trend_words,
)
from viz.reports.document import BarChart, Report, Section, Table

__all__ = ["monthly_report"]

_HEADLINE = HEADLINE.pick(
    "kind",
    "total_then",
    "total_now",
    "org_rate_then",
    "org_rate_now",
    "org_rate_change",
    "work_rate_then",
    "work_rate_now",
    "work_rate_change",
)
_CHANGES = Columns(
    *RATE_CHANGES.pick("group_name", "group", "kind", "org_rate_then", "org_rate_now", "change"),
    TREND,
    *RATE_CHANGES.pick("total_then", "org_covered_then", "total_now", "org_covered_now"),
)
"""A street's or chain's rate then and now (:func:`~graph.columns.coverage.by_group` names
the group)."""
_CHANGED_ORGS = COVERAGE_CHANGES.pick(
    "name", "uscc", "kind", "street_name", "party_org_now_name", "reason"
)
_LISTED_ORGS = DIFF_ORGS.pick("name", "uscc", "kind", "street_name", "status")
_MOVED_ORGS = MOVED.pick("name", "uscc", "kind", "reason", "covered_then", "covered_now")
_SCOPE_ORGS = SCOPE_CHANGES.pick("name", "uscc", "kind", "street_name", "party_org_name", "reason")


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
    headline = table_rows(result.headline, _HEADLINE)
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
            f"{row['kind']}：组织覆盖率 {rate_words(row['org_rate_now'])}，"
            f"较上期{trend_words(row['org_rate_change'])}；工作覆盖率 "
            f"{rate_words(row['work_rate_now'])}，较上期{trend_words(row['work_rate_change'])}。"
        )
    streets = _with_trend(result.streets)
    chains = _with_trend(result.chains)
    falling = [r for r in streets if r["change"] is not None and float(r["change"]) < 0]
    rising = [r for r in streets if r["change"] is not None and float(r["change"]) > 0]
    street_text = f"覆盖率下降的街道 {len(falling)} 个、上升的 {len(rising)} 个。" + (
        "下降较多的："
        + "、".join(
            f"{r['group_name']}（{r['kind']}，{trend_words(r['change'])}）" for r in falling[:5]
        )
        + "，请说明原因、提出整改措施。"
        if falling
        else "没有覆盖率下降的街道。"
    )
    chart_rows = result.headline
    chart = BarChart(
        "两类组织覆盖率：上期与本期",
        tuple(chart_rows["kind"]),
        chart_series(
            chart_rows,
            HEADLINE.pick("org_rate_then", "org_rate_now", "work_rate_then", "work_rate_now"),
        ),
    )
    uncovered = table_rows(result.newly_uncovered, _CHANGED_ORGS)
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
            (street_text, Table("各街道", by_group(_CHANGES, "street"), streets)),
        ),
        Section(
            "三、各产业链覆盖率升降", (Table("各产业链", by_group(_CHANGES, "chain"), chains),)
        ),
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
            (frame_table("新实现覆盖", _CHANGED_ORGS, result.newly_covered),),
        ),
        Section("六、新增组织", (frame_table("新增组织", _LISTED_ORGS, result.added),)),
        Section(
            "七、减少的组织",
            (frame_table("减少的组织", _LISTED_ORGS, result.removed),),
        ),
        Section(
            "八、迁移的组织",
            (
                "两期都纳入统计、所在街道、楼宇、园区、产业链或组织类型发生变化的组织："
                "它们从原所在街道（产业链）的统计中移出，计入新的街道（产业链）。",
                frame_table("迁移的组织", _MOVED_ORGS, result.moved),
            ),
        ),
        Section(
            "九、移出统计范围",
            (
                "上期纳入统计、本期不再纳入的组织（台账中删除、注销、僵尸企业、空壳，"
                "或从业人员低于统计下限），街道为上期所在街道。",
                frame_table("移出统计范围", _SCOPE_ORGS, result.left_scope),
            ),
        ),
        Section(
            "十、纳入统计范围",
            (
                "本期新纳入统计的组织（新增、恢复正常经营，或从业人员达到统计下限）。",
                frame_table("纳入统计范围", _SCOPE_ORGS, result.entered_scope),
            ),
        ),
        Section("十一、下一步工作", tuple(f"{i}. {s}" for i, s in enumerate(next_steps, 1))),
    )
    subtitle = f"版本 {then_id} → {now_id}；统计截至 {params.as_of.isoformat()}"
    return titled_report("monthly", sections, params, subtitle, f"{then_id}至{now_id}")


def _with_trend(frame: pd.DataFrame) -> tuple[dict[str, Any], ...]:
    return table_rows(frame.assign(trend=frame["change"].map(trend_words)), _CHANGES)
