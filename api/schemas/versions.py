"""Response models of the workspace versions, status, summary, version diff and search."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from api.schemas.base import ResultModel, described
from api.schemas.codes import (
    OrgKindName,
    OrgStatusName,
)
from graph.columns.diff import (
    COVERAGE_CHANGES,
    DIFF,
    DIFF_ORGS,
    HEADLINE,
    MOVED,
    RATE_CHANGES,
    SCOPE_CHANGES,
)
from graph.columns.search import SEARCH_HITS
from graph.columns.summary import COUNTS, KIND_OVERVIEW, SUMMARY
from graph.columns.versions import VERSIONS, VERSIONS_LISTED, WORKSPACE_STATUS

# -- versions, status, summary, diff ---------------------------------------------------------


class VersionInfo(ResultModel):
    """One loaded version of the workspace."""

    id: str = described(VERSIONS, "id")
    loaded_at: str = described(VERSIONS, "loaded_at")
    source: str = described(VERSIONS, "source")
    checksum: str = described(VERSIONS, "checksum")
    counts: dict[str, int] = described(VERSIONS, "counts")
    present: list[str] = described(VERSIONS, "present")
    warnings: int = described(VERSIONS, "warnings")
    format: int = described(VERSIONS, "format")
    extra: dict[str, Any] = described(VERSIONS, "extra")


class VersionListed(VersionInfo):
    """One version as ``liangxin versions --format json`` lists it."""

    current: bool = described(VERSIONS_LISTED, "current")


class WorkspaceStatus(VersionInfo):
    """The workspace and its current version, as ``liangxin status --format json`` gives them
    but without absolute paths: the folder's name and the source's file name."""

    source: str = described(WORKSPACE_STATUS, "source")
    workspace: str = described(WORKSPACE_STATUS, "workspace")


class KindOverview(ResultModel):
    """One kind of organization in the summary."""

    kind: OrgKindName = described(KIND_OVERVIEW, "kind")
    listed: int = described(KIND_OVERVIEW, "listed")
    total: int = described(KIND_OVERVIEW, "total")
    org_covered: int = described(KIND_OVERVIEW, "org_covered")
    org_rate: float | None = described(KIND_OVERVIEW, "org_rate")
    work_rate: float | None = described(KIND_OVERVIEW, "work_rate")


class CountRow(ResultModel):
    """How many nodes or relations of one kind the graph has."""

    kind: str = described(COUNTS, "kind")
    label_zh: str = described(COUNTS, "label_zh")
    count: int = described(COUNTS, "count")


class Summary(ResultModel):
    """``liangxin summary --format json``."""

    source: str = described(SUMMARY, "source")
    organizations: list[KindOverview] = described(SUMMARY, "organizations")
    nodes: list[CountRow] = described(SUMMARY, "nodes")
    edges: list[CountRow] = described(SUMMARY, "edges")


class DiffHeadline(ResultModel):
    """One kind's headline figures then and now."""

    kind: OrgKindName = described(HEADLINE, "kind")
    total_then: int = described(HEADLINE, "total_then")
    org_covered_then: int = described(HEADLINE, "org_covered_then")
    work_covered_then: int = described(HEADLINE, "work_covered_then")
    standalone_then: int = described(HEADLINE, "standalone_then")
    org_rate_then: float | None = described(HEADLINE, "org_rate_then")
    work_rate_then: float | None = described(HEADLINE, "work_rate_then")
    standalone_rate_then: float | None = described(HEADLINE, "standalone_rate_then")
    total_now: int = described(HEADLINE, "total_now")
    org_covered_now: int = described(HEADLINE, "org_covered_now")
    work_covered_now: int = described(HEADLINE, "work_covered_now")
    standalone_now: int = described(HEADLINE, "standalone_now")
    org_rate_now: float | None = described(HEADLINE, "org_rate_now")
    work_rate_now: float | None = described(HEADLINE, "work_rate_now")
    standalone_rate_now: float | None = described(HEADLINE, "standalone_rate_now")
    org_rate_change: float | None = described(HEADLINE, "org_rate_change")
    work_rate_change: float | None = described(HEADLINE, "work_rate_change")


class RateChange(ResultModel):
    """Organization coverage of one street or chain and kind, then and now."""

    group: str = described(RATE_CHANGES, "group")
    group_name: str = described(RATE_CHANGES, "group_name")
    kind: OrgKindName = described(RATE_CHANGES, "kind")
    total_then: int = described(RATE_CHANGES, "total_then")
    org_covered_then: int = described(RATE_CHANGES, "org_covered_then")
    org_rate_then: float | None = described(RATE_CHANGES, "org_rate_then")
    total_now: int = described(RATE_CHANGES, "total_now")
    org_covered_now: int = described(RATE_CHANGES, "org_covered_now")
    org_rate_now: float | None = described(RATE_CHANGES, "org_rate_now")
    change: float | None = described(RATE_CHANGES, "change")


class DiffOrganization(ResultModel):
    """An organization in only one of the two versions."""

    uscc: str = described(DIFF_ORGS, "uscc")
    name: str = described(DIFF_ORGS, "name")
    kind: OrgKindName = described(DIFF_ORGS, "kind")
    street: str = described(DIFF_ORGS, "street")
    street_name: str = described(DIFF_ORGS, "street_name")
    status: OrgStatusName = described(DIFF_ORGS, "status")
    in_scope: bool = described(DIFF_ORGS, "in_scope")
    covered: bool = described(DIFF_ORGS, "covered")


