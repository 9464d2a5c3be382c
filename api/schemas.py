"""Response models of the JSON API: the same field names as ``liangxin … --format json``.

Each model mirrors one analysis result (a DataFrame's columns or a dataclass's fields) and
documents every field in Chinese for the OpenAPI page (the planners' IT staff read it), in
the words of the column catalogue (:mod:`graph.columns`): each model's fields are described by
one of its tables (``_field(LEADS, "rank")``). Missing values are ``null``; rates are
percentages with two decimals, ``null`` where the denominator is 0. ``tests/test_api.py``
checks that each model's fields are exactly the columns of the analysis it mirrors, so a new
column cannot be left out silently; ``tests/test_columns.py`` that they are exactly its
catalogue table's.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.columns import Columns
from graph.columns.chains import (
    CHAIN_COMMITTEES,
    CHAINS,
    COMMITTEE_MEMBERS,
    ENTERPRISE_ORGS,
    FINDING_ROWS,
    FINDINGS,
    PARK_COMMITTEE,
    SEGMENTS,
)
from graph.columns.clusters import CLUSTERS
from graph.columns.coverage import COVERAGE
from graph.columns.diff import (
    COVERAGE_CHANGES,
    DIFF,
    DIFF_ORGS,
    HEADLINE,
    MOVED,
    RATE_CHANGES,
    SCOPE_CHANGES,
)
from graph.columns.flags import FLAGS
from graph.columns.leads import LEADS
from graph.columns.pairing import PAIRING, PAIRING_BY_DISTRICT, PAIRING_BY_TYPE, UNPAIRED
from graph.columns.partners import PARTNER_SUBJECT, PARTNERS, PARTNERS_RESULT
from graph.columns.plan import (
    ATTACHMENTS,
    INSTRUCTORS,
    JOINT_GROUPS,
    PLAN,
    PLAN_RATES,
    SOLVER,
    SPLITS,
    STANDALONE,
)
from graph.columns.search import SEARCH_HITS
from graph.columns.summary import COUNTS, KIND_OVERVIEW, SUMMARY
from graph.columns.versions import VERSIONS, VERSIONS_LISTED, WORKSPACE_STATUS

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
    "SearchHit",
    "SearchResult",
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


def _field(columns: Columns, key: str, **kwargs: Any) -> Any:
    """A model field described as the catalogue describes the column ``key`` of ``columns``."""
    return Field(description=columns.column(key).description, **kwargs)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ApiError(BaseModel):
    """An error answer: what went wrong, in Chinese."""

    detail: str = Field(description="错误说明（中文）：哪里不对、该怎么做")


# -- coverage / flags ------------------------------------------------------------------------


class CoverageRow(_Model):
    """One row of ``liangxin coverage``: one kind of organization, overall or in one group."""

    group: str | None = _field(COVERAGE, "group", default=None)
    group_name: str | None = _field(COVERAGE, "group_name", default=None)
    kind: OrgKindName = _field(COVERAGE, "kind")
    total: int = _field(COVERAGE, "total")
    org_covered: int = _field(COVERAGE, "org_covered")
    work_covered: int = _field(COVERAGE, "work_covered")
    standalone: int = _field(COVERAGE, "standalone")
    with_members: int = _field(COVERAGE, "with_members")
    org_rate: float | None = _field(COVERAGE, "org_rate")
    work_rate: float | None = _field(COVERAGE, "work_rate")
    standalone_rate: float | None = _field(COVERAGE, "standalone_rate")


class FlagRow(_Model):
    """One finding of ``liangxin flags``."""

    code: FlagCode = _field(FLAGS, "code")
    code_label: str = _field(FLAGS, "code_label")
    subject: str = _field(FLAGS, "subject")
    subject_kind: Literal["organization", "party_org"] = _field(FLAGS, "subject_kind")
    name: str = _field(FLAGS, "name")
    street: str | None = _field(FLAGS, "street")
    street_name: str | None = _field(FLAGS, "street_name")
    district: str | None = _field(FLAGS, "district")
    detail: str = _field(FLAGS, "detail")


# -- clusters / partners / leads -------------------------------------------------------------


class ClusterRow(_Model):
    """One cluster of uncovered organizations (``liangxin clusters``)."""

    cluster_id: str = _field(CLUSTERS, "cluster_id")
    level: ClusterLevel = _field(CLUSTERS, "level")
    district: str | None = _field(CLUSTERS, "district")
    street: str = _field(CLUSTERS, "street")
    street_name: str | None = _field(CLUSTERS, "street_name")
    park: str | None = _field(CLUSTERS, "park")
    park_name: str | None = _field(CLUSTERS, "park_name")
    building: str | None = _field(CLUSTERS, "building")
    building_name: str | None = _field(CLUSTERS, "building_name")
    chain: str | None = _field(CLUSTERS, "chain")
    chain_name: str | None = _field(CLUSTERS, "chain_name")
    category: str | None = _field(CLUSTERS, "category")
    members: list[str] = _field(CLUSTERS, "members")
    member_names: list[str] = _field(CLUSTERS, "member_names")
    size: int = _field(CLUSTERS, "size")
    formal_members: int = _field(CLUSTERS, "formal_members")
    joint_formal_members: int = _field(CLUSTERS, "joint_formal_members")
    feasible: bool = _field(CLUSTERS, "feasible")
    standalone_eligible: list[str] = _field(CLUSTERS, "standalone_eligible")
    mode: FormationModeName = _field(CLUSTERS, "mode")
    reason: str = _field(CLUSTERS, "reason")
    taker: str | None = _field(CLUSTERS, "taker")
    taker_name: str | None = _field(CLUSTERS, "taker_name")
    taker_kind: TakerKind | None = _field(CLUSTERS, "taker_kind")
    taker_reason: str | None = _field(CLUSTERS, "taker_reason")


class PartnerSubject(_Model):
    """The organization partners are sought for."""

    uscc: str = _field(PARTNER_SUBJECT, "uscc")
    name: str = _field(PARTNER_SUBJECT, "name")
    party_org: str | None = _field(PARTNER_SUBJECT, "party_org")
    covered: bool = _field(PARTNER_SUBJECT, "covered")
    formal_members: int = _field(PARTNER_SUBJECT, "formal_members")


class PartnerRow(_Model):
    """One suggested partner of ``liangxin partners``."""

    rank: int = _field(PARTNERS, "rank")
    candidate: str = _field(PARTNERS, "candidate")
    candidate_kind: Literal["organization", "party_org"] = _field(PARTNERS, "candidate_kind")
    name: str = _field(PARTNERS, "name")
    feasible: bool = _field(PARTNERS, "feasible")
    score: float = _field(PARTNERS, "score")
    proximity_score: float = _field(PARTNERS, "proximity_score")
    distance_score: float = _field(PARTNERS, "distance_score")
    similarity_score: float = _field(PARTNERS, "similarity_score")
    members_score: float = _field(PARTNERS, "members_score")
    size_score: float = _field(PARTNERS, "size_score")
    distance_km: float | None = _field(PARTNERS, "distance_km")
    formal_members: int = _field(PARTNERS, "formal_members")
    together_formal_members: int = _field(PARTNERS, "together_formal_members")
    group_size: int = _field(PARTNERS, "group_size")
    completed_with: list[str] = _field(PARTNERS, "completed_with")
    reason: str = _field(PARTNERS, "reason")


class PartnersResult(_Model):
    """``liangxin partners UNIFIED-CODE --format json``."""

    subject: PartnerSubject = _field(PARTNERS_RESULT, "subject")
    note: str | None = _field(PARTNERS_RESULT, "note")
    rows: list[PartnerRow] = _field(PARTNERS_RESULT, "rows")


class LeadRow(_Model):
    """One candidate lead enterprise of ``liangxin leads`` (龙头领建)."""

    rank: int = _field(LEADS, "rank")
    uscc: str = _field(LEADS, "uscc")
    name: str = _field(LEADS, "name")
    chain: str = _field(LEADS, "chain")
    chain_name: str = _field(LEADS, "chain_name")
    segment: str = _field(LEADS, "segment")
    segment_name: str = _field(LEADS, "segment_name")
    party_org: str = _field(LEADS, "party_org")
    level: PartyLevelName = _field(LEADS, "level")
    members: int = _field(LEADS, "members")
    employees: int = _field(LEADS, "employees")
    takes_now: int = _field(LEADS, "takes_now")
    weak_lax: bool = _field(LEADS, "weak_lax")
    room: int = _field(LEADS, "room")
    room_members: int | None = _field(LEADS, "room_members")
    supply_degree: int = _field(LEADS, "supply_degree")
    score: float = _field(LEADS, "score")
    level_score: float = _field(LEADS, "level_score")
    members_score: float = _field(LEADS, "members_score")
    size_score: float = _field(LEADS, "size_score")
    centrality_score: float = _field(LEADS, "centrality_score")
    reach_score: float = _field(LEADS, "reach_score")
    reach: list[str] = _field(LEADS, "reach")
    reach_count: int = _field(LEADS, "reach_count")
    reach_joinable: int = _field(LEADS, "reach_joinable")
    reach_supply: int = _field(LEADS, "reach_supply")
    reach_segment: int = _field(LEADS, "reach_segment")
    reach_place: int = _field(LEADS, "reach_place")
    reason: str = _field(LEADS, "reason")


# -- chains ----------------------------------------------------------------------------------


class ParkCommittee(_Model):
    """The first level: the park committee a chain committee is subordinate to."""

    code: str = _field(PARK_COMMITTEE, "code")
    name: str = _field(PARK_COMMITTEE, "name")


class CommitteeMember(_Model):
    """One member unit of a chain committee (三方进入)."""

    side: CommitteeSideName = _field(COMMITTEE_MEMBERS, "side")
    member: str | None = _field(COMMITTEE_MEMBERS, "member")
    name: str = _field(COMMITTEE_MEMBERS, "name")


class ChainCommittee(_Model):
    """The second level: one 产业链党委."""

    code: str = _field(CHAIN_COMMITTEES, "code")
    name: str = _field(CHAIN_COMMITTEES, "name")
    level: PartyLevelName | None = _field(CHAIN_COMMITTEES, "level")
    has_secretary: bool = _field(CHAIN_COMMITTEES, "has_secretary")
    parent: str | None = _field(CHAIN_COMMITTEES, "parent")
    parent_name: str | None = _field(CHAIN_COMMITTEES, "parent_name")
    parent_is_park: bool = _field(CHAIN_COMMITTEES, "parent_is_park")
    members: list[CommitteeMember] = _field(CHAIN_COMMITTEES, "members")
    sides_present: list[CommitteeSideName] = _field(CHAIN_COMMITTEES, "sides_present")
    sides_missing: list[CommitteeSideName] = _field(CHAIN_COMMITTEES, "sides_missing")


class EnterpriseOrg(_Model):
    """The third level: an enterprise Party organization covering chain organizations."""

    party_org: str = _field(ENTERPRISE_ORGS, "party_org")
    name: str = _field(ENTERPRISE_ORGS, "name")
    attachment: EnterpriseAttachment = _field(ENTERPRISE_ORGS, "attachment")
    organizations: list[str] = _field(ENTERPRISE_ORGS, "organizations")


class SegmentRow(_Model):
    """Coverage of one chain segment (产业链环节)."""

    chain: str = _field(SEGMENTS, "chain")
    chain_name: str = _field(SEGMENTS, "chain_name")
    segment: str = _field(SEGMENTS, "segment")
    name: str = _field(SEGMENTS, "name")
    position: SegmentPositionName | None = _field(SEGMENTS, "position")
    order: int | None = _field(SEGMENTS, "order")
    enterprises: int = _field(SEGMENTS, "enterprises")
    covered: int = _field(SEGMENTS, "covered")
    own_organization: int = _field(SEGMENTS, "own_organization")
    org_rate: float | None = _field(SEGMENTS, "org_rate")


class ChainFinding(_Model):
    """One weak link of a chain (产业链薄弱环节)."""

    chain: str = _field(FINDINGS, "chain")
    chain_name: str = _field(FINDINGS, "chain_name")
    code: ChainFindingCode = _field(FINDINGS, "code")
    subject: str = _field(FINDINGS, "subject")
    subject_name: str = _field(FINDINGS, "subject_name")
    severity: Severity = _field(FINDINGS, "severity")
    detail: str = _field(FINDINGS, "detail")
    action: str = _field(FINDINGS, "action")


class ChainFindingRow(_Model):
    """One row of ``GET /api/chains/findings``: a finding with its Chinese name."""

    chain: str = _field(FINDING_ROWS, "chain")
    chain_name: str = _field(FINDING_ROWS, "chain_name")
    code: ChainFindingCode = _field(FINDING_ROWS, "code")
    code_label: str = _field(FINDING_ROWS, "code_label")
    subject: str = _field(FINDING_ROWS, "subject")
    subject_name: str = _field(FINDING_ROWS, "subject_name")
    severity: Severity = _field(FINDING_ROWS, "severity")
    detail: str = _field(FINDING_ROWS, "detail")
    action: str = _field(FINDING_ROWS, "action")


class ChainReport(_Model):
    """One industry chain of ``liangxin chains --format json``: three levels, three sides."""

    chain: str = _field(CHAINS, "chain")
    name: str = _field(CHAINS, "name")
    lead_department: str | None = _field(CHAINS, "lead_department")
    park_committee: ParkCommittee | None = _field(CHAINS, "park_committee")
    committees: list[ChainCommittee] = _field(CHAINS, "committees")
    sides_present: list[CommitteeSideName] = _field(CHAINS, "sides_present")
    sides_missing: list[CommitteeSideName] = _field(CHAINS, "sides_missing")
    enterprises: int = _field(CHAINS, "enterprises")
    covered: int = _field(CHAINS, "covered")
    enterprise_orgs: list[EnterpriseOrg] = _field(CHAINS, "enterprise_orgs")
    attached_formal: int = _field(CHAINS, "attached_formal")
    attached_functional: int = _field(CHAINS, "attached_functional")
    detached: int = _field(CHAINS, "detached")
    segments: list[SegmentRow] = _field(CHAINS, "segments")
    findings: list[ChainFinding] = _field(CHAINS, "findings")


# -- pairing ---------------------------------------------------------------------------------


class PairingByType(_Model):
    """Existing pairings of one 共建类型."""

    type: str = _field(PAIRING_BY_TYPE, "type")
    pairs: int = _field(PAIRING_BY_TYPE, "pairs")
    liangxin_orgs_paired: int = _field(PAIRING_BY_TYPE, "liangxin_orgs_paired")


class PairingByDistrict(_Model):
    """Pairing of the 两新 Party organizations of one district."""

    district: str = _field(PAIRING_BY_DISTRICT, "district")
    liangxin_orgs: int = _field(PAIRING_BY_DISTRICT, "liangxin_orgs")
    liangxin_orgs_paired: int = _field(PAIRING_BY_DISTRICT, "liangxin_orgs_paired")
    paired_rate: float | None = _field(PAIRING_BY_DISTRICT, "paired_rate")
    pairs: int = _field(PAIRING_BY_DISTRICT, "pairs")


class UnpairedRow(_Model):
    """One suggestion for an unpaired 两新 Party organization."""

    party_org: str = _field(UNPAIRED, "party_org")
    name: str = _field(UNPAIRED, "name")
    street: str | None = _field(UNPAIRED, "street")
    street_name: str | None = _field(UNPAIRED, "street_name")
    district: str | None = _field(UNPAIRED, "district")
    covers: int = _field(UNPAIRED, "covers")
    kinds: str = _field(UNPAIRED, "kinds")
    categories: str = _field(UNPAIRED, "categories")
    rank: int | None = _field(UNPAIRED, "rank")
    suggested_type: str | None = _field(UNPAIRED, "suggested_type")
    suggested_partner: str | None = _field(UNPAIRED, "suggested_partner")
    partner_name: str | None = _field(UNPAIRED, "partner_name")
    partner_pairings: int | None = _field(UNPAIRED, "partner_pairings")
    partner_suggested: int | None = _field(UNPAIRED, "partner_suggested")
    proximity: str | None = _field(UNPAIRED, "proximity")
    reason: str = _field(UNPAIRED, "reason")


class PairingResult(_Model):
    """``liangxin pairing --format json``."""

    liangxin_orgs: int = _field(PAIRING, "liangxin_orgs")
    liangxin_paired: int = _field(PAIRING, "liangxin_paired")
    paired_rate: float | None = _field(PAIRING, "paired_rate")
    by_type: list[PairingByType] = _field(PAIRING, "by_type")
    by_district: list[PairingByDistrict] = _field(PAIRING, "by_district")
    unpaired: list[UnpairedRow] = _field(PAIRING, "unpaired")


# -- plan ------------------------------------------------------------------------------------


class PlanRate(_Model):
    """One kind's rates today and after the plan."""

    kind: OrgKindName = _field(PLAN_RATES, "kind")
    total: int = _field(PLAN_RATES, "total")
    org_covered_now: int = _field(PLAN_RATES, "org_covered_now")
    org_rate_now: float | None = _field(PLAN_RATES, "org_rate_now")
    org_covered_after: int = _field(PLAN_RATES, "org_covered_after")
    org_rate_after: float | None = _field(PLAN_RATES, "org_rate_after")
    work_rate_now: float | None = _field(PLAN_RATES, "work_rate_now")
    work_rate_after: float | None = _field(PLAN_RATES, "work_rate_after")
    standalone_rate_now: float | None = _field(PLAN_RATES, "standalone_rate_now")
    standalone_rate_after: float | None = _field(PLAN_RATES, "standalone_rate_after")


