"""The columns of :mod:`graph.analysis.chains`: a chain's three levels (园区党工委 → 产业链党委 →
企业党组织), its committee's member units, coverage per segment and its weak links."""

from __future__ import annotations

from graph.columns import RATE_NOTE, Column, Columns
from graph.columns.common import CHAIN, CHAIN_NAME, PARTY_ORG

__all__ = [
    "CHAINS",
    "CHAIN_COMMITTEES",
    "CHAIN_TREE",
    "COMMITTEE",
    "COMMITTEE_MEMBERS",
    "COVERED_RATE",
    "ENTERPRISE_ORGS",
    "FINDINGS",
    "FINDING_PROBLEM",
    "FINDING_ROWS",
    "PARK_COMMITTEE",
    "SEGMENTS",
    "severity_count",
]

COVERED = Column("covered", "已覆盖", "int", "其中有党组织覆盖的")
COVERED_RATE = Column(
    "org_rate", "覆盖率", "rate", "组织覆盖率 = covered ÷ enterprises" + RATE_NOTE
)
"""Of a chain's (or a segment's) organizations in the scope, those covered, in percent."""

PARK_COMMITTEE = Columns(
    Column("code", "园区党工委编码", "code", "园区党工委（园区企业党委）编码"),
    Column("name", "园区党工委", "text", "名称"),
)
"""The first level: the park committee a chain committee is subordinate to."""

COMMITTEE_MEMBERS = Columns(
    Column("side", "方面", "text", "成员类型（三方进入）"),
    Column(
        "member", "统一社会信用代码", "code", "成员单位的统一社会信用代码；只有名称的单位为 null"
    ),
    Column("name", "成员单位", "text", "成员单位名称"),
)
"""One member unit of a chain committee (三方进入: 骨干企业, 政府部门, 协会联盟)."""

COMMITTEE = Column("committee", "产业链党委", "text", "成员单位所在的产业链党委名称")
"""Which committee a member unit sits on, in a table of several committees' members."""

CHAIN_COMMITTEES = Columns(
    Column("code", "产业链党委编码", "code", "产业链党委编码"),
    Column("name", "产业链党委", "text", "产业链党委名称"),
    Column("level", "组织层级", "text", "组织层级"),
    Column("has_secretary", "配备书记", "text", "是否配备书记"),
    Column("parent", "上级党组织编码", "code", "上级党组织编码"),
    Column("parent_name", "上级党组织", "text", "上级党组织名称"),
    Column("parent_is_park", "上级为园区党工委", "text", "上级是否为园区党工委或园区企业党委"),
    Column("members", "成员单位", "list", "成员单位"),
    Column("sides_present", "已有成员类型", "list", "已有的成员类型"),
    Column("sides_missing", "缺少成员类型", "list", "缺少的成员类型"),
)
"""The second level: one 产业链党委 and its member units."""

ENTERPRISE_ORGS = Columns(
    PARTY_ORG.variant(description="企业党组织编码"),
    Column("name", "企业党组织", "text", "企业党组织名称"),
    Column(
        "attachment",
        "与产业链党委的关系",
        "code",
        "与产业链党委的关系：formal 隶属、functional 功能型、detached 未纳入",
    ),
    Column("organizations", "覆盖的链上组织", "list", "它覆盖的本链组织的统一社会信用代码"),
)
"""The third level: an enterprise Party organization covering organizations of the chain."""

SEGMENTS = Columns(
    CHAIN,
    CHAIN_NAME,
    Column("segment", "环节编码", "code", "环节编码"),
    Column("name", "环节", "text", "环节名称"),
    Column("position", "位置", "text", "环节位置"),
    Column("order", "顺序", "int", "环节顺序"),
    Column("enterprises", "链上组织", "int", "环节内在统计范围内的组织数"),
    COVERED,
    Column("own_organization", "单独组建", "int", "其中单独组建党组织的"),
    COVERED_RATE,
)
"""Coverage of one chain segment (:func:`graph.analysis.chains.segment_coverage`)."""

