"""The command line, in process (CliRunner), on small ledgers written to tmp_path."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from api.cli import app
from tests.tinyledger import tiny, write_csv, write_xlsx


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path / "ws"))
    monkeypatch.delenv("LIANGXIN_DEBUG", raising=False)
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(app, [str(a) for a in args], prog_name="liangxin")

    return invoke


def _bad_ledger(tmp_path):
    sheets = tiny()
    sheets["组织"][1]["正式党员数"] = 30  # O2 has 20 staff
    return write_xlsx(sheets, tmp_path / "bad.xlsx")


def test_check_valid_ledger(run, tmp_path):
    result = run("check", write_xlsx(tiny(), tmp_path / "t.xlsx"))
    assert result.exit_code == 0, result.output
    assert "台账有效" in result.output
    assert "组织 5 个" in result.output


def test_check_invalid_ledger_names_sheet_row_and_column(run, tmp_path):
    result = run("check", _bad_ledger(tmp_path))
    assert result.exit_code == 1
    assert "台账无效" in result.output
    for text in ("组织", "3", "正式党员数", "超过了从业人员数"):
        assert text in result.output


def test_check_json(run, tmp_path):
    result = run("check", _bad_ledger(tmp_path), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["errors"] == 1
    (issue,) = [i for i in data["issues"] if i["severity"] == "error"]
    assert issue == {
        "severity": "error",
        "code": "members_exceed_employees",
        "sheet": "组织",
        "row": 3,
        "column": "正式党员数",
        "value": "30",
        "message": issue["message"],
    }


@pytest.mark.parametrize("name", ["fake.xlsx", "notes.txt"])
def test_check_unreadable_file_exits_2_without_traceback(run, tmp_path, name):
    path = tmp_path / name
    path.write_text("这不是台账", encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert name in result.output


def test_usage_errors_are_chinese(run):
    result = run("check")
    assert result.exit_code == 2
    assert "缺少参数" in result.output and "用法" in result.output
    result = run("check", "x.xlsx", "--format", "xml")
    assert "取值无效" in result.output


def test_load_status_versions(run, tmp_path):
    ledger = write_csv(tiny(), tmp_path / "csv", encoding="gb18030")
    result = run("load", ledger)
    assert result.exit_code == 0, result.output
    assert "已导入" in result.output
    status = run("status", "--format", "json")
    data = json.loads(status.stdout)
    assert data["counts"]["organizations"] == 5
    assert data["source"] == str(ledger.resolve())
    assert len(data["checksum"]) == 64
    again = run("load", ledger)
    assert "完全相同" in again.output
    assert len(json.loads(run("versions", "--format", "json").stdout)) == 1
    assert run("load", ledger, "--force").exit_code == 0
    listed = json.loads(run("versions", "--format", "json").stdout)
    assert [v["current"] for v in listed] == [False, True]
    text = run("versions")
    assert "当前版本" in text.output


def test_invalid_load_changes_nothing(run, tmp_path):
    good = write_xlsx(tiny(), tmp_path / "good.xlsx")
    assert run("load", good).exit_code == 0
    before = run("status", "--format", "json").stdout
    result = run("load", _bad_ledger(tmp_path))
    assert result.exit_code == 1
    assert "未导入" in result.output
    assert run("status", "--format", "json").stdout == before


def test_status_without_workspace_says_what_to_do(run):
    result = run("status")
    assert result.exit_code == 1
    assert "liangxin load" in result.output


def test_summary_on_ledger_file(run, tmp_path):
    result = run("summary", "--ledger", write_xlsx(tiny(), tmp_path / "t.xlsx"), "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    kinds = {row["kind"]: row for row in data["organizations"]}
    # 非公企业: O1, O2, O4 operating (O5 is a 僵尸企业); O1, O2 covered → 2/3.
    assert kinds["非公企业"]["listed"] == 4 and kinds["非公企业"]["total"] == 3
    assert kinds["非公企业"]["org_covered"] == 2
    assert kinds["社会组织"]["org_rate"] == 100.0
    nodes = {row["kind"]: row["count"] for row in data["nodes"]}
    assert nodes["Organization"] == 5 and nodes["PartyOrganization"] == 6


def test_python_dash_m_api_runs(tmp_path):
    env = {**os.environ, "LIANGXIN_HOME": str(tmp_path / "ws")}
    proc = subprocess.run(
        [sys.executable, "-m", "api", "--help"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0
    assert "两新图谱" in proc.stdout


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the CLI with stderr on a pseudo-terminal; return what the terminal showed."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "api", *args], stdout=subprocess.DEVNULL, stderr=follower, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("ci", [False, True])
def test_progress_shows_in_a_terminal_only(tmp_path, ci):
    ledger = write_xlsx(tiny(), tmp_path / "t.xlsx")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["LIANGXIN_HOME"] = str(tmp_path / "ws")
    if ci:
        env["CI"] = "true"
    shown = _run_in_terminal(["load", str(ledger)], env)
    assert ("写入工作区" in shown) is not ci


@pytest.mark.parametrize(
    ("name", "extra"), [("city.xlsx", []), ("city", ["--format", "csv", "--encoding", "gb18030"])]
)
def test_sample_then_check(run, tmp_path, name, extra):
    out = tmp_path / name
    result = run("sample", out, "--orgs", 300, "--seed", 7, *extra)
    assert result.exit_code == 0, result.output
    assert out.exists()
    checked = run("check", out)
    assert checked.exit_code == 0, checked.output
    assert "组织 300 个" in checked.output


def test_template_then_check(run, tmp_path):
    out = tmp_path / "模板.xlsx"
    assert run("template", out).exit_code == 0
    checked = run("check", out)
    assert checked.exit_code == 0
    assert "只有表头" in checked.output
    assert run("template", tmp_path / "模板.csv").exit_code == 1


def test_serve_takes_host_and_port_from_options_environment_or_env_file(run, tmp_path, monkeypatch):
    import uvicorn

    assert run("load", write_xlsx(tiny(), tmp_path / "tiny.xlsx")).exit_code == 0
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: served.append((host, port)))
    monkeypatch.chdir(tmp_path)
    assert run("serve").exit_code == 0
    (tmp_path / ".env").write_text("LIANGXIN_PORT=8123\n", encoding="utf-8")
    assert run("serve").exit_code == 0
    monkeypatch.setenv("LIANGXIN_HOST", "0.0.0.0")
    assert run("serve").exit_code == 0
    result = run("serve", "--host", "127.0.0.2", "--port", "9000")
    assert result.exit_code == 0 and "http://127.0.0.2:9000/" in result.output
    assert served == [
        ("127.0.0.1", 8000),
        ("127.0.0.1", 8123),
        ("0.0.0.0", 8123),
        ("127.0.0.2", 9000),
    ]


# ---------------------------------------------------------------------------------------------
# A full disk (issue 12, item 8): a Chinese error naming the folder, the previous version kept


def _fail_writes(monkeypatch, exc):
    from graph.store.workspace import Workspace

    def write_table(self, table, path):
        raise exc

    monkeypatch.setattr(Workspace, "_write_table", write_table)


@pytest.mark.parametrize(
    ("exc", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        # pyarrow puts the errno into the text only
        (OSError("Error writing bytes to file. Detail: [errno 28] No space left"), "磁盘空间不足"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "磁盘配额已用完"),
        (OSError(errno.EROFS, "Read-only file system"), "只读"),
        (PermissionError(errno.EACCES, "Permission denied"), "没有写入权限"),
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
    ids=["ENOSPC", "ENOSPC-in-text", "EDQUOT", "EROFS", "EACCES", "EIO"],
)
def test_a_failed_write_keeps_the_previous_version(run, tmp_path, monkeypatch, exc, said):
    good = write_xlsx(tiny(), tmp_path / "good.xlsx")
    assert run("load", good).exit_code == 0
    before = json.loads(run("status", "--format", "json").stdout)
    changed = tiny()
    changed["组织"][0]["组织名称"] = "甲新名称有限公司"
    _fail_writes(monkeypatch, exc)
    result = run("load", write_xlsx(changed, tmp_path / "changed.xlsx"))
    assert result.exit_code == 1, result.output
    out = result.output
    assert "Traceback" not in out and "内部错误" not in out
    assert said in out and str(tmp_path / "ws") in out and "新版本没有保存" in out
    assert f"当前版本仍是 {before['id']}" in out and "--workspace" in out
    monkeypatch.undo()  # writes work again: nothing of the failed load is left
    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path / "ws"))
    assert json.loads(run("status", "--format", "json").stdout) == before
    assert len(json.loads(run("versions", "--format", "json").stdout)) == 1
    assert not list((tmp_path / "ws").glob(".staging-*"))
    assert [p.name for p in (tmp_path / "ws" / "versions").iterdir()] == [before["id"]]


def test_a_full_disk_at_the_first_load_leaves_no_version(run, tmp_path, monkeypatch):
    _fail_writes(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    result = run("load", write_xlsx(tiny(), tmp_path / "t.xlsx"))
    assert result.exit_code == 1
    assert "磁盘空间不足" in result.output and "还没有导入过的版本" in result.output
    assert run("status").exit_code == 1  # still no version


def test_a_workspace_that_cannot_be_locked_for_writing(run, tmp_path, monkeypatch):
    """The lock file cannot be opened (a read-only folder): the same Chinese error."""
    from pathlib import Path

    opened = Path.open

    def refuse_lock(self, *args, **kwargs):
        if self.name == ".lock":
            raise OSError(errno.EROFS, "Read-only file system")
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse_lock)
    result = run("load", write_xlsx(tiny(), tmp_path / "t.xlsx"))
    assert result.exit_code == 1, result.output
    assert "只读" in result.output and "内部错误" not in result.output


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MiB tmpfs (needs root and mount rights; skipped elsewhere)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode(errors='replace')}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_really_full_disk_keeps_the_previous_version(run, tmp_path, tiny_disk):
    workspace = tiny_disk / "ws"
    good = write_xlsx(tiny(), tmp_path / "good.xlsx")
    assert run("load", good, "--workspace", workspace).exit_code == 0
    before = run("status", "--workspace", workspace, "--format", "json").stdout
    # Fill the disk to the last block.
    with contextlib.suppress(OSError), (tiny_disk / "filler").open("wb", buffering=0) as fh:
        while True:
            fh.write(b"\0" * 4096)
    result = run("load", good, "--force", "--workspace", workspace)
    assert result.exit_code == 1, result.output
    assert "磁盘空间不足" in result.output and "内部错误" not in result.output
    assert run("status", "--workspace", workspace, "--format", "json").stdout == before


def test_a_report_on_a_full_disk_says_so_and_keeps_the_old_file(run, tmp_path, monkeypatch):
    from pathlib import Path

    ledger = write_xlsx(tiny(), tmp_path / "t.xlsx")
    out = tmp_path / "两个覆盖.html"
    out.write_text("上个月的报告", encoding="utf-8")

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    result = run("report", "coverage", "--ledger", ledger, "--out", out)
    assert result.exit_code == 1, result.output
    assert "磁盘空间不足" in result.output and str(out) in result.output
    assert "内部错误" not in result.output
    assert out.read_text(encoding="utf-8") == "上个月的报告"


def test_a_load_overtaken_by_a_later_one_is_refused(run, tmp_path, monkeypatch):
    """Issue 12 item 11: of two loads, the one started later becomes current. The first load
    is held in its check while a second starts, loads and finishes; the first then finishes
    last, is refused with a Chinese message and leaves the second's version current."""
    from api import sources

    first = write_xlsx(tiny(), tmp_path / "first.xlsx")
    changed = tiny()
    changed["组织"][0]["组织名称"] = "甲工程机械（第二次）"
    second = write_xlsx(changed, tmp_path / "second.xlsx")
    real_check = sources.check_untrusted
    calls = []

    def checked_while_another_loads(ledger, **kwargs):
        calls.append(ledger)
        if len(calls) == 1:  # the first load: a second one starts and finishes meanwhile
            assert run("load", second).exit_code == 0
        return real_check(ledger, **kwargs)

    monkeypatch.setattr(sources, "check_untrusted", checked_while_another_loads)
    result = run("load", first)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "未导入" in result.output
    status = json.loads(run("status", "--format", "json").stdout)
    assert status["source"] == str(second.resolve())
    assert len(json.loads(run("versions", "--format", "json").stdout)) == 1


@pytest.mark.parametrize("command", ["chains", "serve", "report", "load", "sample"])
def test_help_names_paths_in_chinese(run, command):
    """click names a path option's value when the option is built: the Chinese words must be
    installed before any command module builds one (路径 / 文件夹, never PATH / DIRECTORY)."""
    out = run(command, "--help").output
    assert "PATH" not in out and "DIRECTORY" not in out, out
    assert "路径" in out or "文件夹" in out or "文件" in out, out


def test_report_kinds_written_out_match_the_builders():
    from api.cli.report import KINDS
    from viz.reports.content import REPORT_KINDS

    assert tuple(REPORT_KINDS) == KINDS
