"""What a shared graph store publishes for planners (``liangxin publish``): the contract between
the analysis that computes the results (:mod:`graph.analysis.published`) and the store that
writes them (:mod:`graph.store.graphdb`), so that the store never imports an analysis."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["RESULT_LABELS", "PublishedResults"]

RESULT_LABELS: dict[str, str] = {
    "Uncovered": "未建立党组织",
    "StandaloneEligible": "应单独组建",
    "BigWithoutMembers": "50人以上无党员",
    "InFeasibleCluster": "可联合组建",
    "LeadCandidate": "龙头领建候选",
    "OversizedJoint": "联合党组织覆盖过多",
    "WeakLax": "软弱涣散",
    "OverdueElection": "换届逾期",
    "Unpaired": "未结对共建",
}
"""Extra labels a store adds for Browser/Bloom (English label → Chinese meaning). They are the
only labels ``publish`` sets or removes besides the model's own."""


@dataclass(frozen=True)
class PublishedResults:
    """Per node kind, one row per node: ``code`` (its ledger code), result properties, and
    ``labels`` (a list drawn from ``RESULT_LABELS``).

    - ``organizations``: ``coverage`` (own/joint/work/none), ``coverage_zh``, ``cluster_id``,
      ``cluster_mode``, ``lead_score``, ``finding_codes``;
    - ``party_orgs``: ``finding_codes``;
    - ``chains``: ``finding_codes`` (the chains analysis' codes, each once).
    """

    organizations: pd.DataFrame
    party_orgs: pd.DataFrame
    chains: pd.DataFrame
