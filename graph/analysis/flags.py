"""Findings to act on, one row each: who should form their own, what is too big, weak or due."""

from __future__ import annotations

import datetime as dt
from typing import cast

import networkx as nx
import pandas as pd

from graph.analysis.common import (
    Params,
    as_date,
    days_after,
    is_missing,
    memoised,
    org_table,
    party_org_table,
    term_years,
)
from graph.analysis.rules import weak_lax_mask, weak_lax_reasons
from graph.columns.flags import FLAGS
from graph.model import PartyOrgType

__all__ = ["FLAG_CODES", "SCREENED_TYPES", "flags", "weak_lax_screen"]

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

COLUMNS = FLAGS.keys()
"""The columns of :func:`flags`, in order (the column catalogue's)."""

_OUTSIDE = frozenset(
    {PartyOrgType.AGENCY, PartyOrgType.INSTITUTION, PartyOrgType.VILLAGE_COMMUNITY}
)
"""Party organizations of agencies, institutions, villages and communities are pairing partners,
not 两新 organizations: their elections and activity are not this ledger's to judge."""

SCREENED_TYPES = frozenset(
    {
        PartyOrgType.CHAIN_COMMITTEE.value,
        PartyOrgType.PARK_WORKING_COMMITTEE.value,
        PartyOrgType.PARK_ENTERPRISE_COMMITTEE.value,
    }
)
"""Screened for 软弱涣散 whether or not they cover an organization: the chain committees and
the park committees above them (the first two levels of seed 000 §12's three-level system)."""


def flags(g: nx.MultiDiGraph, params: Params | None = None) -> pd.DataFrame:
    """Every finding, one row each, with a Chinese explanation of what to do.

    - ``standalone_eligible``: an organization in scope with 3 or more formal members that has
      no Party organization of its own (uncovered, or in a joint one) should form its own
      (单独组建, seed 003; "应建尽建").
      The head of a 龙头领建 organization has its own (``org_table``'s ``standalone``).
    - ``oversized_joint``: a joint Party organization (``is_joint``) at any level — 党支部,
      党总支 or 党委 — covering more than 5 正常 organizations should be split into smaller
      units (seed 001 §6, 划小组建单元; ``rules.room_orgs``).
    - ``big_without_members``: an organization in scope with 50 or more staff and no Party
      member at all, formal or probationary (seed 002: every organization with 50+ staff
      should have members; a 预备党员 is a member).
    - ``weak_lax``: a Party organization of :func:`weak_lax_screen` that
      ``rules.weak_lax_reasons`` finds weak: no secretary, or last organisational life more
      than 6 months before ``as_of`` (软弱涣散, seed 001 §12). A missing date is not counted.
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
        _party_org_flags(
            pos,
            set(scope["party_org"].dropna()),
            cast("dict[str, bool]", weak_lax_screen(g, params).to_dict()),
            params,
        ),
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
    members = scope["formal_members"] + scope["probationary_members"]
    hit = scope[(scope["employees"] >= params.big_org_staff) & (members == 0)]
    detail = (
        "从业人员 " + hit["employees"].astype(str) + " 人，正式党员和预备党员均为 0 名；"
        "应选派党建指导员，培养入党积极分子，发展党员。"
    )
    return _org_rows(hit, "big_without_members", detail)


def _party_org_flags(
    pos: pd.DataFrame, covering: set[str], weak: dict[str, bool], params: Params
) -> pd.DataFrame:
    """Findings about Party organizations; ``covering`` holds those covering one that counts,
    ``weak`` those screened for 软弱涣散 and whether they are (:func:`weak_lax_screen`)."""
    rows: list[dict[str, object]] = []
    as_of = params.as_of
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

        if po["is_joint"] and po["covers_operating"] > params.joint_max_orgs:
            mode = "" if is_missing(po["formation"]) else f"（{po['formation']}）"
            add(
                "oversized_joint",
                f"联合{_none(po['level']) or '党组织'}{mode}覆盖 {po['covers_operating']} 个"
                f"正常经营的组织，超过 {params.joint_max_orgs} 个；应划小组建单元，"
                "拆分或推动党员多的组织单独组建。",
            )
        if weak.get(po["id"], False):
            reasons = weak_lax_reasons(po["has_secretary"], po["last_activity"], params)
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


def weak_lax_screen(g: nx.MultiDiGraph, params: Params | None = None) -> pd.Series:
    """The Party organizations screened for 软弱涣散 and which of them are weak and lax.

    One universe for ``flags`` and ``chains`` (issue 11): every 两新 Party organization
    covering an organization that counts (正常, in scope), plus every chain committee and park
    committee (:data:`SCREENED_TYPES`) whether or not it covers one. Whether one is weak is
    ``rules.weak_lax_mask``: no secretary, or last organisational life more than
    ``params.inactive_months`` before ``params.as_of``; a blank date is no evidence.

    Returns a boolean Series indexed by 党组织编码 (True: weak and lax), in ledger order.
    Memoised per graph and parameters.
    """
    params = params or Params()
    return memoised(g, "weak_lax", params.key(), lambda: _weak_lax_screen(g, params))


def _weak_lax_screen(g: nx.MultiDiGraph, params: Params) -> pd.Series:
    orgs = org_table(g, params)
    pos = party_org_table(g)
    covering = set(orgs.loc[orgs["in_scope"], "party_org"].dropna())
    screened = (pos["is_liangxin"] & pos["id"].isin(covering)) | pos["type"].isin(SCREENED_TYPES)
    chosen = pos[screened]
    return pd.Series(
        weak_lax_mask(chosen, params).to_numpy(dtype=bool),
        index=pd.Index(chosen["id"].astype(str), name="party_org"),
        name="weak_lax",
    )


def _none(value: object) -> object:
    return None if is_missing(value) else value


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
