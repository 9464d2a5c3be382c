"""The columns of :func:`graph.analysis.plan.plan`: the formation plan's rates before and
after, and each of its parts (单独组建, new joint organizations, attachments, instructors,
splits)."""

from __future__ import annotations

from graph.columns import RATE_NOTE, Column, Columns
from graph.columns.clusters import GROUP_FORMAL_MEMBERS
from graph.columns.common import (
    EMPLOYEES,
    FORMAL_MEMBERS,
    KIND,
    ORG_NAME,
    PARTY_ORG,
    REASON,
    STREET,
    STREET_NAME,
    USCC,
)

__all__ = [
    "ATTACHMENTS",
    "GROUPED_BY_LABEL",
    "INSTRUCTORS",
    "JOINT_GROUPS",
    "PLAN",
    "PLAN_RATES",
    "SOLVER",
    "SPLITS",
    "STANDALONE",
]

PLAN_RATES = Columns(
    KIND,
    Column("total", "纳入统计的组织", "int", "在统计范围内的组织数"),
    Column("org_covered_now", "现有组织覆盖", "int", "现在有党组织覆盖的组织数"),
    Column("org_rate_now", "组织覆盖率（现在）", "rate", "现在的组织覆盖率" + RATE_NOTE),
    Column("org_covered_after", "实施后组织覆盖", "int", "方案实施后有党组织覆盖的组织数"),
    Column("org_rate_after", "组织覆盖率（实施后）", "rate", "方案实施后的组织覆盖率" + RATE_NOTE),
    Column("work_rate_now", "工作覆盖率（现在）", "rate", "现在的工作覆盖率" + RATE_NOTE),
    Column("work_rate_after", "工作覆盖率（实施后）", "rate", "方案实施后的工作覆盖率" + RATE_NOTE),
    Column("standalone_rate_now", "单独组建率（现在）", "rate", "现在的单独组建率" + RATE_NOTE),
    Column(
        "standalone_rate_after",
        "单独组建率（实施后）",
        "rate",
        "方案实施后的单独组建率" + RATE_NOTE,
    ),
)
"""One kind's rates today and after the plan."""

STANDALONE = Columns(
    USCC,
    ORG_NAME,
    KIND,
    STREET,
    STREET_NAME,
    EMPLOYEES,
    FORMAL_MEMBERS,
    Column("level", "建议层级", "text", "建议建立的党组织层级"),
    REASON,
    Column(
        "from_party_org",
        "现所在联合党组织编码",
        "code",
        "现在联合覆盖它、它应从中分出单独组建的党组织编码；尚未覆盖的为空",
    ),
    Column("from_party_org_name", "现所在联合党组织", "text", "该党组织名称"),
)
"""An organization that should form its own Party organization (单独组建)."""

JOINT_GROUPS = Columns(
    Column("group_id", "编号", "code", "新联合党组织的临时编号，如 NEW-街道编码-01"),
    STREET,
    STREET_NAME,
    Column("mode", "组建方式", "text", "组建方式：楼宇共建、行业组建或区域合建"),
    Column(
        "grouped_by",
        "成员的共同点",
        "code",
        "成员的共同点：building 同楼宇、park 同园区、segment 同环节、"
        "chain 同产业链、category 同细分类别、industry 同行业门类、street 同街道",
    ),
    Column("size", "组织数", "int", "成员组织数"),
    GROUP_FORMAL_MEMBERS,
    Column("members", "成员统一社会信用代码", "list", "成员的统一社会信用代码"),
    Column("member_names", "成员组织", "list", "成员名称"),
    REASON,
)
"""A new joint Party organization the plan proposes (联合组建)."""

GROUPED_BY_LABEL = Column(
    "grouped_by_label", "成员相同之处", "text", "成员的共同点（中文）：同楼宇、同园区、同街道等"
)
"""``grouped_by`` in Chinese, for a table of new joint organizations."""

ATTACHMENTS = Columns(
    USCC,
    ORG_NAME,
    STREET,
    STREET_NAME,
    FORMAL_MEMBERS,
    PARTY_ORG.variant(description="并入的党组织编码"),
    Column("party_org_name", "并入党组织", "text", "并入的党组织名称"),
    Column("mode", "组建方式", "text", "方式：楼宇共建、龙头领建、区域合建或兜底组建"),
    REASON,
)
"""An organization the plan puts into an existing Party organization."""

INSTRUCTORS = Columns(
    USCC,
    ORG_NAME,
    STREET,
    STREET_NAME,
    EMPLOYEES,
    FORMAL_MEMBERS,
    Column("instructor", "党建指导员编码", "code", "党建指导员编码；街道还没有指导员时为“待选派”"),
    Column("instructor_name", "党建指导员", "text", "党建指导员姓名"),
    Column("develop_members", "需发展党员", "int", "建立党组织前需发展的正式党员数"),
    Column("target", "目标", "text", "发展目标（中文）"),
    REASON,
)
"""An organization without members: an instructor to assign and members to develop."""

SPLITS = Columns(
    PARTY_ORG,
    Column("party_org_name", "联合党组织", "text", "党组织名称"),
    STREET,
    STREET_NAME,
    Column("covers", "覆盖组织数", "int", "覆盖的正常经营组织数（应单独组建的分出之后）"),
    Column(
        "parts",
        "拆分后各组成员编码",
        "list",
        "拆分后每个党组织的成员（统一社会信用代码）；第一个沿用原党组织",
    ),
    Column("part_names", "拆分后各组成员", "list", "拆分后每个党组织的成员名称"),
    REASON,
)
"""A joint Party organization covering too many organizations, split (划小组建单元)."""

SOLVER = Columns(
    Column("pools", "片区数", "int", "独立求解的片区数（一个街道，或园区连起来的几个街道）"),
    Column("optimal", "已证明最优", "int", "已证明最优的片区数"),
    Column(
        "limited",
        "未证明最优",
        "int",
        "求解时限内未证明最优、采用已找到的最好方案的片区数",
    ),
    Column("greedy", "采用贪心方案", "int", "求解时限内没有找到方案、采用贪心方案的片区数"),
    Column("largest", "最大片区组织数", "int", "最大片区的组织数"),
    Column("note", "说明", "text", "说明（中文）"),
)
"""How exact the plan is: pools solved to proven optimality."""

PLAN = Columns(
    Column("rates", "方案实施前后的覆盖率", "list", "两类组织现在和方案实施后的覆盖率"),
    Column("standalone", "单独组建", "list", "单独组建（含从联合党组织中分出的）"),
    Column("groups", "新建联合党组织", "list", "新建联合党组织"),
    Column("attachments", "并入现有党组织", "list", "并入现有党组织"),
    Column("instructors", "选派指导员", "list", "选派指导员、发展党员"),
    Column("splits", "拆分联合党组织", "list", "拆分覆盖组织过多的联合党组织"),
    Column("solver", "方案求解情况", "text", "方案求解情况"),
)
"""The parts of a formation plan: :data:`PLAN_RATES` rows, the proposals, :data:`SOLVER`."""
