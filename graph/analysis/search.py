"""Find organizations, places and chains by name or code, for the search box."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.analysis.common import is_missing, node_rows, org_table, streets
from graph.model import NodeKind

__all__ = ["KINDS", "SEARCH_COLUMNS", "search"]

KINDS: dict[str, str] = {
    "district": "区县",
    "street": "街道",
    "building": "楼宇",
    "park": "园区",
    "chain": "产业链",
    "org": "组织",
}
"""What a hit can be, in the order hits of equal quality are listed, with its Chinese name."""

SEARCH_COLUMNS = ["kind", "code", "name", "place"]
"""The columns of :func:`search`, in order."""

_PLACE_KINDS = {
    NodeKind.DISTRICT.value: "district",
    NodeKind.STREET.value: "street",
    NodeKind.BUILDING.value: "building",
    NodeKind.PARK.value: "park",
    NodeKind.CHAIN.value: "chain",
}
_EXACT, _PREFIX, _CONTAINS = 0, 1, 2


def search(g: nx.MultiDiGraph, query: str, limit: int = 50) -> pd.DataFrame:
    """Organizations, districts, streets, buildings, parks and chains matching ``query``.

    An organization matches when its name contains the query (case-insensitive) or its
    统一社会信用代码 equals the query or starts with it (spaces and case ignored); a place or
    chain when its name contains the query or its code equals it. Better matches come first:
    an exact name or code, then a name or code starting with the query, then the rest; within
    each, by :data:`KINDS` order, then by name and code. A blank query finds nothing.

    Returns at most ``limit`` rows (columns :data:`SEARCH_COLUMNS`): ``kind`` (a key of
    :data:`KINDS`), ``code`` (the USCC, the place's or chain's code; a district's code is its
    name), ``name`` and ``place`` (where it is, in Chinese: district / street / building for
    an organization, the district of a street or park, street and district of a building;
    None for a district or chain, never NaN). Cost: one pass over the organizations and the
    place nodes.
    """
    text = " ".join(query.split())
    if not text or limit < 1:
        return pd.DataFrame(columns=SEARCH_COLUMNS, dtype=object)
    needle = text.casefold()
    hits = [*_org_hits(g, needle), *_place_hits(g, needle)]
    kind_order = {kind: i for i, kind in enumerate(KINDS)}
    hits.sort(key=lambda h: (h[0], kind_order[h[1]], h[3], h[2]))
    rows = [h[1:] for h in hits[:limit]]
    # dtype=object keeps a missing place as None: pandas would make it NaN (a float) as soon as
    # one hit has a place and another has none (a district or chain beside an organization).
    return pd.DataFrame(rows, columns=SEARCH_COLUMNS, dtype=object)


# ---------------------------------------------------------------------------------------------


Hit = tuple[int, str, str, str, str | None]
"""(quality, kind, code, name, place): lower quality sorts first."""


def _quality(needle: str, name: str, code: str, *, code_prefix: bool) -> int | None:
    """How well ``name``/``code`` match ``needle`` (casefolded), or None for no match."""
    folded_name, folded_code = name.casefold(), code.casefold()
    compact = needle.replace(" ", "")
    if needle == folded_name or compact == folded_code:
        return _EXACT
    if folded_name.startswith(needle) or (code_prefix and folded_code.startswith(compact)):
        return _PREFIX
    if needle in folded_name:
        return _CONTAINS
    return None


def _org_hits(g: nx.MultiDiGraph, needle: str) -> list[Hit]:
    orgs = org_table(g)
    names = orgs["name"].fillna("").astype(str)
    codes = orgs["uscc"].fillna("").astype(str)
    compact = needle.replace(" ", "")
    found = names.str.casefold().str.contains(
        needle, regex=False
    ) | codes.str.casefold().str.startswith(compact)
    hits: list[Hit] = []
    for row in orgs[found.to_numpy(dtype=bool)].to_dict("records"):
        quality = _quality(needle, str(row["name"]), str(row["uscc"]), code_prefix=True)
        if quality is not None:
            place = _join(row["district"], row["street_name"], row["building_name"])
            hits.append((quality, "org", str(row["uscc"]), str(row["name"]), place))
    return hits


def _place_hits(g: nx.MultiDiGraph, needle: str) -> list[Hit]:
    by_street = streets(g)
    hits: list[Hit] = []
    for node_kind, kind in _PLACE_KINDS.items():
        for data in node_rows(g, node_kind):
            code, name = str(data.get("code", "")), str(data.get("name") or data.get("code", ""))
            quality = _quality(needle, name, code, code_prefix=False)
            if quality is None:
                continue
            if kind in ("street", "park"):
                place = _join(data.get("district"))
            elif kind == "building":
                street = data.get("street")
                district = by_street["district"].get(street)
                place = _join(district, by_street["name"].get(street, street))
            else:
                place = None
            hits.append((quality, kind, code, name, place))
    return hits


def _join(*parts: object) -> str | None:
    shown = [str(p) for p in parts if not is_missing(p) and str(p)]
    return " / ".join(shown) or None
