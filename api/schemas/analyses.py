"""Response models of the analyses: coverage, flags, clusters, partners, leads, chains, pairing."""

from __future__ import annotations

from typing import Literal

from api.schemas.base import ResultModel, described
from api.schemas.codes import (
    ChainFindingCode,
    ClusterLevel,
    CommitteeSideName,
    EnterpriseAttachment,
    FlagCode,
    FormationModeName,
    OrgKindName,
    PartyLevelName,
    SegmentPositionName,
    Severity,
    TakerKind,
)
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
from graph.columns.flags import FLAGS
from graph.columns.leads import LEADS
from graph.columns.pairing import PAIRING, PAIRING_BY_DISTRICT, PAIRING_BY_TYPE, UNPAIRED
from graph.columns.partners import PARTNER_SUBJECT, PARTNERS, PARTNERS_RESULT

# -- coverage / flags ------------------------------------------------------------------------


class CoverageRow(ResultModel):
    """One row of ``liangxin coverage``: one kind of organization, overall or in one group."""

    group: str | None = described(COVERAGE, "group", default=None)
    group_name: str | None = described(COVERAGE, "group_name", default=None)
    kind: OrgKindName = described(COVERAGE, "kind")
    total: int = described(COVERAGE, "total")
    org_covered: int = described(COVERAGE, "org_covered")
    work_covered: int = described(COVERAGE, "work_covered")
    standalone: int = described(COVERAGE, "standalone")
    with_members: int = described(COVERAGE, "with_members")
    org_rate: float | None = described(COVERAGE, "org_rate")
    work_rate: float | None = described(COVERAGE, "work_rate")
    standalone_rate: float | None = described(COVERAGE, "standalone_rate")


class FlagRow(ResultModel):
    """One finding of ``liangxin flags``."""

    code: FlagCode = described(FLAGS, "code")
    code_label: str = described(FLAGS, "code_label")
    subject: str = described(FLAGS, "subject")
    subject_kind: Literal["organization", "party_org"] = described(FLAGS, "subject_kind")
    name: str = described(FLAGS, "name")
    street: str | None = described(FLAGS, "street")
    street_name: str | None = described(FLAGS, "street_name")
    district: str | None = described(FLAGS, "district")
    detail: str = described(FLAGS, "detail")


# -- clusters / partners / leads -------------------------------------------------------------


class ClusterRow(ResultModel):
    """One cluster of uncovered organizations (``liangxin clusters``)."""

    cluster_id: str = described(CLUSTERS, "cluster_id")
    level: ClusterLevel = described(CLUSTERS, "level")
    district: str | None = described(CLUSTERS, "district")
    street: str = described(CLUSTERS, "street")
    street_name: str | None = described(CLUSTERS, "street_name")
    park: str | None = described(CLUSTERS, "park")
    park_name: str | None = described(CLUSTERS, "park_name")
    building: str | None = described(CLUSTERS, "building")
    building_name: str | None = described(CLUSTERS, "building_name")
    chain: str | None = described(CLUSTERS, "chain")
    chain_name: str | None = described(CLUSTERS, "chain_name")
    category: str | None = described(CLUSTERS, "category")
    members: list[str] = described(CLUSTERS, "members")
    member_names: list[str] = described(CLUSTERS, "member_names")
    size: int = described(CLUSTERS, "size")
    formal_members: int = described(CLUSTERS, "formal_members")
    joint_formal_members: int = described(CLUSTERS, "joint_formal_members")
    feasible: bool = described(CLUSTERS, "feasible")
    standalone_eligible: list[str] = described(CLUSTERS, "standalone_eligible")
    mode: FormationModeName = described(CLUSTERS, "mode")
    reason: str = described(CLUSTERS, "reason")
    taker: str | None = described(CLUSTERS, "taker")
    taker_name: str | None = described(CLUSTERS, "taker_name")
    taker_kind: TakerKind | None = described(CLUSTERS, "taker_kind")
    taker_reason: str | None = described(CLUSTERS, "taker_reason")


class PartnerSubject(ResultModel):
    """The organization partners are sought for."""

    uscc: str = described(PARTNER_SUBJECT, "uscc")
    name: str = described(PARTNER_SUBJECT, "name")
    party_org: str | None = described(PARTNER_SUBJECT, "party_org")
    covered: bool = described(PARTNER_SUBJECT, "covered")
    formal_members: int = described(PARTNER_SUBJECT, "formal_members")


class PartnerRow(ResultModel):
    """One suggested partner of ``liangxin partners``."""

    rank: int = described(PARTNERS, "rank")
    candidate: str = described(PARTNERS, "candidate")
    candidate_kind: Literal["organization", "party_org"] = described(PARTNERS, "candidate_kind")
    name: str = described(PARTNERS, "name")
    feasible: bool = described(PARTNERS, "feasible")
    score: float = described(PARTNERS, "score")
    proximity_score: float = described(PARTNERS, "proximity_score")
    distance_score: float = described(PARTNERS, "distance_score")
    similarity_score: float = described(PARTNERS, "similarity_score")
    members_score: float = described(PARTNERS, "members_score")
    size_score: float = described(PARTNERS, "size_score")
    distance_km: float | None = described(PARTNERS, "distance_km")
    formal_members: int = described(PARTNERS, "formal_members")
    together_formal_members: int = described(PARTNERS, "together_formal_members")
    group_size: int = described(PARTNERS, "group_size")
    completed_with: list[str] = described(PARTNERS, "completed_with")
    reason: str = described(PARTNERS, "reason")


