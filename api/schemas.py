"""Response models of the JSON API: the same field names as ``liangxin … --format json``.

Each model mirrors one analysis result (a DataFrame's columns or a dataclass's fields) and
documents every field in Chinese for the OpenAPI page (the planners' IT staff read it).
Missing values are ``null``; rates are percentages with two decimals, ``null`` where the
denominator is 0. ``tests/test_api.py`` checks that each model's fields are exactly the
columns of the analysis it mirrors, so a new column cannot be left out silently.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ApiError",
    "Attachment",
    "ChainCommittee",
    "ChainFinding",
    "ChainFindingCode",
    "ChainFindingRow",
    "ChainReport",
    "ClusterLevel",
    "ClusterRow",
    "CommitteeMember",
    "CommitteeSideName",
    "CountRow",
    "CoverageChange",
    "CoverageRow",
    "DiffHeadline",
    "DiffOrganization",
    "EnterpriseAttachment",
    "EnterpriseOrg",
    "FlagCode",
    "FlagRow",
    "FormationModeName",
    "FormationPlan",
    "InstructorAssignment",
    "JointGroup",
    "KindOverview",
    "LeadRow",
    "MovedOrganization",
    "OrgKindName",
    "OrgStatusName",
    "PairingByDistrict",
    "PairingByType",
    "PairingResult",
    "ParkCommittee",
    "PartnerRow",
    "PartnerSubject",
    "PartnersResult",
    "PartyLevelName",
    "PlanGroupLevel",
    "PlanRate",
    "PlanSolver",
    "PlanSplit",
    "RateChange",
    "ScopeChange",
    "SegmentPositionName",
    "SegmentRow",
    "Severity",
    "StandaloneProposal",
    "Summary",
    "TakerKind",
    "UnpairedRow",
    "VersionDiff",
    "VersionInfo",
    "VersionListed",
    "WorkspaceStatus",
]

# -- closed sets of codes (tests check each against the constant it comes from) ---------------

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

_RATE = "，百分比，保留两位小数；分母为 0 时为 null"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ApiError(BaseModel):
    """An error answer: what went wrong, in Chinese."""

    detail: str = Field(description="错误说明（中文）：哪里不对、该怎么做")


# -- coverage / flags ------------------------------------------------------------------------


class CoverageRow(_Model):
    """One row of ``liangxin coverage``: one kind of organization, overall or in one group."""

    group: str | None = Field(
        default=None,
        description="分组编码（街道、楼宇、园区、产业链、环节编码；按区县分组时为区县名称）；"
        "按组织类型（by=kind）时没有此字段",
    )
    group_name: str | None = Field(
        default=None, description="分组名称（没有名称时同编码）；按组织类型时没有此字段"
    )
    kind: OrgKindName = Field(description="组织类型")
    total: int = Field(description="在统计范围内的组织数（经营状态正常且达到从业人员下限）")
    org_covered: int = Field(description="有党组织覆盖（单独或联合）的组织数")
    work_covered: int = Field(
        description="党的工作覆盖的组织数（有党组织覆盖、选派了党建指导员或建有群团组织）"
    )
    standalone: int = Field(description="单独组建党组织的组织数")
    with_members: int = Field(description="至少有 1 名正式党员的组织数")
    org_rate: float | None = Field(description="组织覆盖率 = org_covered ÷ total" + _RATE)
    work_rate: float | None = Field(description="工作覆盖率 = work_covered ÷ total" + _RATE)
    standalone_rate: float | None = Field(
        description="单独组建率 = standalone ÷ org_covered" + _RATE
    )


class FlagRow(_Model):
    """One finding of ``liangxin flags``."""

    code: FlagCode = Field(
        description="问题代码：standalone_eligible 应单独组建、oversized_joint 联合党组织覆盖过多、"
        "big_without_members 50人以上无党员、weak_lax 软弱涣散、overdue_election 换届逾期、"
        "election_due_soon 即将换届、unpaired 未结对共建"
    )
    code_label: str = Field(description="问题名称（中文）")
    subject: str = Field(description="对象编码：组织的统一社会信用代码或党组织编码")
    subject_kind: Literal["organization", "party_org"] = Field(
        description="对象类型：organization 两新组织，party_org 党组织"
    )
    name: str = Field(description="对象名称")
    street: str | None = Field(description="所在街道编码")
    street_name: str | None = Field(description="所在街道名称")
    district: str | None = Field(description="所在区县")
    detail: str = Field(description="说明：问题是什么、应该怎么做")


# -- clusters / partners / leads -------------------------------------------------------------


class ClusterRow(_Model):
    """One cluster of uncovered organizations (``liangxin clusters``)."""

    cluster_id: str = Field(
        description="组织群编号，稳定不变：building:楼宇编码、park:园区编码、"
        "street_chain:街道:产业链、street_category:街道:细分类别、street:街道编码"
    )
    level: ClusterLevel = Field(
        description="聚合层次：building 同楼宇、park 同园区、street_chain 同街道同产业链、"
        "street_category 同街道同行业、street 同街道"
    )
    district: str | None = Field(description="所在区县（成员不在同一区县时为 null）")
    street: str = Field(description="街道编码（园区组织群为成员最多的街道）")
    street_name: str | None = Field(description="街道名称")
    park: str | None = Field(description="园区编码（成员同在一个园区时）")
    park_name: str | None = Field(description="园区名称")
    building: str | None = Field(description="楼宇编码（成员同在一栋楼宇时）")
    building_name: str | None = Field(description="楼宇名称")
    chain: str | None = Field(description="产业链编码（成员同属一条产业链时）")
    chain_name: str | None = Field(description="产业链名称")
    category: str | None = Field(description="细分类别（成员同属一个类别时）")
    members: list[str] = Field(description="成员的统一社会信用代码，正式党员多的在前")
    member_names: list[str] = Field(description="成员名称，与 members 一一对应")
    size: int = Field(description="成员数")
    formal_members: int = Field(description="成员正式党员合计")
    joint_formal_members: int = Field(
        description="参加联合组建的成员（不含应单独组建的）正式党员合计"
    )
    feasible: bool = Field(description="现在能否联合组建：joint_formal_members 达到 3 名")
    standalone_eligible: list[str] = Field(
        description="有 3 名以上正式党员、应单独组建的成员的统一社会信用代码"
    )
    mode: FormationModeName = Field(description="建议的组建方式")
    reason: str = Field(description="建议理由（中文）")
    taker: str | None = Field(description="可以承接该组织群的现有党组织编码")
    taker_name: str | None = Field(description="可以承接的党组织名称")
    taker_kind: TakerKind | None = Field(
        description="承接方类型：joint_branch 有空位的联合党组织、lead 龙头企业党组织、"
        "street_committee 街道两新综合党委（兜底）"
    )
    taker_reason: str | None = Field(description="为什么由它承接（中文）")


class PartnerSubject(_Model):
    """The organization partners are sought for."""

    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    party_org: str | None = Field(description="现在覆盖它的党组织编码")
    covered: bool = Field(description="是否已有党组织覆盖")
    formal_members: int = Field(description="正式党员数")


class PartnerRow(_Model):
    """One suggested partner of ``liangxin partners``."""

    rank: int = Field(description="名次，从 1 开始")
    candidate: str = Field(description="伙伴编码：组织的统一社会信用代码或联合党组织编码")
    candidate_kind: Literal["organization", "party_org"] = Field(
        description="伙伴类型：organization 未覆盖的组织，party_org 有空位的联合党组织"
    )
    name: str = Field(description="伙伴名称")
    feasible: bool = Field(
        description="现在即可组建或加入：两家都有正式党员且合计达到 3 名（或与同楼宇、同园区、"
        "同街道等的其他组织一起达到，见 completed_with），或本组织可直接加入该联合党组织"
        "（排序首要依据）"
    )
    score: float = Field(
        description="总分（满分 100），为以下五项之和；供参考，排序依次看能否现在组建、"
        "对方是否带来正式党员、位置远近、相近与规模"
    )
    proximity_score: float = Field(
        description="位置得分：同楼宇 30、同园区 20、同街道 15、同区县 5"
    )
    distance_score: float = Field(description="距离得分：10 ×（1 − 距离公里数 ÷ 5），最低 0")
    similarity_score: float = Field(
        description="相近得分：同环节 15 或同产业链 10，同细分类别 +10，同行业门类 +5"
    )
    members_score: float = Field(description="党员得分：合计正式党员越接近 3 名越高，满分 20")
    size_score: float = Field(description="规模得分：联合后组织越少越高，满分 10")
    distance_km: float | None = Field(description="相距公里数；任一方没有坐标时为 null")
    formal_members: int = Field(description="伙伴的正式党员数（联合党组织为其覆盖组织的合计）")
    together_formal_members: int = Field(
        description="与伙伴（及 completed_with 中的组织）合计的正式党员数"
    )
    group_size: int = Field(description="联合后的组织数")
    completed_with: list[str] = Field(
        description="两家合计不足 3 名时一起组建、补足党员的其他组织的统一社会信用代码；"
        "两家即可组建、联合党组织或不可组建时为空"
    )
    reason: str = Field(description="推荐理由（中文）")


class PartnersResult(_Model):
    """``liangxin partners UNIFIED-CODE --format json``."""

    subject: PartnerSubject = Field(description="要找伙伴的组织")
    note: str | None = Field(description="提示（已有党组织覆盖、应单独组建时说明）")
    rows: list[PartnerRow] = Field(description="推荐的伙伴，最合适的在前")


class LeadRow(_Model):
    """One candidate lead enterprise of ``liangxin leads`` (龙头领建)."""

    rank: int = Field(description="在本产业链内的名次，从 1 开始")
    uscc: str = Field(description="企业的统一社会信用代码")
    name: str = Field(description="企业名称")
    chain: str = Field(description="产业链编码")
    chain_name: str = Field(description="产业链名称")
    segment: str = Field(description="产业链环节编码")
    segment_name: str = Field(description="产业链环节名称")
    party_org: str = Field(description="企业自身党组织编码")
    level: PartyLevelName = Field(description="党组织层级")
    members: int = Field(description="党组织党员数")
    employees: int = Field(description="企业从业人员数")
    takes_now: int = Field(
        description="现在可吸纳的组织数：周边有正式党员的未覆盖组织中，本组织容量允许的个数"
        "（排序首要依据：大于 0 的在前）"
    )
    weak_lax: bool = Field(description="本企业党组织是否软弱涣散（排在健全的之后，应先整顿）")
    room: int = Field(description="按一个联合党组织不超过 5 个组织计，还能覆盖几个组织")
    room_members: int | None = Field(
        description="按党支部党员一般不超过 50 名计，还能容纳几名党员；"
        "党委、党总支不设上限，为 null"
    )
    supply_degree: int = Field(description="链上配套关系中，与本链正常经营组织的往来数")
    score: float = Field(
        description="总分（满分 100），为以下五项之和；排序先看能否现在吸纳、是否健全，再看总分"
    )
    level_score: float = Field(description="党组织层级得分：党委 30、党总支 20、党支部 10")
    members_score: float = Field(description="党员数得分，满分 20")
    size_score: float = Field(description="规模得分，满分 15")
    centrality_score: float = Field(description="链上位置得分，满分 15")
    reach_score: float = Field(description="带动面得分，满分 20")
    reach: list[str] = Field(description="周边可带动的未覆盖组织的统一社会信用代码")
    reach_count: int = Field(description="周边可带动的组织数（每个只计一次）")
    reach_joinable: int = Field(description="其中有正式党员、可加入党组织的")
    reach_supply: int = Field(description="其中有配套关系的")
    reach_segment: int = Field(description="其中同区县同环节的")
    reach_place: int = Field(description="其中同楼宇或同园区同产业链的")
    reason: str = Field(description="理由（中文）")


# -- chains ----------------------------------------------------------------------------------


class ParkCommittee(_Model):
    """The first level: the park committee a chain committee is subordinate to."""

    code: str = Field(description="园区党工委（园区企业党委）编码")
    name: str = Field(description="名称")


class CommitteeMember(_Model):
    """One member unit of a chain committee (三方进入)."""

    side: CommitteeSideName = Field(description="成员类型（三方进入）")
    member: str | None = Field(description="成员单位的统一社会信用代码；只有名称的单位为 null")
    name: str = Field(description="成员单位名称")


class ChainCommittee(_Model):
    """The second level: one 产业链党委."""

    code: str = Field(description="产业链党委编码")
    name: str = Field(description="产业链党委名称")
    level: PartyLevelName | None = Field(description="组织层级")
    has_secretary: bool = Field(description="是否配备书记")
    parent: str | None = Field(description="上级党组织编码")
    parent_name: str | None = Field(description="上级党组织名称")
    parent_is_park: bool = Field(description="上级是否为园区党工委或园区企业党委")
    members: list[CommitteeMember] = Field(description="成员单位")
    sides_present: list[CommitteeSideName] = Field(description="已有的成员类型")
    sides_missing: list[CommitteeSideName] = Field(description="缺少的成员类型")


class EnterpriseOrg(_Model):
    """The third level: an enterprise Party organization covering chain organizations."""

    party_org: str = Field(description="企业党组织编码")
    name: str = Field(description="企业党组织名称")
    attachment: EnterpriseAttachment = Field(
        description="与产业链党委的关系：formal 隶属、functional 功能型、detached 未纳入"
    )
    organizations: list[str] = Field(description="它覆盖的本链组织的统一社会信用代码")


class SegmentRow(_Model):
    """Coverage of one chain segment (产业链环节)."""

    chain: str = Field(description="产业链编码")
    chain_name: str = Field(description="产业链名称")
    segment: str = Field(description="环节编码")
    name: str = Field(description="环节名称")
    position: SegmentPositionName | None = Field(description="环节位置")
    order: int | None = Field(description="环节顺序")
    enterprises: int = Field(description="环节内在统计范围内的组织数")
    covered: int = Field(description="其中有党组织覆盖的")
    own_organization: int = Field(description="其中单独组建党组织的")
    org_rate: float | None = Field(description="组织覆盖率 = covered ÷ enterprises" + _RATE)


class ChainFinding(_Model):
    """One weak link of a chain (产业链薄弱环节)."""

    chain: str = Field(description="产业链编码")
    chain_name: str = Field(description="产业链名称")
    code: ChainFindingCode = Field(
        description="薄弱环节代码：chain_without_committee 未建产业链党委、"
        "committee_without_parent 产业链党委无园区上级、committee_missing_side 三方进入缺项、"
        "segment_uncovered 环节无党组织覆盖、segment_single_point 环节仅一家覆盖、"
        "enterprise_po_detached 企业党组织未纳入产业链党委、single_point_of_failure 链上关键节点、"
        "weak_lax 软弱涣散"
    )
    subject: str = Field(description="对象编码：统一社会信用代码、党组织、环节或产业链编码")
    subject_name: str = Field(description="对象名称")
    severity: Severity = Field(description="严重程度")
    detail: str = Field(description="说明与建议（中文）")
    action: str = Field(description="建议做法（中文，说明的最后一句）")


class ChainFindingRow(_Model):
    """One row of ``GET /api/chains/findings``: a finding with its Chinese name."""

    chain: str = Field(description="产业链编码")
    chain_name: str = Field(description="产业链名称")
    code: ChainFindingCode = Field(description="薄弱环节代码（见 ChainFinding.code）")
    code_label: str = Field(description="薄弱环节名称（中文）")
    subject: str = Field(description="对象编码：统一社会信用代码、党组织、环节或产业链编码")
    subject_name: str = Field(description="对象名称")
    severity: Severity = Field(description="严重程度")
    detail: str = Field(description="说明与建议（中文）")
    action: str = Field(description="建议做法（中文，说明的最后一句）")


class ChainReport(_Model):
    """One industry chain of ``liangxin chains --format json``: three levels, three sides."""

    chain: str = Field(description="产业链编码")
    name: str = Field(description="产业链名称")
    lead_department: str | None = Field(description="牵头部门")
    park_committee: ParkCommittee | None = Field(
        description="第一级：园区党工委（园区企业党委）；没有时为 null"
    )
    committees: list[ChainCommittee] = Field(description="第二级：本链的产业链党委")
    sides_present: list[CommitteeSideName] = Field(description="三方进入：已有的成员类型")
    sides_missing: list[CommitteeSideName] = Field(description="三方进入：缺少的成员类型")
    enterprises: int = Field(description="链上在统计范围内的组织数")
    covered: int = Field(description="其中有党组织覆盖的")
    enterprise_orgs: list[EnterpriseOrg] = Field(description="第三级：覆盖链上组织的企业党组织")
    attached_formal: int = Field(description="隶属产业链党委的企业党组织数")
    attached_functional: int = Field(description="功能型纳入的企业党组织数")
    detached: int = Field(description="未纳入的企业党组织数")
    segments: list[SegmentRow] = Field(description="各环节覆盖，上游到下游")
    findings: list[ChainFinding] = Field(description="薄弱环节")


# -- pairing ---------------------------------------------------------------------------------


class PairingByType(_Model):
    """Existing pairings of one 共建类型."""

    type: str = Field(description="共建类型，如 机关—两新、公办—民办学校")
    pairs: int = Field(description="结对数")
    liangxin_orgs_paired: int = Field(description="涉及的两新党组织数")


class PairingByDistrict(_Model):
    """Pairing of the 两新 Party organizations of one district."""

    district: str = Field(description="区县（不详时为“（未知区县）”）")
    liangxin_orgs: int = Field(description="覆盖统计范围内组织的两新党组织数")
    liangxin_orgs_paired: int = Field(description="其中已结对的")
    paired_rate: float | None = Field(description="结对率" + _RATE)
    pairs: int = Field(description="涉及这些党组织的结对数")


class UnpairedRow(_Model):
    """One suggestion for an unpaired 两新 Party organization."""

    party_org: str = Field(description="未结对的两新党组织编码")
    name: str = Field(description="党组织名称")
    street: str | None = Field(description="街道编码（党组织自身的，或其覆盖组织最多的街道）")
    street_name: str | None = Field(description="街道名称")
    district: str | None = Field(description="区县")
    covers: int = Field(description="覆盖的统计范围内组织数")
    kinds: str = Field(description="覆盖组织的类型，以“、”分隔")
    categories: str = Field(description="覆盖组织的细分类别，以“、”分隔")
    rank: int | None = Field(description="建议序号；台账中没有可结对对象时为 null")
    suggested_type: str | None = Field(description="建议的共建类型")
    suggested_partner: str | None = Field(description="建议结对的党组织编码")
    partner_name: str | None = Field(description="建议结对的党组织名称")
    partner_pairings: int | None = Field(description="对方现有结对数")
    partner_suggested: int | None = Field(description="本清单中此前已建议给对方的次数")
    proximity: str | None = Field(
        description="远近：产业链牵头部门、同街道、同区县、市级、其他区县"
    )
    reason: str = Field(description="理由（中文）")


class PairingResult(_Model):
    """``liangxin pairing --format json``."""

    liangxin_orgs: int = Field(description="覆盖统计范围内组织的两新党组织数")
    liangxin_paired: int = Field(description="其中已结对共建的")
    paired_rate: float | None = Field(description="结对率" + _RATE)
    by_type: list[PairingByType] = Field(description="按共建类型")
    by_district: list[PairingByDistrict] = Field(description="按区县，结对率低的在前")
    unpaired: list[UnpairedRow] = Field(description="未结对的党组织和结对建议")


# -- plan ------------------------------------------------------------------------------------


class PlanRate(_Model):
    """One kind's rates today and after the plan."""

    kind: OrgKindName = Field(description="组织类型")
    total: int = Field(description="在统计范围内的组织数")
    org_covered_now: int = Field(description="现在有党组织覆盖的组织数")
    org_rate_now: float | None = Field(description="现在的组织覆盖率" + _RATE)
    org_covered_after: int = Field(description="方案实施后有党组织覆盖的组织数")
    org_rate_after: float | None = Field(description="方案实施后的组织覆盖率" + _RATE)
    work_rate_now: float | None = Field(description="现在的工作覆盖率" + _RATE)
    work_rate_after: float | None = Field(description="方案实施后的工作覆盖率" + _RATE)
    standalone_rate_now: float | None = Field(description="现在的单独组建率" + _RATE)
    standalone_rate_after: float | None = Field(description="方案实施后的单独组建率" + _RATE)


