"""The domain model: enumerations, the ledger's sheets and columns, node and edge kinds.

Everything that knows "what a ledger is" reads it from here: the loaders (headers, types,
validation), the template writer (headers, dropdowns, 说明), the sample city, the graph
builder and the stores. Chinese names are what planners see; English keys are what code and
JSON use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

__all__ = [
    "SHEETS",
    "SHEETS_BY_KEY",
    "BuildingType",
    "Column",
    "ColumnType",
    "CommitteeSide",
    "EdgeKind",
    "FormationMode",
    "InstructorType",
    "NodeKind",
    "OrgKind",
    "OrgStatus",
    "PairingType",
    "ParkLevel",
    "PartyLevel",
    "PartyOrgType",
    "SegmentPosition",
    "Sheet",
    "StreetType",
    "SupplyRelation",
    "node_id",
]


# ---------------------------------------------------------------------------------------------
# Enumerations (values are the Chinese words planners write in the ledger)


class OrgKind(StrEnum):
    """组织类型: the two kinds whose rates are reported separately."""

    ENTERPRISE = "非公企业"
    SOCIAL = "社会组织"


class OrgStatus(StrEnum):
    """经营状态: only 正常 organizations count in rates and suggestions (seed 003)."""

    NORMAL = "正常"
    ZOMBIE = "僵尸企业"
    SHELL = "空壳"
    DEREGISTERED = "注销"


class PartyLevel(StrEnum):
    """组织层级."""

    COMMITTEE = "党委"
    GENERAL_BRANCH = "党总支"
    BRANCH = "党支部"


class PartyOrgType(StrEnum):
    """党组织类别."""

    ENTERPRISE = "企业党组织"
    SOCIAL = "社会组织党组织"
    CHAIN_COMMITTEE = "产业链党委"
    PARK_WORKING_COMMITTEE = "园区党工委"
    PARK_ENTERPRISE_COMMITTEE = "园区企业党委"
    STREET_COMPREHENSIVE = "街道两新综合党委"
    INDUSTRY_COMMITTEE = "行业党委"
    BUILDING = "楼宇党组织"
    AGENCY = "机关党组织"
    INSTITUTION = "事业单位党组织"
    VILLAGE_COMMUNITY = "村社区党组织"

    @property
    def is_liangxin(self) -> bool:
        """A 两新 Party organization (one that covers non-public enterprises or social orgs)."""
        return self in _LIANGXIN_PO_TYPES

    @property
    def is_park_level(self) -> bool:
        """The top of the three-level chain system (园区党工委 / 园区企业党委)."""
        return self in (PartyOrgType.PARK_WORKING_COMMITTEE, PartyOrgType.PARK_ENTERPRISE_COMMITTEE)


_LIANGXIN_PO_TYPES = frozenset(
    {
        PartyOrgType.ENTERPRISE,
        PartyOrgType.SOCIAL,
        PartyOrgType.BUILDING,
        PartyOrgType.INDUSTRY_COMMITTEE,
        PartyOrgType.STREET_COMPREHENSIVE,
        PartyOrgType.PARK_ENTERPRISE_COMMITTEE,
    }
)


class FormationMode(StrEnum):
    """组建方式. 单独组建 covers exactly one organization; every other mode is joint (联合)."""

    STANDALONE = "单独组建"
    JOINT = "联合组建"
    LEAD = "龙头领建"
    PLATFORM = "平台统建"
    BUILDING = "楼宇共建"
    AREA = "区域合建"
    INDUSTRY = "行业组建"
    FALLBACK = "兜底组建"

    @property
    def is_joint(self) -> bool:
        return self is not FormationMode.STANDALONE


class StreetType(StrEnum):
    STREET = "街道"
    TOWN = "镇"


class BuildingType(StrEnum):
    """楼宇类型: the places where 楼宇共建 happens."""

    OFFICE = "商务楼宇"
    BUSINESS_DISTRICT = "商圈"
    MARKET = "专业市场"
    INDUSTRIAL_PARK = "产业园"
    INCUBATOR = "孵化平台"
    TOWNLET = "特色小镇"


class ParkLevel(StrEnum):
    NATIONAL = "国家级"
    PROVINCIAL = "省级"
    MUNICIPAL = "市级"


class SegmentPosition(StrEnum):
    """产业链环节位置, drawn left to right."""

    UPSTREAM = "上游"
    MIDSTREAM = "中游"
    DOWNSTREAM = "下游"


class SupplyRelation(StrEnum):
    SUPPLY = "供货"
    SUPPORT = "配套"
    SERVICE = "服务"


class CommitteeSide(StrEnum):
    """三方进入: the three sides a chain committee's members come from."""

    BACKBONE_ENTERPRISE = "骨干企业"
    GOVERNMENT = "政府部门"
    ASSOCIATION = "协会联盟"


