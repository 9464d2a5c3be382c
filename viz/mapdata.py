"""What a map is: nodes and edges with server-computed positions, a legend and a title.

Every map of :mod:`viz.maps` returns a :class:`NetworkMap`. It is plain data: the pages embed
it as JSON (:func:`viz.render.map_block`) and ``viz/static/map.js`` draws it with the
vis-network that pyvis bundles, served from this machine. Positions are computed here so the
browser never has to run physics; no map carries more than :data:`MAX_NODES` nodes (larger
scopes are folded into buildings or streets with counts, and a click drills down).

Tooltips (``title``) and labels are plain text: vis-network 9 sets a string title with
``innerText``, and the page never builds HTML from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MAX_NODES", "LegendItem", "Linker", "NetworkMap", "no_links"]

MAX_NODES = 1500
"""The most nodes a map ships; a scope with more is aggregated (issue: usable in 3 seconds)."""

Linker = Callable[[str, str], str | None]
"""Where a click on a node goes: ``link(kind, code)`` with kind one of ``district``,
``street``, ``building``, ``park``, ``chain``, ``org``; None for no link."""


def no_links(kind: str, code: str) -> str | None:
    """The default :data:`Linker`: nodes link nowhere (standalone files, tests)."""
    return None


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: a node look (``shape``, ``color``) or an edge look (``dashes``)."""

    label: str
    color: str
    shape: str = "dot"
    """A vis-network shape (dot, square, diamond, triangle, star, box …), ``line`` for an edge."""
    dashes: bool = False


@dataclass
class NetworkMap:
    """One map ready to draw.

    ``nodes`` and ``edges`` are vis-network item dicts (``id``, ``label``, ``title``, ``x``,
    ``y``, ``color``, ``shape``, ``size``, ``group``; ``from``, ``to``, ``dashes``, ``width``),
    plus ``url`` on a node a click opens and ``search`` (name and code) the search box matches.
    ``aggregated`` says organizations were folded into places, ``note`` says so in Chinese.
    """

    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    note: str = ""
    aggregated: bool = False