class StandaloneProposal(_Model):
    """An organization that should form its own Party organization (单独组建)."""

    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    kind: OrgKindName = Field(description="组织类型")
    street: str = Field(description="街道编码")
    street_name: str = Field(description="街道名称")
    employees: int = Field(description="从业人员数")
    formal_members: int = Field(description="正式党员数")
    level: PartyLevelName = Field(description="建议建立的党组织层级")
    reason: str = Field(description="理由（中文）")
    from_party_org: str | None = Field(
        description="现在联合覆盖它、它应从中分出单独组建的党组织编码；尚未覆盖的为空"
    )
    from_party_org_name: str | None = Field(description="该党组织名称")


class JointGroup(_Model):
    """A new joint Party organization the plan proposes (联合组建)."""

    group_id: str = Field(description="新联合党组织的临时编号，如 NEW-街道编码-01")
    street: str = Field(description="街道编码")
    street_name: str = Field(description="街道名称")
    mode: FormationModeName = Field(description="组建方式：楼宇共建、行业组建或区域合建")
    grouped_by: PlanGroupLevel = Field(
        description="成员的共同点：building 同楼宇、park 同园区、segment 同环节、"
        "chain 同产业链、category 同细分类别、industry 同行业门类、street 同街道"
    )
    size: int = Field(description="成员组织数")
    formal_members: int = Field(description="成员正式党员合计")
    members: list[str] = Field(description="成员的统一社会信用代码")
    member_names: list[str] = Field(description="成员名称")
    reason: str = Field(description="理由（中文）")


