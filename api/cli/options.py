"""Options the commands share: where the data comes from, the output format, the date judged
and the scope (seed 003), and the decorator that gives an analysis command all of them."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import networkx as nx

from api import sources
from api.cli import console
from api.cli.i18n import install as install_chinese
from graph.analysis.common import Params

__all__ = [
    "AS_OF_OPT",
    "LEDGER_ARG",
    "LEDGER_OPT",
    "MIN_EMPLOYEES_OPTS",
    "SCOPE_OPTS",
    "STORE_OPT",
    "VERSION_OPT",
    "WORKSPACE_OPT",
    "AnalysisContext",
    "analysis_command",
    "format_opt",
    "load_graph",
    "params_from",
]

install_chinese()  # before any click type is built: click.Path names its metavar (路径) on creation

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


def format_opt(*choices: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format``/``-f`` with ``choices``, the first the default."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="输出格式",
    )


AS_OF_OPT = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="以哪天为准判断日期（默认今天）",
)
MIN_EMPLOYEES_OPTS = [
    click.option(
        f"--min-employees-{name}",
        type=click.IntRange(min=0),
        default=0,
        show_default=True,
        metavar="人数",
        envvar=f"LIANGXIN_MIN_EMPLOYEES_{name.upper()}",
        help=f"统计范围：{label}从业人员下限",
    )
    for name, label in (("enterprise", "非公企业"), ("social", "社会组织"))
]
SCOPE_OPTS = [AS_OF_OPT, *MIN_EMPLOYEES_OPTS]
"""The date judged and the scope (seed 003): shared by every analysis command."""


def params_from(
    as_of: dt.datetime | None, min_employees_enterprise: int, min_employees_social: int
) -> Params:
    """The analysis parameters from the shared options."""
    return Params(
        as_of=as_of.date() if as_of else dt.date.today(),
        min_employees_enterprise=min_employees_enterprise,
        min_employees_social=min_employees_social,
    )


def load_graph(
    ledger: Path | None, workspace: Path | None, version: str | None, store: str | None
) -> tuple[nx.MultiDiGraph, str]:
    """:func:`api.sources.load_graph` with the command line's progress bars."""
    return sources.load_graph(ledger, workspace, version, store, progress=console.progress)


@dataclass
class AnalysisContext:
    """What an analysis command works on: the graph, the parameters, where the data came from."""

    graph: nx.MultiDiGraph
    params: Params
    source: str
    fmt: str


def analysis_command(
    *formats: str,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorator adding the shared options; the command receives an ``AnalysisContext``."""
    formats = formats or ("table", "json", "csv")

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def wrapper(
            ledger: Path | None,
            workspace: Path | None,
            version: str | None,
            store: str | None,
            fmt: str,
            as_of: dt.datetime | None,
            min_employees_enterprise: int,
            min_employees_social: int,
            **kwargs: Any,
        ) -> None:
            graph, source = load_graph(ledger, workspace, version, store)
            params = params_from(as_of, min_employees_enterprise, min_employees_social)
            fn(AnalysisContext(graph, params, source, fmt), **kwargs)

        options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
            LEDGER_OPT,
            WORKSPACE_OPT,
            VERSION_OPT,
            STORE_OPT,
            format_opt(*formats),
            *SCOPE_OPTS,
        ]
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate
