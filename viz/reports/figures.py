"""Charts and maps of a report as pictures: PNG for Word, SVG (text kept as text) for HTML.

Drawn with matplotlib's Agg backend, no screen and no browser needed. Chinese text needs a
font with CJK glyphs: the first of :data:`CJK_FONTS` found on the machine is used (Debian's
``fonts-wqy-zenhei``, which ``make test`` installs, or the fonts of a Windows or Noto system);
without one the text would show as boxes, so :func:`cjk_font` says so in Chinese.
"""

from __future__ import annotations

import io
import logging
import math
import textwrap
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import matplotlib

matplotlib.use("Agg")
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # "findfont: weight" noise

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from graph.errors import LiangxinError  # noqa: E402
from viz.mapdata import LegendItem, NetworkMap  # noqa: E402
from viz.reports.document import BarChart, MapFigure  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.typing import RcKeyType

__all__ = ["CJK_FONTS", "MissingFont", "cjk_font", "png", "svg"]

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
"""Font families with Chinese glyphs, in order of preference."""

_SERIES_COLORS = ("#c62828", "#ef9a9a", "#1565c0", "#90caf9", "#2e7d32", "#a5d6a7")
_SHAPES = {"dot": "o", "square": "s", "diamond": "D", "triangle": "^", "star": "*", "box": "s"}
_LABEL_CHARS = 10


class MissingFont(LiangxinError):
    """No font with Chinese glyphs is installed (the CLI and the app show the message)."""

    http_status = 500


@cache
def cjk_font() -> str:
    """The family used for Chinese text; :class:`MissingFont` (in Chinese) when there is none."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FONTS:
        if family in names:
            return family
    raise MissingFont(
        "未找到中文字体，报告中的图片无法显示中文。请安装中文字体后重试"
        "（Debian/Ubuntu：sudo apt-get install fonts-wqy-zenhei）。"
    )


def png(block: BarChart | MapFigure, dpi: int = 200) -> bytes:
    """The chart or map as a PNG picture."""
    buffer = io.BytesIO()
    _draw(block, lambda fig: fig.savefig(buffer, format="png", dpi=dpi))
    return buffer.getvalue()


def svg(block: BarChart | MapFigure) -> str:
    """The chart or map as an SVG document whose text stays text (the browser's fonts draw it)."""
    buffer = io.StringIO()
    _draw(block, lambda fig: fig.savefig(buffer, format="svg", metadata={"Date": None}))
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _draw(block: BarChart | MapFigure, save: Callable[[Figure], object]) -> None:
    """Draw and save with the Chinese font set for both (matplotlib lays text out at save)."""
    rc: dict[RcKeyType, Any] = {
        "font.family": "sans-serif",
        "font.sans-serif": [cjk_font(), "DejaVu Sans"],
        "svg.fonttype": "none",
        "svg.hashsalt": "liangxin",
    }
    with matplotlib.rc_context(rc):
        fig = _bar_chart(block) if isinstance(block, BarChart) else _map(block.network, block.title)
        try:
            save(fig)
        finally:
            plt.close(fig)


# ---------------------------------------------------------------------------------------------
# Bar charts


def _bar_chart(chart: BarChart) -> Figure:
    n, k = len(chart.categories), max(1, len(chart.series))
    horizontal = n > 6 or any(len(c) > 8 for c in chart.categories)
    if horizontal:
        fig = plt.figure(figsize=(7.0, max(2.2, 0.32 * n * max(1, k * 0.6) + 1.0)))
    else:
        fig = plt.figure(figsize=(7.0, 3.2))
    ax = fig.add_subplot()
    width = 0.8 / k
    limit = max(
        [100.0 if chart.unit == "%" else 0.0]
        + [v for _, values in chart.series for v in values if v is not None]
    )
    for i, (name, values) in enumerate(chart.series):
        positions = [j + (i - (k - 1) / 2) * width for j in range(n)]
        heights = [0.0 if v is None else v for v in values]
        color = _SERIES_COLORS[i % len(_SERIES_COLORS)]
        bars = (
            ax.barh(positions, heights, height=width, label=name, color=color)
            if horizontal
            else ax.bar(positions, heights, width=width, label=name, color=color)
        )
        labels = ["无数据" if v is None else f"{v:.2f}{chart.unit}" for v in values]
        ax.bar_label(bars, labels=labels, fontsize=7, padding=2)
    ticks = [textwrap.fill(c, 12) for c in chart.categories]
    unit = "百分比（%）" if chart.unit == "%" else chart.unit
    if horizontal:
        ax.set_yticks(range(n), ticks, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, limit * 1.15)
        ax.set_xlabel(unit, fontsize=8)
    else:
        ax.set_xticks(range(n), ticks, fontsize=8)
        ax.set_ylim(0, limit * 1.15)
        ax.set_ylabel(unit, fontsize=8)
    if chart.target is not None:
        draw = ax.axvline if horizontal else ax.axhline
        draw(chart.target, color="#555555", linestyle="--", linewidth=1, label="目标")
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(chart.title, fontsize=10)
    if k > 1 or chart.target is not None:  # under the axes, never over the bars
        ax.legend(
            fontsize=7,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12 if not horizontal else -0.35 / max(1, n) - 0.08),
            ncol=k + (chart.target is not None),
            frameon=False,
        )
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# Network maps


