"""chains: the three-level structure and every finding code, on tiny ledgers worked by hand.

The clean chain (``_clean()``, the tiny ledger plus a few rows, judged on 2026-11-01):
- chain C1 工程机械 (牵头部门 市工业和信息化局), segments G1 关键零部件 (上游, 1), G2 整机制造
  (中游, 2), G3 租赁服务 (下游, 3); committee PO-CHAIN (parent PO-PARK, a 园区党工委) with
  members O1 (骨干企业), O7 (骨干企业), 市工业和信息化局 (政府部门), 工程机械产业联盟 (协会联盟,
  by name only);
- G1: O1 甲 (own PO-A, parent PO-S1, functional: O1 sits on the committee) and O6 己 (own
  PO-B, parent PO-CHAIN: formal); G2: O7 庚 (own PO-C, parent PO-S1, functional: O7 sits on
  it) and O8 辛 (own PO-D, parent PO-CHAIN); G3: only O5 戊, a 僵尸企业 (counts nowhere);
- every Party organization of the chain has a secretary and organisational life after
  2026-05-01 (6 months before 2026-11-01).

Its network: PO-CHAIN—PO-A—O1—PO-CHAIN and PO-CHAIN—PO-C—O7—PO-CHAIN are triangles, O6 and
O8 hang off PO-B and PO-D: no organization is an articulation point. Nothing is found.
"""

from __future__ import annotations

import math

import pytest

from graph.analysis.chains import (
    FINDING_CODES,
    FINDING_COLUMNS,
    SEGMENT_COLUMNS,
    chain_findings,
    chain_structure,
    segment_coverage,
)
from graph.analysis.common import org_table
from graph.analysis.flags import flags
from graph.build import build_graph
from graph.errors import NotFound
from loaders.sample import DEFAULT_AS_OF, generate_city
from tests.analysis_kit import graph_of, params
from tests.tinyledger import O1, O5, code, tiny

O6, O7, O8, O9 = code(6), code(7), code(8), code(9)


def _org(uscc: str, name: str, segment: str | None, po: str | None, **extra) -> dict:
    row = {
        "统一社会信用代码": uscc,
        "组织名称": name,
        "组织类型": "非公企业",
        "从业人员数": 40,
        "正式党员数": 3,
        "所在街道编码": "S2",
        "产业链环节编码": segment,
        "覆盖党组织编码": po,
    }
    row.update(extra)
    return row


def _po(po_id: str, name: str, parent: str | None, **extra) -> dict:
    row = {
        "党组织编码": po_id,
        "党组织名称": name,
        "组织层级": "党支部",
        "党组织类别": "企业党组织",
        "组建方式": "单独组建",
        "党员数": 3,
        "上级党组织编码": parent,
        "所属街道编码": "S2",
        "最近组织生活日期": "2026-09-01",
    }
    row.update(extra)
    return row


def _clean() -> dict:
    sheets = tiny()
    sheets["产业链环节"].append(
        {"环节编码": "G3", "产业链编码": "C1", "环节名称": "租赁服务", "位置": "下游", "顺序": 3}
    )
    pos = {p["党组织编码"]: p for p in sheets["党组织"]}
    pos["PO-CHAIN"]["最近组织生活日期"] = "2026-10-01"
    sheets["党组织"] += [
        _po("PO-B", "己公司党支部", "PO-CHAIN"),
        _po("PO-C", "庚公司党支部", "PO-S1"),
        _po("PO-D", "辛公司党支部", "PO-CHAIN"),
    ]
    orgs = {o["统一社会信用代码"]: o for o in sheets["组织"]}
    orgs[O5]["产业链环节编码"] = "G3"
    sheets["组织"] += [
        _org(O6, "己精工有限公司", "G1", "PO-B"),
        _org(O7, "庚整机有限公司", "G2", "PO-C"),
        _org(O8, "辛装备有限公司", "G2", "PO-D"),
    ]
    sheets["产业链党委成员"] += [
        {"党组织编码": "PO-CHAIN", "成员类型": "骨干企业", "成员单位代码": O7},
        {"党组织编码": "PO-CHAIN", "成员类型": "协会联盟", "成员单位名称": "工程机械产业联盟"},
    ]
    sheets["链上关系"] = []
    return sheets


def _rows(sheets: dict, **changes) -> list[tuple[str, str, str]]:
    frame = chain_findings(graph_of(sheets), None, params(**changes))
    return list(zip(frame["code"], frame["subject"], frame["severity"], strict=True))


