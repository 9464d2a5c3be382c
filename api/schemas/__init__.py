"""Response models of the JSON API: the same field names as ``liangxin … --format json``.

Each model mirrors one analysis result (a DataFrame's columns or a dataclass's fields) and
documents every field in Chinese for the OpenAPI page (the planners' IT staff read it), in
the words of the column catalogue (:mod:`graph.columns`): each model's fields are described by
one of its tables (``described(LEADS, "rank")``). Missing values are ``null``; rates are
percentages with two decimals, ``null`` where the denominator is 0. ``tests/test_api.py``
checks that each model's fields are exactly the columns of the analysis it mirrors, so a new
column cannot be left out silently; ``tests/test_columns.py`` that they are exactly its
catalogue table's.

One module per area: :mod:`~api.schemas.codes` (closed sets of codes),
:mod:`~api.schemas.base`, :mod:`~api.schemas.analyses`, :mod:`~api.schemas.plan` and
:mod:`~api.schemas.versions`; every model is importable from here.
"""

from __future__ import annotations

from api.schemas.analyses import (
    ChainCommittee,
    ChainFinding,
    ChainFindingRow,
    ChainReport,
    ClusterRow,
    CommitteeMember,
    CoverageRow,
    EnterpriseOrg,
    FlagRow,
    LeadRow,
    PairingByDistrict,
    PairingByType,
    PairingResult,
    ParkCommittee,
    PartnerRow,
    PartnersResult,
    PartnerSubject,
    SegmentRow,
    UnpairedRow,
)
from api.schemas.base import (
    ApiError,
)
from api.schemas.codes import (
    ChainFindingCode,
    ClusterLevel,
    CommitteeSideName,
    EnterpriseAttachment,
    FlagCode,
    FormationModeName,
    OrgKindName,
    OrgStatusName,
    PartyLevelName,
    PlanGroupLevel,
    SegmentPositionName,
    Severity,
    TakerKind,
)
from api.schemas.plan import (
    Attachment,
    FormationPlan,
    InstructorAssignment,
    JointGroup,
    PlanRate,
    PlanSolver,
    PlanSplit,
    StandaloneProposal,
)
from api.schemas.versions import (
    CountRow,
    CoverageChange,
    DiffHeadline,
    DiffOrganization,
    KindOverview,
    MovedOrganization,
    RateChange,
    ScopeChange,
    SearchHit,
    SearchResult,
    Summary,
    VersionDiff,
    VersionInfo,
    VersionListed,
    WorkspaceStatus,
)

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
