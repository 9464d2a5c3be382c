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
from graph.store.workspace import LoadSuperseded, Workspace, source_checksum
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
        if p.is_file() and p.name not in (".lock", ".starts")  # bookkeeping, not data
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


# ---------------------------------------------------------------------------------------------
# Concurrent loads: the later start wins


def _other_ledger(tmp_path: Path) -> Path:
    sheets = tiny()
    sheets["组织"][1].pop("覆盖党组织编码")  # O2 loses its branch: another ledger
    return write_xlsx(sheets, tmp_path / "later.xlsx")


def _load(ws: Workspace, path: Path, *, before_save=None, when: str = "2026-11-01 09:00:00"):
    """A whole load as ``liangxin load`` and the upload do it: start, read and check, save."""
    started = ws.begin()
    ledger = read_ledger(path, today=TODAY)
    if before_save is not None:
        before_save()
    return ws.save(
        ledger,
        source=path,
        checksum=source_checksum(path),
        now=dt.datetime.fromisoformat(when),
        started=started,
    )


def test_the_first_started_load_finishing_last_does_not_become_current(tmp_path, ledger_file):
    """Two loads in two threads: A starts, B starts, B finishes, then A finishes. B (the
    later start) is current; A is refused with a Chinese message and leaves nothing."""
    import threading

    ws = Workspace(tmp_path / "ws")
    first = _save(ws, ledger_file, "2026-10-01 09:00:00")
    later = _other_ledger(tmp_path)
    a_started, b_done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def load_a() -> None:
        def wait_for_b() -> None:
            a_started.set()
            assert b_done.wait(30)

        try:
            outcome["a"] = _load(
                ws, ledger_file, before_save=wait_for_b, when="2026-11-01 09:00:00"
            )
        except Exception as exc:
            outcome["a"] = exc

    def load_b() -> None:
        assert a_started.wait(30)  # A has started (and read its ledger) before B starts
        try:
            outcome["b"] = _load(ws, later, when="2026-11-01 09:00:05")
        finally:
            b_done.set()

    threads = [threading.Thread(target=load_a), threading.Thread(target=load_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    b = outcome["b"]
    assert isinstance(outcome["a"], LoadSuperseded), outcome["a"]
    message = outcome["a"].message
    assert f"版本 {b.id} 已成为当前版本" in message and "本次的台账未导入" in message
    assert LoadSuperseded.http_status == 409 and isinstance(outcome["a"], WorkspaceError)
    assert ws.current() == b
    assert [v.id for v in ws.versions()] == [first.id, b.id]
    assert sorted(p.name for p in (ws.root / "versions").iterdir()) == [first.id, b.id]
    assert not list(ws.root.glob(".staging-*"))
    assert ws.read().equals(read_ledger(later, today=TODAY))


def test_the_later_start_finishing_last_wins_as_usual(tmp_path, ledger_file):
    ws = Workspace(tmp_path / "ws")
    a, b = ws.begin(), ws.begin()
    assert b.number == a.number + 1
    led = read_ledger(ledger_file, today=TODAY)
    kw = {"source": ledger_file, "checksum": "x"}
    older = ws.save(led, now=dt.datetime(2026, 11, 1, 9), started=a, **kw)
    newer = ws.save(led, now=dt.datetime(2026, 11, 1, 10), started=b, **kw)
    assert ws.current() == newer and [v.id for v in ws.versions()] == [older.id, newer.id]


def test_a_later_load_that_fails_does_not_block_the_earlier_one(tmp_path, ledger_file):
    ws = Workspace(tmp_path / "ws")
    earlier = ws.begin()
    ws.begin()  # a later load that starts and then fails its check: it never saves
    led = read_ledger(ledger_file, today=TODAY)
    info = ws.save(led, source=ledger_file, checksum="x", started=earlier)
    assert ws.current() == info


def test_start_numbers_grow_across_processes(tmp_path):
    """Each process's Workspace object draws from the same counter, under its lock."""
    ws = Workspace(tmp_path / "ws")
    script = textwrap.dedent(
        f"""
        from graph.store.workspace import Workspace
        ws = Workspace({str(ws.root)!r})
        print(" ".join(str(ws.begin().number) for _ in range(50)))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE)
        for _ in range(4)
    ]
    numbers = [int(n) for proc in procs for n in proc.communicate(timeout=60)[0].split()]
    assert sorted(numbers) == list(range(1, 201))  # no number given twice
    assert ws.begin().number == 201


def test_the_first_started_load_finishing_last_in_two_processes(tmp_path, ledger_file):
    """The same with two real ``liangxin``-like processes: A starts and waits for a signal
    file before saving; B starts after A and saves; A then finishes and is refused."""
    import time

    ws = Workspace(tmp_path / "ws")
    later = _other_ledger(tmp_path)
    go, a_ready = tmp_path / "go", tmp_path / "a-ready"
    script = textwrap.dedent(
        """
        import datetime as dt, sys, time
        from pathlib import Path
        from graph.store.workspace import LoadSuperseded, Workspace
        from loaders import read_ledger
        root, path, wait_for, ready = sys.argv[1:5]
        ws = Workspace(root)
        started = ws.begin()
        ledger = read_ledger(path, today=dt.date(2026, 11, 1))
        if ready != "-":
            Path(ready).touch()
        while wait_for != "-" and not Path(wait_for).exists():
            time.sleep(0.02)
        try:
            info = ws.save(ledger, source=Path(path), checksum=path, started=started)
        except LoadSuperseded as exc:
            print("refused", exc.message)
        else:
            print("saved", info.id)
        """
    )

    def start(path: Path, wait_for: str, ready: str) -> subprocess.Popen:
        argv = [sys.executable, "-c", script, str(ws.root), str(path), wait_for, ready]
        return subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)

    proc_a = start(ledger_file, str(go), str(a_ready))
    deadline = time.monotonic() + 60
    while not a_ready.exists():
        assert proc_a.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc_b = start(later, "-", "-")
    out_b = proc_b.communicate(timeout=60)[0].split()
    go.touch()
    out_a = proc_a.communicate(timeout=60)[0]
    assert out_b[0] == "saved" and out_a.startswith("refused") and "未导入" in out_a
    assert ws.current().id == out_b[1] and len(ws.versions()) == 1
    assert ws.read().equals(read_ledger(later, today=TODAY))
