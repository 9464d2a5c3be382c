"""Industry chains (产业链): the three-level structure, the committee's three sides, weak links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import networkx as nx
import pandas as pd

from graph.analysis.common import (
    Params,
    is_missing,
    node_rows,
    org_table,
    party_org_table,
    pct,
)
from graph.analysis.flags import weak_lax_screen
from graph.analysis.rules import weak_lax_reasons
from graph.columns.chains import FINDING_ROWS, SEGMENTS
from graph.errors import NotFound
from graph.model import (
    CommitteeSide,
    EdgeKind,
    NodeKind,
    PartyOrgType,
    SegmentPosition,
    node_id,
)

__all__ = [
    "ATTACHMENTS",
    "FINDING_CODES",
    "FINDING_COLUMNS",
    "SEGMENT_COLUMNS",
    "SEVERITIES",
    "ChainCommittee",
    "ChainFinding",
    "ChainReport",
    "CommitteeMember",
    "EnterpriseOrg",
    "ParkCommittee",
    "SegmentRow",
    "chain_findings",
    "chain_structure",
    "segment_coverage",
]

FINDING_CODES: dict[str, str] = {
    "chain_without_committee": "未建产业链党委",
    "committee_without_parent": "产业链党委无园区上级",
    "committee_missing_side": "三方进入缺项",
    "segment_uncovered": "环节无党组织覆盖",
    "segment_single_point": "环节仅一家覆盖",
    "enterprise_po_detached": "企业党组织未纳入产业链党委",
    "single_point_of_failure": "链上关键节点",
    "weak_lax": "软弱涣散",
}
"""Finding codes and their Chinese names, in the order a chain's findings are listed."""

SEVERITIES = ("高", "中", "低")
"""Severity of a finding, most urgent first."""

ATTACHMENTS: dict[str, str] = {
    "formal": "隶属",
    "functional": "功能型",
    "detached": "未纳入",
}
"""How an enterprise Party organization hangs under its chain's committee (seed 000 §12)."""

FINDING_COLUMNS = FINDING_ROWS.keys()
"""The columns of :func:`chain_findings`, in order (the column catalogue's)."""
SEGMENT_COLUMNS = SEGMENTS.keys()
"""The columns of :func:`segment_coverage`, in order (the column catalogue's)."""

_HIGH, _MEDIUM, _LOW = SEVERITIES
_POSITION_ORDER = {p.value: i for i, p in enumerate(SegmentPosition)}
_ENTERPRISE_LEVEL = frozenset(
    {PartyOrgType.ENTERPRISE.value, PartyOrgType.SOCIAL.value, PartyOrgType.BUILDING.value}
)
"""Party organizations that are the third level (企业党组织): an organization's own or joint one.

Umbrella committees that cover organizations directly (街道两新综合党委 兜底, 行业党委, the park
committees) count for coverage and weak-and-lax, but are not asked to join the chain committee.
"""
_PARK_LEVEL = frozenset(t.value for t in PartyOrgType if t.is_park_level)
_NAMES_SHOWN = 3
_ORG, _PO = f"{NodeKind.ORGANIZATION.prefix}:", f"{NodeKind.PARTY_ORG.prefix}:"


@dataclass(frozen=True)
class ParkCommittee:
    """The first level: the 园区党工委 / 园区企业党委 a chain committee is subordinate to."""

    code: str
    name: str


@dataclass(frozen=True)
class CommitteeMember:
    """One member unit of a chain committee (三方进入): ``member`` is its USCC, None for a unit
    given by name only (a government department, an alliance without a code)."""

    side: str
    member: str | None
    name: str


@dataclass(frozen=True)
class ChainCommittee:
    """The second level: one 产业链党委 of the chain, its parent and its member units."""

    code: str
    name: str
    level: str | None
    has_secretary: bool
    parent: str | None
    parent_name: str | None
    parent_is_park: bool
    members: tuple[CommitteeMember, ...]
    sides_present: tuple[str, ...]
    sides_missing: tuple[str, ...]


@dataclass(frozen=True)
class EnterpriseOrg:
    """The third level: an enterprise Party organization covering chain organizations.

    ``attachment`` is ``formal`` (subordinate to a committee of the chain, directly or through
    its ancestors), ``functional`` (not subordinate, but a functional member: FUNCTIONAL_MEMBER_OF,
    or one of its organizations sits on the committee) or ``detached`` (neither).
    """

    party_org: str
    name: str
    attachment: str
    organizations: tuple[str, ...]


