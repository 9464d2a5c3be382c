"""The columns of :func:`graph.analysis.pairing.pairing`: 结对共建 of the 两新 Party
organizations, counted by type and by district, and a suggestion for each unpaired one."""

from __future__ import annotations

from graph.columns import RATE_NOTE, Column, Columns
from graph.columns.common import DISTRICT, PARTY_ORG, PARTY_ORG_NAME, REASON, STREET, STREET_NAME

__all__ = ["PAIRING", "PAIRING_BY_DISTRICT", "PAIRING_BY_TYPE", "UNPAIRED"]

_LIANGXIN_ORGS = Column("liangxin_orgs", "两新党组织", "int", "覆盖统计范围内组织的两新党组织数")
_PAIRED_RATE = Column("paired_rate", "结对率", "rate", "结对率" + RATE_NOTE)

PAIRING_BY_TYPE = Columns(
    Column("type", "共建类型", "text", "共建类型，如 机关—两新、公办—民办学校"),
    Column("pairs", "结对数", "int", "结对数"),
    Column("liangxin_orgs_paired", "涉及两新党组织", "int", "涉及的两新党组织数"),
)
"""Existing pairings of one 共建类型."""

PAIRING_BY_DISTRICT = Columns(
    DISTRICT.variant(description="区县（不详时为“（未知区县）”）"),
    _LIANGXIN_ORGS,
    Column("liangxin_orgs_paired", "已结对", "int", "其中已结对的"),
    _PAIRED_RATE,
    Column("pairs", "结对数", "int", "涉及这些党组织的结对数"),
)
"""Pairing of the 两新 Party organizations of one district."""

UNPAIRED = Columns(
    PARTY_ORG.variant(description="未结对的两新党组织编码"),
    PARTY_ORG_NAME.variant(heading="未结对的党组织"),
    STREET.variant(description="街道编码（党组织自身的，或其覆盖组织最多的街道）"),
    STREET_NAME,
    DISTRICT,
    Column("covers", "覆盖组织数", "int", "覆盖的统计范围内组织数"),
    Column("kinds", "覆盖组织类型", "text", "覆盖组织的类型，以“、”分隔"),
    Column("categories", "覆盖组织类别", "text", "覆盖组织的细分类别，以“、”分隔"),
    Column("rank", "建议", "int", "建议序号；台账中没有可结对对象时为 null"),
    Column("suggested_type", "类型", "text", "建议的共建类型"),
    Column("suggested_partner", "建议结对对象编码", "code", "建议结对的党组织编码"),
    Column("partner_name", "建议结对对象", "text", "建议结对的党组织名称"),
    Column("partner_pairings", "对方现有结对", "int", "对方现有结对数"),
    Column("partner_suggested", "此前已建议给对方", "int", "本清单中此前已建议给对方的次数"),
    Column("proximity", "远近", "text", "远近：产业链牵头部门、同街道、同区县、市级、其他区县"),
    REASON,
)
"""One suggestion for an unpaired 两新 Party organization (:func:`graph.analysis.pairing.
unpaired`)."""

PAIRING = Columns(
    _LIANGXIN_ORGS,
    Column("liangxin_paired", "已结对", "int", "其中已结对共建的"),
    _PAIRED_RATE,
    Column("by_type", "按共建类型", "list", "按共建类型"),
    Column("by_district", "按区县", "list", "按区县，结对率低的在前"),
    Column("unpaired", "未结对的党组织", "list", "未结对的党组织和结对建议"),
)
"""The parts of a ``pairing`` result: the overall figures, then :data:`PAIRING_BY_TYPE`,
:data:`PAIRING_BY_DISTRICT` and :data:`UNPAIRED` rows."""
