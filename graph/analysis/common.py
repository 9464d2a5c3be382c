"""What every analysis reads: thresholds, scope, and the graph's organizations and 党组织 as tables.

The analyses take the graph first and return plain data. Most of them need the same view of
the organizations (where each sits, who covers it, whether it counts) and of the Party
organizations (what they cover, how they are formed); :func:`org_table` and
:func:`party_org_table` derive those once per graph and parameters and keep the result in
``G.graph`` so that several analyses of one graph share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar, overload

import networkx as nx
import numpy as np
import pandas as pd

from graph.model import (
    EdgeKind,
    FormationMode,
    NodeKind,
    OrgKind,
    OrgStatus,
    PartyLevel,
    PartyOrgType,
)

__all__ = [
    "COVERAGE_LABELS",
    "Params",
    "as_date",
    "commonest",
    "days_after",
    "is_missing",
    "memoised",
    "missing_as_none",
    "months_before",
    "node_rows",
    "node_table",
    "none_for_missing",
    "org_table",
    "party_org_names",
    "party_org_table",
    "pct",
    "place_names",
    "shared_value",
    "streets",
    "term_years",
]


@dataclass(frozen=True)
class Params:
    """The thresholds of the rules; each is a default planners can change (domain.md).

    ``as_of`` is the day dates are judged against; the two ``min_employees_*`` set the scope
    (seed 003 focuses drives on enterprises with 10+ staff and social organizations with 30+).
    """

    as_of: dt.date = field(default_factory=dt.date.today)
    min_employees_enterprise: int = 0
    min_employees_social: int = 0
    standalone_min_members: int = 3  # 3 or more formal members form their own (单独组建)
    joint_max_orgs: int = 5  # one joint branch covers no more than 5 organizations
    branch_max_members: int = 50  # a 党支部 normally has at most 50 members; 50+ a 党总支
    committee_min_members: int = 100  # 100+ members set up a 基层党委
    branch_committee_members: int = 7  # 7+ formal members elect a branch committee
    branch_term_years: int = 3  # 党支部 / 党总支 term
    committee_term_years: int = 5  # 基层党委 term
    election_warning_days: int = 90  # warn this long before an election is due
    inactive_months: int = 6  # no organisational life for longer is 软弱涣散
    big_org_staff: int = 50  # every organization with 50+ staff should have members

    def key(self) -> tuple:
        return tuple(sorted(asdict(self).items()))

    def min_employees(self, kind: str) -> int:
        if kind == OrgKind.SOCIAL:
            return self.min_employees_social
        return self.min_employees_enterprise


ORG_TABLES_KEPT = 8
"""How many results of each memoised analysis (one per parameter set) a graph keeps."""

T = TypeVar("T")

COVERAGE_LABELS = {
    "own": "单独建立党组织",
    "joint": "联合党组织覆盖",
    "work": "仅党的工作覆盖",
    "none": "未覆盖",
}
"""The four states of an organization's coverage, as shown to planners."""


@overload
def pct(numerator: pd.Series, denominator: pd.Series) -> pd.Series: ...
@overload
def pct(numerator: float, denominator: float) -> float: ...
def pct(numerator: pd.Series | float, denominator: pd.Series | float) -> pd.Series | float:
    """A rate in percent with two decimals (90.56), NaN where the denominator is 0."""
    if isinstance(denominator, pd.Series):
        assert isinstance(numerator, pd.Series)
        den = denominator.astype("float64").replace(0, np.nan)
        return (100 * numerator.astype("float64") / den).round(2)
    assert not isinstance(numerator, pd.Series)
    return round(100 * numerator / denominator, 2) if denominator else float("nan")


def term_years(level: str | None, params: Params) -> int:
    """换届 term: 党委 5 years, 党总支 and 党支部 3 years."""
    return (
        params.committee_term_years if level == PartyLevel.COMMITTEE else params.branch_term_years
    )


