"""loaders.archive: the guards of a packed ledger, on their own (the upload tests cover them
through HTTP)."""

from __future__ import annotations

import zipfile

import pytest

from graph.errors import LedgerTooLarge, LedgerUnreadable
from loaders.archive import MAX_ZIP_MEMBERS, refuse_workbook_bomb, size_text, unpack_csv_zip


def _zip(path, members: dict[str, bytes], *, flag_utf8: bool = True):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(info, data)
            if not flag_utf8:
                info.flag_bits &= ~0x800
    return path


def test_csv_files_are_unpacked_flat(tmp_path):
    archive = _zip(
        tmp_path / "台账.zip",
        {
            "台账/组织.csv": b"a,b\n1,2\n",
            "街道.csv": b"x\n",
            "__MACOSX/._组织.csv": b"",
            ".hidden.csv": b"",
        },
    )
    folder = unpack_csv_zip(archive, tmp_path / "out", 1 << 20)
    assert sorted(p.name for p in folder.iterdir()) == ["组织.csv", "街道.csv"]
    assert (folder / "组织.csv").read_bytes() == b"a,b\n1,2\n"


@pytest.mark.parametrize("name", ["../组织.csv", "/etc/组织.csv", "C:/组织.csv", "a/../../b.csv"])
def test_a_member_climbing_out_refuses_the_whole_archive(tmp_path, name):
    archive = _zip(tmp_path / "t.zip", {"街道.csv": b"x\n", name: b"y\n"})
    with pytest.raises(LedgerUnreadable, match="不安全的路径"):
        unpack_csv_zip(archive, tmp_path / "out", 1 << 20)
    assert not (tmp_path / "out").exists()


def test_too_many_members_and_no_csv_are_refused(tmp_path):
    many = _zip(tmp_path / "many.zip", {f"{i}.csv": b"" for i in range(MAX_ZIP_MEMBERS + 1)})
    with pytest.raises(LedgerUnreadable, match="太多"):
        unpack_csv_zip(many, tmp_path / "a", 1 << 20)
    none = _zip(tmp_path / "none.zip", {"说明.txt": b"x"})
    with pytest.raises(LedgerUnreadable, match="没有 CSV"):
        unpack_csv_zip(none, tmp_path / "b", 1 << 20)
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(LedgerUnreadable, match=r"不是有效的 \.zip"):
        unpack_csv_zip(tmp_path / "bad.zip", tmp_path / "c", 1 << 20)


def test_a_bomb_is_stopped_while_unpacking(tmp_path):
    """The limit counts the bytes written, whatever the headers claim."""
    archive = _zip(tmp_path / "bomb.zip", {"组织.csv": b"0" * (3 << 20)})
    with pytest.raises(LedgerTooLarge, match="解压后超过 1 MB"):
        unpack_csv_zip(archive, tmp_path / "out", 1 << 20)


def test_gbk_names_from_windows_are_read(tmp_path):
    path = tmp_path / "gbk.zip"
    gbk = "组织.csv".encode("gb18030")
    placeholder = b"A" * (len(gbk) - 4) + b".csv"  # an ASCII name of the same length
    _zip(path, {placeholder.decode(): b"x\n"})
    path.write_bytes(path.read_bytes().replace(placeholder, gbk))  # names are not checksummed
    folder = unpack_csv_zip(path, tmp_path / "out", 1 << 20)
    assert [p.name for p in folder.iterdir()] == ["组织.csv"]


def test_a_workbook_claiming_to_unpack_beyond_the_limit_is_refused(tmp_path):
    book = _zip(tmp_path / "big.xlsx", {"xl/worksheets/sheet1.xml": b"<a/>" * (1 << 19)})
    with pytest.raises(LedgerTooLarge, match=r"big\.xlsx 解压后超过"):
        refuse_workbook_bomb(book, 1 << 20)
    refuse_workbook_bomb(book, 4 << 20)  # within the limit: passes
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    refuse_workbook_bomb(tmp_path / "old.xls", 1)  # not a zip: left to the reader


def test_size_text():
    assert size_text(100 << 20) == "100 MB"
    assert size_text(4 << 10) == "4 KB"
    assert size_text(10) == "1 KB"
