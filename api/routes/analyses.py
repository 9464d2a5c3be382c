"""JSON endpoints mirroring the analysis commands, with the same English field names."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import GraphDep, ParamsDep
from api.output import pairing_json, partners_json, plan_json, records
from graph.analysis.coverage import GROUPINGS

router = APIRouter(prefix="/api", tags=["分析"])

Rows = list[dict[str, Any]]


@router.get("/coverage")
def coverage(
    graph: GraphDep,
    params: ParamsDep,
    by: Annotated[str, Query(pattern=f"^({'|'.join(GROUPINGS)})$")] = "kind",
) -> Rows:
    """两个覆盖率：按组织类型，或按区县、街道、楼宇、园区、产业链、环节。"""
    from graph.analysis.coverage import coverage as run

    return records(run(graph, by, params))


@router.get("/flags")
def flags(graph: GraphDep, params: ParamsDep) -> Rows:
    """需要处理的问题清单。"""
    from graph.analysis.flags import flags as run

    return records(run(graph, params))


@router.get("/clusters")
def clusters(graph: GraphDep, params: ParamsDep) -> Rows:
    """尚未建立党组织、位置相近的组织群。"""
    from graph.analysis.clusters import clusters as run

    return records(run(graph, params))


@router.get("/partners/{uscc}")
def partners(
    graph: GraphDep, params: ParamsDep, uscc: str, top: Annotated[int, Query(ge=1, le=100)] = 10
) -> dict[str, Any]:
    """一个组织的联合组建伙伴。"""
    from graph.analysis.partners import partners as run

    return partners_json(run(graph, uscc.strip().upper(), top=top, params=params))


@router.get("/leads")
def leads(
    graph: GraphDep,
    params: ParamsDep,
    chain: str | None = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Rows:
    """可以龙头领建的企业。"""
    from graph.analysis.leads import leads as run

    return records(run(graph, chain=chain, top=top, params=params))


@router.get("/chains/findings")
def chain_findings(graph: GraphDep, params: ParamsDep, chain: str | None = None) -> Rows:
    """产业链薄弱环节。"""
    from graph.analysis.chains import chain_findings as run

    return records(run(graph, chain, params))


@router.get("/chains/segments")
def chain_segments(graph: GraphDep, params: ParamsDep, chain: str | None = None) -> Rows:
    """产业链各环节覆盖。"""
    from graph.analysis.chains import segment_coverage as run

    return records(run(graph, chain, params))


@router.get("/pairing")
def pairing(graph: GraphDep, params: ParamsDep) -> dict[str, Any]:
    """结对共建：未结对的两新党组织和建议，各类结对数量。"""
    from graph.analysis.pairing import pairing as run

    return pairing_json(run(graph, params))


@router.get("/plan")
def plan(graph: GraphDep, params: ParamsDep) -> dict[str, Rows]:
    """全区组建方案和实施前后的覆盖率。"""
    from graph.analysis.plan import plan as run

    return plan_json(run(graph, params))
