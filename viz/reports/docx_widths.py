"""Column widths of the Word writer's tables (:mod:`viz.reports.docx`), chosen by content.

Pure arithmetic on the cells' texts: how wide a text is in em (:func:`text_width`, CJK one em,
Latin letters and digits what they take in Times New Roman), the widths that make a table as
short as it can be on a page of a given width (:func:`column_widths`), and about how many
lines it then takes (:func:`table_lines`), which decides whether a section goes on landscape
pages. Nothing here writes Word XML.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
from docx.shared import Pt

from viz.reports.document import LIST_SEPARATOR, NUMERIC_KINDS, Column

__all__ = [
    "CELL_MARGIN",
    "RAGGED",
    "SHORT_TEXT",
    "column_widths",
    "is_code_list",
    "table_lines",
    "text_width",
]

RAGGED = 0.25
"""What a wrapped line of a cell costs, besides the height it adds to its row (see
:func:`column_widths`)."""
SHORT_TEXT = 5
"""Texts up to this many characters wide (a kind, a district, a street) are kept on one line."""
CELL_MARGIN = Pt(2.5)
"""Left and right padding inside table cells (Word's default is 5.4 pt; tables are wide)."""


def text_width(text: str) -> float:
    """How wide ``text`` is on one line, in em: Chinese characters and full-width punctuation
    take one em, Latin letters, digits and signs what they take in Times New Roman."""
    return sum(_char_width(ch) for ch in text if ch != "\n")


_NARROW = {".": 0.25, ",": 0.25, ":": 0.28, ";": 0.28, "/": 0.28, "-": 0.33, "(": 0.33, ")": 0.33}
_NARROW |= {" ": 0.25, "%": 0.83, "·": 0.25}


def _char_width(ch: str) -> float:
    if ch in _NARROW:
        return _NARROW[ch]
    if unicodedata.east_asian_width(ch) in "WFA":
        return 1.0
    if ch.isdigit():
        return 0.5
    if ch.isupper():
        return 0.67
    return 0.46 if ch.islower() else 0.6


def column_widths(
    columns: Sequence[Column], texts: Sequence[Sequence[str]], available: float, size: float
) -> list[float]:
    """Widths (in points, summing to ``available``) of a table's columns, chosen by content so
    the table is as short as it can be.

    Every column starts at its minimum: numbers, codes (统一社会信用代码, 党组织编码, each of a
    list of codes) and short labels (非公企业, 望月湖街道) their longest cell, never broken;
    other text two characters (Chinese wraps anywhere); the heading on at most three lines.
    Then the rest of the width is given one character at a time to the column where it saves
    the most: each row is as tall as its tallest cell (the header row, repeated on every page,
    counts double), and every wrapped line costs a little more, so a name is not squeezed one
    character wide beside a long reason. Long texts (理由, 说明, 建议做法, 成员组织) get the
    most and short columns keep to one line. What is
    left once nothing wraps is shared out in proportion.
    """
    room = (available - _PAD * len(columns)) / size  # ems left for text
    ems = _ems(columns, texts)
    weights = np.ones(len(ems))
    weights[0] = 2.0
    minimum = np.empty(len(columns))
    for j, column in enumerate(columns):
        longest = float(ems[1:, j].max(initial=0.0))
        if column.kind in NUMERIC_KINDS or column.kind == "code":
            floor = math.ceil(longest * 1.05 + 0.2)
        elif column.kind == "list" and is_code_list(row[j] for row in texts):
            items = (text_width(item) for row in texts for item in row[j].split(LIST_SEPARATOR))
            floor = math.ceil(max(items, default=0.0) * 1.05 + 0.2)
        elif longest <= SHORT_TEXT:
            floor = math.ceil(longest)
        else:
            floor = 2
        minimum[j] = max(floor, math.ceil(len(column.heading) / 3), 2)
    if minimum.sum() >= room:
        return [float(w) * size + _PAD for w in minimum * room / minimum.sum()]

    # Row heights are taken as the 6-norm of their cells' line counts: close to the tallest
    # cell, but making any wrapping cell shorter still counts, so the search never stalls.
    chosen = minimum.copy()
    counts = np.stack([_lines(ems[:, j], chosen[j]) for j in range(len(columns))], axis=1)
    power, cells = (counts**6).sum(axis=1), counts.sum(axis=1)

    def cost(power: np.ndarray, cells: np.ndarray) -> float:
        return float(weights @ (power ** (1 / 6) + RAGGED * cells))

    current = cost(power, cells)
    while chosen.sum() + 1 <= room:
        best, best_column, best_lines = current, -1, counts[:, 0]
        for j in range(len(columns)):
            wider = _lines(ems[:, j], chosen[j] + 1)
            trial = cost(power - counts[:, j] ** 6 + wider**6, cells - counts[:, j] + wider)
            if trial < best - 1e-9:
                best, best_column, best_lines = trial, j, wider
        if best_column < 0:
            break
        power += best_lines**6 - counts[:, best_column] ** 6
        cells += best_lines - counts[:, best_column]
        counts[:, best_column] = best_lines
        chosen[best_column] += 1
        current = best
    return [float(w) * size + _PAD for w in chosen * room / chosen.sum()]


def table_lines(
    columns: Sequence[Column], texts: Sequence[Sequence[str]], widths: Sequence[float], size: float
) -> int:
    """About how many lines of type a table takes with these column widths (points): each row
    as many as its tallest cell, the header row included."""
    ems = _ems(columns, texts)
    counts = np.stack(
        [np.ceil(_lines(ems[:, j], (w - _PAD) / size)) for j, w in enumerate(widths)], axis=1
    )
    return int(counts.max(axis=1).sum())


def is_code_list(cells: Iterable[str]) -> bool:
    """Whether a list column holds codes (统一社会信用代码…), which must not break inside."""
    return all(item.isascii() for cell in cells for item in cell.split(LIST_SEPARATOR))


_PAD = 2 * CELL_MARGIN.pt + 1.5
"""Points of a cell's width besides its text (the margins, and a little to spare)."""


def _ems(columns: Sequence[Column], texts: Sequence[Sequence[str]]) -> np.ndarray:
    """The width of every cell's text in em, the header row first."""
    return np.array(
        [[text_width(t) for t in row] for row in ([c.heading for c in columns], *texts)]
    )


def _lines(ems: np.ndarray, width: float) -> np.ndarray:
    """Lines the texts of ``ems`` em take in a column ``width`` em wide (not rounded up: a
    Chinese line holds as many whole characters as fit)."""
    return np.maximum(1.0, ems / max(1, math.floor(width + 1e-9)))
