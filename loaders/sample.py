"""A realistic synthetic city (样例城市): a complete, valid ledger with planted coverage gaps.

:func:`generate_city` builds a Changsha-like city of ``orgs`` organizations, deterministic for
the same ``(orgs, seed, as_of)`` (one ``numpy.random.default_rng(seed)``, no dependence on the
clock or on set ordering). Everything scales with ``orgs``; at 3,000 organizations there are 3
districts, 20 streets and towns, 120 buildings of every 楼宇类型, 2 national, 3 provincial and
1 municipal park, and 5 industry chains (工程机械, 先进储能材料, 新一代半导体及集成电路, 汽车,
生物医药) of 4–6 segments each. About 85% of the organizations are 非公企业, 15% 社会组织; 3% are
not 正常 (僵尸企业 / 空壳 / 注销). Among 正常 organizations exactly 10% of the enterprises and
5% of the social organizations are left uncovered (组织覆盖率 90% and 95%, seed 001).

How the city is built:

- Every organization has a street; about half sit in a building of *that* street; park
  streets hold the park organizations; chain enterprises (larger, mostly in their chain's
  home park) each have a segment; most organizations have coordinates.
- Covered organizations with 3+ formal members have their own 单独组建 organization (党支部,
  党总支 from 50 members, 党委 from 100). Smaller ones are grouped 2–5 at a time, each group
  with at least 3 formal members: first within a building (楼宇共建, a 楼宇党组织), then law /
  accounting / tax firms within a street (行业组建), then within the street (联合组建 /
  区域合建); small chain enterprises are often taken in by a lead enterprise's organization
  of their chain (龙头领建). Organizations no group could take are the first to stay
  uncovered (the quotas above); the rest are covered directly by their street's 街道两新综合党委
  (兜底组建). Parents: the street committee, or the park's 园区企业党委 / 园区党工委 for
  park organizations, or a 行业党委 (律师, 民办教育, 物业服务).
- 党员数 of an organization that covers organizations is the sum of their formal and
  probationary members; committees (street, park, industry, chain) add their own staff and
  do not count their subordinates' members.
- Each chain but the last has a 产业链党委 (parent: its home park's 园区党工委) whose
  members come from the three sides (产业链党委成员): 骨干企业 by USCC, 政府部门 by name,
  协会联盟 by the USCC of an association organization or by name. Chain enterprises' own
  organizations stay under their street or park (formal 隶属); some are subordinate to the
  chain committee, some are listed on it functionally (骨干企业).
- 机关党组织, 事业单位党组织 (public schools and hospitals) and 村社区党组织 serve as
  pairing partners; 党建指导员 follow Li County's ratio (3 专职 + 124 兼职 per 470
  organizations) and guide about two thirds of the uncovered and a third of the covered.

Planted gaps, each present at 300 organizations and up (counts at 3,000 in brackets):

(a) Uncovered clusters (3,000: 5 + 3): buildings where exactly 3–8 正常 enterprises are
    uncovered, each with at most 2 formal members, together 3 or more (a joint branch is
    feasible now), and buildings where 3–5 are uncovered with 2 formal members or fewer in
    all (not feasible); every other 正常 organization in those buildings is covered. Find:
    group uncovered 正常 organizations (``party_org`` empty) by ``building``, sum
    ``formal_members``. Street-level groups of uncovered organizations exist everywhere.
(b) Chain structure: the last chain has no 产业链党委 at all; chain 2's committee (产业链
    编码 CYL02) has no parent (no 园区党工委 above it); chain 3's committee has no 协会联盟
    member; chain 2's committee lists its association by name only; in chain 1 one segment
    has no covered enterprise (all its enterprises uncovered), in chain 2 one segment has no
    enterprise at all, in chain 3 one segment has exactly one covered enterprise. In every
    chain with a committee some enterprise Party organizations are neither subordinate to
    the committee (``parent``) nor listed on it (产业链党委成员 ``member``).
(c) Joint organizations that are too large: ``max(2, orgs/1500)`` joint organizations cover
    7–12 organizations each (count ``party_org`` values in 组织).
(d) Organizations with 3+ formal members and no organization of their own: ``max(3,
    orgs/1000)`` uncovered ones and ``max(3, orgs/1000)`` in a joint organization (a
    ``formation`` other than 单独组建), besides those that arise naturally.
(e) Weak and lax organizations (软弱涣散): about 4% of the 两新 organizations that cover
    organizations have ``has_secretary`` 否, about 5% a ``last_activity`` 200–700 days before
    ``as_of`` (more than 6 months).
(f) Elections: about 6% of the 两新 党支部/党总支 had their ``last_election`` more than 3
    years (+30 days) before ``as_of``, about 6% of the 两新 党委 more than 5 years; about 4%
    of each are due within 10–80 days. All other terms have at least 91 days to run.
(g) Pairing (结对共建): 15% of the 两新 organizations that cover organizations are paired
    (every 共建类型 occurs); the rest are unpaired.
(h) Organizations with 50+ staff and no formal member: ``max(4, orgs/750)`` planted, half
    uncovered, half covered by a joint organization.
(i) Supply links (链上关系) run from each segment to the next (供货 / 配套 / 服务), among
    chain enterprises only; in each chain with three segments or more (and at least 3
    enterprises on either side of the middle one), the largest enterprise of the middle
    segment is a hub with two suppliers and two buyers that trade with nobody else: the hub
    is an articulation point of the supply network (``nx.articulation_points``).

Dates are relative to ``as_of`` (default 2026-11-01), so the same call gives the same city on
any day. Cities from 100 organizations can be generated (:data:`MIN_ORGS`); the planted gaps
are guaranteed from 300.

Cost, measured with ``python -m bench.sample_city`` (AMD EPYC, 2 cores, Python 3.11): 100,000
organizations generate in 0.9 s and write as CSV in 0.9 s, 280 MiB peak; 1,000,000 generate
in 15 s and write in 11 s (251 MiB of CSV), 1.5 GiB peak.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from graph import uscc
from graph.errors import LiangxinError
from graph.ledger import DTYPES, Ledger
from graph.model import (
    SHEETS_BY_KEY,
    BuildingType,
    ColumnType,
    CommitteeSide,
    FormationMode,
    InstructorType,
    OrgKind,
    OrgStatus,
    PairingType,
    ParkLevel,
    PartyLevel,
    PartyOrgType,
    SegmentPosition,
    StreetType,
    SupplyRelation,
)
from loaders.writer import write_csv_folder, write_workbook

__all__ = ["DEFAULT_AS_OF", "MIN_ORGS", "SampleFormat", "generate_city", "write_sample"]

DEFAULT_AS_OF = date(2026, 11, 1)
"""The sample city's "today": every date is relative to it, so outputs never depend on the clock."""

MIN_ORGS = 100
"""Fewer organizations leave no room for every planted gap."""

SampleFormat = Literal["xlsx", "csv"]


def generate_city(orgs: int = 3000, seed: int = 2022, *, as_of: date | None = None) -> Ledger:
    """Generate the sample city's ledger: ``orgs`` organizations and everything around them.

    Deterministic for the same ``(orgs, seed, as_of)``; ``as_of`` defaults to
    :data:`DEFAULT_AS_OF`. Tables have exactly the model's columns, order and dtypes
    (:data:`graph.ledger.DTYPES`), every reference resolves, buildings are in their
    organizations' streets, formal members never exceed staff, Party organizations form a
    forest, and the planted gaps of the module docstring are present. Vectorised: a million
    organizations take well under a minute and a few hundred MB.
    """
    if orgs < MIN_ORGS:
        raise LiangxinError(f"样例城市至少需要 {MIN_ORGS} 个组织，这里是 {orgs} 个。")
    return _City(orgs, seed, as_of or DEFAULT_AS_OF).build()


def write_sample(
    path: Path,
    orgs: int = 3000,
    seed: int = 2022,
    fmt: SampleFormat = "xlsx",
    encoding: str = "utf-8-sig",
    *,
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Ledger:
    """Generate the sample city and write it: an .xlsx workbook, or a CSV folder at ``path``.

    Returns the generated ledger (what reading the files back must give).
    """
    ledger = generate_city(orgs, seed, as_of=as_of)
    if fmt == "xlsx":
        write_workbook(ledger, Path(path), progress=progress)
    elif fmt == "csv":
        write_csv_folder(ledger, Path(path), encoding=encoding, progress=progress)
    else:
        raise LiangxinError(f"不支持的样例格式“{fmt}”，请选择 xlsx 或 csv。")
    return ledger


# ---------------------------------------------------------------------------------------------
# Static data: names of places, chains, organizations


_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("430104", "岳麓区"),
    ("430121", "长沙县"),
    ("430111", "雨花区"),
    ("430105", "开福区"),
    ("430103", "天心区"),
    ("430102", "芙蓉区"),
    ("430112", "望城区"),
    ("430181", "浏阳市"),
    ("430182", "宁乡市"),
)
_RURAL = frozenset({"长沙县", "望城区", "浏阳市", "宁乡市"})

_STREETS: dict[str, tuple[str, ...]] = {
    "岳麓区": (
        "梅溪湖街道", "麓谷街道", "望月湖街道", "银盆岭街道", "观沙岭街道", "西湖街道",
        "咸嘉湖街道", "望城坡街道", "岳麓街道", "天顶街道", "洋湖街道", "含浦街道",
        "坪塘街道", "学士街道", "橘子洲街道", "望岳街道", "莲花镇", "雨敞坪镇",
    ),
    "长沙县": (
        "星沙街道", "湘龙街道", "泉塘街道", "榔梨街道", "松雅湖街道", "黄花镇", "安沙镇",
        "黄兴镇", "江背镇", "福临镇", "开慧镇", "金井镇", "北山镇", "果园镇", "春华镇",
        "路口镇", "高桥镇", "青山铺镇",
    ),
    "雨花区": (
        "高桥街道", "雨花亭街道", "左家塘街道", "侯家塘街道", "砂子塘街道", "东塘街道",
        "圭塘街道", "洞井街道", "井湾子街道", "黎托街道", "东山街道", "同升街道", "跳马镇",
    ),
    "开福区": (
        "东风路街道", "望麓园街道", "清水塘街道", "湘雅路街道", "伍家岭街道", "新河街道",
        "通泰街街道", "四方坪街道", "芙蓉北路街道", "月湖街道", "秀峰街道", "洪山街道",
        "浏阳河街道", "捞刀河街道", "青竹湖街道", "沙坪街道",
    ),
    "天心区": (
        "坡子街街道", "城南路街道", "裕南街街道", "金盆岭街道", "新开铺街道", "青园街道",
        "桂花坪街道", "赤岭路街道", "先锋街道", "黑石铺街道", "大托铺街道", "暮云街道",
        "南托街道", "文源街道",
    ),
    "芙蓉区": (
        "文艺路街道", "朝阳街街道", "韭菜园街道", "五里牌街道", "火星街道", "马王堆街道",
        "东湖街道", "湘湖街道", "定王台街道", "东岸街道", "荷花园街道", "马坡岭街道",
        "东屯渡街道",
    ),
    "望城区": (
        "高塘岭街道", "喻家坡街道", "月亮岛街道", "金山桥街道", "白沙洲街道", "大泽湖街道",
        "丁字湾街道", "廖家坪街道", "乌山街道", "黄金园街道", "铜官街道", "白箬铺镇",
        "茶亭镇", "乔口镇", "靖港镇",
    ),
    "浏阳市": (
        "淮川街道", "集里街道", "荷花街道", "关口街道", "永安镇", "大瑶镇", "镇头镇",
        "官桥镇", "社港镇", "沙市镇", "北盛镇", "洞阳镇", "古港镇", "文家市镇",
    ),
    "宁乡市": (
        "玉潭街道", "白马桥街道", "城郊街道", "历经铺街道", "金洲镇", "花明楼镇",
        "大成桥镇", "双江口镇", "道林镇", "夏铎铺镇", "煤炭坝镇", "灰汤镇",
    ),
}  # fmt: skip

