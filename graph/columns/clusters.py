"""The columns of :func:`graph.analysis.clusters.clusters`: groups of uncovered organizations
that could form a joint Party organization together."""

from __future__ import annotations

from graph.columns import Column, Columns
from graph.columns.common import CHAIN, CHAIN_NAME, DISTRICT, REASON, STREET, STREET_NAME

__all__ = ["CLUSTERS", "GROUP_FORMAL_MEMBERS"]

GROUP_FORMAL_MEMBERS = Column("formal_members", "正式党员合计", "int", "成员正式党员合计")
"""The formal members of a group of organizations, added up (a cluster, a new joint one)."""

CLUSTERS = Columns(
    Column(
        "cluster_id",
        "编号",
        "code",
        "组织群编号，稳定不变：building:楼宇编码、park:园区编码、"
        "street_chain:街道:产业链、street_category:街道:细分类别、street:街道编码",
    ),
    Column(
        "level",
        "聚合层次",
        "code",
        "聚合层次：building 同楼宇、park 同园区、street_chain 同街道同产业链、"
        "street_category 同街道同行业、street 同街道",
    ),
    DISTRICT.variant(description="所在区县（成员不在同一区县时为 null）"),
    STREET.variant(description="街道编码（园区组织群为成员最多的街道）"),
    STREET_NAME,
    Column("park", "园区编码", "code", "园区编码（成员同在一个园区时）"),
    Column("park_name", "园区", "text", "园区名称"),
    Column("building", "楼宇编码", "code", "楼宇编码（成员同在一栋楼宇时）"),
    Column("building_name", "楼宇", "text", "楼宇名称"),
    CHAIN.variant(description="产业链编码（成员同属一条产业链时）"),
    CHAIN_NAME,
    Column("category", "细分类别", "text", "细分类别（成员同属一个类别时）"),
    Column("members", "成员统一社会信用代码", "list", "成员的统一社会信用代码，正式党员多的在前"),
    Column("member_names", "成员", "list", "成员名称，与 members 一一对应"),
    Column("size", "组织数", "int", "成员数"),
    GROUP_FORMAL_MEMBERS,
    Column(
        "joint_formal_members",
        "参加联合组建的正式党员",
        "int",
        "参加联合组建的成员（不含应单独组建的）正式党员合计",
    ),
    Column("feasible", "可组建", "text", "现在能否联合组建：joint_formal_members 达到 3 名"),
    Column(
        "standalone_eligible",
        "应单独组建的成员",
        "list",
        "有 3 名以上正式党员、应单独组建的成员的统一社会信用代码",
    ),
    Column("mode", "建议方式", "text", "建议的组建方式"),
    REASON.variant(description="建议理由（中文）"),
    Column("taker", "可承接的党组织编码", "code", "可以承接该组织群的现有党组织编码"),
    Column("taker_name", "可承接的党组织", "text", "可以承接的党组织名称"),
    Column(
        "taker_kind",
        "承接方类型",
        "code",
        "承接方类型：joint_branch 有空位的联合党组织、lead 龙头企业党组织、"
        "street_committee 街道两新综合党委（兜底）",
    ),
    Column("taker_reason", "承接理由", "text", "为什么由它承接（中文）"),
)
"""One cluster of uncovered organizations: where, who, whether they can form now, and which
existing Party organization could take them in."""
