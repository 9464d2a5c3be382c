"""The columns of :func:`graph.analysis.partners.partners`: partners for one uncovered
organization to form a joint Party organization with (or one to join)."""

from __future__ import annotations

from graph.columns import Column, Columns
from graph.columns.common import FORMAL_MEMBERS, ORG_NAME, PARTY_ORG, REASON, USCC

__all__ = ["PARTNERS", "PARTNERS_RESULT", "PARTNER_SUBJECT"]

PARTNER_SUBJECT = Columns(
    USCC,
    ORG_NAME,
    PARTY_ORG.variant(description="现在覆盖它的党组织编码"),
    Column("covered", "已覆盖", "text", "是否已有党组织覆盖"),
    FORMAL_MEMBERS,
)
"""The organization partners are sought for."""

PARTNERS = Columns(
    Column("rank", "名次", "int", "名次，从 1 开始"),
    Column("candidate", "编码", "code", "伙伴编码：组织的统一社会信用代码或联合党组织编码"),
    Column(
        "candidate_kind",
        "伙伴类型",
        "code",
        "伙伴类型：organization 未覆盖的组织，party_org 有空位的联合党组织",
    ),
    Column("name", "名称", "text", "伙伴名称"),
    Column(
        "feasible",
        "现在可组建",
        "text",
        "现在即可组建或加入：两家都有正式党员且合计达到 3 名（或与同楼宇、同园区、"
        "同街道等的其他组织一起达到，见 completed_with），或本组织可直接加入该联合党组织"
        "（排序首要依据）",
    ),
    Column(
        "score",
        "得分",
        "number",
        "总分（满分 100），为以下五项之和；供参考，排序依次看能否现在组建、"
        "对方是否带来正式党员、位置远近、相近与规模",
    ),
    Column(
        "proximity_score", "位置", "number", "位置得分：同楼宇 30、同园区 20、同街道 15、同区县 5"
    ),
    Column("distance_score", "距离", "number", "距离得分：10 ×（1 − 距离公里数 ÷ 5），最低 0"),
    Column(
        "similarity_score",
        "相近",
        "number",
        "相近得分：同环节 15 或同产业链 10，同细分类别 +10，同行业门类 +5",
    ),
    Column("members_score", "党员", "number", "党员得分：合计正式党员越接近 3 名越高，满分 20"),
    Column("size_score", "规模", "number", "规模得分：联合后组织越少越高，满分 10"),
    Column("distance_km", "相距公里", "number", "相距公里数；任一方没有坐标时为 null"),
    FORMAL_MEMBERS.variant(description="伙伴的正式党员数（联合党组织为其覆盖组织的合计）"),
    Column(
        "together_formal_members",
        "合计党员",
        "int",
        "与伙伴（及 completed_with 中的组织）合计的正式党员数",
    ),
    Column("group_size", "联合后组织数", "int", "联合后的组织数"),
    Column(
        "completed_with",
        "一起组建的组织",
        "list",
        "两家合计不足 3 名时一起组建、补足党员的其他组织的统一社会信用代码；"
        "两家即可组建、联合党组织或不可组建时为空",
    ),
    REASON.variant(description="推荐理由（中文）"),
)
"""One suggested partner, the best first, with the parts of its score."""

PARTNERS_RESULT = Columns(
    Column("subject", "组织", "text", "要找伙伴的组织"),
    Column("note", "提示", "text", "提示（已有党组织覆盖、应单独组建时说明）"),
    Column("rows", "推荐的伙伴", "list", "推荐的伙伴，最合适的在前"),
)
"""The parts of a ``partners`` result: the organization (:data:`PARTNER_SUBJECT`), a note, and
the partners (:data:`PARTNERS`)."""
