"""What changed between two versions of the ledger (月调度): organizations, coverage, rates."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from graph.analysis.common import Params, missing_as_none, org_table, party_org_names
from graph.analysis.coverage import coverage
from graph.model import OrgStatus

__all__ = ["VersionDiff", "diff"]

ORG_COLUMNS = ["uscc", "name", "kind", "street", "street_name", "status", "in_scope", "covered"]
"""Columns of ``added`` and ``removed``."""

CHANGE_COLUMNS = [
    "uscc",
    "name",
    "kind",
    "street",
    "street_name",
    "new_org",
    "in_scope_then",
    "party_org_then",
    "party_org_then_name",
    "party_org_now",
    "party_org_now_name",
    "reason",
]
"""Columns of ``newly_uncovered`` and ``newly_covered``."""

RATE_COLUMNS = [
    "group",
    "group_name",
    "kind",
    "total_then",
    "org_rate_then",
    "total_now",
    "org_rate_now",
    "change",
]
"""Columns of ``streets`` and ``chains``."""

HEADLINE_METRICS = [
    "total",
    "org_covered",
    "work_covered",
    "standalone",
    "org_rate",
    "work_rate",
    "standalone_rate",
]


@dataclass(frozen=True, eq=False)
class VersionDiff:
    """The changes from one version (then) to the next (now), each a table.

    - ``added`` / ``removed``: organizations in only one version (``ORG_COLUMNS``; ``covered``
      is their organization coverage in the version they are in);
    - ``newly_uncovered``: in scope now and not organization-covered now, and either covered
      then, or not counted then: new (``new_org`` True: it arrived uncovered) or outside the
      scope then (``in_scope_then`` False: e.g. back from 僵尸企业) (``CHANGE_COLUMNS``);
    - ``newly_covered``: in scope and covered now, and uncovered or not counted then;
    - ``streets`` / ``chains``: organization coverage per street / chain and kind, then and
      now (``RATE_COLUMNS``; ``change`` in percentage points), largest drop first;
    - ``headline``: the two ``coverage(by="kind")`` rows, each metric ``_then`` and ``_now``,
      with ``org_rate_change`` and ``work_rate_change``.
    """

    added: pd.DataFrame
    removed: pd.DataFrame
    newly_uncovered: pd.DataFrame
    newly_covered: pd.DataFrame
    streets: pd.DataFrame
    chains: pd.DataFrame
    headline: pd.DataFrame


def diff(old: nx.MultiDiGraph, new: nx.MultiDiGraph, params: Params | None = None) -> VersionDiff:
    """Compare two versions of the area (monthly scheduling, 月调度, seed 004).

    Organizations are matched by USCC. The rates are :func:`coverage`'s, computed on each
    graph with the same ``params`` (scope, as-of), so a street's ``change`` is exactly the
    difference between what ``coverage --by street`` said then and says now; a street or
    chain present in only one version has NaN on the other side and its ``change`` is NaN
    (listed last). An organization that left the scope (经营状态 no longer 正常, or below the
    staff minimum) is not "newly uncovered": it left every denominator; one that entered it
    uncovered is, as it adds to the gap like a new one. Cost: linear in the organizations of
    both versions (the reasons are one Python loop over the changed ones only).
    """
    params = params or Params()
    then, now = org_table(old, params), org_table(new, params)
    added = _org_rows(now[~_isin(now["uscc"], then["uscc"])])
    removed = _org_rows(then[~_isin(then["uscc"], now["uscc"])])

    was = then.set_index("uscc")[["org_covered", "in_scope", "status", "party_org"]]
    scope = now[now["in_scope"].to_numpy(dtype=bool)]
    counted_then = scope["uscc"].map(was["in_scope"]).fillna(False).astype(bool).to_numpy()
    covered_then = scope["uscc"].map(was["org_covered"]).fillna(False).astype(bool).to_numpy()
    covered_now = scope["org_covered"].to_numpy(dtype=bool)
    lost = ~covered_now & (covered_then | ~counted_then)
    gained = covered_now & (~covered_then | ~counted_then)
    po_names = party_org_names(old) | party_org_names(new)
    return VersionDiff(
        added=added,
        removed=removed,
        newly_uncovered=_changes(scope[lost], was, po_names, uncovered=True),
        newly_covered=_changes(scope[gained], was, po_names, uncovered=False),
        streets=_rate_change(old, new, "street", params),
        chains=_rate_change(old, new, "chain", params),
        headline=_headline(old, new, params),
    )


# ---------------------------------------------------------------------------------------------
# Helpers


def _org_rows(orgs: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            **_identity(orgs),
            "status": orgs["status"].fillna(OrgStatus.NORMAL.value),
            "in_scope": orgs["in_scope"].astype(bool),
            "covered": orgs["org_covered"].astype(bool),
        },
        columns=ORG_COLUMNS,
    )
    return frame.sort_values(["street", "uscc"]).reset_index(drop=True)


def _identity(orgs: pd.DataFrame) -> dict[str, pd.Series]:
    """Which organization each row is and its street (the street's code where it has no name)."""
    return {
        "uscc": orgs["uscc"],
        "name": orgs["name"],
        "kind": orgs["org_kind"],
        "street": orgs["street"],
        "street_name": orgs["street_name"].fillna(orgs["street"]),
    }


def _changes(
    orgs: pd.DataFrame, was: pd.DataFrame, po_names: dict[str, str], *, uncovered: bool
) -> pd.DataFrame:
    """The organizations whose counted coverage changed, with who covered them then and now."""
    new_org = ~_isin(orgs["uscc"], was.index)
    in_scope_then = orgs["uscc"].map(was["in_scope"]).fillna(False).astype(bool)
    status_then = orgs["uscc"].map(was["status"]).fillna(OrgStatus.NORMAL.value)
    po_then = missing_as_none(orgs["uscc"].map(was["party_org"]))
    po_now = missing_as_none(orgs["party_org"])
    frame = pd.DataFrame(
        {
            **_identity(orgs),
            "new_org": new_org,
            "in_scope_then": in_scope_then.to_numpy(dtype=bool),
            "party_org_then": po_then,
            "party_org_then_name": missing_as_none(po_then.map(po_names)),
            "party_org_now": po_now,
            "party_org_now_name": missing_as_none(po_now.map(po_names)),
        }
    )
    reasons = []
    for row, status in zip(frame.itertuples(index=False), status_then, strict=True):
        now_po = row.party_org_now_name or row.party_org_now
        if row.new_org:
            why = "本期新增的组织，"
            why += "尚未建立或纳入党组织" if uncovered else f"已由{now_po}覆盖"
        elif not row.in_scope_then:
            why = f"上期不在统计范围（{status}），本期纳入统计，"
            if status == OrgStatus.NORMAL:
                why = "上期不在统计范围（从业人员不足），本期纳入统计，"
            why += "未覆盖" if uncovered else f"由{now_po}覆盖"
        elif uncovered:
            why = f"上期由{row.party_org_then_name or row.party_org_then}覆盖，本期未覆盖"
        else:
            why = f"上期未覆盖，本期由{now_po}覆盖"
        reasons.append(why)
    frame["reason"] = pd.Series(reasons, index=frame.index, dtype=object)
    frame = frame.sort_values(["street", "new_org", "uscc"], ascending=[True, False, True])
    return frame.reset_index(drop=True)[CHANGE_COLUMNS]


def _rate_change(
    old: nx.MultiDiGraph, new: nx.MultiDiGraph, by: str, params: Params
) -> pd.DataFrame:
    keys = ["group", "kind"]
    then = coverage(old, by=by, params=params)[[*keys, "group_name", "total", "org_rate"]]
    now = coverage(new, by=by, params=params)[[*keys, "group_name", "total", "org_rate"]]
    merged = then.merge(now, on=keys, how="outer", suffixes=("_then", "_now"))
    merged["group_name"] = merged["group_name_now"].fillna(merged["group_name_then"])
    for side in ("then", "now"):
        merged[f"total_{side}"] = merged[f"total_{side}"].fillna(0).astype("int64")
    merged["change"] = (merged["org_rate_now"] - merged["org_rate_then"]).round(2)
    merged = merged.sort_values(
        ["change", "group", "kind"], ascending=[True, True, True], na_position="last"
    )
    return merged.reset_index(drop=True)[RATE_COLUMNS]


def _headline(old: nx.MultiDiGraph, new: nx.MultiDiGraph, params: Params) -> pd.DataFrame:
    then = coverage(old, by="kind", params=params).set_index("kind")[HEADLINE_METRICS]
    now = coverage(new, by="kind", params=params).set_index("kind")[HEADLINE_METRICS]
    frame = then.add_suffix("_then").join(now.add_suffix("_now"))
    frame["org_rate_change"] = (frame["org_rate_now"] - frame["org_rate_then"]).round(2)
    frame["work_rate_change"] = (frame["work_rate_now"] - frame["work_rate_then"]).round(2)
    return frame.reset_index()


def _isin(values: pd.Series | pd.Index, others: pd.Series | pd.Index) -> np.ndarray:
    """``values.isin(others)`` through a Python set: Arrow strings' own isin is ten times slower."""
    known = set(others.tolist())
    return np.fromiter((v in known for v in values.tolist()), dtype=bool, count=len(values))
