"""The two coverage rates (两个覆盖) per kind of organization, overall or per place or chain."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.analysis.common import Params, org_table, pct
from graph.model import OrgKind

__all__ = ["GROUPINGS", "count_coverage", "coverage", "kind_overview"]

GROUPINGS: dict[str, tuple[str, str] | None] = {
    "kind": None,
    "district": ("district", "district"),
    "street": ("street", "street_name"),
    "building": ("building", "building_name"),
    "park": ("park", "park_name"),
    "chain": ("chain", "chain_name"),
    "segment": ("segment", "segment_name"),
}
"""``--by`` choices: the organization column grouped on, and the column naming the group."""

METRICS = ["total", "org_covered", "work_covered", "standalone", "with_members"]


def coverage(g: nx.MultiDiGraph, by: str = "kind", params: Params | None = None) -> pd.DataFrame:
    """Coverage per kind (非公企业 / 社会组织), optionally per place or chain.

    Rates as reported upwards (seed 001, 003): 组织覆盖率 = organizations with their own or a
    joint Party organization ÷ organizations in scope; 单独组建率 = those with their own ÷
    those covered; 工作覆盖率 = organizations with organization coverage, an instructor or a
    群团 organization ÷ in scope. Only organizations whose 经营状态 is 正常 and that meet the
    scope's staff minimum count (僵尸企业, 空壳, 注销 are cleared from every denominator).

    Returns one row per group and kind with ``group`` and ``group_name`` (absent for
    ``by="kind"``), ``kind``, ``total``, ``org_covered``, ``work_covered``, ``standalone``,
    ``with_members`` (at least one formal member), and ``org_rate``, ``work_rate``,
    ``standalone_rate`` in percent with two decimals. Organizations without a value for the
    grouping (no building, no chain …) are left out of that grouping. Rows are sorted by
    ``org_rate``, worst first, for every grouping but ``kind`` (enterprises, then social
    organizations). Cost: one pass over the organizations.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    orgs = org_table(g, params)
    return count_coverage(orgs[orgs["in_scope"]], by)


def count_coverage(scope: pd.DataFrame, by: str = "kind") -> pd.DataFrame:
    """The counting behind :func:`coverage`, on an organization table already cut to the scope.

    ``scope`` has ``org_table``'s columns (at least ``org_kind``, ``org_covered``,
    ``work_covered``, ``standalone``, ``formal_members`` and the grouping's columns); the plan
    uses it to count the rates a proposal would reach with the same definitions.
    """
    scope = scope.assign(with_members=scope["formal_members"] > 0)
    flags = scope[["org_covered", "work_covered", "standalone", "with_members"]].astype("int64")
    frame = pd.concat([scope[["org_kind"]], flags], axis=1).rename(columns={"org_kind": "kind"})
    grouping = GROUPINGS[by]
    keys = ["kind"]
    if grouping is not None:
        column, name_column = grouping
        frame["group"] = scope[column]
        frame["group_name"] = scope[name_column].fillna(scope[column])
        frame = frame[frame["group"].notna()]
        keys = ["group", "group_name", "kind"]
    counted = frame.groupby(keys, sort=True).agg(
        total=("kind", "size"),
        org_covered=("org_covered", "sum"),
        work_covered=("work_covered", "sum"),
        standalone=("standalone", "sum"),
        with_members=("with_members", "sum"),
    )
    if grouping is None:  # the two headline rows are always there, even when one kind is empty
        counted = counted.reindex([k.value for k in OrgKind], fill_value=0)
        counted.index.name = "kind"
    result = counted.reset_index()
    result[METRICS] = result[METRICS].astype("int64")
    result["org_rate"] = pct(result["org_covered"], result["total"])
    result["work_rate"] = pct(result["work_covered"], result["total"])
    result["standalone_rate"] = pct(result["standalone"], result["org_covered"])
    if grouping is not None:
        result = result.sort_values(
            ["org_rate", "total", "group"], ascending=[True, False, True], na_position="last"
        ).reset_index(drop=True)
    return result


def kind_overview(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """Per kind: organizations listed, operating ones, and the coverage headline (no scope);
    the table of ``liangxin summary`` and ``GET /api/summary``."""
    params = Params()
    rates = coverage(graph, "kind", params)
    listed = org_table(graph, params)["org_kind"].value_counts()
    rates.insert(1, "listed", rates["kind"].map(listed).fillna(0).astype("int64"))
    return rates[["kind", "listed", "total", "org_covered", "org_rate", "work_rate"]]
