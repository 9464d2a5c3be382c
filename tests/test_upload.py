"""Uploading a ledger (POST /api/ledger and the /upload form) on the tiny ledger, by hand.

The workspace starts with the tiny ledger (非公企业 org rate 66.67 %); the "later" ledger takes
O2's branch away (33.33 %, and PO-J then covers one organization: a warning); the "broken" one
writes 很多 as O4's staff (组织, Excel row 5, 从业人员数).
"""

from __future__ import annotations

import fcntl
import io
import json
import re
import shutil
import threading
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from fastapi import UploadFile
from fastapi.testclient import TestClient

from api.main import create_app
from api.routes.ledger import import_upload
from graph.store.workspace import Workspace, source_checksum
from loaders import check_ledger, read_ledger
from tests.asgikit import run_coroutine
from tests.tinyledger import tiny, write_csv, write_xlsx

TOKEN = "s3cret-7f3a9c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The three workbooks, and a workspace holding the tiny ledger, written once."""
    folder = tmp_path_factory.mktemp("ledgers")
    tiny_path = write_xlsx(tiny(), folder / "tiny.xlsx")
    Workspace(folder / "ws").save(
        read_ledger(tiny_path), source=tiny_path, checksum=source_checksum(tiny_path)
    )
    later = tiny()
    later["组织"][1].pop("覆盖党组织编码")  # O2 loses its branch
    broken = tiny()
    broken["组织"][1].pop("覆盖党组织编码")  # a warning besides the error
    broken["组织"][3]["从业人员数"] = "很多"
    return {
        "ws": folder / "ws",
        "later": write_xlsx(later, folder / "later.xlsx"),
        "broken": write_xlsx(broken, folder / "broken.xlsx"),
    }


@pytest.fixture
def workspace(files, tmp_path) -> Workspace:
    """A fresh copy of the workspace with the tiny ledger as its only version."""
    return Workspace(shutil.copytree(files["ws"], tmp_path / "ws"))


@pytest.fixture
def client(workspace):
    with TestClient(create_app(workspace=workspace.root, token=TOKEN)) as client:
        yield client


@pytest.fixture
def later(files) -> Path:
    return files["later"]


@pytest.fixture
def broken(files) -> Path:
    return files["broken"]


def _file(path: Path, name: str | None = None) -> dict:
    return {"file": (name or path.name, path.read_bytes(), XLSX)}


def _enterprise_rate(client: TestClient) -> float:
    rows = {r["kind"]: r for r in client.get("/api/coverage").json()}
    return rows["非公企业"]["org_rate"]


def _table_rows(page: str, caption: str) -> list[list[str]]:
    """The body rows (cell texts) of the table with ``caption`` on ``page``."""
    table = re.search(rf"<caption>{caption}</caption>(.*?)</table>", page, re.S)
    assert table, f"no table “{caption}”"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody>")[1], re.S)
    return [[c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


# ---------------------------------------------------------------------------------------------
# Token


def test_no_token_configured_refuses_both_endpoints(workspace, later, tmp_path, monkeypatch):
    monkeypatch.delenv("LIANGXIN_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env either
    before = workspace.versions()
    with TestClient(create_app(workspace=workspace.root)) as client:
        page = client.get("/upload")
        assert page.status_code == 200 and "网页上传已关闭" in page.text
        assert "<fieldset disabled>" in page.text
        api = client.post("/api/ledger", files=_file(later), headers=AUTH)
        form = client.post("/upload", files=_file(later), data={"token": TOKEN})
    assert api.status_code == 403 and form.status_code == 403
    assert "LIANGXIN_TOKEN" in api.json()["detail"] and "重新启动" in api.json()["detail"]
    assert "LIANGXIN_TOKEN" in form.text and "重新启动" in form.text
    assert workspace.versions() == before


def test_token_comes_from_the_environment(workspace, later, monkeypatch):
    monkeypatch.setenv("LIANGXIN_TOKEN", "from-env")
    with TestClient(create_app(workspace=workspace.root)) as client:
        refused = client.post("/api/ledger", files=_file(later), headers=AUTH)
        taken = client.post(
            "/api/ledger", files=_file(later), headers={"X-Liangxin-Token": "from-env"}
        )
    assert refused.status_code == 403 and taken.status_code == 201


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 403),
        ({"Authorization": f"Bearer {TOKEN}x"}, 403),
        ({"X-Liangxin-Token": "wrong"}, 403),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
    ],
)
def test_api_refuses_a_missing_or_wrong_token(client, workspace, later, headers, status):
    before = workspace.versions()
    response = client.post("/api/ledger", files=_file(later), headers=headers)
    assert response.status_code == status
    assert "令牌" in response.json()["detail"]
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert workspace.versions() == before


