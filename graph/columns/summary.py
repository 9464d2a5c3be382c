"""The columns of the summary of what a ledger holds (``liangxin summary``): the two kinds of
organization with their coverage, and how many nodes and relations of each kind the graph has."""

from __future__ import annotations

from graph.columns import RATE_NOTE, Column, Columns
from graph.columns.common import KIND

__all__ = ["COUNTS", "KIND_OVERVIEW", "SUMMARY"]

KIND_OVERVIEW = Columns(
    KIND,
    Column("listed", "台账组织数", "int", "台账中的组织数（任何经营状态）"),
    Column("total", "正常经营", "int", "经营状态正常的组织数"),
    Column("org_covered", "党组织覆盖", "int", "其中有党组织覆盖的"),
    Column("org_rate", "组织覆盖率", "rate", "组织覆盖率" + RATE_NOTE),
    Column("work_rate", "工作覆盖率", "rate", "工作覆盖率" + RATE_NOTE),
)
"""One kind of organization in the summary (no scope: every operating organization)."""

COUNTS = Columns(
    Column("kind", "英文名", "code", "类型的英文名，如 Organization、COVERS"),
    Column("label_zh", "类型", "text", "类型的中文名"),
    Column("count", "数量", "int", "数量"),
)
"""How many nodes or relations of one kind the graph has (:func:`graph.build.graph_counts`)."""

SUMMARY = Columns(
    Column("source", "数据来源", "text", "数据来源"),
    Column("organizations", "两类组织", "list", "两类组织的数量和覆盖"),
    Column("nodes", "图谱节点", "list", "图谱中各类节点的数量"),
    Column("edges", "图谱关系", "list", "图谱中各类关系的数量"),
)
"""The parts of the summary: :data:`KIND_OVERVIEW` rows, then :data:`COUNTS` of nodes and of
relations."""