def _pos(sheets: dict) -> dict[str, dict]:
    return {p["党组织编码"]: p for p in sheets["党组织"]}


def _orgs(sheets: dict) -> dict[str, dict]:
    return {o["统一社会信用代码"]: o for o in sheets["组织"]}


def test_clean_chain_has_no_finding_and_its_structure_is_complete():
    g = graph_of(_clean())
    assert chain_findings(g, None, params()).empty
    (report,) = chain_structure(g, None, params())
    assert report.park_committee is not None and report.park_committee.code == "PO-PARK"
    (committee,) = report.committees
    assert committee.code == "PO-CHAIN" and committee.parent_is_park
    assert report.sides_present == ("骨干企业", "政府部门", "协会联盟")
    assert report.sides_missing == ()
    # members by side: two enterprises by USCC, a department and an alliance by name only
    assert [(m.side, m.member) for m in committee.members] == [
        ("骨干企业", O1),
        ("骨干企业", O7),
        ("政府部门", None),
        ("协会联盟", None),
    ]
    # four enterprises count (O5 is a 僵尸企业), all covered: PO-B, PO-D formal; PO-A, PO-C
    # functional (O1 and O7 sit on the committee); none detached.
    assert (report.enterprises, report.covered) == (4, 4)
    attachment = {e.party_org: e.attachment for e in report.enterprise_orgs}
    assert attachment == {
        "PO-A": "functional",
        "PO-B": "formal",
        "PO-C": "functional",
        "PO-D": "formal",
    }
    assert (report.attached_formal, report.attached_functional, report.detached) == (2, 2, 0)


def test_segment_coverage_by_position_and_order():
    sheets = _clean()
    # G0 is 下游 with order 0: positions come first, so it is listed after G3.
    sheets["产业链环节"].append(
        {"环节编码": "G0", "产业链编码": "C1", "环节名称": "回收", "位置": "下游", "顺序": 0}
    )
    _orgs(sheets)[O6]["覆盖党组织编码"] = None  # G1: O1 own, O6 uncovered → 1 of 2
    frame = segment_coverage(graph_of(sheets), "C1", params())
    assert list(frame.columns) == SEGMENT_COLUMNS
    assert frame["segment"].tolist() == ["G1", "G2", "G0", "G3"]
    g1, g2, _, g3 = frame.to_dict("records")
    assert (g1["enterprises"], g1["covered"], g1["own_organization"], g1["org_rate"]) == (
        2,
        1,
        1,
        50.0,
    )
    assert (g2["enterprises"], g2["covered"], g2["org_rate"]) == (2, 2, 100.0)
    assert g3["enterprises"] == 0 and math.isnan(g3["org_rate"])  # only a 僵尸企业 there


def test_scope_filter_counts_in_segments():
    # O6 has 40 staff; with a minimum of 41 only O1 (120 staff) counts in G1.
    frame = segment_coverage(graph_of(_clean()), "C1", params(min_employees_enterprise=41))
    g1 = frame.set_index("segment").loc["G1"]
    assert (g1["enterprises"], g1["covered"]) == (1, 1)


def test_chain_without_committee():
    sheets = _clean()
    sheets["产业链"].append({"产业链编码": "C2", "产业链名称": "生物医药", "牵头部门": "市科技局"})
    frame = chain_findings(graph_of(sheets), None, params())
    assert frame[["chain", "code", "subject", "severity"]].values.tolist() == [
        ["C2", "chain_without_committee", "C2", "高"]
    ]
    assert "生物医药产业链尚未建立产业链党委" in frame["detail"].iloc[0]
    assert "市科技局" in frame["detail"].iloc[0]
    # chain=None lists every chain, the one without a committee too
    reports = chain_structure(graph_of(sheets), None, params())
    assert [r.chain for r in reports] == ["C1", "C2"]
    assert reports[1].committees == () and reports[1].park_committee is None


@pytest.mark.parametrize(
    ("parent", "found"),
    [
        (None, True),  # no parent at all
        ("PO-S1", True),  # a street committee is not a park committee
        ("PO-PARK", False),  # 园区党工委
    ],
)
def test_committee_without_parent(parent, found):
    sheets = _clean()
    _pos(sheets)["PO-CHAIN"]["上级党组织编码"] = parent
    rows = _rows(sheets)
    assert (("committee_without_parent", "PO-CHAIN", "中") in rows) is found
    assert all(code == "committee_without_parent" for code, *_ in rows)


