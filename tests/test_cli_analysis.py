"""The analysis commands in process: shared options, formats, and one check per command."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from api.cli import app
from tests.tinyledger import O4, tiny, write_xlsx


@pytest.fixture
def ledger(tmp_path):
    return write_xlsx(tiny(), tmp_path / "tiny.xlsx")


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("LIANGXIN_HOME", str(tmp_path / "ws"))
    runner = CliRunner()

    def invoke(*args: object):
        result = runner.invoke(app, [str(a) for a in args], prog_name="liangxin")
        return result

    return invoke


def test_coverage_json_and_scope(run, ledger):
    result = run("coverage", "--ledger", ledger, "-f", "json")
    assert result.exit_code == 0, result.output
    rows = {r["kind"]: r for r in json.loads(result.stdout)}
    assert rows["非公企业"]["org_rate"] == 66.67 and rows["社会组织"]["org_rate"] == 100.0
    scoped = run("coverage", "--ledger", ledger, "-f", "json", "--min-employees-enterprise", 21)
    assert {r["kind"]: r for r in json.loads(scoped.stdout)}["非公企业"]["total"] == 2


def test_coverage_by_street_table_and_csv(run, ledger):
    table = run("coverage", "--ledger", ledger, "--by", "street")
    assert table.exit_code == 0
    assert "马坡岭街道" in table.output and "组织覆盖率%" in table.output
    rows = list(
        csv.DictReader(
            io.StringIO(run("coverage", "-l", ledger, "--by", "street", "-f", "csv").stdout)
        )
    )
    assert rows[0]["group"] == "S2" and rows[0]["org_rate"] == "0.0"


def test_coverage_on_the_workspace(run, ledger):
    assert run("load", ledger).exit_code == 0
    result = run("coverage", "-f", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 2


def test_flags_as_of_and_code_filter(run, ledger):
    result = run("flags", "-l", ledger, "--as-of", "2026-11-01", "-f", "json")
    found = {(r["code"], r["subject"]) for r in json.loads(result.stdout)}
    assert ("big_without_members", O4) in found and ("overdue_election", "PO-A") in found
    # On 2025-06-01 PO-A's term (to 2025-07-01) is only due soon.
    early = run(
        "flags", "-l", ledger, "--as-of", "2025-06-01", "-f", "json", "--code", "election_due_soon"
    )
    assert [(r["code"], r["subject"]) for r in json.loads(early.stdout)] == [
        ("election_due_soon", "PO-A")
    ]
    bad = run("flags", "-l", ledger, "--code", "nonsense")
    assert bad.exit_code == 2 and "未知的问题代码" in bad.output


def test_clusters_partners_leads(run, ledger):
    found = json.loads(run("clusters", "-l", ledger, "-f", "json").stdout)
    # Only O4 丁 is uncovered and operating: one street-level cluster in S2, not feasible.
    assert [(c["members"], c["feasible"]) for c in found] == [([O4], False)]
    assert run("clusters", "-l", ledger, "--feasible", "-f", "json").stdout.strip() == "[]"
    result = run("partners", O4.lower(), "-l", ledger, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["subject"]["uscc"] == O4
    missing = run("partners", "91430100MA000000XX", "-l", ledger)
    assert missing.exit_code == 1 and "找不到" in missing.output
    leads = run("leads", "-l", ledger, "-f", "json")
    assert leads.exit_code == 0 and isinstance(json.loads(leads.stdout), list)
    assert run("leads", "-l", ledger, "--chain", "NOPE").exit_code == 1


def test_plan_json_and_csv(run, ledger):
    data = json.loads(run("plan", "-l", ledger, "-f", "json").stdout)
    # O4 丁 (60 staff, no member) is the only uncovered one: an instructor, no group.
    assert [i["uscc"] for i in data["instructors"]] == [O4]
    assert data["groups"] == [] and data["attachments"] == [] and data["standalone"] == []
    rates = {r["kind"]: r for r in data["rates"]}
    assert rates["非公企业"]["org_rate_now"] == rates["非公企业"]["org_rate_after"] == 66.67
    rows = list(csv.DictReader(io.StringIO(run("plan", "-l", ledger, "-f", "csv").stdout)))
    assert [(r["uscc"], r["outcome"]) for r in rows] == [(O4, "instructor")]
    assert "方案实施前后的覆盖率" in run("plan", "-l", ledger).output


def test_diff_between_two_loaded_versions(run, tmp_path, ledger):
    assert run("load", ledger).exit_code == 0
    later = tiny()
    later["组织"][1].pop("覆盖党组织编码")  # O2 loses its joint branch
    assert run("load", write_xlsx(later, tmp_path / "later.xlsx")).exit_code == 0
    result = run("diff", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    from tests.tinyledger import O2

    assert [r["uscc"] for r in data["newly_uncovered"]] == [O2]
    head = {r["kind"]: r for r in data["headline"]}
    assert head["非公企业"]["org_rate_then"] == 66.67 and head["非公企业"]["org_rate_now"] == 33.33
    assert "新出现的未覆盖组织（1 个）" in run("diff").output
    only_one = run("diff", "--from", "nonexistent")
    assert only_one.exit_code == 1 and "找不到版本" in only_one.output


def test_diff_lists_moves_and_scope_changes_as_of_a_day(run, tmp_path, ledger):
    """O2 moved street, O4 is 注销, O5 is 正常 again: each in its table, in every format; the
    date judged is taken like every other analysis command's."""
    from tests.test_diff import tiny_next_month
    from tests.tinyledger import O2, O5

    assert run("load", ledger).exit_code == 0
    assert run("load", write_xlsx(tiny_next_month(), tmp_path / "later.xlsx")).exit_code == 0
    result = run("diff", "-f", "json", "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [moved] = data["moved"]
    assert (moved["uscc"], moved["street_then_name"], moved["street_now_name"]) == (
        O2,
        "东湖街道",
        "马坡岭街道",
    )
    assert moved["reason"] == "街道：东湖街道 → 马坡岭街道；楼宇：东湖大厦 → 马坡岭产业园"
    [left] = data["left_scope"]
    assert (left["uscc"], left["cause"], left["status_now"]) == (O4, "status", "注销")
    [entered] = data["entered_scope"]
    assert (entered["uscc"], entered["cause"], entered["street"]) == (O5, "status", "S3")
    s2 = {(r["group"], r["kind"]): r for r in data["streets"]}[("S2", "非公企业")]
    # 马坡岭街道: then O4 uncovered (0 of 1); now O2, covered by its joint branch (1 of 1).
    assert (s2["org_covered_then"], s2["total_then"], s2["org_covered_now"], s2["total_now"]) == (
        0,
        1,
        1,
        1,
    )
    table = run("diff", "--as-of", "2026-11-01").output
    assert "统计截至 2026-11-01" in table
    for title in ("迁移的组织（1 个）", "移出统计范围的组织（1 个）", "纳入统计范围的组织（1 个）"):
        assert title in table
    assert "经营状态由正常变为注销，不再纳入统计" in table
    rows = list(csv.DictReader(io.StringIO(run("diff", "-f", "csv", "--table", "moved").stdout)))
    assert [(r["uscc"], r["street_now"]) for r in rows] == [(O2, "S2")]
    rows = list(csv.DictReader(io.StringIO(run("diff", "-f", "csv").stdout)))
    assert {r["scope"] for r in rows} == {"street", "chain"}  # the rates, as before
    assert run("diff", "--as-of", "2026-13-01").exit_code == 2


def test_chains_and_pairing(run, ledger):
    result = run("chains", "-l", ledger, "-f", "json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert report["chain"] == "C1" and report["park_committee"]["code"] == "PO-PARK"
    assert "协会联盟" in report["sides_missing"]  # only 骨干企业 O1 and a 政府部门 sit on it
    rows = list(csv.DictReader(io.StringIO(run("chains", "-l", ledger, "-f", "csv").stdout)))
    assert ("C1", "committee_missing_side") in {(r["chain"], r["code"]) for r in rows}
    assert "工程机械（C1）" in run("chains", "-l", ledger).output
    assert run("chains", "-l", ledger, "--chain", "NOPE").exit_code == 1
    data = json.loads(run("pairing", "-l", ledger, "-f", "json").stdout)
    # PO-A (paired with PO-GOV) and PO-J (unpaired) cover organizations: 1 of 2 paired.
    assert (data["liangxin_orgs"], data["liangxin_paired"], data["paired_rate"]) == (2, 1, 50.0)
    assert {r["party_org"] for r in data["unpaired"]} == {"PO-J"}
    assert "结对建议" in run("pairing", "-l", ledger).output


@pytest.fixture(scope="module")
def sample_workspace(tmp_path_factory):
    """The 3,000-organization sample city, loaded twice (two versions) into a workspace."""
    root = tmp_path_factory.mktemp("sample")
    runner = CliRunner()
    env = {"LIANGXIN_HOME": str(root / "ws")}
    city = root / "city.xlsx"
    assert runner.invoke(app, ["sample", str(city)], env=env).exit_code == 0
    assert runner.invoke(app, ["load", str(city)], env=env).exit_code == 0
    assert runner.invoke(app, ["load", str(city), "--force"], env=env).exit_code == 0

    def invoke(*args: object):
        result = runner.invoke(
            app, [str(a) for a in args] + ["-f", "json"], env=env, prog_name="liangxin"
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke


def test_every_command_finds_the_planted_gaps(sample_workspace):
    run = sample_workspace
    rates = {r["kind"]: r["org_rate"] for r in run("coverage", "--as-of", "2026-11-01")}
    assert abs(rates["非公企业"] - 90) < 3 and abs(rates["社会组织"] - 95) < 3
    codes = {r["code"] for r in run("flags", "--as-of", "2026-11-01")}
    assert codes == {
        "standalone_eligible",
        "oversized_joint",
        "big_without_members",
        "weak_lax",
        "overdue_election",
        "election_due_soon",
        "unpaired",
    }
    found = run("clusters")
    building = [c for c in found if c["feasible"] and c["mode"] == "楼宇共建"]
    assert building, "planted building clusters"
    assert run("partners", building[0]["members"][0])["rows"]
    assert {r["chain"] for r in run("leads")} >= {"CYL01", "CYL02", "CYL03"}
    chain_codes = {f["code"] for report in run("chains") for f in report["findings"]}
    assert chain_codes >= {
        "chain_without_committee",
        "committee_without_parent",
        "committee_missing_side",
        "enterprise_po_detached",
        "segment_uncovered",
        "segment_single_point",
        "single_point_of_failure",
        "weak_lax",
    }
    assert run("pairing")["paired_rate"] < 50
    planned = {r["kind"]: r for r in run("plan")["rates"]}
    assert planned["非公企业"]["org_rate_after"] > planned["非公企业"]["org_rate_now"]
    same = run("diff")
    assert same["added"] == [] and same["newly_uncovered"] == []


# ---------------------------------------------------------------------------------------------
# Values printed literally (issue 12, item 3): Rich markup, emoji codes and paths in a ledger

MARKED = {
    # codes
    "PO-J": "PO-[/b]J",
    "C1": "C[/]1",
    "S2": "S[link=http://x]2[/link]",
    "B1": "B[red]1",
    # names
    "甲工程机械有限公司": "甲[/]工程机械",
    "乙科技有限公司": "乙[/b]科技",
    "丁物流有限公司": "丁[red]物流",
    "东湖街道": "东湖[/]街道",
    "马坡岭街道": "马坡岭[/b]街道",
    "东湖大厦": "东湖[red]大厦",
    "工程机械": "工程[red]机械",
    "关键零部件": "关键[/b]零部件",
    "东湖大厦联合党支部": "东湖[link=http://x]联合[/link]支部",
    "工程机械产业链党委": "工程机械产业链[link=http://x]党委[/link]",
    "甲公司党支部": "甲:smile:党支部",
}
"""Codes and names of the tiny ledger → the same with Rich markup (closing tags that close
nothing, a hyperlink, a colour) or an emoji code in them."""


def _replaced(sheets, mapping):
    """``sheets`` with every cell equal to a key of ``mapping`` replaced by its value."""
    return {
        name: [
            {k: mapping.get(v, v) if isinstance(v, str) else v for k, v in row.items()}
            for row in rows
        ]
        for name, rows in sheets.items()
    }


@pytest.fixture
def marked(tmp_path, monkeypatch):
    """A workspace and a ledger folder whose paths contain markup, the marked ledger loaded
    and then a marked next month's ledger loaded (two versions, for diff)."""
    from tests.test_diff import tiny_next_month

    folder = tmp_path / "[red]台账[/b]"  # two folders, "[red]台账[" and "b]"
    folder.mkdir(parents=True)
    ledger = write_xlsx(_replaced(tiny(), MARKED), folder / "tiny.xlsx")
    later = write_xlsx(_replaced(tiny_next_month(), MARKED), folder / "later.xlsx")
    workspace = tmp_path / "[link=http:x]ws[/link]"
    monkeypatch.setenv("LIANGXIN_HOME", str(workspace))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("LIANGXIN_DEBUG", raising=False)
    return {"ledger": ledger, "later": later, "workspace": workspace}


@pytest.fixture(params=[False, True], ids=["piped", "terminal"])
def terminal(request, monkeypatch):
    """Output piped, or to a colour terminal (Rich would emit styles and hyperlinks there)."""
    from api.cli import console

    if request.param:
        monkeypatch.setattr(
            console,
            "out",
            console.make_console(
                force_terminal=True, color_system="truecolor", soft_wrap=True, width=200
            ),
        )
        monkeypatch.setattr(
            console,
            "err",
            console.make_console(force_terminal=True, color_system="truecolor", soft_wrap=True),
        )
    return request.param


def _printed_literally(result, texts, terminal):
    """No traceback, no hyperlink, every one of ``texts`` shown exactly as written."""
    assert result.exc_info is None or result.exc_info[0] is SystemExit, result.exc_info
    out = result.output
    assert "Traceback" not in out and "内部错误" not in out, out
    assert "\x1b]8" not in out  # no OSC 8 hyperlink
    for text in texts:
        assert text in out, (text, out)
    assert ("\x1b[" in out) is terminal  # the terminal run really had colours


MARKED_IN_TABLES = [
    (("coverage", "--by", "street"), ["马坡岭[/b]街道", "S[link=http://x]2[/link]", "东湖[/]街道"]),
    (("coverage", "--by", "building"), ["东湖[red]大厦", "B[red]1"]),
    (("coverage", "--by", "chain"), ["工程[red]机械", "C[/]1"]),
    (("coverage", "--by", "segment"), ["关键[/b]零部件"]),
    (
        ("flags", "--as-of", "2026-11-01"),
        ["丁[red]物流", "PO-[/b]J", "东湖[link=http://x]联合[/link]支部", "甲:smile:党支部"],
    ),
    (("clusters",), ["丁[red]物流", "马坡岭[/b]街道"]),
    (("partners", O4), ["“丁[red]物流”没有正式党员"]),  # the note
    (("partners", "{O2}"), ["丁[red]物流"]),  # the table
    (("leads",), ["工程[red]机械", "甲[/]工程机械"]),
    (
        ("chains",),
        ["工程[red]机械（C[/]1）", "关键[/b]零部件", "工程机械产业链[link=http://x]党委[/link]"],
    ),
    (("pairing",), ["东湖[link=http://x]联合[/link]支部"]),
    (("plan",), ["丁[red]物流", "马坡岭[/b]街道"]),
]


@pytest.mark.parametrize(("args", "texts"), MARKED_IN_TABLES, ids=lambda a: " ".join(a)[:20])
def test_analysis_tables_show_markup_literally(run, marked, terminal, args, texts):
    from tests.tinyledger import O2

    args = tuple(O2 if a == "{O2}" else a for a in args)
    assert run("load", marked["ledger"]).exit_code == 0
    for source in (("-l", marked["ledger"]), ()):  # a ledger file, the workspace
        result = run(*args, *source)
        assert result.exit_code == 0, result.output
        _printed_literally(result, [*texts, str(marked["ledger"])], terminal)


def test_diff_summary_status_versions_show_markup_literally(run, marked, terminal):
    assert run("load", marked["ledger"]).exit_code == 0
    assert run("load", marked["later"]).exit_code == 0
    result = run("diff", "--as-of", "2026-11-01")
    assert result.exit_code == 0
    _printed_literally(result, ["乙[/b]科技", "东湖[/]街道", "马坡岭[/b]街道"], terminal)
    for args in (("summary",), ("summary", "-l", marked["ledger"]), ("status",), ("versions",)):
        result = run(*args)
        assert result.exit_code == 0, result.output
        path = marked["later"] if args in (("summary",), ("status",)) else marked["ledger"]
        _printed_literally(result, [str(path)], terminal)
    _printed_literally(run("status"), [str(marked["workspace"])], terminal)


def test_check_and_load_show_markup_literally(run, marked, terminal):
    """The issue table (values, messages), the path of a missing file, the workspace folder
    that an invalid load leaves as it was, and the folder a load went to."""
    bad = tiny()
    bad["组织"][3]["所在街道编码"] = "S[link=http://x]9[/link]"
    bad["组织"][1]["所在楼宇编码"] = "[/]"
    bad["组织"][0]["组织名称"] = "[red]甲"
    bad_ledger = write_xlsx(bad, marked["ledger"].parent / "bad.xlsx")
    result = run("check", bad_ledger)
    assert result.exit_code == 1
    _printed_literally(result, ["S[link=http://x]9[/link]", "[/]", "台账无效"], terminal)
    result = run("check", marked["ledger"].parent / "[/]缺少.xlsx")
    assert result.exit_code == 2
    _printed_literally(result, ["[/]缺少.xlsx", "错误："], terminal)
    result = run("load", bad_ledger)
    assert result.exit_code == 1
    _printed_literally(result, ["S[link=http://x]9[/link]", str(marked["workspace"])], terminal)
    result = run("load", marked["ledger"])
    assert result.exit_code == 0
    _printed_literally(result, ["已导入", str(marked["workspace"])], terminal)
    result = run("check", marked["ledger"])
    assert result.exit_code == 0
    _printed_literally(result, ["台账有效"], terminal)


def test_control_characters_are_shown_not_sent_to_the_terminal(monkeypatch, capsys):
    """An ESC in a value (a CSV can hold one) cannot start an escape sequence."""
    from api.cli import console

    monkeypatch.setattr(console, "out", console.make_console(force_terminal=True, width=200))
    link = "\x1b]8;;http://x\x1b\\点我\x1b]8;;\x1b\\"
    console.print_rows([(link, "\x9b2J")], ["名称", "值"], title=f"标题{link}")
    console.say(("注意：", "red"), link)
    console.out.print(f"数据来源：{link}")
    shown = capsys.readouterr().out
    assert "\x1b]8" not in shown and "\x9b" not in shown
    assert shown.count("\\x1b]8;;http://x\\x1b\\点我") == 4 and "\\x9b2J" in shown


# ---------------------------------------------------------------------------------------------
# CSV formula injection (issue 12, item 7)

FORMULAS = {
    "丁物流有限公司": '=HYPERLINK("http://x","丁")',
    "甲工程机械有限公司": "+甲工程机械",
    "乙科技有限公司": "-乙科技",
    "丙社会工作服务中心": "@丙中心",
    "马坡岭街道": "=马坡岭街道",
    "东湖大厦联合党支部": "@联合支部",
    "工程机械": "-工程机械",
    "关键零部件": "=关键零部件",
    "S2": "=S2",
    "I1": "@I1",
}
"""Names and codes of the tiny ledger → text a spreadsheet would run as a formula."""


@pytest.fixture
def formulas(run, tmp_path):
    """The tiny ledger with formula-like names and codes, loaded twice (this month, next)."""
    from tests.test_diff import tiny_next_month

    ledger = write_xlsx(_replaced(tiny(), FORMULAS), tmp_path / "formulas.xlsx")
    later = write_xlsx(_replaced(tiny_next_month(), FORMULAS), tmp_path / "later.xlsx")
    assert run("load", ledger).exit_code == 0
    assert run("load", later).exit_code == 0
    return ledger


def _cells(text):
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _strings(data):
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [data] if isinstance(data, str) else []


def _number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


FORMULAS_IN_CSV = [
    (("coverage", "--by", "street"), ["=马坡岭街道", "=S2"]),
    (("flags", "--as-of", "2026-11-01"), ['=HYPERLINK("http://x","丁")', "@联合支部"]),
    (("clusters",), ['=HYPERLINK("http://x","丁")', "=马坡岭街道"]),
    (("partners", "{O2}"), ['=HYPERLINK("http://x","丁")']),
    (("leads",), ["+甲工程机械", "-工程机械", "=关键零部件"]),
    (("chains",), ["-工程机械", "=关键零部件"]),
    (("pairing",), ["@联合支部"]),
    (("plan",), ["@I1"]),
    (("diff", "--table", "moved"), ["-乙科技"]),
    (("diff", "--table", "newly_uncovered"), []),
    (("diff", "--table", "left_scope"), ['=HYPERLINK("http://x","丁")']),
    (("diff",), ["=马坡岭街道", "-工程机械"]),
    (("summary",), []),  # kinds and counts only: nothing from the ledger's text
]


@pytest.mark.parametrize(("args", "raw"), FORMULAS_IN_CSV, ids=lambda a: " ".join(a)[:24])
def test_csv_output_neutralises_formulas_and_json_keeps_them(run, formulas, args, raw):
    """Every ``--format csv``: a text cell starting with = + - @ (or tab, CR) gets a leading
    ' (OWASP), numbers keep their sign; the same command's JSON keeps the raw value."""
    from tests.tinyledger import O2

    args = tuple(O2 if a == "{O2}" else a for a in args)
    extra = ("--as-of", "2026-11-01") if args[0] == "diff" else ()
    # A ledger file, and this month's version of the workspace (next month's is current).
    for source in (("-l", formulas), ("-v", "previous")) if args[0] != "diff" else ((),):
        result = run(*args, *source, *extra, "-f", "csv")
        assert result.exit_code == 0, result.output
        cells = _cells(result.stdout)
        risky = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert all(_number(c) for c in risky), risky
        for value in raw:
            assert "'" + value in cells, (value, result.stdout)
        if "--table" in args:
            continue
        data = json.loads(run(*args, *source, *extra, "-f", "json").stdout)
        for value in raw:
            assert value in _strings(data), value


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+86 731", "'+86 731"),
        ("-乙", "'-乙"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("甲=乙", "甲=乙"),
        ("'=1", "'=1"),
        (-3.5, -3.5),
        (-2, -2),
        (None, None),
    ],
)
def test_csv_safe(value, written):
    from api.cli.tables import csv_safe

    assert csv_safe(value) == written
