"""JSON endpoints mirroring the analysis commands: the same options, the same JSON fields.

Each endpoint answers what ``liangxin <command> --format json`` prints for the same options
(scope and date as query parameters); the response models in :mod:`api.schemas` document
every field. Unknown codes give 404 with the Chinese message of the analysis, bad
parameters 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from api import schemas
from api.deps import AppState, GraphDep, ParamsDep, StateDep, file_name
from api.payloads import (
    chains_json,
    diff_json,
    pairing_json,
    partners_json,
    plan_json,
    records,
    status_json,
    summary_json,
    versions_json,
)
from graph.analysis.chains import chain_findings as chain_findings_of
from graph.analysis.chains import chain_structure
from graph.analysis.chains import segment_coverage as segment_coverage_of
from graph.analysis.clusters import clusters as clusters_of
from graph.analysis.coverage import coverage as coverage_of
from graph.analysis.flags import flags as flags_of
from graph.analysis.leads import leads as leads_of
from graph.analysis.pairing import pairing as pairing_of
from graph.analysis.partners import partners as partners_of
from graph.analysis.plan import plan as plan_of
from graph.errors import NotFound

if TYPE_CHECKING:
    from graph.store.workspace import Workspace

__all__ = ["TAGS", "router"]

COVERAGE, FORMATION, CHAINS, PAIRING, VERSIONS = (
    "覆盖率与问题清单",
    "组建建议",
    "产业链党建",
    "结对共建",
    "工作区与版本",
)
TAGS: list[dict[str, str]] = [
    {
        "name": COVERAGE,
        "description": "两个覆盖率（党的组织覆盖、党的工作覆盖）和需要处理的问题清单。",
    },
    {
        "name": FORMATION,
        "description": "未覆盖组织怎样组建党组织：位置相近的组织群、联合组建伙伴、"
        "龙头领建企业和全区组建方案。",
    },
    {
        "name": CHAINS,
        "description": "园区党工委—产业链党委—企业党组织三级体系、三方进入、各环节覆盖和薄弱环节。",
    },
    {"name": PAIRING, "description": "两新党组织与机关、学校、医院、村社区结对共建的情况和建议。"},
    {
        "name": VERSIONS,
        "description": "工作区中导入的台账版本、概况和两个版本之间的变化（月调度）。",
    },
]
"""The endpoints' tags with their Chinese descriptions, for the OpenAPI document."""

router = APIRouter(prefix="/api")

Rows = list[dict[str, Any]]
Grouping = Literal["kind", "district", "street", "building", "park", "chain", "segment"]
"""``graph.analysis.coverage.GROUPINGS``."""

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.ApiError, "description": "请求的对象不能参与这项分析（中文说明）"},
    404: {"model": schemas.ApiError, "description": "找不到请求的编码或版本（中文说明）"},
}
"""Error answers the endpoints document besides FastAPI's own 422 (parameters)."""


