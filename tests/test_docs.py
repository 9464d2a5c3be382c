"""The documents stay true to the code: every column and every rule code is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.model import SHEETS

ROOT = Path(__file__).resolve().parent.parent
LEDGER_DOC = (ROOT / "docs" / "ledger-format.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.key)
def test_every_sheet_and_column_is_documented(sheet):
    assert f"{sheet.label} · {sheet.key}" in LEDGER_DOC
    for column in sheet.columns:
        assert column.label in LEDGER_DOC, column.label
        assert column.key in LEDGER_DOC, column.key


def _rule_codes() -> set[str]:
    source = "".join(
        (ROOT / "loaders" / name).read_text(encoding="utf-8") for name in ("read.py", "validate.py")
    )
    codes = set(re.findall(r'out\.(?:error|warning)\(\s*"([a-z_]+)"', source))
    codes |= set(re.findall(r'Severity\.(?:ERROR|WARNING),\s*"([a-z_]+)"', source))
    codes |= {f"bad_{t}" for t in ("uscc", "enum", "int", "decimal", "bool", "date")}
    return codes


def test_every_rule_code_is_documented():
    codes = _rule_codes()
    assert "parent_cycle" in codes and "building_street_mismatch" in codes
    missing = sorted(c for c in codes if f"`{c}`" not in LEDGER_DOC)
    assert not missing


def test_readme_shows_the_two_commands_and_every_cli_command():
    from api.cli import app

    assert "make run" in README and "make test" in README
    for name in app.commands:
        assert f"`{name}`" in README, name
