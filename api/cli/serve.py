"""``liangxin serve``: the web app over the workspace, a graph store or a ledger file.

The only command-line module that imports the web app (:mod:`api.main`).
"""

from __future__ import annotations

from pathlib import Path

import click

from api.cli import console
from api.cli.options import LEDGER_OPT, STORE_OPT, WORKSPACE_OPT
from api.settings import Settings
from api.stores import parse_store

__all__ = ["serve"]


@click.command()
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
    import uvicorn  # the web app is imported only when served: every other command starts faster

    from api.main import create_app

    parse_store(store)  # a bad --store is a usage error before anything starts
    settings = Settings()  # LIANGXIN_HOST / LIANGXIN_PORT from the environment or .env
    host, port = host or settings.host, port or settings.port
    application = create_app(workspace=workspace, store=store, ledger=ledger, host=host)
    console.out.print(f"两新图谱已启动：请用浏览器打开 http://{host}:{port}/ （按 Ctrl+C 停止）")
    uvicorn.run(application, host=host, port=port, log_level="warning")
