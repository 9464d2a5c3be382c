"""Every analysis on a large sample city: seconds each and in total (issue target: < 60 s at 100k).

``python -m bench.analyses --orgs 100000`` reads the cached CSV city (see ``bench.pipeline``),
builds the graph once, then times each analysis as the CLI runs it, from a cold graph memo
(the shared organization tables are built by the first analysis and reused by the rest).
"""

from __future__ import annotations

from bench.machine import Timer, main_with_orgs
from bench.pipeline import city
from graph.analysis.chains import chain_findings, chain_structure, segment_coverage
from graph.analysis.clusters import clusters
from graph.analysis.common import Params, org_table
from graph.analysis.coverage import GROUPINGS, coverage
from graph.analysis.diff import diff
from graph.analysis.flags import flags
from graph.analysis.leads import leads
from graph.analysis.pairing import pairing
from graph.analysis.partners import partners
from graph.analysis.plan import plan
from graph.build import build_graph
from loaders import read_ledger
from loaders.sample import DEFAULT_AS_OF


def run(orgs: int) -> str:
    params = Params(as_of=DEFAULT_AS_OF)
    ledger = read_ledger(city(orgs))
    graph = build_graph(ledger)
    timer = Timer()
    with timer.step("coverage, all 7 groupings (builds the shared tables)", orgs, "orgs"):
        for by in GROUPINGS:
            coverage(graph, by, params)
    with timer.step("flags", orgs, "orgs"):
        flags(graph, params)
    with timer.step("clusters", orgs, "orgs"):
        found = clusters(graph, params)
    sample = [u for members in found["members"].head(20) for u in members][:20]
    with timer.step(f"partners (×{len(sample)} organizations)", len(sample), "queries"):
        for uscc in sample:
            partners(graph, uscc, top=10, params=params)
    with timer.step("leads (all chains)", orgs, "orgs"):
        leads(graph, params=params)
    with timer.step("chains (structure, findings, segments)", orgs, "orgs"):
        chain_structure(graph, None, params)
        chain_findings(graph, None, params)
        segment_coverage(graph, None, params)
    with timer.step("pairing", orgs, "orgs"):
        pairing(graph, params)
    with timer.step("plan", orgs, "orgs"):
        plan(graph, params)
    other = build_graph(ledger)  # the builder leaves the ledger as it was
    org_table(other, params)
    with timer.step("diff (against a second copy)", orgs, "orgs"):
        diff(graph, other, params)
    timer.rows.append(("**total**", timer.seconds, ""))
    return timer.report(f"All analyses, {orgs:,} organizations")


def main(argv: list[str] | None = None) -> None:
    main_with_orgs(run, __doc__, argv)


if __name__ == "__main__":
    main()
