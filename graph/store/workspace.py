"""The embedded workspace (工作区): validated ledgers kept as dated Parquet versions in a folder.

Layout::

    <root>/state.json            which versions exist and which is current (the commit point)
    <root>/versions/<id>/        one folder per load: manifest.json + one .parquet per sheet
    <root>/.staging-<id>/        a load in progress (removed on success, swept on the next load)
    <root>/.lock                 held while a load writes
    <root>/.starts               how many loads have started (the last start's number)

A load writes the whole new version into a staging folder, fsyncs it, renames it into
``versions/`` and only then replaces ``state.json`` with one atomic ``os.replace``. A load that
fails, or is killed at any point, therefore leaves ``state.json`` and every committed version
exactly as they were.

Concurrent loads: **the load that started last becomes current**, whatever order they finish
in. A load takes a number when it starts (:meth:`Workspace.begin`, before it reads the
ledger) and ``state.json`` records the number of the load that committed; a load whose number
is lower than that (a later-started load has committed while it was checking) is refused with
:class:`LoadSuperseded` and leaves nothing behind. Two saves never overlap: the second one to
reach ``.lock`` is refused while the first writes. A load that does not say when it started
counts as starting when it saves.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from graph.errors import NotFound, WorkspaceError
from graph.ledger import Ledger
from graph.model import SHEETS

__all__ = [
    "FORMAT_VERSION",
    "LoadSuperseded",
    "LoadTicket",
    "VersionInfo",
    "Workspace",
    "source_checksum",
]

FORMAT_VERSION = 1


@dataclass(frozen=True)
class VersionInfo:
    """One loaded version (版本): where it came from, when, and what it holds."""

    id: str
    loaded_at: str  # ISO timestamp, local time with offset
    source: str
    checksum: str  # sha256 of the source file (or of the CSV files of a folder)
    counts: dict[str, int]
    present: list[str]
    warnings: int = 0
    format: int = FORMAT_VERSION
    extra: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> VersionInfo:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})  # type: ignore[arg-type]


@dataclass(frozen=True)
class LoadTicket:
    """When a load started: its number among the workspace's loads (1, 2, …)."""

    number: int


class LoadSuperseded(WorkspaceError):
    """A load that started later has already become current; this older one is not saved."""

    http_status = 409