class PairingType(StrEnum):
    """结对共建类型 (seed 000 §6, §11; seed 004)."""

    AGENCY_LIANGXIN = "机关—两新"
    SCHOOL = "公办—民办学校"
    HOSPITAL = "公立—民营医院"
    ENTERPRISE_VILLAGE = "企业—村"
    COMMUNITY_ENTERPRISE = "社区—企业"
    OTHER = "其他"


class InstructorType(StrEnum):
    FULL_TIME = "专职"
    PART_TIME = "兼职"


INDUSTRY_SECTIONS: dict[str, str] = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}
"""国民经济行业分类 (GB/T 4754) sections."""

CATEGORIES: tuple[str, ...] = (
    "民办学校",
    "民办医院",
    "律师事务所",
    "会计师事务所",
    "税务师事务所",
    "行业协会商会",
    "社区社会组织",
    "互联网平台企业",
    "物业企业",
    "快递物流",
    "科技企业",
    "制造企业",
    "商贸企业",
    "餐饮企业",
    "建筑企业",
    "金融服务",
    "文化传媒",
    "养老服务",
    "民办非企业单位",
)
"""细分类别 suggestions; the column is free text, these are offered in the template's dropdown."""


# ---------------------------------------------------------------------------------------------
# Sheets and columns


class ColumnType(StrEnum):
    """How a cell is read and checked."""

    USCC = "uscc"  # 统一社会信用代码, GB 32100-2015
    CODE = "code"  # an identifier: text, never a number
    TEXT = "text"
    INT = "int"  # whole number >= 0
    DECIMAL = "decimal"
    BOOL = "bool"  # 是 / 否
    DATE = "date"
    ENUM = "enum"


@dataclass(frozen=True)
class Column:
    """One ledger column: its English key (DataFrame column), Chinese header, type and rules.

    ``ref`` names the sheet whose key this column refers to; ``choices`` are the allowed values
    of an enumeration; ``suggestions`` are offered in the template but not enforced;
    ``headers`` are further header spellings accepted (besides ``label`` and ``key``).
    """

    key: str
    label: str
    type: ColumnType
    required: bool = False
    ref: str | None = None
    choices: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    default: object = None
    note: str = ""
    headers: tuple[str, ...] = ()

    @property
    def is_code(self) -> bool:
        """Code-like columns are stored as text, formatted as text in the template."""
        return self.type in (ColumnType.USCC, ColumnType.CODE)

    @property
    def dropdown(self) -> tuple[str, ...]:
        if self.type is ColumnType.BOOL:
            return ("是", "否")
        return self.choices or self.suggestions


@dataclass(frozen=True)
class Sheet:
    """One ledger sheet (one table): Chinese name, English alias, its columns."""

    key: str
    label: str
    columns: tuple[Column, ...]
    required: bool = False
    id_column: str | None = None
    note: str = ""
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {c.key: c for c in self.columns})

    def column(self, key: str) -> Column:
        return self.by_key[key]


def _enum(e: type[Enum]) -> tuple[str, ...]:
    return tuple(m.value for m in e)


_YES_NO_NOTE = "填“是”或“否”"

