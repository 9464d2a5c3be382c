"""``liangxin report``: the reports planners hand upwards, written as .xlsx, .docx or .html."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from api import sources
from api.cli import console
from api.cli.options import (
    LEDGER_OPT,
    SCOPE_OPTS,
    STORE_OPT,
    VERSION_OPT,
    WORKSPACE_OPT,
    load_graph,
    params_from,
)
from graph.errors import LiangxinError
from loaders.writer import replace_atomically
from viz.reports import FORMATS, render

__all__ = ["KINDS", "report"]

KINDS = ("chain", "coverage", "plan", "monthly")
"""``viz.reports.content.REPORT_KINDS``, written out (a test keeps them equal): importing the
report builders here would slow the start of every command by a tenth of a second."""


@click.command()
@click.argument("kind", type=click.Choice(KINDS), metavar="报告")
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="文件",
    help="写到这个文件；扩展名决定格式：.xlsx（Excel）、.docx（Word）或 .html（网页）",
)
@click.option("--chain", metavar="产业链编码", help="产业链报告只写这条产业链（默认全部）")
@click.option(
    "--from", "from_version", metavar="版本号", help="月调度报告：较早的版本（默认上一版）"
)
@click.option("--to", "to_version", metavar="版本号", help="月调度报告：较新的版本（默认当前版本）")
@LEDGER_OPT
@WORKSPACE_OPT
@VERSION_OPT
@STORE_OPT
@SCOPE_OPTS[0]
@SCOPE_OPTS[1]
@SCOPE_OPTS[2]
def report(
    kind: str,
    out: Path,
    chain: str | None,
    from_version: str | None,
    to_version: str | None,
    ledger: Path | None,
    workspace: Path | None,
    version: str | None,
    store: str | None,
    as_of: dt.datetime | None,
    min_employees_enterprise: int,
    min_employees_social: int,
) -> None:
    """写出可上报的报告：chain（产业链党建）、coverage（两个覆盖）、plan（组建方案）、monthly（月调度）。

    文件扩展名决定格式：.xlsx 每部分一个工作表；.docx 可编辑的 Word 文档；
    .html 单个网页文件（可打印，含图表）。

    \b
    示例：liangxin report coverage --out 两个覆盖情况.docx
          liangxin report chain --chain CYL01 --out 工程机械产业链.docx
          liangxin report plan --out 组建方案.xlsx
          liangxin report monthly --from 20261001 --to 20261101 --out 月调度.html
    """
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise LiangxinError(
            f"不能写成“{out.suffix or '无扩展名'}”格式：请把 {out.name} 改为以 "
            f"{'、'.join(FORMATS)} 之一结尾。"
        )
    if chain and kind != "chain":
        raise LiangxinError("--chain 只用于产业链报告：liangxin report chain --chain 产业链编码 …")
    if (from_version or to_version) and kind != "monthly":
        raise LiangxinError(
            "--from / --to 只用于月调度报告：liangxin report monthly --from … --to …"
        )
    if kind == "monthly" and (ledger or version or (store and store != "workspace")):
        raise LiangxinError("月调度报告比较工作区的两个版本，请用 --from 和 --to 指定版本号。")
    params = params_from(as_of, min_employees_enterprise, min_employees_social)
    if kind == "monthly":
        then, now, changes = sources.compare_versions(
            workspace,
            from_version or "previous",
            to_version or "current",
            params,
            progress=console.progress,
        )
        from api.reporting import monthly_document  # the report builders: only when writing one

        document = monthly_document(then, now, changes, params)
    else:
        graph, source = load_graph(ledger, workspace, version, store)
        from viz.reports.content import build_report

        document = build_report(kind, graph, params, source, chain)
    with console.progress("写出报告"):
        data = render(document, suffix)
        try:
            with replace_atomically(out) as tmp:
                tmp.write_bytes(data)
        except OSError as exc:
            reason = sources.write_reason(exc)
            raise LiangxinError(
                f"无法写入 {out}（{reason}），原有文件保持不变：请检查文件夹是否存在、"
                "磁盘空间和写入权限，或文件是否正被 Excel / Word 打开。"
            ) from exc
    console.out.print(f"已写出{document.title}：{out}")
