"""The columns of :func:`graph.analysis.flags.flags`: one finding to act on per row."""

from __future__ import annotations

from graph.columns import Column, Columns
from graph.columns.common import IN_DISTRICT, IN_STREET, IN_STREET_NAME

__all__ = ["ELECTION_STATE", "FLAGGED_PARTY_ORG", "FLAGS"]

FLAGS = Columns(
    Column(
        "code",
        "问题代码",
        "code",
        "问题代码：standalone_eligible 应单独组建、oversized_joint 联合党组织覆盖过多、"
        "big_without_members 50人以上无党员、weak_lax 软弱涣散、overdue_election 换届逾期、"
        "election_due_soon 即将换届、unpaired 未结对共建",
    ),
    Column("code_label", "问题", "text", "问题名称（中文）"),
    Column("subject", "对象编码", "code", "对象编码：组织的统一社会信用代码或党组织编码"),
    Column("subject_kind", "对象类型", "code", "对象类型：organization 两新组织，party_org 党组织"),
    Column("name", "名称", "text", "对象名称"),
    IN_STREET,
    IN_STREET_NAME,
    IN_DISTRICT,
    Column("detail", "说明", "text", "说明：问题是什么、应该怎么做"),
)
"""One finding: the problem, whom it is about (an organization or a Party organization), where,
and what to do."""

FLAGGED_PARTY_ORG = Column("subject", "党组织编码", "code", "党组织编码（问题的对象是党组织时）")
"""``subject`` in a table of findings about Party organizations only (软弱涣散, 换届)."""

ELECTION_STATE = Column("code_label", "情况", "text", "换届情况：换届逾期或即将换届")
"""``code_label`` in a table of election reminders only."""
