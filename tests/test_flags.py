"""flags: every code has a case that triggers it and one that must not (tiny ledger, by hand).

In the tiny ledger as it is (judged on 2026-11-01): O4 丁 has 60 staff and no member
(big_without_members); PO-J has no secretary (weak_lax) and no pairing (unpaired); PO-A's
term ran 2022-07-01 → 2025-07-01 (overdue_election). Nothing else is flagged.
"""

from __future__ import annotations

import pytest

from graph.analysis.common import Params, party_org_table
from graph.analysis.flags import FLAG_CODES, flags, weak_lax_screen
from graph.build import build_graph
from loaders.sample import DEFAULT_AS_OF, generate_city
from tests.analysis_kit import graph_of, params
from tests.tinyledger import O1, O2, O3, O4, code, tiny


def _found(sheets=None, **changes) -> set[tuple[str, str]]:
    frame = flags(graph_of(sheets), params(**changes))
    return set(zip(frame["code"], frame["subject"], strict=True))


def test_tiny_ledger_as_is():
    assert _found() == {
        ("big_without_members", O4),
        ("weak_lax", "PO-J"),
        ("unpaired", "PO-J"),
        ("overdue_election", "PO-A"),
    }


def test_columns_and_chinese_detail():
    frame = flags(graph_of(), params())
    assert list(frame.columns) == [
        "code",
        "code_label",
        "subject",
        "subject_kind",
        "name",
        "street",
        "street_name",
        "district",
        "detail",
    ]
    row = frame[frame["code"] == "overdue_election"].iloc[0]
    assert row["code_label"] == "换届逾期" and row["street_name"] == "东湖街道"
    assert "2025-07-01" in row["detail"] and "488" in row["detail"]  # 2025-07-01 → 2026-11-01


def test_standalone_eligible_uncovered_and_in_joint():
    sheets = tiny()
    sheets["组织"][1]["正式党员数"] = 3  # O2 in joint PO-J with 3 members: should form its own
    sheets["组织"][3]["正式党员数"] = 4  # O4 uncovered with 4
    found = _found(sheets)
    assert ("standalone_eligible", O2) in found and ("standalone_eligible", O4) in found
    assert ("standalone_eligible", O1) not in found  # 5 members, but its own organization
    assert ("big_without_members", O4) not in found  # now has members
    # Below the threshold nobody is flagged; a raised threshold un-flags O2 (3 < 4).
    assert ("standalone_eligible", O3) not in found
    assert ("standalone_eligible", O2) not in _found(sheets, standalone_min_members=4)


def test_status_and_scope_exclude():
    sheets = tiny()
    sheets["组织"][3]["经营状态"] = "空壳"
    assert ("big_without_members", O4) not in _found(sheets)
    assert ("big_without_members", O4) not in _found(min_employees_enterprise=61)
    assert ("big_without_members", O4) in _found(min_employees_enterprise=60)


def test_oversized_joint():
    sheets = tiny()
    extra = [
        {
            "统一社会信用代码": code,
            "组织名称": f"新{i}公司",
            "组织类型": "非公企业",
            "从业人员数": 5,
            "正式党员数": 1,
            "所在街道编码": "S1",
            "覆盖党组织编码": "PO-J",
        }
        for i, code in enumerate(_codes(4))
    ]
    sheets["组织"].extend(extra)  # PO-J now covers O2, O3 and 4 more = 6 > 5
    assert ("oversized_joint", "PO-J") in _found(sheets)
    sheets["组织"].pop()  # 5 is within the limit
    assert ("oversized_joint", "PO-J") not in _found(sheets)
    sheets["组织"][-1]["经营状态"] = "注销"  # and a deregistered one does not count … (4 left)
    assert ("oversized_joint", "PO-J") not in _found(sheets)


def test_weak_lax_by_activity():
    sheets = tiny()
    sheets["党组织"][4]["书记是否配备"] = "是"  # PO-J now has a secretary
    assert ("weak_lax", "PO-J") not in _found(sheets)
    sheets["党组织"][3]["最近组织生活日期"] = "2026-04-30"  # PO-A: 6 months + 1 day before
    assert ("weak_lax", "PO-A") in _found(sheets)
    sheets["党组织"][3]["最近组织生活日期"] = "2026-05-02"  # within 6 months
    assert ("weak_lax", "PO-A") not in _found(sheets)


