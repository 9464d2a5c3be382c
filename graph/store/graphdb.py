"""The shared graph store: one city's 两新图谱 in Neo4j or FalkorDB, written and read by Cypher.

``GraphStore`` receives a backend that wraps a ready driver or client (it never builds one):
``Neo4jBackend(driver, database)`` for the official ``neo4j`` driver, ``FalkorBackend(graph)``
for a ``falkordb`` Graph. Both run the same statements of ``graph.store.cypher``.

What is stored (the graph ``graph.build.build_graph`` makes, plus what the tables need back):

- one node per ledger row of the node sheets, labelled by its ``NodeKind``, keyed by ``code``
  (unique per label), with the row's values under the columns' English keys (组织类型 as
  ``org_kind``, as in the graph), the planner's extra columns under their header, the
  Chinese kind name ``label_zh`` for Browser and Bloom, and ``_row`` (the row's position);
  District (区县) and MemberUnit (成员单位) nodes exactly as the graph builder derives them;
- the graph builder's relationships (COVERS, SUBORDINATE_TO, FUNCTIONAL_MEMBER_OF, …), one
  per graph edge; and one relationship per row of the three row sheets — SUPPLIES (链上关系,
  with ``relation``), SITS_ON (产业链党委成员, with ``side``, ``member_name``) and PAIRED_WITH
  (结对共建, with ``type``, ``since``) — carrying the row's other columns, ``_row`` and
  ``_nth`` (which repeat of the pair it is), so a duplicated row (a warning, not an error)
  is kept as the ledger has it;
- dates as ``YYYY-MM-DD`` text (FalkorDB has no date type), turned back into dates on read;
- one ``LiangxinMeta`` node: the present sheets, the extra columns and their properties,
  the rows per sheet, and whether a load is under way.

A load writes nodes, then relationships, in ``UNWIND`` batches of upserts tagged with a new
load id, then removes every node and relationship of the model's labels and types that the
load did not write, then commits the meta node. Re-loading the same ledger changes nothing;
loading another one leaves exactly it. While a load runs (or after one failed half-way) the
meta node says so and :meth:`GraphStore.read` refuses, rather than return a mix.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice, repeat
from operator import itemgetter
from typing import Any, Protocol

import pandas as pd

from graph.build import NODE_SHEETS, RENAMED, build_graph, nodes_of
from graph.errors import NotFound, StoreError
from graph.ledger import DTYPES, Ledger
from graph.model import SHEETS_BY_KEY, EdgeKind, NodeKind
from graph.published import RESULT_LABELS, PublishedResults
from graph.store import cypher
from graph.store.cypher import Dialect, render, render_result

__all__ = ["Backend", "FalkorBackend", "GraphStore", "LoadReport", "Neo4jBackend"]

Progress = Callable[[str, int], None]
"""Called after each batch with what was written (Chinese) and how many rows."""

Row = dict[str, Any]

Field = tuple[str, str, str]
"""A column read back: its name in the table, the property it is stored under, its dtype."""

_SRC, _DST = "\x00src", "\x00dst"
"""Stand-ins for the row-sheet columns read from a relationship's two ends (never a property
name: those cannot hold a NUL)."""


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote: nodes and relationships upserted, stale ones removed, time taken."""

    nodes: int
    relationships: int
    removed: int
    seconds: float
    load_id: str

    @property
    def rows(self) -> int:
        """Nodes plus relationships written (each one row of an ``UNWIND`` batch)."""
        return self.nodes + self.relationships

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float(self.rows)


# ---------------------------------------------------------------------------------------------
# Backends: a driver or client behind one small interface


class Backend(Protocol):
    """What the store needs from a server: its dialect, Cypher, and unique keys."""

    dialect: Dialect

    def run(
        self, query: str, params: dict[str, Any] | None = None, *, read_only: bool = False
    ) -> list[dict[str, Any]]: ...

    def create_unique_keys(self, labels: Sequence[NodeKind]) -> None: ...


class Neo4jBackend:
    """The official ``neo4j`` driver (any ``neo4j://``, ``neo4j+s://``, ``bolt+ssc://`` …).

    ``database`` None means the server's default database. The driver is the caller's: this
    class never opens or closes it.
    """

    dialect = Dialect.NEO4J

    def __init__(self, driver: Any, database: str | None = None) -> None:
        import neo4j
        import neo4j.exceptions

        self.driver = driver
        self.database = database
        self._routing = {True: neo4j.RoutingControl.READ, False: neo4j.RoutingControl.WRITE}
        self._errors = (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError)
        self._unreachable = (
            neo4j.exceptions.ServiceUnavailable,
            neo4j.exceptions.SessionExpired,
            neo4j.exceptions.AuthError,
            OSError,
        )

    def run(
        self, query: str, params: dict[str, Any] | None = None, *, read_only: bool = False
    ) -> list[dict[str, Any]]:
        try:
            records, _, _ = self.driver.execute_query(
                query,
                parameters_=params or {},
                database_=self.database,
                routing_=self._routing[read_only],
            )
        except self._errors as exc:
            raise _store_error(self.dialect, exc, isinstance(exc, self._unreachable)) from exc
        return [record.data() for record in records]

    def create_unique_keys(self, labels: Sequence[NodeKind]) -> None:
        """``CREATE CONSTRAINT … IF NOT EXISTS`` per label (a no-op when it exists)."""
        for label in labels:
            self.run(render(cypher.UNIQUE_KEY[Dialect.NEO4J], label=label))


class FalkorBackend:
    """A ``falkordb`` Graph (``FalkorDB(host, port).select_graph(name)``), the caller's."""

    dialect = Dialect.FALKORDB

    CONSTRAINT_WAIT = 10.0
    """Seconds to wait for FalkorDB's asynchronous constraint creation before writing."""

    def __init__(self, graph: Any) -> None:
        import redis.exceptions

        self.graph = graph
        self._errors = (redis.exceptions.RedisError, OSError)
        self._unreachable = (
            redis.exceptions.ConnectionError,
            redis.exceptions.TimeoutError,
            redis.exceptions.AuthenticationError,
            OSError,
        )

    def run(
        self, query: str, params: dict[str, Any] | None = None, *, read_only: bool = False
    ) -> list[dict[str, Any]]:
        call = self.graph.ro_query if read_only else self.graph.query
        try:
            result = call(query, params)
        except self._errors as exc:
            if any(text in str(exc) for text in cypher.NO_GRAPH_YET[self.dialect]):
                return []
            raise _store_error(self.dialect, exc, isinstance(exc, self._unreachable)) from exc
        names = [column[1] for column in result.header]
        return [dict(zip(names, row, strict=True)) for row in result.result_set]

    def create_unique_keys(self, labels: Sequence[NodeKind]) -> None:
        """The exact-match index, then ``GRAPH.CONSTRAINT CREATE … UNIQUE`` per label.

        Both are skipped when they exist. FalkorDB builds a constraint in the background; this
        waits (at most :attr:`CONSTRAINT_WAIT` s) and raises if one failed, which happens when
        the graph already holds two nodes of a label with the same ``code``.
        """
        index = cypher.UNIQUE_KEY[self.dialect]
        for label in labels:
            self._unless_exists(self.run, render(index, label=label))
            self._unless_exists(self.graph.create_node_unique_constraint, label.value, "code")
        wanted = {label.value for label in labels}
        deadline = time.monotonic() + self.CONSTRAINT_WAIT
        while True:
            status = {
                c["label"]: c["status"]
                for c in self._call(self.graph.list_constraints)
                if c["type"] == "UNIQUE" and c["entitytype"] == "NODE" and c["label"] in wanted
            }
            failed = sorted(label for label, s in status.items() if s == "FAILED")
            if failed:
                raise StoreError(
                    f"FalkorDB 无法为 {'、'.join(failed)} 建立唯一约束：图中已有编码重复的节点。"
                    "请先清空这个图（或换一个图名）再导入。"
                )
            pending = [label for label, s in status.items() if s != "OPERATIONAL"]
            if not pending or time.monotonic() > deadline:
                return
            time.sleep(0.05)

    def _unless_exists(self, create: Callable[..., object], *args: Any) -> None:
        try:
            self._call(create, *args)
        except StoreError as exc:
            if not any(text in exc.message for text in cypher.ALREADY_EXISTS[self.dialect]):
                raise

    def _call(self, method: Callable[..., Any], *args: Any) -> Any:
        try:
            return method(*args)
        except self._errors as exc:
            raise _store_error(self.dialect, exc, isinstance(exc, self._unreachable)) from exc


def _store_error(dialect: Dialect, exc: BaseException, unreachable: bool) -> StoreError:
    """A Chinese message naming the server and the kind of failure, never the credentials.

    A refusal keeps the server's own words (which name the statement's problem, not the
    password); a connection failure only says which kind it was.
    """
    kind, server = type(exc).__name__, dialect.server
    if unreachable:
        return StoreError(
            f"无法连接 {server}（{kind}）。请检查地址、用户名和密码（环境变量），"
            "以及服务器是否已启动。"
        )
    detail = " ".join(str(exc).split())[:300]
    return StoreError(f"{server} 拒绝了请求（{kind}：{detail}）。")


# ---------------------------------------------------------------------------------------------
# The store


class GraphStore:
    """One city's ledger as a property graph in a Cypher server (Neo4j or FalkorDB)."""

    REMOVE_BATCH = 10_000
    """Nodes or relationships removed per statement (keeps each transaction bounded)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._schema_ready = False

    @property
    def dialect(self) -> Dialect:
        return self.backend.dialect

    def ensure_schema(self) -> None:
        """A uniqueness constraint on ``code`` for every label of the model, if not there yet.

        Runs before any write (``load`` calls it too); creating what exists is a no-op.
        """
        self.backend.create_unique_keys(list(NodeKind))
        self._schema_ready = True

    def load(
        self, ledger: Ledger, *, batch_size: int = 10_000, progress: Progress | None = None
    ) -> LoadReport:
        """Make the database hold exactly ``ledger``: upsert it, then remove what it lacks.

        The ledger must be validated by the caller (the CLI refuses an invalid one before
        connecting). Everything the store relies on — unique codes, references that resolve,
        values the server can hold — is checked again here before the first write, and a
        ledger failing it raises ``StoreError`` with nothing written. Writes go in ``UNWIND``
        batches of ``batch_size`` rows: nodes, then relationships matched by ``code``, then the
        removal of every node and relationship of the model that this load did not write.
        Cost: one build of the graph (as the analyses do) plus one statement per batch.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        started = time.perf_counter()
        plan = _plan(ledger, self.dialect)
        if not self._schema_ready:
            self.ensure_schema()
        load_id = uuid.uuid4().hex
        self._run(cypher.META_BEGIN, {"load": load_id})
        nodes = relationships = 0
        for kind, rows in plan.nodes:
            query = render(cypher.MERGE_NODES, label=kind)
            nodes += self._batched(query, rows, load_id, batch_size, kind.label_zh, progress)
        for template, groups in (
            (cypher.MERGE_EDGES, plan.edges),
            (cypher.MERGE_ROW_EDGES, plan.row_edges),
        ):
            for (kind, src, dst), rows in groups.items():
                query = render(template, type=kind, src=src, dst=dst)
                relationships += self._batched(
                    query, rows, load_id, batch_size, kind.label_zh, progress
                )
        removed = self._remove_stale(load_id, progress)
        loaded_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        layout = json.dumps(plan.layout, ensure_ascii=False)
        props = {"code": "ledger", "load": load_id, "loaded_at": loaded_at, "layout": layout}
        self._run(cypher.META_COMMIT, {"props": props})
        return LoadReport(nodes, relationships, removed, time.perf_counter() - started, load_id)

    def publish(self, results: PublishedResults, *, batch_size: int = 10_000) -> dict[str, int]:
        """Write analysis results as properties and labels planners see in Browser / Bloom.

        Results of an earlier ``publish`` are removed first (every property in
        ``RESULT_PROPERTIES`` and every label in ``RESULT_LABELS``), so the database shows one
        set of results. Returns how many nodes got each published label. Labels come only from
        ``RESULT_LABELS``; every value is a parameter.
        """
        targets = (
            (NodeKind.ORGANIZATION, results.organizations),
            (NodeKind.PARTY_ORG, results.party_orgs),
            (NodeKind.CHAIN, results.chains),
        )
        for kind, _ in targets:
            self._run(render(cypher.CLEAR_RESULT_PROPERTIES, label=kind))
            for result in RESULT_LABELS:
                self._run(render_result(cypher.CLEAR_RESULT_LABEL, label=kind, result=result))
        labelled: dict[str, int] = dict.fromkeys(RESULT_LABELS, 0)
        for kind, frame in targets:
            if frame.empty:
                continue
            props = [c for c in cypher.RESULT_PROPERTIES if c in frame.columns]
            rows = [
                {"code": code, "props": _without_none(props, values)}
                for code, *values in zip(
                    frame["code"],
                    *([_result_value(v) for v in frame[c]] for c in props),
                    strict=True,
                )
            ]
            query = render(cypher.SET_RESULT_PROPERTIES, label=kind)
            for batch in _chunks(rows, batch_size):
                self._run(query, {"rows": batch})
            by_label: dict[str, list[str]] = {}
            for code, labels in zip(frame["code"], frame["labels"], strict=True):
                for result in labels:
                    by_label.setdefault(result, []).append(code)
            for result, codes in by_label.items():
                query = render_result(cypher.ADD_RESULT_LABEL, label=kind, result=result)
                for batch in _chunks(codes, batch_size):
                    self._run(query, {"codes": batch})
                labelled[result] += len(codes)
        return labelled

    def read(self) -> Ledger:
        """The tables of the last completed load: same columns, order, dtypes, rows, extras.

        Raises ``NotFound`` when nothing was loaded, ``StoreError`` while a load is under way
        (or after one failed half-way) and when the graph no longer matches its record (rows
        deleted or added by hand).
        """
        meta = self._run(cypher.META_READ, read_only=True)
        if not meta:
            raise NotFound("图数据库中还没有台账。请先运行：liangxin load 台账.xlsx --store <地址>")
        props = meta[0]["props"]
        if props.get("loading") or "layout" not in props:
            raise StoreError(
                "图数据库中的台账正在写入，或上次写入中途失败。请等写入完成后再读取，"
                "或重新运行 liangxin load 导入台账。"
            )
        layout = json.loads(props["layout"])
        tables = {
            sheet_key: self._read_nodes(kind, _fields(sheet_key, {id_column: "code"}, layout))
            for kind, (sheet_key, id_column) in NODE_SHEETS.items()
        }
        for sheet_key, spec in _ROW_SHEETS.items():
            ends = {spec.src[0][0]: _SRC, spec.dst[0]: _DST}
            tables[sheet_key] = self._read_rows(spec, _fields(sheet_key, ends, layout))
        ledger = Ledger(tables, present=frozenset(layout["present"]))
        if ledger.counts() != layout["counts"]:
            raise StoreError(
                "图数据库中的数据与上次导入的记录不一致（可能有节点或关系被手工改动）。"
                "请重新运行 liangxin load 导入台账。"
            )
        return ledger

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, every kind of the model, 0 included."""
        out: dict[str, int] = {}
        for kind in NodeKind:
            rows = self._run(render(cypher.COUNT_NODES, label=kind), read_only=True)
            out[kind.value] = int(rows[0]["total"]) if rows else 0
        for kind in EdgeKind:
            rows = self._run(render(cypher.COUNT_RELATIONSHIPS, type=kind), read_only=True)
            out[kind.value] = int(rows[0]["total"]) if rows else 0
        return out

    def clear(self) -> None:
        """Delete every node of the model's labels (with its relationships) and the meta node.

        Nothing else in the database is touched.
        """
        for kind in NodeKind:
            query = render(cypher.CLEAR_NODES, label=kind)
            while self._removed(query, {"batch": self.REMOVE_BATCH}) == self.REMOVE_BATCH:
                pass
        self._run(cypher.CLEAR_META)

    # -- internals -------------------------------------------------------------------------

    def _run(
        self, query: str, params: dict[str, Any] | None = None, *, read_only: bool = False
    ) -> list[dict[str, Any]]:
        return self.backend.run(query, params, read_only=read_only)

    def _read_nodes(self, kind: NodeKind, fields: list[Field]) -> pd.DataFrame:
        """One node sheet back, in ``_row`` order."""
        keys = ["_row", *(prop for _, prop, _ in fields)]
        found = self._run(render(cypher.READ_NODES, label=kind), {"keys": keys}, read_only=True)
        rows = sorted((r["values"] for r in found), key=itemgetter(0))
        return _table(fields, keys, rows)

    def _read_rows(self, spec: _RowSheet, fields: list[Field]) -> pd.DataFrame:
        """One row sheet back from its relationships (and their two ends), in ``_row`` order."""
        keys = ["_row", *(prop for _, prop, _ in fields if prop not in (_SRC, _DST))]
        rows: list[list[object]] = []
        for src in spec.src_kinds:
            query = render(cypher.READ_ROW_EDGES, type=spec.kind, src=src, dst=spec.dst_kind)
            for r in self._run(query, {"keys": keys}, read_only=True):
                # The first source column holds the source's code only for its own kind
                # (产业链党委成员: 成员单位代码 for an Organization, not for a MemberUnit).
                own = r["src"] if src == spec.src_kinds[0] else None
                rows.append([*r["values"], own, r["dst"]])
        rows.sort(key=itemgetter(0))
        return _table(fields, [*keys, _SRC, _DST], rows)

    def _batched(
        self,
        query: str,
        rows: list[Row],
        load_id: str,
        batch_size: int,
        label: str,
        progress: Progress | None,
    ) -> int:
        for batch in _chunks(rows, batch_size):
            self._run(query, {"rows": batch, "load": load_id})
            if progress:
                progress(label, len(batch))
        return len(rows)

    def _removed(self, query: str, params: dict[str, Any]) -> int:
        rows = self._run(query, params)
        return int(rows[0]["removed"]) if rows else 0

    def _remove_stale(self, load_id: str, progress: Progress | None) -> int:
        """Remove what this load did not write: relationships first, then nodes."""
        params = {"load": load_id, "batch": self.REMOVE_BATCH}
        total = 0
        for template, kinds, slot in (
            (cypher.DELETE_STALE_RELATIONSHIPS, list(EdgeKind), "type"),
            (cypher.DELETE_STALE_NODES, list(NodeKind), "label"),
        ):
            for kind in kinds:
                # (slot names the keyword of kind's type: "type" for EdgeKind, "label" for NodeKind)
                query = render(template, **{slot: kind})  # type: ignore[arg-type]
                while True:
                    n = self._removed(query, params)
                    total += n
                    if progress and n:
                        progress("删除台账中已没有的数据", n)
                    if n < self.REMOVE_BATCH:
                        break
        return total


# ---------------------------------------------------------------------------------------------
# From tables to rows of nodes and relationships, and back


_DERIVED_NODES = (NodeKind.DISTRICT, NodeKind.MEMBER_UNIT)
"""Node kinds with no sheet of their own: taken from the built graph."""


@dataclass(frozen=True)
class _RowSheet:
    """A sheet stored as one relationship per row."""

    kind: EdgeKind
    src: tuple[tuple[str, NodeKind], ...]  # the first column given names the source node
    dst: tuple[str, NodeKind]

    @property
    def src_kinds(self) -> tuple[NodeKind, ...]:
        return tuple(kind for _, kind in self.src)

    @property
    def dst_kind(self) -> NodeKind:
        return self.dst[1]

    @property
    def endpoint_columns(self) -> frozenset[str]:
        """Columns read back from the relationship's ends, not stored as its properties.

        A source column that is not the first choice (产业链党委成员's 成员单位名称) is also kept
        as a property: a row may give both a code and a name.
        """
        return frozenset({self.src[0][0], self.dst[0]})


_ROW_SHEETS: dict[str, _RowSheet] = {
    "supply_links": _RowSheet(
        EdgeKind.SUPPLIES,
        (("supplier", NodeKind.ORGANIZATION),),
        ("buyer", NodeKind.ORGANIZATION),
    ),
    "committee_members": _RowSheet(
        EdgeKind.SITS_ON,
        (("member", NodeKind.ORGANIZATION), ("member_name", NodeKind.MEMBER_UNIT)),
        ("party_org", NodeKind.PARTY_ORG),
    ),
    "pairings": _RowSheet(
        EdgeKind.PAIRED_WITH,
        (("a", NodeKind.PARTY_ORG),),
        ("b", NodeKind.PARTY_ORG),
    ),
}

_ROW_KINDS = frozenset(spec.kind.value for spec in _ROW_SHEETS.values())

_RESERVED = frozenset({"code", "name", "label_zh", "kind", "_row", "_nth", "_load"})
"""Property names the store sets itself; an extra column never takes one of them."""


def _property(sheet_key: str, column: str) -> str:
    """The property a model column is stored under: its key (组织类型 is ``org_kind``, as in
    the built graph, where ``kind`` is the node kind)."""
    return RENAMED.get((sheet_key, column), column)


def _extra_properties(sheet_key: str, extras: list[str]) -> list[str]:
    """The property each extra column is stored under: its header, when that is usable.

    A header is used as written unless it is empty, contains a backtick or a NUL (which
    FalkorDB's parameter header cannot carry in a key), or is already taken by a model column
    or the store's own properties; then it is ``extra_<n>`` (n = its place among the extras).
    The header itself is recorded in the meta node either way, so it reads back unchanged.
    """
    sheet = SHEETS_BY_KEY[sheet_key]
    taken = set(_RESERVED) | {c.key for c in sheet.columns}
    taken |= {_property(sheet_key, c.key) for c in sheet.columns}
    usable = []
    for header in extras:
        ok = bool(header) and "`" not in header and "\x00" not in header and header not in taken
        usable.append(ok)
        if ok:
            taken.add(header)
    names: list[str] = []
    for n, (header, ok) in enumerate(zip(extras, usable, strict=True), start=1):
        name, again = (header, 1) if ok else (f"extra_{n}", 1)
        while not ok and name in taken:
            again += 1
            name = f"extra_{n}_{again}"
        taken.add(name)
        names.append(name)
    return names


@dataclass
class _Plan:
    """Everything a load writes, prepared (and checked) before the first statement."""

    nodes: list[tuple[NodeKind, list[Row]]]
    edges: dict[tuple[EdgeKind, NodeKind, NodeKind], list[Row]]
    row_edges: dict[tuple[EdgeKind, NodeKind, NodeKind], list[Row]]
    layout: dict[str, Any]


def _plan(ledger: Ledger, dialect: Dialect) -> _Plan:
    """The rows of every batch, the derived graph's edges, and the meta node's layout.

    Raises ``StoreError`` (nothing written yet) for what a validated ledger cannot have: a
    missing or repeated code, a reference to a code that does not exist, a character the
    server cannot store.
    """
    _check_characters(ledger, dialect)
    extras = {key: ledger.extra_columns(key) for key in SHEETS_BY_KEY}
    layout: dict[str, Any] = {
        "present": sorted(ledger.present),
        "counts": ledger.counts(),
        "extras": {
            key: [
                [header, prop, str(ledger[key][header].dtype)]
                for header, prop in zip(columns, _extra_properties(key, columns), strict=True)
            ]
            for key, columns in extras.items()
            if columns
        },
    }
    g = build_graph(ledger)
    for node, data in g.nodes(data=True):
        if "kind" not in data:
            raise StoreError(
                f"台账中引用的“{node.partition(':')[2]}”不存在，未写入图数据库。"
                "请先用 liangxin check 检查台账。"
            )

    nodes: list[tuple[NodeKind, list[Row]]] = []
    for kind, (sheet_key, id_column) in NODE_SHEETS.items():
        nodes.append((kind, _node_rows(ledger, sheet_key, id_column, kind, layout)))
    for kind in _DERIVED_NODES:
        rows = []
        for at, key in enumerate(nodes_of(g, kind)):
            data = g.nodes[key]
            row = {k: v for k, v in data.items() if k != "kind" and v is not None}
            rows.append({**row, "label_zh": kind.label_zh, "_row": at})
        nodes.append((kind, rows))

    edges: dict[tuple[EdgeKind, NodeKind, NodeKind], list[Row]] = {}
    attrs = g.nodes
    for u, v, key in g.edges(keys=True):
        if key in _ROW_KINDS:
            continue
        a, b = attrs[u], attrs[v]
        group = (EdgeKind(key), NodeKind(a["kind"]), NodeKind(b["kind"]))
        edges.setdefault(group, []).append({"src": a["code"], "dst": b["code"]})

    codes = {kind: {row["code"] for row in rows} for kind, rows in nodes}
    row_edges: dict[tuple[EdgeKind, NodeKind, NodeKind], list[Row]] = {}
    for sheet_key, spec in _ROW_SHEETS.items():
        for group, rows in _row_edge_rows(ledger, sheet_key, spec, layout, codes).items():
            row_edges[group] = rows
    return _Plan(nodes, edges, row_edges, layout)


def _check_characters(ledger: Ledger, dialect: Dialect) -> None:
    """Refuse text the server cannot hold (FalkorDB: NUL), naming the sheet, row and column."""
    forbidden = cypher.FORBIDDEN_CHARACTERS[dialect]
    if not forbidden:
        return
    for sheet, table in ledger:
        for column in table.columns:
            values = table[column]
            if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
                continue
            text = values.dropna().astype(str)
            for char in forbidden:
                hit = text.str.contains(char, regex=False).to_numpy(dtype=bool)
                if hit.any():
                    row = int(text.index[int(hit.argmax())]) + 2  # row 1 holds the headers
                    label = sheet.by_key[column].label if column in sheet.by_key else column
                    raise StoreError(
                        f"“{sheet.label}”表第 {row} 行“{label}”列含有 {dialect.server} "
                        f"无法保存的字符（{char!r}），未写入图数据库。请删除这个字符后重新导入。"
                    )


def _node_rows(
    ledger: Ledger, sheet_key: str, id_column: str, kind: NodeKind, layout: dict[str, Any]
) -> list[Row]:
    """One property map per row: code, label_zh, _row, every column (NA left out)."""
    table = ledger[sheet_key]
    if table.empty:
        return []
    codes = table[id_column]
    label = SHEETS_BY_KEY[sheet_key].label
    if codes.isna().any() or codes.duplicated().any():
        raise StoreError(
            f"“{label}”表的编码有空白或重复，未写入图数据库。请先用 liangxin check 检查台账。"
        )
    columns = [c.key for c in SHEETS_BY_KEY[sheet_key].columns]
    keys = ["code", "label_zh", "_row", *(_property(sheet_key, c) for c in columns)]
    values = [_values(codes), repeat(kind.label_zh), range(len(table))]
    values += [_values(table[c]) for c in columns]
    for header, prop, _ in layout["extras"].get(sheet_key, []):
        keys.append(prop)
        values.append(_values(table[header]))
    # strict=False: label_zh is an endless repeat; every other column has one value per row.
    return [_without_none(keys, row) for row in zip(*values, strict=False)]


def _row_edge_rows(
    ledger: Ledger,
    sheet_key: str,
    spec: _RowSheet,
    layout: dict[str, Any],
    codes: dict[NodeKind, set[str]],
) -> dict[tuple[EdgeKind, NodeKind, NodeKind], list[Row]]:
    """One relationship per row, from the first source column given to the target column.

    A relationship is identified by its two ends and ``_nth``, the how-many-th row joining
    them (0 but for a duplicated row), not by its row number: dropping one row from a sheet
    then removes that one relationship and updates the others' ``_row`` in place.
    """
    table = ledger[sheet_key]
    out: dict[tuple[EdgeKind, NodeKind, NodeKind], list[Row]] = {}
    if table.empty:
        return out
    sheet = SHEETS_BY_KEY[sheet_key]
    stored = [c.key for c in sheet.columns if c.key not in spec.endpoint_columns]
    keys = ["_row", *(_property(sheet_key, c) for c in stored)]
    columns = [range(len(table)), *(_values(table[c]) for c in stored)]
    for header, prop, _ in layout["extras"].get(sheet_key, []):
        keys.append(prop)
        columns.append(_values(table[header]))
    sources = [(kind, _values(table[column])) for column, kind in spec.src]
    dst_column, dst_kind = spec.dst
    targets = _values(table[dst_column])
    seen: Counter[tuple[NodeKind, object, object]] = Counter()
    for at, row in enumerate(zip(*columns, strict=True)):
        given = [(kind, values[at]) for kind, values in sources if values[at] is not None]
        src_kind, src = given[0] if given else (None, None)
        dst = targets[at]
        if src_kind is None or src not in codes[src_kind] or dst not in codes[dst_kind]:
            raise StoreError(
                f"“{sheet.label}”表第 {at + 2} 行引用的编码不存在或为空，未写入图数据库。"
                "请先用 liangxin check 检查台账。"
            )
        nth = seen[src_kind, src, dst]
        seen[src_kind, src, dst] += 1
        props = _without_none(keys, row)
        props["_nth"] = nth
        out.setdefault((spec.kind, src_kind, dst_kind), []).append(
            {"src": src, "dst": dst, "nth": nth, "props": props}
        )
    return out


def _fields(sheet_key: str, stored_as: dict[str, str], layout: dict[str, Any]) -> list[Field]:
    """A sheet's columns as read back; ``stored_as`` names those not under their property
    (a node's code column is ``code``, a row sheet's ends are :data:`_SRC` / :data:`_DST`)."""
    fields = [
        (c.key, stored_as.get(c.key) or _property(sheet_key, c.key), DTYPES[c.type])
        for c in SHEETS_BY_KEY[sheet_key].columns
    ]
    return fields + [tuple(extra) for extra in layout["extras"].get(sheet_key, [])]


def _table(fields: list[Field], keys: list[str], rows: list[list[object]]) -> pd.DataFrame:
    """``rows`` (values in the order of ``keys``) as a table of ``fields``, typed."""
    by_key = dict(zip(keys, zip(*rows, strict=True), strict=True)) if rows else {}
    data = {name: _series(list(by_key.get(prop, ())), dtype) for name, prop, dtype in fields}
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def _values(s: pd.Series) -> list[object]:
    """Plain values a server can hold: None for NA, ``YYYY-MM-DD`` for dates, no NaN."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value=None).tolist()
    values = s.to_numpy(dtype=object, na_value=None).tolist()  # type: ignore[call-overload]
    if pd.api.types.is_float_dtype(s.dtype):
        values = [v if v is None or math.isfinite(v) else None for v in values]
    return values


def _series(values: list[object], dtype: str) -> pd.Series:
    """A column read back: ISO dates parsed, everything else cast to the recorded dtype."""
    if dtype.startswith("datetime64"):
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d")
        return parsed.astype(dtype)  # type: ignore[call-overload]
    return pd.Series(values, dtype=dtype if dtype != "object" else object)


def _without_none(keys: list[str], values: Iterable[object]) -> Row:
    return {k: v for k, v in zip(keys, values, strict=True) if v is not None}


def _result_value(value: object) -> object:
    """A result value as the servers store it: lists kept, NaN/NA dropped, numpy → Python."""
    if isinstance(value, list | tuple):
        return list(value) or None
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch
