"""Checking a ledger nobody has vetted, in a child process that cannot take the caller down.

``liangxin check`` / ``load`` and the web upload call :func:`check_untrusted`. It runs
:func:`loaders.check_ledger` (read + validate) in a child process with a memory limit
(``RLIMIT_AS``) and a time limit: whatever a file does to the readers (a Rust allocation
failure aborts, a runaway parse, a segfault), the caller gets a :class:`LedgerUnreadable`
with a Chinese message, never a dead server. The cheap checks of :mod:`loaders.xlsxscan`
run first inside the child and name the sheet and cell when they can.

Children are forked from a fork server started once per process with the readers preloaded
(a fork costs milliseconds; forking the caller itself, which may run threads, would not be
safe). Where that is unavailable (Windows) a spawned child is used, with the time limit only.

Limits, from the environment: ``LIANGXIN_PARSE_MEMORY_MB`` (default three quarters of the
physical memory, at least 2048) and ``LIANGXIN_PARSE_TIMEOUT`` (seconds, default 900).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.errors import LedgerTooLarge, LedgerUnreadable, LiangxinError

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

__all__ = ["check_untrusted", "memory_limit", "run_isolated", "time_limit"]

logger = logging.getLogger("liangxin.loaders")

_starting = threading.Lock()
_PRELOAD = ["loaders", "loaders.xlsxscan", "python_calamine"]  # loaders imports read, validate


def memory_limit() -> int:
    """Bytes of address space the child may use."""
    try:
        mb = int(os.environ.get("LIANGXIN_PARSE_MEMORY_MB", "") or 0)
    except ValueError:
        mb = 0
    if mb > 0:
        return mb << 20
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        physical = 8 << 30
    return max(2 << 30, physical * 3 // 4)


def time_limit() -> float:
    """Seconds the child may take."""
    try:
        seconds = float(os.environ.get("LIANGXIN_PARSE_TIMEOUT", "") or 0)
    except ValueError:
        seconds = 0
    return seconds if seconds > 0 else 900.0


def check_untrusted(
    path: Path | str,
    *,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Any, list[Any]]:
    """:func:`loaders.check_ledger` in a guarded child process: (ledger, issues).

    Raises :class:`LedgerUnreadable` (or :class:`LedgerTooLarge`) for everything that goes
    wrong while reading, including the child being killed or running out of memory or time.
    """
    path = Path(path)
    return run_isolated(_check, (str(path), today), progress=progress, name=path.name)


def _check(path: str, today: dt.date | None, progress: Callable[[str], None]) -> Any:
    from loaders import check_ledger

    return check_ledger(path, today=today, progress=progress)


def _context() -> multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext:
    if resource is not None and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def run_isolated(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    progress: Callable[[str], None] | None = None,
    name: str = "台账",
    memory: int | None = None,
    seconds: float | None = None,
) -> Any:
    """``func(*args, progress)`` in a child process under the memory and time limits.

    ``func`` must be importable by name (a module-level function); ``progress`` messages it
    sends are passed on to ``progress`` here. A :class:`LiangxinError` it raises is raised
    here again (as :class:`LedgerUnreadable` unless it is one already).
    """
    memory = memory_limit() if memory is None else memory
    seconds = time_limit() if seconds is None else seconds
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, func, args, memory), daemon=True)
    with _starting:
        # The child must not run the caller's main module again (multiprocessing would import
        # it, and ``python -m api`` would start a second command line): hide it while starting.
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            child.start()
        finally:
            if main is not None:
                sys.modules["__main__"] = main
    sender.close()
    deadline = time.monotonic() + seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LedgerTooLarge(
                    f"读取 {name} 超过 {seconds:g} 秒仍未完成，已停止。文件可能过大或结构异常："
                    "请删除多余的工作表、行和列，或在 Excel 中另存为新的 .xlsx 后再导入。"
                )
            if not receiver.poll(min(remaining, 0.2)):
                if not child.is_alive() and not receiver.poll():
                    break
                continue
            try:
                kind, payload = receiver.recv()
            except (EOFError, OSError):
                break
            if kind == "progress":
                if progress is not None:
                    progress(payload)
            elif kind == "ok":
                return payload
            elif kind == "error":
                cls, message = payload
                if isinstance(cls, type) and issubclass(cls, LedgerUnreadable):
                    raise cls(message)
                raise LedgerUnreadable(message)
            elif kind == "memory":
                raise LedgerTooLarge(
                    f"读取 {name} 需要的内存超过了上限（{memory >> 20:,} MB），已停止。"
                    "请删除多余的工作表、行和列后再导入；台账确实很大时，"
                    "可由管理员调高环境变量 LIANGXIN_PARSE_MEMORY_MB。"
                )
            else:  # "bug": a defect in the readers, not the planner's doing
                logger.error("读取 %s 时出错：\n%s", name, payload)
                raise LedgerUnreadable(
                    f"读取 {name} 时遇到程序未能处理的内容，未完成检查。请在 Excel 中打开该文件，"
                    "另存为新的 .xlsx（或 CSV UTF-8）后重试；仍不行请把文件交给技术支持。"
                )
        child.join(5)
        code = child.exitcode
        logger.error("读取 %s 的子进程异常退出，退出码 %s", name, code)
        raise LedgerTooLarge(
            f"读取 {name} 时读取程序异常退出（{_how(code)}），未完成检查。文件可能过大、"
            "已损坏或含有异常的单元格区域：请删除多余的工作表、行和列，"
            "或在 Excel 中另存为新的 .xlsx 后再导入。"
        )
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)


def _how(code: int | None) -> str:
    if code is None:
        return "未知原因"
    if code < 0:
        return {-6: "内存分配失败", -9: "被系统终止（内存不足）", -11: "访问越界"}.get(
            code, f"信号 {-code}"
        )
    return f"退出码 {code}"


def _child(sender: Any, func: Callable[..., Any], args: tuple[Any, ...], memory: int) -> None:
    # What the readers print when they die (a Rust panic and backtrace) is not for users.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    if resource is not None and memory > 0:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        result = func(*args, lambda text: sender.send(("progress", text)))
        sender.send(("ok", result))
    except LiangxinError as exc:
        sender.send(("error", (type(exc), exc.message)))
    except MemoryError:
        sender.send(("memory", None))
    except BaseException:
        sender.send(("bug", traceback.format_exc()))
    finally:
        sender.close()
