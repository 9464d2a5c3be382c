"""The embedded workspace: round trips, versions, and loads that fail or are killed half-way."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from graph.errors import NotFound, WorkspaceError
from graph.store.workspace import Workspace, source_checksum
from loaders import read_ledger
from tests.tinyledger import tiny, write_csv, write_xlsx

TODAY = dt.date(2026, 11, 1)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    return write_xlsx(tiny(), tmp_path / "tiny.xlsx")


def _save(ws: Workspace, path: Path, when: str = "2026-10-01 09:00:00"):
    ledger = read_ledger(path, today=TODAY)
    return ws.save(
        ledger, source=path, checksum=source_checksum(path), now=dt.datetime.fromisoformat(when)
    )


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_round_trip_tables_equal(tmp_path, ledger_file):
    ws = Workspace(tmp_path / "ws")
    loaded = read_ledger(ledger_file, today=TODAY)
    info = ws.save(loaded, source=ledger_file, checksum=source_checksum(ledger_file))
    back = ws.read()
    assert back.equals(loaded)
    for key, table in loaded.tables.items():
        pd.testing.assert_frame_equal(back[key], table, check_index_type=False)
    assert back.present == loaded.present
    assert info.counts["organizations"] == 5
    assert ws.current() == info


def test_versions_are_dated_and_resolvable(tmp_path, ledger_file):
    ws = Workspace(tmp_path / "ws")
    first = _save(ws, ledger_file, "2026-10-01 09:00:00")
    smaller = tiny()
    smaller["组织"].pop(3)
    second = _save(ws, write_xlsx(smaller, tmp_path / "b.xlsx"), "2026-11-01 09:00:00")
    assert [v.id for v in ws.versions()] == ["20261001-090000", "20261101-090000"]
    assert ws.current().id == second.id
    assert ws.resolve("previous").id == first.id
    assert ws.resolve("202610").id == first.id
    assert ws.read(first.id).counts()["organizations"] == 5
    assert ws.read().counts()["organizations"] == 4
    with pytest.raises(NotFound):
        ws.resolve("1999")
    same_second = _save(ws, ledger_file, "2026-11-01 09:00:00")
    assert same_second.id == "20261101-090000-2"


def test_empty_workspace_says_what_to_do(tmp_path):
    with pytest.raises(NotFound) as info:
        Workspace(tmp_path / "none").resolve(None)
    assert "liangxin load" in info.value.message


def test_failed_load_leaves_previous_version_unchanged(tmp_path, ledger_file, monkeypatch):
    ws = Workspace(tmp_path / "ws")
    first = _save(ws, ledger_file)
    before = _snapshot(ws.root)
    written = []
    original = Workspace._write_table

    def fail_on_third(self, table, path):
        written.append(path.name)
        if len(written) == 3:
            raise OSError("磁盘已满")
        original(self, table, path)

    monkeypatch.setattr(Workspace, "_write_table", fail_on_third)
    with pytest.raises(OSError):
        _save(ws, ledger_file, "2026-11-01 09:00:00")
    assert _snapshot(ws.root) == before
    assert ws.current() == first
    assert ws.read().equals(read_ledger(ledger_file, today=TODAY))


KILL_SCRIPT = textwrap.dedent(
    """
    import datetime as dt, os, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from graph.store import workspace as w
    from loaders import read_ledger

    where = sys.argv[1]
    if where == "table":
        original = w.Workspace._write_table
        count = []
        def killed(self, table, path):
            count.append(1)
            if len(count) == 4:
                os._exit(9)  # as if the machine lost power
            original(self, table, path)
        w.Workspace._write_table = killed
    else:  # killed after the new version folder is in place, before state.json moves
        original_replace = os.replace
        def killed_replace(src, dst):
            if str(dst).endswith("state.json"):
                os._exit(9)
            original_replace(src, dst)
        w.os.replace = killed_replace
    ledger = read_ledger(sys.argv[3], today=dt.date(2026, 11, 1))
    w.Workspace(sys.argv[2]).save(ledger, source=Path(sys.argv[3]), checksum="x",
                                  now=dt.datetime(2026, 11, 2, 8, 0))
    """
)


@pytest.mark.parametrize("where", ["table", "commit"])
def test_killed_load_leaves_previous_version_loadable(tmp_path, ledger_file, where):
    ws = Workspace(tmp_path / "ws")
    first = _save(ws, ledger_file)
    state_before = (ws.root / "state.json").read_bytes()
    version_before = _snapshot(ws.root / "versions" / first.id)
    bigger = tiny()
    bigger["街道"].append({"街道编码": "S4", "街道名称": "新街道", "所在区县": "芙蓉区"})
    other = write_csv(bigger, tmp_path / "other")
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT.format(root=str(ROOT)), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), where, str(ws.root), str(other)], capture_output=True
    )
    assert proc.returncode == 9, proc.stderr.decode()
    assert (ws.root / "state.json").read_bytes() == state_before
    assert _snapshot(ws.root / "versions" / first.id) == version_before
    assert [v.id for v in ws.versions()] == [first.id]
    assert ws.read().equals(read_ledger(ledger_file, today=TODAY))
    # The next load sweeps what the killed one left behind.
    second = _save(ws, other, "2026-11-03 08:00:00")
    assert sorted(p.name for p in (ws.root / "versions").iterdir()) == [first.id, second.id]
    assert not list(ws.root.glob(".staging-*"))
    assert ws.read().counts()["streets"] == 4


def test_concurrent_load_is_refused(tmp_path, ledger_file):
    import fcntl

    ws = Workspace(tmp_path / "ws")
    ws.root.mkdir()
    with (ws.root / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(WorkspaceError) as info:
            _save(ws, ledger_file)
    assert "另一个导入任务" in info.value.message
    assert not ws.exists()


def test_checksum_of_file_and_folder(tmp_path, ledger_file):
    folder = write_csv(tiny(), tmp_path / "csv")
    assert source_checksum(folder) == source_checksum(write_csv(tiny(), tmp_path / "csv2"))
    assert source_checksum(ledger_file) != source_checksum(folder)
    assert len(source_checksum(ledger_file)) == 64  # hex sha256
