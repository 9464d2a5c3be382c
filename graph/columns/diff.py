"""The columns of :func:`graph.analysis.diff.diff`: what changed from one version of the
ledger to the next (月调度), each part a table."""

from __future__ import annotations

from graph.columns import RATE_NOTE, Column, Columns
from graph.columns.common import (
    CHAIN,
    CHAIN_NAME,
    KIND,
    ORG_NAME,
    PARTY_ORG,
    REASON,
    STREET,
    STREET_NAME,
    USCC,
)

__all__ = [
    "COVERAGE_CHANGES",
    "DIFF",
    "DIFF_ORGS",
    "HEADLINE",
    "MOVED",
    "RATE_CHANGES",
    "SCOPE_CHANGES",
    "TREND",
]

_STREET_NAME = STREET_NAME.variant(description="街道名称（没有名称时同编码）")

_RATES = (
    ("org_rate", "组织覆盖率"),
    ("work_rate", "工作覆盖率"),
    ("standalone_rate", "单独组建率"),
)
"""The three rates of the headline, and their names."""


def _version(side: str, word: str) -> tuple[Column, ...]:
    """The headline figures of one version: ``then`` (上期) or ``now`` (本期)."""
    return (
        Column(f"total_{side}", f"纳入统计（{word}）", "int", f"{word}在统计范围内的组织数"),
        Column(f"org_covered_{side}", f"组织覆盖（{word}）", "int", f"{word}有党组织覆盖的"),
        Column(f"work_covered_{side}", f"工作覆盖（{word}）", "int", f"{word}党的工作覆盖的"),
        Column(f"standalone_{side}", f"单独组建（{word}）", "int", f"{word}单独组建的"),
        *(
            Column(f"{rate}_{side}", f"{name}（{word}）", "rate", f"{word}{name}" + RATE_NOTE)
            for rate, name in _RATES
        ),
    )


HEADLINE = Columns(
    KIND,
    *_version("then", "上期"),
    *_version("now", "本期"),
    *(
        Column(f"{rate}_change", f"{name}增减（百分点）", "number", f"{name}变化（百分点）")
        for rate, name in _RATES[:2]
    ),
)
"""One kind's headline figures then and now (``headline``)."""

RATE_CHANGES = Columns(
    Column("group", "编码", "code", "街道或产业链编码"),
    Column("group_name", "名称", "text", "街道或产业链名称"),
    KIND,
    Column("total_then", "上期纳入统计", "int", "上期组织数（上期没有时为 0）"),
    Column("org_covered_then", "上期已覆盖", "int", "上期其中有党组织覆盖的（上期没有时为 0）"),
    Column("org_rate_then", "上期组织覆盖率", "rate", "上期组织覆盖率；上期没有时为 null"),
    Column("total_now", "本期纳入统计", "int", "本期组织数（本期没有时为 0）"),
    Column("org_covered_now", "本期已覆盖", "int", "本期其中有党组织覆盖的（本期没有时为 0）"),
    Column("org_rate_now", "本期组织覆盖率", "rate", "本期组织覆盖率；本期没有时为 null"),
    Column("change", "增减（百分点）", "number", "变化（百分点）；只在一期出现时为 null"),
)
"""Organization coverage of one street or chain and kind, then and now (``streets``,
``chains``; :func:`graph.columns.coverage.by_group` heads ``group_name`` 街道 or 产业链)."""

TREND = Column("trend", "升降", "text", "组织覆盖率的升降（中文），如“上升 1.5 个百分点”")
"""``change`` in words, for a table that says it."""

DIFF_ORGS = Columns(
    USCC,
    ORG_NAME,
    KIND,
    STREET,
    _STREET_NAME,
    Column("status", "经营状态", "text", "经营状态"),
    Column("in_scope", "在统计范围内", "text", "是否在统计范围内"),
    Column("covered", "有党组织覆盖", "text", "是否有党组织覆盖"),
)
"""An organization in only one of the two versions (``added``, ``removed``)."""

COVERAGE_CHANGES = Columns(
    USCC,
    ORG_NAME,
    KIND,
    STREET,
    _STREET_NAME,
    CHAIN.variant(description="产业链编码（通过产业链环节；没有时为 null）"),
    CHAIN_NAME,
    Column("new_org", "本期新增", "text", "是否为本期新增的组织"),
    Column("in_scope_then", "上期在统计范围内", "text", "上期是否在统计范围内"),
    Column("party_org_then", "上期覆盖党组织编码", "code", "上期覆盖它的党组织编码"),
    Column("party_org_then_name", "上期覆盖党组织", "text", "上期覆盖它的党组织名称"),
    Column("party_org_now", "现覆盖党组织编码", "code", "本期覆盖它的党组织编码"),
    Column("party_org_now_name", "现覆盖党组织", "text", "本期覆盖它的党组织名称"),
    Column(
        "moved",
        "也已迁移",
        "text",
        "是否也在“迁移的组织”中（街道、楼宇、园区、产业链或类型变了）",
    ),
    REASON.variant(heading="情况说明", description="说明（中文）"),
)
"""An organization whose counted coverage changed (``newly_uncovered``, ``newly_covered``)."""

