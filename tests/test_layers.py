"""The package layers, read from the code's own imports with ``ast`` (nothing is imported).

The flow is one way: file → ``loaders`` → ledger → ``graph`` → ``viz`` → ``api``. The rules:

- ``graph`` imports nothing of the others, and its store (``graph/store``) no analysis;
- ``loaders`` and ``viz`` import only ``graph`` (and themselves);
- the shared core of ``api`` (settings, stores, sources, payloads, labels, reporting) imports
  no click, rich, FastAPI, Starlette or uvicorn, and neither the command line nor the web app;
- the command line (``api/cli/``) never imports the web app, except ``api/cli/serve.py``
  importing ``api.main``; the web modules never import the command line;
- no route imports another route;
- no two files import each other, directly or round a longer circle (imports under
  ``if TYPE_CHECKING:`` are not run and do not count for circles; they do for the layers).

Every import counts, at the top of a module or inside a function. The last tests build small
trees that break each rule and check that the checker reports it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "loaders", "viz", "api")

API_CORE = (
    "api.settings",
    "api.stores",
    "api.sources",
    "api.payloads",
    "api.labels",
    "api.reporting",
)
"""The shared core of ``api``: what the command line and the web app both read."""
WEB = (
    "api.main",
    "api.deps",
    "api.errors",
    "api.security",
    "api.templating",
    "api.schemas",
    "api.routes",
)
"""The web app's modules (a name here covers its submodules)."""
UI_LIBRARIES = ("click", "rich", "fastapi", "starlette", "uvicorn")


@dataclass(frozen=True)
class Import:
    """One import in one project file: the module it names, resolved to a project module
    where it is one (``from api.cli import console`` names ``api.cli.console``)."""

    source: str  # the importing module, e.g. "api.cli.ledger"
    target: str  # the imported module, e.g. "api.sources" or "pandas"
    line: int
    type_checking: bool


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path) -> dict[str, Path]:
    return {
        module_name(root, path): path
        for package in PACKAGES
        if (root / package).is_dir()
        for path in sorted((root / package).rglob("*.py"))
    }


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, type_checking: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for part in child.body:
                yield part, True
                yield from _walk(part, True)
            for part in child.orelse:
                yield part, type_checking
                yield from _walk(part, type_checking)
            continue
        yield child, type_checking
        yield from _walk(child, type_checking)


def imports_of(root: Path) -> list[Import]:
    """Every import of every project file."""
    modules = project_modules(root)
    found: list[Import] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node, type_checking in _walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.append(full if full in modules else base)
            for target in targets:
                found.append(Import(name, target, node.lineno, type_checking))
    return found


def _within(module: str, names: tuple[str, ...] | str) -> bool:
    names = (names,) if isinstance(names, str) else names
    return any(module == n or module.startswith(n + ".") for n in names)


def breaches(root: Path) -> list[str]:
    """Every import that breaks a layer rule, as ``file:line: rule``."""
    problems = []
    for imp in imports_of(root):
        src, dst = imp.source, imp.target
        top = dst.split(".")[0]
        rule = None
        if _within(src, "graph") and top in ("api", "loaders", "viz"):
            rule = "graph imports nothing of api, loaders or viz"
        elif _within(src, "graph.store") and _within(dst, "graph.analysis"):
            rule = "the graph store imports no analysis"
        elif (
            _within(src, ("loaders", "viz"))
            and top in PACKAGES
            and top not in ("graph", src.split(".")[0])
        ):
            rule = f"{src.split('.')[0]} imports only graph"
        elif _within(src, API_CORE) and (top in UI_LIBRARIES or _within(dst, ("api.cli", *WEB))):
            rule = "the shared core of api imports no click, rich, web framework, CLI or web module"
        elif (
            _within(src, "api.cli")
            and _within(dst, WEB)
            and not (src == "api.cli.serve" and dst == "api.main")
        ):
            rule = "the command line imports the web app only in api/cli/serve.py"
        elif _within(src, WEB) and _within(dst, "api.cli"):
            rule = "the web app never imports the command line"
        elif (
            _within(src, "api.routes")
            and _within(dst, "api.routes")
            and dst not in (src, "api.routes")
        ):
            rule = "no route imports another route"
        if rule:
            path = project_modules(root)[src].relative_to(root)
            problems.append(f"{path}:{imp.line}: {rule} ({dst})")
    return problems


