"""Uploading a ledger: checked like ``liangxin load``, then saved as the new workspace version.

``GET /upload`` is the form, ``POST /upload`` its result page, ``POST /api/ledger`` the same for
scripts (JSON). Both need the token (see :mod:`api.security`) and a workspace; a workbook
(.xlsx …) is checked as is, a .zip of CSV files is unpacked into a temporary folder first (the
guards are :mod:`loaders.archive`'s), and both are imported by :func:`api.sources.import_ledger`,
the same import as ``liangxin load``. The upload lives in a temporary folder removed
afterwards; the request body is limited to the app's ``upload_limit`` bytes (413 beyond it).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.exceptions import HTTPException
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.types import Message, Receive

from api.deps import AppState, StateDep
from api.schemas import ApiError
from api.security import TokenRequired, token_before_body, write_access
from api.sources import ImportResult, import_ledger, kept_phrase
from api.templating import page_context, templates
from graph.errors import (
    ImportConflict,
    LedgerInvalid,
    LedgerUnreadable,
    LiangxinError,
    SaveFailed,
)
from graph.issues import LedgerIssue
from graph.model import SHEETS
from graph.store.workspace import VersionInfo, Workspace
from loaders.archive import refuse_workbook_bomb, size_text, unpack_csv_zip
from loaders.read import WORKBOOK_SUFFIXES

__all__ = [
    "TAGS",
    "UNZIPPED_FACTOR",
    "UPLOAD_SUFFIXES",
    "import_upload",
    "router",
]

UPLOAD_SUFFIXES = (*WORKBOOK_SUFFIXES, ".zip")
UNZIPPED_FACTOR = 10
"""A .zip (or a workbook, itself a zip) may unpack to at most this many times the upload limit."""
ISSUE_ROWS = 500
"""Rows of each issue table on the result page (the JSON answer has them all)."""


class _LimitedBody(APIRoute):
    """A route whose request body may not exceed the app's ``upload_limit`` bytes: refused
    by its Content-Length before anything is read, or while reading when it has none."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def limited(request: Request) -> Response:
            limit: int = request.app.state.upload_limit
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _body_too_large(limit)
            request = Request(request.scope, _counted(request.receive, limit))
            if request.method == "POST":  # the token before the body: a wrong one reads ~nothing
                try:
                    request = await token_before_body(request)
                except LiangxinError as exc:
                    if request.url.path.startswith("/api/"):
                        raise
                    state = request.app.state.liangxin
                    page = _render(request, state, status=exc.http_status, error=exc.message)
                    page.headers.update(getattr(exc, "headers", {}))
                    return page
            return await handle(request)

        return limited


TAGS = [{"name": "台账", "description": "上传台账：检查后导入为工作区的新版本（需要令牌）。"}]
"""The router's tag with its Chinese description, for the OpenAPI document."""

router = APIRouter(tags=[TAGS[0]["name"]], route_class=_LimitedBody)


# ---------------------------------------------------------------------------------------------
# The work


