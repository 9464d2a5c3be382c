"""The web app's JSON endpoints with TestClient (lifespan runs), on the tiny ledger by hand."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.store.workspace import Workspace, source_checksum
from loaders import read_ledger
from tests.tinyledger import O4, tiny, write_xlsx

AS_OF = {"as_of": "2026-11-01"}


@pytest.fixture
def workspace(tmp_path):
    path = write_xlsx(tiny(), tmp_path / "tiny.xlsx")
    ws = Workspace(tmp_path / "ws")
    ws.save(read_ledger(path), source=path, checksum=source_checksum(path))
    return ws


@pytest.fixture
def client(workspace):
    with TestClient(create_app(workspace=workspace.root)) as client:
        yield client


def test_healthz(client, workspace):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["version"] == workspace.current().id


def test_coverage_like_the_cli(client):
    rows = {r["kind"]: r for r in client.get("/api/coverage").json()}
    assert rows["非公企业"]["org_rate"] == 66.67 and rows["社会组织"]["org_rate"] == 100.0
    scoped = client.get("/api/coverage", params={"min_employees_enterprise": 21}).json()
    assert {r["kind"]: r for r in scoped}["非公企业"]["total"] == 2
    streets = client.get("/api/coverage", params={"by": "street"}).json()
    assert streets[0]["group"] == "S2"
    assert client.get("/api/coverage", params={"by": "planet"}).status_code == 422


def test_every_analysis_endpoint(client):
    found = {(r["code"], r["subject"]) for r in client.get("/api/flags", params=AS_OF).json()}
    assert ("overdue_election", "PO-A") in found
    assert [c["members"] for c in client.get("/api/clusters").json()] == [[O4]]
    partners = client.get(f"/api/partners/{O4.lower()}").json()
    assert partners["subject"]["uscc"] == O4
    assert isinstance(client.get("/api/leads").json(), list)
    assert client.get("/api/chains/findings").json()[0]["chain"] == "C1"
    assert client.get("/api/chains/segments", params={"chain": "C1"}).json()
    assert client.get("/api/pairing").json()["paired_rate"] == 50.0
    plan = client.get("/api/plan").json()
    assert [i["uscc"] for i in plan["instructors"]] == [O4]


def test_errors_are_chinese_4xx(client):
    missing = client.get("/api/partners/91430100MA000000XX")
    assert missing.status_code == 404 and "找不到" in missing.json()["detail"]
    assert client.get("/api/leads", params={"chain": "NOPE"}).status_code == 404


def test_a_new_version_is_picked_up(client, workspace, tmp_path):
    sheets = tiny()
    sheets["组织"][1].pop("覆盖党组织编码")  # O2 loses its branch
    path = write_xlsx(sheets, tmp_path / "later.xlsx")
    workspace.save(read_ledger(path), source=path, checksum=source_checksum(path))
    rows = {r["kind"]: r for r in client.get("/api/coverage").json()}
    assert rows["非公企业"]["org_rate"] == 33.33
    assert client.get("/healthz").json()["version"] == workspace.current().id


def test_no_workspace_fails_at_start_with_the_message(tmp_path):
    from graph.errors import NotFound

    with (
        pytest.raises(NotFound, match="liangxin load"),
        TestClient(create_app(workspace=tmp_path / "none")),
    ):
        pass


def test_liangxin_serve_answers_on_loopback(workspace):
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "LIANGXIN_HOME": str(workspace.root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "serve did not answer in 20 s"
                time.sleep(0.2)
        assert response.json()["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