@pytest.mark.parametrize(("token", "status"), [("", 401), ("wrong", 403)])
def test_form_refuses_a_missing_or_wrong_token(client, workspace, later, token, status):
    before = workspace.versions()
    response = client.post("/upload", files=_file(later), data={"token": token})
    assert response.status_code == status and "未导入" in response.text and "令牌" in response.text
    assert workspace.versions() == before


# ---------------------------------------------------------------------------------------------
# A valid ledger


def test_valid_upload_becomes_the_current_version(client, workspace, later):
    assert _enterprise_rate(client) == 66.67
    response = client.post("/api/ledger", files=_file(later, "2026年12月台账.xlsx"), headers=AUTH)
    assert response.status_code == 201
    body = response.json()
    current = workspace.current()
    assert body["created"] and body["version"] == current.id and len(workspace.versions()) == 2
    assert body["counts"]["organizations"] == 5 and body["counts"]["party_orgs"] == 6
    assert body["source"] == current.source == "网页上传 2026年12月台账.xlsx"
    assert [(w["code"], w["sheet"], w["column"]) for w in body["warnings"]] == [
        ("joint_covers_one", "党组织", "组建方式")
    ]
    assert current.checksum == source_checksum(later) and current.warnings == 1
    assert _enterprise_rate(client) == 33.33  # the app serves the new version
    assert client.get("/healthz").json()["version"] == current.id


def test_same_content_again_makes_no_new_version(client, workspace, later):
    first = client.post("/api/ledger", files=_file(later), headers=AUTH).json()
    again = client.post("/api/ledger", files=_file(later, "copy.xlsx"), headers=AUTH)
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["version"] == first["version"] == workspace.current().id
    assert len(workspace.versions()) == 2


def test_valid_upload_through_the_form(client, workspace, later):
    response = client.post("/upload", files=_file(later), data={"token": TOKEN})
    assert response.status_code == 201
    current = workspace.current()
    assert "已导入" in response.text and current.id in response.text
    assert f"数据版本 {current.id}" in response.text  # the footer already shows it
    assert _table_rows(response.text, "台账提醒")[0][:3] == ["党组织", "6", "组建方式"]
    assert _enterprise_rate(client) == 33.33