class StandaloneProposal(_Model):
    """An organization that should form its own Party organization (单独组建)."""

    uscc: str = _field(STANDALONE, "uscc")
    name: str = _field(STANDALONE, "name")
    kind: OrgKindName = _field(STANDALONE, "kind")
    street: str = _field(STANDALONE, "street")
    street_name: str = _field(STANDALONE, "street_name")
    employees: int = _field(STANDALONE, "employees")
    formal_members: int = _field(STANDALONE, "formal_members")
    level: PartyLevelName = _field(STANDALONE, "level")
    reason: str = _field(STANDALONE, "reason")
    from_party_org: str | None = _field(STANDALONE, "from_party_org")
    from_party_org_name: str | None = _field(STANDALONE, "from_party_org_name")


class JointGroup(_Model):
    """A new joint Party organization the plan proposes (联合组建)."""

    group_id: str = _field(JOINT_GROUPS, "group_id")
    street: str = _field(JOINT_GROUPS, "street")
    street_name: str = _field(JOINT_GROUPS, "street_name")
    mode: FormationModeName = _field(JOINT_GROUPS, "mode")
    grouped_by: PlanGroupLevel = _field(JOINT_GROUPS, "grouped_by")
    size: int = _field(JOINT_GROUPS, "size")
    formal_members: int = _field(JOINT_GROUPS, "formal_members")
    members: list[str] = _field(JOINT_GROUPS, "members")
    member_names: list[str] = _field(JOINT_GROUPS, "member_names")
    reason: str = _field(JOINT_GROUPS, "reason")


