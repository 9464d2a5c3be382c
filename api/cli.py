"""The ``liangxin`` command line: check, load and inspect ledgers; write the template and sample.

Every message a planner reads is Chinese; errors are one clear message and a non-zero exit
code, never a traceback (set ``LIANGXIN_DEBUG=1`` to see one).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import click

from api import console
from api.i18n import install as install_chinese
from api.settings import Settings
from api.stores import StoreSpec, connect, parse_store
from graph.errors import LedgerInvalid, LiangxinError, WorkspaceError
from graph.issues import LedgerIssue
from graph.ledger import Ledger
from graph.model import SHEETS
from graph.store.workspace import Workspace, source_checksum

__all__ = ["app", "main"]

install_chinese()


class _Commands(click.Group):
    """Turns known errors into one Chinese message and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except LiangxinError as exc:
            console.say(("错误：", "red"), exc.message, stderr=True)
            ctx.exit(exc.exit_code)
        except Exception as exc:  # the last line of defence
            if os.environ.get("LIANGXIN_DEBUG"):
                raise
            console.say(
                ("内部错误：", "red"),
                f"{type(exc).__name__}: {exc}。"
                "这是程序的问题而不是您的操作问题；请把这条信息和所用台账发给维护人员"
                "（设置 LIANGXIN_DEBUG=1 可显示详细信息）。",
                stderr=True,
            )
            ctx.exit(3)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
def app() -> None:
    """两新图谱：读取两新组织台账，分析党的组织覆盖和工作覆盖，提出组建方案。"""


LEDGER_ARG = click.argument("ledger", type=click.Path(path_type=Path), metavar="台账")
WORKSPACE_OPT = click.option(
    "--workspace",
    "-w",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="LIANGXIN_HOME",
    help="工作区文件夹（默认 ./liangxin-data，或环境变量 LIANGXIN_HOME）",
)
LEDGER_OPT = click.option(
    "--ledger",
    "-l",
    type=click.Path(path_type=Path),
    help="直接分析这个台账文件，不使用工作区",
)
STORE_OPT = click.option(
    "--store",
    envvar="LIANGXIN_STORE",
    metavar="存储",
    help="workspace（默认，本机工作区）、neo4j（按 NEO4J_* 设置）、neo4j://用户@主机:7687/库 "
    "或 falkordb://主机:6379/图名；密码只从环境变量读取",
)
VERSION_OPT = click.option(
    "--version", "-v", "version", metavar="版本号", help="工作区中的版本号（默认当前版本）"
)


def format_opt(*choices: str) -> Callable:
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="输出格式",
    )


def _workspace(path: Path | None) -> Workspace:
    return Workspace(path or Settings().home)


def open_ledger(
    ledger: Path | None, workspace: Path | None, version: str | None, store: str | None = None
) -> tuple[Ledger, str]:
    """The ledger an analysis runs on: a file (--ledger), the shared graph store (--store), or
    a workspace version."""
    if ledger is not None:  # read in the guarded child, as check and load (loaders/guard.py)
        from loaders.guard import check_untrusted

        with console.progress("读取台账") as step:
            led, issues = check_untrusted(ledger, progress=step)
        if any(i.is_error for i in issues):
            raise LedgerInvalid(issues)
        return led, str(ledger)
    spec = parse_store(store)
    if spec.kind != "workspace":
        with console.progress(f"读取 {spec.label}"):
            return connect(spec).read(), spec.label
    ws = _workspace(workspace)
    info = ws.resolve(version)
    return ws.read(info.id), f"工作区版本 {info.id}（{info.source}）"


# ---------------------------------------------------------------------------------------------
# check / load / status / versions