def circles(root: Path) -> list[list[str]]:
    """Every circle of imports between files (run-time imports only)."""
    modules = project_modules(root)
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    for imp in imports_of(root):
        if imp.target in modules and imp.target != imp.source and not imp.type_checking:
            # a package's __init__ imported for a submodule is not an edge back to the package
            if imp.source.startswith(imp.target + "."):
                continue
            g.add_edge(imp.source, imp.target)
    return sorted(sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1)


# -- the project -----------------------------------------------------------------------------


def test_the_project_keeps_its_layers():
    assert breaches(ROOT) == []


def test_no_file_imports_itself_round_a_circle():
    assert circles(ROOT) == []


def test_the_checker_sees_the_project():
    """Guard against a checker that reads nothing: the imports it finds include known ones."""
    found = {(i.source, i.target) for i in imports_of(ROOT)}
    assert ("api.cli.serve", "api.main") in found
    assert ("api.deps", "api.sources") in found
    assert ("api.routes.ledger", "loaders.archive") in found
    assert len(found) > 300


# -- the checker fails when a rule is broken -------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize(
    ("files", "rule"),
    [
        ({"graph/x.py": "import api.sources\n"}, "graph imports nothing"),
        ({"graph/x.py": "def f():\n    from viz import maps\n"}, "graph imports nothing"),
        (
            {"graph/store/db.py": "from graph.analysis.flags import flags\n"},
            "the graph store imports no analysis",
        ),
        ({"loaders/x.py": "from viz.render import map_block\n"}, "loaders imports only graph"),
        ({"viz/x.py": "import loaders\n"}, "viz imports only graph"),
        ({"api/sources.py": "import click\n"}, "shared core of api"),
        ({"api/payloads.py": "from fastapi import Request\n"}, "shared core of api"),
        ({"api/labels.py": "from api.cli import console\n"}, "shared core of api"),
        ({"api/cli/analysis.py": "from api.main import create_app\n"}, "api/cli/serve.py"),
        ({"api/cli/serve.py": "from api.deps import AppState\n"}, "api/cli/serve.py"),
        ({"api/deps.py": "from api.cli.options import load_graph\n"}, "never imports the command"),
        (
            {"api/routes/a.py": "", "api/routes/b.py": "from api.routes.a import x\n"},
            "no route imports another route",
        ),
        (
            {"api/routes/a.py": "", "api/routes/b.py": "from api.routes import a\n"},
            "no route imports another route",
        ),
    ],
)
def test_a_broken_rule_is_reported(tmp_path, files, rule):
    found = breaches(_tree(tmp_path, files))
    assert len(found) == 1 and rule in found[0], found


def test_allowed_imports_pass(tmp_path):
    root = _tree(
        tmp_path,
        {
            "api/cli/serve.py": "def serve():\n    from api.main import create_app\n",
            "api/main.py": "from api.routes import a\n",
            "api/routes/a.py": "from api.templating import Links\nfrom api.sources import x\n",
            "api/templating.py": "",
            "viz/x.py": "from graph.model import NodeKind\nfrom viz import layout\n",
            "graph/store/db.py": "from graph.published import RESULT_LABELS\n",
        },
    )
    assert breaches(root) == []


def test_a_circle_is_reported(tmp_path):
    root = _tree(
        tmp_path,
        {
            "api/a.py": "from api.b import x\n",
            "api/b.py": "def f():\n    from api.c import y\n",  # inside a function counts
            "api/c.py": "import api.a\n",
            "api/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import api.e\n",
            "api/e.py": "import api.d\n",  # only a TYPE_CHECKING import back: no circle
        },
    )
    assert circles(root) == [["api.a", "api.b", "api.c"]]