class Attachment(_Model):
    """An organization the plan puts into an existing Party organization."""

    uscc: str = _field(ATTACHMENTS, "uscc")
    name: str = _field(ATTACHMENTS, "name")
    street: str = _field(ATTACHMENTS, "street")
    street_name: str = _field(ATTACHMENTS, "street_name")
    formal_members: int = _field(ATTACHMENTS, "formal_members")
    party_org: str = _field(ATTACHMENTS, "party_org")
    party_org_name: str = _field(ATTACHMENTS, "party_org_name")
    mode: FormationModeName = _field(ATTACHMENTS, "mode")
    reason: str = _field(ATTACHMENTS, "reason")


class InstructorAssignment(_Model):
    """An organization without members: an instructor and members to develop."""

    uscc: str = _field(INSTRUCTORS, "uscc")
    name: str = _field(INSTRUCTORS, "name")
    street: str = _field(INSTRUCTORS, "street")
    street_name: str = _field(INSTRUCTORS, "street_name")
    employees: int = _field(INSTRUCTORS, "employees")
    formal_members: int = _field(INSTRUCTORS, "formal_members")
    instructor: str = _field(INSTRUCTORS, "instructor")
    instructor_name: str | None = _field(INSTRUCTORS, "instructor_name")
    develop_members: int = _field(INSTRUCTORS, "develop_members")
    target: str = _field(INSTRUCTORS, "target")
    reason: str = _field(INSTRUCTORS, "reason")