class Attachment(_Model):
    """An organization the plan puts into an existing Party organization."""

    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    street: str = Field(description="街道编码")
    street_name: str = Field(description="街道名称")
    formal_members: int = Field(description="正式党员数")
    party_org: str = Field(description="并入的党组织编码")
    party_org_name: str = Field(description="并入的党组织名称")
    mode: FormationModeName = Field(description="方式：楼宇共建、龙头领建、区域合建或兜底组建")
    reason: str = Field(description="理由（中文）")


class InstructorAssignment(_Model):
    """An organization without members: an instructor and members to develop."""

    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    street: str = Field(description="街道编码")
    street_name: str = Field(description="街道名称")
    employees: int = Field(description="从业人员数")
    formal_members: int = Field(description="正式党员数")
    instructor: str = Field(description="党建指导员编码；街道还没有指导员时为“待选派”")
    instructor_name: str | None = Field(description="党建指导员姓名")
    develop_members: int = Field(description="建立党组织前需发展的正式党员数")
    target: str = Field(description="发展目标（中文）")
    reason: str = Field(description="理由（中文）")


class PlanSplit(_Model):
    """A joint Party organization covering too many organizations, split (划小组建单元)."""

    party_org: str = Field(description="党组织编码")
    party_org_name: str = Field(description="党组织名称")
    street: str | None = Field(description="街道编码")
    street_name: str | None = Field(description="街道名称")
    covers: int = Field(description="覆盖的正常经营组织数（应单独组建的分出之后）")
    parts: list[list[str]] = Field(
        description="拆分后每个党组织的成员（统一社会信用代码）；第一个沿用原党组织"
    )
    part_names: list[list[str]] = Field(description="拆分后每个党组织的成员名称")
    reason: str = Field(description="理由（中文）")


