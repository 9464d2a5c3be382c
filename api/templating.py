"""The pages' templating: the Jinja environment, and the helpers every page route shares.

Every page extends ``base.html`` (navigation, search box, the data version in the footer).
Templates get ``version`` and ``source`` from :func:`page_context`; maps come in as the
``Markup`` of :func:`viz.render.map_block`, everything else is escaped. The helpers turn
analysis results into tables with the headings of :mod:`api.labels` (the command line's),
numbers grouped by thousands and rates as percentages, and build links with every code
URL-quoted that keep the request's scope (``as_of``, ``min_employees_*``), so that following
a link shows the same figures. The page routes (:mod:`api.routes.places`,
:mod:`api.routes.pages`, …) share them from here, never from each other.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast
from urllib.parse import quote, urlencode

import networkx as nx
import numpy as np
import pandas as pd
from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from api.labels import FLAG_HEADINGS, GROUP_LABELS, RATE_HEADINGS
from graph.analysis.common import COVERAGE_LABELS, is_missing, streets
from graph.errors import LiangxinError, NotFound
from graph.model import NodeKind, node_id
from viz import maps
from viz.render import STATIC_FILES, map_block

if TYPE_CHECKING:
    from graph.store.workspace import VersionInfo

__all__ = [
    "COVERAGE_ORDER",
    "GROUP_RATES",
    "PAGE_KINDS",
    "PLACES",
    "ROW_LIMIT",
    "SCOPE_PARAMS",
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "Cell",
    "Links",
    "MapView",
    "RowLink",
    "RowLinks",
    "StreetQuery",
    "Table",
    "coverage_labels",
    "flag_table",
    "format_value",
    "frame_table",
    "group_table",
    "is_org_row",
    "map_view",
    "org_link",
    "page_context",
    "page_url",
    "place_node",
    "render_page",
    "street_choice",
    "templates",
    "version_options",
]

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)  # autoescape on for .html (select_autoescape)
templates.env.globals["site_name"] = "两新图谱"


def page_context(request: Request, **values: Any) -> dict[str, Any]:
    """What every page shows besides its own content: the data's version and source."""
    state = request.app.state.liangxin
    return {"version": state.version, "source": state.public_source, **values}


PAGE_KINDS: dict[str, str] = {
    "district": "/districts/",
    "street": "/streets/",
    "building": "/buildings/",
    "park": "/parks/",
    "chain": "/chains/",
    "org": "/orgs/",
}
"""The page of each kind of thing a link or a map node can point at (code appended, quoted)."""

SCOPE_PARAMS = ("as_of", "min_employees_enterprise", "min_employees_social")
"""Query parameters that change the figures: links carry them from page to page."""

ROW_LIMIT = 300
"""Long lists (organizations, proposals) show this many rows and say how many are left out."""

PLACES: dict[str, tuple[NodeKind, str, str]] = {
    "district": (NodeKind.DISTRICT, "区县", "街道"),
    "street": (NodeKind.STREET, "街道", "街道"),
    "building": (NodeKind.BUILDING, "楼宇", "楼宇"),
    "park": (NodeKind.PARK, "园区", "园区"),
}
"""Place pages: the node kind, the place's Chinese name and the ledger sheet listing it."""

COVERAGE_ORDER = {"none": 0, "work": 1, "joint": 2, "own": 3}
GROUP_RATES = ["kind", "total", "org_covered", "org_rate", "work_covered", "work_rate"]
"""The rate columns shown for each place or chain in a list of them."""


def page_url(kind: str, code: object) -> str | None:
    """The page of a district, street, building, park, chain or organization; None without one."""
    if kind not in PAGE_KINDS or is_missing(code) or str(code) == "":
        return None
    return PAGE_KINDS[kind] + quote(str(code), safe="")


