"""What each report says, built from the analyses' own results (pure: graph in, report out).

Four reports planners hand upwards (issue 6): the chain-committee structure report (产业链党建,
:mod:`.chain`), the coverage report (两个覆盖, :mod:`.coverage`), the formation plan report
(组建方案, :mod:`.plan`) and the monthly report (月调度, :mod:`.monthly`); :mod:`.common` holds
what they share. Each is a :class:`~viz.reports.document.Report`; the writers turn it into a
file. Every table's columns come from the column catalogue (:mod:`graph.columns`), the
headings and kinds the command line, the pages and the API documentation use too.
"""

from __future__ import annotations

import networkx as nx

from graph.analysis.common import Params
from viz.reports.content.chain import LEADS_SHOWN, chain_report
from viz.reports.content.common import REPORT_KINDS
from viz.reports.content.coverage import COVERAGE_TARGETS, coverage_report
from viz.reports.content.monthly import monthly_report
from viz.reports.content.plan import plan_report
from viz.reports.document import Report

__all__ = [
    "COVERAGE_TARGETS",
    "LEADS_SHOWN",
    "REPORT_KINDS",
    "build_report",
    "chain_report",
    "coverage_report",
    "monthly_report",
    "plan_report",
]


def build_report(
    kind: str, g: nx.MultiDiGraph, params: Params, source: str, chain: str | None = None
) -> Report:
    """The ``chain``, ``coverage`` or ``plan`` report of one graph (``monthly`` needs two
    versions: :func:`monthly_report`). ``chain`` picks one chain of the chain report."""
    if kind == "chain":
        return chain_report(g, chain, params, source)
    if kind == "coverage":
        return coverage_report(g, params, source)
    if kind == "plan":
        from graph.analysis.plan import plan

        return plan_report(plan(g, params), params, source)
    raise ValueError(f"unknown report kind {kind!r}")