ORGANIZATIONS = Sheet(
    key="organizations",
    label="组织",
    required=True,
    id_column="uscc",
    note="一企一表：辖区内每个非公企业、社会组织一行。",
    columns=(
        Column(
            "uscc",
            "统一社会信用代码",
            ColumnType.USCC,
            required=True,
            note="18位，唯一；第18位为 GB 32100-2015 校验位。请以文本格式录入。",
        ),
        Column("name", "组织名称", ColumnType.TEXT, required=True),
        Column("kind", "组织类型", ColumnType.ENUM, required=True, choices=_enum(OrgKind)),
        Column(
            "category",
            "细分类别",
            ColumnType.TEXT,
            suggestions=CATEGORIES,
            note="如民办学校、律师事务所、行业协会商会、互联网平台企业等，可自行填写。",
        ),
        Column(
            "industry",
            "行业门类",
            ColumnType.ENUM,
            choices=tuple(INDUSTRY_SECTIONS),
            note="国民经济行业分类门类字母 A–T。",
        ),
        Column("employees", "从业人员数", ColumnType.INT, required=True, min=0),
        Column(
            "formal_members",
            "正式党员数",
            ColumnType.INT,
            required=True,
            min=0,
            note="不能超过从业人员数。3名以上应单独组建党组织。",
        ),
        Column("probationary_members", "预备党员数", ColumnType.INT, min=0),
        Column(
            "status",
            "经营状态",
            ColumnType.ENUM,
            choices=_enum(OrgStatus),
            default="正常",
            note="僵尸企业、空壳、注销的组织不计入覆盖率分母。空白视为“正常”。",
        ),
        Column("street", "所在街道编码", ColumnType.CODE, required=True, ref="streets"),
        Column(
            "building",
            "所在楼宇编码",
            ColumnType.CODE,
            ref="buildings",
            note="楼宇所在街道必须与组织所在街道一致。",
        ),
        Column("park", "所在园区编码", ColumnType.CODE, ref="parks"),
        Column("segment", "产业链环节编码", ColumnType.CODE, ref="segments"),
        Column(
            "party_org",
            "覆盖党组织编码",
            ColumnType.CODE,
            ref="party_orgs",
            note="覆盖本组织的党组织；空白表示尚未建立党组织。",
        ),
        Column("instructor", "党建指导员编码", ColumnType.CODE, ref="instructors"),
        Column("has_union", "有工会", ColumnType.BOOL, note=_YES_NO_NOTE),
        Column("has_youth_league", "有团组织", ColumnType.BOOL, note=_YES_NO_NOTE),
        Column("has_womens_federation", "有妇联", ColumnType.BOOL, note=_YES_NO_NOTE),
        Column("secretary_is_investor", "书记出资人一肩挑", ColumnType.BOOL, note=_YES_NO_NOTE),
        Column("lon", "经度", ColumnType.DECIMAL, min=-180, max=180),
        Column("lat", "纬度", ColumnType.DECIMAL, min=-90, max=90),
        Column("registered", "登记日期", ColumnType.DATE),
    ),
)

PARTY_ORGS = Sheet(
    key="party_orgs",
    label="党组织",
    required=True,
    id_column="id",
    note="辖区内的党组织，包括产业链党委、园区党工委、街道两新综合党委、机关和村社区党组织（结对用）。",
    columns=(
        Column("id", "党组织编码", ColumnType.CODE, required=True),
        Column("name", "党组织名称", ColumnType.TEXT, required=True),
        Column("level", "组织层级", ColumnType.ENUM, required=True, choices=_enum(PartyLevel)),
        Column("type", "党组织类别", ColumnType.ENUM, required=True, choices=_enum(PartyOrgType)),
        Column("formation", "组建方式", ColumnType.ENUM, choices=_enum(FormationMode)),
        Column("members", "党员数", ColumnType.INT, required=True, min=0),
        Column(
            "parent",
            "上级党组织编码",
            ColumnType.CODE,
            ref="party_orgs",
            note="隶属关系，不能形成循环。",
        ),
        Column("chain", "所属产业链编码", ColumnType.CODE, ref="chains", note="产业链党委填写。"),
        Column(
            "park",
            "所属园区编码",
            ColumnType.CODE,
            ref="parks",
            note="园区党工委、园区企业党委填写。",
        ),
        Column("street", "所属街道编码", ColumnType.CODE, ref="streets"),
        Column("building", "所属楼宇编码", ColumnType.CODE, ref="buildings"),
        Column(
            "has_secretary", "书记是否配备", ColumnType.BOOL, default=True, note="空白视为“是”。"
        ),
        Column("founded", "成立日期", ColumnType.DATE),
        Column(
            "last_election",
            "上次换届日期",
            ColumnType.DATE,
            note="党支部、党总支每届3年，基层党委每届5年。",
        ),
        Column("last_activity", "最近组织生活日期", ColumnType.DATE),
    ),
)

STREETS = Sheet(
    key="streets",
    label="街道",
    required=True,
    id_column="id",
    columns=(
        Column("id", "街道编码", ColumnType.CODE, required=True),
        Column("name", "街道名称", ColumnType.TEXT, required=True),
        Column("district", "所在区县", ColumnType.TEXT, required=True),
        Column("type", "类型", ColumnType.ENUM, choices=_enum(StreetType), default="街道"),
    ),
)