_PLACES: tuple[str, ...] = (
    "青山", "白沙", "金霞", "梅岭", "桃花", "枫林", "杨柳", "荷塘", "松柏", "竹园",
    "兰亭", "凤凰", "龙湾", "鹿鸣", "星湖", "月塘", "云溪", "石门", "长岭", "新田",
    "高岭", "东岸", "南湖", "北辰", "黄泥", "柏加", "洪塘", "古塘", "仙峰", "桐梓",
    "枫树", "茶园", "杉木", "樟树", "桂花", "银杏", "紫薇", "白鹤", "金鹰", "银星",
    "天马", "岳峰", "翠微", "碧波", "清泉", "牛头", "鹅羊", "洪家", "谷山", "石燕",
    "金桥", "湘府", "雅塘", "花桥", "芦淞", "楠竹", "莲湖", "双塘", "象鼻", "龙泉",
)  # fmt: skip
_STREET_SUFFIXES: tuple[str, ...] = (
    "路",
    "岭",
    "湾",
    "桥",
    "塘",
    "坪",
    "园",
    "冲",
    "坡",
    "洲",
    "湖",
    "港",
)

_BRAND = (
    "华盛鑫宏达恒瑞泰隆兴嘉德丰源博远创新科智中天湘楚麓星辰宇航锦佳美和安康信诚汇通联合众力金"
    "银海山江云峰晟昊煜卓越优品尚启明光辉耀腾飞龙凤豪杰俊睿慧思维正方圆鼎晨曦朗润泽沃弘毅坤乾"
    "益禾青蓝橙紫彩芯微数聚昌盈亿万顺祥福乐宁拓展致铭泓翔骏驰凯旭东南北湾湖洲岳衡"
)
_SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁"
    "邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰文辉鹏飞宇欣怡晨阳雪梅志斌波"

_BUILDING_WORDS: dict[BuildingType, tuple[str, ...]] = {
    BuildingType.OFFICE: ("大厦", "国际中心", "广场", "金融中心", "商务中心", "写字楼"),
    BuildingType.BUSINESS_DISTRICT: ("商圈", "步行街商圈", "商业街"),
    BuildingType.MARKET: ("大市场", "建材市场", "农副产品市场", "汽配城", "小商品市场"),
    BuildingType.INDUSTRIAL_PARK: ("产业园", "科技园", "工业园", "智造园"),
    BuildingType.INCUBATOR: ("众创空间", "孵化器", "创业孵化基地", "双创中心"),
    BuildingType.TOWNLET: ("特色小镇", "小镇"),
}
_BUILDING_WEIGHTS: dict[BuildingType, float] = {
    BuildingType.OFFICE: 0.45,
    BuildingType.BUSINESS_DISTRICT: 0.12,
    BuildingType.MARKET: 0.10,
    BuildingType.INDUSTRIAL_PARK: 0.15,
    BuildingType.INCUBATOR: 0.12,
    BuildingType.TOWNLET: 0.06,
}

_NATIONAL_PARKS = (
    ("长沙高新技术产业开发区", "岳麓区"),
    ("长沙经济技术开发区", "长沙县"),
    ("望城经济技术开发区", "望城区"),
    ("浏阳经济技术开发区", "浏阳市"),
    ("宁乡经济技术开发区", "宁乡市"),
)
_PROVINCIAL_PARKS = (
    ("长沙雨花经济开发区", "雨花区"),
    ("长沙天心经济开发区", "天心区"),
    ("长沙金霞经济开发区", "开福区"),
    ("浏阳高新技术产业开发区", "浏阳市"),
    ("宁乡高新技术产业园区", "宁乡市"),
    ("长沙黄花临空经济区", "长沙县"),
)


@dataclass(frozen=True)
class _ChainDef:
    name: str
    department: str
    segments: tuple[tuple[str, SegmentPosition], ...]


_GXJ = "长沙市工业和信息化局"


def _chain(name: str, department: str, spec: str) -> _ChainDef:
    """``spec``: "上游：段、段；中游：段；下游：段", segments in upstream-to-downstream order."""
    segments: list[tuple[str, SegmentPosition]] = []
    for part in spec.split("；"):
        position, names = part.split("：")
        segments.extend((seg, SegmentPosition(position)) for seg in names.split("、"))
    return _ChainDef(name, department, tuple(segments))


_CHAINS: tuple[_ChainDef, ...] = (
    _chain("工程机械", _GXJ,
           "上游：钢材与基础材料、液压件与传动系统；中游：关键零部件、整机制造；下游：租赁与后市场服务"),
    _chain("先进储能材料", "长沙市发展和改革委员会",
           "上游：锂镍钴资源、正负极材料；中游：电解液与隔膜、电芯制造；下游：储能系统集成、电池回收"),
    _chain("新一代半导体及集成电路", _GXJ,
           "上游：半导体材料、设备与零部件；中游：芯片设计、制造与封装测试；下游：应用与方案"),
    _chain("汽车", _GXJ, "上游：汽车电子、动力总成零部件；中游：整车制造；下游：销售与后市场"),
    _chain("生物医药", "长沙市科学技术局",
           "上游：原料药与医药中间体；中游：化学药制剂、生物药与疫苗、医疗器械；下游：医药流通"),
    _chain("新材料", _GXJ, "上游：基础原材料；中游：先进金属材料、化工新材料；下游：材料应用"),
    _chain("电子信息", _GXJ, "上游：电子元器件；中游：终端整机制造；下游：信息服务"),
    _chain("智能装备", _GXJ, "上游：核心零部件；中游：工业机器人、数控机床；下游：系统集成"),
    _chain("显示功能器件", _GXJ, "上游：玻璃基板与材料；中游：面板制造、显示模组；下游：终端应用"),
    _chain("自主可控及信息安全", "长沙市委网信办",
           "上游：芯片与基础软硬件；中游：操作系统与数据库、信息安全产品；下游：行业应用"),
    _chain("食品", "长沙市农业农村局",
           "上游：农产品原料；中游：食品加工；下游：冷链物流、商超与餐饮"),
    _chain("航空航天", _GXJ, "上游：材料与元器件；中游：航空零部件、无人机整机；下游：运营服务"),
    _chain("北斗", "长沙市自然资源和规划局", "上游：芯片与天线；中游：终端与模块；下游：位置服务"),
    _chain("人工智能及机器人", "长沙市科学技术局",
           "上游：算力与传感器；中游：算法平台、机器人本体；下游：场景应用"),
    _chain("软件", _GXJ, "上游：基础软件；中游：工业软件、应用软件；下游：软件服务"),
    _chain("新能源", "长沙市发展和改革委员会",
           "上游：光伏材料；中游：组件与风电装备；下游：电站运营"),
    _chain("碳基材料", _GXJ, "上游：碳源与前驱体；中游：碳纤维、石墨烯；下游：复合材料应用"),
    _chain("住宅工业", "长沙市住房和城乡建设局",
           "上游：新型建材；中游：装配式构件；下游：装配施工"),
    _chain("智能网联汽车", _GXJ, "上游：车载芯片与传感器；中游：车路协同系统；下游：测试与运营"),
    _chain("电力装备", _GXJ, "上游：绝缘与导体材料；中游：输变电设备；下游：运维服务"),
    _chain("轨道交通", _GXJ, "上游：牵引与制动部件；中游：车辆制造；下游：运维服务"),
    _chain("3D打印", _GXJ, "上游：打印材料；中游：打印设备；下游：打印服务"),
)  # fmt: skip
_OTHER_DEPARTMENTS = (
    "长沙市科学技术局",
    "长沙市商务局",
    "长沙市市场监督管理局",
    "长沙市人力资源和社会保障局",
)

_AGENCIES = (
    "长沙市工业和信息化局", "长沙市市场监督管理局", "长沙市发展和改革委员会", "长沙市科学技术局",
    "长沙市商务局", "长沙市民政局", "长沙市司法局", "长沙市教育局", "长沙市卫生健康委员会",
)  # fmt: skip
_DISTRICT_AGENCIES = ("市场监督管理局", "工业和信息化局", "民政局", "商务局")


@dataclass(frozen=True)
class _Category:
    name: str | None
    weight: float
    industries: tuple[str, ...]
    mu: float  # log-normal staff size
    sigma: float
    words: tuple[str, ...]
    beta: tuple[float, float]  # share of staff who are Party members


def _cat(
    spec: str, weight: float, industries: str, mu: float, sigma: float, beta: tuple[float, float]
) -> _Category:
    """``spec``: "类别：名称用词、用词" (no category before the colon for uncategorised ones)."""
    name, words = spec.split("：")
    return _Category(
        name or None, weight, tuple(industries), mu, sigma, tuple(words.split("、")), beta
    )


_ENTERPRISE_CATEGORIES: tuple[_Category, ...] = (
    _cat("科技企业：科技、信息技术、网络科技、软件、电子科技、智能科技、数据科技",
         0.13, "IM", 2.6, 1.1, (2, 16.9)),
    _cat("制造企业：机械、机电、新材料、精密制造、汽车零部件、电子、化工、环保设备、包装",
         0.14, "C", 3.0, 1.2, (2, 19.5)),
    _cat("商贸企业：商贸、贸易、百货、电子商务、供应链管理、医药连锁",
         0.19, "F", 1.9, 1.0, (2, 23.4)),
    _cat("餐饮企业：餐饮管理、餐饮、酒店管理、食品", 0.08, "H", 2.3, 0.9, (1.5, 26.0)),
    _cat("建筑企业：建设工程、建筑工程、装饰工程、路桥建设、市政工程",
         0.07, "E", 2.9, 1.1, (2, 15.6)),
    _cat("金融服务：投资管理、融资担保、小额贷款、保险代理、资产管理",
         0.03, "J", 2.4, 1.0, (2, 10.4)),
    _cat("文化传媒：文化传媒、广告、影视文化、传媒、文化创意", 0.05, "RL", 2.0, 1.0, (2, 16.9)),
    _cat("养老服务：养老服务、健康管理、家政服务", 0.02, "OQ", 2.3, 0.9, (2, 19.5)),
    _cat("互联网平台企业：网络科技、互联网科技、信息科技、网络平台",
         0.02, "I", 3.3, 1.3, (2, 14.3)),
    _cat("物业企业：物业管理、物业服务", 0.05, "K", 3.0, 0.9, (2, 22.1)),
    _cat("快递物流：物流、快递、货运代理、仓储物流", 0.05, "G", 2.8, 1.0, (1.5, 26.0)),
    _cat("：实业、发展、咨询服务、企业管理、农业开发、环境工程、能源",
         0.17, "LMNOKADB", 2.0, 1.0, (2, 22.1)),
)  # fmt: skip
_SOCIAL_CATEGORIES: tuple[_Category, ...] = (
    _cat("民办学校：学校、实验学校、培训学校、幼儿园、职业技术学校、外国语学校",
         0.14, "P", 3.1, 0.8, (3, 16.2)),
    _cat("民办医院：医院、中医医院、口腔医院、眼科医院、康复医院、妇产医院",
         0.05, "Q", 3.7, 0.9, (3, 16.2)),
    _cat("律师事务所：律师事务所", 0.10, "L", 2.6, 0.8, (4, 10.4)),
    _cat("会计师事务所：会计师事务所、会计师事务所（普通合伙）、会计师事务所有限责任公司",
         0.05, "L", 2.4, 0.8, (3, 13.0)),
    _cat("税务师事务所：税务师事务所有限公司", 0.02, "L", 2.0, 0.7, (3, 15.6)),
    _cat("行业协会商会：协会、商会、促进会、联合会", 0.17, "S", 1.3, 0.8, (3, 7.8)),
    _cat("社区社会组织：志愿者协会、文体协会、老年协会、邻里互助会、读书会、环保志愿服务队",
         0.20, "S", 0.9, 0.7, (2, 9.1)),
    _cat("养老服务：养老院、颐养中心、老年公寓", 0.05, "Q", 2.3, 0.8, (2, 13.0)),
    _cat("民办非企业单位：社会工作服务中心、研究院、艺术培训中心、公益服务中心、体育俱乐部",
         0.22, "SMPRQ", 1.6, 0.9, (2, 10.4)),
)  # fmt: skip
_ASSOCIATION_THEMES = (
    "餐饮", "物流", "软件", "家居", "电子商务", "美容美发", "建材", "汽车服务", "茶叶", "湘绣",
    "摄影", "书法", "棋类", "广告", "物业管理", "家政服务", "养老服务", "民办教育", "健康产业",
    "中医药", "医疗器械", "农产品", "花卉苗木", "酒店", "旅游", "文化创意", "动漫游戏",
    "人力资源", "保安服务", "会展", "珠宝", "服装", "烘焙", "湘菜", "浙江", "福建", "江西",
    "广东", "温州", "邵阳", "常德", "衡阳", "个体劳动者", "私营企业", "青年企业家",
    "女企业家", "科技创新", "知识产权", "网络安全", "大数据",
)  # fmt: skip
_ENTERPRISE_PREFIXES = ("湖南", "长沙", "湖南省", "长沙市")
_FIRM_CATEGORIES = ("律师事务所", "会计师事务所", "税务师事务所")
_INDUSTRY_COMMITTEES = (
    ("律师事务所", "中共长沙市律师行业委员会"),
    ("民办学校", "中共长沙市民办教育行业委员会"),
    ("物业企业", "中共长沙市物业服务行业委员会"),
)
_LEVEL_SUFFIX = {
    PartyLevel.BRANCH: "支部委员会",
    PartyLevel.GENERAL_BRANCH: "总支部委员会",
    PartyLevel.COMMITTEE: "委员会",
}

