"""Every Cypher statement of the graph-database store, for Neo4j and FalkorDB alike.

One set of statements serves both servers; the few things they do differently (how a unique
key is declared, which characters a value may hold, which errors mean "already there" or
"no graph yet") are in :data:`UNIQUE_KEY`, :data:`FORBIDDEN_CHARACTERS`,
:data:`ALREADY_EXISTS` and :data:`NO_GRAPH_YET`, keyed by :class:`Dialect`.

Labels and relationship types are the only text ever formatted into a statement, and only
through :func:`render`, which accepts nothing but members of ``graph.model``'s fixed
``NodeKind`` / ``EdgeKind`` lists. Every value — codes, names, dates, the planner's extra
columns, the load id — travels as a parameter (``UNWIND $rows AS row …``).

Conventions of the stored graph:

- a node's unique key is ``code``: its ledger code (统一社会信用代码 for an Organization, the
  ``id`` column for the other sheets, the name for a District or a MemberUnit), the same
  value ``graph.build`` stores as ``code``; a uniqueness constraint per label enforces it;
- ``_row`` is a node's (or a row relationship's) position in its sheet, ``_load`` the id of
  the load that last wrote it; whatever another load wrote is removed at the end of a load;
  a row relationship is keyed by its two ends and ``_nth`` (which repeat of that pair it is);
- one ``(:LiangxinMeta {code: "ledger"})`` node records which sheets were present, the
  planner's extra columns and the rows per sheet (so the tables read back exactly), and
  ``loading`` while a load is under way.
"""

from __future__ import annotations

import re
from enum import StrEnum

from graph.model import EdgeKind, NodeKind
from graph.published import RESULT_LABELS

__all__ = [
    "ADD_RESULT_LABEL",
    "ALREADY_EXISTS",
    "CLEAR_META",
    "CLEAR_NODES",
    "CLEAR_RESULT_LABEL",
    "CLEAR_RESULT_PROPERTIES",
    "COUNT_NODES",
    "COUNT_RELATIONSHIPS",
    "DELETE_STALE_NODES",
    "DELETE_STALE_RELATIONSHIPS",
    "FORBIDDEN_CHARACTERS",
    "MERGE_EDGES",
    "MERGE_NODES",
    "MERGE_ROW_EDGES",
    "META_BEGIN",
    "META_COMMIT",
    "META_LABEL",
    "META_READ",
    "NO_GRAPH_YET",
    "READ_NODES",
    "READ_ROW_EDGES",
    "RESULT_PROPERTIES",
    "SET_RESULT_PROPERTIES",
    "UNIQUE_KEY",
    "Dialect",
    "constraint_name",
    "render",
    "render_result",
]


class Dialect(StrEnum):
    """The Cypher servers the store speaks to."""

    NEO4J = "neo4j"
    FALKORDB = "falkordb"

    @property
    def server(self) -> str:
        """The server's name as people write it."""
        return "Neo4j" if self is Dialect.NEO4J else "FalkorDB"


META_LABEL = "LiangxinMeta"
"""The label of the one bookkeeping node (not a model kind; never formatted from input)."""

# ---------------------------------------------------------------------------------------------
# Dialect differences: the only statements that are not shared

UNIQUE_KEY: dict[Dialect, str] = {
    Dialect.NEO4J: (
        "CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.code IS UNIQUE"
    ),
    # FalkorDB's unique constraint needs an exact-match index first; the constraint itself is
    # not Cypher but the GRAPH.CONSTRAINT command, which FalkorBackend issues via the client.
    Dialect.FALKORDB: "CREATE INDEX FOR (n:{label}) ON (n.code)",
}
"""Declares ``code`` unique for one label (Neo4j: ``IF NOT EXISTS``)."""

ALREADY_EXISTS: dict[Dialect, tuple[str, ...]] = {
    Dialect.NEO4J: (),  # IF NOT EXISTS: never raised
    Dialect.FALKORDB: ("already indexed", "already exists"),
}
"""Error texts that mean "the index or constraint is already there" (ignored)."""

NO_GRAPH_YET: dict[Dialect, tuple[str, ...]] = {
    Dialect.NEO4J: (),
    Dialect.FALKORDB: ("empty key",),  # a graph name never written to: read as empty
}
"""Error texts that mean "this graph does not exist yet": a read finds nothing."""

FORBIDDEN_CHARACTERS: dict[Dialect, str] = {
    Dialect.NEO4J: "",
    Dialect.FALKORDB: "\x00",  # C strings: a NUL ends the parameter header
}
"""Characters a server cannot hold in a value; a ledger containing one is refused up front."""

# ---------------------------------------------------------------------------------------------
# Writing: nodes first, then relationships matched by key, then what the load did not write

MERGE_NODES = """
UNWIND $rows AS row
MERGE (n:{label} {{code: row.code}})
SET n = row, n._load = $load
"""
"""Upsert one batch of nodes; ``SET n = row`` replaces every property (removed columns go)."""

MERGE_EDGES = """
UNWIND $rows AS row
MATCH (a:{src} {{code: row.src}})
MATCH (b:{dst} {{code: row.dst}})
MERGE (a)-[r:{type}]->(b)
SET r._load = $load
"""
"""Upsert derived relationships (at most one of a type between two nodes, as in the graph)."""

