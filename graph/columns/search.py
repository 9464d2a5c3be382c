"""The columns of a search (:func:`graph.analysis.search.search`) as the search box answers
it: what was found, in Chinese, and its page."""

from __future__ import annotations

from graph.columns import Column, Columns

__all__ = ["SEARCH_HITS"]

SEARCH_HITS = Columns(
    Column(
        "kind",
        "类别代码",
        "code",
        "类别：district 区县、street 街道、building 楼宇、park 园区、chain 产业链、org 组织",
    ),
    Column("kind_label", "类别", "text", "类别（中文）"),
    Column("code", "编码", "code", "统一社会信用代码或编码（区县为名称）"),
    Column("name", "名称", "text", "名称"),
    Column(
        "place",
        "所在地",
        "text",
        "所在地：组织为 区县 / 街道 / 楼宇，街道和园区为区县，楼宇为 区县 / 街道；区县和产业链为空",
    ),
    Column("url", "页面地址", "text", "页面地址"),
)
"""One thing found (the search's ``kind``, ``code``, ``name``, ``place``, with ``kind_label``
and ``url`` added by the search box)."""