class CoverageChange(ResultModel):
    """An organization whose counted coverage changed between the versions."""

    uscc: str = described(COVERAGE_CHANGES, "uscc")
    name: str = described(COVERAGE_CHANGES, "name")
    kind: OrgKindName = described(COVERAGE_CHANGES, "kind")
    street: str = described(COVERAGE_CHANGES, "street")
    street_name: str = described(COVERAGE_CHANGES, "street_name")
    chain: str | None = described(COVERAGE_CHANGES, "chain")
    chain_name: str | None = described(COVERAGE_CHANGES, "chain_name")
    new_org: bool = described(COVERAGE_CHANGES, "new_org")
    in_scope_then: bool = described(COVERAGE_CHANGES, "in_scope_then")
    party_org_then: str | None = described(COVERAGE_CHANGES, "party_org_then")
    party_org_then_name: str | None = described(COVERAGE_CHANGES, "party_org_then_name")
    party_org_now: str | None = described(COVERAGE_CHANGES, "party_org_now")
    party_org_now_name: str | None = described(COVERAGE_CHANGES, "party_org_now_name")
    moved: bool = described(COVERAGE_CHANGES, "moved")
    reason: str = described(COVERAGE_CHANGES, "reason")


class MovedOrganization(ResultModel):
    """An organization counted in both versions whose street, building, park, chain or kind
    changed: the places then and now."""

    uscc: str = described(MOVED, "uscc")
    name: str = described(MOVED, "name")
    kind_then: OrgKindName = described(MOVED, "kind_then")
    kind: OrgKindName = described(MOVED, "kind")
    street_then: str = described(MOVED, "street_then")
    street_then_name: str = described(MOVED, "street_then_name")
    street_now: str = described(MOVED, "street_now")
    street_now_name: str = described(MOVED, "street_now_name")
    building_then: str | None = described(MOVED, "building_then")
    building_then_name: str | None = described(MOVED, "building_then_name")
    building_now: str | None = described(MOVED, "building_now")
    building_now_name: str | None = described(MOVED, "building_now_name")
    park_then: str | None = described(MOVED, "park_then")
    park_then_name: str | None = described(MOVED, "park_then_name")
    park_now: str | None = described(MOVED, "park_now")
    park_now_name: str | None = described(MOVED, "park_now_name")
    chain_then: str | None = described(MOVED, "chain_then")
    chain_then_name: str | None = described(MOVED, "chain_then_name")
    chain_now: str | None = described(MOVED, "chain_now")
    chain_now_name: str | None = described(MOVED, "chain_now_name")
    covered_then: bool = described(MOVED, "covered_then")
    covered_now: bool = described(MOVED, "covered_now")
    reason: str = described(MOVED, "reason")


class ScopeChange(ResultModel):
    """An organization that left the scope (counted then, not now) or entered it (counted
    now, not then), where it was counted and why."""

    uscc: str = described(SCOPE_CHANGES, "uscc")
    name: str = described(SCOPE_CHANGES, "name")
    kind: OrgKindName = described(SCOPE_CHANGES, "kind")
    street: str = described(SCOPE_CHANGES, "street")
    street_name: str = described(SCOPE_CHANGES, "street_name")
    chain: str | None = described(SCOPE_CHANGES, "chain")
    chain_name: str | None = described(SCOPE_CHANGES, "chain_name")
    covered: bool = described(SCOPE_CHANGES, "covered")
    party_org: str | None = described(SCOPE_CHANGES, "party_org")
    party_org_name: str | None = described(SCOPE_CHANGES, "party_org_name")
    status_then: OrgStatusName | None = described(SCOPE_CHANGES, "status_then")
    status_now: OrgStatusName | None = described(SCOPE_CHANGES, "status_now")
    employees_then: int | None = described(SCOPE_CHANGES, "employees_then")
    employees_now: int | None = described(SCOPE_CHANGES, "employees_now")
    cause: Literal["removed", "added", "status", "staff"] = described(SCOPE_CHANGES, "cause")
    reason: str = described(SCOPE_CHANGES, "reason")


class VersionDiff(ResultModel):
    """``liangxin diff --format json``: what changed from one version to another (月调度)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    from_: str = described(DIFF, "from", alias="from")
    to: str = described(DIFF, "to")
    headline: list[DiffHeadline] = described(DIFF, "headline")
    streets: list[RateChange] = described(DIFF, "streets")
    chains: list[RateChange] = described(DIFF, "chains")
    moved: list[MovedOrganization] = described(DIFF, "moved")
    left_scope: list[ScopeChange] = described(DIFF, "left_scope")
    entered_scope: list[ScopeChange] = described(DIFF, "entered_scope")
    added: list[DiffOrganization] = described(DIFF, "added")
    removed: list[DiffOrganization] = described(DIFF, "removed")
    newly_uncovered: list[CoverageChange] = described(DIFF, "newly_uncovered")
    newly_covered: list[CoverageChange] = described(DIFF, "newly_covered")


# -- search ----------------------------------------------------------------------------------


class SearchHit(BaseModel):
    """One thing found."""

    kind: str = described(SEARCH_HITS, "kind")
    kind_label: str = described(SEARCH_HITS, "kind_label")
    code: str = described(SEARCH_HITS, "code")
    name: str = described(SEARCH_HITS, "name")
    place: str | None = described(SEARCH_HITS, "place", default=None)
    url: str = described(SEARCH_HITS, "url")


class SearchResult(BaseModel):
    """What a search found, best matches first."""

    query: str
    hits: list[SearchHit]
