"""Choosing the store from --store and the settings (no server needed)."""

from __future__ import annotations

import pytest

from api.settings import Settings
from api.stores import StoreSpec, parse_store
from graph.errors import LiangxinError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, StoreSpec("workspace")),
        ("workspace", StoreSpec("workspace")),
        (
            "neo4j://alice@db.local:7687/city",
            StoreSpec("neo4j", "neo4j://db.local:7687", "alice", "city"),
        ),
        (
            "neo4j+s://alice@db.local/city",
            StoreSpec("neo4j", "neo4j+s://db.local", "alice", "city"),
        ),
        ("bolt+ssc://db.local:7687", StoreSpec("neo4j", "bolt+ssc://db.local:7687", "neo4j", None)),
        (
            "falkordb://127.0.0.1:6380/liangxin",
            StoreSpec("falkordb", "falkordb://127.0.0.1:6380", None, "liangxin"),
        ),
        (
            "falkordb://127.0.0.1",
            StoreSpec("falkordb", "falkordb://127.0.0.1:6379", None, "liangxin"),
        ),
    ],
)
def test_store_urls(value, expected, monkeypatch):
    for key in ("NEO4J_URI", "NEO4J_USER", "NEO4J_DATABASE"):
        monkeypatch.delenv(key, raising=False)
    assert parse_store(value, Settings(_env_file=None)) == expected


def test_neo4j_from_settings(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://graph.intranet:7687")
    monkeypatch.setenv("NEO4J_USER", "planner")
    monkeypatch.setenv("NEO4J_DATABASE", "liangxin")
    spec = parse_store("neo4j", Settings(_env_file=None))
    assert spec == StoreSpec("neo4j", "neo4j://graph.intranet:7687", "planner", "liangxin")
    assert "Neo4j" in spec.label


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("neo4j://alice:secret@db.local:7687", "密码不能写在"),
        ("mysql://db.local", "不支持的存储"),
        ("neo4j://", "无法识别"),
    ],
)
def test_bad_store_values(value, message, monkeypatch):
    with pytest.raises(LiangxinError) as info:
        parse_store(value, Settings(_env_file=None))
    assert message in info.value.message
    assert "secret" not in info.value.message


def test_neo4j_without_settings_says_what_to_set(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(LiangxinError) as info:
        parse_store("neo4j", Settings(_env_file=None))
    assert "NEO4J_URI" in info.value.message