@pytest.mark.parametrize(
    ("level", "last", "expected"),
    [
        ("党支部", "2023-12-01", "election_due_soon"),  # due 2026-12-01, 30 days ahead
        ("党支部", "2024-03-01", None),  # due 2027-03-01, beyond 90 days
        ("党支部", "2023-10-31", "overdue_election"),  # due 2026-10-31, a day late
        ("党委", "2021-12-01", "election_due_soon"),  # a 党委's term is 5 years
        ("党委", "2023-07-01", None),
    ],
)
def test_elections(level, last, expected):
    sheets = tiny()
    sheets["党组织"][3].update({"组织层级": level, "上次换届日期": last})
    found = {c for c, s in _found(sheets) if s == "PO-A" and "election" in c}
    assert found == ({expected} if expected else set())


def test_founded_date_counts_when_no_election():
    sheets = tiny()
    del sheets["党组织"][3]["上次换届日期"]  # PO-A founded 2019-07-01: term ended 2022-07-01
    assert ("overdue_election", "PO-A") in _found(sheets)


def test_unpaired_only_for_liangxin_orgs_that_cover():
    sheets = tiny()
    sheets["结对共建"] = []
    found = _found(sheets)
    assert ("unpaired", "PO-A") in found and ("unpaired", "PO-J") in found
    assert ("unpaired", "PO-GOV") not in found  # an agency, not a 两新 organization
    assert ("unpaired", "PO-S1") not in found  # covers nobody directly


def test_every_code_found_in_the_sample_city():
    frame = flags(build_graph(generate_city(3000)), Params(as_of=DEFAULT_AS_OF))
    assert set(frame["code"]) == set(FLAG_CODES)


def _codes(n: int) -> list[str]:
    return [code(100 + i) for i in range(n)]


def test_party_organizations_are_judged_on_the_organizations_that_count():
    # PO-J covers O2 (20 staff) and O3 (社会组织, 10 staff). With minimums above both, PO-J
    # covers nobody that counts: neither weak_lax nor unpaired, like `pairing` counts it.
    found = _found(min_employees_enterprise=21, min_employees_social=11)
    assert ("weak_lax", "PO-J") not in found and ("unpaired", "PO-J") not in found
    assert ("weak_lax", "PO-J") in _found(min_employees_enterprise=21)  # O3 still counts


# -- issue 11 --------------------------------------------------------------------------------


def _enterprise(uscc: str, name: str, po: str | None, formal: int = 1, **extra) -> dict:
    row = {
        "统一社会信用代码": uscc,
        "组织名称": name,
        "组织类型": "非公企业",
        "从业人员数": 10,
        "正式党员数": formal,
        "所在街道编码": "S1",
        "覆盖党组织编码": po,
    }
    return {**row, **extra}


def test_head_of_its_own_lead_committee_is_not_told_to_form_its_own():
    # PO-A becomes a 龙头领建 党委 taking in O2 (2 formal) beside O1 (5): O1 heads it (most
    # formal members) and has its own organization; O2 (2 < 3) is not eligible anyway.
    sheets = tiny()
    sheets["党组织"][3].update({"组织层级": "党委", "组建方式": "龙头领建"})
    sheets["组织"][1]["覆盖党组织编码"] = "PO-A"
    found = _found(sheets)
    assert ("standalone_eligible", O1) not in found
    # With 6 formal members O2 heads it instead: O1 (5, in O2's lead organization) should
    # form its own, O2 has its own.
    sheets["组织"][1]["正式党员数"] = 6
    found = _found(sheets)
    assert ("standalone_eligible", O1) in found and ("standalone_eligible", O2) not in found