BUILDINGS = Sheet(
    key="buildings",
    label="楼宇",
    id_column="id",
    note="商务楼宇、商圈、专业市场、产业园、孵化平台、特色小镇。",
    columns=(
        Column("id", "楼宇编码", ColumnType.CODE, required=True),
        Column("name", "楼宇名称", ColumnType.TEXT, required=True),
        Column("type", "楼宇类型", ColumnType.ENUM, required=True, choices=_enum(BuildingType)),
        Column("street", "所在街道编码", ColumnType.CODE, required=True, ref="streets"),
        Column("lon", "经度", ColumnType.DECIMAL, min=-180, max=180),
        Column("lat", "纬度", ColumnType.DECIMAL, min=-90, max=90),
        Column("has_service_center", "有党群服务中心", ColumnType.BOOL, note=_YES_NO_NOTE),
    ),
)

PARKS = Sheet(
    key="parks",
    label="园区",
    id_column="id",
    columns=(
        Column("id", "园区编码", ColumnType.CODE, required=True),
        Column("name", "园区名称", ColumnType.TEXT, required=True),
        Column("level", "园区级别", ColumnType.ENUM, required=True, choices=_enum(ParkLevel)),
        Column("district", "所在区县", ColumnType.TEXT),
    ),
)

CHAINS = Sheet(
    key="chains",
    label="产业链",
    id_column="id",
    columns=(
        Column("id", "产业链编码", ColumnType.CODE, required=True),
        Column("name", "产业链名称", ColumnType.TEXT, required=True),
        Column("lead_department", "牵头部门", ColumnType.TEXT),
    ),
)

SEGMENTS = Sheet(
    key="segments",
    label="产业链环节",
    id_column="id",
    columns=(
        Column("id", "环节编码", ColumnType.CODE, required=True),
        Column("chain", "产业链编码", ColumnType.CODE, required=True, ref="chains"),
        Column("name", "环节名称", ColumnType.TEXT, required=True),
        Column("position", "位置", ColumnType.ENUM, required=True, choices=_enum(SegmentPosition)),
        Column("order", "顺序", ColumnType.INT, min=0),
    ),
)

SUPPLY_LINKS = Sheet(
    key="supply_links",
    label="链上关系",
    note="上下游配套关系（可选）。",
    columns=(
        Column("supplier", "供方代码", ColumnType.USCC, required=True, ref="organizations"),
        Column("buyer", "需方代码", ColumnType.USCC, required=True, ref="organizations"),
        Column(
            "relation", "关系类型", ColumnType.ENUM, choices=_enum(SupplyRelation), default="供货"
        ),
    ),
)

COMMITTEE_MEMBERS = Sheet(
    key="committee_members",
    label="产业链党委成员",
    note="三方进入：骨干企业、政府部门、协会联盟。企业或协会填代码，部门填名称。",
    columns=(
        Column(
            "party_org",
            "党组织编码",
            ColumnType.CODE,
            required=True,
            ref="party_orgs",
            note="须为产业链党委。",
        ),
        Column("side", "成员类型", ColumnType.ENUM, required=True, choices=_enum(CommitteeSide)),
        Column(
            "member",
            "成员单位代码",
            ColumnType.USCC,
            ref="organizations",
            note="企业、协会等组织填统一社会信用代码。",
        ),
        Column(
            "member_name",
            "成员单位名称",
            ColumnType.TEXT,
            note="政府部门等没有组织代码的成员单位填名称。",
        ),
    ),
)

PAIRINGS = Sheet(
    key="pairings",
    label="结对共建",
    columns=(
        Column("a", "甲方党组织编码", ColumnType.CODE, required=True, ref="party_orgs"),
        Column("b", "乙方党组织编码", ColumnType.CODE, required=True, ref="party_orgs"),
        Column("type", "共建类型", ColumnType.ENUM, choices=_enum(PairingType), default="其他"),
        Column("since", "开始日期", ColumnType.DATE),
    ),
)

INSTRUCTORS = Sheet(
    key="instructors",
    label="党建指导员",
    id_column="id",
    columns=(
        Column("id", "指导员编码", ColumnType.CODE, required=True),
        Column("type", "类型", ColumnType.ENUM, required=True, choices=_enum(InstructorType)),
        Column("unit", "所属单位", ColumnType.TEXT),
        Column("name", "姓名", ColumnType.TEXT),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    ORGANIZATIONS,
    PARTY_ORGS,
    STREETS,
    BUILDINGS,
    PARKS,
    CHAINS,
    SEGMENTS,
    SUPPLY_LINKS,
    COMMITTEE_MEMBERS,
    PAIRINGS,
    INSTRUCTORS,
)
SHEETS_BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}


# ---------------------------------------------------------------------------------------------
# Graph node and edge kinds


