"""pairing: unpaired 两新 Party organizations, suggested partners and counts, worked by hand.

The pairing city (``_city()``, the tiny ledger plus partners, judged on 2026-11-01):
- streets S1 东湖街道, S2 马坡岭街道 (芙蓉区), S3 莲花镇 (岳麓区); chain C1's lead department
  is 市工业和信息化局;
- 两新 organizations: PO-A (covers O1, paired with PO-GOV), PO-J (joint, in building B1 of S1,
  covers O2 非公企业 and O3 社会组织), PO-E (covers O6, a 民办学校 in S2), PO-Z (covers only
  O5's twin O7, a 僵尸企业), PO-S1 (the street committee, covers nothing);
- partners: PO-GOV 市工信局机关党支部 (1 pairing, no district: city-level), AG-FR
  芙蓉区商务局机关支部 (芙蓉区 by name), AG-YL 岳麓区商务局机关支部 (another district: never
  for 芙蓉区), AG-LEAD 市工业和信息化局机关党委 (C1's lead department by name, city-level),
  SCH 芙蓉区实验小学党支部, SCH2 岳麓区第一中学党委, HOS 市第一医院党委, MET 市气象台党支部
  (an institution that is neither school nor hospital: never suggested), COM-S1 东湖社区党委
  (S1), COM-S2 马坡岭社区党总支 (S2), VIL-S3 莲花村党总支 (S3, 岳麓区).

Unpaired, in order district, street, code: PO-J (芙蓉区, S1), PO-E (芙蓉区, S2).
"""

from __future__ import annotations

import pandas as pd
import pytest

from graph.analysis.common import party_org_table
from graph.analysis.pairing import (
    PROXIMITY,
    UNPAIRED_COLUMNS,
    pairing,
    pairing_counts,
    unpaired,
)
from graph.build import build_graph
from loaders.sample import generate_city
from tests.analysis_kit import graph_of, params
from tests.tinyledger import code, tiny

O6, O7, O8 = code(6, "5"), code(7), code(8, "5")


def _partner(po_id: str, name: str, po_type: str, **extra) -> dict:
    row = {
        "党组织编码": po_id,
        "党组织名称": name,
        "组织层级": "党支部",
        "党组织类别": po_type,
        "党员数": 12,
    }
    row.update(extra)
    return row


def _city() -> dict:
    sheets = tiny()
    sheets["党组织"] += [
        _partner("AG-FR", "芙蓉区商务局机关支部", "机关党组织"),
        _partner("AG-YL", "岳麓区商务局机关支部", "机关党组织"),
        _partner("AG-LEAD", "市工业和信息化局机关党委", "机关党组织", 组织层级="党委"),
        _partner("SCH", "芙蓉区实验小学党支部", "事业单位党组织"),
        _partner("SCH2", "岳麓区第一中学党委", "事业单位党组织", 组织层级="党委"),
        _partner("HOS", "市第一医院党委", "事业单位党组织", 组织层级="党委"),
        _partner("MET", "市气象台党支部", "事业单位党组织"),
        _partner("COM-S1", "东湖社区党委", "村社区党组织", 组织层级="党委", 所属街道编码="S1"),
        _partner(
            "COM-S2", "马坡岭社区党总支", "村社区党组织", 组织层级="党总支", 所属街道编码="S2"
        ),
        _partner("VIL-S3", "莲花村党总支", "村社区党组织", 组织层级="党总支", 所属街道编码="S3"),
        {
            "党组织编码": "PO-E",
            "党组织名称": "己学校党支部",
            "组织层级": "党支部",
            "党组织类别": "社会组织党组织",
            "组建方式": "单独组建",
            "党员数": 4,
            "上级党组织编码": "PO-S1",
        },
        {
            "党组织编码": "PO-Z",
            "党组织名称": "庚公司党支部",
            "组织层级": "党支部",
            "党组织类别": "企业党组织",
            "党员数": 3,
            "所属街道编码": "S1",
        },
    ]
    sheets["组织"] += [
        {
            "统一社会信用代码": O6,
            "组织名称": "己外国语学校",
            "组织类型": "社会组织",
            "细分类别": "民办学校",
            "从业人员数": 80,
            "正式党员数": 4,
            "所在街道编码": "S2",
            "覆盖党组织编码": "PO-E",
        },
        {
            "统一社会信用代码": O7,
            "组织名称": "庚贸易有限公司",
            "组织类型": "非公企业",
            "从业人员数": 12,
            "正式党员数": 3,
            "经营状态": "注销",
            "所在街道编码": "S1",
            "覆盖党组织编码": "PO-Z",
        },
    ]
    return sheets


def _suggestions(frame: pd.DataFrame, po: str) -> list[tuple]:
    rows = frame[frame["party_org"] == po]
    columns = ["rank", "suggested_type", "suggested_partner", "proximity"]
    return [tuple(r) for r in rows[columns].itertuples(index=False)]