class PartnersResult(ResultModel):
    """``liangxin partners UNIFIED-CODE --format json``."""

    subject: PartnerSubject = described(PARTNERS_RESULT, "subject")
    note: str | None = described(PARTNERS_RESULT, "note")
    rows: list[PartnerRow] = described(PARTNERS_RESULT, "rows")


class LeadRow(ResultModel):
    """One candidate lead enterprise of ``liangxin leads`` (龙头领建)."""

    rank: int = described(LEADS, "rank")
    uscc: str = described(LEADS, "uscc")
    name: str = described(LEADS, "name")
    chain: str = described(LEADS, "chain")
    chain_name: str = described(LEADS, "chain_name")
    segment: str = described(LEADS, "segment")
    segment_name: str = described(LEADS, "segment_name")
    party_org: str = described(LEADS, "party_org")
    level: PartyLevelName = described(LEADS, "level")
    members: int = described(LEADS, "members")
    employees: int = described(LEADS, "employees")
    takes_now: int = described(LEADS, "takes_now")
    weak_lax: bool = described(LEADS, "weak_lax")
    room: int = described(LEADS, "room")
    room_members: int | None = described(LEADS, "room_members")
    supply_degree: int = described(LEADS, "supply_degree")
    score: float = described(LEADS, "score")
    level_score: float = described(LEADS, "level_score")
    members_score: float = described(LEADS, "members_score")
    size_score: float = described(LEADS, "size_score")
    centrality_score: float = described(LEADS, "centrality_score")
    reach_score: float = described(LEADS, "reach_score")
    reach: list[str] = described(LEADS, "reach")
    reach_count: int = described(LEADS, "reach_count")
    reach_joinable: int = described(LEADS, "reach_joinable")
    reach_supply: int = described(LEADS, "reach_supply")
    reach_segment: int = described(LEADS, "reach_segment")
    reach_place: int = described(LEADS, "reach_place")
    reason: str = described(LEADS, "reason")


# -- chains ----------------------------------------------------------------------------------


class ParkCommittee(ResultModel):
    """The first level: the park committee a chain committee is subordinate to."""

    code: str = described(PARK_COMMITTEE, "code")
    name: str = described(PARK_COMMITTEE, "name")


class CommitteeMember(ResultModel):
    """One member unit of a chain committee (三方进入)."""

    side: CommitteeSideName = described(COMMITTEE_MEMBERS, "side")
    member: str | None = described(COMMITTEE_MEMBERS, "member")
    name: str = described(COMMITTEE_MEMBERS, "name")


class ChainCommittee(ResultModel):
    """The second level: one 产业链党委."""

    code: str = described(CHAIN_COMMITTEES, "code")
    name: str = described(CHAIN_COMMITTEES, "name")
    level: PartyLevelName | None = described(CHAIN_COMMITTEES, "level")
    has_secretary: bool = described(CHAIN_COMMITTEES, "has_secretary")
    parent: str | None = described(CHAIN_COMMITTEES, "parent")
    parent_name: str | None = described(CHAIN_COMMITTEES, "parent_name")
    parent_is_park: bool = described(CHAIN_COMMITTEES, "parent_is_park")
    members: list[CommitteeMember] = described(CHAIN_COMMITTEES, "members")
    sides_present: list[CommitteeSideName] = described(CHAIN_COMMITTEES, "sides_present")
    sides_missing: list[CommitteeSideName] = described(CHAIN_COMMITTEES, "sides_missing")


class EnterpriseOrg(ResultModel):
    """The third level: an enterprise Party organization covering chain organizations."""

    party_org: str = described(ENTERPRISE_ORGS, "party_org")
    name: str = described(ENTERPRISE_ORGS, "name")
    attachment: EnterpriseAttachment = described(ENTERPRISE_ORGS, "attachment")
    organizations: list[str] = described(ENTERPRISE_ORGS, "organizations")


class SegmentRow(ResultModel):
    """Coverage of one chain segment (产业链环节)."""

    chain: str = described(SEGMENTS, "chain")
    chain_name: str = described(SEGMENTS, "chain_name")
    segment: str = described(SEGMENTS, "segment")
    name: str = described(SEGMENTS, "name")
    position: SegmentPositionName | None = described(SEGMENTS, "position")
    order: int | None = described(SEGMENTS, "order")
    enterprises: int = described(SEGMENTS, "enterprises")
    covered: int = described(SEGMENTS, "covered")
    own_organization: int = described(SEGMENTS, "own_organization")
    org_rate: float | None = described(SEGMENTS, "org_rate")


