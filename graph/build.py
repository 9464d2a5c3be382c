"""Build the one networkx graph (两新图谱) of a validated ledger; count its nodes and edges."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import repeat
from typing import Any

import networkx as nx
import pandas as pd

from graph.ledger import Ledger
from graph.model import EdgeKind, NodeKind, PartyOrgType, node_id

__all__ = ["NODE_SHEETS", "RENAMED", "build_graph", "graph_counts", "nodes_of"]

Node = tuple[str, dict[str, object]]
Edge = tuple[str, str, str, dict[str, object]]

_RESERVED = frozenset({"kind", "code"})
"""Attributes the builder sets on every node; a ledger column of the same key is renamed.

(``name`` is set too, but from the row's own ``name`` column, so it needs no renaming.)
"""

RENAMED = {("organizations", "kind"): "org_kind"}
"""组织类型 (非公企业 / 社会组织) would clash with the node's ``kind``, so it is ``org_kind``."""

NODE_SHEETS: dict[NodeKind, tuple[str, str]] = {
    NodeKind.STREET: ("streets", "id"),
    NodeKind.BUILDING: ("buildings", "id"),
    NodeKind.PARK: ("parks", "id"),
    NodeKind.CHAIN: ("chains", "id"),
    NodeKind.SEGMENT: ("segments", "id"),
    NodeKind.INSTRUCTOR: ("instructors", "id"),
    NodeKind.PARTY_ORG: ("party_orgs", "id"),
    NodeKind.ORGANIZATION: ("organizations", "uscc"),
}
"""The node sheets, in the order their nodes are added: each kind's sheet and code column.

District (区县) and MemberUnit (成员单位) nodes have no sheet: they are derived."""


def build_graph(ledger: Ledger) -> nx.MultiDiGraph:
    """The graph of one ledger: every node and edge kind of ``graph.model``, nothing else.

    Node keys are ``node_id(kind, code)`` (a street and a 党组织 may share a code). Every node
    has ``kind`` (the ``NodeKind`` value), ``code`` (its ledger code) and ``name`` (its display
    name, never None), plus every column of its row under the column's English key (the
    planner's extra columns under their header). ``组织.组织类型`` is stored as ``org_kind``; a
    column that would clash with ``kind`` or ``code`` otherwise becomes ``ledger_<key>``.
    Values are plain Python: NA is None, dates are ``datetime.date``, counts are ``int``.

    Edges are keyed by their ``EdgeKind`` value and carry it as ``kind``, so two nodes have at
    most one edge of each kind. Districts (区县) come from the streets' and parks' 所在区县; a
    committee member given only by name (a government department, 三方进入) is a MemberUnit
    ``unit:<name>``. A member organization whose own 党组织 is not the chain committee gives
    that 党组织 a FUNCTIONAL_MEMBER_OF (功能型隶属) edge to the committee beside its formal
    SUBORDINATE_TO (隶属), as the three-level chain system keeps both (seed 000 §12).

    The ledger is assumed validated (references resolve); its tables are not modified.
    ``G.graph["built_from"]`` holds the rows per sheet. Cost: linear in the rows; a million
    organizations (1.2 million nodes, 2.5 million edges) take about 25 s and 3–4 GB, as the
    graph holds every value of the ledger as Python objects.
    """
    with _gc_paused():
        return _build(ledger)


def _build(ledger: Ledger) -> nx.MultiDiGraph:
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    g.graph["built_from"] = ledger.counts()
    orgs, pos = ledger.organizations, ledger.party_orgs
    streets, buildings, parks = ledger.streets, ledger.buildings, ledger.parks
    segments, cm = ledger.segments, ledger.committee_members

    g.add_nodes_from(_district_nodes(streets, parks))
    for kind, (sheet, code_column) in NODE_SHEETS.items():
        g.add_nodes_from(_table_nodes(ledger[sheet], sheet, kind, code_column))
    g.add_nodes_from(_member_unit_nodes(cm))

    org, po, street = NodeKind.ORGANIZATION, NodeKind.PARTY_ORG, NodeKind.STREET
    building, park, segment = NodeKind.BUILDING, NodeKind.PARK, NodeKind.SEGMENT
    chain_committees = _column(pos, "type") == PartyOrgType.CHAIN_COMMITTEE
    for edges in (
        _edges(streets, "id", street, "district", NodeKind.DISTRICT, EdgeKind.IN_DISTRICT),
        _edges(parks, "id", park, "district", NodeKind.DISTRICT, EdgeKind.IN_DISTRICT),
        _edges(buildings, "id", building, "street", street, EdgeKind.IN_STREET),
        _edges(segments, "id", segment, "chain", NodeKind.CHAIN, EdgeKind.PART_OF),
        _edges(pos, "id", po, "parent", po, EdgeKind.SUBORDINATE_TO),
        _edges(
            pos[chain_committees.to_numpy(dtype=bool, na_value=False)],
            "id",
            po,
            "chain",
            NodeKind.CHAIN,
            EdgeKind.LEADS_CHAIN,
        ),
        _edges(pos, "id", po, "street", street, EdgeKind.IN_STREET),
        _edges(pos, "id", po, "park", park, EdgeKind.IN_PARK),
        _edges(pos, "id", po, "building", building, EdgeKind.LOCATED_IN),
        _edges(orgs, "uscc", org, "building", building, EdgeKind.LOCATED_IN),
        _edges(orgs, "uscc", org, "street", street, EdgeKind.IN_STREET),
        _edges(orgs, "uscc", org, "park", park, EdgeKind.IN_PARK),
        _edges(orgs, "uscc", org, "segment", segment, EdgeKind.IN_SEGMENT),
        _edges(orgs, "party_org", po, "uscc", org, EdgeKind.COVERS),
        _edges(orgs, "instructor", NodeKind.INSTRUCTOR, "uscc", org, EdgeKind.GUIDES),
        _edges(
            ledger.supply_links, "supplier", org, "buyer", org, EdgeKind.SUPPLIES, ("relation",)
        ),
        _edges(ledger.pairings, "a", po, "b", po, EdgeKind.PAIRED_WITH, ("type", "since")),
        _edges(cm, "member", org, "party_org", po, EdgeKind.SITS_ON, ("side",)),
        _edges(
            cm[_column(cm, "member").isna().to_numpy(dtype=bool)],
            "member_name",
            NodeKind.MEMBER_UNIT,
            "party_org",
            po,
            EdgeKind.SITS_ON,
            ("side",),
        ),
        _functional_edges(cm, orgs),
    ):
        _add_edges(g, edges)
    return g


def graph_counts(g: nx.MultiDiGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes per kind and edges per kind, every kind of the model in its order, 0 included.

    Each table has the columns ``kind`` (the English value), ``label_zh`` (what a planner
    reads) and ``count``. Cost: one pass over the nodes and one over the edges.
    """
    # types-networkx types the views of one attribute (data="kind") as whole dicts or Never
    nodes = Counter(kind for _, kind in g.nodes(data="kind"))
    edges = Counter(kind for *_, kind in g.edges(data="kind"))  # type: ignore[var-annotated]
    return _count_table(NodeKind, nodes), _count_table(EdgeKind, edges)


def nodes_of(g: nx.MultiDiGraph, kind: NodeKind) -> list[str]:
    """The keys of the nodes of one kind (e.g. every 党组织), in the order they were added."""
    # (types-networkx: the view of one attribute is typed as the whole dict)
    return [n for n, k in g.nodes(data="kind") if k == kind]  # type: ignore[comparison-overlap]


# ---------------------------------------------------------------------------------------------
# Helpers


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of dicts are made.

    The build creates no reference cycles, yet every few hundred allocations the collector
    runs, and its full passes walk the whole growing graph: at a million organizations that
    is a third of the time. The previous state is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _count_table(kinds: Iterable[NodeKind] | Iterable[EdgeKind], counts: Counter) -> pd.DataFrame:
    rows = [(k.value, k.label_zh, counts.get(k.value, 0)) for k in kinds]
    return pd.DataFrame(rows, columns=["kind", "label_zh", "count"]).astype({"count": "int64"})


def _column(df: pd.DataFrame, key: str) -> pd.Series:
    """A column, or all NA if a hand-built table lacks it."""
    if key in df.columns:
        return df[key]
    return pd.Series(pd.NA, index=df.index, dtype="object")


def _values(s: pd.Series) -> list[Any]:
    """The column as plain Python values: None for NA, ``datetime.date`` for dates, int, float."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        # datetime64[D] → object gives datetime.date, NaT gives None, all inside numpy.
        return s.to_numpy().astype("datetime64[D]").astype(object).tolist()
    return s.to_numpy(dtype=object, na_value=None).tolist()  # type: ignore[call-overload]


def _ids(kind: NodeKind, codes: Iterable[object]) -> list[str]:
    """``node_id`` over a column, without a call per code."""
    prefix = f"{kind.prefix}:"
    return [prefix + str(c) for c in codes]


def _attr_key(sheet: str, column: str) -> str:
    if (sheet, column) in RENAMED:
        return RENAMED[(sheet, column)]
    return f"ledger_{column}" if column in _RESERVED else column


def _table_nodes(df: pd.DataFrame, sheet: str, kind: NodeKind, code_column: str) -> Iterator[Node]:
    """One node per row: kind, code, name first, then the row's columns (NA as None)."""
    if code_column not in df.columns or df.empty:
        return
    df = df[df[code_column].notna().to_numpy(dtype=bool)]
    codes = _values(df[code_column])
    names = _values(_column(df, "name"))
    names = [c if n is None else n for n, c in zip(names, codes, strict=True)]
    others = [c for c in df.columns if c != "name"]
    keys = ["kind", "code", "name", *(_attr_key(sheet, str(c)) for c in others)]
    columns = [_values(df[c]) for c in others]
    rows = zip(repeat(kind.value), codes, names, *columns)
    # map(dict, map(zip, …)) builds the dicts in C, twice as fast as a comprehension.
    yield from zip(_ids(kind, codes), map(dict, map(zip, repeat(keys), rows)), strict=True)


def _district_nodes(streets: pd.DataFrame, parks: pd.DataFrame) -> Iterator[Node]:
    """区县 named by the streets and parks, keyed and coded by the district name."""
    names = pd.concat([_column(streets, "district"), _column(parks, "district")]).dropna()
    for name in dict.fromkeys(names.astype(str).tolist()):
        yield (
            node_id(NodeKind.DISTRICT, name),
            {
                "kind": NodeKind.DISTRICT.value,
                "code": name,
                "name": name,
            },
        )


def _member_unit_nodes(cm: pd.DataFrame) -> Iterator[Node]:
    """Committee members given only by name (政府部门 …), one node per name, first side kept."""
    units = cm[_column(cm, "member").isna().to_numpy(dtype=bool)]
    names, sides = _values(_column(units, "member_name")), _values(_column(units, "side"))
    seen: set[str] = set()
    for name, side in zip(names, sides, strict=True):
        if name is None or name in seen:
            continue
        seen.add(name)
        yield (
            node_id(NodeKind.MEMBER_UNIT, name),
            {
                "kind": NodeKind.MEMBER_UNIT.value,
                "code": name,
                "name": name,
                "side": side,
            },
        )


def _add_edges(g: nx.MultiDiGraph, edges: Iterable[Edge]) -> None:
    """``add_edges_from`` without its per-edge view lookups: about three times faster."""
    add = g.add_edge
    for u, v, key, data in edges:
        add(u, v, key, **data)


def _edges(
    df: pd.DataFrame,
    src_column: str,
    src_kind: NodeKind,
    dst_column: str,
    dst_kind: NodeKind,
    kind: EdgeKind,
    attrs: tuple[str, ...] = (),
) -> Iterator[Edge]:
    """One edge per row where both ends are given, keyed and labelled by the edge kind."""
    if df.empty:
        return
    src, dst = _column(df, src_column), _column(df, dst_column)
    both = (src.notna() & dst.notna()).to_numpy(dtype=bool)
    if not both.all():
        df, src, dst = df[both], src[both], dst[both]
    us, vs = _ids(src_kind, _values(src)), _ids(dst_kind, _values(dst))
    if not attrs:
        data = {"kind": kind.value}  # add_edges_from copies it into each edge
        yield from zip(us, vs, repeat(kind.value), repeat(data))
        return
    columns = [_values(_column(df, a)) for a in attrs]
    keys = ["kind", *attrs]
    rows = map(dict, map(zip, repeat(keys), zip(repeat(kind.value), *columns)))
    yield from zip(us, vs, repeat(kind.value), rows)


def _functional_edges(cm: pd.DataFrame, orgs: pd.DataFrame) -> Iterator[Edge]:
    """功能型隶属: the 党组织 of each member organization → the chain committee it sits on."""
    members = cm[_column(cm, "member").notna().to_numpy(dtype=bool)]
    if members.empty or orgs.empty:
        return
    covered = orgs.loc[orgs["uscc"].isin(members["member"]).to_numpy(dtype=bool)]
    own_po = dict(zip(_values(covered["uscc"]), _values(covered["party_org"]), strict=True))
    committees = _values(members["party_org"])
    kind = EdgeKind.FUNCTIONAL_MEMBER_OF.value
    for member, committee in zip(_values(members["member"]), committees, strict=True):
        po = own_po.get(member)
        if po is not None and committee is not None and po != committee:
            u, v = node_id(NodeKind.PARTY_ORG, po), node_id(NodeKind.PARTY_ORG, committee)
            yield u, v, kind, {"kind": kind}
