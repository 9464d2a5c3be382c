"""The formation plan at city and province scale: seconds, and pools solved to proven optimality.

``python -m bench.plan --orgs 100000 1000000`` generates each sample city in memory, builds the
graph, then times (a) the organization and Party-organization tables every analysis shares —
the floor the plan is measured against — and (b) the plan from those tables: pooling, the
CP-SAT solve of every pool, 分出 and 拆分, and the projected rates. Issue 11's targets: ≤ 20 s
at 100,000 and ≤ 5 min at 1,000,000 organizations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from bench.machine import markdown
from graph.analysis.common import Params, org_table, party_org_table
from graph.analysis.plan import plan
from graph.build import build_graph
from loaders.sample import DEFAULT_AS_OF, generate_city


def run(orgs: int) -> tuple[str, ...]:
    params = Params(as_of=DEFAULT_AS_OF)
    graph = build_graph(generate_city(orgs, 2022))
    start = time.perf_counter()
    org_table(graph, params)
    party_org_table(graph)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    result = plan(graph, params)
    seconds = time.perf_counter() - start
    s = result.solver
    share = f"{100 * s.optimal / s.pools:.1f}%" if s.pools else "—"
    planned = len(result.assignments())
    return (
        f"{orgs:,}",
        f"{planned:,}",
        f"{floor:.2f}",
        f"{seconds:.2f}",
        f"{seconds / floor:.1f}×" if floor else "—",
        f"{s.pools:,}",
        f"{s.optimal:,} ({share})",
        f"{s.limited + s.greedy:,}",
        f"{s.largest:,}",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.plan", description=__doc__)
    parser.add_argument("--orgs", type=int, nargs="+", default=[100_000])
    args = parser.parse_args(argv)
    rows = [run(n) for n in args.orgs]
    headings = (
        "organizations",
        "planned",
        "floor: shared tables (s)",
        "plan (s)",
        "plan ÷ floor",
        "pools",
        "proven optimal",
        "time limit hit",
        "largest pool",
    )
    intro = f"Measured {dt.date.today().isoformat()}."
    print(markdown("Formation plan (exact per pool)", headings, rows, intro=intro))


if __name__ == "__main__":
    main()
