"""结对共建: unpaired 两新 Party organizations, suggested partners, and pairing counts."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import networkx as nx
import pandas as pd

from graph.analysis.common import (
    Params,
    commonest,
    is_missing,
    memoised,
    missing_as_none,
    node_rows,
    org_table,
    party_org_table,
    pct,
    streets,
)
from graph.columns.pairing import UNPAIRED
from graph.model import EdgeKind, NodeKind, OrgKind, PairingType, PartyOrgType, node_id

__all__ = [
    "BY",
    "PROXIMITY",
    "UNPAIRED_COLUMNS",
    "PairingResult",
    "pairing",
    "pairing_counts",
    "unpaired",
]

UNPAIRED_COLUMNS = UNPAIRED.keys()
"""The columns of :func:`unpaired`, in order (the column catalogue's)."""

PROXIMITY: dict[str, str] = {
    "lead_department": "产业链牵头部门",
    "street": "同街道",
    "district": "同区县",
    "city": "市级",
    "other_district": "其他区县",
}
"""How near a suggested partner is, best first (the ``proximity`` column holds the Chinese)."""

BY = ("type", "district")
"""Groupings of :func:`pairing_counts`."""

SCHOOL_WORDS = ("学校", "中学", "小学", "学院", "大学", "幼儿园")
HOSPITAL_WORDS = ("医院", "卫生")
COMMUNITY_WORD = "社区"
VILLAGE_WORD = "村"
"""Name heuristics: a 事业单位党组织 is a public school's or hospital's when its name says so; a
村社区党组织 is a community's when its name has 社区, else a village's when it has 村."""

PRIVATE_SCHOOL, PRIVATE_HOSPITAL = "民办学校", "民办医院"
UNKNOWN_DISTRICT = "（未知区县）"


@dataclass(frozen=True)
class PairingResult:
    """Unpaired organizations with suggestions, the counts, and the share paired.

    ``liangxin_orgs`` counts 两新 Party organizations covering at least one organization that
    counts; ``liangxin_paired`` those of them with a partner; ``paired_rate`` the share, in
    percent with two decimals.
    """

    unpaired: pd.DataFrame
    by_type: pd.DataFrame
    by_district: pd.DataFrame
    liangxin_orgs: int
    liangxin_paired: int
    paired_rate: float


def pairing(g: nx.MultiDiGraph, params: Params | None = None, *, top: int = 3) -> PairingResult:
    """Everything ``liangxin pairing`` shows: :func:`unpaired` and :func:`pairing_counts`.

    Cost: that of :func:`unpaired`; memoised per graph, parameters and ``top`` (a page and
    its map ask for the same result).
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    params = params or Params()
    return memoised(g, "pairing", (params.key(), top), lambda: _pairing(g, params, top))


def _pairing(g: nx.MultiDiGraph, params: Params, top: int) -> PairingResult:
    base = _liangxin(g, params)
    pairs = _pairs(g, party_org_table(g)["id"].tolist())
    paired = int((base["pairings"] > 0).sum())
    return PairingResult(
        unpaired=_unpaired(g, base, top),
        by_type=_by_type(g, pairs),
        by_district=_by_district(base, pairs),
        liangxin_orgs=len(base),
        liangxin_paired=paired,
        paired_rate=float(pct(paired, len(base))),
    )


def unpaired(g: nx.MultiDiGraph, params: Params | None = None, *, top: int = 3) -> pd.DataFrame:
    """Unpaired 两新 Party organizations, each with up to ``top`` suggested partners.

    A 两新 Party organization (企业, 社会组织, 楼宇 党组织, 行业党委, 街道两新综合党委, 园区企业
    党委) that covers at least one organization that counts (经营状态 正常, in scope) and has no
    结对共建 partner should get one (seed 000 §6 and §11, seed 004). The pairing types of the
    texts give its candidate partners:

    - 机关—两新: a 机关党组织, for every one; the lead department (牵头部门) of a chain its
      organizations belong to is as near as the same street;
    - 公办—民办学校: a public school's 事业单位党组织, when it covers a 民办学校;
    - 公立—民营医院: a public hospital's 事业单位党组织, when it covers a 民办医院;
    - 社区—企业: a community's 村社区党组织, when it covers a 非公企业;
    - 企业—村: a village's 村社区党组织, when it covers a 非公企业.

    Schools, hospitals, villages and communities are recognised by name (:data:`SCHOOL_WORDS`,
    :data:`HOSPITAL_WORDS`, 社区, 村), and a partner without a street is placed in a district
    when its name contains the district's name: heuristics, documented as such. Candidates are
    ranked by proximity (:data:`PROXIMITY`: same street, then same district, then city-level;
    agencies and communities of another district are never suggested, schools, hospitals and
    villages of another district last) and then by load: the partner's existing pairings plus
    the suggestions already made to organizations earlier in this list, so that one nearby
    partner is not offered to every organization of a street. Each organization gets first the
    best candidate of each type that applies (the type matching its category first, then the
    nearer), then the second best of each, up to ``top``. An organization for which the ledger
    holds no candidate still gets one row, with the suggestion empty and the reason saying so.

    Returns one row per suggestion (columns :data:`UNPAIRED_COLUMNS`), by district, street,
    Party organization and ``rank``. ``covers`` counts the organizations that count;
    ``kinds`` and ``categories`` list theirs (joined with 、); ``street`` is the Party
    organization's own, or the one most of its organizations are in. Cost: linear in the
    organizations plus a few heap operations per suggestion.
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    params = params or Params()
    return _unpaired(g, _liangxin(g, params), top)


def pairing_counts(
    g: nx.MultiDiGraph, by: str = "type", params: Params | None = None
) -> pd.DataFrame:
    """Existing pairings (结对共建) per 共建类型 or per district.

    ``by="type"``: one row per 共建类型 of the ledger, every type present (0 included) in the
    model's order: ``type``, ``pairs`` (pairings of that type), ``liangxin_orgs_paired``
    (distinct 两新 Party organizations in them).

    ``by="district"``: one row per district of a 两新 Party organization covering at least one
    organization that counts: ``district``, ``liangxin_orgs`` (those organizations),
    ``liangxin_orgs_paired`` (with a partner), ``paired_rate`` (percent), ``pairs``
    (pairings with one of them on either side), worst ``paired_rate`` first.
    Cost: one pass over the Party organizations' edges.
    """
    if by not in BY:
        raise ValueError(f"unknown grouping {by!r}")
    params = params or Params()
    pairs = _pairs(g, party_org_table(g)["id"].tolist())
    if by == "type":
        return _by_type(g, pairs)
    return _by_district(_liangxin(g, params), pairs)


# ---------------------------------------------------------------------------------------------


def _unpaired(g: nx.MultiDiGraph, base: pd.DataFrame, top: int) -> pd.DataFrame:
    todo = base[base["pairings"] == 0].sort_values(
        ["district", "street", "id"], na_position="last", kind="stable"
    )
    pools = _Pools(g)
    rows: list[dict[str, object]] = []
    columns = ["id", "name", "street", "street_name", "district", "covers"]
    records = todo[[*columns, "kinds", "categories", "chains"]].to_dict("records")
    for po in cast("list[dict[str, Any]]", records):
        head = {
            "party_org": po["id"],
            "name": po["name"],
            "street": po["street"],
            "street_name": po["street_name"],
            "district": po["district"],
            "covers": po["covers"],
            "kinds": "、".join(po["kinds"]),
            "categories": "、".join(po["categories"]),
        }
        picks = pools.suggest(po, top)
        if not picks:
            rows.append(
                {
                    **head,
                    "reason": "台账中没有可结对的机关、事业单位或村社区党组织，"
                    "请补录后再生成结对建议。",
                }
            )
        for rank, pick in enumerate(picks, start=1):
            rows.append({**head, "rank": rank, **pick})
    frame = pd.DataFrame(rows, columns=UNPAIRED_COLUMNS)
    for column in ("covers", "rank", "partner_pairings", "partner_suggested"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _by_type(g: nx.MultiDiGraph, pairs: list[tuple[str, str, str]]) -> pd.DataFrame:
    pos = party_org_table(g)
    liangxin = set(pos.loc[pos["is_liangxin"], "id"].tolist())
    count: dict[str, int] = defaultdict(int)
    paired: dict[str, set[str]] = defaultdict(set)
    for a, b, t in pairs:
        count[t] += 1
        paired[t].update(c for c in (a, b) if c in liangxin)
    known = [t.value for t in PairingType]
    types = known + sorted(set(count) - set(known))  # a type the model does not know is kept
    frame = pd.DataFrame(
        {
            "type": types,
            "pairs": [count.get(t, 0) for t in types],
            "liangxin_orgs_paired": [len(paired.get(t, ())) for t in types],
        }
    )
    return frame.astype({"pairs": "int64", "liangxin_orgs_paired": "int64"})


def _by_district(base: pd.DataFrame, pairs: list[tuple[str, str, str]]) -> pd.DataFrame:
    base = base.copy()
    base["district"] = [UNKNOWN_DISTRICT if d is None else d for d in base["district"].tolist()]
    district = dict(zip(base["id"].tolist(), base["district"].tolist(), strict=True))
    pair_count: dict[str, int] = defaultdict(int)
    for a, b, _ in pairs:
        for d in {district[c] for c in (a, b) if c in district}:
            pair_count[d] += 1
    grouped = (
        base.assign(paired=base["pairings"] > 0)
        .groupby("district", sort=True)
        .agg(liangxin_orgs=("id", "size"), liangxin_orgs_paired=("paired", "sum"))
        .reset_index()
    )
    grouped["paired_rate"] = pct(grouped["liangxin_orgs_paired"], grouped["liangxin_orgs"])
    grouped["pairs"] = grouped["district"].map(lambda d: pair_count.get(d, 0))
    grouped = grouped.astype(
        {"liangxin_orgs": "int64", "liangxin_orgs_paired": "int64", "pairs": "int64"}
    )
    return grouped.sort_values(["paired_rate", "district"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------


_TYPE_ORDER = {
    PairingType.SCHOOL: 0,
    PairingType.HOSPITAL: 1,
    PairingType.AGENCY_LIANGXIN: 2,
    PairingType.COMMUNITY_ENTERPRISE: 3,
    PairingType.ENTERPRISE_VILLAGE: 4,
}
_SPECIFIC = frozenset({PairingType.SCHOOL, PairingType.HOSPITAL})
_TIERS: dict[PairingType, tuple[int, ...]] = {
    PairingType.AGENCY_LIANGXIN: (0, 1, 2),
    PairingType.SCHOOL: (0, 1, 2, 3),
    PairingType.HOSPITAL: (0, 1, 2, 3),
    PairingType.COMMUNITY_ENTERPRISE: (0, 1, 2),
    PairingType.ENTERPRISE_VILLAGE: (0, 1, 2, 3),
}
"""Proximity tiers allowed per type: 0 same street (or lead department), 1 same district,
2 city-level (no district known), 3 another district."""


def _liangxin(g: nx.MultiDiGraph, params: Params) -> pd.DataFrame:
    """两新 Party organizations covering at least one organization that counts, with their
    place (own street, else their organizations' most common one), what they cover, and the
    chains their organizations are in."""
    pos = party_org_table(g)
    orgs = org_table(g, params)
    scope = orgs[orgs["in_scope"] & orgs["party_org"].notna()]
    covering = set(scope["party_org"].tolist())
    covers_scope = pd.Series([c in covering for c in pos["id"].tolist()], index=pos.index)
    base = pos[pos["is_liangxin"] & covers_scope].copy()
    grouped = scope.groupby("party_org")
    base["covers"] = base["id"].map(grouped.size()).astype("int64")
    base["street"] = base["street"].fillna(base["id"].map(commonest(scope, "party_org", "street")))
    street = [None if is_missing(v) else str(v) for v in base["street"].tolist()]
    base["street"] = street
    for column, source in (("street_name", "name"), ("district", "district")):
        lookup = missing_as_none(streets(g)[source]).to_dict()
        base[column] = [lookup.get(st) for st in street]
    ids = base["id"].tolist()
    for column, values in (("kinds", "org_kind"), ("categories", "category"), ("chains", "chain")):
        distinct = _distinct(scope, values)
        base[column] = [distinct.get(po, ()) for po in ids]
    return base.reset_index(drop=True)


def _pairs(g: nx.MultiDiGraph, ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """Every pairing from one of ``ids`` as (party_org a, party_org b, type); no type is 其他."""
    paired = EdgeKind.PAIRED_WITH.value
    other = PairingType.OTHER.value
    found = []
    for code in ids:
        for v, edges in g.succ[node_id(NodeKind.PARTY_ORG, code)].items():
            if paired in edges:
                found.append((code, g.nodes[v]["code"], edges[paired].get("type") or other))
    return found


class _Pools:
    """Candidate partners per pairing type, in heaps by place, with their current load.

    Each candidate sits in the heap of its street, of its district and of all candidates with
    a district (or, without a district, in the city-level heap), an agency also in the heap of
    each chain lead department its name contains; entries are ``(load, code)`` and an entry whose
    load is no longer the candidate's is stale and dropped when met (lazy deletion).
    """

    def __init__(self, g: nx.MultiDiGraph) -> None:
        pos = party_org_table(g)
        districts = sorted(
            {str(d["name"]) for d in node_rows(g, NodeKind.DISTRICT)}, key=len, reverse=True
        )
        self.chain_lead = {
            str(d["code"]): str(d["lead_department"])
            for d in node_rows(g, NodeKind.CHAIN)
            if not is_missing(d.get("lead_department"))
        }
        partners = pos[
            pos["type"].isin(
                [PartyOrgType.AGENCY, PartyOrgType.INSTITUTION, PartyOrgType.VILLAGE_COMMUNITY]
            )
        ]
        self.name: dict[str, str] = {}
        self.district: dict[str, str | None] = {}
        self.load: dict[str, int] = {}
        self.base: dict[str, int] = {}
        self.heaps: dict[tuple[PairingType, str, object], list[tuple[int, str]]] = defaultdict(list)
        self.member_of: dict[str, list[tuple[PairingType, str, object]]] = defaultdict(list)
        for row in partners.to_dict("records"):
            kind = _partner_type(str(row["type"]), str(row["name"]))
            if kind is None:
                continue
            code = str(row["id"])
            street = None if is_missing(row["street"]) else str(row["street"])
            district = None if is_missing(row["district"]) else str(row["district"])
            if district is None:
                district = next((d for d in districts if d in str(row["name"])), None)
            self.name[code] = str(row["name"])
            self.district[code] = district
            self.base[code] = self.load[code] = int(row["pairings"])
            keys: list[tuple[PairingType, str, object]] = []
            if street is not None:
                keys.append((kind, "street", street))
            if district is not None:
                keys += [(kind, "district", district), (kind, "known", None)]
            else:
                keys.append((kind, "city", None))
            if kind is PairingType.AGENCY_LIANGXIN:
                for dept in set(self.chain_lead.values()):
                    if dept in str(row["name"]):
                        keys.append((kind, "lead", dept))
            for key in keys:
                self.heaps[key].append((self.load[code], code))
            self.member_of[code] = keys
        for heap in self.heaps.values():
            heapq.heapify(heap)

    def suggest(self, po: dict[str, Any], top: int) -> list[dict[str, object]]:
        """Up to ``top`` suggestions for one Party organization; their load is then counted."""
        kinds, categories = po["kinds"], po["categories"]
        types = [PairingType.AGENCY_LIANGXIN]
        if PRIVATE_SCHOOL in categories:
            types.append(PairingType.SCHOOL)
        if PRIVATE_HOSPITAL in categories:
            types.append(PairingType.HOSPITAL)
        if OrgKind.ENTERPRISE.value in kinds:
            types += [PairingType.COMMUNITY_ENTERPRISE, PairingType.ENTERPRISE_VILLAGE]
        leads = sorted({self.chain_lead[c] for c in po["chains"] if c in self.chain_lead})
        ranked = []
        for t in types:
            for r, (code, tier, label) in enumerate(self._best(t, po, leads, top)):
                key = (r, t not in _SPECIFIC, tier, _TYPE_ORDER[t], self.load[code], code)
                ranked.append((key, t, code, label))
        ranked.sort(key=lambda item: item[0])
        picks: list[dict[str, object]] = []
        for _, t, code, label in ranked[:top]:
            picks.append(
                {
                    "suggested_type": t.value,
                    "suggested_partner": code,
                    "partner_name": self.name[code],
                    "partner_pairings": self.base[code],
                    "partner_suggested": self.load[code] - self.base[code],
                    "proximity": PROXIMITY[label],
                    "reason": self._reason(t, code, label, po),
                }
            )
        for pick in picks:
            self._bump(str(pick["suggested_partner"]))
        return picks

    def _best(
        self, t: PairingType, po: dict[str, Any], leads: list[str], top: int
    ) -> list[tuple[str, int, str]]:
        """The ``top`` best candidates of one type: (code, tier, proximity label)."""
        street, district = po["street"], po["district"]
        tiers: list[tuple[int, list[tuple[str, object]]]] = []
        for tier in _TIERS[t]:
            if tier == 0:
                keys: list[tuple[str, object]] = [("street", street)] if street is not None else []
                if t is PairingType.AGENCY_LIANGXIN:
                    keys += [("lead", d) for d in leads]
            elif tier == 1:
                keys = [("district", district)] if district is not None else []
            elif tier == 2:
                keys = [("city", None)]
            else:
                keys = [("known", None)]
            tiers.append((tier, keys))
        seen: set[str] = set()
        out: list[tuple[str, int, str]] = []
        for tier, keys in tiers:
            found: dict[str, tuple[int, str]] = {}
            for scope, value in keys:  # the lead department's heap last: its label wins
                for load, code in self._take(t, scope, value, top - len(out), seen):
                    found[code] = (load, _label(tier, scope))
            for code, (_, label) in sorted(found.items(), key=lambda i: (i[1][0], i[0]))[
                : top - len(out)
            ]:
                seen.add(code)
                out.append((code, tier, label))
            if len(out) >= top:
                break
        return out

    def _take(
        self, t: PairingType, scope: str, value: object, k: int, seen: set[str]
    ) -> list[tuple[int, str]]:
        """The ``k`` least-loaded valid entries of one heap not in ``seen``; the heap is kept."""
        heap = self.heaps.get((t, scope, value))
        if not heap or k <= 0:
            return []
        taken: list[tuple[int, str]] = []
        back: list[tuple[int, str]] = []
        while heap and len(taken) < k:
            load, code = heapq.heappop(heap)
            if load != self.load[code]:
                continue  # stale: a fresher entry is in the heap
            back.append((load, code))
            if code not in seen:
                taken.append((load, code))
        for entry in back:
            heapq.heappush(heap, entry)
        return taken

    def _bump(self, code: str) -> None:
        self.load[code] += 1
        for key in self.member_of[code]:
            heapq.heappush(self.heaps[key], (self.load[code], code))

    def _reason(self, t: PairingType, code: str, label: str, po: dict[str, Any]) -> str:
        if t is PairingType.SCHOOL:
            why = "覆盖民办学校，按“公办—民办学校”结对，由公办学校党组织帮带"
        elif t is PairingType.HOSPITAL:
            why = "覆盖民办医院，按“公立—民营医院”结对，由公立医院党组织帮带"
        elif t is PairingType.COMMUNITY_ENTERPRISE:
            why = "覆盖非公企业，按“社区—企业”与所在社区结对共建"
        elif t is PairingType.ENTERPRISE_VILLAGE:
            why = "覆盖非公企业，按“企业—村”与村结对，助力乡村振兴"
        else:
            why = "按“机关—两新”由机关党组织联系帮带"
        if label == "lead_department":
            where = "对方是所在产业链的牵头部门"
        elif label == "street":
            where = f"同在{po['street_name'] or po['street']}"
        elif label == "district":
            where = f"同在{po['district']}"
        elif label == "city":
            where = "对方为市级单位"
        else:
            where = f"对方在{self.district[code] or '其他区县'}（本区县没有合适的结对对象）"
        load = f"对方现有结对 {self.base[code]} 个"
        earlier = self.load[code] - self.base[code]
        if earlier:
            load += f"，本清单已向 {earlier} 个党组织推荐"
        return f"{why}；{where}；{load}。"


def _label(tier: int, scope: str) -> str:
    """The :data:`PROXIMITY` key of a candidate found in ``tier`` through heap ``scope``."""
    if tier == 0:
        return "lead_department" if scope == "lead" else "street"
    return {1: "district", 2: "city"}.get(tier, "other_district")


def _partner_type(po_type: str, name: str) -> PairingType | None:
    """Which pairing a non-两新 Party organization can serve, recognised by type and name."""
    if po_type == PartyOrgType.AGENCY:
        return PairingType.AGENCY_LIANGXIN
    if po_type == PartyOrgType.INSTITUTION:
        if any(w in name for w in SCHOOL_WORDS):
            return PairingType.SCHOOL
        if any(w in name for w in HOSPITAL_WORDS):
            return PairingType.HOSPITAL
        return None
    if po_type == PartyOrgType.VILLAGE_COMMUNITY:
        if COMMUNITY_WORD in name:
            return PairingType.COMMUNITY_ENTERPRISE
        if VILLAGE_WORD in name:
            return PairingType.ENTERPRISE_VILLAGE
    return None


def _distinct(scope: pd.DataFrame, column: str) -> dict[str, tuple[str, ...]]:
    """The distinct values of a column among each Party organization's organizations."""
    pairs = scope[["party_org", column]].dropna().drop_duplicates()
    found: dict[str, list[str]] = defaultdict(list)
    for po, value in zip(pairs["party_org"].tolist(), pairs[column].tolist(), strict=True):
        found[po].append(str(value))
    return {po: tuple(sorted(values)) for po, values in found.items()}