def import_upload(workspace: Workspace, upload: UploadFile, *, limit: int) -> ImportResult:
    """Check an uploaded ledger and save it as the workspace's new current version.

    Same rules as ``liangxin load``: a ledger with any error is refused whole (LedgerInvalid,
    the workspace untouched); content identical to the current version (same checksum) makes
    no new version. The save is atomic (the workspace's staging and commit), one at a time.
    Runs in a worker thread: parsing a large workbook takes seconds.
    """
    name = _file_name(upload.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        if suffix == ".csv":
            raise LedgerUnreadable(
                f"{name} 是单个 CSV 文件。CSV 台账有多张表，请把全部 CSV 文件"
                "（如 组织.csv、党组织.csv、街道.csv）打包成一个 .zip 压缩包后上传。"
            )
        raise LedgerUnreadable(
            f"无法识别 {name} 的格式。请上传 Excel 工作簿（.xlsx）或装有 CSV 文件的 .zip 压缩包。"
        )
    started = workspace.begin()  # the upload started later becomes current (docs/security.md)
    with tempfile.TemporaryDirectory(prefix="liangxin-upload-") as tmp:
        saved = Path(tmp) / name
        upload.file.seek(0)
        with saved.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        unpacked_limit = limit * UNZIPPED_FACTOR
        if suffix == ".zip":
            source = unpack_csv_zip(saved, Path(tmp) / "csv" / saved.stem, unpacked_limit)
        else:
            refuse_workbook_bomb(saved, unpacked_limit)
            source = saved
        return import_ledger(
            workspace,
            source,
            source=Path(f"网页上传 {name}"),
            advice="请按列出的问题逐条修改后重新上传。",
            write_error=_save_failed,
            started=started,
        )


def _save_failed(exc: OSError, current: VersionInfo | None) -> SaveFailed:
    """A failed save as the web app says it: no folder named, the administrator to act."""
    return SaveFailed(
        f"台账检查无误，但保存新版本时出错（{exc.strerror or exc}），未导入；"
        f"{kept_phrase(current)}。请管理员检查工作区所在磁盘的空间和写入权限。"
    )


# ---------------------------------------------------------------------------------------------
# JSON


class IssueRow(BaseModel):
    """One problem in the ledger, located as in Excel."""

    severity: str = Field(description="error（错误，阻止导入）或 warning（提醒）")
    code: str = Field(description="规则代码（英文，供程序使用）")
    sheet: str = Field(description="工作表名（或 CSV 文件名）")
    row: int | None = Field(description="Excel 行号（表头为第 1 行）；整表或整列的问题为空")
    column: str | None = Field(description="列名（按文件中的写法）")
    value: str | None = Field(description="单元格中的原值")
    message: str = Field(description="问题和修改方法（中文）")


class LedgerUploaded(BaseModel):
    """An accepted upload: the version now current."""

    created: bool = Field(description="是否新建了版本（内容与当前版本相同时不新建）")
    version: str = Field(description="当前版本号")
    loaded_at: str = Field(description="导入时间")
    source: str = Field(description="来源")
    counts: dict[str, int] = Field(description="各表行数")
    warnings: list[IssueRow] = Field(description="提醒（不影响导入）")


class LedgerRejected(BaseModel):
    detail: str = Field(description="原因（中文）")
    issues: list[IssueRow] = Field(default=[], description="台账的全部问题（错误和提醒）")
    errors: list[dict[str, Any]] = Field(default=[], description="请求格式错误时 FastAPI 的列表")


@router.post(
    "/api/ledger",
    status_code=201,
    dependencies=[TokenRequired],
    response_model=LedgerUploaded,
    summary="上传台账",
    responses={
        200: {"model": LedgerUploaded, "description": "内容与当前版本相同，未新建版本"},
        401: {"model": ApiError, "description": "没有提供令牌"},
        403: {"model": ApiError, "description": "服务器未设置令牌，或令牌不正确"},
        409: {"model": ApiError, "description": "没有工作区，或另一个导入正在进行"},
        413: {"model": ApiError, "description": "文件超过大小上限"},
        422: {"model": LedgerRejected, "description": "台账有错误，未导入"},
    },
)
def upload_ledger(
    request: Request,
    response: Response,
    state: StateDep,
    file: Annotated[UploadFile, File(description="台账：Excel 工作簿（.xlsx）或 CSV 文件的 .zip")],
) -> LedgerUploaded:
    """检查台账并导入为工作区的新版本（与 liangxin load 相同的规则），应用随即使用新版本。

    令牌放在请求头 `Authorization: Bearer 令牌` 或 `X-Liangxin-Token: 令牌` 中。
    台账有错误时返回 422 和全部问题（工作表、行、列、值、说明），工作区保持原样。
    """
    result = import_upload(_workspace(state), file, limit=request.app.state.upload_limit)
    if not result.created:
        response.status_code = 200
    info = result.version
    return LedgerUploaded(
        created=result.created,
        version=info.id,
        loaded_at=info.loaded_at,
        source=info.source,
        counts=info.counts,
        warnings=[IssueRow.model_validate(i.to_dict()) for i in result.warnings],
    )


# ---------------------------------------------------------------------------------------------
# Pages


@router.get("/upload", include_in_schema=False, response_class=HTMLResponse)
def upload_page(request: Request, state: StateDep) -> HTMLResponse:
    return _render(request, state)


@router.post("/upload", include_in_schema=False, response_class=HTMLResponse)
def upload_form(
    request: Request,
    state: StateDep,
    file: Annotated[UploadFile | None, File()] = None,
    token: Annotated[str, Form()] = "",
) -> HTMLResponse:
    try:
        write_access(request).check(token)
        workspace = _workspace(state)
        if file is None or not file.filename:
            raise LiangxinError("请选择要上传的台账文件（.xlsx 工作簿或 CSV 文件的 .zip）。")
        result = import_upload(workspace, file, limit=request.app.state.upload_limit)
    except LedgerInvalid as exc:
        return _render(request, state, status=422, message=exc.message, issues=exc.issues)
    except LiangxinError as exc:
        return _render(request, state, status=exc.http_status, error=exc.message)
    return _render(
        request,
        state,
        status=201 if result.created else 200,
        result=result,
        issues=result.warnings,
    )


def _render(
    request: Request,
    state: AppState,
    *,
    status: int = 200,
    error: str | None = None,
    message: str | None = None,
    result: ImportResult | None = None,
    issues: list[LedgerIssue] | None = None,
) -> HTMLResponse:
    state.current()  # after an upload: the new version, in the footer and on every next page
    issues = issues or []
    errors = _ordered([i for i in issues if i.is_error])
    warnings = _ordered([i for i in issues if not i.is_error])
    labels = {s.key: s.label for s in SHEETS}
    counts = (
        [(labels.get(k, k), n) for k, n in result.version.counts.items() if n] if result else []
    )
    limit: int = request.app.state.upload_limit
    return templates.TemplateResponse(
        request,
        "upload.html",
        page_context(
            request,
            enabled=write_access(request).enabled,
            has_workspace=state.workspace_versions is not None,
            limit=size_text(limit),
            accept=",".join(UPLOAD_SUFFIXES),
            error=error,
            message=message,
            result=result,
            counts=counts,
            errors=errors[:ISSUE_ROWS],
            error_count=len(errors),
            warnings=warnings[:ISSUE_ROWS],
            warning_count=len(warnings),
            shown=ISSUE_ROWS,
        ),
        status_code=status,
    )


# ---------------------------------------------------------------------------------------------
# Helpers


def _workspace(state: AppState) -> Workspace:
    workspace = state.workspace_versions
    if workspace is not None:
        return workspace
    if state.ledger is not None:
        raise ImportConflict(
            "此应用直接读取台账文件（启动时用了 --ledger），没有工作区，不能在网页上传台账。"
            "如需上传，请不带 --ledger 重新启动 liangxin serve，使用工作区。"
        )
    raise ImportConflict(
        "此应用的数据来自图数据库（启动时用了 --store），不能在网页上传台账。"
        "请用命令 liangxin load 台账.xlsx --store … 写入图数据库。"
    )


def _body_too_large(limit: int) -> HTTPException:
    # An HTTPException, not a LiangxinError: raised while FastAPI reads the form, where only
    # HTTPExceptions pass through unchanged.
    return HTTPException(
        413,
        f"上传的文件超过 {size_text(limit)} 的上限，未导入。"
        "请删去台账中不需要的工作表或附件后再上传，或请管理员调高 LIANGXIN_UPLOAD_LIMIT_MB。",
    )


def _counted(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises 413 once more than ``limit`` body bytes have arrived."""
    received = 0

    async def receive_counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise _body_too_large(limit)
        return message

    return receive_counted


def _file_name(filename: str | None) -> str:
    """The uploaded file's own name, without any folder a browser put in front of it."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
    return name[-120:] or "台账"


def _ordered(issues: list[LedgerIssue]) -> list[LedgerIssue]:
    """Sheet by sheet (in the order first met), then by row, as a planner works through them."""
    sheets = list(dict.fromkeys(i.sheet for i in issues))
    return sorted(issues, key=lambda i: (sheets.index(i.sheet), i.row or 0))
