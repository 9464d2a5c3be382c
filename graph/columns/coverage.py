"""The columns of :func:`graph.analysis.coverage.coverage`: the two rates per kind, overall or
per group (区县, 街道, 楼宇 …)."""

from __future__ import annotations

from graph.columns import RATE_NOTE, Column, Columns
from graph.columns.common import KIND

__all__ = ["COVERAGE", "GROUP_LABELS", "RATES", "by_group"]

GROUP_LABELS = {
    "kind": "组织类型",
    "district": "区县",
    "street": "街道",
    "building": "楼宇",
    "park": "园区",
    "chain": "产业链",
    "segment": "产业链环节",
}
"""What coverage can be grouped on (``coverage --by``), as a heading."""

COVERAGE = Columns(
    Column(
        "group",
        "编码",
        "code",
        "分组编码（街道、楼宇、园区、产业链、环节编码；按区县分组时为区县名称）；"
        "按组织类型（by=kind）时没有此字段",
    ),
    Column("group_name", "分组", "text", "分组名称（没有名称时同编码）；按组织类型时没有此字段"),
    KIND,
    Column(
        "total",
        "纳入统计的组织",
        "int",
        "在统计范围内的组织数（经营状态正常且达到从业人员下限）",
    ),
    Column("org_covered", "组织覆盖", "int", "有党组织覆盖（单独或联合）的组织数"),
    Column(
        "work_covered",
        "工作覆盖",
        "int",
        "党的工作覆盖的组织数（有党组织覆盖、选派了党建指导员或建有群团组织）",
    ),
    Column("standalone", "单独组建", "int", "单独组建党组织的组织数"),
    Column("with_members", "有党员", "int", "至少有 1 名正式党员的组织数"),
    Column("org_rate", "组织覆盖率", "rate", "组织覆盖率 = org_covered ÷ total" + RATE_NOTE),
    Column("work_rate", "工作覆盖率", "rate", "工作覆盖率 = work_covered ÷ total" + RATE_NOTE),
    Column(
        "standalone_rate", "单独组建率", "rate", "单独组建率 = standalone ÷ org_covered" + RATE_NOTE
    ),
)
"""One kind of organization, overall or in one group (``group`` and ``group_name`` only when
grouped: see :func:`by_group` for their headings)."""

RATES = COVERAGE.pick(
    "total",
    "org_covered",
    "org_rate",
    "work_covered",
    "work_rate",
    "standalone",
    "standalone_rate",
)
"""The figures of the two rates as tables show them: each count before its rate."""


def by_group(columns: Columns, by: str) -> Columns:
    """``columns`` with ``group_name`` headed by what the rows are grouped on (``by``, a key of
    :data:`GROUP_LABELS`: 区县, 街道 …) and ``group`` by its code (区县编码, 街道编码 …)."""
    label = GROUP_LABELS[by]
    headings = {"group_name": label, "group": f"{label}编码"}
    return Columns(
        *(c.variant(heading=headings[c.key]) if c.key in headings else c for c in columns)
    )