def test_committee_under_a_park_enterprise_committee_has_a_park_parent():
    sheets = _clean()
    sheets["党组织"].append(
        {
            "党组织编码": "PO-PE",
            "党组织名称": "长沙高新区企业党委",
            "组织层级": "党委",
            "党组织类别": "园区企业党委",
            "党员数": 10,
            "上级党组织编码": "PO-PARK",
            "所属园区编码": "P1",
        }
    )
    _pos(sheets)["PO-CHAIN"]["上级党组织编码"] = "PO-PE"
    assert _rows(sheets) == []
    (report,) = chain_structure(graph_of(sheets), "C1", params())
    assert report.park_committee is not None and report.park_committee.code == "PO-PE"


def test_committee_without_parent_names_the_park_holding_most_chain_organizations():
    sheets = _clean()
    _pos(sheets)["PO-CHAIN"]["上级党组织编码"] = None
    for uscc in (O6, O7):  # two of the chain's organizations are in park P1
        _orgs(sheets)[uscc].update({"所在街道编码": "S3", "所在园区编码": "P1"})
    frame = chain_findings(graph_of(sheets), "C1", params())
    assert "长沙高新区党工委（链上组织最多的园区，2 家）" in frame["detail"].iloc[0]


@pytest.mark.parametrize("side", ["骨干企业", "政府部门", "协会联盟"])
def test_committee_missing_side(side):
    sheets = _clean()
    sheets["产业链党委成员"] = [m for m in sheets["产业链党委成员"] if m["成员类型"] != side]
    frame = chain_findings(graph_of(sheets), None, params())
    frame = frame[frame["code"] == "committee_missing_side"]  # (without 骨干企业, PO-A and
    assert frame["subject"].tolist() == ["PO-CHAIN"]  # PO-C are detached too: next test)
    assert f"没有“{side}”" in frame["detail"].iloc[0]
    (report,) = chain_structure(graph_of(sheets), None, params())
    assert report.sides_missing == (side,)


def test_missing_backbone_side_suggests_the_largest_enterprises_with_their_own():
    sheets = _clean()
    sheets["产业链党委成员"] = [m for m in sheets["产业链党委成员"] if m["成员类型"] != "骨干企业"]
    # O1 and O7 no longer sit on the committee: PO-A and PO-C are detached now.
    frame = chain_findings(graph_of(sheets), None, params())
    side = frame[frame["code"] == "committee_missing_side"]["detail"].iloc[0]
    assert "如甲工程机械有限公司、己精工有限公司、庚整机有限公司" in side  # 120, 40, 40 staff
    assert sorted(frame.loc[frame["code"] == "enterprise_po_detached", "subject"]) == [
        "PO-A",
        "PO-C",
    ]


def test_enterprise_po_detached():
    sheets = _clean()
    _pos(sheets)["PO-B"]["上级党组织编码"] = "PO-S1"  # neither under nor on the committee
    frame = chain_findings(graph_of(sheets), None, params())
    assert frame[["code", "subject", "severity"]].values.tolist() == [
        ["enterprise_po_detached", "PO-B", "中"]
    ]
    detail = frame["detail"].iloc[0]
    assert "己精工有限公司" in detail and "将己公司党支部纳入工程机械产业链党委功能型管理" in detail


def test_formal_attachment_through_an_ancestor_is_not_detached():
    sheets = _clean()
    # PO-B → PO-MID → PO-CHAIN: subordinate through its ancestor, so formal.
    sheets["党组织"].append(_po("PO-MID", "工程机械联合党总支", "PO-CHAIN", 组织层级="党总支"))
    _pos(sheets)["PO-B"]["上级党组织编码"] = "PO-MID"
    assert _rows(sheets) == []
    (report,) = chain_structure(graph_of(sheets), None, params())
    assert {e.party_org: e.attachment for e in report.enterprise_orgs}["PO-B"] == "formal"


def test_umbrella_committee_covering_a_chain_enterprise_is_not_asked_to_join():
    sheets = _clean()
    _orgs(sheets)[O6]["覆盖党组织编码"] = "PO-S1"  # 兜底: the street's 两新综合党委 covers O6
    _pos(sheets)["PO-S1"]["最近组织生活日期"] = "2026-10-20"
    found = _rows(sheets)
    assert found == []  # covered (G1 still 2 of 2), and PO-S1 is no enterprise-level organization
    (report,) = chain_structure(graph_of(sheets), None, params())
    assert "PO-S1" not in {e.party_org for e in report.enterprise_orgs}