@dataclass(frozen=True)
class SegmentRow:
    """Coverage of one chain segment (产业链环节) among the organizations that count."""

    chain: str
    chain_name: str
    segment: str
    name: str
    position: str | None
    order: int | None
    enterprises: int
    covered: int
    own_organization: int
    org_rate: float


@dataclass(frozen=True)
class ChainFinding:
    """One weak link of a chain, with what is wrong and what to do (``detail``, Chinese)."""

    chain: str
    chain_name: str
    code: str
    subject: str
    subject_name: str
    severity: str
    detail: str
    action: str
    """The suggested action alone (建议做法), the end of ``detail``."""


@dataclass(frozen=True)
class ChainReport:
    """One industry chain: its three levels, the three sides, its segments and findings.

    ``enterprises`` and ``covered`` count the chain's organizations in scope (in a segment of
    the chain, 经营状态 正常, meeting the staff minimum) and those with a Party organization;
    ``attached_formal``, ``attached_functional`` and ``detached`` count ``enterprise_orgs`` by
    attachment.
    """

    chain: str
    name: str
    lead_department: str | None
    park_committee: ParkCommittee | None
    committees: tuple[ChainCommittee, ...]
    sides_present: tuple[str, ...]
    sides_missing: tuple[str, ...]
    enterprises: int
    covered: int
    enterprise_orgs: tuple[EnterpriseOrg, ...]
    attached_formal: int
    attached_functional: int
    detached: int
    segments: tuple[SegmentRow, ...]
    findings: tuple[ChainFinding, ...]


def chain_structure(
    g: nx.MultiDiGraph, chain: str | None = None, params: Params | None = None
) -> list[ChainReport]:
    """The three-level chain system of each chain and its weak links (seed 000 §12).

    For each industry chain (one, or every chain of the ledger with ``chain=None``, including
    chains without a committee, in ledger order):

    - the levels 园区党工委 / 园区企业党委 → 产业链党委 → 企业党组织: the chain's committees
      (LEADS_CHAIN), the park-level committee each is subordinate to, and every enterprise-level
      Party organization covering one of the chain's organizations in scope, attached formally
      (SUBORDINATE_TO the committee, directly or through ancestors), functionally
      (FUNCTIONAL_MEMBER_OF, or one of its organizations SITS_ON the committee) or not at all.
      Umbrella committees covering organizations directly (街道两新综合党委 兜底, 行业党委, park
      committees) count for coverage and weak-and-lax but are not third-level organizations;
    - the committee's members by side (三方进入: 骨干企业, 政府部门, 协会联盟);
    - coverage per segment, upstream to downstream (上游, 中游, 下游, then the segment order);
    - the findings, in the order of :data:`FINDING_CODES`: ``chain_without_committee``,
      ``committee_without_parent`` (no parent, or a parent that is not a park committee),
      ``committee_missing_side`` (one per missing side), ``segment_uncovered`` (organizations
      in the segment, none covered), ``segment_single_point`` (exactly one covered),
      ``enterprise_po_detached``, ``single_point_of_failure`` (an organization whose removal
      cuts the chain's supply-and-party network, see below) and ``weak_lax`` (软弱涣散, seed
      001 §12: the chain's committees, the park committees above them and the 两新 Party
      organizations covering the chain's organizations, screened and judged exactly as
      ``flags`` does — :func:`graph.analysis.flags.weak_lax_screen`,
      ``rules.weak_lax_reasons``: no secretary (高), or last organisational life more than
      ``params.inactive_months`` before ``params.as_of`` (中); a blank date is no evidence).

    The supply-and-party network of a chain is undirected: its organizations in scope with the
    SUPPLIES links among them, the Party organizations covering them (COVERS), the committees,
    and the committee links (formal and functional attachment, SITS_ON). An organization is a
    single point of failure when it is an articulation point whose removal separates at least
    two parts that each hold an organization or a committee (cutting off nothing but its own
    Party organization does not count); the detail lists the bridges (single links between two
    organizations) at it. Only organizations that count take part anywhere.

    An unknown ``chain`` raises :class:`graph.errors.NotFound`. Cost: linear in the chains'
    organizations, Party organizations and links (biconnected components per chain).
    """
    params = params or Params()
    ctx = _Context(g, params)
    return [ctx.report(code) for code in ctx.chain_codes(chain)]