class Links:
    """Page URLs for one request: :func:`page_url` plus the request's scope parameters.

    An instance is the ``link(kind, code)`` the maps of :mod:`viz.maps` take.
    """

    def __init__(self, request: Request) -> None:
        self.scope: list[tuple[str, str]] = [
            (k, v) for k, v in request.query_params.items() if k in SCOPE_PARAMS and v
        ]
        """The scope parameters of the request, carried by every link (and the forms)."""

    def __call__(self, kind: str, code: object) -> str | None:
        url = page_url(kind, code)
        return None if url is None else url + self._query()

    def page(self, path: str, **query: object) -> str:
        """``path`` with ``query`` (None values left out) and the scope parameters."""
        return path + self._query({k: v for k, v in query.items() if not is_missing(v)})

    def _query(self, extra: Mapping[str, object] | None = None) -> str:
        pairs = [*(extra or {}).items(), *self.scope]
        return "?" + urlencode([(k, str(v)) for k, v in pairs]) if pairs else ""


@dataclass(frozen=True)
class Cell:
    """One table cell: text, an optional link, or a list of (linked) items shown joined."""

    text: str
    href: str | None = None
    parts: tuple[Cell, ...] = ()


@dataclass
class Table:
    """A table ready for the ``data_table`` macro: headings, formatted cells, what was cut."""

    title: str
    headings: list[str]
    numeric: list[bool]
    rows: list[list[Cell]]
    total: int
    empty: str = "没有符合条件的结果。"
    note: str | None = None
    anchor: str | None = None


@dataclass
class MapView:
    """A map for a page: its HTML and the files it needs, or why there is none."""

    html: Markup | None = None
    message: str | None = None
    assets: list[str] = field(default_factory=list)


StreetQuery = Annotated[str | None, Query(description="只看这个街道（街道编码）")]
RowLink = Callable[[dict[str, Any]], str | None]
RowLinks = Callable[[dict[str, Any]], Sequence[str | None]]


# -- tables -------------------------------------------------------------------------------------


def frame_table(
    frame: pd.DataFrame,
    headings: Mapping[str, str],
    *,
    title: str = "",
    link: Mapping[str, RowLink] | None = None,
    lists: Mapping[str, RowLinks] | None = None,
    limit: int | None = None,
    empty: str = "没有符合条件的结果。",
    note: str | None = None,
    anchor: str | None = None,
) -> Table:
    """``frame``'s columns named in ``headings`` as a :class:`Table`, at most ``limit`` rows.

    Numbers are grouped by thousands; a column whose heading has ``%`` is a rate, shown as
    ``90.56%`` (the ``%`` leaves the heading); one measured in 百分点 is signed (``+1.50``);
    true/false are 是/否; lists are joined with 、; missing values are —. ``link`` gives a
    column's cell a link computed from the row; ``lists`` links each item of a list column.
    """
    link, lists = link or {}, lists or {}
    columns = [c for c in headings if c in frame.columns]
    shown = frame if limit is None else frame.head(limit)
    kinds = [_column_format(headings[c]) for c in columns]
    rows = []
    for record in cast("list[dict[str, Any]]", shown.to_dict("records")):
        cells = []
        for column, kind in zip(columns, kinds, strict=True):
            value = record[column]
            if column in lists and isinstance(value, list | tuple):
                hrefs = list(lists[column](record))
                parts = tuple(
                    Cell(format_value(v, kind), href)
                    for v, href in zip(value, hrefs + [None] * len(value), strict=False)
                )
                cells.append(Cell("、".join(p.text for p in parts), parts=parts))
                continue
            href = link[column](record) if column in link and not is_missing(value) else None
            cells.append(Cell(format_value(value, kind), href))
        rows.append(cells)
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in columns
    ]
    return Table(
        title=title,
        headings=[headings[c].replace("%", "") for c in columns],
        numeric=numeric,
        rows=rows,
        total=len(frame),
        empty=empty,
        note=note,
        anchor=anchor,
    )


def _column_format(heading: str) -> str:
    if "%" in heading:
        return "percent"
    if "百分点" in heading:
        return "change"
    return "plain"


def format_value(value: object, kind: str = "plain") -> str:
    """One value as a planner reads it (see :func:`frame_table`)."""
    if isinstance(value, list | tuple):
        return "、".join(format_value(v, kind) for v in value)
    if is_missing(value):
        return "—"
    if isinstance(value, bool | np.bool_):
        return "是" if value else "否"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        number = float(value)
        if kind == "percent":
            return f"{number:.2f}%"
        if kind == "change":
            return f"{number:+.2f}"
        return f"{number:,.2f}"
    return str(value)