def test_segment_uncovered_and_single_point():
    sheets = _clean()
    orgs = _orgs(sheets)
    orgs[O1]["覆盖党组织编码"] = None
    orgs[O6]["覆盖党组织编码"] = None  # G1: 2 enterprises, 0 covered
    orgs[O8]["覆盖党组织编码"] = None  # G2: 2 enterprises, 1 covered (O7)
    rows = _rows(sheets)
    assert ("segment_uncovered", "G1", "高") in rows
    assert ("segment_single_point", "G2", "中") in rows
    # G3 holds only a 僵尸企业: an empty segment is neither uncovered nor a single point
    assert not any(subject == "G3" for _, subject, _ in rows)
    frame = chain_findings(graph_of(sheets), None, params())
    g2 = frame[frame["subject"] == "G2"]["detail"].iloc[0]
    assert "仅庚整机有限公司 1 家" in g2 and "其余 1 家" in g2


def test_single_point_of_failure_and_its_bridge():
    sheets = _clean()
    # O9 壬 (G2, uncovered) trades only with O6: O6 — O9 is a bridge and O6 an articulation
    # point whose removal cuts O9 off (O6 also holds PO-B, which links to the committee).
    sheets["组织"].append(_org(O9, "壬配件有限公司", "G2", None, 正式党员数=0))
    sheets["链上关系"] = [{"供方代码": O6, "需方代码": O9, "关系类型": "供货"}]
    frame = chain_findings(graph_of(sheets), None, params())
    assert frame[["code", "subject"]].values.tolist() == [["single_point_of_failure", O6]]
    detail = frame["detail"].iloc[0]
    assert "壬配件有限公司 1 家组织" in detail
    assert "己精工有限公司→壬配件有限公司" in detail  # the bridge, in supply direction


def test_no_single_point_where_there_is_another_path():
    sheets = _clean()
    sheets["组织"].append(_org(O9, "壬配件有限公司", "G2", None, 正式党员数=0))
    # O9 is supplied by O6 and by O8: a cycle through the committee, no articulation point.
    sheets["链上关系"] = [
        {"供方代码": O6, "需方代码": O9, "关系类型": "供货"},
        {"供方代码": O8, "需方代码": O9, "关系类型": "配套"},
    ]
    assert _rows(sheets) == []


def test_cutting_off_only_its_own_party_organization_is_no_single_point():
    sheets = _clean()
    # O6 → O8 → O7; PO-D (O8's own) now hangs under the street: it is detached, and O8 is an
    # articulation point of the network only because PO-D hangs off it (O6 and O7 keep their
    # links to the committee, so the supply path is a cycle through it). Nothing but a Party
    # organization is cut off, so O8 is not reported (PO-D is, as detached).
    _pos(sheets)["PO-D"]["上级党组织编码"] = "PO-S1"
    sheets["链上关系"] = [
        {"供方代码": O6, "需方代码": O8, "关系类型": "供货"},
        {"供方代码": O8, "需方代码": O7, "关系类型": "供货"},
    ]
    assert _rows(sheets) == [("enterprise_po_detached", "PO-D", "中")]


def test_single_point_cutting_off_the_committee():
    sheets = _clean()
    # Only O7 (on the committee, with PO-C functional) links the chain to its committee:
    # PO-A, PO-B, PO-D hang under the street, O1 is no member. Supply O6 → O1 → O7.
    # Removing O7 leaves {O1, PO-A, O6, PO-B} (2 organizations, the largest part) and
    # {committee, PO-C}: the committee is cut off. Removing O1 cuts O6 off. O8 is alone.
    sheets["产业链党委成员"] = [m for m in sheets["产业链党委成员"] if m.get("成员单位代码") != O1]
    for po in ("PO-B", "PO-D"):
        _pos(sheets)[po]["上级党组织编码"] = "PO-S1"
    sheets["链上关系"] = [
        {"供方代码": O6, "需方代码": O1, "关系类型": "供货"},
        {"供方代码": O1, "需方代码": O7, "关系类型": "供货"},
    ]
    frame = chain_findings(graph_of(sheets), None, params())
    spof = frame[frame["code"] == "single_point_of_failure"].set_index("subject")["detail"]
    assert sorted(spof.index) == sorted([O1, O7])
    assert "一旦其停产或退出，产业链党委将与网络其余部分失去联系" in spof[O7]
    assert "己精工有限公司 1 家组织" in spof[O1]


