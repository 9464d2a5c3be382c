"""Findings to act on, one row each: who should form their own, what is too big, weak or due."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd

from graph.analysis.common import (
    Params,
    as_date,
    days_after,
    is_missing,
    memoised,
    months_before,
    org_table,
    party_org_table,
    term_years,
)
from graph.model import PartyLevel, PartyOrgType

__all__ = ["FLAG_CODES", "flags"]

FLAG_CODES: dict[str, str] = {
    "standalone_eligible": "应单独组建",
    "oversized_joint": "联合党组织覆盖过多",
    "big_without_members": "50人以上无党员",
    "weak_lax": "软弱涣散",
    "overdue_election": "换届逾期",
    "election_due_soon": "即将换届",
    "unpaired": "未结对共建",
}
"""Finding codes and their Chinese names, in the order findings are listed."""

COLUMNS = [
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

_OUTSIDE = frozenset(
    {PartyOrgType.AGENCY, PartyOrgType.INSTITUTION, PartyOrgType.VILLAGE_COMMUNITY}
)
"""Party organizations of agencies, institutions, villages and communities are pairing partners,
not 两新 organizations: their elections and activity are not this ledger's to judge."""


def flags(g: nx.MultiDiGraph, params: Params | None = None) -> pd.DataFrame:
    """Every finding, one row each, with a Chinese explanation of what to do.

    - ``standalone_eligible``: an organization in scope with 3 or more formal members that has
      no Party organization of its own (uncovered, or in a joint one) should form its own
      (单独组建, seed 003; "应建尽建").
    - ``oversized_joint``: a joint 党支部 / 党总支 covering more than 5 operating organizations
      should be split into smaller units (seed 001 §6, 划小组建单元). Committees (党委) that
      take in organizations by design (街道两新综合党委 …) are not branches and not flagged.
    - ``big_without_members``: an organization in scope with 50 or more staff and no formal
      member (seed 002: every organization with 50+ staff should have members).
    - ``weak_lax``: a 两新 Party organization that covers organizations that count and has no
      secretary, or whose last organisational life is more than 6 months before ``as_of``
      (软弱涣散, seed 001 §12). A missing date is not counted as inactivity.
    - ``overdue_election`` / ``election_due_soon``: the term (党支部 and 党总支 3 years, 党委 5)
      counted from 上次换届日期, or 成立日期 when there was none, has ended before ``as_of``, or
      ends within 90 days.
    - ``unpaired``: a 两新 Party organization covering organizations that count with no 结对共建
      partner (seed 000 §6, §11).

    Returns one row per finding (columns ``COLUMNS``), ordered by code as in ``FLAG_CODES``,
    then district, street and subject. Cost: one pass over organizations and 党组织; memoised
    per graph and parameters.
    """
    params = params or Params()
    return memoised(g, "flags", params.key(), lambda: _flags(g, params))


def _flags(g: nx.MultiDiGraph, params: Params) -> pd.DataFrame:
    orgs = org_table(g, params)
    pos = party_org_table(g)
    scope = orgs[orgs["in_scope"]]
    parts = [
        _standalone_eligible(scope, params),
        _big_without_members(scope, params),
        _party_org_flags(pos, set(scope["party_org"].dropna()), params),
    ]
    result = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.DataFrame(columns=COLUMNS)
    )
    order = {code: i for i, code in enumerate(FLAG_CODES)}
    result["code_label"] = result["code"].map(FLAG_CODES)
    result = result.assign(_order=result["code"].map(order)).sort_values(
        ["_order", "district", "street", "subject"], na_position="last", kind="stable"
    )
    return result[COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------


def _org_rows(frame: pd.DataFrame, code: str, detail: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": code,
            "subject": frame["uscc"],
            "subject_kind": "organization",
            "name": frame["name"],
            "street": frame["street"],
            "street_name": frame["street_name"],
            "district": frame["district"],
            "detail": detail,
        }
    )


def _standalone_eligible(scope: pd.DataFrame, params: Params) -> pd.DataFrame:
    hit = scope[(scope["formal_members"] >= params.standalone_min_members) & ~scope["standalone"]]
    where = hit["org_covered"].map({True: "目前在联合党组织中", False: "目前没有党组织覆盖"})
    detail = (
        "有正式党员 "
        + hit["formal_members"].astype(str)
        + " 名，"
        + where
        + f"；正式党员{params.standalone_min_members}名以上应单独组建党组织。"
    )
    return _org_rows(hit, "standalone_eligible", detail)


def _big_without_members(scope: pd.DataFrame, params: Params) -> pd.DataFrame:
    hit = scope[(scope["employees"] >= params.big_org_staff) & (scope["formal_members"] == 0)]
    detail = (
        "从业人员 " + hit["employees"].astype(str) + " 人，没有正式党员；"
        "应选派党建指导员，培养入党积极分子，发展党员。"
    )
    return _org_rows(hit, "big_without_members", detail)


def _party_org_flags(pos: pd.DataFrame, covering: set[str], params: Params) -> pd.DataFrame:
    """Findings about Party organizations; ``covering`` holds those covering one that counts."""
    rows: list[dict[str, object]] = []
    as_of = params.as_of
    inactive_before = months_before(as_of, params.inactive_months)
    warn_until = days_after(as_of, params.election_warning_days)
    for po in pos.to_dict("records"):
        ours = po["type"] not in _OUTSIDE
        active_cover = po["is_liangxin"] and po["id"] in covering

        def add(code: str, detail: str, po: dict = po) -> None:
            rows.append(
                {
                    "code": code,
                    "subject": po["id"],
                    "subject_kind": "party_org",
                    "name": po["name"],
                    "street": _none(po["street"]),
                    "street_name": _none(po["street_name"]),
                    "district": _none(po["district"]),
                    "detail": detail,
                }
            )

        branch = po["level"] in (PartyLevel.BRANCH, PartyLevel.GENERAL_BRANCH)
        if branch and po["is_joint"] and po["covers_operating"] > params.joint_max_orgs:
            add(
                "oversized_joint",
                f"联合{po['level']}覆盖 {po['covers_operating']} 个组织，超过 "
                f"{params.joint_max_orgs} 个；应划小组建单元，拆分或推动党员多的组织单独组建。",
            )
        if active_cover:
            reasons = []
            if po["has_secretary"] is False:
                reasons.append("未配备书记")
            last = as_date(po["last_activity"])
            if last is not None and last < inactive_before:
                reasons.append(
                    f"最近一次组织生活在 {last.isoformat()}，已超过 {params.inactive_months} 个月"
                )
            if reasons:
                add("weak_lax", "；".join(reasons) + "。列入软弱涣散排查，限期整顿。")
        if ours:
            start = as_date(po["last_election"]) or as_date(po["founded"])
            if start is not None:
                years = term_years(po["level"], params)
                due = _add_years(start, years)
                basis = "上次换届" if as_date(po["last_election"]) else "成立"
                if due < as_of:
                    add(
                        "overdue_election",
                        f"{basis}于 {start.isoformat()}，{years} 年任期已于 {due.isoformat()} "
                        f"届满，逾期 {(as_of - due).days} 天；应尽快按期换届。",
                    )
                elif due <= warn_until:
                    add(
                        "election_due_soon",
                        f"{years} 年任期将于 {due.isoformat()} 届满（还有 {(due - as_of).days} "
                        "天），请提前做好换届准备。",
                    )
        if active_cover and po["pairings"] == 0:
            add("unpaired", "尚未与机关、事业单位、村社区或其他党组织结对共建。")
    return pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "code_label"])


def _none(value: object) -> object:
    return None if is_missing(value) else value


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
