"""Each broken ledger of cases.py through the real reader and through ``liangxin check``."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph.errors import LedgerUnreadable
from graph.issues import LedgerIssue, Severity
from loaders import check_ledger
from tests.bad_inputs.cases import CASES, Case

TODAY = dt.date(2026, 11, 1)


def squash(text: str | None) -> str:
    return "".join((text or "").split())


def _matching(case: Case, issues: list[LedgerIssue]) -> list[LedgerIssue]:
    return [
        i
        for i in issues
        if i.severity.value == case.kind
        and i.sheet == case.sheet
        and i.row == case.row
        and i.column == case.column
        and squash(case.text) in squash(i.message)
        and (case.code is None or i.code == case.code)
    ]


def _assert_issues(case: Case, issues: list[LedgerIssue]) -> None:
    errors = [i for i in issues if i.is_error]
    if case.kind == "valid":
        assert errors == [], errors
        return
    assert _matching(case, issues), "\n".join(f"{i.location()} {i.message}" for i in issues)
    if case.kind == "warning" and case.exit is None:
        assert errors == [], errors
    if case.absent:
        assert not [i for i in issues if squash(case.absent) in squash(i.message)]


def test_at_least_sixty_cases():
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_reader(case: Case, tmp_path):
    source = case.build(tmp_path)
    if case.kind == "unreadable":
        with pytest.raises(LedgerUnreadable) as info:
            check_ledger(source, today=TODAY)
        assert isinstance(info.value, case.error_type)
        assert squash(case.text) in squash(info.value.message), info.value.message
        return
    _, issues = check_ledger(source, today=TODAY)
    _assert_issues(case, issues)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_check(case: Case, tmp_path, run):
    source = case.build(tmp_path)
    result = run("check", source, "--format", "json", "--today", TODAY.isoformat())
    assert "Traceback" not in result.output
    assert "内部错误" not in result.output
    assert result.exit_code == case.exit_code, result.output
    if case.kind == "unreadable":
        assert squash(case.text) in squash(result.output), result.output
        return
    data = json.loads(result.stdout)
    issues = [LedgerIssue(**{**i, "severity": Severity(i["severity"])}) for i in data["issues"]]
    _assert_issues(case, issues)