def chain_findings(
    g: nx.MultiDiGraph, chain: str | None = None, params: Params | None = None
) -> pd.DataFrame:
    """Every finding of :func:`chain_structure` as one table, one row per finding.

    Columns :data:`FINDING_COLUMNS`: ``chain``, ``chain_name``, ``code``, ``code_label`` (the
    Chinese name), ``subject`` (a USCC, 党组织编码, segment or chain code), ``subject_name``,
    ``severity`` (高 / 中 / 低), ``detail`` (Chinese: what is wrong and what to do) and
    ``action`` (the suggested action alone, the end of ``detail``). Rows
    are in chain order, then in the order of :data:`FINDING_CODES`.
    """
    rows = [f for report in chain_structure(g, chain, params) for f in report.findings]
    frame = pd.DataFrame(
        [
            {
                "chain": f.chain,
                "chain_name": f.chain_name,
                "code": f.code,
                "code_label": FINDING_CODES[f.code],
                "subject": f.subject,
                "subject_name": f.subject_name,
                "severity": f.severity,
                "detail": f.detail,
                "action": f.action,
            }
            for f in rows
        ],
        columns=FINDING_COLUMNS,
    )
    return frame


def segment_coverage(
    g: nx.MultiDiGraph, chain: str | None = None, params: Params | None = None
) -> pd.DataFrame:
    """Coverage per chain segment (产业链环节), upstream to downstream, every segment included.

    Columns :data:`SEGMENT_COLUMNS`: ``chain``, ``chain_name``, ``segment``, ``name``,
    ``position`` (上游 / 中游 / 下游), ``order``, ``enterprises`` (the segment's organizations in
    scope), ``covered`` (with a Party organization), ``own_organization`` (with their own,
    单独组建) and ``org_rate`` (covered ÷ enterprises, percent, NaN for an empty segment). An
    unknown ``chain`` raises :class:`graph.errors.NotFound`. Cost: one pass over the
    organizations.
    """
    params = params or Params()
    ctx = _Context(g, params)
    rows = [row for code in ctx.chain_codes(chain) for row in ctx.segment_rows(code)]
    frame = pd.DataFrame([vars(r) for r in rows], columns=SEGMENT_COLUMNS)
    frame["order"] = frame["order"].astype("Int64")
    for column in ("enterprises", "covered", "own_organization"):
        frame[column] = frame[column].astype("int64")
    frame["org_rate"] = frame["org_rate"].astype("float64")
    return frame


# ---------------------------------------------------------------------------------------------


