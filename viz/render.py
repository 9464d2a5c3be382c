"""HTML for the maps: the fragment a page embeds, its JSON payload, a self-contained file.

Nothing here reaches outside the machine. A page links the files of :data:`STATIC_FILES`
from :data:`STATIC_DIR` (served at ``/static/viz/``) and embeds :func:`map_block`;
``static/map.js`` finds the block and draws it. The block holds no inline JavaScript and no
event handler (the app's Content-Security-Policy is ``script-src 'self'``); its data sits in a
``<script type="application/json">`` element, escaped so that no organization's name can end
that element (:func:`map_json`). :func:`standalone_html` inlines the same files into one
document that opens from ``file://`` without a single request.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from viz.mapdata import NetworkMap

__all__ = [
    "FONT_FAMILY",
    "OPTIONS",
    "STATIC_DIR",
    "STATIC_FILES",
    "environment",
    "map_block",
    "map_json",
    "standalone_html",
]

STATIC_DIR: Path = Path(__file__).parent / "static"
"""Served by the app at ``/static/viz/``: vis-network 9.1.2 (vendored from pyvis 0.3.2),
``map.css`` and ``map.js``."""

STATIC_FILES: tuple[str, ...] = (
    "vis-network.min.css",
    "map.css",
    "vis-network.min.js",
    "map.js",
)
"""What a page with a map loads, in order: stylesheets first, then scripts (``defer``)."""

FONT_FAMILY = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif'
)
"""System fonts with Chinese glyphs, best first; no web font is ever loaded."""

OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "multiselect": True,
    },
    "nodes": {
        "font": {"face": FONT_FAMILY, "size": 14, "color": "#263238"},
        "borderWidth": 1,
        # a label is drawn only once it would be at least this many pixels high: a crowded
        # map zoomed out shows its shapes, and the names appear as the planner zooms in
        "scaling": {"label": {"drawThreshold": 10}},
    },
    "edges": {
        "smooth": False,
        "font": {"face": FONT_FAMILY, "size": 12},
        "color": {"inherit": False},
        "selectionWidth": 2,
    },
}
"""vis-network options of every map: positions come from the server, so no physics and no
layout pass; straight edges draw fastest; tooltips on hover."""

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
_HEIGHT = re.compile(r"^\d+(\.\d+)?(px|em|rem|vh|%)$")
_DOM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[a-zA-Z]{3,20}|rgba?\([0-9., %]+\))$")


@cache
def environment() -> Environment:
    """The Jinja environment of ``viz/templates``, autoescaping everything."""
    env = Environment(loader=PackageLoader("viz", "templates"), autoescape=True)
    env.filters["lx_color"] = _safe_color
    return env


def map_json(m: NetworkMap) -> str:
    """The map as JSON, safe inside a ``<script type="application/json">`` element.

    ``{"title", "nodes", "edges", "options", "note", "aggregated"}``; ``<``, ``>`` and ``&``
    are written ``\\u003c`` …, so no value (an organization named ``</script><img …>``) can end
    the element or open a comment, and U+2028 / U+2029 as escapes too. ``json.loads`` gives
    every value back unchanged. NaN becomes null.
    """
    payload = {
        "title": m.title,
        "nodes": [_plain(n) for n in m.nodes],
        "edges": [_plain(e) for e in m.edges],
        "options": OPTIONS,
        "note": m.note,
        "aggregated": m.aggregated,
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_JSON_ESCAPES)


def map_block(m: NetworkMap, dom_id: str = "map", height: str = "640px") -> Markup:
    """The HTML of one map, to put in a page that loads :data:`STATIC_FILES`.

    ``<section class="lx-map" id="{dom_id}">`` with the title, the note, a search box, the
    legend (inline SVG swatches: a node's shape and colour, an edge's line, dashed when
    ``dashes``), the canvas (``class="lx-map-canvas"``, ``height`` high), a ``<noscript>`` line
    and the data. Everything from the map is autoescaped. ``dom_id`` must be a plain HTML id
    and ``height`` a CSS length (``640px``, ``70vh``): anything else raises ``ValueError``.
    """
    if not _DOM_ID.match(dom_id):
        raise ValueError(f"dom_id must be letters, digits, '-' or '_': {dom_id!r}")
    if not _HEIGHT.match(height):
        raise ValueError(f"height must be a CSS length such as '640px': {height!r}")
    template = environment().get_template("map_block.html")
    html = template.render(m=m, dom_id=dom_id, height=height, data=Markup(map_json(m)))
    return Markup(html)


def standalone_html(m: NetworkMap) -> str:
    """One self-contained HTML document of the map (reports, the CLI's ``--html``).

    vis-network's CSS and JS, ``map.css`` and ``map.js`` are inlined, so the file opens from
    ``file://`` without any request: no ``<script src>``, no ``<link>``, no web font. Inlined
    code is made safe for its element: ``</script`` and ``<!--`` in JS are written with
    ``\\x3C`` (the same character inside a string or regular expression), ``</style`` in CSS
    as ``<\\/style``.
    """
    css = "\n".join(_inline_css(_static(name)) for name in STATIC_FILES if name.endswith(".css"))
    js = "\n".join(_inline_js(_static(name)) for name in STATIC_FILES if name.endswith(".js"))
    template = environment().get_template("standalone.html")
    return template.render(
        m=m,
        css=Markup(css),
        js=Markup(js),
        block=map_block(m, "map", "80vh"),
    )


# ---------------------------------------------------------------------------------------------


@cache
def _static(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def _inline_js(code: str) -> str:
    return re.sub(r"<(?=/script|!--)", r"\\x3C", code, flags=re.IGNORECASE)


def _inline_css(code: str) -> str:
    return re.sub(r"</(?=style)", r"<\\/", code, flags=re.IGNORECASE)


def _safe_color(value: object) -> str:
    """A legend colour as given when it is a plain CSS colour, else a neutral grey."""
    text = str(value)
    return text if _COLOR.match(text) else "#9e9e9e"


def _plain(value: Any) -> Any:
    """``value`` with NaN as None and numpy scalars as Python numbers, for strict JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool | str | int) or value is None:
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return str(value)
