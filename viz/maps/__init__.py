"""The interactive maps: regions, industry chains, partners, the formation plan and pairings.

Each function takes the graph first and returns a :class:`~viz.mapdata.NetworkMap` with every
node placed (x, y in pixels; the browser runs no physics), a Chinese label, a plain-text
multi-line tooltip, ``search`` (name and code) and, where ``link`` gives one, the ``url`` a
click opens. The analyses decide everything a map shows (coverage, clusters, the chain report,
partners, the plan, pairings); this package only places and colours their results. No map
carries more than :data:`~viz.mapdata.MAX_NODES` nodes: a larger scope is folded into places
with counts, and a click on a folded node drills down. The cap is read from
:mod:`viz.mapdata` each time a map is drawn, so that is where a test lowers it.

One module per map family, all drawn with :mod:`viz.maps.common` and placed with
:mod:`viz.layout`:

- :mod:`viz.maps.region`: :func:`region_map`, 区域党建覆盖图 (区县, 街道, 楼宇, 园区)
- :mod:`viz.maps.chain`: :func:`chain_map`, 产业链党建图
- :mod:`viz.maps.partner`: :func:`partner_map`, 联合组建伙伴
- :mod:`viz.maps.plan`: :func:`plan_map`, 组建方案图
- :mod:`viz.maps.pairing`: :func:`pairing_map`, 结对共建图
"""

from __future__ import annotations

from viz.mapdata import MAX_NODES
from viz.maps.chain import SEVERITY_COLORS, chain_map
from viz.maps.common import COVERAGE_COLORS
from viz.maps.pairing import PAIRING_COLORS, pairing_map
from viz.maps.partner import partner_map
from viz.maps.plan import MODE_COLORS, plan_map
from viz.maps.region import region_map

__all__ = [
    "COVERAGE_COLORS",
    "MAX_NODES",
    "MODE_COLORS",
    "PAIRING_COLORS",
    "SEVERITY_COLORS",
    "chain_map",
    "pairing_map",
    "partner_map",
    "plan_map",
    "region_map",
]