def test_zip_of_csv_files_with_gbk_names(client, workspace, tmp_path):
    """A zip made on Windows: names in GBK without the UTF-8 flag, inside a folder, plus the
    junk macOS adds; the sheets are found by the CSV names."""
    sheets = tiny()
    sheets["组织"][1].pop("覆盖党组织编码")
    folder = write_csv(sheets, tmp_path / "csv")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as book:
        for csv in sorted(folder.iterdir()):
            book.writestr(_GbkName(f"12月台账/{csv.name}"), csv.read_bytes())
        book.writestr("__MACOSX/12月台账/._组织.csv", b"\0\5junk")
    response = client.post(
        "/api/ledger", files={"file": ("12月台账.zip", archive.getvalue())}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    assert response.json()["counts"]["organizations"] == 5
    assert workspace.current().checksum == source_checksum(folder)  # as `liangxin load 文件夹`
    assert _enterprise_rate(client) == 33.33


class _GbkName(zipfile.ZipInfo):
    """A member name stored the way Windows' built-in zip stores Chinese names."""

    def _encodeFilenameFlags(self):  # zipfile's own hook
        return self.filename.encode("gb18030"), self.flag_bits & ~0x800


# ---------------------------------------------------------------------------------------------
# Refusals


def test_invalid_ledger_is_refused_with_every_location(client, workspace, broken):
    before = workspace.versions()
    response = client.post("/api/ledger", files=_file(broken), headers=AUTH)
    assert response.status_code == 422
    body = response.json()
    assert "1 处错误" in body["detail"] and before[0].id in body["detail"]
    errors = [i for i in body["issues"] if i["severity"] == "error"]
    assert [{k: e[k] for k in ("sheet", "row", "column", "value", "code")} for e in errors] == [
        {"sheet": "组织", "row": 5, "column": "从业人员数", "value": "很多", "code": "bad_int"}
    ]
    assert "从业人员数" in errors[0]["message"]
    assert [i["code"] for i in body["issues"] if i["severity"] == "warning"] == ["joint_covers_one"]
    assert workspace.versions() == before and workspace.current() == before[0]
    assert _enterprise_rate(client) == 66.67


def test_invalid_ledger_page_shows_errors_and_warnings_apart(client, workspace, broken):
    before = workspace.versions()
    response = client.post("/upload", files=_file(broken), data={"token": TOKEN})
    assert response.status_code == 422 and "台账有错误，未导入" in response.text
    assert '<th scope="col">工作表</th><th scope="col">行</th>' in response.text
    errors = _table_rows(response.text, "台账错误：有错误的台账不能导入")
    assert [row[:4] for row in errors] == [["组织", "5", "从业人员数", "很多"]]
    assert "从业人员数" in errors[0][4]
    warnings = _table_rows(response.text, "台账提醒")
    assert [row[:3] for row in warnings] == [["党组织", "6", "组建方式"]]
    assert workspace.versions() == before


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("台账.txt", "组织名称\n甲公司\n".encode(), "无法识别 台账.txt 的格式"),
        ("台账.xlsx", b"PK\3\4 this is not a workbook", "不是有效的 Excel 工作簿"),
        ("台账.xlsx", b"", "不是有效的 Excel 工作簿"),
        ("组织.csv", "统一社会信用代码\n".encode(), "打包成一个 .zip"),
        ("台账.zip", b"not a zip", "不是有效的 .zip 压缩包"),
        ("C:\\Users\\王\\台账.doc", b"x", "无法识别 台账.doc 的格式"),
    ],
)
def test_not_a_ledger_gets_a_clear_message(client, workspace, name, content, says):
    before = workspace.versions()
    api = client.post("/api/ledger", files={"file": (name, content)}, headers=AUTH)
    assert api.status_code == 400 and says in api.json()["detail"]
    form = client.post("/upload", files={"file": (name, content)}, data={"token": TOKEN})
    assert form.status_code == 400 and says in form.text
    assert workspace.versions() == before


def test_form_without_a_file(client):
    response = client.post("/upload", data={"token": TOKEN})
    assert response.status_code == 400 and "请选择要上传的台账文件" in response.text


def _zip(members: dict[str, bytes]) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            book.writestr(name, data)
    return archive.getvalue()


@pytest.mark.parametrize(
    "member", ["../组织.csv", "台账/../../组织.csv", "/etc/组织.csv", "C:/组织.csv"]
)
def test_zip_slip_is_refused(client, workspace, member):
    archive = _zip({"街道.csv": b"a\n", member: b"a\n"})
    response = client.post("/api/ledger", files={"file": ("台账.zip", archive)}, headers=AUTH)
    assert response.status_code == 400 and "不安全的路径" in response.json()["detail"]
    assert len(workspace.versions()) == 1