def _get(
    path: str,
    model: Any,
    tag: str,
    title: str,
    description: str,
    *,
    errors: tuple[int, ...] = (),
    **options: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``router.get`` with what each endpoint here states: its response model, its one tag, its
    Chinese title (the summary and the response's description), its description and the error
    answers of :data:`_ERRORS` it can give."""
    return router.get(
        path,
        response_model=model,
        tags=[tag],
        summary=title,
        response_description=title,
        description=description,
        responses={code: _ERRORS[code] for code in errors},
        **options,
    )


Top = Annotated[int, Query(ge=1, le=100, description="列出前几名")]
ChainCode = Annotated[
    str | None, Query(description="只看这条产业链（产业链编码）；不填为全部产业链")
]


# -- coverage and flags ----------------------------------------------------------------------


@_get(
    "/coverage",
    list[schemas.CoverageRow],
    COVERAGE,
    "两个覆盖率",
    "党组织覆盖率、党的工作覆盖率和单独组建率：按组织类型（非公企业、社会组织），"
    "或按区县、街道、楼宇、园区、产业链、环节分组，每组每类一行，最差的在前。"
    "只统计经营状态为“正常”且在统计范围内的组织。同 `liangxin coverage --by …`。",
    response_model_exclude_unset=True,
)
def coverage(
    graph: GraphDep,
    params: ParamsDep,
    by: Annotated[
        Grouping,
        Query(
            description="按什么分组：kind 组织类型、district 区县、street 街道、building 楼宇、"
            "park 园区、chain 产业链、segment 环节"
        ),
    ] = "kind",
) -> Rows:
    """Coverage per kind, optionally per place or chain (``liangxin coverage``)."""
    return records(coverage_of(graph, by, params))


@_get(
    "/flags",
    list[schemas.FlagRow],
    COVERAGE,
    "问题清单",
    "需要处理的问题，每行一个：应单独组建、联合党组织覆盖过多、50人以上无党员、"
    "软弱涣散、换届逾期或即将换届、未结对共建；`detail` 写明该怎么做。同 `liangxin flags`。",
)
def flags(
    graph: GraphDep,
    params: ParamsDep,
    code: Annotated[
        list[schemas.FlagCode] | None,
        Query(description="只看这类问题，可重复，如 code=weak_lax&code=overdue_election"),
    ] = None,
) -> Rows:
    """Every finding (``liangxin flags --code …``)."""

    frame = flags_of(graph, params)
    if code:
        frame = frame[frame["code"].isin(code)].reset_index(drop=True)
    return records(frame)


# -- formation -------------------------------------------------------------------------------


@_get(
    "/clusters",
    list[schemas.ClusterRow],
    FORMATION,
    "未覆盖组织群",
    "尚未建立党组织、位置相近的组织群（同楼宇、同园区、同街道同产业链或同行业、"
    "同街道），每群给出成员、正式党员合计、能否联合组建、建议的组建方式和可以承接的现有党组织。"
    "同 `liangxin clusters`。",
)
def clusters(
    graph: GraphDep,
    params: ParamsDep,
    feasible: Annotated[
        bool, Query(description="只列出现在就能联合组建的（正式党员合计达到3名）")
    ] = False,
) -> Rows:
    """Clusters of uncovered organizations (``liangxin clusters [--feasible]``)."""

    frame = clusters_of(graph, params)
    if feasible:
        frame = frame[frame["feasible"]].reset_index(drop=True)
    return records(frame)


@_get(
    "/partners/{uscc}",
    schemas.PartnersResult,
    FORMATION,
    "联合组建伙伴",
    "为一个组织推荐最合适的联合组建伙伴：附近未覆盖的组织和有空位的联合党支部，"
    "得分逐项列出。组织不存在时返回 404，不在统计范围内时返回 400。同 `liangxin partners`。",
    errors=(400, 404),
)
def partners(
    graph: GraphDep,
    params: ParamsDep,
    uscc: Annotated[str, Path(description="组织的统一社会信用代码（18位，大小写均可）")],
    top: Top = 10,
) -> dict[str, Any]:
    """The best joint-formation partners of one organization (``liangxin partners``)."""

    return partners_json(partners_of(graph, uscc, top=top, params=params))


@_get(
    "/leads",
    list[schemas.LeadRow],
    FORMATION,
    "龙头领建企业",
    "可以龙头领建的企业：自身党组织强、规模大、处在产业链供应网络的关键位置、"
    "能带动周边未覆盖组织；每条产业链各自排名。同 `liangxin leads`。",
    errors=(404,),
)
def leads(graph: GraphDep, params: ParamsDep, chain: ChainCode = None, top: Top = 10) -> Rows:
    """Candidate lead enterprises per chain (``liangxin leads``)."""

    return records(leads_of(graph, chain=chain, top=top, params=params))


@_get(
    "/plan",
    schemas.FormationPlan,
    FORMATION,
    "全区组建方案",
    "每个尚未覆盖的组织得到一个结果：单独组建、新建联合党组织、并入现有党组织，"
    "或选派指导员、发展党员；并给出方案实施前后的覆盖率。同 `liangxin plan`。",
)
def plan(graph: GraphDep, params: ParamsDep) -> dict[str, Rows]:
    """The formation plan for the whole area (``liangxin plan``)."""

    return plan_json(plan_of(graph, params))


# -- chains ----------------------------------------------------------------------------------


@_get(
    "/chains",
    list[schemas.ChainReport],
    CHAINS,
    "产业链党建结构",
    "每条产业链一项：园区党工委—产业链党委—企业党组织三级体系、三方进入、"
    "各环节覆盖和薄弱环节。同 `liangxin chains --format json`。",
    errors=(404,),
)
def chains(graph: GraphDep, params: ParamsDep, chain: ChainCode = None) -> Rows:
    """The three-level structure of each chain (``liangxin chains``)."""
    return chains_json(chain_structure(graph, chain, params))


@_get(
    "/chains/findings",
    list[schemas.ChainFindingRow],
    CHAINS,
    "产业链薄弱环节",
    "各产业链的薄弱环节，每行一条：代码、严重程度和建议做法。同 `liangxin chains --format csv`。",
    errors=(404,),
)
def chain_findings(graph: GraphDep, params: ParamsDep, chain: ChainCode = None) -> Rows:
    """Every chain finding as one table."""

    return records(chain_findings_of(graph, chain, params))


@_get(
    "/chains/segments",
    list[schemas.SegmentRow],
    CHAINS,
    "产业链各环节覆盖",
    "各产业链每个环节的组织数、有党组织覆盖的和单独组建的，上游到下游。",
    errors=(404,),
)
def chain_segments(graph: GraphDep, params: ParamsDep, chain: ChainCode = None) -> Rows:
    """Coverage per chain segment."""

    return records(segment_coverage_of(graph, chain, params))


# -- pairing ---------------------------------------------------------------------------------


@_get(
    "/pairing",
    schemas.PairingResult,
    PAIRING,
    "结对共建",
    "哪些两新党组织还没有结对，建议与哪个机关、学校、医院、村或社区结对；"
    "各共建类型和各区县的结对数量。同 `liangxin pairing`。",
)
def pairing(
    graph: GraphDep,
    params: ParamsDep,
    top: Annotated[int, Query(ge=1, le=100, description="每个党组织建议几个结对对象")] = 3,
) -> dict[str, Any]:
    """Unpaired organizations, suggestions and counts (``liangxin pairing``)."""

    return pairing_json(pairing_of(graph, params, top=top))


# -- workspace and versions ------------------------------------------------------------------


@_get(
    "/summary",
    schemas.Summary,
    VERSIONS,
    "概况",
    "两类组织的数量和党组织覆盖（不设统计范围，以今天为准），"
    "图谱中各类节点和关系的数量。同 `liangxin summary`。",
)
def summary(graph: GraphDep, state: StateDep) -> dict[str, Any]:
    """What the data holds (``liangxin summary``)."""
    return summary_json(graph, state.source)


@_get(
    "/versions",
    list[schemas.VersionListed],
    VERSIONS,
    "版本列表",
    "工作区中导入过的全部版本，最新的在最后。数据来自台账文件或图数据库时返回 404。"
    "同 `liangxin versions`。",
    errors=(404,),
)
def versions(state: StateDep) -> Rows:
    """Every loaded version of the workspace (``liangxin versions``), each source by its file
    name only (no absolute path, as in ``/api/status``)."""
    return [{**v, "source": file_name(v["source"])} for v in versions_json(_workspace(state))]


@_get(
    "/status",
    schemas.WorkspaceStatus,
    VERSIONS,
    "工作区状态",
    "工作区的当前版本：来源文件名、校验和、各表行数、导入时间。"
    "为免泄露本机的文件夹，工作区只给文件夹名称，来源只给文件名（`liangxin status` 给出完整路径）。"
    "数据来自台账文件或图数据库时返回 404。",
    errors=(404,),
)
def status(state: StateDep) -> dict[str, Any]:
    """The workspace's current version (``liangxin status``), with no absolute path: the
    workspace by its folder's name, the source by its file name."""
    answer = status_json(_workspace(state))
    return {
        **answer,
        "workspace": file_name(answer["workspace"]),
        "source": file_name(answer["source"]),
    }


@_get(
    "/diff",
    schemas.VersionDiff,
    VERSIONS,
    "两个版本之间的变化",
    "月调度：新增和减少的组织、迁移的组织、移出和纳入统计范围的组织、新出现的未覆盖组织、"
    "新覆盖的组织、两类组织和各街道、各产业链覆盖率的升降；每一处升降都能在组织清单中找到对应的行。"
    "没有工作区、只有一个版本或版本号不存在时返回 404。同 `liangxin diff`。",
    errors=(404,),
)
def diff(
    state: StateDep,
    params: ParamsDep,
    from_version: Annotated[
        str,
        Query(
            alias="from",
            description="较早的版本：版本号、版本号开头几位、previous（上一版）或 current",
        ),
    ] = "previous",
    to_version: Annotated[
        str, Query(alias="to", description="较新的版本，写法同 from（默认当前版本）")
    ] = "current",
) -> dict[str, Any]:
    """What changed between two versions (``liangxin diff``), judged as of ``as_of`` with the
    scope's staff minimums (the shared parameters, as every other analysis)."""
    then, now, result = state.compare(from_version, to_version, params)
    return diff_json(then.id, now.id, result)


# ---------------------------------------------------------------------------------------------


def _workspace(state: AppState) -> Workspace:
    """The workspace the app serves; NotFound when its data is a ledger file or a store."""
    ws = state.workspace_versions
    if ws is None:
        raise NotFound("此应用的数据来自台账文件或图数据库，没有工作区版本。")
    return ws