class PlanSplit(_Model):
    """A joint Party organization covering too many organizations, split (划小组建单元)."""

    party_org: str = _field(SPLITS, "party_org")
    party_org_name: str = _field(SPLITS, "party_org_name")
    street: str | None = _field(SPLITS, "street")
    street_name: str | None = _field(SPLITS, "street_name")
    covers: int = _field(SPLITS, "covers")
    parts: list[list[str]] = _field(SPLITS, "parts")
    part_names: list[list[str]] = _field(SPLITS, "part_names")
    reason: str = _field(SPLITS, "reason")


class PlanSolver(_Model):
    """How exact the plan is: pools solved to proven optimality."""

    pools: int = _field(SOLVER, "pools")
    optimal: int = _field(SOLVER, "optimal")
    limited: int = _field(SOLVER, "limited")
    greedy: int = _field(SOLVER, "greedy")
    largest: int = _field(SOLVER, "largest")
    note: str = _field(SOLVER, "note")


class FormationPlan(_Model):
    """``liangxin plan --format json``: every uncovered organization gets one outcome."""

    rates: list[PlanRate] = _field(PLAN, "rates")
    standalone: list[StandaloneProposal] = _field(PLAN, "standalone")
    groups: list[JointGroup] = _field(PLAN, "groups")
    attachments: list[Attachment] = _field(PLAN, "attachments")
    instructors: list[InstructorAssignment] = _field(PLAN, "instructors")
    splits: list[PlanSplit] = _field(PLAN, "splits")
    solver: PlanSolver = _field(PLAN, "solver")


