"""The search box as JSON: organizations, places and chains by name or code, with their pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import GraphDep
from api.schemas import SearchHit, SearchResult
from api.templating import page_url
from graph.analysis.common import is_missing
from graph.analysis.search import KINDS
from graph.analysis.search import search as find

TAGS = [{"name": "搜索", "description": "按名称或统一社会信用代码查找组织和地点。"}]

router = APIRouter(prefix="/api", tags=[TAGS[0]["name"]])


@router.get("/search")
def search(
    graph: GraphDep,
    q: Annotated[str, Query(description="名称的一部分、统一社会信用代码或其前几位")] = "",
    limit: Annotated[int, Query(ge=1, le=200, description="最多返回几项")] = 50,
) -> SearchResult:
    """搜索组织（名称或统一社会信用代码）以及区县、街道、楼宇、园区、产业链（名称）。"""
    found = find(graph, q, limit=limit)
    hits = [
        SearchHit(
            kind=row["kind"],
            kind_label=KINDS[row["kind"]],
            code=str(row["code"]),
            name=str(row["name"]),
            place=None if is_missing(row["place"]) else str(row["place"]),
            url=page_url(row["kind"], row["code"]) or "",
        )
        for row in found.to_dict("records")
    ]
    return SearchResult(query=q, hits=hits)