class NodeKind(StrEnum):
    """Node kinds of the graph; the value is the Neo4j label.

    Node keys are namespaced ``"<prefix>:<code>"`` so that a street code can never collide with
    a Party-organization code.
    """

    ORGANIZATION = "Organization"
    PARTY_ORG = "PartyOrganization"
    STREET = "Street"
    DISTRICT = "District"
    BUILDING = "Building"
    PARK = "Park"
    CHAIN = "IndustryChain"
    SEGMENT = "ChainSegment"
    INSTRUCTOR = "Instructor"
    MEMBER_UNIT = "MemberUnit"

    @property
    def prefix(self) -> str:
        return _PREFIX[self]

    @property
    def label_zh(self) -> str:
        return _NODE_ZH[self]


_PREFIX = {
    NodeKind.ORGANIZATION: "org",
    NodeKind.PARTY_ORG: "po",
    NodeKind.STREET: "street",
    NodeKind.DISTRICT: "district",
    NodeKind.BUILDING: "building",
    NodeKind.PARK: "park",
    NodeKind.CHAIN: "chain",
    NodeKind.SEGMENT: "segment",
    NodeKind.INSTRUCTOR: "instructor",
    NodeKind.MEMBER_UNIT: "unit",
}
_NODE_ZH = {
    NodeKind.ORGANIZATION: "两新组织",
    NodeKind.PARTY_ORG: "党组织",
    NodeKind.STREET: "街道/镇",
    NodeKind.DISTRICT: "区县",
    NodeKind.BUILDING: "楼宇",
    NodeKind.PARK: "园区",
    NodeKind.CHAIN: "产业链",
    NodeKind.SEGMENT: "产业链环节",
    NodeKind.INSTRUCTOR: "党建指导员",
    NodeKind.MEMBER_UNIT: "成员单位（部门）",
}


def node_id(kind: NodeKind, code: str) -> str:
    """The graph key of a node: ``node_id(NodeKind.STREET, "430102001") == "street:430102001"``."""
    return f"{kind.prefix}:{code}"


class EdgeKind(StrEnum):
    """Edge kinds of the graph; the value is the Neo4j relationship type."""

    LOCATED_IN = "LOCATED_IN"  # Organization / PartyOrganization → Building
    IN_STREET = "IN_STREET"  # Organization / Building / PartyOrganization → Street
    IN_DISTRICT = "IN_DISTRICT"  # Street / Park → District
    IN_PARK = "IN_PARK"  # Organization / PartyOrganization → Park
    COVERS = "COVERS"  # PartyOrganization → Organization
    SUBORDINATE_TO = "SUBORDINATE_TO"  # PartyOrganization → PartyOrganization (隶属)
    FUNCTIONAL_MEMBER_OF = "FUNCTIONAL_MEMBER_OF"  # PartyOrganization → chain committee (功能型)
    SITS_ON = "SITS_ON"  # Organization / MemberUnit → chain committee (三方进入, with side)
    IN_SEGMENT = "IN_SEGMENT"  # Organization → ChainSegment
    PART_OF = "PART_OF"  # ChainSegment → IndustryChain
    SUPPLIES = "SUPPLIES"  # Organization → Organization (上下游配套)
    LEADS_CHAIN = "LEADS_CHAIN"  # PartyOrganization → IndustryChain (产业链党委)
    PAIRED_WITH = "PAIRED_WITH"  # PartyOrganization → PartyOrganization (结对共建)
    GUIDES = "GUIDES"  # Instructor → Organization

    @property
    def label_zh(self) -> str:
        return _EDGE_ZH[self]


_EDGE_ZH = {
    EdgeKind.LOCATED_IN: "位于楼宇",
    EdgeKind.IN_STREET: "属于街道",
    EdgeKind.IN_DISTRICT: "属于区县",
    EdgeKind.IN_PARK: "位于园区",
    EdgeKind.COVERS: "覆盖",
    EdgeKind.SUBORDINATE_TO: "隶属",
    EdgeKind.FUNCTIONAL_MEMBER_OF: "功能型隶属",
    EdgeKind.SITS_ON: "三方进入",
    EdgeKind.IN_SEGMENT: "处于环节",
    EdgeKind.PART_OF: "属于产业链",
    EdgeKind.SUPPLIES: "上下游配套",
    EdgeKind.LEADS_CHAIN: "领导产业链",
    EdgeKind.PAIRED_WITH: "结对共建",
    EdgeKind.GUIDES: "指导",
}
