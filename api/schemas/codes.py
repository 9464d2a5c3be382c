"""The closed sets of codes the JSON answers use, as types for the OpenAPI document; each is
checked by the tests against the constant it comes from."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "ChainFindingCode",
    "ClusterLevel",
    "CommitteeSideName",
    "EnterpriseAttachment",
    "FlagCode",
    "FormationModeName",
    "OrgKindName",
    "OrgStatusName",
    "PartyLevelName",
    "PlanGroupLevel",
    "SegmentPositionName",
    "Severity",
    "TakerKind",
]

OrgKindName = Literal["非公企业", "社会组织"]
"""``graph.model.OrgKind``."""
OrgStatusName = Literal["正常", "僵尸企业", "空壳", "注销"]
"""``graph.model.OrgStatus``."""
PartyLevelName = Literal["党委", "党总支", "党支部"]
"""``graph.model.PartyLevel``."""
FormationModeName = Literal[
    "单独组建", "联合组建", "龙头领建", "平台统建", "楼宇共建", "区域合建", "行业组建", "兜底组建"
]
"""``graph.model.FormationMode``."""
CommitteeSideName = Literal["骨干企业", "政府部门", "协会联盟"]
"""``graph.model.CommitteeSide``."""
SegmentPositionName = Literal["上游", "中游", "下游"]
"""``graph.model.SegmentPosition``."""
FlagCode = Literal[
    "standalone_eligible",
    "oversized_joint",
    "big_without_members",
    "weak_lax",
    "overdue_election",
    "election_due_soon",
    "unpaired",
]
"""``graph.analysis.flags.FLAG_CODES``."""
ChainFindingCode = Literal[
    "chain_without_committee",
    "committee_without_parent",
    "committee_missing_side",
    "segment_uncovered",
    "segment_single_point",
    "enterprise_po_detached",
    "single_point_of_failure",
    "weak_lax",
]
"""``graph.analysis.chains.FINDING_CODES``."""
Severity = Literal["高", "中", "低"]
"""``graph.analysis.chains.SEVERITIES``."""
EnterpriseAttachment = Literal["formal", "functional", "detached"]
"""``graph.analysis.chains.ATTACHMENTS``."""
ClusterLevel = Literal["building", "park", "street_chain", "street_category", "street"]
"""``graph.analysis.clusters.LEVELS``."""
TakerKind = Literal["joint_branch", "lead", "street_committee"]
"""The kinds of existing Party organization that can take a cluster in (clusters)."""
PlanGroupLevel = Literal["building", "park", "segment", "chain", "category", "industry", "street"]
"""``graph.analysis.plan.GROUP_LEVELS``."""
