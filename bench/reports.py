"""Every report on a large sample city: seconds to build it from the analyses and to write it.

``python -m bench.reports --orgs 100000`` reads the cached CSV city (see ``bench.pipeline``),
builds the graph once, warms the shared organization tables (as the app has them after its
first page), then times each report (the chain report for every chain and for the largest
one; coverage; plan; monthly against the same city with its first 1 % of organizations gone)
built once and written as .xlsx, .docx and .html. Each row gives the tables' rows and the
file sizes.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.machine import main_with_orgs, markdown, timed
from bench.pipeline import city, largest
from graph.analysis.common import Params, org_table
from graph.analysis.diff import diff
from graph.build import build_graph
from loaders import read_ledger
from loaders.sample import DEFAULT_AS_OF
from viz.reports import FORMATS, render
from viz.reports.content import build_report, monthly_report
from viz.reports.document import Report


def run(orgs: int) -> str:
    params = Params(as_of=DEFAULT_AS_OF)
    ledger = read_ledger(city(orgs))
    graph = build_graph(ledger)
    table = org_table(graph, params)
    chain = largest(table, "chain")
    ledger.tables["organizations"] = ledger.organizations.iloc[orgs // 100 :]
    later = build_graph(ledger)
    org_table(later, params)

    cases: list[tuple[str, Callable[[], Report]]] = [
        ("chain: every chain", lambda: build_report("chain", graph, params, "bench")),
        ("chain: largest chain", lambda: build_report("chain", graph, params, "bench", chain)),
        ("coverage", lambda: build_report("coverage", graph, params, "bench")),
        ("plan", lambda: build_report("plan", graph, params, "bench")),
        (
            "monthly",
            lambda: monthly_report(diff(graph, later, params), ("a", ""), ("b", ""), params),
        ),
    ]
    rows = []
    for name, make in cases:
        report, built = timed(make)
        cells = [name, f"{built:.2f}", f"{sum(len(t.rows) for t in report.tables()):,}"]
        for suffix in FORMATS:
            data, seconds = timed(lambda report=report, suffix=suffix: render(report, suffix))
            cells += [f"{seconds:.2f}", f"{len(data) / 1e6:.2f}"]
        rows.append(cells)
    head = ["report", "build s", "table rows", *(f"{s} {u}" for s in FORMATS for u in ("s", "MB"))]
    return markdown(f"Reports, {orgs:,} organizations", head, rows)


def main(argv: list[str] | None = None) -> None:
    main_with_orgs(run, __doc__, argv)


if __name__ == "__main__":
    main()