@app.command()
@LEDGER_ARG
@format_opt("text", "json")
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="以哪天为“今天”检查日期（默认今天）"
)
def check(ledger: Path, fmt: str, today: dt.datetime | None) -> None:
    """检查台账是否符合格式，列出全部错误和提醒（不导入）。

    退出码：0 台账有效；1 有错误；2 文件无法读取。

    \b
    示例：liangxin check 台账.xlsx
          liangxin check 台账CSV文件夹 --format json
    """
    from loaders.guard import check_untrusted

    with console.progress("检查台账") as step:
        led, issues = check_untrusted(ledger, today=today.date() if today else None, progress=step)
    errors = [i for i in issues if i.is_error]
    if fmt == "json":
        console.print_json(
            {
                "valid": not errors,
                "errors": len(errors),
                "warnings": len(issues) - len(errors),
                "counts": led.counts(),
                "issues": [i.to_dict() for i in issues],
            }
        )
    else:
        _print_issues(issues)
        if errors:
            console.say(
                (f"台账无效：{len(errors)} 处错误，{len(issues) - len(errors)} 条提醒。", "red"),
                "请按上表逐条修改后重新检查。",
            )
        else:
            console.say(
                ("台账有效", "green"),
                f"：{_count_line(led)}。"
                + (f"另有 {len(issues)} 条提醒，请酌情核对。" if issues else ""),
            )
    click.get_current_context().exit(1 if errors else 0)


@app.command()
@LEDGER_ARG
@WORKSPACE_OPT
@STORE_OPT
@click.option("--force", is_flag=True, help="内容与当前版本相同时也新建版本")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="写入图数据库时每批的行数",
)
def load(
    ledger: Path, workspace: Path | None, store: str | None, force: bool, batch_size: int
) -> None:
    """检查并导入台账，保存为工作区中的一个新版本（按导入时间命名），或写入共享的图数据库。

    台账有错误时不导入，工作区或图数据库保持原样。写入图数据库时，数据库与台账完全一致：
    台账里已没有的组织和关系会被删除。

    \b
    示例：liangxin load 2026年11月台账.xlsx
          liangxin load 台账.xlsx --store neo4j://neo4j@localhost:7687/neo4j
    """
    spec = parse_store(store)
    if spec.kind != "workspace":
        _load_into_graph_store(ledger, spec, batch_size)
        return
    ws = _workspace(workspace)
    checksum = source_checksum(ledger) if ledger.exists() else ""
    current = ws.current() if ws.exists() else None
    if current and current.checksum == checksum and not force:
        console.out.print(
            f"台账内容与当前版本 {current.id} 完全相同，未新建版本（如需新建，加 --force）。"
        )
        return
    started = ws.begin()  # the load started later becomes current (docs/security.md)
    led, issues = _checked(ledger, f"工作区 {ws.root}")
    try:
        with console.progress("写入工作区", total=len(SHEETS)) as step:
            info = ws.save(
                led,
                source=ledger.resolve(),
                checksum=checksum,
                warnings=len(issues),
                progress=step,
                started=started,
            )
    except (OSError, WorkspaceError) as exc:
        cause = exc if isinstance(exc, OSError) else exc.__cause__
        if not isinstance(cause, OSError) or isinstance(cause, BlockingIOError):
            raise  # a load by another process, or a damaged workspace: its own message
        from api.errors import workspace_write_error

        raise workspace_write_error(cause, ws.root, current, how_to_move=MOVE_WORKSPACE) from exc
    if issues:
        console.out.print(f"有 {len(issues)} 条提醒（不影响导入），可用 liangxin check 查看。")
    console.say(("已导入", "green"), f"版本 {info.id}：{_count_line(led)}。工作区：{ws.root}")


MOVE_WORKSPACE = "换文件夹可用 --workspace 文件夹 或环境变量 LIANGXIN_HOME"


def _load_into_graph_store(ledger: Path, spec: StoreSpec, batch_size: int) -> None:
    led, _ = _checked(ledger, spec.label)
    store = connect(spec)
    with console.rows_progress(f"写入 {spec.label}") as step:
        store.ensure_schema()
        report = store.load(led, batch_size=batch_size, progress=step)
    console.say(
        ("已写入", "green"),
        f" {spec.label}：{_count_line(led)}；"
        f"{report.rows:,} 行，用时 {report.seconds:.1f} 秒"
        f"（每秒 {report.rows_per_second:,.0f} 行）。",
    )