def is_missing(value: object) -> bool:
    """True for a cell without a value: None, NaN, ``pd.NA`` or ``pd.NaT``."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def as_date(value: object) -> dt.date | None:
    """A date cell as a ``datetime.date``; None when missing or not a date."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, dt.date) else None


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` less ``months`` calendar months (the month's last day where that month is
    shorter); the earliest date there is when the result would fall before year 1."""
    try:
        return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()
    except (ValueError, OverflowError):
        return dt.date.min


def days_after(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days`` days; the last date there is when that would pass year 9999."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def missing_as_none(values: pd.Series) -> pd.Series:
    """``values`` as plain objects with None where missing (not NaN or pd.NA), for JSON."""
    values = values.astype(object)
    return values.where(values.notna(), None)


def commonest(frame: pd.DataFrame, by: str, column: str) -> pd.Series:
    """The most frequent ``column`` value of each ``by`` group (a tie goes to the lowest
    value), indexed by ``by``; missing values are not counted, groups with none are absent.

    E.g. the street most of a Party organization's organizations are in.
    """
    counts = frame.groupby([by, column]).size()
    if counts.empty:
        return pd.Series(dtype=object)
    ranked = counts.rename("n").reset_index()
    ranked = ranked.sort_values([by, "n", column], ascending=[True, False, True])
    return ranked.drop_duplicates(by).set_index(by)[column]


def shared_value(values: pd.Series) -> object:
    """The one value all of ``values`` have, else None (a missing one counts as different):
    e.g. the building every organization of a Party organization sits in."""
    unique = values.dropna().unique()
    return unique[0] if len(unique) == 1 and values.notna().all() else None


def none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Set missing values in ``frame``'s text columns to None, not NaN (JSON null), in place.

    Numeric and boolean columns are left as they are. Returns ``frame`` itself.
    """
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
            frame[column] = missing_as_none(values)
    return frame


def org_table(g: nx.MultiDiGraph, params: Params | None = None) -> pd.DataFrame:
    """One row per organization (两新组织) with its places, its coverage and whether it counts.

    Columns: the ledger's (``uscc``, ``name``, ``org_kind``, ``category``, ``industry``,
    ``employees``, ``formal_members``, ``probationary_members``, ``status``, ``street``,
    ``building``, ``park``, ``segment``, ``party_org``, ``instructor``, the 群团 flags,
    ``lon``/``lat`` — the building's where the organization has none), and derived:

    - ``district``, ``street_name``, ``building_name``, ``park_name``, ``segment_name``,
      ``position``, ``chain``, ``chain_name``;
    - ``operating``: 经营状态 is 正常 (only these count anywhere, seed 003);
    - ``in_scope``: operating and at least the scope's staff for its kind;
    - ``org_covered`` (党的组织覆盖): a Party organization covers it;
    - ``po_covers`` / ``po_covers_operating``: how many organizations (any status / 正常) its
      Party organization covers;
    - ``lead_head``: it heads its Party organization formed 龙头领建 — of the 正常
      organizations that organization covers, the one with the most formal members, then the
      most staff, then the lowest USCC (as ``leads.lead_organizations`` chooses);
    - ``standalone`` (has its own Party organization, 单独组建): its Party organization covers
      no other 正常 organization and is formed 单独组建 (or has no mode and is an enterprise /
      social-organization 党组织), or it is the ``lead_head`` of a 龙头领建 organization (the
      lead enterprise's own organization, which takes in its partners). Organizations of any
      other status listed under a Party organization do not make it joint;
    - ``work_covered`` (党的工作覆盖): organization-covered, or an instructor (党建指导员) is
      assigned, or a 群团 organization (union, youth league, women's federation) is present;
    - ``coverage``: ``own`` / ``joint`` / ``work`` / ``none``.

    Cost: linear in the nodes; memoised in ``G.graph`` for the last
    :data:`ORG_TABLES_KEPT` parameter sets (a web app asked for many dates keeps a few tables,
    not one per date).
    """
    params = params or Params()
    return memoised(g, "orgs", params.key(), lambda: _org_table(g, params))


def memoised(g: nx.MultiDiGraph, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per graph, ``name`` and ``key``; the last :data:`ORG_TABLES_KEPT`
    keys of each name are kept in ``G.graph`` (least recently used dropped first).

    For results several analyses or pages of one graph ask for with the same parameters;
    callers must not change what they get back.
    """
    memo = g.graph.setdefault("_analysis_memo", {})
    results: dict[Hashable, T] = memo.setdefault(name, {})
    if key in results:
        results[key] = results.pop(key)  # most recently used last
    else:
        while len(results) >= ORG_TABLES_KEPT:
            results.pop(next(iter(results)))
        results[key] = compute()
    return results[key]


def party_org_table(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per 党组织 with what it covers and how it is formed.

    Columns: the ledger's (``id``, ``name``, ``level``, ``type``, ``formation``, ``members``,
    ``parent``, ``chain``, ``park``, ``street``, ``building``, ``has_secretary``, ``founded``,
    ``last_election``, ``last_activity``; ``street`` falls back to its building's street) and
    derived: ``district``, ``street_name``; ``covers`` (organizations
    it covers, any status), ``covers_operating``, ``covered_formal`` (their formal members);
    ``is_liangxin`` (a 两新 type); ``is_joint`` (covers two or more 正常 organizations, or
    covers any with a joint mode: every mode but 单独组建);
    ``pairings`` (结对共建 partners, either direction).
    """
    return memoised(g, "pos", None, lambda: _party_org_table(g))


def party_org_names(g: nx.MultiDiGraph) -> dict[str, str]:
    """党组织 code → name, for every Party organization of the graph."""
    pos = party_org_table(g)
    return dict(zip(pos["id"].astype(str), pos["name"].astype(str), strict=True))


def place_names(orgs: pd.DataFrame, place: str) -> pd.Series:
    """The name of each code of ``place`` (``street``, ``building``, ``park``, ``chain`` …) as
    :func:`org_table` ``orgs`` gives it in ``<place>_name``; codes without an organization are
    absent."""
    known = orgs.dropna(subset=[place]).drop_duplicates(place)
    return known.set_index(place)[f"{place}_name"]


def streets(g: nx.MultiDiGraph) -> pd.DataFrame:
    """The streets (index = street code) with their ``name`` and ``district``; memoised."""
    return memoised(g, "streets", None, lambda: node_table(g, NodeKind.STREET, "district"))


def node_rows(g: nx.MultiDiGraph, kind: NodeKind | str) -> list[dict[str, Any]]:
    """The attribute dicts of the graph's nodes of one kind, in the order they were added.

    All kinds are sorted out in one pass over the graph, memoised: the tables here and the
    analyses that need the chains, segments or districts read these lists instead of each
    walking every node. Callers must not change the dicts (they are the graph's own).
    """
    return memoised(g, "nodes", None, lambda: _by_kind(g)).get(str(kind), [])


# ---------------------------------------------------------------------------------------------


_ORG_COLUMNS = [
    "uscc",
    "name",
    "org_kind",
    "category",
    "industry",
    "employees",
    "formal_members",
    "probationary_members",
    "status",
    "street",
    "building",
    "park",
    "segment",
    "party_org",
    "instructor",
    "has_union",
    "has_youth_league",
    "has_womens_federation",
    "secretary_is_investor",
    "lon",
    "lat",
    "registered",
]
_PO_COLUMNS = [
    "id",
    "name",
    "level",
    "type",
    "formation",
    "members",
    "parent",
    "chain",
    "park",
    "street",
    "building",
    "has_secretary",
    "founded",
    "last_election",
    "last_activity",
]


def _by_kind(g: nx.MultiDiGraph) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for _, data in g.nodes(data=True):
        found.setdefault(data.get("kind"), []).append(data)  # type: ignore[arg-type]
    return found


def _frame(g: nx.MultiDiGraph, kind: NodeKind, columns: list[str]) -> pd.DataFrame:
    rows = node_rows(g, kind)
    frame = (
        pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    )
    return frame.reset_index(drop=True)


def node_table(g: nx.MultiDiGraph, kind: NodeKind, *extra: str) -> pd.DataFrame:
    """The nodes of one kind as a table indexed by code, with ``name`` and the ``extra``
    attributes as columns (places, segments: lookups of names and parents)."""
    frame = _frame(g, kind, ["code", "name", *extra])
    return frame.drop_duplicates("code").set_index("code")


def _org_table(g: nx.MultiDiGraph, params: Params) -> pd.DataFrame:
    orgs = _frame(g, NodeKind.ORGANIZATION, _ORG_COLUMNS)
    for column in ("employees", "formal_members", "probationary_members"):
        orgs[column] = pd.to_numeric(orgs[column]).fillna(0).astype("int64")
    by_code = streets(g)
    buildings = node_table(g, NodeKind.BUILDING, "lon", "lat")
    parks = node_table(g, NodeKind.PARK)
    segments = node_table(g, NodeKind.SEGMENT, "chain", "position", "order")
    chains = node_table(g, NodeKind.CHAIN)
    orgs["district"] = orgs["street"].map(by_code["district"])
    orgs["street_name"] = orgs["street"].map(by_code["name"])
    orgs["building_name"] = orgs["building"].map(buildings["name"])
    orgs["park_name"] = orgs["park"].map(parks["name"])
    orgs["segment_name"] = orgs["segment"].map(segments["name"])
    orgs["position"] = orgs["segment"].map(segments["position"])
    orgs["chain"] = orgs["segment"].map(segments["chain"])
    orgs["chain_name"] = orgs["chain"].map(chains["name"])
    for axis in ("lon", "lat"):
        own = pd.to_numeric(orgs[axis], errors="coerce")
        orgs[axis] = own.fillna(
            pd.to_numeric(orgs["building"].map(buildings[axis]), errors="coerce")
        )

    pos = party_org_table(g).set_index("id")
    orgs["po_formation"] = orgs["party_org"].map(pos["formation"])
    orgs["po_type"] = orgs["party_org"].map(pos["type"])
    orgs["po_covers"] = orgs["party_org"].map(pos["covers"]).fillna(0).astype("int64")
    orgs["po_covers_operating"] = (
        orgs["party_org"].map(pos["covers_operating"]).fillna(0).astype("int64")
    )

    most = np.iinfo(np.int64).max  # a minimum beyond any staff count: nobody of that kind counts
    minimum = np.where(
        orgs["org_kind"] == OrgKind.SOCIAL,
        min(params.min_employees_social, most),
        min(params.min_employees_enterprise, most),
    )
    orgs["operating"] = orgs["status"].fillna(OrgStatus.NORMAL) == OrgStatus.NORMAL
    orgs["in_scope"] = orgs["operating"] & (orgs["employees"] >= minimum)
    orgs["org_covered"] = orgs["party_org"].notna()
    alone_mode = orgs["po_formation"].eq(FormationMode.STANDALONE) | (
        orgs["po_formation"].isna()
        & orgs["po_type"].isin([PartyOrgType.ENTERPRISE, PartyOrgType.SOCIAL])
    )
    # Only 正常 organizations decide whether a Party organization is one's own: a 单独组建
    # branch still listing a 注销 organization is its operating organization's own (issue 11).
    others = orgs["po_covers_operating"] - orgs["operating"].astype("int64")
    heads = (
        orgs[orgs["operating"] & orgs["po_formation"].eq(FormationMode.LEAD)]
        .sort_values(
            ["party_org", "formal_members", "employees", "uscc"],
            ascending=[True, False, False, True],
        )
        .drop_duplicates("party_org")
    )
    orgs["lead_head"] = orgs.index.isin(heads.index)
    orgs["standalone"] = orgs["org_covered"] & ((alone_mode & (others <= 0)) | orgs["lead_head"])
    mass = (
        orgs[["has_union", "has_youth_league", "has_womens_federation"]]
        .fillna(False)
        .astype(bool)
        .any(axis=1)
    )
    orgs["work_covered"] = orgs["org_covered"] | orgs["instructor"].notna() | mass
    orgs["coverage"] = np.select(
        [orgs["standalone"], orgs["org_covered"], orgs["work_covered"]],
        ["own", "joint", "work"],
        default="none",
    )
    return orgs


def _party_org_table(g: nx.MultiDiGraph) -> pd.DataFrame:
    pos = _frame(g, NodeKind.PARTY_ORG, _PO_COLUMNS)
    pos["members"] = pd.to_numeric(pos["members"]).fillna(0).astype("int64")
    buildings = node_table(g, NodeKind.BUILDING, "street")
    pos["street"] = pos["street"].fillna(pos["building"].map(buildings["street"]))
    by_code = streets(g)
    pos["district"] = pos["street"].map(by_code["district"])
    pos["street_name"] = pos["street"].map(by_code["name"])
    covered = [
        (d["party_org"], d.get("status"), d.get("formal_members") or 0)
        for d in node_rows(g, NodeKind.ORGANIZATION)
        if d.get("party_org")
    ]
    cover = pd.DataFrame(covered, columns=["po", "status", "formal"])
    grouped = cover.groupby("po")
    pos["covers"] = pos["id"].map(grouped.size()).fillna(0).astype("int64")
    operating = cover[cover["status"].fillna(OrgStatus.NORMAL) == OrgStatus.NORMAL]
    pos["covers_operating"] = (
        pos["id"].map(operating.groupby("po").size()).fillna(0).astype("int64")
    )
    pos["covered_formal"] = pos["id"].map(grouped["formal"].sum()).fillna(0).astype("int64")
    pos["is_liangxin"] = pos["type"].isin([t.value for t in PartyOrgType if t.is_liangxin])
    joint_mode = pos["formation"].notna() & (pos["formation"] != FormationMode.STANDALONE)
    pos["is_joint"] = (pos["covers_operating"] >= 2) | (joint_mode & (pos["covers"] >= 1))
    pairing = EdgeKind.PAIRED_WITH.value  # looked up once, not per edge
    paired = [(u, v) for u, v, k in g.edges(keys=True) if k == pairing]
    partners = pd.Series([g.nodes[n]["code"] for pair in paired for n in pair], dtype=object)
    pos["pairings"] = pos["id"].map(partners.value_counts()).fillna(0).astype("int64")
    return pos