class _Context:
    """The tables and lookups every chain's report reads, derived once per call."""

    def __init__(self, g: nx.MultiDiGraph, params: Params) -> None:
        self.g = g
        self.params = params
        orgs = org_table(g, params)
        self.scope = orgs[orgs["in_scope"] & orgs["chain"].notna()]
        self.org_names: dict[str, str] = dict(
            zip(orgs["uscc"].tolist(), orgs["name"].tolist(), strict=True)
        )
        pos = party_org_table(g)
        self.po: dict[str, dict[str, Any]] = {
            column: dict(zip(pos["id"].tolist(), _plain(pos[column]), strict=True))
            for column in ("name", "type", "parent", "level", "has_secretary", "last_activity")
        }
        self.chains: dict[str, dict[str, Any]] = {}
        self.segments: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.committees: dict[str, list[str]] = defaultdict(list)
        for data in node_rows(g, NodeKind.CHAIN):
            self.chains[data["code"]] = data
        for data in node_rows(g, NodeKind.SEGMENT):
            if data.get("chain") is not None:
                self.segments[data["chain"]].append(data)
        for code in pos.loc[pos["type"] == PartyOrgType.CHAIN_COMMITTEE, "id"].tolist():
            for _, v, key in g.out_edges(_PO + code, keys=True):
                if key == EdgeKind.LEADS_CHAIN:
                    self.committees[g.nodes[v]["code"]].append(code)
        self.weak = cast("dict[str, bool]", weak_lax_screen(g, params).to_dict())
        """The Party organizations screened for 软弱涣散, as ``flags`` screens them: weak or not."""
        parks = pos[pos["type"].isin(_PARK_LEVEL) & pos["park"].notna()]
        parks = parks.assign(_working=parks["type"] != PartyOrgType.PARK_WORKING_COMMITTEE)
        parks = parks.sort_values(["_working", "id"]).drop_duplicates("park")
        self.park_committee: dict[str, str] = dict(
            zip(parks["park"].tolist(), parks["id"].tolist(), strict=True)
        )
        """The 园区党工委 of each park (its 园区企业党委 where it has none)."""
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._functional_memo: dict[str, set[str]] = {}

    def chain_codes(self, chain: str | None) -> list[str]:
        if chain is None:
            return list(self.chains)
        if chain not in self.chains:
            raise NotFound(f"台账中没有产业链编码“{chain}”，请检查产业链表中的编码。")
        return [chain]

    # -- segments ----------------------------------------------------------------------------

    def segment_rows(self, code: str) -> list[SegmentRow]:
        chain_name = str(self.chains[code]["name"])
        orgs = self.scope[self.scope["chain"] == code]
        counted = orgs.groupby("segment").agg(
            enterprises=("uscc", "size"),
            covered=("org_covered", "sum"),
            own_organization=("standalone", "sum"),
        )
        segments = sorted(
            self.segments.get(code, []),
            key=lambda s: (
                _POSITION_ORDER.get(str(s.get("position")), len(_POSITION_ORDER)),
                s.get("order") if s.get("order") is not None else float("inf"),
                str(s["code"]),
            ),
        )
        rows = []
        for s in segments:
            seg = str(s["code"])
            n, covered, own = (
                (int(x) for x in cast(pd.Series, counted.loc[seg]))
                if seg in counted.index
                else (0, 0, 0)
            )
            rows.append(
                SegmentRow(
                    chain=code,
                    chain_name=chain_name,
                    segment=seg,
                    name=str(s["name"]),
                    position=s.get("position"),
                    order=None if s.get("order") is None else int(s["order"]),
                    enterprises=n,
                    covered=covered,
                    own_organization=own,
                    org_rate=float(pct(covered, n)),
                )
            )
        return rows

    # -- the report --------------------------------------------------------------------------

    def report(self, code: str) -> ChainReport:
        data = self.chains[code]
        name = str(data["name"])
        lead = data.get("lead_department")
        orgs = self.scope[self.scope["chain"] == code]
        committees = tuple(self._committee(c) for c in self.committees.get(code, []))
        park = next(
            (
                ParkCommittee(c.parent, c.parent_name or c.parent)
                for c in committees
                if c.parent_is_park and c.parent is not None
            ),
            None,
        )
        present = tuple(
            s.value for s in CommitteeSide if any(s.value in c.sides_present for c in committees)
        )
        missing = tuple(s.value for s in CommitteeSide if s.value not in present)
        enterprise_orgs = self._enterprise_orgs(orgs, committees)
        segments = tuple(self.segment_rows(code))

        findings = _Findings(code, name)
        self._structure_findings(findings, committees, lead, orgs)
        self._segment_findings(findings, segments, orgs)
        self._detached_findings(findings, enterprise_orgs, committees)
        self._network_findings(findings, orgs, committees)
        self._weak_lax_findings(findings, orgs, committees)

        counts = {a: sum(e.attachment == a for e in enterprise_orgs) for a in ATTACHMENTS}
        return ChainReport(
            chain=code,
            name=name,
            lead_department=lead,
            park_committee=park,
            committees=committees,
            sides_present=present if committees else (),
            sides_missing=missing if committees else (),
            enterprises=len(orgs),
            covered=int(orgs["org_covered"].sum()),
            enterprise_orgs=enterprise_orgs,
            attached_formal=counts["formal"],
            attached_functional=counts["functional"],
            detached=counts["detached"],
            segments=segments,
            findings=tuple(findings.rows),
        )

    def _committee(self, code: str) -> ChainCommittee:
        g, po = self.g, self.po
        members = []
        # (types-networkx: the view of one attribute, data="side", is typed as Never)
        for u, _, key, side in g.in_edges(  # type: ignore[var-annotated]
            node_id(NodeKind.PARTY_ORG, code), keys=True, data="side"
        ):
            if key != EdgeKind.SITS_ON:
                continue
            unit = g.nodes[u]
            is_org = unit.get("kind") == NodeKind.ORGANIZATION
            members.append(
                CommitteeMember(str(side), unit["code"] if is_org else None, str(unit["name"]))
            )
        members.sort(key=lambda m: (_side_rank(m.side), m.member or "", m.name))
        present = tuple(s.value for s in CommitteeSide if any(m.side == s.value for m in members))
        parent = po["parent"].get(code)
        parent = None if parent is None else str(parent)
        parent_type = po["type"].get(parent) if parent else None
        return ChainCommittee(
            code=code,
            name=str(po["name"][code]),
            level=po["level"].get(code),
            has_secretary=po["has_secretary"].get(code) is not False,
            parent=parent,
            parent_name=po["name"].get(parent) if parent else None,
            parent_is_park=parent_type in _PARK_LEVEL,
            members=tuple(members),
            sides_present=present,
            sides_missing=tuple(s.value for s in CommitteeSide if s.value not in present),
        )

    def _ancestors_of(self, code: str) -> tuple[str, ...]:
        """The 隶属 chain above a Party organization (a forest; a cycle is cut where it closes)."""
        if code in self._ancestors:
            return self._ancestors[code]
        path: list[str] = []
        seen = {code}
        parents = self.po["parent"]
        current = parents.get(code)
        while current is not None and current not in seen:
            path.append(str(current))
            seen.add(str(current))
            current = parents.get(str(current))
        self._ancestors[code] = tuple(path)
        return self._ancestors[code]

    def _functional(self, committee: str) -> set[str]:
        """Party organizations functionally attached to a committee (功能型)."""
        if committee in self._functional_memo:
            return self._functional_memo[committee]
        g = self.g
        po_node = node_id(NodeKind.PARTY_ORG, committee)
        members: set[str] = set()
        for u, _, key in g.in_edges(po_node, keys=True):
            if key == EdgeKind.FUNCTIONAL_MEMBER_OF:
                members.add(g.nodes[u]["code"])
            elif key == EdgeKind.SITS_ON and g.nodes[u].get("kind") == NodeKind.ORGANIZATION:
                own = g.nodes[u].get("party_org")
                if own is not None:
                    members.add(str(own))
        self._functional_memo[committee] = members
        return members

    def _enterprise_orgs(
        self, orgs: pd.DataFrame, committees: tuple[ChainCommittee, ...]
    ) -> tuple[EnterpriseOrg, ...]:
        covered = orgs[orgs["party_org"].notna()]
        by_po: dict[str, list[str]] = defaultdict(list)
        for po, uscc in zip(covered["party_org"].tolist(), covered["uscc"].tolist(), strict=True):
            if self.po["type"].get(po) in _ENTERPRISE_LEVEL:
                by_po[po].append(uscc)
        codes = {c.code for c in committees}
        functional = set().union(*(self._functional(c) for c in codes)) if codes else set()
        result = []
        for po in sorted(by_po):
            if codes & set(self._ancestors_of(po)):
                attachment = "formal"
            elif po in functional:
                attachment = "functional"
            else:
                attachment = "detached"
            result.append(EnterpriseOrg(po, str(self.po["name"][po]), attachment, tuple(by_po[po])))
        return tuple(result)

    # -- findings ----------------------------------------------------------------------------

    def _structure_findings(
        self,
        out: _Findings,
        committees: tuple[ChainCommittee, ...],
        lead: object,
        orgs: pd.DataFrame,
    ) -> None:
        name = _chain_words(out.chain_name)
        lead_text = "" if is_missing(lead) else f"（牵头部门：{lead}）"
        home = self._home_park_committee(orgs)
        if not committees:
            out.add(
                "chain_without_committee",
                out.chain,
                out.chain_name,
                _HIGH,
                f"{name}尚未建立产业链党委{lead_text}；",
                f"建议由牵头部门会同{home}组建产业链党委，"
                "吸收骨干企业、政府部门、协会联盟三方进入，把链上企业党组织纳入隶属或功能型管理。",
            )
            return
        for c in committees:
            if not c.parent_is_park:
                where = (
                    "没有上级党组织"
                    if c.parent is None
                    else f"的上级是{c.parent_name or c.parent}，不是园区党工委或园区企业党委"
                )
                out.add(
                    "committee_without_parent",
                    c.code,
                    c.name,
                    _MEDIUM,
                    f"{c.name}{where}，“园区党工委（园区企业党委）→产业链党委→企业党组织”"
                    "三级体系缺少园区一级；",
                    f"建议明确其隶属于{home}。",
                )
        for c in committees:
            for side in c.sides_missing:
                out.add(
                    "committee_missing_side",
                    c.code,
                    c.name,
                    _MEDIUM,
                    f"{c.name}成员中没有“{side}”方面的成员单位，不符合三方进入；",
                    f"建议吸收{self._side_suggestion(side, lead, orgs)}进入产业链党委。",
                )

    def _home_park_committee(self, orgs: pd.DataFrame) -> str:
        """The park committee of the park holding most of the chain's organizations, in words."""
        parks = orgs["park"].dropna()
        parks = parks[parks.isin(list(self.park_committee))]
        if parks.empty:
            return "产业链主要园区的党工委"
        counts = parks.value_counts()
        park = sorted(counts[counts == counts.max()].index.tolist())[0]
        name = self.po["name"][self.park_committee[park]]
        return f"{name}（链上组织最多的园区，{int(counts[park])} 家）"

    def _side_suggestion(self, side: str, lead: object, orgs: pd.DataFrame) -> str:
        if side == CommitteeSide.GOVERNMENT:
            return "牵头部门" + ("" if is_missing(lead) else f"{lead}") + "等政府部门"
        if side == CommitteeSide.ASSOCIATION:
            return "与本产业链相关的行业协会、产业联盟"
        own = orgs[orgs["standalone"]].sort_values(["employees", "uscc"], ascending=[False, True])
        names = "、".join(own["name"].head(_NAMES_SHOWN).tolist())
        return "链上骨干企业" + (f"（如{names}）" if names else "") + "的党组织负责人"

    def _segment_findings(
        self, out: _Findings, segments: tuple[SegmentRow, ...], orgs: pd.DataFrame
    ) -> None:
        for s in segments:
            where = f"{s.name}（{s.position or '未标注位置'}）"
            if s.enterprises and s.covered == 0:
                out.add(
                    "segment_uncovered",
                    s.segment,
                    s.name,
                    _HIGH,
                    f"{where}有链上组织 {s.enterprises} 家，均没有党组织覆盖；",
                    "建议由本链骨干企业党组织龙头领建或就近联合组建，暂不具备条件的先选派党建指导员。",
                )
            elif s.covered == 1:
                hit = orgs[(orgs["segment"] == s.segment) & orgs["org_covered"]]
                only = str(hit["name"].iloc[0]) if len(hit) else ""
                others = s.enterprises - 1
                rest, action = (
                    (f"其余 {others} 家没有党组织覆盖，", "建议推动其单独组建或纳入联合党组织。")
                    if others
                    else ("", "建议在本环节培育、引进更多企业并同步建立党组织。")
                )
                out.add(
                    "segment_single_point",
                    s.segment,
                    s.name,
                    _MEDIUM,
                    f"{where}仅{only} 1 家有党组织覆盖，本环节党建工作依赖单一组织；{rest}",
                    action,
                )

    def _detached_findings(
        self,
        out: _Findings,
        enterprise_orgs: tuple[EnterpriseOrg, ...],
        committees: tuple[ChainCommittee, ...],
    ) -> None:
        if not committees:
            return
        committee = committees[0].name
        for e in enterprise_orgs:
            if e.attachment != "detached":
                continue
            out.add(
                "enterprise_po_detached",
                e.party_org,
                e.name,
                _MEDIUM,
                f"{e.name}覆盖链上组织{self._org_list(e.organizations)}，既不隶属于{committee}，"
                "也未作为功能型成员纳入；",
                f"建议将{e.name}纳入{committee}功能型管理（或把其所在企业列为骨干企业成员单位）。",
            )

    def _network_findings(
        self,
        out: _Findings,
        orgs: pd.DataFrame,
        committees: tuple[ChainCommittee, ...],
    ) -> None:
        network, supplies = self._network(orgs, committees)
        bridges = [supplies[frozenset(e)] for e in nx.bridges(network) if frozenset(e) in supplies]
        at: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for a, b in bridges:
            at[a].append((a, b))
            at[b].append((a, b))
        for cut in _cut_points(network):
            uscc = cut.node[len(_ORG) :]
            name = self.org_names.get(uscc, uscc)
            what = []
            if cut.orgs:
                usccs = [n[len(_ORG) :] for n in cut.sample]
                names = "、".join(self.org_names.get(u, u) for u in usccs)
                more = "等" if cut.orgs > len(usccs) else ""
                what.append(f"{names}{more} {cut.orgs} 家组织")
            if cut.committees:
                what.append("产业链党委")
            links = sorted(at.get(uscc, []))
            bridge_text = ""
            if links:
                shown = "、".join(
                    f"{self.org_names.get(a, a)}→{self.org_names.get(b, b)}"
                    for a, b in links[:_NAMES_SHOWN]
                )
                more = f"等 {len(links)} 条" if len(links) > _NAMES_SHOWN else ""
                bridge_text = f"；经过它的唯一供应链接（桥）：{shown}{more}"
            out.add(
                "single_point_of_failure",
                uscc,
                name,
                _MEDIUM,
                f"{name}是本链供应与党建网络的关键节点：一旦其停产或退出，"
                f"{'和'.join(what)}将与网络其余部分失去联系{bridge_text}。",
                "建议为相关上下游培育备份配套关系，并把这些企业的党组织纳入产业链党委，增加联系。",
            )

    def _network(
        self, orgs: pd.DataFrame, committees: tuple[ChainCommittee, ...]
    ) -> tuple[nx.Graph, dict[frozenset[str], tuple[str, str]]]:
        """The chain's undirected supply-and-party network, and its supply links by edge.

        Nodes: the chain's organizations in scope (``org:``), the Party organizations covering
        them and the chain's committees (``po:``). Edges: SUPPLIES among those organizations,
        COVERS, SITS_ON (organization → committee) and each covering Party organization's
        attachment to a committee (formal through its ancestors, or functional).
        """
        g = self.g
        network: nx.Graph = nx.Graph()
        ordered = sorted(_ORG + u for u in orgs["uscc"].tolist())  # the same network every run
        members = set(ordered)
        network.add_nodes_from(ordered)
        supplies: dict[frozenset[str], tuple[str, str]] = {}
        for node in ordered:
            for _, buyer, key in g.out_edges(node, keys=True):
                if key == EdgeKind.SUPPLIES and buyer in members and buyer != node:
                    network.add_edge(node, buyer)
                    supplies[frozenset((node, buyer))] = (node[len(_ORG) :], buyer[len(_ORG) :])
        covered = orgs[orgs["party_org"].notna()]
        pos = set(covered["party_org"].tolist())
        network.add_edges_from(
            (_PO + po, _ORG + uscc)
            for po, uscc in zip(
                covered["party_org"].tolist(), covered["uscc"].tolist(), strict=True
            )
        )
        for c in committees:
            committee = _PO + c.code
            network.add_node(committee, committee=True)
            for u, _, key in g.in_edges(committee, keys=True):
                if key == EdgeKind.SITS_ON and u in members:
                    network.add_edge(u, committee)
            functional = self._functional(c.code)
            for po in sorted(pos - {c.code}):
                if c.code in self._ancestors_of(po) or po in functional:
                    network.add_edge(_PO + po, committee)
        return network, supplies

    def _weak_lax_findings(
        self, out: _Findings, orgs: pd.DataFrame, committees: tuple[ChainCommittee, ...]
    ) -> None:
        """软弱涣散 among the chain's Party organizations: the same set and rule as ``flags``."""
        counts = orgs[orgs["party_org"].notna()].groupby("party_org").size()
        candidates: dict[str, str] = {c.code: "（本产业链党委）" for c in committees}
        for c in committees:
            if c.parent_is_park and c.parent is not None:
                candidates.setdefault(c.parent, "（本产业链党委的园区上级党组织）")
        for po, n in sorted(counts.items()):
            candidates.setdefault(str(po), f"（覆盖链上组织 {int(n)} 家）")
        for po, who in candidates.items():
            if not self.weak.get(po, False):
                continue  # not screened (not a 两新 organization), or not weak and lax
            has_secretary = self.po["has_secretary"][po]
            reasons = weak_lax_reasons(has_secretary, self.po["last_activity"][po], self.params)
            name = self.po["name"][po]
            out.add(
                "weak_lax",
                po,
                str(name),
                _HIGH if has_secretary is False else _MEDIUM,
                f"{name}{who}：" + "；".join(reasons) + "。",
                "列入软弱涣散排查，限期整顿。",
            )

    def _org_list(self, usccs: Iterable[str]) -> str:
        usccs = list(usccs)
        names = "、".join(self.org_names.get(u, u) for u in usccs[:_NAMES_SHOWN])
        return names + (f"等 {len(usccs)} 家" if len(usccs) > _NAMES_SHOWN else "")


