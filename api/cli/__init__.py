"""The ``liangxin`` command line: the group, its commands, and ``main``.

Every message a planner reads is Chinese; errors are one clear message and a non-zero exit
code, never a traceback (set ``LIANGXIN_DEBUG=1`` to see one). The commands live in this
package's modules: :mod:`~api.cli.ledger` (check, load, status, versions, template, sample),
:mod:`~api.cli.analysis` (summary and one command per analysis), :mod:`~api.cli.report` and
:mod:`~api.cli.serve`; shared options in :mod:`~api.cli.options`, terminal output in
:mod:`~api.cli.console` and :mod:`~api.cli.tables`.
"""

from __future__ import annotations

import os

import click

from api.cli import analysis, console, ledger, report, serve
from graph.errors import LiangxinError

__all__ = ["app", "main"]


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


for command in (
    ledger.check,
    ledger.load,
    ledger.status,
    ledger.versions,
    ledger.template,
    ledger.sample,
    analysis.summary_command,
    analysis.coverage_command,
    analysis.flags_command,
    analysis.clusters_command,
    analysis.partners_command,
    analysis.leads_command,
    analysis.plan_command,
    analysis.diff_command,
    analysis.chains_command,
    analysis.pairing_command,
    analysis.publish_command,
    report.report,
    serve.serve,
):
    app.add_command(command)


def main() -> None:
    """Console-script entry point (``liangxin``; ``python -m api`` too)."""
    app(prog_name="liangxin")
