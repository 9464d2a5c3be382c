"""Chinese headings of the analysis tables, shared by the command line and the web pages.

Each mapping goes from a result's English column name to the heading a planner reads, in
the order the columns are shown. The CLI prints these columns with :func:`api.output.emit`;
the pages render the same columns as HTML tables.
"""

from __future__ import annotations

__all__ = [
    "CHAIN_FINDING_HEADINGS",
    "CLUSTER_HEADINGS",
    "DIFF_CHANGE_HEADINGS",
    "DIFF_HEADLINE_HEADINGS",
    "DIFF_MOVE_HEADINGS",
    "DIFF_ORG_HEADINGS",
    "DIFF_REASON_HEADINGS",
    "DIFF_SCOPE_HEADINGS",
    "FLAG_HEADINGS",
    "GROUP_LABELS",
    "LEAD_HEADINGS",
    "ORG_HEADINGS",
    "PAIRING_DISTRICT_HEADINGS",
    "PAIRING_TYPE_HEADINGS",
    "PAIRING_UNPAIRED_HEADINGS",
    "PARTNER_HEADINGS",
    "PLAN_ATTACHMENT_HEADINGS",
    "PLAN_GROUP_HEADINGS",
    "PLAN_INSTRUCTOR_HEADINGS",
    "PLAN_RATE_HEADINGS",
    "PLAN_SPLIT_HEADINGS",
    "PLAN_STANDALONE_HEADINGS",
    "RATE_HEADINGS",
    "SEARCH_HEADINGS",
    "SEGMENT_HEADINGS",
]

RATE_HEADINGS = {
    "kind": "组织类型",
    "total": "组织数",
    "org_covered": "组织覆盖",
    "org_rate": "组织覆盖率%",
    "work_covered": "工作覆盖",
    "work_rate": "工作覆盖率%",
    "standalone": "单独组建",
    "standalone_rate": "单独组建率%",
    "with_members": "有党员",
}
"""Columns of ``coverage``."""

GROUP_LABELS = {
    "kind": "组织类型",
    "district": "区县",
    "street": "街道",
    "building": "楼宇",
    "park": "园区",
    "chain": "产业链",
    "segment": "产业链环节",
}
"""What ``coverage --by`` groups on, as a heading."""

FLAG_HEADINGS = {
    "code_label": "问题",
    "subject": "对象编码",
    "name": "名称",
    "street_name": "街道",
    "detail": "说明",
}

CLUSTER_HEADINGS = {
    "cluster_id": "编号",
    "street_name": "街道",
    "size": "组织数",
    "formal_members": "正式党员",
    "feasible": "可组建",
    "mode": "建议方式",
    "member_names": "成员",
    "taker_name": "可承接的党组织",
    "reason": "理由",
}

PARTNER_HEADINGS = {
    "rank": "名次",
    "candidate": "编码",
    "name": "名称",
    "feasible": "现在可组建",
    "score": "得分",
    "proximity_score": "位置",
    "distance_score": "距离",
    "similarity_score": "相近",
    "members_score": "党员",
    "size_score": "规模",
    "together_formal_members": "合计党员",
    "reason": "理由",
}

LEAD_HEADINGS = {
    "chain_name": "产业链",
    "rank": "名次",
    "name": "企业",
    "level": "党组织层级",
    "members": "党员",
    "employees": "职工",
    "takes_now": "现在可吸纳",
    "weak_lax": "软弱涣散",
    "score": "得分",
    "reach_count": "可带动",
    "reason": "理由",
}

PLAN_RATE_HEADINGS = {
    "kind": "组织类型",
    "total": "组织数",
    "org_rate_now": "组织覆盖率%（现在）",
    "org_rate_after": "组织覆盖率%（方案实施后）",
    "work_rate_now": "工作覆盖率%（现在）",
    "work_rate_after": "工作覆盖率%（方案实施后）",
    "standalone_rate_now": "单独组建率%（现在）",
    "standalone_rate_after": "单独组建率%（实施后）",
}

PLAN_STANDALONE_HEADINGS = {
    "name": "组织",
    "street_name": "街道",
    "formal_members": "正式党员",
    "level": "建议层级",
    "from_party_org_name": "现所在联合党组织",
    "reason": "理由",
}