class PlanSolver(_Model):
    """How exact the plan is: pools solved to proven optimality."""

    pools: int = Field(description="独立求解的片区数（一个街道，或园区连起来的几个街道）")
    optimal: int = Field(description="已证明最优的片区数")
    limited: int = Field(description="求解时限内未证明最优、采用已找到的最好方案的片区数")
    greedy: int = Field(description="求解时限内没有找到方案、采用贪心方案的片区数")
    largest: int = Field(description="最大片区的组织数")
    note: str = Field(description="说明（中文）")


class FormationPlan(_Model):
    """``liangxin plan --format json``: every uncovered organization gets one outcome."""

    rates: list[PlanRate] = Field(description="两类组织现在和方案实施后的覆盖率")
    standalone: list[StandaloneProposal] = Field(description="单独组建（含从联合党组织中分出的）")
    groups: list[JointGroup] = Field(description="新建联合党组织")
    attachments: list[Attachment] = Field(description="并入现有党组织")
    instructors: list[InstructorAssignment] = Field(description="选派指导员、发展党员")
    splits: list[PlanSplit] = Field(description="拆分覆盖组织过多的联合党组织")
    solver: PlanSolver = Field(description="方案求解情况")


# -- versions, status, summary, diff ---------------------------------------------------------


class VersionInfo(_Model):
    """One loaded version of the workspace."""

    id: str = Field(description="版本号（按导入时间命名，如 20261101-093000）")
    loaded_at: str = Field(description="导入时间，ISO 8601 格式，带时区")
    source: str = Field(description="来源文件")
    checksum: str = Field(description="来源文件的 SHA-256 校验和")
    counts: dict[str, int] = Field(description="各表行数，键为表的英文名，如 organizations")
    present: list[str] = Field(description="台账中有的表（英文名）")
    warnings: int = Field(description="导入时的提醒条数")
    format: int = Field(description="工作区存储格式的版本")
    extra: dict[str, Any] = Field(description="其他信息")


