"""The sample city's four reports, built once per test session, for the report tests.

``SampleReports`` holds the graphs, the parameters, the analyses' own results the reports are
built from, and the four :class:`~viz.reports.document.Report` objects. The monthly report
compares the sample city with "next month": 30 organizations gone, 40 others uncovered, 10
newly covered (a neighbour's Party organization takes them in) and 15 new ones (the last 15 of
a larger city of the same seed), so every table has rows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import networkx as nx
import pandas as pd
import pytest

from graph.analysis.chains import SEVERITIES, chain_findings
from graph.analysis.common import Params
from graph.analysis.diff import VersionDiff, diff
from graph.analysis.plan import FormationPlan, plan
from graph.build import build_graph
from loaders.sample import DEFAULT_AS_OF, generate_city
from viz.reports.content import chain_report, coverage_report, monthly_report, plan_report
from viz.reports.document import Report

OUTPUT_DIR = Path(__file__).parent / "output" / "reports"
"""Where the report tests leave the files and their pictures (look at them before resolving)."""

SOURCE = "示例城市台账"
REPORTS = ("chain", "one_chain", "coverage", "plan", "monthly")
"""The names of :meth:`SampleReports.all`, for tests that go through every sample report."""
THEN = ("20261001", "2026-10-01")
NOW = ("20261101", "2026-11-01")


@dataclass(frozen=True)
class SampleReports:
    graph: nx.MultiDiGraph
    later: nx.MultiDiGraph
    params: Params
    plan: FormationPlan
    diff: VersionDiff
    chain: Report  # every chain
    one_chain: Report  # CYL01 alone
    coverage: Report
    formation: Report  # the plan report
    monthly: Report

    def all(self) -> dict[str, Report]:
        return {
            "chain": self.chain,
            "one_chain": self.one_chain,
            "coverage": self.coverage,
            "plan": self.formation,
            "monthly": self.monthly,
        }

    def findings(self, chain: str) -> pd.DataFrame:
        """:func:`~graph.analysis.chains.chain_findings` of one chain in the order the report
        lists them: the most severe first."""
        frame = chain_findings(self.graph, chain, self.params)
        return frame.sort_values(
            "severity", key=lambda s: s.map(SEVERITIES.index), kind="stable"
        ).reset_index(drop=True)


def next_month(orgs: int = 3000) -> nx.MultiDiGraph:
    """The sample city a month later (see the module docstring)."""
    ledger = generate_city(orgs)
    table = ledger.organizations
    later = table.iloc[30:].copy()
    normal = later["status"].fillna("正常").eq("正常") & later["party_org"].notna()
    lost = later.index[normal.to_numpy(dtype=bool)][:40]
    later.loc[lost, "party_org"] = pd.NA
    # 10 uncovered ones join the Party organization of a covered neighbour in their street
    covering = later[later["party_org"].notna()].drop_duplicates("street").set_index("street")
    open_ = later["party_org"].isna() & later["status"].fillna("正常").eq("正常")
    open_ &= ~later.index.isin(lost)
    open_ &= later["street"].isin(covering.index)
    joined = later.index[open_.to_numpy(dtype=bool)][:10]
    later.loc[joined, "party_org"] = later.loc[joined, "street"].map(covering["party_org"])
    newcomers = generate_city(orgs + 15).organizations.iloc[-15:]
    newcomers = newcomers[~newcomers["uscc"].isin(later["uscc"])]
    newcomers = newcomers.assign(party_org=pd.NA, instructor=pd.NA)
    ledger.tables["organizations"] = pd.concat([later, newcomers], ignore_index=True)
    return build_graph(ledger)


def build_sample_reports() -> SampleReports:
    g = build_graph(generate_city(3000))
    later = next_month()
    params = Params(as_of=DEFAULT_AS_OF)
    formation = plan(g, params)
    changes = diff(g, later, params)
    return SampleReports(
        graph=g,
        later=later,
        params=params,
        plan=formation,
        diff=changes,
        chain=chain_report(g, None, params, SOURCE),
        one_chain=chain_report(g, "CYL01", params, SOURCE),
        coverage=coverage_report(g, params, SOURCE),
        formation=plan_report(formation, params, SOURCE),
        monthly=monthly_report(changes, THEN, NOW, params),
    )


def output_dir(name: str) -> Path:
    """A fresh folder under :data:`OUTPUT_DIR` for one test's files."""
    folder = OUTPUT_DIR / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="session")
def sample() -> SampleReports:
    """The sample city's reports, built once per test process (see :func:`build_sample_reports`)."""
    return build_sample_reports()


def need_tool(name: str, package: str = "poppler-utils") -> str:
    """The path of a program the rendering needs; skipped without it (a failure under CI)."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"未找到 {name}（{package}）：运行 make test 会安装（需要 root 执行 apt-get）"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def pdf_words(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, str]]]]:
    """Each page of the PDF as ``(width, height, [(xMin, xMax, word) …])`` (poppler's
    ``pdftotext -bbox-layout``), to check that every word lies inside the page margins."""
    out = subprocess.run(
        [need_tool("pdftotext"), "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
    ).stdout
    tree = lxml.etree.fromstring(out, lxml.etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for page in tree.iter("{*}page"):
        words = [
            (float(w.get("xMin")), float(w.get("xMax")), w.text or "") for w in page.iter("{*}word")
        ]
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages
