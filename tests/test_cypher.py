"""Every Cypher statement of the project, checked by Neo4j's own Cypher 5 parser and semantics.

The statements: every one :class:`graph.store.graphdb.GraphStore` sends while it sets up, loads,
publishes, reads, counts and clears the sample city (recorded by a backend that stores
nothing), so each template of ``graph.store.cypher`` is checked as rendered for every label and
relationship type it is sent with; the index statement FalkorDB gets instead of Neo4j's
constraint; and every ```cypher block of docs/neo4j.md (the planners' cookbook).

They are checked offline, with no server, by ``tools/cypher-lint/lint.mjs``: the npm package
``@neo4j-cypher/language-support`` (pinned in tools/cypher-lint/package-lock.json; ``make test``
installs it, and Node.js from Debian when the machine has none) runs all of them in one Node
process. An error (syntax, semantics, an unknown function, a ``$parameter`` the store does not
send) fails; so does a warning, which here means a deprecated feature or a label, type,
property or path that nothing the store writes can match. Without Node.js or the package the
tests are skipped with the reason (under ``CI`` they fail).
"""

from __future__ import annotations

import json
import os
import re
import string
import subprocess
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph.analysis.published import RESULT_LABELS
from graph.errors import StoreError
from graph.model import EdgeKind, NodeKind
from graph.store import cypher
from graph.store.cypher import Dialect, render, render_result
from graph.store.graphdb import GraphStore, Neo4jBackend
from tests.reportkit import need_tool

ROOT = Path(__file__).resolve().parent.parent
LINTER = ROOT / "tools" / "cypher-lint"
COOKBOOK = ROOT / "docs" / "neo4j.md"

SLOTS = frozenset({"label", "src", "dst", "type", "result", "name"})
"""The placeholders :func:`graph.store.cypher.render` and ``render_result`` fill."""

_EDGE_TEMPLATES = ("MERGE_EDGES", "MERGE_ROW_EDGES")
"""The templates that write a relationship: what they are sent with is the graph's schema."""


@dataclass(frozen=True)
class Statement:
    name: str
    query: str
    parameters: tuple[str, ...] = ()


@dataclass
class Rendering:
    template: str  # the constant's name
    name: str  # with what filled it: ``MERGE_EDGES/PartyOrganization-COVERS->Organization``
    slots: dict[str, str]


# ---------------------------------------------------------------------------------------------
# The statements


def templates() -> dict[str, str]:
    """Every Cypher text of ``graph.store.cypher`` by name: its string constants but the label
    ``META_LABEL``, and each dialect's ``UNIQUE_KEY``."""
    found = {
        name: value
        for name, value in vars(cypher).items()
        if name.isupper() and isinstance(value, str) and name != "META_LABEL"
    }
    for dialect, template in cypher.UNIQUE_KEY.items():
        found[f"UNIQUE_KEY.{dialect}"] = template
    return found


def _renderings(template: str) -> Iterator[tuple[str, dict[str, str], str]]:
    """Every way the store's render functions can fill ``template``: (suffix, slots, text)."""
    slots = {f for _, f, _, _ in string.Formatter().parse(template) if f in SLOTS}
    if not slots:  # sent as written (its braces, if any, are Cypher maps)
        yield "", {}, template
    elif "result" in slots:
        for kind in NodeKind:
            for result in RESULT_LABELS:
                text = render_result(template, label=kind, result=result)
                yield f"{kind}:{result}", {"label": kind, "result": result}, text
    elif "src" in slots:
        for kind in EdgeKind:
            for src in NodeKind:
                for dst in NodeKind:
                    text = render(template, type=kind, src=src, dst=dst)
                    yield f"{src}-{kind}->{dst}", {"type": kind, "src": src, "dst": dst}, text
    elif "type" in slots:
        for kind in EdgeKind:
            yield str(kind), {"type": kind}, render(template, type=kind)
    else:
        for kind in NodeKind:
            yield str(kind), {"label": kind}, render(template, label=kind)


@cache
def rendered() -> dict[str, Rendering]:
    """Each text a template of ``graph.store.cypher`` can become, with what it was filled with."""
    out: dict[str, Rendering] = {}
    for name, template in templates().items():
        for suffix, slots, text in _renderings(template):
            full = f"{name}/{suffix}" if suffix else name
            out.setdefault(text, Rendering(name, full, {k: str(v) for k, v in slots.items()}))
    return out


class _Recorder:
    """A Neo4j backend that keeps every statement it is sent and stores nothing (but the meta
    node's properties, so that ``read`` goes on to read every sheet)."""

    dialect = Dialect.NEO4J
    create_unique_keys = Neo4jBackend.create_unique_keys  # the real one: UNIQUE_KEY per label

    def __init__(self) -> None:
        self.sent: dict[str, set[str]] = {}  # statement → the parameters it was sent with
        self.written: set[str] = set()  # the property keys in the maps it was sent
        self.meta: dict[str, Any] | None = None

    def run(
        self, query: str, params: dict[str, Any] | None = None, *, read_only: bool = False
    ) -> list[dict[str, Any]]:
        params = params or {}
        self.sent.setdefault(query, set()).update(params)
        for row in params.get("rows", []):  # a node's properties, or a row's ``props``
            self.written.update(row.get("props", row))
        self.written.update(params.get("props", {}))  # the meta node's
        if query == cypher.META_COMMIT:
            self.meta = params["props"]
        if query == cypher.META_READ and self.meta:
            return [{"props": self.meta}]
        return []


@cache
def store_cycle() -> _Recorder:
    """What the store sends for the sample city: schema, load, publish, read, counts, clear."""
    from graph.analysis.common import Params
    from graph.analysis.published import published_results
    from graph.build import build_graph
    from loaders.sample import DEFAULT_AS_OF, generate_city

    city = generate_city(200)
    recorder = _Recorder()
    store = GraphStore(recorder)
    store.load(city)
    store.publish(published_results(build_graph(city), Params(as_of=DEFAULT_AS_OF)))
    with suppress(StoreError):
        store.read()  # reads every sheet, then finds the (unstored) rows missing
    store.counts()
    store.clear()
    return recorder


def store_statements() -> list[Statement]:
    """The statements the store sent, named by their template, and FalkorDB's index statement
    for every label (``FalkorBackend.create_unique_keys``), which Neo4j is not sent."""
    known = rendered()
    out = [
        Statement(
            known[query].name if query in known else f"unknown/{n}", query, tuple(sorted(params))
        )
        for n, (query, params) in enumerate(store_cycle().sent.items(), start=1)
    ]
    falkor = cypher.UNIQUE_KEY[Dialect.FALKORDB]
    out += [
        Statement(f"UNIQUE_KEY.falkordb/{kind}", render(falkor, label=kind)) for kind in NodeKind
    ]
    return out


def cookbook() -> list[Statement]:
    """Every ```cypher block of docs/neo4j.md, named by the line it starts on."""
    text = COOKBOOK.read_text("utf-8")
    return [
        Statement(f"neo4j.md:{text.count(chr(10), 0, m.start()) + 1}", m.group(1))
        for m in re.finditer(r"```cypher\n(.*?)```", text, flags=re.S)
    ]


def schema() -> dict[str, Any]:
    """The stored graph as the store writes it, for the checker's warnings: the model's labels
    (with the published ones and the meta node's), its relationship types, every property the
    store sets (the keys of the property maps it sends, those its statements assign) and each
    relationship type's ends (a published label standing on the nodes it is added to)."""
    recorder = store_cycle()
    sent = [rendered()[q] for q in recorder.sent if q in rendered()]
    assigned = {p for q in recorder.sent for p in re.findall(r"\b\w+\.(\w+)\s*=", q)}
    on: dict[str, set[str]] = {}  # model label → the published labels added to its nodes
    for r in sent:
        if r.template == "ADD_RESULT_LABEL":
            on.setdefault(r.slots["label"], set()).add(r.slots["result"])
    paths = set()
    for r in sent:
        if r.template in _EDGE_TEMPLATES:
            src, dst, kind = r.slots["src"], r.slots["dst"], r.slots["type"]
            for a in {src} | on.get(src, set()):
                for b in {dst} | on.get(dst, set()):
                    paths.add((a, b, kind))
    return {
        "labels": sorted([*NodeKind, *RESULT_LABELS, cypher.META_LABEL]),
        "relationshipTypes": sorted(EdgeKind),
        "propertyKeys": sorted(recorder.written | assigned),
        "graphSchema": [{"from": a, "to": b, "relType": t} for a, b, t in sorted(paths)],
    }


BROKEN = (
    (Statement("broken/syntax", "MATCH (o:Organization) RETRUN o.name"), "error"),
    (Statement("broken/undefined-variable", "MATCH (o:Organization) RETURN p.name"), "error"),
    (Statement("broken/apoc", "MATCH (o) RETURN apoc.text.join([o.name], ',') AS x"), "error"),
    (Statement("broken/unsent-parameter", "UNWIND $rows AS row RETURN row", ("batch",)), "error"),
    (Statement("broken/label-typo", "MATCH (o:Organisation) RETURN o.name AS name"), "warning"),
    (Statement("broken/property-typo", "MATCH (o:Organization) RETURN o.nmae AS x"), "warning"),
    (Statement("broken/path", "MATCH (:Building)-[:COVERS]->(o:Organization) RETURN o"), "warning"),
)
"""Statements the check must refuse, with the severity expected, checked with the rest: a syntax
error, an undefined variable, a plug-in's function, a parameter the statement is not sent with;
a misspelled label or property and a relationship between labels the store never joins by it."""


# ---------------------------------------------------------------------------------------------
# The check


def lint(statements: list[Statement], graph_schema: dict[str, Any]) -> dict[str, list[dict]]:
    """Diagnostics per statement name, from one run of tools/cypher-lint/lint.mjs."""
    node = need_tool("node", "nodejs")
    if not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        reason = (
            "未安装 Cypher 检查器（tools/cypher-lint/node_modules）："
            "运行 make test 会安装（npm ci，需要 Node.js 和 npm）"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    payload = {
        "statements": [
            {"name": s.name, "query": s.query, "parameters": list(s.parameters)} for s in statements
        ],
        "schema": graph_schema,
    }
    done = subprocess.run(
        [node, str(LINTER / "lint.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"lint.mjs failed ({done.returncode}):\n{done.stderr}"
    results = json.loads(done.stdout)
    assert [r["name"] for r in results] == [s.name for s in statements]
    return {r["name"]: r["diagnostics"] for r in results}


@pytest.fixture(scope="module")
def checked() -> dict[str, list[dict]]:
    """Every statement's diagnostics (store, cookbook and :data:`BROKEN`), one Node process."""
    statements = [*store_statements(), *cookbook(), *(s for s, _ in BROKEN)]
    names = [s.name for s in statements]
    assert len(set(names)) == len(names), "two statements share a name"
    return lint(statements, schema())


def _problems(statement: Statement, diagnostics: list[dict]) -> str:
    lines = [f"{statement.name}:"]
    lines += [
        f"  {d['severity']} at {d['line']}:{d['column']}: {d['message']}" for d in diagnostics
    ]
    lines += [f"    | {line}" for line in statement.query.strip().splitlines()]
    return "\n".join(lines)


def _assert_clean(statements: list[Statement], checked: dict[str, list[dict]]) -> None:
    failed = [_problems(s, checked[s.name]) for s in statements if checked[s.name]]
    if failed:
        pytest.fail("Neo4j's Cypher 5 check found problems:\n" + "\n".join(failed), pytrace=False)


@pytest.mark.parametrize("template", sorted(templates()))
def test_store_statements_pass_neo4j_cypher_5_check(template, checked):
    """Each template of graph.store.cypher, as the store renders it for every label it sends."""
    mine = [s for s in store_statements() if s.name.split("/")[0] == template]
    assert mine, f"{template} was never sent in the recorded store cycle, so never checked"
    _assert_clean(mine, checked)


@pytest.mark.parametrize("statement", cookbook(), ids=lambda s: s.name)
def test_cookbook_query_passes_neo4j_cypher_5_check(statement, checked):
    _assert_clean([statement], checked)


def test_the_store_sends_only_statements_of_graph_store_cypher():
    """So that checking the templates' renderings checks everything the store sends."""
    unknown = [s.query for s in store_statements() if s.name.startswith("unknown/")]
    assert not unknown, "Cypher not rendered from a graph.store.cypher template:\n" + "\n".join(
        unknown
    )
    sent = {rendered()[q].template for q in store_cycle().sent}
    assert sent == set(templates()) - {"UNIQUE_KEY.falkordb"}


def test_the_cookbook_is_all_there():
    assert len(cookbook()) >= 14


@pytest.mark.parametrize(("statement", "severity"), BROKEN, ids=[s.name for s, _ in BROKEN])
def test_the_check_refuses_a_broken_statement(statement, severity, checked):
    assert severity in {d["severity"] for d in checked[statement.name]}, checked[statement.name]