PLAN_SPLIT_HEADINGS = {
    "party_org_name": "联合党组织",
    "street_name": "街道",
    "covers": "覆盖组织数",
    "part_names": "拆分后各组成员",
    "reason": "理由",
}

PLAN_GROUP_HEADINGS = {
    "group_id": "编号",
    "street_name": "街道",
    "mode": "方式",
    "size": "组织数",
    "formal_members": "正式党员",
    "member_names": "成员",
    "reason": "理由",
}

PLAN_ATTACHMENT_HEADINGS = {
    "name": "组织",
    "street_name": "街道",
    "party_org_name": "并入党组织",
    "mode": "方式",
    "reason": "理由",
}

PLAN_INSTRUCTOR_HEADINGS = {
    "name": "组织",
    "street_name": "街道",
    "employees": "职工",
    "instructor_name": "党建指导员",
    "target": "发展目标",
}

DIFF_HEADLINE_HEADINGS = {
    "kind": "组织类型",
    "total_then": "组织数（上期）",
    "total_now": "组织数（本期）",
    "org_rate_then": "组织覆盖率%（上期）",
    "org_rate_now": "组织覆盖率%（本期）",
    "org_rate_change": "变化（百分点）",
}

DIFF_CHANGE_HEADINGS = {
    "group_name": "名称",
    "kind": "组织类型",
    "org_rate_then": "上期%",
    "org_rate_now": "本期%",
    "change": "变化（百分点）",
    "total_now": "组织数",
}
"""Columns of a version diff's ``streets`` and ``chains``."""

DIFF_ORG_HEADINGS = {"name": "组织", "kind": "类型", "street_name": "街道"}
"""Columns of a version diff's ``added`` and ``removed``."""

DIFF_REASON_HEADINGS = {**DIFF_ORG_HEADINGS, "reason": "说明"}
"""Columns of a version diff's ``newly_uncovered`` and ``newly_covered``."""

DIFF_MOVE_HEADINGS = {"name": "组织", "kind": "类型", "reason": "变化"}
"""Columns of a version diff's ``moved`` (the reason names each place then and now)."""

DIFF_SCOPE_HEADINGS = {
    "name": "组织",
    "kind": "类型",
    "street_name": "街道",
    "party_org_name": "覆盖党组织",
    "reason": "原因",
}
"""Columns of a version diff's ``left_scope`` and ``entered_scope``."""

SEGMENT_HEADINGS = {
    "position": "位置",
    "name": "环节",
    "enterprises": "企业",
    "covered": "已覆盖",
    "own_organization": "单独组建",
    "org_rate": "覆盖率%",
}

CHAIN_FINDING_HEADINGS = {
    "severity": "严重程度",
    "code_label": "薄弱环节",
    "subject_name": "对象",
    "detail": "说明与建议",
}

PAIRING_TYPE_HEADINGS = {
    "type": "共建类型",
    "pairs": "结对数",
    "liangxin_orgs_paired": "涉及两新党组织",
}

PAIRING_DISTRICT_HEADINGS = {
    "district": "区县",
    "liangxin_orgs": "两新党组织",
    "liangxin_orgs_paired": "已结对",
    "paired_rate": "结对率%",
    "pairs": "结对数",
}

PAIRING_UNPAIRED_HEADINGS = {
    "name": "未结对的党组织",
    "street_name": "街道",
    "rank": "建议",
    "suggested_type": "类型",
    "partner_name": "建议结对对象",
    "reason": "理由",
}

ORG_HEADINGS = {
    "name": "组织名称",
    "org_kind": "类型",
    "street_name": "街道",
    "building_name": "楼宇",
    "employees": "从业人员",
    "formal_members": "正式党员",
    "coverage_label": "覆盖状态",
}
"""Columns of a list of organizations (``org_table`` plus ``coverage_label``)."""

SEARCH_HEADINGS = {"kind_label": "类别", "name": "名称", "code": "编码", "place": "所在地"}
"""Columns of ``search`` (plus ``kind_label``, the kind in Chinese)."""
