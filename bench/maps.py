"""Every map on a large sample city: seconds to compute, to write as JSON, nodes and size.

``python -m bench.maps --orgs 100000`` reads the cached CSV city (see ``bench.pipeline``),
builds the graph once, warms the shared organization tables (as the app has them after its
first page), then times each map as a page asks for it: the whole area and the largest
street, district, building and park; one chain; one organization's partners; the plan and
the pairings, whole and for one street. Each row says how many nodes the map ships (never
more than ``MAX_NODES``) and whether it was folded.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.machine import main_with_orgs, markdown, timed
from bench.pipeline import city, largest
from graph.analysis.clusters import clusters
from graph.analysis.common import Params, org_table
from graph.build import build_graph
from loaders import read_ledger
from loaders.sample import DEFAULT_AS_OF
from viz import maps
from viz.mapdata import MAX_NODES, NetworkMap
from viz.render import map_block, map_json


def run(orgs: int) -> str:
    params = Params(as_of=DEFAULT_AS_OF)
    graph = build_graph(read_ledger(city(orgs)))
    table = org_table(graph, params)  # built once per graph in the app, shared by all maps
    uscc = clusters(graph, params)["members"].iloc[0][0]

    def biggest(column: str) -> str:
        return largest(table, column)

    def link(kind: str, code: str) -> str:
        return f"/{kind}/{code}"

    street, chain = biggest("street"), biggest("chain")
    cases: list[tuple[str, Callable[[], NetworkMap]]] = [
        ("region: whole area", lambda: maps.region_map(graph, params, link=link)),
        (
            "region: largest district",
            lambda: maps.region_map(graph, params, district=biggest("district"), link=link),
        ),
        (
            "region: largest street",
            lambda: maps.region_map(graph, params, street=street, link=link),
        ),
        (
            "region: largest building",
            lambda: maps.region_map(graph, params, building=biggest("building"), link=link),
        ),
        (
            "region: largest park",
            lambda: maps.region_map(graph, params, park=biggest("park"), link=link),
        ),
        ("chain: largest chain", lambda: maps.chain_map(graph, chain, params, link=link)),
        ("partners: one organization", lambda: maps.partner_map(graph, uscc, params, link=link)),
        ("plan: whole area", lambda: maps.plan_map(graph, params, link=link)),
        ("plan: largest street", lambda: maps.plan_map(graph, params, street, link=link)),
        ("pairing: whole area", lambda: maps.pairing_map(graph, params, link=link)),
        ("pairing: largest street", lambda: maps.pairing_map(graph, params, street, link=link)),
    ]
    rows = []
    total = 0.0
    for name, make in cases:
        m, seconds = timed(make)
        (payload, _), render = timed(lambda m=m: (map_json(m), map_block(m)))
        total += seconds + render
        assert len(m.nodes) <= MAX_NODES
        rows.append(
            (
                name,
                f"{seconds:.2f}",
                f"{render:.2f}",
                f"{len(m.nodes):,}",
                f"{len(m.edges):,}",
                f"{len(payload.encode()) / 1e6:.2f}",
                "yes" if m.aggregated else "no",
            )
        )
    rows.append(("**total**", f"{total:.2f}", "", "", "", "", ""))
    head = ("map", "seconds", "JSON + HTML seconds", "nodes", "edges", "JSON MB", "folded")
    return markdown(f"Maps, {orgs:,} organizations", head, rows, align="lrrrrrl")


def main(argv: list[str] | None = None) -> None:
    main_with_orgs(run, __doc__, argv)


if __name__ == "__main__":
    main()