class _Findings:
    """Findings of one chain, kept in the order of :data:`FINDING_CODES` when read."""

    def __init__(self, chain: str, chain_name: str) -> None:
        self.chain, self.chain_name = chain, chain_name
        self._rows: list[ChainFinding] = []

    def add(
        self, code: str, subject: str, subject_name: str, severity: str, problem: str, action: str
    ) -> None:
        """One finding: ``problem`` (what is wrong) and ``action`` (what to do) make its detail."""
        self._rows.append(
            ChainFinding(
                self.chain,
                self.chain_name,
                code,
                subject,
                subject_name,
                severity,
                problem + action,
                action,
            )
        )

    @property
    def rows(self) -> list[ChainFinding]:
        order = {code: i for i, code in enumerate(FINDING_CODES)}
        return sorted(self._rows, key=lambda f: order[f.code])  # stable within a code


@dataclass(frozen=True)
class _Cut:
    """An organization whose removal cuts its part of the network, and what it cuts off."""

    node: str
    orgs: int  # organizations cut off (all parts but the largest)
    committees: int  # chain committees cut off
    sample: tuple[str, ...]  # a few of the organizations cut off (node keys, sorted)


def _cut_points(network: nx.Graph) -> list[_Cut]:
    """Organizations whose removal separates 2+ parts that each hold an organization or a
    committee (a Party organization alone, e.g. the organization's own, does not count).

    Uses the block–cut tree (blocks = biconnected components, joined at articulation points)
    rooted at its weighted centroid, so that for every articulation point the part towards the
    root is the largest and the parts cut off are its child subtrees. Linear in the network.
    """
    points = set(nx.articulation_points(network))
    if not points:
        return []
    committees = {n for n, c in network.nodes(data="committee") if c}

    def own(items: Iterable[str]) -> _Tally:
        nodes = [n for n in items if _is_org(n) or n in committees]
        orgs = sorted(n for n in nodes if _is_org(n))
        return _Tally(len(orgs), len(nodes) - len(orgs), tuple(orgs[:_NAMES_SHOWN]))

    tree: dict[object, list[object]] = defaultdict(list)
    tally: dict[object, _Tally] = {}
    for i, block in enumerate(nx.biconnected_components(network)):
        # (types-networkx types biconnected_components as lists of sets; it yields sets)
        tally[i] = own(n for n in block if n not in points)  # type: ignore[misc]
        for n in sorted(block):
            if n in points:
                tree[i].append(n)
                tree[n].append(i)
    for n in points:
        tally[n] = own([n])

    cuts: list[_Cut] = []
    seen: set[object] = set()
    for start in list(tree):
        if start in seen:
            continue
        order, parent = _bfs(tree, start)
        seen.update(order)
        sub = _subtree_tallies(order, parent, tally)
        total = sub[start].weight
        if total < 2:
            continue
        root = start  # walk to the weighted centroid
        while True:
            heavy = next(
                (c for c in tree[root] if parent.get(c) == root and 2 * sub[c].weight > total),
                None,
            )
            if heavy is None:
                break
            root = heavy
        order, parent = _bfs(tree, root)
        sub = _subtree_tallies(order, parent, tally)
        for node in order:
            if not (isinstance(node, str) and _is_org(node)):
                continue
            children = [sub[c] for c in tree[node] if parent.get(c) == node]
            parts = [*children, sub[root] - sub[node]] if node != root else children
            if sum(p.weight > 0 for p in parts) < 2:
                continue
            if node == root:  # every part is a child: the heaviest stays
                children = sorted(children, key=lambda t: t.weight)[:-1]
            cut = _Tally.total(children)
            cuts.append(_Cut(node, cut.orgs, cut.committees, cut.sample))
    return sorted(cuts, key=lambda c: (-c.orgs, c.node))


