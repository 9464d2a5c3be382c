"""Choosing and connecting the store: the embedded workspace, Neo4j, or FalkorDB.

The graph store receives a ready driver or client; this module builds it from ``--store`` or
the settings. Accepted forms:

- ``workspace`` (default): the embedded Parquet workspace, no server;
- ``neo4j``: everything from the settings (``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``,
  ``NEO4J_DATABASE``);
- ``neo4j://user@host:7687/db`` (also ``neo4j+s``, ``neo4j+ssc``, ``bolt``, ``bolt+s``,
  ``bolt+ssc``): the password comes from ``NEO4J_PASSWORD``, never from the command line;
- ``falkordb://host:6379/graph`` (password, if any, from ``FALKORDB_PASSWORD``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import cast
from urllib.parse import unquote, urlsplit

from api.settings import Settings
from graph.errors import LiangxinError, StoreError

__all__ = ["NEO4J_SCHEMES", "StoreSpec", "connect", "parse_store"]

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
DEFAULT_FALKOR_GRAPH = "liangxin"


@dataclass(frozen=True)
class StoreSpec:
    """Where the shared graph lives, without the secret."""

    kind: str  # "workspace" | "neo4j" | "falkordb"
    uri: str | None = None  # server address without user or password
    user: str | None = None
    database: str | None = None  # Neo4j database, or FalkorDB graph name

    @property
    def label(self) -> str:
        if self.kind == "workspace":
            return "工作区"
        where = f"{self.uri}/{self.database}" if self.database else str(self.uri)
        return f"{'Neo4j' if self.kind == 'neo4j' else 'FalkorDB'} {where}"


def parse_store(value: str | None, settings: Settings | None = None) -> StoreSpec:
    """Read ``--store`` (or the settings when it is ``neo4j``) into a :class:`StoreSpec`."""
    if value in (None, "", "workspace", "工作区"):
        return StoreSpec("workspace")
    settings = settings or Settings()
    if value == "neo4j":
        if not settings.neo4j_uri:
            raise LiangxinError(
                "选择了 Neo4j，但没有设置 NEO4J_URI。请设置环境变量 NEO4J_URI（如 "
                "neo4j://localhost:7687）、NEO4J_USER 和 NEO4J_PASSWORD，或用 --store 指定地址。"
            )
        value = settings.neo4j_uri
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if parts.password:
        raise LiangxinError(
            "密码不能写在 --store 地址里（命令行会被记录）。请去掉密码，"
            "改用环境变量 NEO4J_PASSWORD（FalkorDB 用 FALKORDB_PASSWORD）。"
        )
    if not parts.hostname:
        raise LiangxinError(f"无法识别存储地址“{value}”。示例：neo4j://neo4j@localhost:7687/neo4j")
    port = f":{parts.port}" if parts.port else ""
    name = unquote(parts.path.strip("/")) or None
    if scheme in NEO4J_SCHEMES:
        return StoreSpec(
            "neo4j",
            uri=f"{scheme}://{parts.hostname}{port}",
            user=unquote(parts.username) if parts.username else settings.neo4j_user,
            database=name or settings.neo4j_database,
        )
    if scheme == "falkordb":
        return StoreSpec(
            "falkordb",
            uri=f"falkordb://{parts.hostname}{port or ':6379'}",
            user=unquote(parts.username) if parts.username else None,
            database=name or DEFAULT_FALKOR_GRAPH,
        )
    raise LiangxinError(
        f"不支持的存储“{scheme}”。可选：workspace（默认）、neo4j、"
        "neo4j://用户@主机:7687/数据库、falkordb://主机:6379/图名。"
    )


def connect(spec: StoreSpec, settings: Settings | None = None):
    """Build the driver or client for ``spec`` and hand it to a ``GraphStore``."""
    from graph.store.graphdb import FalkorBackend, GraphStore, Neo4jBackend

    settings = settings or Settings()
    if spec.kind == "neo4j":
        import neo4j

        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        try:  # parse_store gives every neo4j spec its uri
            driver = neo4j.GraphDatabase.driver(
                cast(str, spec.uri), auth=(spec.user or "neo4j", password)
            )
            driver.verify_connectivity()
        except Exception as exc:  # the driver raises many kinds; the message says what to do
            raise StoreError(
                f"无法连接 Neo4j（{spec.uri}）：{type(exc).__name__}。请检查地址、用户名和 "
                "NEO4J_PASSWORD，以及服务器是否已启动。"
            ) from exc
        return GraphStore(Neo4jBackend(driver, database=spec.database))
    if spec.kind == "falkordb":
        from falkordb import FalkorDB

        parts = urlsplit(spec.uri or "")
        try:
            client = FalkorDB(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or 6379,
                username=spec.user,
                password=os.environ.get("FALKORDB_PASSWORD") or None,
            )
            graph = client.select_graph(spec.database or DEFAULT_FALKOR_GRAPH)
        except Exception as exc:
            raise StoreError(
                f"无法连接 FalkorDB（{spec.uri}）：{type(exc).__name__}。"
                "请检查地址和服务器是否已启动。"
            ) from exc
        return GraphStore(FalkorBackend(graph))
    raise LiangxinError("工作区不是图数据库。")
