"""Columns several results share (an organization's code, name, kind and street …) and the
columns of a list of organizations (:func:`graph.analysis.common.org_table`)."""

from __future__ import annotations

from graph.columns import Column, Columns

__all__ = [
    "CHAIN",
    "CHAIN_NAME",
    "DISTRICT",
    "EMPLOYEES",
    "FORMAL_MEMBERS",
    "IN_DISTRICT",
    "IN_STREET",
    "IN_STREET_NAME",
    "KIND",
    "ORGANIZATIONS",
    "ORG_NAME",
    "PARTY_ORG",
    "PARTY_ORG_NAME",
    "REASON",
    "STREET",
    "STREET_NAME",
    "USCC",
]

USCC = Column("uscc", "统一社会信用代码", "code", "统一社会信用代码")
ORG_NAME = Column("name", "组织名称", "text", "组织名称")
KIND = Column("kind", "组织类型", "text", "组织类型")
"""非公企业 or 社会组织."""
STREET = Column("street", "街道编码", "code", "街道编码")
STREET_NAME = Column("street_name", "街道", "text", "街道名称")
DISTRICT = Column("district", "区县", "text", "区县")
IN_DISTRICT = DISTRICT.variant(description="所在区县")
IN_STREET = STREET.variant(description="所在街道编码")
IN_STREET_NAME = STREET_NAME.variant(description="所在街道名称")
CHAIN = Column("chain", "产业链编码", "code", "产业链编码")
CHAIN_NAME = Column("chain_name", "产业链", "text", "产业链名称")
PARTY_ORG = Column("party_org", "党组织编码", "code", "党组织编码")
PARTY_ORG_NAME = Column("name", "党组织名称", "text", "党组织名称")
"""A Party organization's name, where a row is one."""
EMPLOYEES = Column("employees", "从业人员", "int", "从业人员数")
FORMAL_MEMBERS = Column("formal_members", "正式党员", "int", "正式党员数")
REASON = Column("reason", "理由", "text", "理由（中文）")

ORGANIZATIONS = Columns(
    USCC,
    ORG_NAME,
    Column("org_kind", "组织类型", "text", "组织类型（非公企业或社会组织）"),
    IN_DISTRICT,
    IN_STREET_NAME,
    Column("building_name", "楼宇", "text", "所在楼宇名称"),
    EMPLOYEES,
    FORMAL_MEMBERS,
    Column(
        "coverage_label",
        "覆盖状态",
        "text",
        "覆盖状态：单独建立党组织、联合党组织覆盖、仅党的工作覆盖或未覆盖",
    ),
)
"""The columns of a list of organizations shown to planners: :func:`~graph.analysis.common.
org_table`'s, plus ``coverage_label`` (its ``coverage`` in Chinese, ``COVERAGE_LABELS``)."""
