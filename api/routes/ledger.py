"""Uploading a ledger: checked like ``liangxin load``, then saved as the new workspace version.

``GET /upload`` is the form, ``POST /upload`` its result page, ``POST /api/ledger`` the same for
scripts (JSON). Both need the token (see :mod:`api.security`) and a workspace; a workbook
(.xlsx …) is checked as is, a .zip of CSV files is unpacked into a temporary folder first. The
upload lives in a temporary folder removed afterwards; the request body is limited to the app's
``upload_limit`` bytes (413 beyond it).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
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
from api.templating import page_context, templates
from graph.errors import LedgerInvalid, LedgerUnreadable, LiangxinError, WorkspaceError
from graph.issues import LedgerIssue
from graph.model import SHEETS
from graph.store.workspace import VersionInfo, Workspace, source_checksum
from loaders.guard import check_untrusted
from loaders.read import WORKBOOK_SUFFIXES

__all__ = [
    "TAGS",
    "UNZIPPED_FACTOR",
    "UPLOAD_SUFFIXES",
    "SaveFailed",
    "UploadConflict",
    "UploadResult",
    "UploadTooLarge",
    "import_upload",
    "router",
]

UPLOAD_SUFFIXES = (*WORKBOOK_SUFFIXES, ".zip")
UNZIPPED_FACTOR = 10
"""A .zip (or a workbook, itself a zip) may unpack to at most this many times the upload limit."""
MAX_ZIP_MEMBERS = 500
ISSUE_ROWS = 500
"""Rows of each issue table on the result page (the JSON answer has them all)."""

logger = logging.getLogger("liangxin.api")
_saving = threading.Lock()  # one save at a time here; across processes: the workspace's lock


class UploadConflict(LiangxinError):
    """The upload cannot be taken now or here: no workspace, or another load is running."""

    http_status = 409


class UploadTooLarge(LiangxinError):
    """The upload (or what it unpacks to) is larger than the limit."""

    http_status = 413


class SaveFailed(LiangxinError):
    """The checked ledger could not be written (disk full, permissions); nothing changed."""

    http_status = 500


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


@dataclass(frozen=True)
class UploadResult:
    """What an accepted upload did: a new current version, or none (same content)."""

    created: bool
    version: VersionInfo
    warnings: list[LedgerIssue]


def import_upload(workspace: Workspace, upload: UploadFile, *, limit: int) -> UploadResult:
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
            source = _unpack_csv_zip(saved, Path(tmp) / "csv" / saved.stem, unpacked_limit)
        else:
            _refuse_workbook_bomb(saved, unpacked_limit)
            source = saved
        checksum = source_checksum(source)
        ledger, issues = check_untrusted(source)
        errors = [i for i in issues if i.is_error]
        if errors:
            raise LedgerInvalid(
                issues,
                f"台账有 {len(errors)} 处错误，未导入；{_kept(workspace.current())}。"
                "请按列出的问题逐条修改后重新上传。",
            )
        with _saving:
            current = workspace.current()
            if current is not None and current.checksum == checksum:
                return UploadResult(created=False, version=current, warnings=issues)
            try:
                info = workspace.save(
                    ledger,
                    source=Path(f"网页上传 {name}"),
                    checksum=checksum,
                    warnings=len(issues),
                    started=started,
                )
            except WorkspaceError as exc:
                if isinstance(exc.__cause__, BlockingIOError):  # a load by another process
                    raise UploadConflict(exc.message) from exc
                raise
            except OSError as exc:
                logger.exception("保存上传的台账失败：%s", workspace.root)
                raise SaveFailed(
                    f"台账检查无误，但保存新版本时出错（{exc.strerror or exc}），未导入；"
                    f"{_kept(current)}。请管理员检查工作区所在磁盘的空间和写入权限。"
                ) from exc
    return UploadResult(created=True, version=info, warnings=issues)


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
    result: UploadResult | None = None,
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
            limit=_size(limit),
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


def _kept(current: VersionInfo | None) -> str:
    return f"当前版本 {current.id} 保持不变" if current else "工作区保持原样"


def _workspace(state: AppState) -> Workspace:
    workspace = state.workspace_versions
    if workspace is not None:
        return workspace
    if state.ledger is not None:
        raise UploadConflict(
            "此应用直接读取台账文件（启动时用了 --ledger），没有工作区，不能在网页上传台账。"
            "如需上传，请不带 --ledger 重新启动 liangxin serve，使用工作区。"
        )
    raise UploadConflict(
        "此应用的数据来自图数据库（启动时用了 --store），不能在网页上传台账。"
        "请用命令 liangxin load 台账.xlsx --store … 写入图数据库。"
    )


def _body_too_large(limit: int) -> HTTPException:
    # An HTTPException, not a LiangxinError: raised while FastAPI reads the form, where only
    # HTTPExceptions pass through unchanged.
    return HTTPException(
        413,
        f"上传的文件超过 {_size(limit)} 的上限，未导入。"
        "请删去台账中不需要的工作表或附件后再上传，或请管理员调高 LIANGXIN_UPLOAD_LIMIT_MB。",
    )


def _size(limit: int) -> str:
    """``100 MB``, ``4 KB``: a byte limit as a planner reads it."""
    if limit >= 1 << 20:
        return f"{limit / (1 << 20):.3g} MB"
    return f"{max(limit >> 10, 1)} KB"


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


def _unpack_csv_zip(archive: Path, folder: Path, limit: int) -> Path:
    """Unpack the CSV files of ``archive`` into ``folder`` (flat) and return it.

    Guards: any member path that is absolute or climbs out (``..``) refuses the whole archive
    (zip-slip); at most MAX_ZIP_MEMBERS members; at most ``limit`` bytes unpacked, counted
    while unpacking (zip bombs lie in their headers). Names stored in GBK by Windows are read
    as such. Folders inside the archive are flattened; ``__MACOSX`` and hidden files skipped.
    """
    name = archive.name
    try:
        book = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LedgerUnreadable(
            f"无法打开 {name}：它不是有效的 .zip 压缩包，或文件已损坏。"
        ) from exc
    with book:
        members = [m for m in book.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            raise LedgerUnreadable(
                f"压缩包 {name} 里有 {len(members)} 个文件，太多了。请只打包台账的 CSV 文件。"
            )
        found: dict[str, zipfile.ZipInfo] = {}
        for member in members:
            path = _member_name(member).replace("\\", "/")
            parts = PurePosixPath(path).parts
            if path.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                raise LedgerUnreadable(
                    f"压缩包 {name} 中有不安全的路径“{path}”，未导入。请重新打包后上传。"
                )
            if not parts or parts[0] == "__MACOSX" or parts[-1].startswith("."):
                continue
            if parts[-1].lower().endswith(".csv"):
                if parts[-1] in found:
                    raise LedgerUnreadable(
                        f"压缩包 {name} 中有多个名为“{parts[-1]}”的文件，请只保留一份后重新打包。"
                    )
                found[parts[-1]] = member
        if not found:
            raise LedgerUnreadable(
                f"压缩包 {name} 里没有 CSV 文件。请把台账的 CSV 文件"
                "（如 组织.csv、党组织.csv、街道.csv）打包成 .zip 后上传。"
            )
        folder.mkdir(parents=True)
        budget = limit
        try:
            for file_name, member in found.items():
                with book.open(member) as src, (folder / file_name).open("wb") as out:
                    while chunk := src.read(1 << 20):
                        budget -= len(chunk)
                        if budget < 0:
                            raise UploadTooLarge(
                                f"压缩包 {name} 解压后超过 {_size(limit)}，未导入。"
                                "请检查压缩包的内容。"
                            )
                        out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise LedgerUnreadable(f"压缩包 {name} 已损坏，无法解压。请重新打包后上传。") from exc
        except RuntimeError as exc:  # zipfile: a member needs a password
            raise LedgerUnreadable(f"压缩包 {name} 设有密码，请去掉密码后重新打包上传。") from exc
    return folder


def _member_name(member: zipfile.ZipInfo) -> str:
    """The member's name; Windows tools store Chinese names in GBK without saying so."""
    if member.flag_bits & 0x800:  # the archive says the name is UTF-8
        return member.filename
    raw = member.filename.encode("cp437")  # zipfile decoded it as cp437: undo that
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return member.filename


def _refuse_workbook_bomb(workbook: Path, limit: int) -> None:
    """An .xlsx is a zip too: refuse one whose parts claim to unpack beyond ``limit``."""
    try:
        with zipfile.ZipFile(workbook) as book:
            unpacked = sum(member.file_size for member in book.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # .xls, or not a workbook at all: the reader says so
    if unpacked > limit:
        raise UploadTooLarge(
            f"{workbook.name} 解压后超过 {_size(limit)}，未导入。"
            "请删去不需要的工作表、图片或附件后再上传。"
        )


def _ordered(issues: list[LedgerIssue]) -> list[LedgerIssue]:
    """Sheet by sheet (in the order first met), then by row, as a planner works through them."""
    sheets = list(dict.fromkeys(i.sheet for i in issues))
    return sorted(issues, key=lambda i: (sheets.index(i.sheet), i.row or 0))
