"""Shared state of the web app: the graph, loaded once and reloaded on a new version."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import networkx as nx
from fastapi import Depends, Query, Request

from api.sources import open_ledger, open_workspace
from api.stores import parse_store
from graph.analysis.common import Params
from graph.analysis.diff import VersionDiff, diff
from graph.build import build_graph
from graph.errors import NotFound
from graph.store.workspace import VersionInfo, Workspace

__all__ = ["AppState", "GraphDep", "ParamsDep", "StateDep", "file_name"]


def file_name(path: object) -> str:
    """The last part of a path (``/home/甲/台账.xlsx`` → ``台账.xlsx``, Windows paths too): what
    the web app shows of a source file, never the folders above it."""
    text = str(path).rstrip("/\\")
    return re.split(r"[/\\]", text)[-1] or text


@dataclass
class AppState:
    """Where the app's data comes from, and the graph built from it.

    With the embedded workspace the current version is checked on each request (one small
    file read) and the graph rebuilt when a new version has been loaded; with a graph store
    the graph is read once at start-up.
    """

    workspace: Path | None = None
    store: str | None = None
    ledger: Path | None = None
    source: str = ""
    version: str | None = None
    graph: nx.MultiDiGraph | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _versions: Workspace | None = field(default=None, repr=False)
    """The workspace whose current version is followed; None for a ledger file or a store."""
    _older: dict[str, nx.MultiDiGraph] = field(default_factory=dict, repr=False)
    _source_file: str = field(default="", repr=False)
    """The file name the current workspace version was loaded from (see public_source)."""

    def load(self, version: str | None = None) -> None:
        """Read the data and build the graph: the workspace's ``version`` (default: current)."""
        source_file = ""
        if self.ledger is None and parse_store(self.store).kind == "workspace":
            self._versions = open_workspace(self.workspace)
            info = self._versions.resolve(version)
            version, source_file = version or info.id, file_name(info.source)
        led, self.source = open_ledger(self.ledger, self.workspace, version, self.store)
        self.graph, self.version, self._source_file = build_graph(led), version, source_file

    @property
    def public_source(self) -> str:
        """Where the data comes from, as the API may say it to anyone who reaches it: a file
        by its name only (no folders: they name people and machines), a store by its label.
        Every page shows it: the workspace version's file name is kept from :meth:`load`."""
        self.current()
        if self.ledger is not None:
            return file_name(self.ledger)
        if self._versions is not None and self.version is not None:
            return f"工作区版本 {self.version}（{self._source_file}）"
        return self.source

    @property
    def workspace_versions(self) -> Workspace | None:
        """The workspace whose versions the app serves; None for a ledger file or a store."""
        if self.graph is None:
            self.current()
        return self._versions

    def graph_at(self, version: str) -> tuple[VersionInfo, nx.MultiDiGraph]:
        """The graph of one workspace version (an id, a prefix, "current" or "previous").

        The current version's graph is the one already built; another version's graph is built
        on request and the last two are kept. Raises NotFound without a workspace.
        """
        current = self.current()
        if self._versions is None:
            raise NotFound("此应用的数据来自台账文件或图数据库，没有工作区版本可比较。")
        info = self._versions.resolve(version)
        if info.id == self.version:
            return info, current
        with self._lock:
            if info.id not in self._older:
                while len(self._older) >= 2:
                    self._older.pop(next(iter(self._older)))
                self._older[info.id] = build_graph(self._versions.read(info.id))
            return info, self._older[info.id]

    def compare(
        self, from_version: str, to_version: str, params: Params
    ) -> tuple[VersionInfo, VersionInfo, VersionDiff]:
        """Two workspace versions (named as for :meth:`graph_at`) and what changed from the
        first to the second: the version diff of the API, the 版本变化 page and the monthly
        report."""
        then, old = self.graph_at(from_version)
        now, new = self.graph_at(to_version)
        return then, now, diff(old, new, params)

    def current(self) -> nx.MultiDiGraph:
        with self._lock:
            if self.graph is None:
                self.load()
            elif self._versions is not None:
                latest = self._versions.resolve(None).id
                if latest != self.version:
                    self.load(latest)
            assert self.graph is not None
            return self.graph


def _state(request: Request) -> AppState:
    return request.app.state.liangxin


def _graph(request: Request) -> nx.MultiDiGraph:
    return _state(request).current()


def _params(
    as_of: Annotated[dt.date | None, Query(description="以哪天为准判断日期（默认今天）")] = None,
    min_employees_enterprise: Annotated[int, Query(ge=0, description="非公企业从业人员下限")] = 0,
    min_employees_social: Annotated[int, Query(ge=0, description="社会组织从业人员下限")] = 0,
) -> Params:
    return Params(
        as_of=as_of or dt.date.today(),
        min_employees_enterprise=min_employees_enterprise,
        min_employees_social=min_employees_social,
    )


StateDep = Annotated[AppState, Depends(_state)]
GraphDep = Annotated[nx.MultiDiGraph, Depends(_graph)]
ParamsDep = Annotated[Params, Depends(_params)]