# -- versions, status, summary, diff ---------------------------------------------------------


class VersionInfo(_Model):
    """One loaded version of the workspace."""

    id: str = _field(VERSIONS, "id")
    loaded_at: str = _field(VERSIONS, "loaded_at")
    source: str = _field(VERSIONS, "source")
    checksum: str = _field(VERSIONS, "checksum")
    counts: dict[str, int] = _field(VERSIONS, "counts")
    present: list[str] = _field(VERSIONS, "present")
    warnings: int = _field(VERSIONS, "warnings")
    format: int = _field(VERSIONS, "format")
    extra: dict[str, Any] = _field(VERSIONS, "extra")


class VersionListed(VersionInfo):
    """One version as ``liangxin versions --format json`` lists it."""

    current: bool = _field(VERSIONS_LISTED, "current")


class WorkspaceStatus(VersionInfo):
    """The workspace and its current version, as ``liangxin status --format json`` gives them
    but without absolute paths: the folder's name and the source's file name."""

    source: str = _field(WORKSPACE_STATUS, "source")
    workspace: str = _field(WORKSPACE_STATUS, "workspace")


class KindOverview(_Model):
    """One kind of organization in the summary."""

    kind: OrgKindName = _field(KIND_OVERVIEW, "kind")
    listed: int = _field(KIND_OVERVIEW, "listed")
    total: int = _field(KIND_OVERVIEW, "total")
    org_covered: int = _field(KIND_OVERVIEW, "org_covered")
    org_rate: float | None = _field(KIND_OVERVIEW, "org_rate")
    work_rate: float | None = _field(KIND_OVERVIEW, "work_rate")


class CountRow(_Model):
    """How many nodes or relations of one kind the graph has."""

    kind: str = _field(COUNTS, "kind")
    label_zh: str = _field(COUNTS, "label_zh")
    count: int = _field(COUNTS, "count")


class Summary(_Model):
    """``liangxin summary --format json``."""

    source: str = _field(SUMMARY, "source")
    organizations: list[KindOverview] = _field(SUMMARY, "organizations")
    nodes: list[CountRow] = _field(SUMMARY, "nodes")
    edges: list[CountRow] = _field(SUMMARY, "edges")


class DiffHeadline(_Model):
    """One kind's headline figures then and now."""

    kind: OrgKindName = _field(HEADLINE, "kind")
    total_then: int = _field(HEADLINE, "total_then")
    org_covered_then: int = _field(HEADLINE, "org_covered_then")
    work_covered_then: int = _field(HEADLINE, "work_covered_then")
    standalone_then: int = _field(HEADLINE, "standalone_then")
    org_rate_then: float | None = _field(HEADLINE, "org_rate_then")
    work_rate_then: float | None = _field(HEADLINE, "work_rate_then")
    standalone_rate_then: float | None = _field(HEADLINE, "standalone_rate_then")
    total_now: int = _field(HEADLINE, "total_now")
    org_covered_now: int = _field(HEADLINE, "org_covered_now")
    work_covered_now: int = _field(HEADLINE, "work_covered_now")
    standalone_now: int = _field(HEADLINE, "standalone_now")
    org_rate_now: float | None = _field(HEADLINE, "org_rate_now")
    work_rate_now: float | None = _field(HEADLINE, "work_rate_now")
    standalone_rate_now: float | None = _field(HEADLINE, "standalone_rate_now")
    org_rate_change: float | None = _field(HEADLINE, "org_rate_change")
    work_rate_change: float | None = _field(HEADLINE, "work_rate_change")