@pytest.mark.parametrize(
    ("change", "severity"),
    [
        ({"书记是否配备": "否"}, "高"),
        ({"最近组织生活日期": "2026-04-30"}, "中"),  # before 2026-05-01 (6 months before)
        ({"最近组织生活日期": None}, None),  # not recorded: no evidence (as in flags)
        ({"最近组织生活日期": "2026-05-01"}, None),  # exactly 6 months: not yet
    ],
)
def test_weak_lax(change, severity):
    sheets = _clean()
    _pos(sheets)["PO-D"].update(change)
    rows = _rows(sheets)
    expected = [] if severity is None else [("weak_lax", "PO-D", severity)]
    assert rows == expected


def test_weak_lax_threshold_is_a_parameter():
    sheets = _clean()
    _pos(sheets)["PO-D"]["最近组织生活日期"] = "2026-07-01"  # 4 months before 2026-11-01
    assert _rows(sheets) == []
    assert _rows(sheets, inactive_months=3) == [("weak_lax", "PO-D", "中")]


def test_weak_lax_committee_without_secretary():
    sheets = _clean()
    _pos(sheets)["PO-CHAIN"]["书记是否配备"] = "否"
    frame = chain_findings(graph_of(sheets), None, params())
    assert frame[["code", "subject", "severity"]].values.tolist() == [
        ["weak_lax", "PO-CHAIN", "高"]
    ]
    assert "未配备书记" in frame["detail"].iloc[0]


def test_findings_table_columns_and_order():
    sheets = _clean()
    _pos(sheets)["PO-CHAIN"]["上级党组织编码"] = None
    _pos(sheets)["PO-D"]["书记是否配备"] = "否"
    _orgs(sheets)[O8]["覆盖党组织编码"] = None
    frame = chain_findings(graph_of(sheets), "C1", params())
    assert list(frame.columns) == FINDING_COLUMNS
    order = list(FINDING_CODES)
    assert frame["code"].tolist() == sorted(frame["code"], key=order.index)
    assert frame["code"].tolist() == ["committee_without_parent", "segment_single_point"]
    assert set(frame["code_label"]) == {"产业链党委无园区上级", "环节仅一家覆盖"}


def test_unknown_chain_is_a_clear_error():
    g = graph_of(_clean())
    for call in (chain_structure, chain_findings, segment_coverage):
        with pytest.raises(NotFound, match="台账中没有产业链编码“C9”"):
            call(g, "C9", params())


def test_sample_city_finds_the_planted_chain_gaps():
    g = build_graph(generate_city(3000))
    p = params()
    assert p.as_of == DEFAULT_AS_OF
    reports = {r.chain: r for r in chain_structure(g, None, p)}
    frame = chain_findings(g, None, p)
    found = {(c, code) for c, code in zip(frame["chain"], frame["code"], strict=True)}
    last = sorted(reports)[-1]
    assert (last, "chain_without_committee") in found  # (b) the last chain has no committee
    assert ("CYL02", "committee_without_parent") in found  # (b) CYL02's has no parent
    missing = frame[frame["code"] == "committee_missing_side"]
    assert missing["chain"].tolist() == ["CYL03"]  # (b) no 协会联盟; CYL02's is by name only
    assert "协会联盟" in missing["detail"].iloc[0]
    assert ("CYL01", "segment_uncovered") in found
    assert ("CYL03", "segment_single_point") in found
    segments = segment_coverage(g, "CYL02", p)
    empty = segments[segments["enterprises"] == 0]["segment"].tolist()
    assert len(empty) == 1 and not (frame["subject"] == empty[0]).any()
    for chain, report in reports.items():
        if report.committees:  # (b) some enterprise organizations neither under nor on it
            assert (chain, "enterprise_po_detached") in found
            assert report.attached_formal and report.attached_functional
    # (i) each chain's hub: 4+ supply partners that trade with nobody else
    spof = set(frame.loc[frame["code"] == "single_point_of_failure", "subject"])
    assert _supply_hubs(g) and _supply_hubs(g) <= spof
    assert (frame["code"] == "weak_lax").any()  # (e)
    # every finding ends with its suggested action, given alone too
    assert set(frame["code"]) == set(FINDING_CODES)
    for detail, action in zip(frame["detail"], frame["action"], strict=True):
        assert action.startswith(("建议", "列入软弱涣散排查")) and detail.endswith(action)
        assert len(detail) > len(action)