def test_zip_without_csv_files(client):
    archive = _zip({"说明.txt": b"hello"})
    response = client.post("/api/ledger", files={"file": ("台账.zip", archive)}, headers=AUTH)
    assert response.status_code == 400 and "没有 CSV 文件" in response.json()["detail"]


def test_zip_bomb_is_refused_while_unpacking(workspace):
    """3 MB of zeros compress to a few KB; with a 100 KB limit, 1 MB may be unpacked."""
    archive = _zip({"组织.csv": b"0" * (3 << 20)})
    assert len(archive) < 100_000
    with TestClient(create_app(workspace=workspace.root, token=TOKEN, upload_limit=100_000)) as c:
        csv = c.post("/api/ledger", files={"file": ("台账.zip", archive)}, headers=AUTH)
        book = c.post("/api/ledger", files={"file": ("台账.xlsx", archive)}, headers=AUTH)
    assert csv.status_code == 413 and "解压后超过" in csv.json()["detail"]
    assert book.status_code == 413 and "解压后超过" in book.json()["detail"]
    assert len(workspace.versions()) == 1


def test_oversize_upload_is_refused(workspace, later):
    limit = 4096
    assert later.stat().st_size > limit
    with TestClient(create_app(workspace=workspace.root, token=TOKEN, upload_limit=limit)) as c:
        api = c.post("/api/ledger", files=_file(later), headers=AUTH)
        form = c.post("/upload", files=_file(later), data={"token": TOKEN})
        # No Content-Length (chunked): refused while reading.
        boundary = "liangxin-boundary"
        body = (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
                f"Content-Type: {XLSX}\r\n\r\n"
            ).encode()
            + later.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        chunked = c.post(
            "/api/ledger",
            content=iter([body[:1000], body[1000:]]),
            headers={**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
    for response in (api, chunked):
        assert response.status_code == 413
        assert "超过 4 KB 的上限" in response.json()["detail"]
    assert form.status_code == 413 and "上限" in form.text and "<!doctype html>" in form.text
    assert len(workspace.versions()) == 1


def test_app_without_workspace_refuses_uploads(tmp_path, later, monkeypatch):
    ledger = write_xlsx(tiny(), tmp_path / "tiny.xlsx")
    with TestClient(create_app(ledger=ledger, token=TOKEN)) as client:
        response = client.post("/api/ledger", files=_file(later), headers=AUTH)
        page = client.get("/upload")
    assert response.status_code == 409 and "--ledger" in response.json()["detail"]
    assert "不能在网页上传台账" in page.text and "<fieldset disabled>" in page.text

    def load_from_store(self, version=None):
        self.graph, self.source = nx.MultiDiGraph(), "图数据库"

    monkeypatch.setattr("api.deps.AppState.load", load_from_store)
    with TestClient(create_app(store="falkordb://127.0.0.1:1/g", token=TOKEN)) as client:
        response = client.post("/upload", files=_file(later), data={"token": TOKEN})
    assert response.status_code == 409 and "--store" in response.text


def test_a_load_by_another_process_gives_409(client, workspace, later):
    with (workspace.root / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as `liangxin load` does
        response = client.post("/api/ledger", files=_file(later), headers=AUTH)
    assert response.status_code == 409 and "正在被另一个导入任务使用" in response.json()["detail"]
    assert len(workspace.versions()) == 1


def test_failed_save_leaves_the_previous_version_current(client, workspace, later, monkeypatch):
    before = workspace.versions()
    written = []
    real_write = Workspace._write_table

    def disk_full_on_third_sheet(self, table, path):
        written.append(path.name)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        real_write(self, table, path)

    monkeypatch.setattr(Workspace, "_write_table", disk_full_on_third_sheet)
    response = client.post("/api/ledger", files=_file(later), headers=AUTH)
    assert response.status_code == 500
    detail = response.json()["detail"]
    assert "No space left on device" in detail and f"当前版本 {before[0].id} 保持不变" in detail
    assert workspace.versions() == before and workspace.current() == before[0]
    assert not list(workspace.root.glob(".staging-*"))
    assert _enterprise_rate(client) == 66.67
    monkeypatch.setattr(Workspace, "_write_table", real_write)
    assert client.post("/api/ledger", files=_file(later), headers=AUTH).status_code == 201


def test_uploads_leave_no_temporary_files(client, later, broken, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    assert client.post("/api/ledger", files=_file(broken), headers=AUTH).status_code == 422
    archive = _zip({"../x.csv": b"a"})
    slip = client.post("/api/ledger", files={"file": ("a.zip", archive)}, headers=AUTH)
    assert slip.status_code == 400
    assert client.post("/api/ledger", files=_file(later), headers=AUTH).status_code == 201
    assert list(scratch.iterdir()) == []


def test_two_uploads_at_once_the_later_started_one_is_current(workspace, tmp_path, monkeypatch):
    """Two uploads checked at the same moment: neither is refused by the workspace's lock (the
    second save waits for the first), and the one that started later becomes current: the
    earlier-started one either lands first or, saving after it, is refused with 409
    (LoadSuperseded), leaving the later one current (issue 12 item 11)."""
    from graph.store.workspace import LoadSuperseded

    paths = []
    for n in (1, 2):
        sheets = tiny()
        sheets["组织"][n].pop("覆盖党组织编码")
        paths.append(write_xlsx(sheets, tmp_path / f"up{n}.xlsx"))
    both_checked = threading.Barrier(2, timeout=10)

    def check_then_meet(path, **options):
        checked = check_ledger(path, **options)  # in process: the guard's child is not the point
        both_checked.wait()  # both go on to save together
        return checked

    real_write = Workspace._write_table

    def slow_write(self, table, path):
        threading.Event().wait(0.01)  # a save holds the workspace lock for over 0.1 s
        real_write(self, table, path)

    started: list[str] = []
    real_begin = Workspace.begin

    def begin(self):
        ticket = real_begin(self)
        started.append(threading.current_thread().name)
        return ticket

    monkeypatch.setattr("api.sources.check_untrusted", check_then_meet)
    monkeypatch.setattr(Workspace, "_write_table", slow_write)
    monkeypatch.setattr(Workspace, "begin", begin)
    results: dict[str, object] = {}

    def upload(i: int) -> None:
        try:
            file = UploadFile(io.BytesIO(paths[i].read_bytes()), filename=paths[i].name)
            results[f"up{i}"] = import_upload(workspace, file, limit=1 << 20).created
        except Exception as exc:
            results[f"up{i}"] = exc

    threads = [threading.Thread(target=upload, args=(i,), name=f"up{i}") for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    first, later = started
    assert results[later] is True
    assert results[first] is True or isinstance(results[first], LoadSuperseded)
    current = workspace.current()
    assert current is not None
    assert str(current.source).endswith(f"up{int(later[-1]) + 1}.xlsx")


# ---------------------------------------------------------------------------------------------
# The token is checked before the body is read


class StreamedBody:
    """A request body sent in chunks on demand, counting what the app has taken."""

    def __init__(self, head: bytes, size: int, tail: bytes = b"", chunk: int = 64 << 10) -> None:
        self.head, self.size, self.tail, self.chunk = head, size, tail, chunk
        self.consumed = 0
        self.done = False

    def messages(self):
        for start in range(0, len(self.head), self.chunk):
            yield self.head[start : start + self.chunk]
        filler = b"\0" * self.chunk
        for _ in range(self.size // self.chunk):
            yield filler
        yield self.tail

    def receiver(self):
        chunks = self.messages()

        async def receive():
            if self.done:
                return {"type": "http.disconnect"}
            chunk = next(chunks, None)
            if chunk is None:
                self.done = True
                return {"type": "http.request", "body": b"", "more_body": False}
            self.consumed += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": True}

        return receive


def _asgi_post(app, path: str, headers: dict[str, str], body: StreamedBody):
    """POST ``body`` to ``app`` straight through ASGI (a TestClient reads a streamed body whole
    before the app sees it): (status, headers, text)."""

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    run_coroutine(app(scope, body.receiver(), send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return (
        start["status"],
        dict((k.decode(), v.decode()) for k, v in start["headers"]),
        text.decode(),
    )


BOUNDARY = "liangxin-test-boundary"
MULTIPART = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
BIG = 200 << 20  # 200 MB announced by nothing but the stream itself (limit 300 MB below)


def _part(name: str, value: bytes = b"", filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    head += f"Content-Type: {XLSX}\r\n\r\n" if filename else "\r\n"
    return head.encode() + value + (b"\r\n" if not filename else b"")


@pytest.fixture
def big_app(workspace):
    return create_app(workspace=workspace.root, token=TOKEN, upload_limit=300 << 20)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Authorization": "Bearer wrong"}, 403),
        ({"X-Liangxin-Token": "wrong"}, 403),
        ({}, 401),
    ],
)
def test_api_refuses_a_wrong_token_without_reading_the_body(big_app, workspace, headers, status):
    body = StreamedBody(_part("file", filename="big.xlsx"), BIG)
    code, answer, text = _asgi_post(big_app, "/api/ledger", {**MULTIPART, **headers}, body)
    assert code == status and "令牌" in json.loads(text)["detail"]
    assert answer["connection"] == "close"  # the server reads none of the rest either
    assert body.consumed <= 128 << 10, body.consumed  # of 200 MB
    assert len(workspace.versions()) == 1


@pytest.mark.parametrize(("token", "status"), [("wrong", 403), ("", 401)])
def test_form_refuses_a_wrong_token_sent_first_without_reading_the_file(
    big_app, workspace, token, status
):
    head = _part("token", token.encode()) + _part("file", filename="big.xlsx")
    body = StreamedBody(head, BIG)
    code, answer, text = _asgi_post(big_app, "/upload", MULTIPART, body)
    assert code == status and "令牌" in text and "<!doctype html>" in text.lower()
    assert '<form class="upload"' in text  # the upload page again, to retry
    assert answer["connection"] == "close"
    assert body.consumed <= 128 << 10, body.consumed
    assert len(workspace.versions()) == 1


def test_form_with_the_file_before_the_token_is_refused_early(big_app, workspace):
    body = StreamedBody(_part("file", filename="big.xlsx"), BIG)
    code, _, text = _asgi_post(big_app, "/upload", MULTIPART, body)
    assert code == 401 and "令牌字段须在文件之前发送" in text
    assert body.consumed <= 128 << 10, body.consumed


def test_the_right_token_sent_first_in_tiny_chunks_uploads(big_app, workspace, later):
    """The token part split over many small messages is still found, and every byte read
    for it reaches the upload (replayed)."""
    head = _part("token", TOKEN.encode()) + _part("file", later.read_bytes(), "later.xlsx")
    body = StreamedBody(head, 0, f"\r\n--{BOUNDARY}--\r\n".encode(), chunk=7)
    code, _, text = _asgi_post(big_app, "/upload", MULTIPART, body)
    assert code == 201, text
    assert body.done and len(workspace.versions()) == 2


def test_the_upload_page_sends_the_token_before_the_file(client):
    page = client.get("/upload").text
    assert page.index('name="token"') < page.index('name="file"')


@pytest.mark.parametrize(
    "name",
    ["../../../etc/台账.xlsx", "..\\..\\Windows\\台账.xlsx", "/tmp/台账.xlsx", "C:\\台账.xlsx"],
)
def test_an_uploaded_file_name_cannot_climb_out(
    client, workspace, later, name, tmp_path, monkeypatch
):
    """The browser's file name keeps only its last part: nothing is written outside the
    upload's temporary folder, and the version says where it came from by that name."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    response = client.post("/api/ledger", files=_file(later, name), headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["source"] == "网页上传 台账.xlsx"
    assert not list(scratch.glob("liangxin-upload-*"))