def _map(network: NetworkMap, title: str) -> Figure:
    fig = plt.figure(figsize=(10.0, 7.0))
    ax = fig.add_axes((0.01, 0.24, 0.98, 0.7))
    ax.set_axis_off()
    fig.suptitle(title, fontsize=12, y=0.98)
    where = {n["id"]: (float(n.get("x", 0.0)), -float(n.get("y", 0.0))) for n in network.nodes}
    show_names = len(network.nodes) <= 150
    for edge in network.edges:
        a, b = where.get(edge["from"]), where.get(edge["to"])
        if a is None or b is None:
            continue
        color = _color(edge.get("color"), "#9e9e9e")
        style = "--" if edge.get("dashes") else "-"
        width = 0.4 * float(edge.get("width", 1))
        arrows = edge.get("arrows")
        if isinstance(arrows, dict) and arrows.get("to", {}).get("enabled", True):
            ax.annotate(
                "",
                xy=b,
                xytext=a,
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": width, "ls": style},
                zorder=1,
            )
        else:
            ax.plot(*zip(a, b, strict=True), style, color=color, linewidth=width, zorder=1)
    marks: dict[str, list[tuple[float, float, float, str, str, float]]] = defaultdict(list)
    for node in network.nodes:
        x, y = where[node["id"]]
        label = str(node.get("label") or "")
        shape = node.get("shape", "dot")
        fill, border = _fill_border(node.get("color"))
        if shape == "box":
            text_color = _color((node.get("font") or {}).get("color"), "#212121")
            ax.text(
                x,
                y,
                textwrap.fill(label, 14),
                ha="center",
                va="center",
                fontsize=6,
                color=text_color,
                zorder=3,
                bbox={"boxstyle": "round,pad=0.3", "fc": fill, "ec": border, "lw": 0.6},
            )
            continue
        size = float(node.get("size", 10))
        width = 0.6 + 0.4 * float(node.get("borderWidth", 1))
        marks[_SHAPES.get(shape, "o")].append((x, y, (size * 0.9) ** 2 / 4, fill, border, width))
        if show_names and label:
            short = label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"
            ax.text(x, y - size * 1.2, short, ha="center", va="top", fontsize=4, zorder=3)
    for marker, points in marks.items():  # one scatter per marker: a thousand nodes, few calls
        xs, ys, sizes, fills, borders, widths = zip(*points, strict=True)
        ax.scatter(
            xs, ys, s=sizes, marker=marker, c=fills, edgecolors=borders, linewidths=widths, zorder=2
        )
    ax.autoscale()
    ax.margins(0.06)
    _fit_texts(fig, ax)
    if network.note:
        fig.text(0.5, 0.2, network.note, ha="center", fontsize=7, color="#555555")
    handles = [_legend_handle(item) for item in network.legend]
    if handles:
        fig.legend(
            handles=handles,
            loc="lower center",
            ncol=min(4, math.ceil(len(handles) / 7)) or 1,
            fontsize=6,
            frameon=False,
            bbox_to_anchor=(0.5, 0.0),
        )
    return fig


def _fit_texts(fig: Figure, ax: Any) -> None:
    """Widen the limits until every label (segment boxes, 未建产业链党委) lies inside the axes:
    autoscale sees only the nodes, so a label at the edge would be cut off or overlap the legend.
    """
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # the Agg backend, set above
    for _ in range(3):  # a label's size in data units changes with the limits
        inverse = ax.transData.inverted()
        boxes = [inverse.transform(t.get_window_extent(renderer).corners()) for t in ax.texts]
        if not boxes:
            return
        points = np.vstack(boxes)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        wanted = (
            min(x0, points[:, 0].min()),
            max(x1, points[:, 0].max()),
            min(y0, points[:, 1].min()),
            max(y1, points[:, 1].max()),
        )
        if wanted == (x0, x1, y0, y1):
            return
        ax.set_xlim(wanted[0], wanted[1])
        ax.set_ylim(wanted[2], wanted[3])


def _legend_handle(item: LegendItem) -> Line2D:
    if item.shape == "line":
        return Line2D(
            [0], [0], color=item.color, linestyle="--" if item.dashes else "-", label=item.label
        )
    return Line2D(
        [0],
        [0],
        marker=_SHAPES.get(item.shape, "o"),
        color="none",
        markerfacecolor=item.color,
        markeredgecolor=item.color,
        markersize=6,
        label=item.label,
    )


def _color(value: object, default: str) -> str:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict):
        for key in ("color", "background", "border"):
            if isinstance(value.get(key), str):
                return value[key]
    return default


def _fill_border(value: object) -> tuple[str, str]:
    if isinstance(value, dict):
        fill = _color(value.get("background"), _color(value, "#90a4ae"))
        return fill, _color(value.get("border"), fill)
    fill = _color(value, "#90a4ae")
    return fill, fill