def _supply_hubs(g) -> set[str]:
    """Organizations with 4 or more supply partners that have no other supply partner."""
    degree: dict[str, set[str]] = {}
    for u, v, key in g.edges(keys=True):
        if key == "SUPPLIES":
            degree.setdefault(u, set()).add(v)
            degree.setdefault(v, set()).add(u)
    return {
        n[len("org:") :]
        for n, partners in degree.items()
        if sum(len(degree[p]) == 1 for p in partners) >= 4
    }


# -- 软弱涣散: one definition with flags (issue 11) ---------------------------------------------


def _weak(frame) -> set[str]:
    return set(frame.loc[frame["code"] == "weak_lax", "subject"])


def test_park_committee_without_secretary_is_weak_lax():
    sheets = _clean()
    _pos(sheets)["PO-PARK"]["书记是否配备"] = "否"
    frame = chain_findings(graph_of(sheets), None, params())
    assert frame[["code", "subject", "severity"]].values.tolist() == [["weak_lax", "PO-PARK", "高"]]
    assert "本产业链党委的园区上级党组织" in frame["detail"].iloc[0]


@pytest.mark.parametrize(
    ("changes", "weak"),
    [
        ({}, set()),
        ({"PO-D": {"最近组织生活日期": None}}, set()),  # blank date: weak in neither
        ({"PO-CHAIN": {"最近组织生活日期": None}}, set()),
        ({"PO-CHAIN": {"书记是否配备": "否"}}, {"PO-CHAIN"}),  # committee without secretary
        ({"PO-PARK": {"书记是否配备": "否"}}, {"PO-PARK"}),
        ({"PO-D": {"最近组织生活日期": "2026-04-30"}}, {"PO-D"}),
        ({"PO-C": {"书记是否配备": "否", "最近组织生活日期": None}}, {"PO-C"}),
        ({"PO-GOV": {"书记是否配备": "否"}}, set()),  # an agency's: screened by neither
    ],
)
def test_flags_and_chains_agree_on_weak_lax_by_hand(changes, weak):
    sheets = _clean()
    _pos(sheets)["PO-J"]["书记是否配备"] = "是"  # the tiny ledger's weak joint branch
    for po, change in changes.items():
        _pos(sheets)[po].update(change)
    g = graph_of(sheets)
    assert _weak(chain_findings(g, None, params())) == weak
    assert _weak(flags(g, params())) == weak


def test_umbrella_committee_covering_a_chain_organization_is_screened_by_both():
    # O8 moves under PO-S1 (街道两新综合党委, 兜底); PO-S1 has no secretary. An agency branch
    # covering a chain organization (O6 under PO-GOV, no secretary) is not a 两新 organization
    # and is screened by neither.
    sheets = _clean()
    _pos(sheets)["PO-J"]["书记是否配备"] = "是"
    _pos(sheets)["PO-S1"]["书记是否配备"] = "否"
    _pos(sheets)["PO-GOV"]["书记是否配备"] = "否"
    _orgs(sheets)[O8]["覆盖党组织编码"] = "PO-S1"
    _orgs(sheets)[O6]["覆盖党组织编码"] = "PO-GOV"
    g = graph_of(sheets)
    assert _weak(chain_findings(g, None, params())) == {"PO-S1"} == _weak(flags(g, params()))


def test_flags_and_chains_agree_on_weak_lax_in_the_sample_city():
    g = build_graph(generate_city(3000))
    p = params()
    flagged = flags(g, p)
    flagged = flagged[flagged["code"] == "weak_lax"].set_index("subject")["detail"]
    found = chain_findings(g, None, p)
    found = found[found["code"] == "weak_lax"]
    # the chains' universe: their committees, the park committees above them, and the Party
    # organizations covering the chains' organizations that count
    orgs = org_table(g, p)
    chain_pos = set(orgs.loc[orgs["in_scope"] & orgs["chain"].notna(), "party_org"].dropna())
    for report in chain_structure(g, None, p):
        for c in report.committees:
            chain_pos |= {c.code} | ({c.parent} if c.parent_is_park and c.parent else set())
    assert len(found) and set(found["subject"]) == set(flagged.index) & chain_pos
    for po, detail in zip(found["subject"], found["detail"], strict=True):
        reasons = flagged[po].removesuffix("。列入软弱涣散排查，限期整顿。")
        assert f"：{reasons}。" in detail  # the same reasons, word for word
