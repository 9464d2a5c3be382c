"""The column catalogue (graph.columns) is the one place columns are named and described.

Every field of the API's response models is described in the catalogue's words, every table of
the command line, the pages and the reports shows catalogue columns with their headings, and
every column of every analysis result has its catalogue entry, in the result's order.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import typing

import pytest
from pydantic import BaseModel

import graph.columns
from api import labels, schemas
from api.schemas.base import ResultModel
from graph.analysis import chains, clusters, flags, leads, pairing, partners, plan
from graph.analysis.common import org_table
from graph.analysis.coverage import coverage, kind_overview
from graph.analysis.search import SEARCH_COLUMNS, search
from graph.build import graph_counts
from graph.columns import RATE_NOTE, Column, ColumnKind, Columns, catalogue
from graph.columns import chains as chain_columns
from graph.columns import clusters as cluster_columns
from graph.columns import common as common_columns
from graph.columns import coverage as coverage_columns
from graph.columns import diff as diff_columns
from graph.columns import flags as flag_columns
from graph.columns import leads as lead_columns
from graph.columns import pairing as pairing_columns
from graph.columns import partners as partner_columns
from graph.columns import plan as plan_columns
from graph.columns import search as search_columns
from graph.columns import summary as summary_columns
from graph.columns import versions as version_columns
from graph.store.workspace import VersionInfo
from tests.reportkit import SampleReports

MODEL_COLUMNS: dict[type[BaseModel], Columns] = {
    schemas.CoverageRow: coverage_columns.COVERAGE,
    schemas.FlagRow: flag_columns.FLAGS,
    schemas.ClusterRow: cluster_columns.CLUSTERS,
    schemas.PartnerSubject: partner_columns.PARTNER_SUBJECT,
    schemas.PartnerRow: partner_columns.PARTNERS,
    schemas.PartnersResult: partner_columns.PARTNERS_RESULT,
    schemas.LeadRow: lead_columns.LEADS,
    schemas.ParkCommittee: chain_columns.PARK_COMMITTEE,
    schemas.CommitteeMember: chain_columns.COMMITTEE_MEMBERS,
    schemas.ChainCommittee: chain_columns.CHAIN_COMMITTEES,
    schemas.EnterpriseOrg: chain_columns.ENTERPRISE_ORGS,
    schemas.SegmentRow: chain_columns.SEGMENTS,
    schemas.ChainFinding: chain_columns.FINDINGS,
    schemas.ChainFindingRow: chain_columns.FINDING_ROWS,
    schemas.ChainReport: chain_columns.CHAINS,
    schemas.PairingByType: pairing_columns.PAIRING_BY_TYPE,
    schemas.PairingByDistrict: pairing_columns.PAIRING_BY_DISTRICT,
    schemas.UnpairedRow: pairing_columns.UNPAIRED,
    schemas.PairingResult: pairing_columns.PAIRING,
    schemas.PlanRate: plan_columns.PLAN_RATES,
    schemas.StandaloneProposal: plan_columns.STANDALONE,
    schemas.JointGroup: plan_columns.JOINT_GROUPS,
    schemas.Attachment: plan_columns.ATTACHMENTS,
    schemas.InstructorAssignment: plan_columns.INSTRUCTORS,
    schemas.PlanSplit: plan_columns.SPLITS,
    schemas.PlanSolver: plan_columns.SOLVER,
    schemas.FormationPlan: plan_columns.PLAN,
    schemas.VersionInfo: version_columns.VERSIONS,
    schemas.VersionListed: version_columns.VERSIONS_LISTED,
    schemas.WorkspaceStatus: version_columns.WORKSPACE_STATUS,
    schemas.KindOverview: summary_columns.KIND_OVERVIEW,
    schemas.CountRow: summary_columns.COUNTS,
    schemas.Summary: summary_columns.SUMMARY,
    schemas.DiffHeadline: diff_columns.HEADLINE,
    schemas.RateChange: diff_columns.RATE_CHANGES,
    schemas.DiffOrganization: diff_columns.DIFF_ORGS,
    schemas.CoverageChange: diff_columns.COVERAGE_CHANGES,
    schemas.MovedOrganization: diff_columns.MOVED,
    schemas.ScopeChange: diff_columns.SCOPE_CHANGES,
    schemas.VersionDiff: diff_columns.DIFF,
    schemas.SearchHit: search_columns.SEARCH_HITS,
}
"""Each response model and the catalogue table that describes it."""

NOT_RESULTS = {schemas.ApiError, schemas.SearchResult, ResultModel}
"""Response models that are not analysis results: an error's text, and the search's envelope
(the query as typed and its :class:`~api.schemas.SearchHit` rows)."""


def _described(model: type[BaseModel]) -> list[tuple[str, str | None]]:
    return [(f.alias or name, f.description) for name, f in model.model_fields.items()]


def _entries() -> set[Column]:
    """Every entry of the catalogue: its tables' columns, the entries named on their own, and
    the variants its functions make (a severity's count, a group's heading)."""
    found: set[Column] = {c for table in catalogue().values() for c in table}
    for info in pkgutil.iter_modules(graph.columns.__path__):
        module = importlib.import_module(f"graph.columns.{info.name}")
        found |= {v for v in vars(module).values() if isinstance(v, Column)}
    found |= {chain_columns.severity_count(s) for s in chains.SEVERITIES}
    for table in (coverage_columns.COVERAGE, diff_columns.RATE_CHANGES):
        for by in coverage_columns.GROUP_LABELS:
            found |= set(coverage_columns.by_group(table, by))
    return found


# -- the API's models ------------------------------------------------------------------------


def test_every_response_model_is_described_by_the_catalogue():
    models = {
        m
        for _, m in inspect.getmembers(schemas, inspect.isclass)
        if issubclass(m, BaseModel) and m.__module__.startswith(schemas.__name__ + ".")
    }
    assert len(models) > 40  # the package's models, wherever they are defined in it
    assert models - NOT_RESULTS <= set(MODEL_COLUMNS), models - NOT_RESULTS - set(MODEL_COLUMNS)


@pytest.mark.parametrize("model", MODEL_COLUMNS, ids=lambda m: m.__name__)
def test_model_fields_are_the_catalogue_table_in_its_words(model):
    """Same fields, same order, each description exactly the catalogue's (so the OpenAPI page
    says what the catalogue says, and a new field needs a catalogue entry first)."""
    table = MODEL_COLUMNS[model]
    assert _described(model) == [(c.key, c.description) for c in table]


def test_catalogue_entries_are_complete():
    kinds = set(typing.get_args(ColumnKind))
    for entry in _entries():
        assert entry.key and entry.heading and entry.description, entry
        assert "%" not in entry.heading, entry  # the tables of plain numbers add it
        assert entry.kind in kinds, entry
        if entry.kind == "rate":
            assert entry.description.endswith(RATE_NOTE) or "null" in entry.description, entry


# -- the command line's and the pages' tables ------------------------------------------------


HEADING_TABLES = sorted(n for n in labels.__all__ if n.endswith("_HEADINGS"))


@pytest.mark.parametrize("name", HEADING_TABLES)
def test_cli_and_page_headings_are_catalogue_headings(name):
    by_key: dict[str, set[str]] = {}
    for entry in _entries():
        by_key.setdefault(entry.key, set()).add(labels.heading(entry))
    for key, heading in getattr(labels, name).items():
        assert heading in by_key.get(key, set()), (name, key, heading)


def test_group_labels_are_the_catalogue_s():
    assert labels.GROUP_LABELS is coverage_columns.GROUP_LABELS


# -- the reports -----------------------------------------------------------------------------


def test_every_report_table_shows_catalogue_columns(sample: SampleReports):
    entries = _entries()
    for name, report in sample.all().items():
        for table in report.tables():
            for column in table.columns:
                assert column in entries, (name, table.sheet, column)


# -- the analyses ----------------------------------------------------------------------------


def test_every_analysis_result_column_has_its_entry_in_order(sample: SampleReports):
    g, p, formation, changes = sample.graph, sample.params, sample.plan, sample.diff
    orgs = org_table(g, p)
    uncovered = orgs.loc[orgs["party_org"].isna() & orgs["status"].eq("正常"), "uscc"].iloc[0]
    paired = pairing.pairing(g, p)
    nodes, edges = graph_counts(g)
    found = partners.partners(g, uncovered, params=p)
    frames = [
        (coverage(g, "street", p), coverage_columns.COVERAGE),
        (flags.flags(g, p), flag_columns.FLAGS),
        (clusters.clusters(g, p), cluster_columns.CLUSTERS),
        (found, partner_columns.PARTNERS),
        (leads.leads(g, params=p), lead_columns.LEADS),
        (chains.chain_findings(g, None, p), chain_columns.FINDING_ROWS),
        (chains.segment_coverage(g, None, p), chain_columns.SEGMENTS),
        (paired.by_type, pairing_columns.PAIRING_BY_TYPE),
        (paired.by_district, pairing_columns.PAIRING_BY_DISTRICT),
        (paired.unpaired, pairing_columns.UNPAIRED),
        (formation.rates, plan_columns.PLAN_RATES),
        (formation.frame("standalone"), plan_columns.STANDALONE),
        (formation.frame("groups"), plan_columns.JOINT_GROUPS),
        (formation.frame("attachments"), plan_columns.ATTACHMENTS),
        (formation.frame("instructors"), plan_columns.INSTRUCTORS),
        (formation.frame("splits"), plan_columns.SPLITS),
        (changes.headline, diff_columns.HEADLINE),
        (changes.streets, diff_columns.RATE_CHANGES),
        (changes.chains, diff_columns.RATE_CHANGES),
        (changes.added, diff_columns.DIFF_ORGS),
        (changes.removed, diff_columns.DIFF_ORGS),
        (changes.newly_uncovered, diff_columns.COVERAGE_CHANGES),
        (changes.newly_covered, diff_columns.COVERAGE_CHANGES),
        (changes.moved, diff_columns.MOVED),
        (changes.left_scope, diff_columns.SCOPE_CHANGES),
        (changes.entered_scope, diff_columns.SCOPE_CHANGES),
        (kind_overview(g), summary_columns.KIND_OVERVIEW),
        (nodes, summary_columns.COUNTS),
        (edges, summary_columns.COUNTS),
    ]
    for frame, table in frames:
        assert list(frame.columns) == table.keys(), table.keys()
    assert list(found.attrs["subject"]) == partner_columns.PARTNER_SUBJECT.keys()
    by_kind = coverage(g, "kind", p)
    assert list(by_kind.columns) == coverage_columns.COVERAGE.keys()[2:]
    assert set(search(g, "长沙").columns) == set(SEARCH_COLUMNS)
    assert set(SEARCH_COLUMNS) <= set(search_columns.SEARCH_HITS.keys())
    records = [
        (chains.ChainReport, chain_columns.CHAINS),
        (chains.ParkCommittee, chain_columns.PARK_COMMITTEE),
        (chains.CommitteeMember, chain_columns.COMMITTEE_MEMBERS),
        (chains.ChainCommittee, chain_columns.CHAIN_COMMITTEES),
        (chains.EnterpriseOrg, chain_columns.ENTERPRISE_ORGS),
        (chains.SegmentRow, chain_columns.SEGMENTS),
        (chains.ChainFinding, chain_columns.FINDINGS),
        (VersionInfo, version_columns.VERSIONS),
    ]
    for cls, table in records:
        assert [f.name for f in dataclasses.fields(cls)] == table.keys(), cls.__name__
    solver = [f.name for f in dataclasses.fields(plan.SolverSummary)]
    assert [*solver, "note"] == plan_columns.SOLVER.keys()  # note is a property
    for cls, table in (
        (pairing.PairingResult, pairing_columns.PAIRING),
        (plan.FormationPlan, plan_columns.PLAN),
    ):
        # the JSON gives a result's parts in its own order, the model's
        assert {f.name for f in dataclasses.fields(cls)} == set(table.keys()), cls.__name__


def test_organization_list_columns_are_org_table_columns(sample: SampleReports):
    shown = set(common_columns.ORGANIZATIONS.keys()) - {"coverage_label"}
    assert shown <= set(org_table(sample.graph, sample.params).columns)