class RateChange(_Model):
    """Organization coverage of one street or chain and kind, then and now."""

    group: str = _field(RATE_CHANGES, "group")
    group_name: str = _field(RATE_CHANGES, "group_name")
    kind: OrgKindName = _field(RATE_CHANGES, "kind")
    total_then: int = _field(RATE_CHANGES, "total_then")
    org_covered_then: int = _field(RATE_CHANGES, "org_covered_then")
    org_rate_then: float | None = _field(RATE_CHANGES, "org_rate_then")
    total_now: int = _field(RATE_CHANGES, "total_now")
    org_covered_now: int = _field(RATE_CHANGES, "org_covered_now")
    org_rate_now: float | None = _field(RATE_CHANGES, "org_rate_now")
    change: float | None = _field(RATE_CHANGES, "change")


class DiffOrganization(_Model):
    """An organization in only one of the two versions."""

    uscc: str = _field(DIFF_ORGS, "uscc")
    name: str = _field(DIFF_ORGS, "name")
    kind: OrgKindName = _field(DIFF_ORGS, "kind")
    street: str = _field(DIFF_ORGS, "street")
    street_name: str = _field(DIFF_ORGS, "street_name")
    status: OrgStatusName = _field(DIFF_ORGS, "status")
    in_scope: bool = _field(DIFF_ORGS, "in_scope")
    covered: bool = _field(DIFF_ORGS, "covered")


class CoverageChange(_Model):
    """An organization whose counted coverage changed between the versions."""

    uscc: str = _field(COVERAGE_CHANGES, "uscc")
    name: str = _field(COVERAGE_CHANGES, "name")
    kind: OrgKindName = _field(COVERAGE_CHANGES, "kind")
    street: str = _field(COVERAGE_CHANGES, "street")
    street_name: str = _field(COVERAGE_CHANGES, "street_name")
    chain: str | None = _field(COVERAGE_CHANGES, "chain")
    chain_name: str | None = _field(COVERAGE_CHANGES, "chain_name")
    new_org: bool = _field(COVERAGE_CHANGES, "new_org")
    in_scope_then: bool = _field(COVERAGE_CHANGES, "in_scope_then")
    party_org_then: str | None = _field(COVERAGE_CHANGES, "party_org_then")
    party_org_then_name: str | None = _field(COVERAGE_CHANGES, "party_org_then_name")
    party_org_now: str | None = _field(COVERAGE_CHANGES, "party_org_now")
    party_org_now_name: str | None = _field(COVERAGE_CHANGES, "party_org_now_name")
    moved: bool = _field(COVERAGE_CHANGES, "moved")
    reason: str = _field(COVERAGE_CHANGES, "reason")