MOVED = Columns(
    USCC,
    ORG_NAME,
    Column("kind_then", "上期组织类型", "text", "上期组织类型"),
    KIND.variant(description="本期组织类型"),
    Column("street_then", "上期街道编码", "code", "上期街道编码"),
    Column("street_then_name", "上期街道", "text", "上期街道名称（没有名称时同编码）"),
    Column("street_now", "本期街道编码", "code", "本期街道编码"),
    Column("street_now_name", "本期街道", "text", "本期街道名称（没有名称时同编码）"),
    Column("building_then", "上期楼宇编码", "code", "上期楼宇编码"),
    Column("building_then_name", "上期楼宇", "text", "上期楼宇名称"),
    Column("building_now", "本期楼宇编码", "code", "本期楼宇编码"),
    Column("building_now_name", "本期楼宇", "text", "本期楼宇名称"),
    Column("park_then", "上期园区编码", "code", "上期园区编码"),
    Column("park_then_name", "上期园区", "text", "上期园区名称"),
    Column("park_now", "本期园区编码", "code", "本期园区编码"),
    Column("park_now_name", "本期园区", "text", "本期园区名称"),
    Column("chain_then", "上期产业链编码", "code", "上期产业链编码（通过产业链环节）"),
    Column("chain_then_name", "上期产业链", "text", "上期产业链名称"),
    Column("chain_now", "本期产业链编码", "code", "本期产业链编码"),
    Column("chain_now_name", "本期产业链", "text", "本期产业链名称"),
    Column("covered_then", "上期有党组织覆盖", "text", "上期是否有党组织覆盖"),
    Column("covered_now", "本期有党组织覆盖", "text", "本期是否有党组织覆盖"),
    REASON.variant(
        heading="变化情况", description="变化说明（中文），如“街道：东湖街道 → 马坡岭街道”"
    ),
)
"""An organization counted in both versions whose street, building, park, chain or kind
changed: the places then and now (``moved``)."""

SCOPE_CHANGES = Columns(
    USCC,
    ORG_NAME,
    KIND.variant(description="组织类型（移出的为上期的，纳入的为本期的）"),
    STREET.variant(description="街道编码（移出的为上期所在，纳入的为本期所在）"),
    _STREET_NAME,
    CHAIN.variant(description="产业链编码（通过产业链环节）"),
    CHAIN_NAME,
    Column("covered", "有党组织覆盖", "text", "计入统计时是否有党组织覆盖"),
    PARTY_ORG.variant(description="计入统计时覆盖它的党组织编码"),
    Column("party_org_name", "覆盖党组织", "text", "计入统计时覆盖它的党组织名称"),
    Column("status_then", "上期经营状态", "text", "上期经营状态；上期台账没有时为 null"),
    Column("status_now", "本期经营状态", "text", "本期经营状态；本期台账没有时为 null"),
    Column("employees_then", "上期从业人员", "int", "上期从业人员数；上期台账没有时为 null"),
    Column("employees_now", "本期从业人员", "int", "本期从业人员数；本期台账没有时为 null"),
    Column(
        "cause",
        "原因代码",
        "code",
        "原因：removed 本期台账中已没有，added 本期新增，"
        "status 经营状态变化（注销、僵尸企业、空壳，或恢复正常），staff 从业人员低于或达到统计下限",
    ),
    REASON.variant(heading="原因", description="原因说明（中文）"),
)
"""An organization that left the scope (counted then, not now) or entered it (counted now,
not then), where it was counted and why (``left_scope``, ``entered_scope``)."""

DIFF = Columns(
    Column("from", "较早的版本", "code", "较早的版本号"),
    Column("to", "较新的版本", "code", "较新的版本号"),
    Column("headline", "两类组织覆盖率", "list", "两类组织的覆盖率，上期与本期"),
    Column("streets", "各街道", "list", "各街道组织覆盖率的变化，降幅大的在前"),
    Column("chains", "各产业链", "list", "各产业链组织覆盖率的变化，降幅大的在前"),
    Column(
        "moved",
        "迁移的组织",
        "list",
        "迁移的组织：两期都在统计范围内，街道、楼宇、园区、产业链或组织类型变了",
    ),
    Column(
        "left_scope",
        "移出统计范围的组织",
        "list",
        "移出统计范围的组织：上期计入、本期不计入（台账中删除、经营状态变化、从业人员不足）",
    ),
    Column(
        "entered_scope",
        "纳入统计范围的组织",
        "list",
        "纳入统计范围的组织：本期计入、上期不计入（新增、恢复正常、从业人员达到下限）",
    ),
    Column("added", "新增组织", "list", "新增的组织"),
    Column("removed", "减少的组织", "list", "减少的组织"),
    Column(
        "newly_uncovered",
        "新出现的未覆盖组织",
        "list",
        "新出现的未覆盖组织（本期在统计范围内、没有党组织覆盖）",
    ),
    Column("newly_covered", "新覆盖的组织", "list", "新覆盖的组织"),
)
"""The parts of a version diff, after the two versions' numbers (``liangxin diff``'s JSON)."""
