"""Guards for ledger files that arrive packed: a .zip of CSV files, and a workbook (itself a zip).

A planner uploads a ledger through the web app as an Excel workbook or as the CSV files of a
CSV ledger packed into one .zip. Both are unpacked or opened here, before anything is parsed,
with limits that hold against hostile archives: paths that climb out of the target folder
(zip-slip), too many members, and archives that unpack far beyond their size (zip bombs, whose
headers lie: the bytes are counted while unpacking).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

from graph.errors import LedgerTooLarge, LedgerUnreadable

__all__ = ["MAX_ZIP_MEMBERS", "refuse_workbook_bomb", "size_text", "unpack_csv_zip"]

MAX_ZIP_MEMBERS = 500
"""Members a .zip of CSV files may hold (a CSV ledger has a dozen files)."""


def size_text(limit: int) -> str:
    """``100 MB``, ``4 KB``: a byte limit as a planner reads it."""
    if limit >= 1 << 20:
        return f"{limit / (1 << 20):.3g} MB"
    return f"{max(limit >> 10, 1)} KB"


def unpack_csv_zip(archive: Path, folder: Path, limit: int) -> Path:
    """Unpack the CSV files of ``archive`` into ``folder`` (flat) and return it.

    Guards: any member path that is absolute or climbs out (``..``) refuses the whole archive
    (zip-slip); at most MAX_ZIP_MEMBERS members; at most ``limit`` bytes unpacked, counted
    while unpacking (zip bombs lie in their headers). Names stored in GBK by Windows are read
    as such. Folders inside the archive are flattened; ``__MACOSX`` and hidden files skipped.
    Raises :class:`LedgerUnreadable`, or :class:`LedgerTooLarge` beyond ``limit``.
    """
    name = archive.name
    try:
        book = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LedgerUnreadable(
            f"无法打开 {name}：它不是有效的 .zip 压缩包，或文件已损坏。"
        ) from exc
    with book:
        members = [m for m in book.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            raise LedgerUnreadable(
                f"压缩包 {name} 里有 {len(members)} 个文件，太多了。请只打包台账的 CSV 文件。"
            )
        found: dict[str, zipfile.ZipInfo] = {}
        for member in members:
            path = _member_name(member).replace("\\", "/")
            parts = PurePosixPath(path).parts
            if path.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                raise LedgerUnreadable(
                    f"压缩包 {name} 中有不安全的路径“{path}”，未导入。请重新打包后上传。"
                )
            if not parts or parts[0] == "__MACOSX" or parts[-1].startswith("."):
                continue
            if parts[-1].lower().endswith(".csv"):
                if parts[-1] in found:
                    raise LedgerUnreadable(
                        f"压缩包 {name} 中有多个名为“{parts[-1]}”的文件，请只保留一份后重新打包。"
                    )
                found[parts[-1]] = member
        if not found:
            raise LedgerUnreadable(
                f"压缩包 {name} 里没有 CSV 文件。请把台账的 CSV 文件"
                "（如 组织.csv、党组织.csv、街道.csv）打包成 .zip 后上传。"
            )
        folder.mkdir(parents=True)
        budget = limit
        try:
            for file_name, member in found.items():
                with book.open(member) as src, (folder / file_name).open("wb") as out:
                    while chunk := src.read(1 << 20):
                        budget -= len(chunk)
                        if budget < 0:
                            raise LedgerTooLarge(
                                f"压缩包 {name} 解压后超过 {size_text(limit)}，未导入。"
                                "请检查压缩包的内容。"
                            )
                        out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise LedgerUnreadable(f"压缩包 {name} 已损坏，无法解压。请重新打包后上传。") from exc
        except RuntimeError as exc:  # zipfile: a member needs a password
            raise LedgerUnreadable(f"压缩包 {name} 设有密码，请去掉密码后重新打包上传。") from exc
    return folder


def _member_name(member: zipfile.ZipInfo) -> str:
    """The member's name; Windows tools store Chinese names in GBK without saying so."""
    if member.flag_bits & 0x800:  # the archive says the name is UTF-8
        return member.filename
    raw = member.filename.encode("cp437")  # zipfile decoded it as cp437: undo that
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return member.filename


def refuse_workbook_bomb(workbook: Path, limit: int) -> None:
    """An .xlsx is a zip too: refuse one whose parts claim to unpack beyond ``limit``
    (:class:`LedgerTooLarge`). Anything that is not a zip passes: the reader says what it is."""
    try:
        with zipfile.ZipFile(workbook) as book:
            unpacked = sum(member.file_size for member in book.infolist())
    except (zipfile.BadZipFile, OSError):
        return
    if unpacked > limit:
        raise LedgerTooLarge(
            f"{workbook.name} 解压后超过 {size_text(limit)}，未导入。"
            "请删去不需要的工作表、图片或附件后再上传。"
        )