def source_checksum(path: Path) -> str:
    """sha256 of a workbook, or of a CSV folder's files (names and bytes, in name order)."""
    digest = hashlib.sha256()
    folder = path.is_dir()
    files = sorted(p for p in path.iterdir() if p.is_file()) if folder else [path]
    for file in files:
        if folder:
            digest.update(file.name.encode("utf-8") + b"\0")
        with file.open("rb") as fh:
            for block in iter(partial(fh.read, 1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


class Workspace:
    """A folder holding every loaded version of the ledger; the default store (no server)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    # -- reading ---------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.root / "state.json").is_file()

    def versions(self) -> list[VersionInfo]:
        """Committed versions, oldest first."""
        state = self._state()
        return [self._manifest(v) for v in state["versions"]]

    def current(self) -> VersionInfo | None:
        state = self._state()
        return self._manifest(state["current"]) if state["current"] else None

    def resolve(self, version: str | None) -> VersionInfo:
        """The version named ``version`` (an id, a unique prefix, or "current"/"previous")."""
        state = self._state()
        ids: list[str] = state["versions"]
        if not ids:
            raise NotFound(
                f"工作区 {self.root} 中还没有导入任何台账。请先运行：liangxin load 台账.xlsx"
            )
        if version in (None, "current", "当前"):
            return self._manifest(state["current"])
        if version in ("previous", "上一版"):
            at = ids.index(state["current"])
            if at == 0:
                raise NotFound("当前版本是第一个版本，没有上一版。")
            return self._manifest(ids[at - 1])
        matches = [v for v in ids if v == version] or [v for v in ids if v.startswith(version)]
        if len(matches) != 1:
            listed = "、".join(ids[-5:])
            raise NotFound(f"找不到版本“{version}”。现有版本（最近的）：{listed}。")
        return self._manifest(matches[0])

    def read(self, version: str | None = None) -> Ledger:
        """The ledger of ``version`` (default: the current one), tables exactly as loaded."""
        info = self.resolve(version)
        folder = self.root / "versions" / info.id
        tables: dict[str, pd.DataFrame] = {}
        for sheet in SHEETS:
            try:
                tables[sheet.key] = pd.read_parquet(folder / f"{sheet.key}.parquet")
            except (OSError, ValueError) as exc:
                raise WorkspaceError(
                    f"版本 {info.id} 的“{sheet.label}”表无法读取（{exc}）。"
                    "工作区可能已损坏，请重新导入台账。"
                ) from exc
        return Ledger(tables, present=frozenset(info.present))

    # -- writing ---------------------------------------------------------------------------

    def begin(self) -> LoadTicket:
        """Note that a load starts now, before it reads its ledger: its ticket for :meth:`save`.

        Numbers only grow (kept in ``.starts`` under a lock held for a moment, across
        processes). Creates the workspace folder if needed.
        """
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / ".starts", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise WorkspaceError(f"无法使用工作区 {self.root}：{exc}。请检查路径和权限。") from exc
        with os.fdopen(fd, "r+", encoding="ascii") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # every holder only reads and writes one number
            text = fh.read().strip()
            last = max(int(text) if text.isdigit() else 0, self._state().get("started", 0))
            fh.seek(0)
            fh.truncate()
            fh.write(str(last + 1))
            fh.flush()
            os.fsync(fh.fileno())
        return LoadTicket(last + 1)

    def save(
        self,
        ledger: Ledger,
        *,
        source: Path,
        checksum: str,
        warnings: int = 0,
        now: dt.datetime | None = None,
        progress: Callable[[str], None] | None = None,
        started: LoadTicket | None = None,
    ) -> VersionInfo:
        """Store ``ledger`` as a new version and make it current, atomically.

        ``started`` is the ticket :meth:`begin` gave when this load started (default: it starts
        now). Raises LoadSuperseded, saving nothing, when a load that started later has been
        saved meanwhile: the later start wins.
        """
        now = (now or dt.datetime.now()).astimezone()
        ticket = started or self.begin()
        with self._locked():
            state = self._state()
            if ticket.number < state.get("started", 0):
                raise LoadSuperseded(
                    f"本次导入开始之后，另一个较晚开始的导入已经完成，版本 {state['current']} "
                    "已成为当前版本；本次的台账未导入，以免较早的台账覆盖较新的。"
                    "如确要使用本次的台账，请重新导入。"
                )
            self._sweep(set(state["versions"]))
            version_id = self._new_id(now, state["versions"])
            info = VersionInfo(
                id=version_id,
                loaded_at=now.isoformat(timespec="seconds"),
                source=str(source),
                checksum=checksum,
                counts=ledger.counts(),
                present=sorted(ledger.present),
                warnings=warnings,
            )
            staging = self.root / f".staging-{version_id}"
            staging.mkdir(parents=True)
            try:
                for sheet in SHEETS:
                    if progress:
                        progress(sheet.label)
                    self._write_table(ledger[sheet.key], staging / f"{sheet.key}.parquet")
                _write_json(staging / "manifest.json", info.to_dict())
                _fsync_dir(staging)
                versions_dir = self.root / "versions"
                versions_dir.mkdir(exist_ok=True)
                os.rename(staging, versions_dir / version_id)
                _fsync_dir(versions_dir)
                new_state = {
                    "format": FORMAT_VERSION,
                    "current": version_id,
                    "versions": [*state["versions"], version_id],
                    "started": ticket.number,
                }
                _write_json(self.root / "state.json", new_state)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        return info

    def _write_table(self, table: pd.DataFrame, path: Path) -> None:
        table.to_parquet(path, index=False)
        with path.open("rb") as fh:
            os.fsync(fh.fileno())

    # -- internals -------------------------------------------------------------------------

    def _state(self) -> dict:
        path = self.root / "state.json"
        if not path.is_file():
            return {"format": FORMAT_VERSION, "current": None, "versions": []}
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise WorkspaceError(
                f"工作区状态文件 {path} 无法读取（{exc}）。请检查文件夹权限，或换一个工作区。"
            ) from exc

    def _manifest(self, version_id: str) -> VersionInfo:
        path = self.root / "versions" / version_id / "manifest.json"
        try:
            return VersionInfo.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"版本 {version_id} 的清单文件无法读取（{exc}）。") from exc

    def _new_id(self, now: dt.datetime, existing: list[str]) -> str:
        base = now.strftime("%Y%m%d-%H%M%S")
        candidate, n = base, 1
        taken = set(existing) | {p.name for p in (self.root / "versions").glob("*")}
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def _sweep(self, committed: set[str]) -> None:
        """Remove what an interrupted load left behind (staging and uncommitted versions)."""
        for leftover in self.root.glob(".staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for folder in (self.root / "versions").glob("*"):
            if folder.is_dir() and folder.name not in committed:
                shutil.rmtree(folder, ignore_errors=True)
        for tmp in self.root.glob("*.tmp"):
            tmp.unlink(missing_ok=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = (self.root / ".lock").open("w")
        except OSError as exc:
            raise WorkspaceError(f"无法使用工作区 {self.root}：{exc}。请检查路径和权限。") from exc
        with fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise WorkspaceError(
                    f"工作区 {self.root} 正在被另一个导入任务使用，请等它完成后再试。"
                ) from exc
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