class MovedOrganization(_Model):
    """An organization counted in both versions whose street, building, park, chain or kind
    changed: the places then and now."""

    uscc: str = _field(MOVED, "uscc")
    name: str = _field(MOVED, "name")
    kind_then: OrgKindName = _field(MOVED, "kind_then")
    kind: OrgKindName = _field(MOVED, "kind")
    street_then: str = _field(MOVED, "street_then")
    street_then_name: str = _field(MOVED, "street_then_name")
    street_now: str = _field(MOVED, "street_now")
    street_now_name: str = _field(MOVED, "street_now_name")
    building_then: str | None = _field(MOVED, "building_then")
    building_then_name: str | None = _field(MOVED, "building_then_name")
    building_now: str | None = _field(MOVED, "building_now")
    building_now_name: str | None = _field(MOVED, "building_now_name")
    park_then: str | None = _field(MOVED, "park_then")
    park_then_name: str | None = _field(MOVED, "park_then_name")
    park_now: str | None = _field(MOVED, "park_now")
    park_now_name: str | None = _field(MOVED, "park_now_name")
    chain_then: str | None = _field(MOVED, "chain_then")
    chain_then_name: str | None = _field(MOVED, "chain_then_name")
    chain_now: str | None = _field(MOVED, "chain_now")
    chain_now_name: str | None = _field(MOVED, "chain_now_name")
    covered_then: bool = _field(MOVED, "covered_then")
    covered_now: bool = _field(MOVED, "covered_now")
    reason: str = _field(MOVED, "reason")


class ScopeChange(_Model):
    """An organization that left the scope (counted then, not now) or entered it (counted
    now, not then), where it was counted and why."""

    uscc: str = _field(SCOPE_CHANGES, "uscc")
    name: str = _field(SCOPE_CHANGES, "name")
    kind: OrgKindName = _field(SCOPE_CHANGES, "kind")
    street: str = _field(SCOPE_CHANGES, "street")
    street_name: str = _field(SCOPE_CHANGES, "street_name")
    chain: str | None = _field(SCOPE_CHANGES, "chain")
    chain_name: str | None = _field(SCOPE_CHANGES, "chain_name")
    covered: bool = _field(SCOPE_CHANGES, "covered")
    party_org: str | None = _field(SCOPE_CHANGES, "party_org")
    party_org_name: str | None = _field(SCOPE_CHANGES, "party_org_name")
    status_then: OrgStatusName | None = _field(SCOPE_CHANGES, "status_then")
    status_now: OrgStatusName | None = _field(SCOPE_CHANGES, "status_now")
    employees_then: int | None = _field(SCOPE_CHANGES, "employees_then")
    employees_now: int | None = _field(SCOPE_CHANGES, "employees_now")
    cause: Literal["removed", "added", "status", "staff"] = _field(SCOPE_CHANGES, "cause")
    reason: str = _field(SCOPE_CHANGES, "reason")


class VersionDiff(_Model):
    """``liangxin diff --format json``: what changed from one version to another (月调度)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    from_: str = _field(DIFF, "from", alias="from")
    to: str = _field(DIFF, "to")
    headline: list[DiffHeadline] = _field(DIFF, "headline")
    streets: list[RateChange] = _field(DIFF, "streets")
    chains: list[RateChange] = _field(DIFF, "chains")
    moved: list[MovedOrganization] = _field(DIFF, "moved")
    left_scope: list[ScopeChange] = _field(DIFF, "left_scope")
    entered_scope: list[ScopeChange] = _field(DIFF, "entered_scope")
    added: list[DiffOrganization] = _field(DIFF, "added")
    removed: list[DiffOrganization] = _field(DIFF, "removed")
    newly_uncovered: list[CoverageChange] = _field(DIFF, "newly_uncovered")
    newly_covered: list[CoverageChange] = _field(DIFF, "newly_covered")


# -- search ----------------------------------------------------------------------------------


class SearchHit(BaseModel):
    """One thing found."""

    kind: str = _field(SEARCH_HITS, "kind")
    kind_label: str = _field(SEARCH_HITS, "kind_label")
    code: str = _field(SEARCH_HITS, "code")
    name: str = _field(SEARCH_HITS, "name")
    place: str | None = _field(SEARCH_HITS, "place", default=None)
    url: str = _field(SEARCH_HITS, "url")


class SearchResult(BaseModel):
    """What a search found, best matches first."""

    query: str
    hits: list[SearchHit]