class ChainFinding(ResultModel):
    """One weak link of a chain (产业链薄弱环节)."""

    chain: str = described(FINDINGS, "chain")
    chain_name: str = described(FINDINGS, "chain_name")
    code: ChainFindingCode = described(FINDINGS, "code")
    subject: str = described(FINDINGS, "subject")
    subject_name: str = described(FINDINGS, "subject_name")
    severity: Severity = described(FINDINGS, "severity")
    detail: str = described(FINDINGS, "detail")
    action: str = described(FINDINGS, "action")


class ChainFindingRow(ResultModel):
    """One row of ``GET /api/chains/findings``: a finding with its Chinese name."""

    chain: str = described(FINDING_ROWS, "chain")
    chain_name: str = described(FINDING_ROWS, "chain_name")
    code: ChainFindingCode = described(FINDING_ROWS, "code")
    code_label: str = described(FINDING_ROWS, "code_label")
    subject: str = described(FINDING_ROWS, "subject")
    subject_name: str = described(FINDING_ROWS, "subject_name")
    severity: Severity = described(FINDING_ROWS, "severity")
    detail: str = described(FINDING_ROWS, "detail")
    action: str = described(FINDING_ROWS, "action")


class ChainReport(ResultModel):
    """One industry chain of ``liangxin chains --format json``: three levels, three sides."""

    chain: str = described(CHAINS, "chain")
    name: str = described(CHAINS, "name")
    lead_department: str | None = described(CHAINS, "lead_department")
    park_committee: ParkCommittee | None = described(CHAINS, "park_committee")
    committees: list[ChainCommittee] = described(CHAINS, "committees")
    sides_present: list[CommitteeSideName] = described(CHAINS, "sides_present")
    sides_missing: list[CommitteeSideName] = described(CHAINS, "sides_missing")
    enterprises: int = described(CHAINS, "enterprises")
    covered: int = described(CHAINS, "covered")
    enterprise_orgs: list[EnterpriseOrg] = described(CHAINS, "enterprise_orgs")
    attached_formal: int = described(CHAINS, "attached_formal")
    attached_functional: int = described(CHAINS, "attached_functional")
    detached: int = described(CHAINS, "detached")
    segments: list[SegmentRow] = described(CHAINS, "segments")
    findings: list[ChainFinding] = described(CHAINS, "findings")


# -- pairing ---------------------------------------------------------------------------------


class PairingByType(ResultModel):
    """Existing pairings of one 共建类型."""

    type: str = described(PAIRING_BY_TYPE, "type")
    pairs: int = described(PAIRING_BY_TYPE, "pairs")
    liangxin_orgs_paired: int = described(PAIRING_BY_TYPE, "liangxin_orgs_paired")


class PairingByDistrict(ResultModel):
    """Pairing of the 两新 Party organizations of one district."""

    district: str = described(PAIRING_BY_DISTRICT, "district")
    liangxin_orgs: int = described(PAIRING_BY_DISTRICT, "liangxin_orgs")
    liangxin_orgs_paired: int = described(PAIRING_BY_DISTRICT, "liangxin_orgs_paired")
    paired_rate: float | None = described(PAIRING_BY_DISTRICT, "paired_rate")
    pairs: int = described(PAIRING_BY_DISTRICT, "pairs")


class UnpairedRow(ResultModel):
    """One suggestion for an unpaired 两新 Party organization."""

    party_org: str = described(UNPAIRED, "party_org")
    name: str = described(UNPAIRED, "name")
    street: str | None = described(UNPAIRED, "street")
    street_name: str | None = described(UNPAIRED, "street_name")
    district: str | None = described(UNPAIRED, "district")
    covers: int = described(UNPAIRED, "covers")
    kinds: str = described(UNPAIRED, "kinds")
    categories: str = described(UNPAIRED, "categories")
    rank: int | None = described(UNPAIRED, "rank")
    suggested_type: str | None = described(UNPAIRED, "suggested_type")
    suggested_partner: str | None = described(UNPAIRED, "suggested_partner")
    partner_name: str | None = described(UNPAIRED, "partner_name")
    partner_pairings: int | None = described(UNPAIRED, "partner_pairings")
    partner_suggested: int | None = described(UNPAIRED, "partner_suggested")
    proximity: str | None = described(UNPAIRED, "proximity")
    reason: str = described(UNPAIRED, "reason")


class PairingResult(ResultModel):
    """``liangxin pairing --format json``."""

    liangxin_orgs: int = described(PAIRING, "liangxin_orgs")
    liangxin_paired: int = described(PAIRING, "liangxin_paired")
    paired_rate: float | None = described(PAIRING, "paired_rate")
    by_type: list[PairingByType] = described(PAIRING, "by_type")
    by_district: list[PairingByDistrict] = described(PAIRING, "by_district")
    unpaired: list[UnpairedRow] = described(PAIRING, "unpaired")
