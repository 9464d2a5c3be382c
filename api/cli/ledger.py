"""The ledger commands of ``liangxin``: check and load a ledger, the workspace's status and
versions, the blank template and the sample city."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from api import sources
from api.cli import console
from api.cli.options import LEDGER_ARG, STORE_OPT, WORKSPACE_OPT, format_opt
from api.cli.tables import count_line, print_issues
from api.payloads import status_json, versions_json
from api.stores import parse_store
from graph.errors import LedgerInvalid, LiangxinError
from graph.model import SHEETS
from loaders.guard import check_untrusted

__all__ = ["check", "load", "sample", "status", "template", "versions"]

T = TypeVar("T")


@click.command()
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
        print_issues(issues)
        if errors:
            console.say(
                (f"台账无效：{len(errors)} 处错误，{len(issues) - len(errors)} 条提醒。", "red"),
                "请按上表逐条修改后重新检查。",
            )
        else:
            console.say(
                ("台账有效", "green"),
                f"：{count_line(led)}。"
                + (f"另有 {len(issues)} 条提醒，请酌情核对。" if issues else ""),
            )
    click.get_current_context().exit(1 if errors else 0)


@click.command()
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
        led, report = _refused_printed(
            sources.load_into_store,
            ledger,
            spec,
            batch_size=batch_size,
            progress=console.progress,
            rows_progress=console.rows_progress,
        )
        console.say(
            ("已写入", "green"),
            f" {spec.label}：{count_line(led)}；"
            f"{report.rows:,} 行，用时 {report.seconds:.1f} 秒"
            f"（每秒 {report.rows_per_second:,.0f} 行）。",
        )
        return
    ws = sources.open_workspace(workspace)
    result = _refused_printed(
        sources.import_ledger,
        ws,
        ledger,
        source=ledger.resolve(),
        force=force,
        progress=console.progress,
        kept=f"工作区 {ws.root} 保持原样",
        advice="",
        write_error=lambda exc, current: sources.workspace_write_error(
            exc, ws.root, current, how_to_move=MOVE_WORKSPACE
        ),
    )
    if not result.created:
        console.out.print(
            f"台账内容与当前版本 {result.version.id} 完全相同，未新建版本（如需新建，加 --force）。"
        )
        return
    if result.warnings:
        console.out.print(
            f"有 {len(result.warnings)} 条提醒（不影响导入），可用 liangxin check 查看。"
        )
    console.say(
        ("已导入", "green"),
        f"版本 {result.version.id}：{count_line(result.ledger)}。工作区：{ws.root}",
    )


MOVE_WORKSPACE = "换文件夹可用 --workspace 文件夹 或环境变量 LIANGXIN_HOME"


def _refused_printed(run: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``run(*args, **kwargs)``; a ledger refused for its errors has them printed first."""
    try:
        return run(*args, **kwargs)
    except LedgerInvalid as exc:
        print_issues(exc.issues)
        raise


@click.command()
@WORKSPACE_OPT
@format_opt("text", "json")
def status(workspace: Path | None, fmt: str) -> None:
    """显示工作区的当前版本：来源文件、校验和、各表行数、导入时间。

    示例：liangxin status
    """
    ws = sources.open_workspace(workspace)
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


@click.command()
@WORKSPACE_OPT
@format_opt("text", "json")
def versions(workspace: Path | None, fmt: str) -> None:
    """列出工作区中导入过的全部版本（最新的在最后）。

    示例：liangxin versions
    """
    ws = sources.open_workspace(workspace)
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


@click.command()
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


@click.command()
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
def sample(
    out: Path, orgs: int, seed: int, fmt: Literal["xlsx", "csv"] | None, encoding: str
) -> None:
    """生成一个虚构的示例城市台账（可重复），用于试用和测试。

    示例：liangxin sample 示例城市.xlsx --orgs 3000 --seed 2022
    """
    from loaders.sample import write_sample

    fmt = fmt or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    with console.progress("生成示例城市"):
        write_sample(out, orgs=orgs, seed=seed, fmt=fmt, encoding=encoding)
    console.out.print(f"已写出示例城市（{orgs} 个组织，种子 {seed}）：{out}")