_STATUS = tuple(OrgStatus)
_ENT, _SOC = OrgKind.ENTERPRISE.value, OrgKind.SOCIAL.value
_DAY0 = np.datetime64("1970-01-01", "D")
_BRANCH_TERM = (1095, 1096)  # 3 calendar years, in days: shortest, longest
_COMMITTEE_TERM = (1826, 1827)  # 5 calendar years


# ---------------------------------------------------------------------------------------------
# Sizes


@dataclass(frozen=True)
class _Sizes:
    orgs: int
    districts: int
    streets: int
    buildings: int
    national: int
    provincial: int
    municipal: int
    chains: int
    feasible_clusters: int
    infeasible_clusters: int
    large_joint: int
    big_zero: int
    own_uncovered: int
    own_joint: int

    @classmethod
    def of(cls, n: int) -> _Sizes:
        scale = n / 3000
        districts = int(np.clip(round(2 + 1.2 * np.log2(scale + 1)), 2, len(_DISTRICTS)))
        national = 2 + (n >= 50_000) + (n >= 500_000)
        provincial = int(np.clip(2 + round(np.log2(scale + 1)), 2, 12))
        municipal = round(scale**0.5)
        parks = national + provincial + municipal
        streets = max(parks + 2, 2 * districts, round(20 * scale**0.55))
        return cls(
            orgs=n,
            districts=districts,
            streets=streets,
            buildings=max(2 * len(BuildingType), round(n / 25)),
            national=national,
            provincial=provincial,
            municipal=municipal,
            chains=int(np.clip(round(5 + 3 * np.log10(scale)), 4, len(_CHAINS))),
            feasible_clusters=max(2, round(n / 600)),
            infeasible_clusters=max(1, round(n / 1000)),
            large_joint=max(2, round(n / 1500)),
            big_zero=max(4, round(n / 750)),
            own_uncovered=max(3, round(n / 1000)),
            own_joint=max(3, round(n / 1000)),
        )


# ---------------------------------------------------------------------------------------------
# The generator


class _POs:
    """Party organizations as growing column lists; ids are assigned at the end."""

    def __init__(self) -> None:
        self.stem: list[str] = []  # the name, or the stem before the level's suffix when auto
        self.auto: list[bool] = []  # level (and name suffix) follow the member count
        self.level: list[str | None] = []
        self.type: list[str] = []
        self.formation: list[str | None] = []
        self.staff: list[int] = []  # members of its own, besides the organizations it covers
        self.parent: list[int] = []
        self.chain: list[int] = []
        self.park: list[int] = []
        self.street: list[int] = []
        self.building: list[int] = []

    def __len__(self) -> int:
        return len(self.stem)

    def add(
        self,
        name: str,
        type_: PartyOrgType,
        *,
        level: PartyLevel | None = None,
        formation: FormationMode | None = None,
        staff: int = 0,
        parent: int = -1,
        chain: int = -1,
        park: int = -1,
        street: int = -1,
        building: int = -1,
    ) -> int:
        self.stem.append(name)
        self.auto.append(level is None)
        self.level.append(level.value if level else None)
        self.type.append(type_.value)
        self.formation.append(formation.value if formation else None)
        self.staff.append(staff)
        self.parent.append(parent)
        self.chain.append(chain)
        self.park.append(park)
        self.street.append(street)
        self.building.append(building)
        return len(self.stem) - 1


