"""The columns of :func:`graph.analysis.leads.leads`: candidate lead enterprises of a chain
(龙头领建) and whom each could bring in."""

from __future__ import annotations

from graph.columns import Column, Columns
from graph.columns.common import CHAIN, CHAIN_NAME, EMPLOYEES, PARTY_ORG, REASON, USCC

__all__ = ["LEADS"]

LEADS = Columns(
    Column("rank", "名次", "int", "在本产业链内的名次，从 1 开始"),
    USCC.variant(description="企业的统一社会信用代码"),
    Column("name", "企业", "text", "企业名称"),
    CHAIN,
    CHAIN_NAME,
    Column("segment", "环节编码", "code", "产业链环节编码"),
    Column("segment_name", "环节", "text", "产业链环节名称"),
    PARTY_ORG.variant(description="企业自身党组织编码"),
    Column("level", "党组织层级", "text", "党组织层级"),
    Column("members", "党员", "int", "党组织党员数"),
    EMPLOYEES.variant(heading="职工", description="企业从业人员数"),
    Column(
        "takes_now",
        "现在可吸纳",
        "int",
        "现在可吸纳的组织数：周边有正式党员的未覆盖组织中，本组织容量允许的个数"
        "（排序首要依据：大于 0 的在前）",
    ),
    Column("weak_lax", "软弱涣散", "text", "本企业党组织是否软弱涣散（排在健全的之后，应先整顿）"),
    Column("room", "还能覆盖", "int", "按一个联合党组织不超过 5 个组织计，还能覆盖几个组织"),
    Column(
        "room_members",
        "还能容纳党员",
        "int",
        "按党支部党员一般不超过 50 名计，还能容纳几名党员；党委、党总支不设上限，为 null",
    ),
    Column("supply_degree", "配套往来", "int", "链上配套关系中，与本链正常经营组织的往来数"),
    Column(
        "score",
        "得分",
        "number",
        "总分（满分 100），为以下五项之和；排序先看能否现在吸纳、是否健全，再看总分",
    ),
    Column("level_score", "层级得分", "number", "党组织层级得分：党委 30、党总支 20、党支部 10"),
    Column("members_score", "党员得分", "number", "党员数得分，满分 20"),
    Column("size_score", "规模得分", "number", "规模得分，满分 15"),
    Column("centrality_score", "链上位置得分", "number", "链上位置得分，满分 15"),
    Column("reach_score", "带动面得分", "number", "带动面得分，满分 20"),
    Column("reach", "可带动的组织", "list", "周边可带动的未覆盖组织的统一社会信用代码"),
    Column("reach_count", "可带动组织", "int", "周边可带动的组织数（每个只计一次）"),
    Column("reach_joinable", "其中可加入", "int", "其中有正式党员、可加入党组织的"),
    Column("reach_supply", "其中上下游", "int", "其中有配套关系的"),
    Column("reach_segment", "其中同环节", "int", "其中同区县同环节的"),
    Column("reach_place", "其中同楼宇园区", "int", "其中同楼宇或同园区同产业链的"),
    REASON,
)
"""One candidate lead enterprise, ranked within its chain: its Party organization, its room,
its score and its reach."""
