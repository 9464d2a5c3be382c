"""The JSON API tested from its own OpenAPI document with schemathesis, in process (ASGI).

Every GET operation gets generated requests, valid and invalid, against the app over a small
sample city (300 organizations, two workspace versions so that ``/api/diff`` has something
to compare). Each answer must not be a server error and must match the documented response
schema (status, JSON body); a 404 must explain itself in Chinese.
"""

from __future__ import annotations

import atexit
import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.main import create_app
from graph.ledger import Ledger
from graph.store.workspace import Workspace
from loaders.sample import generate_city

MAX_EXAMPLES = 20
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATA = Path(tempfile.mkdtemp(prefix="liangxin-schemathesis-"))
"""Where ``sample_workspace`` writes the city the app serves (the app is built at import,
before any fixture runs: its data is read on the first request)."""
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)

app = create_app(workspace=_DATA / "ws")
schema = schemathesis.openapi.from_dict(app.openapi())
schema.app = app  # requests go to the app in process, through ASGI
OPERATIONS = [result.ok() for result in schema.include(method="GET").get_all_operations()]
"""Every GET operation of the OpenAPI document (an invalid definition fails here, at import)."""


@pytest.fixture(scope="module", autouse=True)
def sample_workspace() -> Workspace:
    """Two versions of a 300-organization sample city, a month apart."""
    ws = Workspace(_DATA / "ws")
    city = generate_city(300, seed=2022)
    october, november = dt.datetime(2026, 10, 1, 9), dt.datetime(2026, 11, 1, 9)
    ws.save(city, source=_DATA / "十月.xlsx", checksum="october", now=october)
    ws.save(_a_month_later(city), source=_DATA / "十一月.xlsx", checksum="november", now=november)
    return ws


def test_every_get_operation_is_tested() -> None:
    paths = {operation.path for operation in OPERATIONS}
    assert {"/api/coverage", "/api/chains", "/api/diff", "/api/partners/{uscc}"} <= paths
    assert "/healthz" in paths and not any(p.startswith("/docs") for p in paths)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_get_operation(operation: APIOperation) -> None:
    """Valid and invalid requests: never a server error, always the documented answer."""

    @given(
        case=st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )
    )
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,  # the same requests on every run: CI does not flake
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
        if response.status_code == 404 and case.path.startswith("/api/"):
            assert _CJK.search(response.json()["detail"]), response.text

    check()


def _a_month_later(city: Ledger) -> Ledger:
    """The same city a month on: ten organizations lost their Party organization."""
    tables = {key: table.copy() for key, table in city.tables.items()}
    orgs = tables["organizations"]
    covered = orgs.index[orgs["party_org"].notna()][:10]
    orgs.loc[covered, "party_org"] = pd.NA
    return Ledger(tables, present=city.present)
