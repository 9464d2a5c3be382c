"""The columns of a workspace's versions (``liangxin versions``, ``liangxin status``)."""

from __future__ import annotations

from graph.columns import Column, Columns

__all__ = ["VERSIONS", "VERSIONS_LISTED", "WORKSPACE_STATUS"]

VERSIONS = Columns(
    Column("id", "版本", "code", "版本号（按导入时间命名，如 20261101-093000）"),
    Column("loaded_at", "导入时间", "date", "导入时间，ISO 8601 格式，带时区"),
    Column("source", "来源", "text", "来源文件"),
    Column("checksum", "校验和", "code", "来源文件的 SHA-256 校验和"),
    Column("counts", "各表行数", "text", "各表行数，键为表的英文名，如 organizations"),
    Column("present", "台账中的表", "list", "台账中有的表（英文名）"),
    Column("warnings", "提醒", "int", "导入时的提醒条数"),
    Column("format", "存储格式版本", "int", "工作区存储格式的版本"),
    Column("extra", "其他信息", "text", "其他信息"),
)
"""One loaded version of the workspace."""

VERSIONS_LISTED = Columns(*VERSIONS, Column("current", "当前版本", "text", "是否为当前版本"))
"""One version as the list of versions gives it: marked if it is the current one."""

WORKSPACE_STATUS = Columns(
    *(
        c.variant(description="来源文件名（不含文件夹）") if c.key == "source" else c
        for c in VERSIONS
    ),
    Column("workspace", "工作区", "text", "工作区文件夹的名称（不含上级文件夹）"),
)
"""The workspace and its current version, without absolute paths: the folder's name and the
source's file name."""
