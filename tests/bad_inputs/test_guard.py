"""The guarded child: whatever happens inside, the caller gets a Chinese LedgerUnreadable."""

from __future__ import annotations

import pytest

from graph.errors import LedgerTooLarge, LedgerUnreadable
from loaders.guard import check_untrusted, run_isolated
from tests.bad_inputs import builders as b
from tests.bad_inputs import children
from tests.tinyledger import tiny, write_xlsx


def test_calamine_abort_is_a_clean_error(tmp_path):
    """Without the scan calamine aborts on the far cell (Rust allocation failure): the child
    dies, the caller lives and says so."""
    path = b.edited_xlsx(b.at("组织", "XFD1048576", 1))(tmp_path)
    with pytest.raises(LedgerTooLarge, match="异常退出"):
        run_isolated(children.calamine_unguarded, (str(path),), name=path.name)


def test_abort_is_a_clean_error():
    with pytest.raises(LedgerTooLarge, match="异常退出（内存分配失败）"):
        run_isolated(children.abort, ())


def test_time_limit():
    with pytest.raises(LedgerTooLarge, match="秒仍未完成"):
        run_isolated(children.sleep, (30,), seconds=0.5)


def test_memory_limit():
    with pytest.raises(LedgerTooLarge, match="内存超过了上限"):
        run_isolated(children.allocate, (64,), memory=4 << 30)


def test_a_reader_defect_is_not_a_traceback():
    with pytest.raises(LedgerUnreadable, match="程序未能处理") as info:
        run_isolated(children.fail, ())
    assert "Traceback" not in info.value.message


def test_progress_and_result_come_back(tmp_path):
    seen: list[str] = []
    ledger, issues = check_untrusted(write_xlsx(tiny(), tmp_path / "t.xlsx"), progress=seen.append)
    assert ledger.counts()["organizations"] == 5
    assert [i for i in issues if i.is_error] == []
    assert "组织" in seen


def test_guarded_far_cell_names_the_cell(tmp_path):
    path = b.edited_xlsx(b.at("组织", "XFD1048576", 1))(tmp_path)
    with pytest.raises(LedgerTooLarge, match="XFD1048576"):
        check_untrusted(path)


@pytest.mark.parametrize("command", ["coverage", "plan", "summary"])
def test_analysis_commands_read_a_ledger_file_through_the_guard(tmp_path, monkeypatch, command):
    """`--ledger` on the analysis commands (and so `liangxin serve --ledger`) reads through the
    same guarded child as check and load; the far-cell workbook is a clean rc 2 naming the cell."""
    from click.testing import CliRunner

    from api import sources
    from api.cli import app

    guarded = []
    real = sources.check_untrusted

    def recording(path, **options):
        guarded.append(path)
        return real(path, **options)

    monkeypatch.setattr(sources, "check_untrusted", recording)
    path = b.edited_xlsx(b.at("组织", "XFD1048576", 1))(tmp_path)
    result = CliRunner().invoke(app, [command, "--ledger", str(path)], prog_name="liangxin")
    assert result.exit_code == 2, result.output
    assert "XFD1048576" in result.output and "Traceback" not in result.output
    good = write_xlsx(tiny(), tmp_path / "t.xlsx")
    ok = CliRunner().invoke(app, [command, "--ledger", str(good)], prog_name="liangxin")
    assert ok.exit_code == 0, ok.output
    assert [str(p) for p in guarded] == [str(path), str(good)]
