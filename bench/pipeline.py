"""The ledger pipeline on a large sample city: check, load into the workspace, read back, build.

``python -m bench.pipeline --orgs 100000`` writes the CSV city once under ``.bench/`` (reused
on later runs), then times each step and prints a Markdown table with the machine it ran on.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from bench.machine import Timer, main_with_orgs
from graph.build import build_graph
from graph.store.workspace import Workspace, source_checksum
from loaders import check_ledger
from loaders.sample import write_sample

CACHE = Path(__file__).resolve().parent.parent / ".bench"


def city(orgs: int, seed: int = 2022) -> Path:
    """The CSV sample city of ``orgs`` organizations, written once and cached."""
    folder = CACHE / f"city-{orgs}-{seed}"
    if not (folder / "组织.csv").exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_sample(folder, orgs=orgs, seed=seed, fmt="csv", encoding="utf-8-sig")
    return folder


def largest(table: pd.DataFrame, column: str) -> str:
    """The code in ``column`` (a street, a chain …) of the most rows of ``table``."""
    return str(table[column].value_counts().index[0])


def run(orgs: int) -> str:
    timer = Timer()
    cached = (CACHE / f"city-{orgs}-2022" / "组织.csv").exists()
    with timer.step(
        f"write the sample city ({orgs:,} orgs, CSV)", None if cached else orgs, "orgs"
    ):
        source = city(orgs)
    if cached:  # nothing was written: say so rather than report a meaningless rate
        name, seconds, _ = timer.rows[-1]
        timer.rows[-1] = (f"{name} — reused from {CACHE.name}/", seconds, "")
    with timer.step("check (read + validate)", orgs, "orgs"):
        ledger, issues = check_ledger(source)
    assert not [i for i in issues if i.is_error], "the sample city must be valid"
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(tmp)
        with timer.step("load into the workspace (Parquet, atomic)", orgs, "orgs"):
            ws.save(ledger, source=source, checksum=source_checksum(source))
        with timer.step("read the current version back", orgs, "orgs"):
            back = ws.read()
    assert back.equals(ledger)
    with timer.step("build the graph", orgs, "orgs"):
        graph = build_graph(back)
    timer.rows.append(
        (f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges", 0.0, "")
    )
    return timer.report(f"Ledger pipeline, {orgs:,} organizations")


def main(argv: list[str] | None = None) -> None:
    main_with_orgs(run, __doc__, argv)


if __name__ == "__main__":
    main()