class VersionListed(VersionInfo):
    """One version as ``liangxin versions --format json`` lists it."""

    current: bool = Field(description="是否为当前版本")


class WorkspaceStatus(VersionInfo):
    """The workspace and its current version, as ``liangxin status --format json`` gives them
    but without absolute paths: the folder's name and the source's file name."""

    source: str = Field(description="来源文件名（不含文件夹）")
    workspace: str = Field(description="工作区文件夹的名称（不含上级文件夹）")


class KindOverview(_Model):
    """One kind of organization in the summary."""

    kind: OrgKindName = Field(description="组织类型")
    listed: int = Field(description="台账中的组织数（任何经营状态）")
    total: int = Field(description="经营状态正常的组织数")
    org_covered: int = Field(description="其中有党组织覆盖的")
    org_rate: float | None = Field(description="组织覆盖率" + _RATE)
    work_rate: float | None = Field(description="工作覆盖率" + _RATE)


class CountRow(_Model):
    """How many nodes or relations of one kind the graph has."""

    kind: str = Field(description="类型的英文名，如 Organization、COVERS")
    label_zh: str = Field(description="类型的中文名")
    count: int = Field(description="数量")


class Summary(_Model):
    """``liangxin summary --format json``."""

    source: str = Field(description="数据来源")
    organizations: list[KindOverview] = Field(description="两类组织的数量和覆盖")
    nodes: list[CountRow] = Field(description="图谱中各类节点的数量")
    edges: list[CountRow] = Field(description="图谱中各类关系的数量")