MERGE_ROW_EDGES = """
UNWIND $rows AS row
MATCH (a:{src} {{code: row.src}})
MATCH (b:{dst} {{code: row.dst}})
MERGE (a)-[r:{type} {{_nth: row.nth}}]->(b)
SET r = row.props, r._load = $load
"""
"""Upsert one relationship per ledger row (链上关系, 产业链党委成员, 结对共建).

Keyed by its ends and ``_nth`` (0 for the first row joining them, 1 for a repeated row …),
so removing a row from the sheet does not rewrite the rows after it."""

DELETE_STALE_RELATIONSHIPS = """
MATCH ()-[r:{type}]->()
WHERE coalesce(r._load, '') <> $load
WITH r LIMIT $batch
DELETE r
RETURN count(*) AS removed
"""
"""Remove up to ``$batch`` relationships of one type that this load did not write."""

DELETE_STALE_NODES = """
MATCH (n:{label})
WHERE coalesce(n._load, '') <> $load
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS removed
"""
"""Remove up to ``$batch`` nodes of one label that this load did not write."""

META_BEGIN = f"""
MERGE (m:{META_LABEL} {{code: 'ledger'}})
SET m.loading = $load
"""
"""Mark a load as under way: readers refuse a half-written graph until META_COMMIT."""

META_COMMIT = f"""
MERGE (m:{META_LABEL} {{code: 'ledger'}})
SET m = $props
"""
"""Record the finished load (its id, time, present sheets, extra columns); clears ``loading``."""

# ---------------------------------------------------------------------------------------------
# Reading

META_READ = f"MATCH (m:{META_LABEL}) RETURN properties(m) AS props"

READ_NODES = "MATCH (n:{label}) RETURN [prop IN $keys | n[prop]] AS values"
"""The ``$keys`` properties of every node of a label, as one list per node (a list, not a map:
FalkorDB's replies for maps are twice as slow to parse, and ``$keys`` keeps names parameters)."""

READ_ROW_EDGES = """
MATCH (a:{src})-[r:{type}]->(b:{dst})
RETURN a.code AS src, b.code AS dst, [prop IN $keys | r[prop]] AS values
"""

COUNT_NODES = "MATCH (n:{label}) RETURN count(n) AS total"

COUNT_RELATIONSHIPS = "MATCH ()-[r:{type}]->() RETURN count(r) AS total"

# ---------------------------------------------------------------------------------------------
# Clearing (only the model's labels and the bookkeeping node)

CLEAR_NODES = """
MATCH (n:{label})
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS removed
"""

CLEAR_META = f"MATCH (m:{META_LABEL}) DETACH DELETE m"


# ---------------------------------------------------------------------------------------------
# Formatting labels and types into a statement

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z_]*")


def render(
    template: str,
    *,
    label: NodeKind | None = None,
    src: NodeKind | None = None,
    dst: NodeKind | None = None,
    type: EdgeKind | None = None,
) -> str:
    """``template`` with its label / type slots filled from the model's fixed lists only.

    Each argument is checked to be a member of ``NodeKind`` or ``EdgeKind`` (a plain string
    is accepted only if it is such a member's value) and a bare identifier, so no ledger text
    can reach the statement. Raises ``ValueError`` otherwise.
    """
    names: dict[str, str] = {}
    for slot, value, kinds in (
        ("label", label, NodeKind),
        ("src", src, NodeKind),
        ("dst", dst, NodeKind),
        ("type", type, EdgeKind),
    ):
        if value is not None:
            names[slot] = _checked(value, kinds)
    if label is not None:
        names["name"] = constraint_name(label)
    return template.format(**names)


def constraint_name(label: NodeKind) -> str:
    """The Neo4j constraint name of a label's key: ``liangxin_organization_code``."""
    return f"liangxin_{_checked(label, NodeKind).lower()}_code"


def _checked(value: str, kinds: type[NodeKind] | type[EdgeKind]) -> str:
    member = kinds(value)  # ValueError unless one of the fixed list
    if not _IDENTIFIER.fullmatch(member.value):
        raise ValueError(f"not a plain identifier: {member.value!r}")
    return member.value


# ---------------------------------------------------------------------------------------------
# Published analysis results (liangxin publish)

RESULT_PROPERTIES = (
    "coverage",
    "coverage_zh",
    "cluster_id",
    "cluster_mode",
    "lead_score",
    "finding_codes",
)
"""Properties ``publish`` owns; cleared from every node before new results are written."""

CLEAR_RESULT_PROPERTIES = (
    """
MATCH (n:{label})
REMOVE """
    + ", ".join(f"n.{p}" for p in RESULT_PROPERTIES)
    + "\n"
)
"""Remove every published property from one label's nodes."""

CLEAR_RESULT_LABEL = """
MATCH (n:{label}:{result})
REMOVE n:{result}
"""
"""Remove one published label (e.g. ``Uncovered``) from one model label's nodes."""

SET_RESULT_PROPERTIES = """
UNWIND $rows AS row
MATCH (n:{label} {{code: row.code}})
SET n += row.props
"""
"""Write one batch of result properties; ``row.props`` holds only non-null values."""

ADD_RESULT_LABEL = """
UNWIND $codes AS code
MATCH (n:{label} {{code: code}})
SET n:{result}
"""
"""Add one published label to the nodes whose codes are given."""


def render_result(template: str, *, label: NodeKind, result: str) -> str:
    """``template`` with a model label and a published label from the fixed list only."""
    if result not in RESULT_LABELS or not _IDENTIFIER.fullmatch(result):
        raise ValueError(f"not a published label: {result!r}")
    return template.format(label=_checked(label, NodeKind), result=result)
