"""Where the app's data comes from, for the command line and the web app alike.

Opening the embedded workspace, a ledger file or a shared graph store; building the graph an
analysis runs on; comparing two workspace versions; and *the* ledger import — checked in the
guarded reader, refused whole on any error, saved atomically as the workspace's new current
version — that ``liangxin load`` and the web app's upload both call.

No terminal and no HTTP here: progress is reported through a callable the caller passes
(:data:`Progress`; the command line gives its progress bars, the web app nothing), and every
problem is a :class:`~graph.errors.LiangxinError` whose Chinese message each surface shows in
its own way.
"""

from __future__ import annotations

import errno
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import networkx as nx

from api.settings import Settings
from api.stores import StoreSpec, connect, parse_store
from graph.analysis.common import Params
from graph.analysis.diff import VersionDiff, diff
from graph.build import build_graph
from graph.errors import ImportConflict, LedgerInvalid, LiangxinError, SaveFailed, WorkspaceError
from graph.issues import LedgerIssue
from graph.ledger import Ledger
from graph.model import SHEETS
from graph.store.workspace import LoadTicket, VersionInfo, Workspace, source_checksum
from loaders.guard import check_untrusted

__all__ = [
    "ImportResult",
    "Progress",
    "compare_versions",
    "import_ledger",
    "kept_phrase",
    "load_graph",
    "load_into_store",
    "no_progress",
    "open_ledger",
    "open_workspace",
    "workspace_write_error",
    "write_reason",
]

logger = logging.getLogger("liangxin")


class Progress(Protocol):
    """A progress display: ``with progress("读取台账") as step:`` gives ``step(label)`` to call
    after each part of the work (``total`` parts when known)."""

    def __call__(
        self, description: str, total: int | None = None
    ) -> AbstractContextManager[Callable[..., None]]: ...