class DiffHeadline(_Model):
    """One kind's headline figures then and now."""

    kind: OrgKindName = Field(description="组织类型")
    total_then: int = Field(description="上期在统计范围内的组织数")
    org_covered_then: int = Field(description="上期有党组织覆盖的")
    work_covered_then: int = Field(description="上期党的工作覆盖的")
    standalone_then: int = Field(description="上期单独组建的")
    org_rate_then: float | None = Field(description="上期组织覆盖率" + _RATE)
    work_rate_then: float | None = Field(description="上期工作覆盖率" + _RATE)
    standalone_rate_then: float | None = Field(description="上期单独组建率" + _RATE)
    total_now: int = Field(description="本期在统计范围内的组织数")
    org_covered_now: int = Field(description="本期有党组织覆盖的")
    work_covered_now: int = Field(description="本期党的工作覆盖的")
    standalone_now: int = Field(description="本期单独组建的")
    org_rate_now: float | None = Field(description="本期组织覆盖率" + _RATE)
    work_rate_now: float | None = Field(description="本期工作覆盖率" + _RATE)
    standalone_rate_now: float | None = Field(description="本期单独组建率" + _RATE)
    org_rate_change: float | None = Field(description="组织覆盖率变化（百分点）")
    work_rate_change: float | None = Field(description="工作覆盖率变化（百分点）")