def _pct(value: object) -> str:
    return format_value(value, "percent")


def _num(value: object) -> str:
    return format_value(value)


templates.env.filters["pct"] = _pct  # for figures the templates show outside tables
templates.env.filters["num"] = _num


# -- helpers ------------------------------------------------------------------------------------


def render_page(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    map_view = context.get("map")
    assets = map_view.assets if isinstance(map_view, MapView) else []
    return templates.TemplateResponse(
        request,
        name,
        page_context(request, **{"link": Links(request), "viz_assets": assets, **context}),
    )


def map_view(builder: str, *args: Any, **kwargs: Any) -> MapView:
    """One map of :mod:`viz.maps` as page HTML; the reason instead where it cannot be drawn."""
    try:
        network = getattr(maps, builder)(*args, **kwargs)
    except LiangxinError as exc:
        return MapView(message=exc.message)
    return MapView(html=map_block(network), assets=list(STATIC_FILES))


def place_node(g: nx.MultiDiGraph, kind: str, code: str) -> dict[str, Any]:
    """The node of a place or chain page; NotFound with a Chinese message when there is none."""
    node_kind, label, sheet = PLACES.get(kind, (NodeKind.CHAIN, "产业链", "产业链"))
    key = node_id(node_kind, code)
    if key not in g:
        raise NotFound(f"找不到{label}“{code}”，请核对台账“{sheet}”表中的编码。")
    return g.nodes[key]


def version_options(versions: Sequence[VersionInfo]) -> list[dict[str, str]]:
    """Workspace versions for a version choice, newest first: ``版本号（导入日期）``."""
    return [{"id": v.id, "label": f"{v.id}（{v.loaded_at[:10]}）"} for v in reversed(versions)]


def street_choice(g: nx.MultiDiGraph, street: str | None) -> dict[str, Any]:
    """The street a plan or pairing page shows (None: the whole area), its name, and every
    street to choose from; NotFound for a street the ledger does not have."""
    street = street or None
    name = str(place_node(g, "street", street).get("name") or street) if street else None
    table = streets(g).sort_values(["district", "name"])
    return {
        "street": street,
        "street_name": name,
        "streets": [
            {"code": str(code), "name": f"{row['district']} {row['name']}"}
            for code, row in table.iterrows()
        ],
    }


def is_org_row(row: Mapping[str, Any]) -> bool:
    return row.get("candidate_kind") == "organization"


def org_link(link: Links, g: nx.MultiDiGraph, column: str) -> RowLink:
    """Link a cell to the organization whose USCC is in ``column``, when it is one."""

    def href(row: dict[str, Any]) -> str | None:
        code = row.get(column)
        if is_missing(code) or node_id(NodeKind.ORGANIZATION, str(code)) not in g:
            return None
        return link("org", code)

    return href


def group_table(frame: pd.DataFrame, kind: str, link: Links, *, title: str) -> Table:
    """Rates of ``coverage(by=kind)`` rows, each group linked to its page."""
    headings = {"group_name": GROUP_LABELS[kind], **{k: RATE_HEADINGS[k] for k in GROUP_RATES}}
    return frame_table(
        frame,
        headings,
        title=title,
        link={"group_name": lambda r: link(kind, r["group"])},
        empty="没有计入统计的组织。",
    )


def flag_table(frame: pd.DataFrame, link: Links, *, title: str, limit: int | None = None) -> Table:
    return frame_table(
        frame,
        FLAG_HEADINGS,
        title=title,
        link={
            "name": lambda r: (
                link("org", r["subject"]) if r["subject_kind"] == "organization" else None
            ),
            "street_name": lambda r: link("street", r["street"]),
        },
        limit=limit,
        empty="没有需要处理的问题。",
    )


def coverage_labels(orgs: pd.DataFrame) -> pd.Series:
    """Each organization's coverage state in Chinese; those not counted say why."""
    labels = orgs["coverage"].map(COVERAGE_LABELS)
    outside = ~orgs["in_scope"].astype(bool)
    why = orgs["status"].where(~orgs["operating"].astype(bool), "从业人员不足")
    return labels.where(~outside, "不计入统计（" + why.astype(str) + "）")