def _checked(ledger: Path, target: str) -> tuple[Ledger, list[LedgerIssue]]:
    """The ledger and its warnings, for ``load``; with any error its issues are printed and
    LedgerInvalid says that ``target`` (the workspace or the store) is left as it was."""
    from loaders.guard import check_untrusted

    with console.progress("检查台账") as step:
        led, issues = check_untrusted(ledger, progress=step)
    if any(i.is_error for i in issues):
        _print_issues(issues)
        raise LedgerInvalid(issues, f"台账有错误，未导入；{target} 保持原样。")
    return led, issues


@app.command()
@WORKSPACE_OPT
@format_opt("text", "json")
def status(workspace: Path | None, fmt: str) -> None:
    """显示工作区的当前版本：来源文件、校验和、各表行数、导入时间。

    示例：liangxin status
    """
    from api.output import status_json

    ws = _workspace(workspace)
    if fmt == "json":
        console.print_json(status_json(ws))
        return
    info = ws.resolve(None)
    sheet_label = {s.key: s.label for s in SHEETS}
    console.print_rows(
        [
            ("工作区", str(ws.root)),
            ("当前版本", info.id),
            ("导入时间", info.loaded_at),
            ("来源", info.source),
            ("校验和（SHA-256）", info.checksum),
            ("提醒", str(info.warnings)),
            *((f"{sheet_label[k]}（行）", str(v)) for k, v in info.counts.items() if v),
        ],
        ["项目", "内容"],
        title="工作区状态",
    )


@app.command()
@WORKSPACE_OPT
@format_opt("text", "json")
def versions(workspace: Path | None, fmt: str) -> None:
    """列出工作区中导入过的全部版本（最新的在最后）。

    示例：liangxin versions
    """
    from api.output import versions_json

    ws = _workspace(workspace)
    if fmt == "json":
        console.print_json(versions_json(ws))
        return
    found = ws.versions()
    current = ws.current()
    if not found:
        console.out.print(f"工作区 {ws.root} 中还没有版本。请先运行：liangxin load 台账.xlsx")
        return
    console.print_rows(
        [
            (
                ("* " if current and v.id == current.id else "  ") + v.id,
                v.loaded_at,
                str(v.counts.get("organizations", 0)),
                str(v.counts.get("party_orgs", 0)),
                v.source,
                v.checksum[:12],
            )
            for v in found
        ],
        ["版本", "导入时间", "组织", "党组织", "来源", "校验和"],
        title="版本（* 为当前版本）",
    )


# ---------------------------------------------------------------------------------------------
# template / sample / summary


@app.command()
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False), metavar="模板.xlsx")
def template(out: Path) -> None:
    """写出空白台账模板：全部工作表、中文表头、下拉选项和“说明”页。

    示例：liangxin template 两新组织台账模板.xlsx
    """
    from loaders.template import write_template

    if out.suffix.lower() != ".xlsx":
        raise LiangxinError(f"模板只能写成 .xlsx 文件，请把 {out.name} 改为以 .xlsx 结尾。")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_template(out)
    console.out.print(f"已写出台账模板：{out}")


@app.command()
@click.argument("out", type=click.Path(path_type=Path), metavar="输出")
@click.option(
    "--orgs", "-n", type=click.IntRange(min=100), default=3000, show_default=True, help="组织数"
)
@click.option(
    "--seed", type=int, default=2022, show_default=True, help="随机种子（相同种子得到相同城市）"
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    help="xlsx 或 csv（默认按文件名判断：以 .xlsx 结尾为工作簿，否则为 CSV 文件夹）",
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8-sig", "utf-8", "gb18030"]),
    default="utf-8-sig",
    show_default=True,
    help="CSV 文件的编码",
)
def sample(out: Path, orgs: int, seed: int, fmt: str | None, encoding: str) -> None:
    """生成一个虚构的示例城市台账（可重复），用于试用和测试。

    示例：liangxin sample 示例城市.xlsx --orgs 3000 --seed 2022
    """
    from loaders.sample import write_sample

    fmt = fmt or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    with console.progress("生成示例城市"):
        write_sample(out, orgs=orgs, seed=seed, fmt=fmt, encoding=encoding)
    console.out.print(f"已写出示例城市（{orgs} 个组织，种子 {seed}）：{out}")