class RateChange(_Model):
    """Organization coverage of one street or chain and kind, then and now."""

    group: str = Field(description="街道或产业链编码")
    group_name: str = Field(description="街道或产业链名称")
    kind: OrgKindName = Field(description="组织类型")
    total_then: int = Field(description="上期组织数（上期没有时为 0）")
    org_covered_then: int = Field(description="上期其中有党组织覆盖的（上期没有时为 0）")
    org_rate_then: float | None = Field(description="上期组织覆盖率；上期没有时为 null")
    total_now: int = Field(description="本期组织数（本期没有时为 0）")
    org_covered_now: int = Field(description="本期其中有党组织覆盖的（本期没有时为 0）")
    org_rate_now: float | None = Field(description="本期组织覆盖率；本期没有时为 null")
    change: float | None = Field(description="变化（百分点）；只在一期出现时为 null")


class DiffOrganization(_Model):
    """An organization in only one of the two versions."""

    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    kind: OrgKindName = Field(description="组织类型")
    street: str = Field(description="街道编码")
    street_name: str = Field(description="街道名称（没有名称时同编码）")
    status: OrgStatusName = Field(description="经营状态")
    in_scope: bool = Field(description="是否在统计范围内")
    covered: bool = Field(description="是否有党组织覆盖")


class CoverageChange(_Model):
    """An organization whose counted coverage changed between the versions."""

    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    kind: OrgKindName = Field(description="组织类型")
    street: str = Field(description="街道编码")
    street_name: str = Field(description="街道名称（没有名称时同编码）")
    chain: str | None = Field(description="产业链编码（通过产业链环节；没有时为 null）")
    chain_name: str | None = Field(description="产业链名称")
    new_org: bool = Field(description="是否为本期新增的组织")
    in_scope_then: bool = Field(description="上期是否在统计范围内")
    party_org_then: str | None = Field(description="上期覆盖它的党组织编码")
    party_org_then_name: str | None = Field(description="上期覆盖它的党组织名称")
    party_org_now: str | None = Field(description="本期覆盖它的党组织编码")
    party_org_now_name: str | None = Field(description="本期覆盖它的党组织名称")
    moved: bool = Field(description="是否也在“迁移的组织”中（街道、楼宇、园区、产业链或类型变了）")
    reason: str = Field(description="说明（中文）")