def test_unpaired_and_suggestions_worked_by_hand():
    frame = unpaired(graph_of(_city()), params())
    assert list(frame.columns) == UNPAIRED_COLUMNS
    # PO-A is paired; PO-Z covers only a 注销 organization; PO-S1 covers nothing.
    assert frame["party_org"].unique().tolist() == ["PO-J", "PO-E"]
    # PO-J covers a 非公企业: agency, community and village apply. Best of each type:
    #   community COM-S1 (same street, tier 0), agency AG-FR (芙蓉区, tier 1), village VIL-S3
    #   (岳麓区, another district, tier 3: there is no village in 芙蓉区) → ranked by tier.
    assert _suggestions(frame, "PO-J") == [
        (1, "社区—企业", "COM-S1", "同街道"),
        (2, "机关—两新", "AG-FR", "同区县"),
        (3, "企业—村", "VIL-S3", "其他区县"),
    ]
    # PO-E covers a 民办学校 (社会组织): school and agency apply, the school first.
    #   school SCH (芙蓉区, tier 1); agency AG-FR (芙蓉区, tier 1, load now 0 + 1 suggested);
    #   then the second best: school SCH2 (岳麓区, tier 3) before agency AG-LEAD (city, tier 2)
    #   because the type matching the category comes first.
    assert _suggestions(frame, "PO-E") == [
        (1, "公办—民办学校", "SCH", "同区县"),
        (2, "机关—两新", "AG-FR", "同区县"),
        (3, "公办—民办学校", "SCH2", "其他区县"),
    ]
    row = frame[(frame["party_org"] == "PO-E") & (frame["rank"] == 2)].iloc[0]
    assert (row["partner_pairings"], row["partner_suggested"]) == (0, 1)
    assert "本清单已向 1 个党组织推荐" in row["reason"]
    head = frame[frame["party_org"] == "PO-J"].iloc[0]
    assert (head["street"], head["street_name"], head["district"]) == ("S1", "东湖街道", "芙蓉区")
    assert (head["covers"], head["kinds"], head["categories"]) == (
        2,
        "社会组织、非公企业",
        "社区社会组织",
    )
    # never suggested: another district's agency, an institution that is no school/hospital
    assert not frame["suggested_partner"].isin(["AG-YL", "MET"]).any()


def test_more_suggestions_take_the_second_best_of_each_type():
    frame = unpaired(graph_of(_city()), params(), top=5)
    # PO-J's second round: community COM-S2 (芙蓉区, tier 1) before agency AG-LEAD (city,
    # tier 2, load 0; PO-GOV also city but has 1 pairing). No second village exists.
    assert _suggestions(frame, "PO-J")[3:] == [
        (4, "社区—企业", "COM-S2", "同区县"),
        (5, "机关—两新", "AG-LEAD", "市级"),
    ]


def test_load_spreads_suggestions_over_equally_near_partners():
    sheets = _city()
    sheets["党组织"].append(_partner("AG-FR2", "芙蓉区民政局机关支部", "机关党组织"))
    # PO-J's first two: COM-S1 (same street), then an agency of 芙蓉区; PO-E's: school SCH,
    # then an agency of 芙蓉区.
    frame = unpaired(graph_of(sheets), params(), top=2)
    agencies = frame[frame["suggested_type"] == "机关—两新"]
    # PO-J takes AG-FR (load 0, code order); then AG-FR has 1 and PO-E gets AG-FR2 (load 0).
    assert agencies[["party_org", "suggested_partner"]].values.tolist() == [
        ["PO-J", "AG-FR"],
        ["PO-E", "AG-FR2"],
    ]


def test_lead_department_of_the_chain_is_as_near_as_the_street():
    sheets = _city()
    orgs = {o["统一社会信用代码"]: o for o in sheets["组织"]}
    orgs[code(2)]["产业链环节编码"] = "G2"  # O2 (covered by PO-J) joins chain C1
    frame = unpaired(graph_of(sheets), params())
    agency = frame[(frame["party_org"] == "PO-J") & (frame["suggested_type"] == "机关—两新")]
    assert agency[["suggested_partner", "proximity"]].values.tolist() == [
        ["AG-LEAD", PROXIMITY["lead_department"]]
    ]
    assert "牵头部门" in agency["reason"].iloc[0]


def test_private_hospital_gets_a_public_hospital():
    sheets = _city()
    sheets["党组织"].append(
        {
            "党组织编码": "PO-H",
            "党组织名称": "辛康复医院党支部",
            "组织层级": "党支部",
            "党组织类别": "社会组织党组织",
            "党员数": 3,
            "所属街道编码": "S3",
        }
    )
    sheets["组织"].append(
        {
            "统一社会信用代码": O8,
            "组织名称": "辛康复医院",
            "组织类型": "社会组织",
            "细分类别": "民办医院",
            "从业人员数": 60,
            "正式党员数": 3,
            "所在街道编码": "S3",
            "覆盖党组织编码": "PO-H",
        }
    )
    frame = unpaired(graph_of(sheets), params())
    # PO-H (岳麓区, S3, listed first: 岳麓区 sorts before 芙蓉区): hospital HOS (city-level,
    # the type matching the category first), agency AG-YL (岳麓区); HOS is the only hospital,
    # so the third is the agencies' second best: AG-LEAD (city, load 0) before PO-GOV (1).
    assert _suggestions(frame, "PO-H") == [
        (1, "公立—民营医院", "HOS", "市级"),
        (2, "机关—两新", "AG-YL", "同区县"),
        (3, "机关—两新", "AG-LEAD", "市级"),
    ]