@app.command()
@LEDGER_OPT
@WORKSPACE_OPT
@VERSION_OPT
@format_opt("table", "json", "csv")
def summary(ledger: Path | None, workspace: Path | None, version: str | None, fmt: str) -> None:
    """概况：两类组织的数量和党组织覆盖，图谱中各类节点和关系的数量。

    示例：liangxin summary   或   liangxin summary --ledger 台账.xlsx
    """
    from api.output import emit, kind_overview, summary_json
    from graph.build import build_graph, graph_counts

    led, label = open_ledger(ledger, workspace, version)
    with console.progress("构建图谱"):
        graph = build_graph(led)
    if fmt == "json":
        console.print_json(summary_json(graph, label))
        return
    kinds = kind_overview(graph)
    if fmt == "csv":
        emit(kinds, "csv", {})  # cells that a spreadsheet would run as a formula neutralised
        return
    nodes, edges = graph_counts(graph)
    console.out.print(f"数据来源：{label}")
    console.print_table(
        kinds,
        {
            "kind": "组织类型",
            "listed": "台账组织数",
            "total": "正常经营",
            "org_covered": "党组织覆盖",
            "org_rate": "组织覆盖率%",
            "work_rate": "工作覆盖率%",
        },
        title="两类组织",
    )
    headings = {"label_zh": "类型", "kind": "英文名", "count": "数量"}
    console.print_table(nodes, headings, title="图谱节点")
    console.print_table(edges, headings, title="图谱关系")


# ---------------------------------------------------------------------------------------------
# Output helpers


def _count_line(led: Ledger) -> str:
    counts = led.counts()
    return (
        f"组织 {counts['organizations']} 个，党组织 {counts['party_orgs']} 个，"
        f"街道 {counts['streets']} 个"
    )


ISSUE_LIMIT = 200


def _print_issues(issues: list[LedgerIssue]) -> None:
    if not issues:
        return
    sheets = list(dict.fromkeys(i.sheet for i in issues))
    ordered = sorted(issues, key=lambda i: (not i.is_error, sheets.index(i.sheet), i.row or 0))
    shown = ordered[:ISSUE_LIMIT]
    console.print_rows(
        [
            (
                i.severity.label,
                i.sheet,
                "" if i.row is None else str(i.row),
                i.column or "",
                "" if i.value is None else str(i.value),
                i.message,
            )
            for i in shown
        ],
        ["级别", "工作表", "行", "列", "值", "说明"],
        title="台账问题",
    )
    if len(issues) > ISSUE_LIMIT:
        console.out.print(
            f"…… 共 {len(issues)} 条，只显示前 {ISSUE_LIMIT} 条。"
            "查看全部：liangxin check 台账 --format json"
        )


def main() -> None:
    """Console-script entry point (``liangxin``; ``python -m api`` too)."""
    app(prog_name="liangxin")


@app.command()
@WORKSPACE_OPT
@STORE_OPT
@LEDGER_OPT
@click.option("--host", help="监听地址（默认 127.0.0.1，或环境变量 LIANGXIN_HOST）")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    help="端口（默认 8000，或环境变量 LIANGXIN_PORT）",
)
def serve(
    workspace: Path | None,
    store: str | None,
    ledger: Path | None,
    host: str | None,
    port: int | None,
) -> None:
    """启动两新图谱网页应用（默认 http://127.0.0.1:8000），数据来自工作区、图数据库或台账文件。

    \\b
    示例：liangxin serve
          liangxin serve --store neo4j --host 0.0.0.0 --port 8080
    """
    import uvicorn

    from api.main import create_app

    parse_store(store)  # a bad --store is a usage error before anything starts
    settings = Settings()  # LIANGXIN_HOST / LIANGXIN_PORT from the environment or .env
    host, port = host or settings.host, port or settings.port
    application = create_app(workspace=workspace, store=store, ledger=ledger, host=host)
    console.out.print(f"两新图谱已启动：请用浏览器打开 http://{host}:{port}/ （按 Ctrl+C 停止）")
    uvicorn.run(application, host=host, port=port, log_level="warning")


from api import cli_analysis as _analysis_commands  # noqa: E402, F401  (registers the commands)
from api import cli_report as _report_command  # noqa: E402, F401  (registers `report`)