_CODE = "薄弱环节代码"
_SUBJECT = Column(
    "subject", "对象编码", "code", "对象编码：统一社会信用代码、党组织、环节或产业链编码"
)
_FINDING_TAIL = (
    Column("subject_name", "对象", "text", "对象名称"),
    Column("severity", "严重程度", "text", "严重程度"),
    Column("detail", "说明与建议", "text", "说明与建议（中文）"),
    Column("action", "建议做法", "text", "建议做法（中文，说明的最后一句）"),
)

FINDINGS = Columns(
    CHAIN,
    CHAIN_NAME,
    Column(
        "code",
        _CODE,
        "code",
        "薄弱环节代码：chain_without_committee 未建产业链党委、"
        "committee_without_parent 产业链党委无园区上级、committee_missing_side 三方进入缺项、"
        "segment_uncovered 环节无党组织覆盖、segment_single_point 环节仅一家覆盖、"
        "enterprise_po_detached 企业党组织未纳入产业链党委、single_point_of_failure 链上关键节点、"
        "weak_lax 软弱涣散",
    ),
    _SUBJECT,
    *_FINDING_TAIL,
)
"""One weak link of a chain (产业链薄弱环节), as a chain's report holds it."""

FINDING_ROWS = Columns(
    CHAIN,
    CHAIN_NAME,
    Column("code", _CODE, "code", "薄弱环节代码（见 ChainFinding.code）"),
    Column("code_label", "类型", "text", "薄弱环节名称（中文）"),
    _SUBJECT,
    *_FINDING_TAIL,
)
"""A weak link as a row of :func:`graph.analysis.chains.chain_findings`: with its Chinese
name."""

FINDING_PROBLEM = Column("problem", "问题", "text", "问题（说明去掉最后一句建议做法）")
"""A finding's ``detail`` without its ``action``, for a table that shows the two apart."""

CHAINS = Columns(
    CHAIN,
    Column("name", "产业链", "text", "产业链名称"),
    Column("lead_department", "牵头部门", "text", "牵头部门"),
    Column(
        "park_committee", "园区党工委", "text", "第一级：园区党工委（园区企业党委）；没有时为 null"
    ),
    Column("committees", "产业链党委", "list", "第二级：本链的产业链党委"),
    Column("sides_present", "已有成员类型", "list", "三方进入：已有的成员类型"),
    Column("sides_missing", "缺少成员类型", "list", "三方进入：缺少的成员类型"),
    Column("enterprises", "链上组织", "int", "链上在统计范围内的组织数"),
    COVERED,
    Column("enterprise_orgs", "企业党组织", "list", "第三级：覆盖链上组织的企业党组织"),
    Column("attached_formal", "隶属", "int", "隶属产业链党委的企业党组织数"),
    Column("attached_functional", "功能型", "int", "功能型纳入的企业党组织数"),
    Column("detached", "未纳入", "int", "未纳入的企业党组织数"),
    Column("segments", "各环节覆盖", "list", "各环节覆盖，上游到下游"),
    Column("findings", "薄弱环节", "list", "薄弱环节"),
)
"""One industry chain (:func:`graph.analysis.chains.chain_structure`): its three levels, its
committee's sides, coverage and weak links (its rate, :data:`COVERED_RATE`, is worked out
where it is shown)."""

CHAIN_TREE = Columns(
    Column("level", "层级", "text", "三级组织体系中的层级：园区党工委、产业链党委或企业党组织"),
    Column("name", "党组织", "text", "党组织名称"),
    Column("code", "党组织编码", "code", "党组织编码"),
    Column("relation", "隶属关系", "text", "与上一级的关系（隶属、功能型或未纳入）"),
    Column("organizations", "覆盖链上组织", "int", "覆盖的本链组织数"),
)
"""A chain's three levels as one table, one Party organization a row (the chain report's)."""


def severity_count(severity: str) -> Column:
    """How many of a chain's weak links have ``severity`` (高, 中 or 低)."""
    return Column(
        f"severity_{severity}", f"问题（{severity}）", "int", f"严重程度为{severity}的薄弱环节数"
    )
