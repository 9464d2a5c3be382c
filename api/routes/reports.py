"""Report downloads (报告下载): the page listing them and the files, as ``liangxin report`` writes.

``GET /reports`` shows the four reports with their options; ``GET /reports/{kind}.{fmt}``
answers the file (``chain``, ``coverage``, ``plan`` or ``monthly``; ``xlsx``, ``docx`` or
``html``) as an attachment with its Chinese file name, the scope parameters applied as on
every page. They are downloads for people, so they stay out of the OpenAPI schema.

Building a report costs seconds of CPU (the coverage report in Word about 8 s on the sample
city) and needs no token, so the files are kept in a :class:`ReportCache`: the same report of
the same data with the same options is built once, and one report is built at a time.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Annotated
from urllib.parse import quote

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from api.deps import AppState, GraphDep, ParamsDep, StateDep
from api.reporting import monthly_document
from api.templating import Links, page_context, templates, version_options
from graph.analysis.common import Params
from graph.errors import LiangxinError, NotFound
from graph.model import NodeKind
from viz.reports import FORMATS, MEDIA_TYPES, render
from viz.reports.content import REPORT_KINDS, build_report
from viz.reports.document import Report

__all__ = ["ReportCache", "router"]

router = APIRouter()

FORMAT_LABELS = {"docx": "Word（.docx）", "xlsx": "Excel（.xlsx）", "html": "网页（.html）"}
"""The formats as the page offers them, Word first (what planners send upwards)."""


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, graph: GraphDep, state: StateDep) -> HTMLResponse:
    """报告下载: each report in the three formats, with its options."""
    chains = sorted(
        (str(d["code"]), str(d.get("name") or d["code"]))
        for _, d in graph.nodes(data=True)
        if d.get("kind") == NodeKind.CHAIN.value
    )
    workspace = state.workspace_versions
    versions = workspace.versions() if workspace is not None else []
    return templates.TemplateResponse(
        request,
        "reports.html",
        page_context(
            request,
            link=Links(request),
            kinds=REPORT_KINDS,
            formats=list(FORMAT_LABELS.items()),
            chains=chains,
            versions=version_options(versions),
        ),
    )


ChainQuery = Annotated[str | None, Query(description="产业链报告只写这条产业链")]
FromQuery = Annotated[str, Query(alias="from", description="月调度报告：较早的版本")]
ToQuery = Annotated[str, Query(alias="to", description="月调度报告：较新的版本")]


class ReportCache:
    """The last ``size`` report files built, by (graph, kind, format, options): bounded (least
    recently used out first) and thread-safe.

    The graph is identified by the object itself (its ``id`` while a weak reference says it is
    still that object): a new version, loaded as a new graph, never gets an older file, and the
    cache keeps no graph alive. Identical requests arriving together wait for one build; at
    most ``builds_at_once`` reports are built at the same moment, so downloads cannot take more
    than that many cores whatever their options. ``built`` counts the builds.
    """

    def __init__(self, size: int = 4, builds_at_once: int = 1) -> None:
        self.size = size
        self.built = 0
        self._entries: OrderedDict[Hashable, tuple[weakref.ref, str, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[Hashable, threading.Lock] = {}
        self._builds = threading.BoundedSemaphore(builds_at_once)

    def get(
        self, graph: nx.MultiDiGraph, options: Hashable, build: Callable[[], tuple[str, bytes]]
    ) -> tuple[str, bytes]:
        """The (file name, bytes) for ``options`` over ``graph``, built by ``build`` when no
        identical file is kept. A build that fails (a LiangxinError) keeps nothing."""
        key = (id(graph), options)
        with self._lock:
            if (found := self._found(key, graph)) is not None:
                return found
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:
            try:
                with self._lock:
                    if (found := self._found(key, graph)) is not None:
                        return found
                with self._builds:
                    name, data = build()
                with self._lock:
                    self.built += 1
                    self._entries[key] = (weakref.ref(graph), name, data)
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
                return name, data
            finally:
                with self._lock:
                    self._pending.pop(key, None)

    def _found(self, key: Hashable, graph: nx.MultiDiGraph) -> tuple[str, bytes] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0]() is not graph:  # the id of a graph since collected: not this one
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[1], entry[2]


def report_cache(request: Request) -> ReportCache:
    """The app's report cache, set by ``create_app``."""
    return request.app.state.report_cache


@router.get("/reports/{kind}.{fmt}", include_in_schema=False)
async def report_file(
    request: Request,
    graph: GraphDep,
    params: ParamsDep,
    state: StateDep,
    kind: str,
    fmt: str,
    chain: ChainQuery = None,
    from_version: FromQuery = "previous",
    to_version: ToQuery = "current",
) -> Response:
    """The report as a file download (``Content-Disposition: attachment``, UTF-8 file name)."""
    suffix = f".{fmt.lower()}"
    if kind not in REPORT_KINDS or suffix not in FORMATS:
        raise NotFound(
            f"没有“{kind}.{fmt}”这份报告：报告为 {'、'.join(REPORT_KINDS)}，格式为 "
            f"{'、'.join(f.lstrip('.') for f in FORMATS)}。"
        )
    chain = chain or None

    def build() -> tuple[str, bytes]:
        document = _build(graph, params, state, kind, chain, from_version, to_version)
        return f"{document.filename}{suffix}", render(document, suffix)

    versions = (from_version, to_version) if kind == "monthly" else None
    # no source in the key: it is loaded with the graph, which the cache already tells apart
    options = (kind, suffix, params, chain if kind == "chain" else None, versions)
    name, data = await run_in_threadpool(report_cache(request).get, graph, options, build)
    return Response(
        content=data,
        media_type=MEDIA_TYPES[suffix],
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"liangxin-{kind}{suffix}\"; filename*=UTF-8''{quote(name)}"
            )
        },
    )


@router.get("/reports/{kind}", include_in_schema=False)
async def report_form(
    request: Request,
    graph: GraphDep,
    params: ParamsDep,
    state: StateDep,
    kind: str,
    fmt: Annotated[str, Query(alias="format", description="xlsx、docx 或 html")] = "docx",
    chain: ChainQuery = None,
    from_version: FromQuery = "previous",
    to_version: ToQuery = "current",
) -> Response:
    """The same download from the page's forms, the format as ``?format=``."""
    return await report_file(
        request, graph, params, state, kind, fmt, chain, from_version, to_version
    )


def _build(
    graph: nx.MultiDiGraph,
    params: Params,
    state: AppState,
    kind: str,
    chain: str | None,
    from_version: str,
    to_version: str,
) -> Report:
    if kind != "monthly":
        return build_report(kind, graph, params, state.source, chain)
    if state.workspace_versions is None or len(state.workspace_versions.versions()) < 2:
        raise LiangxinError(
            "月调度报告比较工作区的两个版本：工作区中还没有可以比较的上一期，请先导入新一期台账。"
        )
    return monthly_document(*state.compare(from_version, to_version, params), params)