def test_scope_filter_removes_organizations_below_the_minimum():
    # O2 has 20 staff, O3 10: with a minimum of 25 for both kinds PO-J covers nothing that
    # counts and is not listed; PO-E (O6, 80 staff) still is.
    frame = unpaired(
        graph_of(_city()), params(min_employees_enterprise=25, min_employees_social=25)
    )
    assert frame["party_org"].unique().tolist() == ["PO-E"]


def test_no_candidate_still_lists_the_organization():
    sheets = tiny()
    sheets["党组织"] = [p for p in sheets["党组织"] if p["党组织编码"] != "PO-GOV"]
    sheets["结对共建"] = []
    frame = unpaired(graph_of(sheets), params())
    # PO-A and PO-J are unpaired; the ledger holds no agency, institution, village or community.
    assert frame["party_org"].tolist() == ["PO-A", "PO-J"]
    assert frame["rank"].isna().all() and frame["suggested_partner"].isna().all()
    assert frame["reason"].str.contains("没有可结对").all()


def test_top_must_be_positive():
    with pytest.raises(ValueError):
        unpaired(graph_of(), params(), top=0)


def test_counts_per_type_and_district():
    sheets = _city()
    sheets["结对共建"].append(
        {"甲方党组织编码": "COM-S1", "乙方党组织编码": "PO-J", "共建类型": "社区—企业"}
    )
    sheets["结对共建"].append({"甲方党组织编码": "AG-FR", "乙方党组织编码": "SCH"})  # no type
    g = graph_of(sheets)
    by_type = pairing_counts(g, "type", params())
    assert by_type["type"].tolist() == [
        "机关—两新",
        "公办—民办学校",
        "公立—民营医院",
        "企业—村",
        "社区—企业",
        "其他",
    ]
    counts = {r.type: (r.pairs, r.liangxin_orgs_paired) for r in by_type.itertuples(index=False)}
    assert counts["机关—两新"] == (1, 1)  # PO-A—PO-GOV: PO-A is 两新, PO-GOV is not
    assert counts["社区—企业"] == (1, 1)  # COM-S1—PO-J
    assert counts["其他"] == (1, 0)  # AG-FR—SCH: no 两新 side, type left blank → 其他
    assert counts["企业—村"] == (0, 0)
    by_district = pairing_counts(g, "district", params())
    # 芙蓉区: PO-A, PO-J, PO-E cover organizations that count; PO-A and PO-J are paired.
    assert by_district.to_dict("records") == [
        {
            "district": "芙蓉区",
            "liangxin_orgs": 3,
            "liangxin_orgs_paired": 2,
            "paired_rate": 66.67,
            "pairs": 2,
        }
    ]
    with pytest.raises(ValueError):
        pairing_counts(g, "street", params())


def test_pairing_result_share():
    result = pairing(graph_of(_city()), params())
    # PO-A (paired), PO-J and PO-E (unpaired): 1 of 3 = 33.33%
    assert (result.liangxin_orgs, result.liangxin_paired, result.paired_rate) == (3, 1, 33.33)
    assert result.unpaired["party_org"].unique().tolist() == ["PO-J", "PO-E"]
    assert result.by_type["pairs"].sum() == 1


def test_sample_city_pairing():
    g = build_graph(generate_city(3000))
    p = params()
    result = pairing(g, p)
    # (g) 15% of the 两新 organizations that cover organizations are paired, every type occurs
    assert 12 <= result.paired_rate <= 16
    assert (result.by_type["pairs"] > 0).all()
    pos = party_org_table(g)
    partner_types = dict(zip(pos["id"], pos["type"], strict=True))
    frame = result.unpaired
    assert frame["party_org"].nunique() == result.liangxin_orgs - result.liangxin_paired
    assert frame["rank"].notna().all()  # the sample city has partners for everyone
    assert (
        not frame["suggested_partner"]
        .map(partner_types)
        .isin(["企业党组织", "社会组织党组织", "楼宇党组织", "街道两新综合党委"])
        .any()
    )
    schools = frame[frame["categories"].str.contains("民办学校")]
    assert (schools["suggested_type"] == "公办—民办学校").any()
    local = frame[frame["suggested_type"].isin(["机关—两新", "社区—企业"])]
    assert not (local["proximity"] == "其他区县").any()
    assert frame.groupby("party_org")["rank"].max().le(3).all()