@contextmanager
def no_progress(description: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    """The progress display that shows nothing (the web app; tests)."""
    yield lambda *args, **kwargs: None


def open_workspace(path: Path | None) -> Workspace:
    """The workspace at ``path``, or the settings' (``LIANGXIN_HOME``, default ./liangxin-data)."""
    return Workspace(path or Settings().home)


def open_ledger(
    ledger: Path | None,
    workspace: Path | None,
    version: str | None,
    store: str | None = None,
    *,
    progress: Progress = no_progress,
) -> tuple[Ledger, str]:
    """The ledger an analysis runs on and where it came from (Chinese): a file (``ledger``,
    read in the guarded child as ``check`` and ``load`` do), the shared graph store
    (``store``), or a workspace version (default: current). A file with errors raises
    :class:`LedgerInvalid`."""
    if ledger is not None:
        with progress("读取台账") as step:
            led, issues = check_untrusted(ledger, progress=step)
        if any(i.is_error for i in issues):
            raise LedgerInvalid(issues)
        return led, str(ledger)
    spec = parse_store(store)
    if spec.kind != "workspace":
        with progress(f"读取 {spec.label}"):
            return connect(spec).read(), spec.label
    ws = open_workspace(workspace)
    info = ws.resolve(version)
    return ws.read(info.id), f"工作区版本 {info.id}（{info.source}）"


def load_graph(
    ledger: Path | None,
    workspace: Path | None,
    version: str | None,
    store: str | None = None,
    *,
    progress: Progress = no_progress,
) -> tuple[nx.MultiDiGraph, str]:
    """:func:`open_ledger`'s ledger as the graph the analyses read, and where it came from."""
    led, source = open_ledger(ledger, workspace, version, store, progress=progress)
    with progress("构建图谱"):
        return build_graph(led), source


def compare_versions(
    workspace: Path | None,
    from_version: str,
    to_version: str,
    params: Params,
    *,
    progress: Progress = no_progress,
) -> tuple[VersionInfo, VersionInfo, VersionDiff]:
    """Two versions of the workspace and what changed from the first to the second, for
    ``liangxin diff`` and ``liangxin report monthly``; both are found before either is built."""
    ws = open_workspace(workspace)
    then, now = ws.resolve(from_version), ws.resolve(to_version)
    with progress("构建图谱"):
        return then, now, diff(build_graph(ws.read(then.id)), build_graph(ws.read(now.id)), params)


# ---------------------------------------------------------------------------------------------
# The one ledger import


@dataclass(frozen=True)
class ImportResult:
    """What an accepted import did: a new current version, or none (content unchanged)."""

    created: bool
    version: VersionInfo
    ledger: Ledger
    warnings: list[LedgerIssue]


_saving = threading.Lock()  # one save at a time in this process; across processes: the lock file


def kept_phrase(current: VersionInfo | None) -> str:
    """What stays as it was when an import is refused: “当前版本 … 保持不变”."""
    return f"当前版本 {current.id} 保持不变" if current else "工作区保持原样"


def import_ledger(
    workspace: Workspace,
    path: Path,
    *,
    source: Path,
    force: bool = False,
    progress: Progress = no_progress,
    kept: str | None = None,
    advice: str = "请按列出的问题逐条修改后重新导入。",
    write_error: Callable[[OSError, VersionInfo | None], LiangxinError] | None = None,
    started: LoadTicket | None = None,
) -> ImportResult:
    """Check the ledger at ``path`` and save it as the workspace's new current version.

    The rules of ``liangxin load`` and of the web app's upload: the load started later becomes
    current (:meth:`Workspace.begin`, or ``started`` when the caller began earlier, as an upload
    does on arrival); the file is read in the guarded child; a ledger with any
    error is refused whole (:class:`LedgerInvalid` with every issue, saying that ``kept``
    (default: “当前版本 … 保持不变”) and ending with ``advice``);
    content identical to the current version (same checksum) makes no new version unless
    ``force``; the save is atomic and one at a time. ``source`` is what the version records as
    its source. A save that fails leaves the workspace as it was: another process's load
    raises :class:`ImportConflict`; a full disk or a missing permission raises what
    ``write_error(exc, current)`` gives (default :func:`workspace_write_error` naming the
    workspace's folder: the command line's words; the web app shows no path).
    """
    started = started or workspace.begin()
    with progress("检查台账") as step:
        led, issues = check_untrusted(path, progress=step)
    checksum = source_checksum(path)
    errors = [i for i in issues if i.is_error]
    if errors:
        raise LedgerInvalid(
            issues,
            f"台账有 {len(errors)} 处错误，未导入；{kept or kept_phrase(workspace.current())}。"
            + advice,
        )
    with _saving:
        current = workspace.current()
        if current is not None and current.checksum == checksum and not force:
            return ImportResult(False, current, led, issues)
        try:
            with progress("写入工作区", total=len(SHEETS)) as step:
                info = workspace.save(
                    led,
                    source=source,
                    checksum=checksum,
                    warnings=len(issues),
                    progress=step,
                    started=started,
                )
        except (OSError, WorkspaceError) as exc:
            cause = exc if isinstance(exc, OSError) else exc.__cause__
            if isinstance(cause, BlockingIOError) and isinstance(exc, WorkspaceError):
                raise ImportConflict(exc.message) from exc  # a load by another process
            if not isinstance(cause, OSError):
                raise  # a damaged workspace: its own message
            logger.error("saving a new version failed: %s", cause)
            if write_error is not None:
                raise write_error(cause, current) from exc
            raise workspace_write_error(cause, workspace.root, current) from exc
    return ImportResult(True, info, led, issues)


def load_into_store(
    path: Path,
    spec: StoreSpec,
    *,
    batch_size: int,
    progress: Progress = no_progress,
    rows_progress: Callable[[str], AbstractContextManager[Callable[..., None]]] | None = None,
) -> tuple[Ledger, Any]:
    """Check the ledger at ``path`` (refused whole on any error, the store untouched) and write
    it into the shared graph store ``spec``, which then holds exactly this ledger. Returns the
    ledger and the store's load report."""
    with progress("检查台账") as step:
        led, issues = check_untrusted(path, progress=step)
    if any(i.is_error for i in issues):
        raise LedgerInvalid(issues, f"台账有错误，未导入；{spec.label} 保持原样。")
    store = connect(spec)
    with (rows_progress or progress)(f"写入 {spec.label}") as step:
        store.ensure_schema()
        report = store.load(led, batch_size=batch_size, progress=step)
    return led, report


# ---------------------------------------------------------------------------------------------
# Write errors, in words a planner can act on

_NO_PERMISSION = (
    "没有写入权限",
    "请给当前用户这个文件夹的写入权限，或换一个自己有权限的工作区文件夹，再重新导入",
)
_WRITE_PROBLEMS = {
    errno.ENOSPC: (
        "磁盘空间不足",
        "请清理这个文件夹所在的磁盘，或换一个空间充足的工作区文件夹，再重新导入",
    ),
    errno.EDQUOT: (
        "磁盘配额已用完",
        "请删除这个磁盘上不再需要的文件或请管理员提高配额，或换一个工作区文件夹，再重新导入",
    ),
    errno.EROFS: (
        "发现所在的磁盘是只读的",
        "请换一个可以写入的工作区文件夹，或请管理员把这个磁盘挂载为可写，再重新导入",
    ),
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
}
"""What an OSError's errno means while a version is written, and what to do about it."""
_ERRNO_IN_TEXT = re.compile(r"\[errno (\d+)\]", re.IGNORECASE)


def workspace_write_error(
    exc: OSError, root: Path, current: VersionInfo | None, *, how_to_move: str = ""
) -> SaveFailed:
    """The Chinese error for ``exc``, raised while a checked ledger was being saved as a new
    version of the workspace at ``root``: what went wrong (a
    full disk, a quota, a read-only disk, no permission), that nothing changed (``current`` is
    still the current version), and what to do. ``how_to_move`` says how to choose another
    workspace folder, e.g. the command line's ``--workspace``."""
    code = _errno(exc)
    kept = (
        f"当前版本仍是 {current.id}（{current.loaded_at[:10]} 导入），没有变化"
        if current is not None
        else "工作区保持原样（还没有导入过的版本）"
    )
    if code in _WRITE_PROBLEMS:
        problem, advice = _WRITE_PROBLEMS[code]
    else:
        problem = f"出错（{exc.strerror or exc}）"
        advice = "请检查这个文件夹所在磁盘的空间和写入权限，再重新导入"
    moved = f"（{how_to_move}）" if how_to_move else ""
    return SaveFailed(
        f"台账检查无误，但保存到工作区文件夹 {root} 时{problem}，新版本没有保存；{kept}。"
        f"{advice}{moved}。"
    )


def write_reason(exc: OSError) -> str:
    """Why writing a file failed, in Chinese where the errno is a known one (a full disk, a
    quota, a read-only disk, no permission), else the system's own words."""
    code = _errno(exc)
    if code in _WRITE_PROBLEMS:
        return _WRITE_PROBLEMS[code][0].removeprefix("发现所在的")
    return str(exc.strerror or exc)


def _errno(exc: OSError) -> int | None:
    """``exc.errno``, or the one pyarrow and others write into the text only ("[errno 28]")."""
    if exc.errno is not None:
        return exc.errno
    found = _ERRNO_IN_TEXT.search(str(exc))
    return int(found.group(1)) if found else None