@dataclass(frozen=True)
class _Tally:
    """Organizations and committees in a part of the network, with a few organizations."""

    orgs: int
    committees: int
    sample: tuple[str, ...]

    @property
    def weight(self) -> int:
        return self.orgs + self.committees

    def __sub__(self, other: _Tally) -> _Tally:
        return _Tally(self.orgs - other.orgs, self.committees - other.committees, ())

    @staticmethod
    def total(parts: Iterable[_Tally]) -> _Tally:
        parts = list(parts)
        sample = tuple(sorted(n for p in parts for n in p.sample)[:_NAMES_SHOWN])
        return _Tally(sum(p.orgs for p in parts), sum(p.committees for p in parts), sample)


def _bfs(
    tree: dict[object, list[object]], root: object
) -> tuple[list[object], dict[object, object]]:
    order: list[object] = [root]
    parent: dict[object, object] = {root: None}
    for node in order:
        for nxt in tree[node]:
            if nxt not in parent:
                parent[nxt] = node
                order.append(nxt)
    return order, parent


def _subtree_tallies(
    order: list[object], parent: dict[object, object], tally: dict[object, _Tally]
) -> dict[object, _Tally]:
    children: dict[object, list[_Tally]] = defaultdict(list)
    sub: dict[object, _Tally] = {}
    for node in reversed(order):
        sub[node] = _Tally.total([tally[node], *children.pop(node, [])])
        if parent[node] is not None:
            children[parent[node]].append(sub[node])
    return sub


def _is_org(node: str) -> bool:
    return node.startswith(_ORG)


def _side_rank(side: str) -> int:
    values = [s.value for s in CommitteeSide]
    return values.index(side) if side in values else len(values)


def _chain_words(name: str) -> str:
    """“工程机械” → “工程机械产业链”; a name that already says 产业链 is kept."""
    return name if name.endswith("产业链") else f"{name}产业链"


def _plain(column: pd.Series) -> list[object]:
    """A column as Python values with every kind of missing value as None."""
    return [None if is_missing(v) else v for v in column.tolist()]