class MovedOrganization(_Model):
    """An organization counted in both versions whose street, building, park, chain or kind
    changed: the places then and now."""

    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    kind_then: OrgKindName = Field(description="上期组织类型")
    kind: OrgKindName = Field(description="本期组织类型")
    street_then: str = Field(description="上期街道编码")
    street_then_name: str = Field(description="上期街道名称（没有名称时同编码）")
    street_now: str = Field(description="本期街道编码")
    street_now_name: str = Field(description="本期街道名称（没有名称时同编码）")
    building_then: str | None = Field(description="上期楼宇编码")
    building_then_name: str | None = Field(description="上期楼宇名称")
    building_now: str | None = Field(description="本期楼宇编码")
    building_now_name: str | None = Field(description="本期楼宇名称")
    park_then: str | None = Field(description="上期园区编码")
    park_then_name: str | None = Field(description="上期园区名称")
    park_now: str | None = Field(description="本期园区编码")
    park_now_name: str | None = Field(description="本期园区名称")
    chain_then: str | None = Field(description="上期产业链编码（通过产业链环节）")
    chain_then_name: str | None = Field(description="上期产业链名称")
    chain_now: str | None = Field(description="本期产业链编码")
    chain_now_name: str | None = Field(description="本期产业链名称")
    covered_then: bool = Field(description="上期是否有党组织覆盖")
    covered_now: bool = Field(description="本期是否有党组织覆盖")
    reason: str = Field(description="变化说明（中文），如“街道：东湖街道 → 马坡岭街道”")


class ScopeChange(_Model):
    """An organization that left the scope (counted then, not now) or entered it (counted
    now, not then), where it was counted and why."""

    uscc: str = Field(description="统一社会信用代码")
    name: str = Field(description="组织名称")
    kind: OrgKindName = Field(description="组织类型（移出的为上期的，纳入的为本期的）")
    street: str = Field(description="街道编码（移出的为上期所在，纳入的为本期所在）")
    street_name: str = Field(description="街道名称（没有名称时同编码）")
    chain: str | None = Field(description="产业链编码（通过产业链环节）")
    chain_name: str | None = Field(description="产业链名称")
    covered: bool = Field(description="计入统计时是否有党组织覆盖")
    party_org: str | None = Field(description="计入统计时覆盖它的党组织编码")
    party_org_name: str | None = Field(description="计入统计时覆盖它的党组织名称")
    status_then: OrgStatusName | None = Field(description="上期经营状态；上期台账没有时为 null")
    status_now: OrgStatusName | None = Field(description="本期经营状态；本期台账没有时为 null")
    employees_then: int | None = Field(description="上期从业人员数；上期台账没有时为 null")
    employees_now: int | None = Field(description="本期从业人员数；本期台账没有时为 null")
    cause: Literal["removed", "added", "status", "staff"] = Field(
        description="原因：removed 本期台账中已没有，added 本期新增，"
        "status 经营状态变化（注销、僵尸企业、空壳，或恢复正常），staff 从业人员低于或达到统计下限"
    )
    reason: str = Field(description="原因说明（中文）")


class VersionDiff(_Model):
    """``liangxin diff --format json``: what changed from one version to another (月调度)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    from_: str = Field(alias="from", description="较早的版本号")
    to: str = Field(description="较新的版本号")
    headline: list[DiffHeadline] = Field(description="两类组织的覆盖率，上期与本期")
    streets: list[RateChange] = Field(description="各街道组织覆盖率的变化，降幅大的在前")
    chains: list[RateChange] = Field(description="各产业链组织覆盖率的变化，降幅大的在前")
    moved: list[MovedOrganization] = Field(
        description="迁移的组织：两期都在统计范围内，街道、楼宇、园区、产业链或组织类型变了"
    )
    left_scope: list[ScopeChange] = Field(
        description="移出统计范围的组织：上期计入、本期不计入（台账中删除、经营状态变化、从业人员不足）"
    )
    entered_scope: list[ScopeChange] = Field(
        description="纳入统计范围的组织：本期计入、上期不计入（新增、恢复正常、从业人员达到下限）"
    )
    added: list[DiffOrganization] = Field(description="新增的组织")
    removed: list[DiffOrganization] = Field(description="减少的组织")
    newly_uncovered: list[CoverageChange] = Field(
        description="新出现的未覆盖组织（本期在统计范围内、没有党组织覆盖）"
    )
    newly_covered: list[CoverageChange] = Field(description="新覆盖的组织")