class _City:
    """Builds one city step by step; every step draws from the one generator in a fixed order."""

    def __init__(self, n: int, seed: int, as_of: date) -> None:
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.size = _Sizes.of(n)
        self.today = _days(as_of)

    def build(self) -> Ledger:
        self._geography()
        self._chains()
        self._organizations()
        self._names()
        self._codes()
        self._coverage()
        self._party_orgs()
        self._chain_committees()
        self._po_attributes()
        self._pairings()
        self._instructors()
        self._supply_links()
        return self._ledger()

    # -- places ----------------------------------------------------------------------------

    def _geography(self) -> None:
        rng, s = self.rng, self.size
        districts = _DISTRICTS[: s.districts]
        self.district_code = [code for code, _ in districts]
        self.district_name = [name for _, name in districts]
        nd = len(districts)
        per = [s.streets // nd + (1 if i < s.streets % nd else 0) for i in range(nd)]
        used = {name for names in _STREETS.values() for name in names}
        stems = [p + suffix for p in _PLACES for suffix in _STREET_SUFFIXES]
        stems = [stems[i] for i in rng.permutation(len(stems))]
        stem_at = 0
        names: list[str] = []
        district: list[int] = []
        ids: list[str] = []
        for d, (code, dname) in enumerate(districts):
            real = _STREETS[dname]
            for k in range(per[d]):
                if k < len(real):
                    name = real[k]
                else:
                    town = dname in _RURAL and rng.random() < 0.5
                    while True:
                        stem = stems[stem_at] if stem_at < len(stems) else f"新城{stem_at}"
                        stem_at += 1
                        name = stem + ("镇" if town else "街道")
                        if name not in used:
                            break
                used.add(name)
                names.append(name)
                district.append(d)
                ids.append(f"{code}{k + 1:03d}")
        ns = len(names)
        self.street_name = names
        self.street_short = [n.removesuffix("街道").removesuffix("镇") for n in names]
        self.street_id = np.array(ids, dtype=object)
        self.street_district = np.array(district, dtype=np.int64)
        self.street_type = [
            StreetType.TOWN if n.endswith("镇") else StreetType.STREET for n in names
        ]
        d_lon = 112.92 + 0.16 * rng.random(nd)
        d_lat = 28.12 + 0.16 * rng.random(nd)
        self.street_lon = np.clip(
            d_lon[self.street_district] + rng.normal(0, 0.02, ns), 112.9, 113.1
        )
        self.street_lat = np.clip(d_lat[self.street_district] + rng.normal(0, 0.02, ns), 28.1, 28.3)
        weight = rng.lognormal(0.0, 0.5, ns)
        self.street_weight = weight / weight.sum()

        # buildings, sorted by street so that each street's buildings are one range
        nb = s.buildings
        kinds = list(BuildingType)
        btype = np.empty(nb, dtype=np.int64)
        btype[: len(kinds)] = np.arange(len(kinds))
        probs = np.array([_BUILDING_WEIGHTS[k] for k in kinds])
        btype[len(kinds) :] = rng.choice(len(kinds), nb - len(kinds), p=probs / probs.sum())
        bstreet = rng.choice(ns, nb, p=self.street_weight)
        order = np.argsort(bstreet, kind="stable")
        self.b_street = bstreet[order]
        self.b_type = btype[order]
        self.b_start = np.searchsorted(self.b_street, np.arange(ns), side="left")
        self.b_count = np.searchsorted(self.b_street, np.arange(ns), side="right") - self.b_start
        self.b_lon = np.round(
            np.clip(self.street_lon[self.b_street] + rng.normal(0, 0.004, nb), 112.9, 113.1), 6
        )
        self.b_lat = np.round(
            np.clip(self.street_lat[self.b_street] + rng.normal(0, 0.004, nb), 28.1, 28.3), 6
        )
        busy = np.isin(
            self.b_type,
            [kinds.index(BuildingType.OFFICE), kinds.index(BuildingType.BUSINESS_DISTRICT)],
        )
        self.b_service = rng.random(nb) < np.where(busy, 0.5, 0.25)
        width = max(5, len(str(nb)))
        self.b_id = np.array([f"LY{i + 1:0{width}d}" for i in range(nb)], dtype=object)

        def building_names(idx: np.ndarray, attempt: int) -> list[str]:
            r = rng.integers(0, 1 << 30, size=(4, len(idx))).tolist()
            out = []
            for j, b in enumerate(idx.tolist()):
                words = _BUILDING_WORDS[kinds[self.b_type[b]]]
                brand = _brand(r[0][j], r[1][j], r[2][j] if attempt else None)
                out.append(
                    f"{self.street_short[self.b_street[b]]}{brand}{words[r[3][j] % len(words)]}"
                )
            return out

        self.b_name = _unique(building_names, nb)

        # parks: each takes one or two streets of its district, no street in two parks
        defs: list[tuple[str, ParkLevel, str | None]] = []
        for i in range(s.national):
            defs.append((_NATIONAL_PARKS[i][0], ParkLevel.NATIONAL, _NATIONAL_PARKS[i][1]))
        places = [_PLACES[i] for i in rng.permutation(len(_PLACES))]
        # provincial parks of the city's own districts first
        provincial = sorted(_PROVINCIAL_PARKS, key=lambda pd_: pd_[1] not in self.district_name)
        for i in range(s.provincial):
            if i < len(provincial):
                defs.append((provincial[i][0], ParkLevel.PROVINCIAL, provincial[i][1]))
            else:
                defs.append((f"长沙{places[i]}经济开发区", ParkLevel.PROVINCIAL, None))
        for i in range(s.municipal):
            d = self.district_name[i % nd]
            defs.append((f"{d}{places[-1 - i]}产业园", ParkLevel.MUNICIPAL, d))
        self.street_park = np.full(ns, -1, dtype=np.int64)
        self.park_name, self.park_level, self.park_district = [], [], []
        self.park_streets: list[list[int]] = []
        for p, (pname, level, dname) in enumerate(defs):
            d = self.district_name.index(dname) if dname in self.district_name else p % nd
            free = np.flatnonzero((self.street_district == d) & (self.street_park < 0))
            if len(free) == 0:
                free = np.flatnonzero(self.street_park < 0)
                d = int(self.street_district[free[0]]) if len(free) else d
                free = free[self.street_district[free] == d]
            take = 2 if len(free) >= 3 and rng.random() < 0.5 else 1
            chosen = sorted(rng.choice(free, take, replace=False).tolist())
            self.street_park[chosen] = p
            self.park_name.append(pname)
            self.park_level.append(level.value)
            self.park_district.append(d)
            self.park_streets.append(chosen)
        self.park_id = np.array([f"YQ{i + 1:03d}" for i in range(len(defs))], dtype=object)

    def _chains(self) -> None:
        nc = self.size.chains
        self.chain_defs = _CHAINS[:nc]
        self.chain_id = np.array([f"CYL{i + 1:02d}" for i in range(nc)], dtype=object)
        self.chain_park = [i % len(self.park_id) for i in range(nc)]
        seg_id: list[str]
        seg_chain, seg_name, seg_pos, seg_order, seg_id = [], [], [], [], []
        self.chain_segs: list[list[int]] = []
        for c, cdef in enumerate(self.chain_defs):
            segs = []
            for k, (name, pos) in enumerate(cdef.segments):
                segs.append(len(seg_id))
                seg_chain.append(c)
                seg_name.append(name)
                seg_pos.append(pos.value)
                seg_order.append(k + 1)
                seg_id.append(f"{self.chain_id[c]}-{k + 1:02d}")
            self.chain_segs.append(segs)
        self.seg_chain = np.array(seg_chain, dtype=np.int64)
        self.seg_name, self.seg_pos = seg_name, seg_pos
        self.seg_order = np.array(seg_order, dtype=np.int64)
        self.seg_id = np.array(seg_id, dtype=object)
        # planted (b): chain CYL02 has a segment without any enterprise
        self.empty_segment = self.chain_segs[1][-1]
        # roles of the chains (planted b): the last has no committee, CYL02's committee has no
        # park above it and names its association, CYL03's has no association at all
        self.no_committee = nc - 1
        self.no_park_parent = 1
        self.no_association = 2

    # -- organizations ---------------------------------------------------------------------

    def _organizations(self) -> None:
        rng, n = self.rng, self.n
        cats = _ENTERPRISE_CATEGORIES + _SOCIAL_CATEGORIES
        self.cats = cats
        n_ent_cats = len(_ENTERPRISE_CATEGORIES)
        social = np.zeros(n, dtype=bool)
        social[rng.choice(n, round(0.15 * n), replace=False)] = True
        self.social = social
        cid = np.empty(n, dtype=np.int64)
        w_ent = np.array([c.weight for c in _ENTERPRISE_CATEGORIES])
        w_soc = np.array([c.weight for c in _SOCIAL_CATEGORIES])
        cid[~social] = rng.choice(n_ent_cats, int((~social).sum()), p=w_ent / w_ent.sum())
        cid[social] = n_ent_cats + rng.choice(len(w_soc), int(social.sum()), p=w_soc / w_soc.sum())
        names = [c.name for c in cats]
        for cat in ("民办学校", "民办医院"):  # partners for 公办—民办学校 and 公立—民营医院
            have = int((cid == names.index(cat)).sum())
            if have < 3:
                fixed = np.isin(cid, [names.index("民办学校"), names.index("民办医院")])
                others = np.flatnonzero(social & ~fixed)
                cid[rng.choice(others, 3 - have, replace=False)] = names.index(cat)
        self.cid = cid
        mu = np.array([c.mu for c in cats])[cid]
        sigma = np.array([c.sigma for c in cats])[cid]
        self.employees = (
            np.minimum(np.floor(np.exp(rng.normal(mu, sigma))), 60_000).astype(np.int64) + 1
        )
        a = np.array([c.beta[0] for c in cats])[cid]
        b = np.array([c.beta[1] for c in cats])[cid]
        self.formal = rng.binomial(self.employees, rng.beta(a, b))
        self.prob = rng.binomial(self.employees - self.formal, 0.003)

        # places
        ns = len(self.street_name)
        self.street = rng.choice(ns, n, p=self.street_weight)
        count = self.b_count[self.street]
        in_building = (count > 0) & (rng.random(n) < np.where(social, 0.4, 0.55))
        offset = np.floor(rng.random(n) * np.maximum(count, 1)).astype(np.int64)
        self.building = np.where(in_building, self.b_start[self.street] + offset, -1)
        sp = self.street_park[self.street]
        in_park = (sp >= 0) & (rng.random(n) < np.where(social, 0.15, 0.6))
        self.park = np.where(in_park, sp, -1)

        # chain enterprises: larger, mostly in the chain's home park
        self.chain = np.full(n, -1, dtype=np.int64)
        self.segment = np.full(n, -1, dtype=np.int64)
        n_ent = int((~social).sum())
        nc = len(self.chain_defs)
        for c in range(nc):
            home = np.zeros(ns, dtype=bool)
            home[self.park_streets[self.chain_park[c]]] = True
            segs = [sg for sg in self.chain_segs[c] if sg != self.empty_segment]
            k = max(2 * len(segs) + 4, round(0.07 * n_ent / nc))
            weight = np.where(home[self.street], 8.0, np.where(sp >= 0, 2.0, 1.0))
            weight[social | (self.chain >= 0)] = 0.0
            chosen = rng.choice(n, k, replace=False, p=weight / weight.sum())
            self.chain[chosen] = c
            seg = np.array(segs, dtype=np.int64)
            first = min(k, 2 * len(segs))
            self.segment[chosen[:first]] = seg[np.arange(first) % len(segs)]
            self.segment[chosen[first:]] = rng.choice(seg, k - first)
        ch = np.flatnonzero(self.chain >= 0)
        names = [c.name for c in cats]
        making = np.where(
            rng.random(len(ch)) < 0.65, names.index("制造企业"), names.index("科技企业")
        )
        self.cid[ch] = making
        self.employees[ch] = np.minimum(np.floor(np.exp(rng.normal(3.5, 1.2, len(ch)))), 60_000)
        self.employees[ch] += 1
        self.formal[ch] = rng.binomial(self.employees[ch], rng.beta(2, 18, len(ch)))
        self.prob[ch] = rng.binomial(self.employees[ch] - self.formal[ch], 0.004)
        for c in range(nc):  # every chain has a few enterprises able to form their own
            mine = ch[self.chain[ch] == c]
            weak = mine[self.formal[mine] < 3]
            lacking = 5 - (len(mine) - len(weak))
            if lacking > 0:
                top = weak[np.argsort(-self.employees[weak], kind="stable")[:lacking]]
                self.employees[top] = np.maximum(self.employees[top], 20)
                self.formal[top] = rng.integers(3, 9, len(top))
                self.prob[top] = np.minimum(self.prob[top], self.employees[top] - self.formal[top])
        chain_park = (sp[ch] >= 0) & (rng.random(len(ch)) < 0.9)
        self.park[ch] = np.where(chain_park, sp[ch], self.park[ch])

        # 经营状态: 3% not 正常, never a chain enterprise
        self.status = np.zeros(n, dtype=np.int64)  # index into _STATUS
        off = rng.choice(np.flatnonzero(self.chain < 0), round(0.03 * n), replace=False)
        self.status[off] = 1 + rng.choice(3, len(off), p=[0.45, 0.35, 0.20])
        gone = off[self.status[off] >= 2]
        self.employees[gone] = rng.integers(0, 3, len(gone))
        zombie = off[self.status[off] == 1]
        self.employees[zombie] = np.minimum(self.employees[zombie], rng.integers(1, 9, len(zombie)))
        self.formal = np.minimum(self.formal, self.employees)
        self.prob = np.minimum(self.prob, self.employees - self.formal)
        self.normal = self.status == 0

        # the chains' associations (协会联盟 by USCC), each a 行业协会商会 with a fixed name
        self.fixed_names: dict[int, str] = {}
        self.chain_association = np.full(nc, -1, dtype=np.int64)
        assoc_cat = names.index("行业协会商会")
        for c in range(nc):
            if c in (self.no_association, self.no_park_parent):
                continue
            free = np.flatnonzero(social & self.normal & (self.cid != assoc_cat))
            i = int(rng.choice(free))
            self.cid[i] = assoc_cat
            self.employees[i] = int(rng.integers(3, 16))
            self.formal[i] = min(int(self.formal[i]), int(rng.integers(0, 4)))
            self.prob[i] = 0
            self.chain_association[c] = i
            word = "产业链联盟" if c % 2 == 0 else "产业协会"
            self.fixed_names[i] = f"长沙市{self.chain_defs[c].name}{word}"

        industries = np.empty(n, dtype=object)
        for k, cat in enumerate(cats):
            idx = np.flatnonzero(self.cid == k)
            industries[idx] = np.array(cat.industries, dtype=object)[
                rng.integers(0, len(cat.industries), len(idx))
            ]
        self.industry = industries
        self.category = np.array([c.name for c in cats], dtype=object)[self.cid]

        # registration, coordinates, 群团
        back = np.minimum(np.exp(rng.normal(7.5, 0.9, n)), 11_000).astype(np.int64)
        back[~self.normal] += 1000
        self.registered = self.today - 30 - back
        ns_lon = self.street_lon[self.street] + rng.normal(0, 0.008, n)
        ns_lat = self.street_lat[self.street] + rng.normal(0, 0.008, n)
        inb = self.building >= 0
        lon = np.where(inb, self.b_lon[np.maximum(self.building, 0)], np.clip(ns_lon, 112.9, 113.1))
        lat = np.where(inb, self.b_lat[np.maximum(self.building, 0)], np.clip(ns_lat, 28.1, 28.3))
        unknown = ~inb & (rng.random(n) < 0.1)
        self.lon = np.where(unknown, np.nan, np.round(lon, 6))
        self.lat = np.where(unknown, np.nan, np.round(lat, 6))
        p = np.minimum(0.9, 0.05 + 0.12 * np.log1p(self.employees))
        self.has_union = rng.random(n) < p
        self.has_youth = rng.random(n) < p * 0.5
        self.has_women = rng.random(n) < p * 0.6

    def _names(self) -> None:
        rng = self.rng
        cats = self.cats
        ns = len(self.street_name)
        district_of_street = [self.district_name[d] for d in self.street_district.tolist()]

        def make(idx: np.ndarray, attempt: int) -> list[str]:
            r = rng.integers(0, 1 << 30, size=(7, len(idx))).tolist()
            cid = self.cid[idx].tolist()
            street = self.street[idx].tolist()
            social = self.social[idx].tolist()
            out = []
            for j in range(len(idx)):
                cat = cats[cid[j]]
                brand = _brand(r[0][j], r[1][j], r[2][j] if attempt else None)
                word = cat.words[r[3][j] % len(cat.words)]
                st = street[j] % ns
                short = self.street_short[st] if attempt >= 3 else ""
                if not social[j]:
                    if r[5][j] % 10 == 9 and attempt < 3:
                        out.append(f"{brand}（长沙）{word}有限公司")
                        continue
                    prefix = _ENTERPRISE_PREFIXES[r[4][j] % len(_ENTERPRISE_PREFIXES)]
                    tail = r[5][j] % 20
                    suffix = (
                        "有限公司" if tail < 14 else "有限责任公司" if tail < 19 else "股份有限公司"
                    )
                    out.append(f"{prefix}{short}{brand}{word}{suffix}")
                elif cat.name in _FIRM_CATEGORIES:
                    out.append(f"湖南{short}{brand}{word}")
                elif cat.name == "行业协会商会":
                    theme = _ASSOCIATION_THEMES[r[4][j] % len(_ASSOCIATION_THEMES)]
                    where = "长沙市" if r[5][j] % 3 else district_of_street[st]
                    if attempt == 0:
                        out.append(f"{where}{theme}{word}")
                    elif attempt == 1:
                        out.append(f"{district_of_street[st]}{self.street_short[st]}{theme}{word}")
                    else:
                        out.append(f"{where}{short}{brand}{theme}{word}")
                elif cat.name == "社区社会组织":
                    place = _PLACES[r[4][j] % len(_PLACES)]
                    extra = brand if attempt else ""
                    out.append(f"{self.street_name[st]}{place}社区{extra}{word}")
                else:
                    k = r[4][j] % 3
                    where = ("长沙市", "长沙", district_of_street[st])[k]
                    out.append(f"{where}{short}{brand}{word}")
            return out

        self.name = _unique(make, self.n, self.fixed_names)

    def _codes(self) -> None:
        """统一社会信用代码: 9 (工商) for enterprises, 5 (民政) for social ones, a few Y1."""
        rng, n = self.rng, self.n
        alphabet = uscc.ALPHABET
        value = np.zeros(128, dtype=np.int64)
        for i, ch in enumerate(alphabet):
            value[ord(ch)] = i
        weights = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
        codes = np.zeros((n, 18), dtype=np.uint32)
        codes[:, 0] = np.where(self.social, ord("5"), ord("9"))
        kinds = np.where(
            self.social & ~np.isin(self.category, ["行业协会商会", "社区社会组织"]), 2, 1
        )
        codes[:, 1] = ord("0") + kinds
        other = rng.choice(np.flatnonzero(self.social), max(3, n // 1000), replace=False)
        codes[other, 0], codes[other, 1] = ord("Y"), ord("1")
        admin = np.array([[ord(ch) for ch in code] for code in self.district_code], dtype=np.uint32)
        codes[:, 2:8] = admin[self.street_district[self.street]]
        todo = np.arange(n)
        while len(todo):
            codes[todo, 8:17] = _organization_codes(rng, len(todo))
            codes[todo, 17] = _check_chars(codes[todo, :17], value, weights)
            text = codes.view("<U18").ravel()
            todo = np.flatnonzero(pd.Series(text).duplicated(keep="first").to_numpy())
        self.uscc = codes.view("<U18").ravel().astype(object)

    # -- coverage --------------------------------------------------------------------------

    def _coverage(self) -> None:
        """Plant the coverage gaps (a, b, d, h); the 90% / 95% quotas come later (_settle)."""
        rng, n, s = self.rng, self.n, self.size
        normal, social = self.normal, self.social
        uncovered = ~normal
        locked = ~normal.copy()  # coverage decided: planted, or not 正常
        force_joint = np.zeros(n, dtype=bool)

        # (b) one segment of CYL01 without any covered enterprise, one of CYL03 with exactly one
        def busiest(c: int, minimum: int) -> int:
            counts = [(int((self.segment == sg).sum()), -sg) for sg in self.chain_segs[c]]
            best = max(counts)
            return -best[1] if best[0] >= minimum else -1

        self.uncovered_segment = busiest(0, 2)
        self.single_segment = busiest(self.no_association, 2)
        for seg, keep in ((self.uncovered_segment, 0), (self.single_segment, 1)):
            if seg < 0:
                continue
            members = np.flatnonzero(self.segment == seg)
            uncovered[members[keep:]] = True
            locked[members] = True

        # one private school and one private hospital keep their own organization (pairing g)
        for cat in ("民办学校", "民办医院"):
            mine = np.flatnonzero(normal & ~locked & (self.category == cat))
            if len(mine):
                i = mine[np.argmax(self.employees[mine])]
                self.formal[i] = max(self.formal[i], 3)
                self.employees[i] = max(self.employees[i], self.formal[i] + self.prob[i] + 2)
                locked[i] = True

        # (a) clusters of uncovered enterprises in buildings, feasible and not
        eligible = normal & ~social & (self.chain < 0) & (self.building >= 0) & ~locked
        per_building = np.bincount(self.building[eligible], minlength=len(self.b_id))
        planted = locked & normal & (self.building >= 0)
        has_locked = np.bincount(self.building[planted], minlength=len(self.b_id))
        wanted = s.feasible_clusters + s.infeasible_clusters
        roomy = np.flatnonzero((per_building >= 8) & (has_locked == 0))
        if len(roomy) < wanted:
            roomy = np.flatnonzero((per_building >= 3) & (has_locked == 0))
        picked = rng.permutation(roomy)[:wanted]
        self.cluster_buildings: list[tuple[int, bool]] = []
        for j, b in enumerate(picked.tolist()):
            feasible = j < s.feasible_clusters
            inside = np.flatnonzero(self.building == b)
            candidates = inside[eligible[inside]]
            small = candidates[self.formal[candidates] <= 2]
            pool = small if len(small) >= 3 else candidates
            k = int(rng.integers(3, 9) if feasible else rng.integers(3, 6))
            chosen = rng.permutation(pool)[: min(k, len(pool))]
            self.formal[chosen] = np.minimum(self.formal[chosen], 2)
            if feasible:
                while self.formal[chosen].sum() < 3 and (self.formal[chosen] < 2).any():
                    i = chosen[int(np.argmin(self.formal[chosen]))]
                    self.formal[i] += 1
                    self.employees[i] = max(self.employees[i], self.formal[i] + 1)
            else:
                self.formal[chosen] = 0
                self.formal[chosen[0]] = int(rng.integers(0, 3))
                self.employees[chosen] = np.maximum(self.employees[chosen], self.formal[chosen])
                self.prob[chosen] = 0
            self.prob[chosen] = np.minimum(
                self.prob[chosen], self.employees[chosen] - self.formal[chosen]
            )
            uncovered[chosen] = True
            locked[inside] = True
            self.cluster_buildings.append((b, feasible))

        # (h) 50+ staff and no formal member: half uncovered, half in a joint organization
        free = normal & ~locked & (self.chain < 0)
        big = np.flatnonzero(free & (self.employees >= 50))
        if len(big) < s.big_zero:
            extra = rng.choice(
                np.flatnonzero(free & (self.employees < 50)), s.big_zero - len(big), replace=False
            )
            self.employees[extra] = rng.integers(50, 200, len(extra))
            big = np.concatenate([big, extra])
        chosen = rng.permutation(big)[: s.big_zero]
        self.formal[chosen] = 0
        self.prob[chosen] = 0
        half = len(chosen) // 2
        uncovered[chosen[:half]] = True
        force_joint[chosen[half:]] = True
        locked[chosen] = True

        # (d) 3+ formal members and no organization of their own
        free = normal & ~locked & (self.chain < 0) & ~social
        own = np.flatnonzero(free & (self.formal >= 3) & (self.formal <= 8))
        chosen = rng.permutation(own)[: s.own_uncovered + s.own_joint]
        if len(chosen) < s.own_uncovered + s.own_joint:
            more = rng.choice(
                np.flatnonzero(free & (self.formal < 3)),
                s.own_uncovered + s.own_joint - len(chosen),
                replace=False,
            )
            self.formal[more] = rng.integers(3, 6, len(more))
            self.employees[more] = np.maximum(self.employees[more], self.formal[more] + 5)
            self.prob[more] = 0
            chosen = np.concatenate([chosen, more])
        uncovered[chosen[: s.own_uncovered]] = True
        force_joint[chosen[s.own_uncovered :]] = True
        locked[chosen] = True

        # provisional: the quotas are settled once joint groups are formed (_settle)
        self.covered = normal & ~uncovered
        self.standalone = self.covered & (self.formal >= 3) & ~force_joint
        self.force_joint = force_joint
        self.uncovered = uncovered
        self.locked = locked

    # -- Party organizations ---------------------------------------------------------------

    def _party_orgs(self) -> None:
        rng, n = self.rng, self.n
        pos = _POs()
        self.pos = pos
        ns = len(self.street_name)
        committee = PartyLevel.COMMITTEE
        self.street_po = np.array(
            [
                pos.add(
                    f"中共{name}两新组织综合委员会",
                    PartyOrgType.STREET_COMPREHENSIVE,
                    level=committee,
                    staff=int(rng.integers(5, 16)),
                    street=st,
                )
                for st, name in enumerate(self.street_name)
            ],
            dtype=np.int64,
        )
        self.park_po = np.empty(len(self.park_id), dtype=np.int64)
        self.park_ent_po = np.full(len(self.park_id), -1, dtype=np.int64)
        for p, pname in enumerate(self.park_name):
            self.park_po[p] = pos.add(
                f"中共{pname}工作委员会",
                PartyOrgType.PARK_WORKING_COMMITTEE,
                level=committee,
                staff=int(rng.integers(20, 61)),
                park=p,
            )
            if self.park_level[p] != ParkLevel.MUNICIPAL.value:
                self.park_ent_po[p] = pos.add(
                    f"中共{pname}企业委员会",
                    PartyOrgType.PARK_ENTERPRISE_COMMITTEE,
                    level=committee,
                    staff=int(rng.integers(5, 16)),
                    parent=int(self.park_po[p]),
                    park=p,
                )
        self.industry_po = {
            cat: pos.add(
                name,
                PartyOrgType.INDUSTRY_COMMITTEE,
                level=committee,
                staff=int(rng.integers(5, 11)),
            )
            for cat, name in _INDUSTRY_COMMITTEES
        }
        self.chain_po = np.full(len(self.chain_defs), -1, dtype=np.int64)
        for c, cdef in enumerate(self.chain_defs):
            if c == self.no_committee:
                continue
            home = -1 if c == self.no_park_parent else int(self.park_po[self.chain_park[c]])
            self.chain_po[c] = pos.add(
                f"中共长沙市{cdef.name}产业链委员会",
                PartyOrgType.CHAIN_COMMITTEE,
                level=committee,
                parent=home,
                chain=c,
            )

        # pairing partners: agencies, public schools and hospitals, villages and communities
        self.agency_po = [
            pos.add(f"中共{a}机关委员会", PartyOrgType.AGENCY, level=committee,
                    staff=int(rng.integers(40, 301)))
            for a in _AGENCIES
        ]  # fmt: skip
        for dname in self.district_name:
            for a in _DISTRICT_AGENCIES:
                self.agency_po.append(
                    pos.add(f"中共{dname}{a}机关支部委员会", PartyOrgType.AGENCY,
                            level=PartyLevel.BRANCH, staff=int(rng.integers(8, 46)))
                )  # fmt: skip
        nd = len(self.district_name)
        self.school_po, self.hospital_po = [], []
        numerals = "一二三四五六七八九"  # at most 9 districts
        for k in range(max(2, nd)):
            self.school_po.append(
                pos.add(f"中共长沙市第{numerals[k]}中学委员会",
                        PartyOrgType.INSTITUTION, level=committee, staff=int(rng.integers(60, 201)))
            )  # fmt: skip
        for k in range(max(2, (nd + 1) // 2)):
            self.hospital_po.append(
                pos.add(f"中共长沙市第{numerals[k]}医院委员会", PartyOrgType.INSTITUTION,
                        level=committee, staff=int(rng.integers(100, 401)))
            )  # fmt: skip
        for dname in self.district_name:
            self.school_po.append(
                pos.add(f"中共{dname}实验小学支部委员会", PartyOrgType.INSTITUTION,
                        level=PartyLevel.BRANCH, staff=int(rng.integers(10, 46)))
            )  # fmt: skip
            self.hospital_po.append(
                pos.add(f"中共{dname}人民医院委员会", PartyOrgType.INSTITUTION, level=committee,
                        staff=int(rng.integers(100, 301)))
            )  # fmt: skip
        self.village_po: list[int] = []
        self.community_po: list[int] = []
        places = list(_PLACES)
        for st in range(ns):
            town = self.street_type[st] is StreetType.TOWN
            kinds = [town]
            if st == 0:
                kinds.append(not town)  # at least one village and one community in any city
            elif rng.random() < 0.5:
                kinds.append(bool(rng.random() < 0.5))
            picks = rng.choice(len(places), len(kinds), replace=False).tolist()
            for village, pk in zip(kinds, picks, strict=True):
                staff = int(rng.integers(30, 201))
                level = committee if staff >= 100 else PartyLevel.GENERAL_BRANCH
                unit = "村" if village else "社区"
                po = pos.add(
                    f"中共{self.street_name[st]}{places[pk]}{unit}{_LEVEL_SUFFIX[level]}",
                    PartyOrgType.VILLAGE_COMMUNITY,
                    level=level,
                    staff=staff,
                    street=st,
                )
                (self.village_po if village else self.community_po).append(po)

        # 单独组建: covered organizations with 3+ formal members
        org_po = np.full(n, -1, dtype=np.int64)
        own = np.flatnonzero(self.standalone)
        parent = self.street_po[self.street[own]]
        pk = self.park[own]
        in_park = pk >= 0
        ent = self.park_ent_po[np.maximum(pk, 0)]
        park_parent = np.where(
            (ent >= 0) & (rng.random(len(own)) < 0.85), ent, self.park_po[np.maximum(pk, 0)]
        )
        parent = np.where(in_park, park_parent, parent)
        for cat, po in self.industry_po.items():
            parent = np.where(
                (self.category[own] == cat) & (rng.random(len(own)) < 0.6), po, parent
            )
        first = len(pos)
        types = np.where(self.social[own], PartyOrgType.SOCIAL.value, PartyOrgType.ENTERPRISE.value)
        pos.stem.extend(self.name[own].tolist())
        pos.auto.extend([True] * len(own))
        pos.level.extend([None] * len(own))
        pos.type.extend(types.tolist())
        pos.formation.extend([FormationMode.STANDALONE.value] * len(own))
        pos.staff.extend([0] * len(own))
        pos.parent.extend(parent.tolist())
        pos.chain.extend([-1] * len(own))
        pos.park.extend([-1] * len(own))
        pos.street.extend(self.street[own].tolist())
        pos.building.extend(self.building[own].tolist())
        org_po[own] = np.arange(first, first + len(own))
        self.org_po = org_po

        # 龙头领建: a lead chain enterprise's organization takes in small partners of its chain
        for c in range(len(self.chain_defs)):
            small = np.flatnonzero(self.covered & ~self.standalone & (self.chain == c))
            leads = np.flatnonzero(self.standalone & (self.chain == c) & (self.formal >= 5))
            if len(small) == 0 or len(leads) == 0:
                continue
            partners = small[rng.random(len(small)) < 0.6]
            if len(partners) == 0:
                continue
            leads = leads[np.lexsort((leads, -self.formal[leads]))]
            nl = min(len(leads), -(-len(partners) // 4))
            partners = partners[: 4 * nl]
            lead_po = org_po[leads[:nl]]
            org_po[partners] = lead_po[np.arange(len(partners)) % nl]
            for po in lead_po.tolist():
                pos.formation[po] = FormationMode.LEAD.value

        # joint organizations: too large ones (planted c), then building, trade, street groups
        pool = self.covered & (org_po < 0)
        self._building_count: dict[int, int] = {}
        self._street_count: dict[int, int] = {}
        self.large_joint: list[int] = []
        ids = np.flatnonzero(pool)
        ids = ids[np.argsort(self.street[ids], kind="stable")]
        per_street = np.bincount(self.street[ids], minlength=ns)
        by_street = np.split(ids, np.cumsum(per_street)[:-1])
        roomy = np.flatnonzero(per_street >= 24)
        if len(roomy) == 0:
            roomy = np.array([int(np.argmax(per_street))])
        taken = np.zeros(n, dtype=bool)
        for st in rng.choice(roomy, self.size.large_joint).tolist():
            here = by_street[st][~taken[by_street[st]]]
            k = int(rng.integers(7, 13))
            if len(here) < k:
                continue
            blds = self.building[here]
            inside = blds >= 0
            counts = np.bincount(blds[inside], minlength=len(self.b_id))
            formal = np.bincount(blds[inside], self.formal[here[inside]], minlength=len(self.b_id))
            fits = np.flatnonzero((counts >= k) & (formal >= 3))
            if len(fits):
                b = int(fits[np.argmax(counts[fits])])
                members = self._with_three(rng.permutation(here[blds == b]), k)
                po = self._joint(members.tolist(), FormationMode.BUILDING, building=b)
            else:
                members = self._with_three(rng.permutation(here), k)
                po = self._joint(members.tolist(), FormationMode.JOINT)
            taken[members] = True
            self.large_joint.append(po)
        pool &= ~taken

        self._sizes_drawn = rng.choice([2, 3, 4, 5], size=n + 16, p=[0.1, 0.25, 0.3, 0.35]).tolist()
        self._sizes_at = 0
        self._formal_list = self.formal.tolist()
        firms = np.flatnonzero(pool & np.isin(self.category, _FIRM_CATEGORIES))
        groups, left_firms = self._group(firms, [self.street, self.park, self.cid])
        for g in groups:
            self._joint(g, FormationMode.INDUSTRY)
        pool[firms] = False
        pool[left_firms] = True
        ids = np.flatnonzero(pool & (self.building >= 0))
        groups, left = self._group(ids, [self.street, self.park, self.building], fill=5)
        for g in groups:
            self._joint(g, FormationMode.BUILDING, building=int(self.building[g[0]]))
        rest = np.concatenate([left, np.flatnonzero(pool & (self.building < 0))])
        groups, left = self._group(rest, [self.street, self.park])
        modes = rng.random(len(groups)) < 0.6
        room: dict[int, list[list[int]]] = {}  # street -> [size, po] of its street-level groups
        self._room = room
        for g, joint in zip(groups, modes.tolist(), strict=True):
            po = self._joint(g, FormationMode.JOINT if joint else FormationMode.AREA)
            room.setdefault(int(self.street[g[0]]), []).append([len(g), po])
        # organizations without members left over join a street-level group with room (≤ 5)
        still: list[int] = []
        for i in left.tolist():
            slots = room.get(int(self.street[i]), [])
            best = min(slots, default=None)
            if best is not None and best[0] < 5 and self._formal_list[i] == 0:
                org_po[i] = best[1]
                best[0] += 1
            else:
                still.append(i)
        left = np.array(still, dtype=np.int64)
        self._settle(left)

    def _settle(self, left: np.ndarray) -> None:
        """Fix coverage: 10% of 正常 enterprises and 5% of 正常 social organizations uncovered.

        Those no joint group could take are the first to stay uncovered; when they are too
        few, organizations without members leave joint groups of 3 or more (the group keeps
        its formal members). The rest of the leftovers are covered by their street's
        comprehensive committee (兜底组建).
        """
        rng, pos, org_po = self.rng, self.pos, self.org_po
        normal, social, uncovered = self.normal, self.social, self.uncovered
        open_po = np.array(
            [
                f not in (FormationMode.STANDALONE.value, FormationMode.LEAD.value)
                for f in pos.formation
            ]
        )
        open_po[self.large_joint] = False
        for kind_mask, share in ((~social, 0.10), (social, 0.05)):
            target = round(share * int((normal & kind_mask).sum()))
            missing = target - int((normal & kind_mask & uncovered).sum())
            if missing <= 0:
                continue
            mine = left[kind_mask[left] & ~self.locked[left]]
            take = rng.permutation(mine)[:missing]
            uncovered[take] = True
            missing -= len(take)
            if missing <= 0:
                continue
            sizes = np.bincount(org_po[org_po >= 0], minlength=len(pos))
            movable = np.flatnonzero(
                kind_mask & normal & ~self.locked & (org_po >= 0) & (self.formal == 0)
            )
            movable = rng.permutation(movable[open_po[org_po[movable]]])
            for i in movable.tolist():
                if missing == 0:
                    break
                po = org_po[i]
                if sizes[po] >= 3:
                    sizes[po] -= 1
                    org_po[i] = -1
                    uncovered[i] = True
                    missing -= 1
        left = left[~uncovered[left]]
        # 兜底: what is left in a street is covered by the street's comprehensive committee;
        # a single one left over joins a street-level group instead where there is one
        streets, counts = np.unique(self.street[left], return_counts=True)
        alone = set(streets[counts == 1].tolist())
        for i in left.tolist():
            st = int(self.street[i])
            slots = self._room.get(st, [])
            if st in alone and slots:
                best = min(slots)
                org_po[i] = best[1]
                best[0] += 1
            else:
                org_po[i] = self.street_po[st]
        fallback = np.unique(self.street_po[streets[counts > 1]]).tolist()
        if not fallback:  # every city shows a 兜底 committee: take two from joint groups
            sizes = np.bincount(org_po[org_po >= 0], minlength=len(pos))
            movable = np.flatnonzero(
                self.normal & ~self.locked & (org_po >= 0) & (self.formal == 0)
            )
            movable = movable[open_po[org_po[movable]] & (sizes[org_po[movable]] >= 4)]
            per_street = np.bincount(self.street[movable], minlength=len(self.street_name))
            if per_street.max(initial=0) >= 2:
                st = int(np.argmax(per_street))
                moved = movable[self.street[movable] == st][:2]
                org_po[moved] = self.street_po[st]
                fallback = [int(self.street_po[st])]
        for po in fallback:
            pos.formation[po] = FormationMode.FALLBACK.value
        self.covered = normal & (org_po >= 0)

    def _with_three(self, candidates: np.ndarray, k: int) -> np.ndarray:
        """``k`` of ``candidates`` (in their order) with at least 3 formal members if possible."""
        with_members = candidates[self.formal[candidates] > 0]
        enough = int(np.searchsorted(np.cumsum(self.formal[with_members]), 3)) + 1
        first = with_members[:enough]
        rest = candidates[~np.isin(candidates, first)]
        return np.concatenate([first, rest])[:k]

    def _group(
        self, ids: np.ndarray, keys: Sequence[np.ndarray], fill: int = 0
    ) -> tuple[list[list[int]], np.ndarray]:
        """Split ``ids`` into blocks of equal keys and greedily form groups in each block.

        A group takes organizations with formal members until it has 3 formal members, then
        fills up with organizations without members to ``fill`` organizations, or a drawn size
        of 2–5 when ``fill`` is 0. Those that cannot
        reach 3 formal members are returned, to be grouped at the next, wider level.
        """
        if len(ids) == 0:
            return [], ids
        tiebreak = self.rng.random(len(ids))
        order = np.lexsort([tiebreak, *[k[ids] for k in reversed(keys)]])
        ids = ids[order]
        kmat = np.stack([k[ids] for k in keys])
        cuts = np.flatnonzero((kmat[:, 1:] != kmat[:, :-1]).any(axis=0)) + 1
        bounds = [0, *cuts.tolist(), len(ids)]
        flat = ids.tolist()
        groups: list[list[int]] = []
        left: list[int] = []
        formal = self._formal_list
        for a, b in itertools.pairwise(bounds):
            with_members = [i for i in flat[a:b] if formal[i] > 0]
            without = [i for i in flat[a:b] if formal[i] == 0]
            mi = zi = 0
            while mi < len(with_members):
                group: list[int] = []
                total = 0
                while mi < len(with_members) and total < 3 and len(group) < 5:
                    group.append(with_members[mi])
                    total += formal[with_members[mi]]
                    mi += 1
                if total < 3:
                    left.extend(group)
                    break
                target = fill or self._sizes_drawn[self._sizes_at]
                self._sizes_at += 1
                while len(group) < target and zi < len(without):
                    group.append(without[zi])
                    zi += 1
                if len(group) < 2:
                    if zi < len(without):
                        group.append(without[zi])
                        zi += 1
                    elif mi < len(with_members):
                        group.append(with_members[mi])
                        mi += 1
                    else:
                        left.extend(group)
                        break
                groups.append(group)
            left.extend(without[zi:])
        return groups, np.array(left, dtype=np.int64)

    def _joint(self, members: list[int], mode: FormationMode, *, building: int = -1) -> int:
        """Create one joint organization covering ``members`` (all in one street)."""
        pos, rng = self.pos, self.rng
        st = int(self.street[members[0]])
        parks = {int(self.park[i]) for i in members}
        social = sum(bool(self.social[i]) for i in members)
        if mode is FormationMode.BUILDING:
            type_ = PartyOrgType.BUILDING
            k = self._building_count[building] = self._building_count.get(building, 0) + 1
            stem = f"{self.b_name[building]}第{k}联合"
        else:
            type_ = PartyOrgType.SOCIAL if 2 * social >= len(members) else PartyOrgType.ENTERPRISE
            k = self._street_count[st] = self._street_count.get(st, 0) + 1
            if mode is FormationMode.INDUSTRY:
                trade = str(self.category[members[0]]).removesuffix("事务所")
                stem = f"{self.street_name[st]}{trade}行业第{k}联合"
            elif mode is FormationMode.AREA:
                stem = f"{self.street_name[st]}第{k}区域联合"
            else:
                stem = f"{self.street_name[st]}第{k}联合"
        parent = int(self.street_po[st])
        if len(parks) == 1 and (p := parks.pop()) >= 0:
            ent = int(self.park_ent_po[p])
            parent = ent if ent >= 0 and rng.random() < 0.85 else int(self.park_po[p])
        elif mode is FormationMode.INDUSTRY and self.category[members[0]] == "律师事务所":
            parent = self.industry_po["律师事务所"]
        po = pos.add(stem, type_, formation=mode, parent=parent, street=st, building=building)
        self.org_po[members] = po
        return po

    def _chain_committees(self) -> None:
        """三方进入 rows, and which chain enterprise organizations sit under or on the committee."""
        rng, pos = self.rng, self.pos
        rows: list[tuple[int, str, str | None, str | None]] = []
        backbone = CommitteeSide.BACKBONE_ENTERPRISE.value
        for c, cdef in enumerate(self.chain_defs):
            cp = int(self.chain_po[c])
            if cp < 0:
                continue
            own = np.flatnonzero(self.standalone & (self.chain == c))
            u = rng.random(len(own))
            role = np.where(u < 0.3, 0, np.where(u < 0.8, 1, 2))  # subordinate, listed, neither
            # each committee has one listed and one neither under nor on it (planted b)
            if len(own) >= 3 and len(set(role.tolist())) < 3:
                role[:3] = (1, 0, 2)
            elif len(own) == 2:
                role[:] = (1, 2)
            elif len(own) == 1:
                role[:] = 1
            for i, r in zip(own.tolist(), role.tolist(), strict=True):
                if r == 0:
                    pos.parent[int(self.org_po[i])] = cp
                elif r == 1:
                    rows.append((cp, backbone, str(self.uscc[i]), None))
            departments = [cdef.department]
            for d in rng.permutation(len(_OTHER_DEPARTMENTS))[: int(rng.integers(1, 3))].tolist():
                if _OTHER_DEPARTMENTS[d] not in departments:
                    departments.append(_OTHER_DEPARTMENTS[d])
            departments.append(f"{self.park_name[self.chain_park[c]]}管理委员会")
            gov = CommitteeSide.GOVERNMENT.value
            rows.extend((cp, gov, None, d) for d in departments)
            assoc = CommitteeSide.ASSOCIATION.value
            if c == self.no_park_parent:
                rows.append((cp, assoc, None, f"长沙市{cdef.name}产业联盟"))
            elif c != self.no_association:
                rows.append((cp, assoc, str(self.uscc[self.chain_association[c]]), None))
            pos.staff[cp] = sum(1 for row in rows if row[0] == cp) + int(rng.integers(2, 7))
        self.committee_rows = rows

    def _po_attributes(self) -> None:
        """Members, levels and names, secretaries and dates (planted e and f)."""
        rng, pos, n = self.rng, self.pos, self.n
        npo = len(pos)
        covered = self.org_po >= 0
        size = (self.formal + self.prob)[covered]
        members = np.bincount(self.org_po[covered], weights=size, minlength=npo).astype(np.int64)
        self.po_covers = np.bincount(self.org_po[covered], minlength=npo)
        members += np.array(pos.staff, dtype=np.int64)
        self.po_members = members
        auto = np.array(pos.auto)
        level = np.array([lv or "" for lv in pos.level], dtype=object)
        auto_level = np.where(
            members < 50,
            PartyLevel.BRANCH.value,
            np.where(members < 100, PartyLevel.GENERAL_BRANCH.value, PartyLevel.COMMITTEE.value),
        )
        level = np.where(auto, auto_level, level)
        self.po_level = level
        suffix = {lv.value: s for lv, s in _LEVEL_SUFFIX.items()}
        self.po_name = np.array(
            [
                f"中共{stem}{suffix[lv]}" if a else stem
                for stem, a, lv in zip(pos.stem, pos.auto, level.tolist(), strict=True)
            ],
            dtype=object,
        )
        self.po_id = np.array([f"DZ{i + 1:07d}" for i in range(npo)], dtype=object)
        types = np.array(pos.type, dtype=object)
        self.po_type = types
        liangxin = np.isin(types, [t.value for t in PartyOrgType if t.is_liangxin])
        self.po_liangxin = liangxin
        committee = level == PartyLevel.COMMITTEE.value
        working = liangxin & (self.po_covers > 0)

        # elections: regular terms have at least 91 days to run; planted overdue and due soon
        term_min = np.where(committee, _COMMITTEE_TERM[0], _BRANCH_TERM[0])
        term_max = np.where(committee, _COMMITTEE_TERM[1], _BRANCH_TERM[1])
        elapsed = np.floor(rng.random(npo) * (term_min - 91)).astype(np.int64)
        self.overdue: list[int] = []
        self.due_soon: list[int] = []
        for group in (liangxin & ~committee, liangxin & committee):
            idx = rng.permutation(np.flatnonzero(group))
            k_over = max(1, round(0.06 * len(idx)))
            k_soon = max(1, round(0.04 * len(idx)))
            if len(idx) >= 20:
                k_over, k_soon = max(2, k_over), max(2, k_soon)
            over, soon = idx[:k_over], idx[k_over : k_over + k_soon]
            elapsed[over] = term_max[over] + rng.integers(30, 701, len(over))
            elapsed[soon] = term_min[soon] - rng.integers(10, 81, len(soon))
            self.overdue.extend(over.tolist())
            self.due_soon.extend(soon.tolist())
        last_election = self.today - elapsed
        terms_back = rng.choice(4, npo, p=[0.35, 0.3, 0.2, 0.15])
        founded = np.maximum(last_election - terms_back * term_min, _days(date(1995, 1, 1)))
        activity = self.today - rng.integers(0, 91, npo)
        # weak and lax (planted e): no secretary; no organisational life for over 6 months
        idx = rng.permutation(np.flatnonzero(working & (founded <= self.today - 700)))
        k_stale = max(2, round(0.05 * int(working.sum())))
        self.stale = idx[:k_stale]
        activity[self.stale] = self.today - rng.integers(200, 701, len(self.stale))
        activity = np.maximum(activity, founded)
        idx = rng.permutation(np.flatnonzero(working))
        self.no_secretary = idx[: max(2, round(0.04 * int(working.sum())))]
        has_secretary = np.ones(npo, dtype=bool)
        has_secretary[self.no_secretary] = False
        self.po_founded, self.po_election, self.po_activity = founded, last_election, activity
        self.po_has_secretary = has_secretary

        # an organization is registered before its own Party organization is founded
        own = np.flatnonzero(self.standalone)
        latest = founded[self.org_po[own]] - rng.integers(30, 1500, len(own))
        self.registered[own] = np.minimum(self.registered[own], latest)
        investor = np.full(n, -1, dtype=np.int64)
        ent_own = own[~self.social[own]]
        investor[ent_own] = rng.random(len(ent_own)) < 0.3
        self.secretary_is_investor = investor

    def _pairings(self) -> None:
        """结对共建 for 15% of the 两新 organizations that cover organizations (planted g)."""
        rng = self.rng
        types = self.po_type
        candidates = np.flatnonzero(
            np.isin(types, [PartyOrgType.ENTERPRISE.value, PartyOrgType.SOCIAL.value,
                            PartyOrgType.BUILDING.value]) & (self.po_covers > 0)
        )  # fmt: skip
        covered = np.flatnonzero(self.org_po >= 0)
        po_category = np.full(len(types), None, dtype=object)
        for cat in (
            "民办学校",
            "民办医院",
        ):  # organizations that take in a private school / hospital
            takes = covered[self.category[covered] == cat]
            po_category[self.org_po[takes]] = cat
        chosen = rng.permutation(candidates)[: round(0.15 * len(candidates))].tolist()
        taken = set(chosen)
        for cat in ("民办学校", "民办医院"):
            if not any(po_category[p] == cat for p in chosen):
                extra = [p for p in candidates.tolist() if po_category[p] == cat and p not in taken]
                if extra:
                    chosen.append(extra[0])
                    taken.add(extra[0])
        rows: list[tuple[int, int, str]] = []
        for p in chosen:
            cat = po_category[p]
            u = rng.random()
            if cat == "民办学校":
                rows.append((_pick(rng, self.school_po), p, PairingType.SCHOOL.value))
            elif cat == "民办医院":
                rows.append((_pick(rng, self.hospital_po), p, PairingType.HOSPITAL.value))
            elif self.po_members[p] >= 20 and u < 0.4:
                rows.append((p, _pick(rng, self.village_po), PairingType.ENTERPRISE_VILLAGE.value))
            elif u < 0.7:
                rows.append((_pick(rng, self.agency_po), p, PairingType.AGENCY_LIANGXIN.value))
            elif u < 0.9:
                rows.append(
                    (_pick(rng, self.community_po), p, PairingType.COMMUNITY_ENTERPRISE.value)
                )
            else:
                partner = _pick(rng, self.school_po + self.hospital_po)
                rows.append((partner, p, PairingType.OTHER.value))
        # every 共建类型 at least once
        present = {r[2] for r in rows}
        spare = [p for p in candidates.tolist() if p not in taken]
        for ptype, make in (
            (PairingType.ENTERPRISE_VILLAGE, lambda p: (p, self.village_po[0])),
            (PairingType.AGENCY_LIANGXIN, lambda p: (self.agency_po[0], p)),
            (PairingType.COMMUNITY_ENTERPRISE, lambda p: (self.community_po[0], p)),
            (PairingType.OTHER, lambda p: (self.hospital_po[0], p)),
        ):
            if ptype.value not in present and spare:
                a, b = make(spare.pop(0))
                rows.append((a, b, ptype.value))
        a = np.array([r[0] for r in rows], dtype=np.int64)
        b = np.array([r[1] for r in rows], dtype=np.int64)
        since = self.today - rng.integers(30, 1500, len(rows))
        since = np.maximum(since, np.maximum(self.po_founded[a], self.po_founded[b]))
        self.pairing_rows = (a, b, [r[2] for r in rows], since)

    def _instructors(self) -> None:
        """党建指导员 at Li County's ratio: 3 专职 and 124 兼职 per 470 organizations."""
        rng, n = self.rng, self.n
        nd, ns = len(self.district_name), len(self.street_name)
        n_full = max(nd, round(n * 3 / 470))
        n_part = max(ns, round(n * 124 / 470))
        full_district = np.arange(n_full) % nd
        part_street = np.concatenate(
            [np.arange(ns), rng.choice(ns, n_part - ns, p=self.street_weight)]
        )
        part_street = np.sort(part_street, kind="stable")
        units: list[str] = []
        for i, d in enumerate(full_district.tolist()):
            units.append(f"{self.district_name[d]}{'委组织部' if i % 2 == 0 else '两新组织党工委'}")
        kind = rng.integers(0, 3, n_part).tolist()
        place = rng.integers(0, len(_PLACES), n_part).tolist()
        for st, k, pl in zip(part_street.tolist(), kind, place, strict=True):
            if k == 0:
                units.append(f"{self.street_name[st]}党工委")
            elif k == 1:
                units.append(f"{self.street_name[st]}{_PLACES[pl]}社区")
            else:
                d = self.district_name[self.street_district[st]]
                units.append(f"{d}市场监督管理局{self.street_short[st]}所")
        total = n_full + n_part
        width = max(5, len(str(total)))
        self.instr_id = np.array([f"ZDY{i + 1:0{width}d}" for i in range(total)], dtype=object)
        self.instr_type = [InstructorType.FULL_TIME.value] * n_full + [
            InstructorType.PART_TIME.value
        ] * n_part
        self.instr_unit = units
        r = rng.integers(0, 1 << 30, size=(3, total)).tolist()
        self.instr_name = [
            _SURNAMES[a % len(_SURNAMES)] + _GIVEN[b % len(_GIVEN)]
            + (_GIVEN[c % len(_GIVEN)] if c % 3 else "")
            for a, b, c in zip(*r, strict=True)
        ]  # fmt: skip

        # who is guided: about two thirds of the uncovered 正常 and a third of the covered
        covered = self.org_po >= 0
        u = rng.random(n)
        guided = self.normal & np.where(covered, u < 0.3, u < 0.65)
        p_start = np.searchsorted(part_street, np.arange(ns), side="left")
        p_count = np.searchsorted(part_street, np.arange(ns), side="right") - p_start
        f_count = np.bincount(full_district, minlength=nd)
        district = self.street_district[self.street]
        pick = rng.random(n)
        use_full = rng.random(n) < 0.1
        part = (
            n_full + p_start[self.street] + np.floor(pick * p_count[self.street]).astype(np.int64)
        )
        nth = np.floor(pick * f_count[district]).astype(np.int64)
        full = district + nd * nth  # full-time instructors are dealt round-robin to districts
        self.org_instructor = np.where(guided, np.where(use_full, full, part), -1)

    def _supply_links(self) -> None:
        """链上关系 from each segment to the next; one hub per chain (planted i)."""
        rng = self.rng
        relations = [r.value for r in SupplyRelation]
        sup: list[int] = []
        buy: list[int] = []
        self.hubs: list[int] = []
        for c in range(len(self.chain_defs)):
            layers = [np.flatnonzero(self.segment == sg) for sg in self.chain_segs[c]]
            layers = [layer for layer in layers if len(layer)]
            if len(layers) < 2:
                continue
            dependants: set[int] = set()
            hub = -1
            h = len(layers) // 2
            if len(layers) >= 3 and len(layers[h - 1]) >= 3 and len(layers[h + 1]) >= 3:
                mid = layers[h]
                hub = int(mid[np.argmax(self.employees[mid])])
                before = rng.permutation(layers[h - 1])[:2].tolist()
                after = rng.permutation(layers[h + 1])[:2].tolist()
                dependants = set(before) | set(after)
                sup.extend(before)
                buy.extend([hub, hub])
                sup.extend([hub, hub])
                buy.extend(after)
                self.hubs.append(hub)
            for k in range(len(layers) - 1):
                suppliers = [i for i in layers[k].tolist() if i not in dependants]
                buyers = np.array([i for i in layers[k + 1].tolist() if i not in dependants])
                if not len(buyers):
                    continue
                counts = rng.integers(1, 3, len(suppliers))
                for s_, m in zip(suppliers, counts.tolist(), strict=True):
                    for b_ in rng.choice(buyers, min(m, len(buyers)), replace=False).tolist():
                        sup.append(s_)
                        buy.append(b_)
        links = pd.DataFrame({"s": sup, "b": buy}).drop_duplicates(ignore_index=True)
        rel = rng.choice(len(relations), len(links), p=[0.7, 0.2, 0.1])
        self.link_rows = (
            links["s"].to_numpy(),
            links["b"].to_numpy(),
            np.array(relations, dtype=object)[rel],
        )

    # -- the ledger ------------------------------------------------------------------------

    def _ledger(self) -> Ledger:
        n = self.n
        social = self.social
        status = np.array([s.value for s in _STATUS], dtype=object)[self.status]
        investor = self.secretary_is_investor
        organizations = {
            "uscc": self.uscc,
            "name": self.name,
            "kind": np.where(social, _SOC, _ENT).astype(object),
            "category": self.category,
            "industry": self.industry,
            "employees": self.employees,
            "formal_members": self.formal,
            "probationary_members": self.prob,
            "status": status,
            "street": self.street_id[self.street],
            "building": _lookup(self.b_id, self.building),
            "park": _lookup(self.park_id, self.park),
            "segment": _lookup(self.seg_id, self.segment),
            "party_org": _lookup(self.po_id, self.org_po),
            "instructor": _lookup(self.instr_id, self.org_instructor),
            "has_union": self.has_union,
            "has_youth_league": self.has_youth,
            "has_womens_federation": self.has_women,
            "secretary_is_investor": (investor == 1, investor < 0),
            "lon": self.lon,
            "lat": self.lat,
            "registered": self.registered,
        }
        pos = self.pos
        formation = np.array(pos.formation, dtype=object)
        party_orgs = {
            "id": self.po_id,
            "name": self.po_name,
            "level": self.po_level,
            "type": self.po_type,
            "formation": formation,
            "members": self.po_members,
            "parent": _lookup(self.po_id, np.array(pos.parent, dtype=np.int64)),
            "chain": _lookup(self.chain_id, np.array(pos.chain, dtype=np.int64)),
            "park": _lookup(self.park_id, np.array(pos.park, dtype=np.int64)),
            "street": _lookup(self.street_id, np.array(pos.street, dtype=np.int64)),
            "building": _lookup(self.b_id, np.array(pos.building, dtype=np.int64)),
            "has_secretary": self.po_has_secretary,
            "founded": self.po_founded,
            "last_election": self.po_election,
            "last_activity": self.po_activity,
        }
        streets = {
            "id": self.street_id,
            "name": self.street_name,
            "district": [self.district_name[d] for d in self.street_district.tolist()],
            "type": [t.value for t in self.street_type],
        }
        kinds = [k.value for k in BuildingType]
        buildings = {
            "id": self.b_id,
            "name": self.b_name,
            "type": [kinds[t] for t in self.b_type.tolist()],
            "street": self.street_id[self.b_street],
            "lon": self.b_lon,
            "lat": self.b_lat,
            "has_service_center": self.b_service,
        }
        parks = {
            "id": self.park_id,
            "name": self.park_name,
            "level": self.park_level,
            "district": [self.district_name[d] for d in self.park_district],
        }
        chains = {
            "id": self.chain_id,
            "name": [c.name for c in self.chain_defs],
            "lead_department": [c.department for c in self.chain_defs],
        }
        segments = {
            "id": self.seg_id,
            "chain": self.chain_id[self.seg_chain],
            "name": self.seg_name,
            "position": self.seg_pos,
            "order": self.seg_order,
        }
        s_idx, b_idx, relation = self.link_rows
        supply_links = {
            "supplier": self.uscc[s_idx],
            "buyer": self.uscc[b_idx],
            "relation": relation,
        }
        rows = self.committee_rows
        committee_members = {
            "party_org": [str(self.po_id[r[0]]) for r in rows],
            "side": [r[1] for r in rows],
            "member": [r[2] for r in rows],
            "member_name": [r[3] for r in rows],
        }
        a, b, ptype, since = self.pairing_rows
        pairings = {"a": self.po_id[a], "b": self.po_id[b], "type": ptype, "since": since}
        instructors = {
            "id": self.instr_id,
            "type": self.instr_type,
            "unit": self.instr_unit,
            "name": self.instr_name,
        }
        data = {
            "organizations": organizations,
            "party_orgs": party_orgs,
            "streets": streets,
            "buildings": buildings,
            "parks": parks,
            "chains": chains,
            "segments": segments,
            "supply_links": supply_links,
            "committee_members": committee_members,
            "pairings": pairings,
            "instructors": instructors,
        }
        tables = {key: _table(key, values) for key, values in data.items()}
        assert len(tables["organizations"]) == n
        return Ledger(tables, present=frozenset(tables))


# ---------------------------------------------------------------------------------------------
# Helpers


def _days(d: date) -> int:
    return int((np.datetime64(d, "D") - _DAY0).astype(np.int64))


def _brand(a: int, b: int, c: int | None = None) -> str:
    """A two- (or three-) character trade name such as 华盛 or 鑫泰源."""
    nb = len(_BRAND)
    first = _BRAND[a % nb]
    second = _BRAND[b % nb]
    if second == first:
        second = _BRAND[(b + 1) % nb]
    return first + second + (_BRAND[c % nb] if c is not None else "")


def _unique(
    make: Callable[[np.ndarray, int], list[str]], n: int, fixed: dict[int, str] | None = None
) -> np.ndarray:
    """``n`` names from ``make(indices, attempt)``, remaking duplicates with rising attempts."""
    names = np.empty(n, dtype=object)
    is_fixed = np.zeros(n, dtype=bool)
    for i, name in (fixed or {}).items():
        names[i] = name
        is_fixed[i] = True
    todo = np.flatnonzero(~is_fixed)
    names[todo] = make(todo, 0)
    reserved = pd.Series(names[is_fixed]).tolist()
    attempt = 0
    while True:
        series = pd.Series(names)
        dup = (series.duplicated(keep="first") | series.isin(reserved)).to_numpy() & ~is_fixed
        if not dup.any():
            return names
        attempt += 1
        idx = np.flatnonzero(dup)
        if attempt > 8:
            names[idx] = [f"{names[i]}（{i}）" for i in idx.tolist()]
        else:
            names[idx] = make(idx, attempt)


def _organization_codes(rng: np.random.Generator, m: int) -> np.ndarray:
    """``m`` 9-character organization codes (GB 11714: 8 characters and a check), as code points.

    60% are new-style (MA + 6 characters of the USCC alphabet), 40% old-style digits.
    """
    weights = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
    values = rng.integers(0, 10, (m, 8))
    new = rng.random(m) < 0.6
    alphabet = np.array([_gb11714_value(ch) for ch in uscc.ALPHABET], dtype=np.int64)
    pick = alphabet[rng.integers(0, len(uscc.ALPHABET), (m, 6))]
    values[new, 0] = _gb11714_value("M")
    values[new, 1] = _gb11714_value("A")
    values[new, 2:] = pick[new]
    check = 11 - (values @ weights) % 11
    out = np.empty((m, 9), dtype=np.uint32)
    out[:, :8] = np.where(values < 10, ord("0") + values, ord("A") + values - 10)
    out[:, 8] = np.where(check == 10, ord("X"), np.where(check == 11, ord("0"), ord("0") + check))
    return out


def _gb11714_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def _check_chars(body: np.ndarray, value: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """GB 32100-2015 check characters of 17-character bodies (code points), vectorised."""
    total = (value[body.astype(np.int64)] * weights).sum(axis=1)
    alphabet = np.array([ord(ch) for ch in uscc.ALPHABET], dtype=np.uint32)
    return alphabet[(31 - total % 31) % 31]


def _lookup(ids: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Codes for integer references, ``None`` where the reference is -1."""
    out = np.asarray(ids, dtype=object)[np.maximum(idx, 0)]
    out[idx < 0] = None
    return out


def _pick(rng: np.random.Generator, items: Sequence[int]) -> int:
    return int(items[int(rng.integers(0, len(items)))])


def _table(key: str, values: dict[str, Any]) -> pd.DataFrame:
    """A table with exactly the sheet's columns, order and dtypes (graph.ledger.DTYPES)."""
    sheet = SHEETS_BY_KEY[key]
    length = _length(values)
    columns: dict[str, Any] = {}
    for column in sheet.columns:
        columns[column.key] = _column(column.type, values.get(column.key), length)
    return pd.DataFrame(columns, index=pd.RangeIndex(length))


def _length(values: dict[str, Any]) -> int:
    first = next(iter(values.values()))
    return len(first[0]) if isinstance(first, tuple) else len(first)


def _column(ctype: ColumnType, value: Any, length: int) -> Any:
    dtype = DTYPES[ctype]
    if value is None:
        return pd.Series([None] * length, dtype=dtype).array
    mask = None
    if isinstance(value, tuple):
        value, mask = value
    if ctype is ColumnType.INT:
        data: np.ndarray = np.asarray(value, dtype=np.int64)
        return pd.arrays.IntegerArray(data, np.zeros(length, bool) if mask is None else mask)
    if ctype is ColumnType.DECIMAL:
        data = np.asarray(value, dtype=np.float64)
        return pd.arrays.FloatingArray(np.nan_to_num(data), np.isnan(data))
    if ctype is ColumnType.BOOL:
        data = np.asarray(value, dtype=bool)
        return pd.arrays.BooleanArray(data, np.zeros(length, bool) if mask is None else mask)
    if ctype is ColumnType.DATE:
        days = np.asarray(value, dtype=np.int64)
        return (_DAY0 + days.astype("timedelta64[D]")).astype("datetime64[ms]")
    return pd.array(np.asarray(value, dtype=object), dtype=dtype)  # type: ignore[call-overload]
