"""The analysis results a shared graph store shows planners: properties and labels per node."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.analysis.chains import chain_findings
from graph.analysis.clusters import clusters
from graph.analysis.common import COVERAGE_LABELS, Params, org_table
from graph.analysis.flags import flags
from graph.analysis.leads import leads
from graph.published import RESULT_LABELS, PublishedResults

__all__ = ["RESULT_LABELS", "PublishedResults", "published_results"]

_FLAG_LABEL = {
    "standalone_eligible": "StandaloneEligible",
    "big_without_members": "BigWithoutMembers",
    "oversized_joint": "OversizedJoint",
    "weak_lax": "WeakLax",
    "overdue_election": "OverdueElection",
    "unpaired": "Unpaired",
}


def published_results(g: nx.MultiDiGraph, params: Params | None = None) -> PublishedResults:
    """What ``liangxin publish`` writes: coverage status, cluster, lead score, finding codes.

    Every organization gets its coverage state; uncovered organizations in scope the
    ``Uncovered`` label; members of a feasible cluster its id and ``InFeasibleCluster``; lead
    candidates (``leads``) their score and ``LeadCandidate``; every subject of a ``flags``
    finding its codes and the matching label. Cost: the analyses it runs.
    """
    orgs = org_table(g, params)
    found = flags(g, params)
    codes = found.groupby("subject")["code"].agg(lambda c: sorted(set(c)))

    org = orgs[["uscc", "coverage", "in_scope"]].rename(columns={"uscc": "code"}).copy()
    org["coverage_zh"] = org["coverage"].map(COVERAGE_LABELS)
    groups = clusters(g, params)
    feasible = groups[groups["feasible"]] if len(groups) else groups
    member_of = {
        u: cid
        for cid, members in zip(
            feasible.get("cluster_id", []), feasible.get("members", []), strict=True
        )
        for u in members
    }
    mode_of = dict(zip(feasible.get("cluster_id", []), feasible.get("mode", []), strict=True))
    org["cluster_id"] = org["code"].map(member_of)
    org["cluster_mode"] = org["cluster_id"].map(mode_of)
    lead = leads(g, params=params)
    score = lead.groupby("uscc")["score"].max() if len(lead) else pd.Series(dtype=float)
    org["lead_score"] = org["code"].map(score)
    org["finding_codes"] = org["code"].map(codes).map(lambda v: v if isinstance(v, list) else [])
    org["labels"] = [
        _labels(
            uncovered=in_scope and cov in ("work", "none"),
            cluster=isinstance(cid, str),
            lead=ls == ls and ls is not None,
            codes=fc,
        )
        for in_scope, cov, cid, ls, fc in zip(
            org["in_scope"],
            org["coverage"],
            org["cluster_id"],
            org["lead_score"],
            org["finding_codes"],
            strict=True,
        )
    ]
    org = org.drop(columns=["in_scope"])

    po_codes = (
        found[found["subject_kind"] == "party_org"]
        .groupby("subject")["code"]
        .agg(lambda c: sorted(set(c)))
    )
    po = pd.DataFrame({"code": po_codes.index, "finding_codes": po_codes.to_numpy()})
    po["labels"] = po["finding_codes"].map(lambda fc: _labels(codes=fc))

    chain_found = chain_findings(g, None, params)
    by_chain = chain_found.groupby("chain")["code"].agg(lambda c: sorted(set(c)))
    chains = pd.DataFrame({"code": by_chain.index, "finding_codes": by_chain.to_numpy()})
    chains["labels"] = [[] for _ in range(len(chains))]
    return PublishedResults(org.reset_index(drop=True), po, chains)


def _labels(
    *, uncovered: bool = False, cluster: bool = False, lead: bool = False, codes: list[str]
) -> list[str]:
    labels = ["Uncovered"] if uncovered else []
    if cluster:
        labels.append("InFeasibleCluster")
    if lead:
        labels.append("LeadCandidate")
    labels += [_FLAG_LABEL[c] for c in codes if c in _FLAG_LABEL]
    return labels
