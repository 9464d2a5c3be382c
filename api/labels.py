"""Chinese headings of the analysis tables, shared by the command line and the web pages.

Each mapping goes from a result's English column name to the heading a planner reads, in
the order the columns are shown. The CLI prints these columns with :func:`api.output.emit`;
the pages render the same columns as HTML tables. The headings are the column catalogue's
(:mod:`graph.columns`), the one the reports and the API documentation read too: each table
here only picks its columns, in order, from the result it shows.
"""

from __future__ import annotations

from graph.columns import Column, Columns
from graph.columns.chains import FINDING_ROWS, SEGMENTS
from graph.columns.clusters import CLUSTERS
from graph.columns.common import ORGANIZATIONS
from graph.columns.coverage import COVERAGE, GROUP_LABELS, RATES, by_group
from graph.columns.diff import (
    COVERAGE_CHANGES,
    DIFF_ORGS,
    HEADLINE,
    MOVED,
    RATE_CHANGES,
    SCOPE_CHANGES,
)
from graph.columns.flags import FLAGS
from graph.columns.leads import LEADS
from graph.columns.pairing import PAIRING_BY_DISTRICT, PAIRING_BY_TYPE, UNPAIRED
from graph.columns.partners import PARTNERS
from graph.columns.plan import (
    ATTACHMENTS,
    INSTRUCTORS,
    JOINT_GROUPS,
    PLAN_RATES,
    SPLITS,
    STANDALONE,
)
from graph.columns.search import SEARCH_HITS
from graph.columns.summary import COUNTS, KIND_OVERVIEW

__all__ = [
    "CHAIN_FINDING_HEADINGS",
    "CHAIN_FINDING_PAGE_HEADINGS",
    "CLUSTER_HEADINGS",
    "DIFF_CHANGE_HEADINGS",
    "DIFF_HEADLINE_HEADINGS",
    "DIFF_MOVE_HEADINGS",
    "DIFF_MOVE_PAGE_HEADINGS",
    "DIFF_ORG_HEADINGS",
    "DIFF_REASON_HEADINGS",
    "DIFF_SCOPE_HEADINGS",
    "FLAG_HEADINGS",
    "GROUP_LABELS",
    "LEAD_HEADINGS",
    "ORG_HEADINGS",
    "PAIRING_DISTRICT_HEADINGS",
    "PAIRING_TYPE_HEADINGS",
    "PAIRING_UNPAIRED_HEADINGS",
    "PARTNER_HEADINGS",
    "PLAN_ATTACHMENT_HEADINGS",
    "PLAN_GROUP_HEADINGS",
    "PLAN_INSTRUCTOR_HEADINGS",
    "PLAN_RATE_HEADINGS",
    "PLAN_SPLIT_HEADINGS",
    "PLAN_STANDALONE_HEADINGS",
    "RATE_HEADINGS",
    "SEARCH_HEADINGS",
    "SEGMENT_HEADINGS",
    "SUMMARY_COUNT_HEADINGS",
    "SUMMARY_KIND_HEADINGS",
    "heading",
    "headings",
    "rate_headings_by",
]


def heading(column: Column) -> str:
    """``column``'s heading as these tables show it. Their numbers are plain (90.56), so a
    rate's heading carries the "%", before any qualifier in brackets: 组织覆盖率%（现在）. The
    pages format a column whose heading has "%" as a percentage and drop the sign from it."""
    if column.kind != "rate":
        return column.heading
    stem, bracket, qualifier = column.heading.partition("（")
    return f"{stem}%{bracket}{qualifier}"


def headings(columns: Columns, *keys: str) -> dict[str, str]:
    """The columns ``keys`` of ``columns`` (a result's, in the catalogue), each to its
    :func:`heading`, in the order given."""
    return {c.key: heading(c) for c in columns.pick(*keys)}


RATE_HEADINGS = headings(COVERAGE, "kind", *RATES.keys(), "with_members")
"""Columns of ``coverage``."""

FLAG_HEADINGS = headings(FLAGS, "code_label", "subject", "name", "street_name", "detail")

CLUSTER_HEADINGS = headings(
    CLUSTERS,
    "cluster_id",
    "street_name",
    "size",
    "formal_members",
    "feasible",
    "mode",
    "member_names",
    "taker_name",
    "reason",
)

PARTNER_HEADINGS = headings(
    PARTNERS,
    "rank",
    "candidate",
    "name",
    "feasible",
    "score",
    "proximity_score",
    "distance_score",
    "similarity_score",
    "members_score",
    "size_score",
    "together_formal_members",
    "reason",
)

LEAD_HEADINGS = headings(
    LEADS,
    "chain_name",
    "rank",
    "name",
    "level",
    "members",
    "employees",
    "takes_now",
    "weak_lax",
    "score",
    "reach_count",
    "reason",
)

PLAN_RATE_HEADINGS = headings(
    PLAN_RATES,
    "kind",
    "total",
    "org_rate_now",
    "org_rate_after",
    "work_rate_now",
    "work_rate_after",
    "standalone_rate_now",
    "standalone_rate_after",
)

PLAN_STANDALONE_HEADINGS = headings(
    STANDALONE, "name", "street_name", "formal_members", "level", "from_party_org_name", "reason"
)

PLAN_SPLIT_HEADINGS = headings(
    SPLITS, "party_org_name", "street_name", "covers", "part_names", "reason"
)

PLAN_GROUP_HEADINGS = headings(
    JOINT_GROUPS,
    "group_id",
    "street_name",
    "mode",
    "size",
    "formal_members",
    "member_names",
    "reason",
)

PLAN_ATTACHMENT_HEADINGS = headings(
    ATTACHMENTS, "name", "street_name", "party_org_name", "mode", "reason"
)

PLAN_INSTRUCTOR_HEADINGS = headings(
    INSTRUCTORS, "name", "street_name", "employees", "instructor_name", "target"
)

DIFF_HEADLINE_HEADINGS = headings(
    HEADLINE,
    "kind",
    "total_then",
    "total_now",
    "org_rate_then",
    "org_rate_now",
    "org_rate_change",
)

DIFF_CHANGE_HEADINGS = headings(
    RATE_CHANGES, "group_name", "kind", "org_rate_then", "org_rate_now", "change", "total_now"
)
"""Columns of a version diff's ``streets`` and ``chains``."""

DIFF_ORG_HEADINGS = headings(DIFF_ORGS, "name", "kind", "street_name")
"""Columns of a version diff's ``added`` and ``removed``."""

DIFF_REASON_HEADINGS = headings(COVERAGE_CHANGES, "name", "kind", "street_name", "reason")
"""Columns of a version diff's ``newly_uncovered`` and ``newly_covered``."""

DIFF_MOVE_HEADINGS = headings(MOVED, "name", "kind", "reason")
DIFF_MOVE_PAGE_HEADINGS = headings(MOVED, "name", "kind", "reason", "covered_then", "covered_now")
"""The moved organizations on the 版本变化 page: with their coverage then and now."""
"""Columns of a version diff's ``moved`` (the reason names each place then and now)."""

DIFF_SCOPE_HEADINGS = headings(
    SCOPE_CHANGES, "name", "kind", "street_name", "party_org_name", "reason"
)
"""Columns of a version diff's ``left_scope`` and ``entered_scope``."""

SEGMENT_HEADINGS = headings(
    SEGMENTS, "position", "name", "enterprises", "covered", "own_organization", "org_rate"
)

CHAIN_FINDING_HEADINGS = headings(FINDING_ROWS, "severity", "code_label", "subject_name", "detail")
CHAIN_FINDING_PAGE_HEADINGS = headings(
    FINDING_ROWS, "chain_name", "severity", "code_label", "subject_name", "detail"
)
"""Weak links on a page listing several chains: with the chain's name first."""

SUMMARY_KIND_HEADINGS = headings(KIND_OVERVIEW, *KIND_OVERVIEW.keys())
"""Columns of ``liangxin summary``'s two kinds of organization."""
SUMMARY_COUNT_HEADINGS = headings(COUNTS, "label_zh", "kind", "count")
"""Columns of ``liangxin summary``'s node and relation counts."""


def rate_headings_by(by: str) -> dict[str, str]:
    """Columns of ``coverage --by by``: the group's name and code (a district has only its
    name) before :data:`RATE_HEADINGS`."""
    if by == "kind":
        return RATE_HEADINGS
    group = ("group_name",) if by == "district" else ("group_name", "group")
    return {**headings(by_group(COVERAGE, by), *group), **RATE_HEADINGS}


PAIRING_TYPE_HEADINGS = headings(PAIRING_BY_TYPE, "type", "pairs", "liangxin_orgs_paired")

PAIRING_DISTRICT_HEADINGS = headings(
    PAIRING_BY_DISTRICT, "district", "liangxin_orgs", "liangxin_orgs_paired", "paired_rate", "pairs"
)

PAIRING_UNPAIRED_HEADINGS = headings(
    UNPAIRED, "name", "street_name", "rank", "suggested_type", "partner_name", "reason"
)

ORG_HEADINGS = headings(
    ORGANIZATIONS,
    "name",
    "org_kind",
    "street_name",
    "building_name",
    "employees",
    "formal_members",
    "coverage_label",
)
"""Columns of a list of organizations (``org_table`` plus ``coverage_label``)."""

SEARCH_HEADINGS = headings(SEARCH_HITS, "kind_label", "name", "code", "place")
"""Columns of ``search`` (plus ``kind_label``, the kind in Chinese)."""