def test_a_deregistered_organization_listed_under_a_standalone_branch_does_not_make_it_joint():
    # PO-A (单独组建) still lists O6, 注销: O1 keeps its own branch and is not flagged.
    sheets = tiny()
    sheets["组织"].append(_enterprise(code(6), "庚公司", "PO-A", 3, 经营状态="注销"))
    assert ("standalone_eligible", O1) not in _found(sheets)
    pos = party_org_table(graph_of(sheets)).set_index("id")
    assert (pos.at["PO-A", "covers"], pos.at["PO-A", "covers_operating"]) == (2, 1)
    assert not pos.at["PO-A", "is_joint"]  # one 正常 organization, formed 单独组建
    # A second 正常 organization in it does make it joint: O1 should form its own.
    sheets["组织"][-1]["经营状态"] = "正常"
    assert ("standalone_eligible", O1) in _found(sheets)
    assert party_org_table(graph_of(sheets)).set_index("id").at["PO-A", "is_joint"]


def test_probationary_members_are_members():
    # O4 丁: 60 staff, 0 formal. With 2 probationary members it has members.
    sheets = tiny()
    sheets["组织"][3]["预备党员数"] = 2
    assert ("big_without_members", O4) not in _found(sheets)
    frame = flags(graph_of(), params())
    detail = frame.loc[frame["code"] == "big_without_members", "detail"].iloc[0]
    assert "正式党员和预备党员均为 0 名" in detail


@pytest.mark.parametrize("level", ["党支部", "党总支", "党委"])
def test_oversized_joint_at_any_level(level):
    # PO-J, a joint organization at each level, covers O2, O3 and 6 more = 8 > 5.
    sheets = tiny()
    sheets["党组织"][4]["组织层级"] = level
    sheets["组织"] += [_enterprise(c, f"新{i}公司", "PO-J") for i, c in enumerate(_codes(6))]
    frame = flags(graph_of(sheets), params())
    row = frame[(frame["code"] == "oversized_joint") & (frame["subject"] == "PO-J")]
    assert len(row) == 1
    assert f"联合{level}（联合组建）覆盖 8 个正常经营的组织" in row["detail"].iloc[0]


def test_oversized_street_committee_counts_operating_organizations():
    # The street's 两新综合党委 (兜底组建, 党委) takes in 6 organizations directly: too many;
    # with one of them 僵尸企业 it covers 5 that operate, within the limit.
    sheets = tiny()
    sheets["组织"] += [_enterprise(c, f"新{i}公司", "PO-S1") for i, c in enumerate(_codes(6))]
    assert ("oversized_joint", "PO-S1") in _found(sheets)
    sheets["组织"][-1]["经营状态"] = "僵尸企业"
    assert ("oversized_joint", "PO-S1") not in _found(sheets)


def test_weak_lax_blank_date_is_no_evidence():
    sheets = tiny()
    sheets["党组织"][4]["书记是否配备"] = "是"  # PO-J: secretary, no 最近组织生活日期
    del sheets["党组织"][3]["最近组织生活日期"]  # PO-A: secretary unknown, no date either
    found = _found(sheets)
    assert ("weak_lax", "PO-J") not in found and ("weak_lax", "PO-A") not in found


def test_weak_lax_screens_chain_and_park_committees_even_if_they_cover_nobody():
    # PO-CHAIN, PO-PARK and PO-GOV (an agency's) cover no organization and have no secretary:
    # the chain and park committees are screened all the same, the agency branch is not.
    sheets = tiny()
    for index in (1, 2, 5):  # PO-PARK, PO-CHAIN, PO-GOV
        sheets["党组织"][index]["书记是否配备"] = "否"
    found = _found(sheets)
    assert ("weak_lax", "PO-CHAIN") in found and ("weak_lax", "PO-PARK") in found
    assert ("weak_lax", "PO-GOV") not in found
    assert ("weak_lax", "PO-S1") not in found  # covers nobody directly: not screened
    screen = weak_lax_screen(graph_of(sheets), params())
    assert list(screen.index) == ["PO-PARK", "PO-CHAIN", "PO-A", "PO-J"]
    assert screen.to_dict() == {"PO-PARK": True, "PO-CHAIN": True, "PO-A": False, "PO-J": True}
