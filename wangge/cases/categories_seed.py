"""The case categories as data, to seed the case engine's category tree.

Every category names its default handling department kind (`accounts.DepartmentKind`
values), its time limit per step (`deadlines.CategoryLimits`), whether a result must be
verified on site, whether the case may be shown publicly, and the extra fields it asks for.
Names are the standards' own words; `source` cites the section of
`shared/design/domain-facts.md` they come from and `certainty` carries that section's tag
([V] checked law text, [S] secondary page, [C] seen in a real system's code, [R] recall or
our own choice, to be checked before it is relied on).

Codes: one letter for the kind, then two digits per level, so a parent's code is a prefix of
its children's and the codes sort in tree order.

- `E` events (事件) and `C` components (部件): `E01` 市容环境, `E0101` 私搭乱建; `C01`
  公用设施, `C0101` 上水井盖. The two digits after the letter are the 大类 and the next two
  the 小类 of GB/T 30428.2 / CJ/T 214 as recalled in §2.2 — **that layout is [R]**: the
  standard's text was not found, so the 大类 numbers follow §2.2 and the 小类 numbers are our
  numbering in the order the facts list them; `99` is 其他. A third level (`E040101`) holds
  the finer Tianque subtypes under a standard subclass. Extension classes take the next free
  大类 (`C07` 扩展部件类).
- `D` disputes: the GB/T 31000 矛盾纠纷 事件类型 codes as they are (`D01` 婚恋家庭, `D0101`
  恋爱及婚姻, `D99` 其他) [C]. `MOJ_CATEGORY_OF` maps each to one of the 15 categories of
  the Ministry of Justice's mediation statistics.
- `H` safety hazards: the GB/T 31000 隐患类型 codes (`H01` 火灾 … `H05` 疾病传染, `H99`
  其他) [C]; `H06` 劳资纠纷 from the standard's enterprise hazard list [C] with our code;
  `H07`, `H08` and the subclasses of `H01` and `H08` are ours [R].
- `S` social-situation information: the Tianque grid event domains (社情民意收集, 不稳定因素
  报告, 治安防范, 特殊人群, 突发事件报告) [C], the Sichuan stability ledger's 20 claim
  classes under 不稳定因素报告 [C], the four kinds of emergency of 突发事件应对法 [V];
  numbered by us [R].
- `R` public-service requests: the Tianque call-centre domains `R01`–`R17` and `R99` in the
  order listed, `R20` 公共事业 for the 24-hour utilities rule; the subtype is the last two
  digits (`R1502` 城乡建设 / 投诉). Numbering ours [R].

Time limits (`deadlines` types; yellow supervision at the limit, red at twice it):

- Events, components, hazards and situation reports: the Tianque defaults, accept 1 and
  handle 5 working days from dispatch, so yellow at 1/5 and red at 2/10 (§3.3 [C], §3.1 [S]).
- Emergencies (突发事件, 突发事件报告): accept in 2 working hours, handle in 1 working day
  [R: the 2 h comes from Beijing's 12345 emergency rule, §3.4 [S]].
- Disputes: accept in 1 working day from dispatch (§3.3 [C]); mediate within one month of
  acceptance, counted as 30 calendar days (人民调解工作若干规定 art. 33, §6.3 [S]).
- Requests: registered within 2 h, answered within 7 days, 24 h for water, power, gas and
  heat, 15 days for complex matters (Beijing draft rules, §3.4 [S]). Whether "days" are
  calendar or working days is not stated: we read calendar days [R]. `deadlines` has no
  round-the-clock hours, so "2 h" is 2 working hours and "24 h" one working day [R].

Departments, `public` and the extra fields are our defaults [R]: the facts name no handling
departments per category; each district assigns real departments to categories
(`Department.category_codes`), which overrides these kinds.
"""

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from wangge.cases.deadlines import (
    DEFAULT_LIMITS,
    CategoryLimits,
    LimitUnit,
    StepLimit,
    calendar_days,
    working_days,
    working_hours,
)
from wangge.cases.workflow import Action


class CategoryKind(StrEnum):
    EVENT = "event"
    COMPONENT = "component"
    DISPUTE = "dispute"
    HAZARD = "hazard"
    SITUATION = "situation"
    REQUEST = "request"
    PETITION = "petition"


class Certainty(StrEnum):
    VERIFIED = "V"
    SECONDARY = "S"
    CODE = "C"
    RECALLED = "R"


CODE_LETTER: Mapping[CategoryKind, str] = MappingProxyType(
    {
        CategoryKind.EVENT: "E",
        CategoryKind.COMPONENT: "C",
        CategoryKind.DISPUTE: "D",
        CategoryKind.HAZARD: "H",
        CategoryKind.SITUATION: "S",
        CategoryKind.REQUEST: "R",
        CategoryKind.PETITION: "P",
    }
)

# `accounts.models.DepartmentKind` values, as strings so this module imports without Django
# set up (migrations and tests check them against the model).
POLICE = "police"
JUSTICE = "justice"
CIVIL_AFFAIRS = "civil_affairs"
EMERGENCY = "emergency"
URBAN_MANAGEMENT = "urban_management"
HEALTH = "health"
EDUCATION = "education"
HUMAN_RESOURCES = "human_resources"
HOUSING = "housing"
PETITIONS = "petitions"
OTHER = "other"
DEPARTMENT_KINDS = frozenset(
    {
        POLICE,
        JUSTICE,
        CIVIL_AFFAIRS,
        EMERGENCY,
        URBAN_MANAGEMENT,
        HEALTH,
        EDUCATION,
        HUMAN_RESOURCES,
        HOUSING,
        PETITIONS,
        OTHER,
    }
)

FIELD_TYPES = frozenset({"text", "integer", "money_fen", "boolean", "choice", "person"})


class ExtraField(NamedTuple):
    """A field a category asks for beyond the case's own; `choices` only for "choice"."""

    name: str
    label: str
    type: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CategorySeed:
    code: str
    name: str
    parent_code: str | None
    kind: CategoryKind
    department_kind: str
    limits: CategoryLimits | None
    on_site_verification: bool
    public: bool
    extra_fields: tuple[ExtraField, ...]
    source: str
    certainty: Certainty


# --- time limits -------------------------------------------------------------------------


def _limits(**steps: StepLimit) -> CategoryLimits:
    return CategoryLimits(MappingProxyType(steps))


TIANQUE_LIMITS = DEFAULT_LIMITS
URGENT_LIMITS = _limits(
    accept=StepLimit(working_hours(2), starts_at=Action.DISPATCH),
    handle=StepLimit(working_days(1), starts_at=Action.DISPATCH),
)
MEDIATION_LIMITS = _limits(
    accept=StepLimit(working_days(1), starts_at=Action.DISPATCH),
    handle=StepLimit(calendar_days(30), starts_at=Action.ACCEPT),
)


# 信访工作条例 (2022), domain-facts §6.4 [V]: registered and routed within 15 days (art. 22);
# the receiving body says within 15 days whether it accepts (art. 23) and may object within 5
# working days when the matter is not its own (the send-back window); handled within 60 days
# of acceptance, once extendable by at most 30 (art. 34). A review (复查, art. 35) or re-review
# (复核, art. 36) is answered within 30 days of its request.
PETITION_LIMITS = _limits(
    dispatch=StepLimit(calendar_days(15), starts_at=Action.REPORT),
    accept=StepLimit(calendar_days(15), starts_at=Action.DISPATCH),
    send_back=StepLimit(working_days(5), starts_at=Action.DISPATCH),
    handle=StepLimit(calendar_days(60), starts_at=Action.ACCEPT),
)
PETITION_REVIEW_LIMITS = _limits(
    dispatch=StepLimit(calendar_days(5), starts_at=Action.REPORT),
    send_back=StepLimit(working_days(5), starts_at=Action.DISPATCH),
    handle=StepLimit(calendar_days(30), starts_at=Action.REPORT),
)


def _hotline_limits(answer: StepLimit) -> CategoryLimits:
    return _limits(
        register=StepLimit(working_hours(2), starts_at=Action.REPORT),
        accept=StepLimit(working_days(1), starts_at=Action.DISPATCH),
        handle=answer,
    )


HOTLINE_GENERAL_LIMITS = _hotline_limits(StepLimit(calendar_days(7), starts_at=Action.REGISTER))
HOTLINE_UTILITIES_LIMITS = _hotline_limits(StepLimit(working_days(1), starts_at=Action.REGISTER))
# Emergencies and complex matters are flags on a case, not categories: the engine applies
# these when a case is marked urgent or complex.
HOTLINE_EMERGENCY_LIMITS = _hotline_limits(StepLimit(working_hours(2), starts_at=Action.REGISTER))
HOTLINE_COMPLEX_LIMITS = _hotline_limits(StepLimit(calendar_days(15), starts_at=Action.REGISTER))


# --- extra fields ------------------------------------------------------------------------

COMPONENT_FIELDS = (
    ExtraField("component_code", "部件编号", "text"),
    ExtraField("owner_unit", "权属单位", "text"),
    ExtraField("maintenance_unit", "养护单位", "text"),
)
CONSTRUCTION_FIELDS = (ExtraField("construction_unit", "施工单位", "text"),)
VEHICLE_FIELDS = (ExtraField("plate_number", "车牌号", "text"),)
SCALE = ExtraField(
    "scale", "事件规模", "choice", ("个体性事件", "一般群体性事件", "重大群体性事件")
)
DISPUTE_FIELDS = (
    ExtraField("people_involved", "涉及人数", "integer"),
    ExtraField("amount_involved", "涉及金额", "money_fen"),
    SCALE,
    ExtraField(
        "mediation_entry", "调解方式", "choice", ("主动调解", "申请调解", "接受委托移送调解")
    ),
)
HAZARD_FIELDS = (ExtraField("attention_level", "关注程度", "choice", ("高", "中", "低")),)
UNREST_FIELDS = (ExtraField("people_involved", "涉及人数", "integer"), SCALE)
PERSON_FIELDS = (ExtraField("person", "相关人员", "person"),)
EMERGENCY_FIELDS = (
    ExtraField("grade", "事件分级", "choice", ("特别重大", "重大", "较大", "一般")),
    ExtraField("casualties", "伤亡人数", "integer"),
)
TICKET_FIELDS = (ExtraField("ticket_number", "服务单号", "text"),)
ACCUSATION_FIELDS = (
    *TICKET_FIELDS,
    ExtraField("keep_identity_secret", "要求为举报人保密", "boolean"),
)


# --- builders ----------------------------------------------------------------------------

Sub = tuple[str, str, Mapping[str, Any]]


def sub(suffix: str, name: str, **overrides: Any) -> Sub:
    """A subclass row: its code suffix, its name, and what it changes of its class."""
    return (suffix, name, overrides)


def _top(template: CategorySeed, code: str, name: str, **changes: Any) -> CategorySeed:
    return replace(template, code=code, name=name, **changes)


def _children(parent: CategorySeed, rows: Iterable[Sub]) -> tuple[CategorySeed, ...]:
    """Subclasses of `parent`, each inheriting what it does not override."""
    return tuple(
        replace(parent, code=parent.code + suffix, name=name, parent_code=parent.code, **changes)
        for suffix, name, changes in rows
    )


def _branch(parent: CategorySeed, rows: Iterable[Sub]) -> tuple[CategorySeed, ...]:
    return (parent, *_children(parent, rows))


# --- events (事件), §2.1 and §2.2 ----------------------------------------------------------

EVENT = CategorySeed(
    code="",
    name="",
    parent_code=None,
    kind=CategoryKind.EVENT,
    department_kind=URBAN_MANAGEMENT,
    limits=TIANQUE_LIMITS,
    on_site_verification=True,
    public=True,
    extra_fields=(),
    source="domain-facts §2.1 [S] svan.cc; code layout §2.2 [R]",
    certainty=Certainty.SECONDARY,
)
TIANQUE_EVENT: Mapping[str, Any] = {
    "source": "domain-facts §2.1 [C] Tianque IssueTypeDomains; code layout §2.2 [R]",
    "certainty": Certainty.CODE,
}

# 管道破裂 [S] holds Tianque's finer subtypes as a third level.
PIPES = _top(
    EVENT, "E0401", "管道破裂", parent_code="E04", department_kind=HOUSING, limits=URGENT_LIMITS
)

EVENTS = (
    *_branch(
        _top(EVENT, "E01", "市容环境"),
        (
            sub("01", "私搭乱建"),
            sub("02", "暴露垃圾"),
            sub("03", "积存渣土"),  # Tianque: 积存垃圾渣土
            sub("04", "道路不洁"),
            sub("05", "水域不洁"),
            sub("06", "绿地脏乱"),
            sub("99", "其他", **TIANQUE_EVENT),
        ),
    ),
    *_branch(
        _top(EVENT, "E02", "宣传广告"),
        (
            sub("01", "非法小广告"),
            sub("02", "街头散发广告"),
            sub("03", "违规户外广告"),
            sub("04", "违章张贴悬挂广告牌匾", **TIANQUE_EVENT),
            sub("05", "占道广告牌", **TIANQUE_EVENT),
            sub("99", "其他", **TIANQUE_EVENT),
        ),
    ),
    *_branch(
        _top(EVENT, "E03", "施工管理", department_kind=HOUSING, extra_fields=CONSTRUCTION_FIELDS),
        (
            sub("01", "施工扰民"),
            sub("02", "施工占道", department_kind=URBAN_MANAGEMENT),
            sub("03", "工地扬尘"),
            sub("04", "施工废弃料"),
            sub("05", "道路遗撒", department_kind=URBAN_MANAGEMENT, **TIANQUE_EVENT),
            sub("99", "其他", **TIANQUE_EVENT),
        ),
    ),
    *_branch(
        _top(EVENT, "E04", "突发事件", department_kind=HOUSING, limits=URGENT_LIMITS),
        (
            sub("02", "路面塌陷"),
            sub("03", "道路积水", department_kind=URBAN_MANAGEMENT),
            sub("04", "火灾", department_kind=EMERGENCY),
            sub("05", "伤亡事故", department_kind=EMERGENCY, public=False),
            sub("06", "下水道堵塞或破损", **TIANQUE_EVENT),
            sub("99", "其他", **TIANQUE_EVENT),
        ),
    ),
    *_branch(
        PIPES,
        (sub("01", "自来水管破裂", **TIANQUE_EVENT), sub("02", "燃气管道破裂", **TIANQUE_EVENT)),
    ),
    *_branch(
        _top(EVENT, "E05", "街面秩序"),
        (
            sub("01", "无照经营"),  # Tianque: 无照经营游商
            sub("02", "早(夜)市"),
            sub("03", "流浪乞讨", department_kind=CIVIL_AFFAIRS, public=False),
            sub("04", "占道经营"),
            sub("05", "黑车拉客", department_kind=POLICE, extra_fields=VEHICLE_FIELDS),
            sub("06", "占道废品收购", **TIANQUE_EVENT),
            sub("07", "店外经营", **TIANQUE_EVENT),
            sub(
                "08",
                "机动车乱停放",
                department_kind=POLICE,
                extra_fields=VEHICLE_FIELDS,
                **TIANQUE_EVENT,
            ),
            sub("99", "其他", **TIANQUE_EVENT),
        ),
    ),
    _top(EVENT, "E06", "其他事件"),
)


# --- components (部件), §2.1 and §2.2 ------------------------------------------------------

COMPONENT = replace(
    EVENT,
    kind=CategoryKind.COMPONENT,
    department_kind=HOUSING,
    extra_fields=COMPONENT_FIELDS,
    source="domain-facts §2.1 [S] CJ/T 292 text, svan.cc; code layout §2.2 [R]",
)
TIANQUE_COMPONENT: Mapping[str, Any] = {
    "source": "domain-facts §2.1 [C] Tianque 部件名称; class assignment and code ours [R]",
    "certainty": Certainty.CODE,
}


def _numbered(
    names: str, special: Mapping[str, Mapping[str, Any]] = MappingProxyType({}), **common: Any
) -> tuple[Sub, ...]:
    """Subclasses numbered 01, 02, … in the order the facts list them (space-separated)."""
    return tuple(
        sub(f"{number:02d}", name, **{**common, **special.get(name, {})})
        for number, name in enumerate(names.split(), start=1)
    )


def _components(
    names: str, special: Mapping[str, Mapping[str, Any]] = MappingProxyType({})
) -> tuple[Sub, ...]:
    return _numbered(names, special, **TIANQUE_COMPONENT)


COMPONENTS = (
    *_branch(
        _top(COMPONENT, "C01", "公用设施类"),
        _components(
            "上水井盖 污水井盖 雨水井盖 电力井盖 路灯井盖 通讯井盖 电视井盖 网络井盖 热力井盖 "
            "燃气井盖 公安井盖 中水井盖 公交井盖 园林井盖 无主井盖 特殊井盖 雨水箅子 "
            "消防设施 通讯交接箱 电力设施 立杆 路灯 地灯 景观灯 报刊亭 电话亭 邮筒 信息亭 "
            "自动售货机 健身设施 变压器（箱） 燃气调压站（箱） 监控电子眼 治安岗亭",
            {
                "消防设施": {"department_kind": EMERGENCY},
                "监控电子眼": {"department_kind": POLICE},
                "治安岗亭": {"department_kind": POLICE},
            },
        ),
    ),
    *_branch(
        _top(COMPONENT, "C02", "道路交通类"),
        _components(
            "停车场 停车咪表 公交站亭 出租车站牌 过街天桥 地下通道 高架立交桥 跨河桥 "
            "交通标志牌 交通信号灯 交通护栏 存车支架 路名牌",
            {
                "交通标志牌": {"department_kind": POLICE},
                "交通信号灯": {"department_kind": POLICE},
            },
        ),
    ),
    *_branch(
        _top(COMPONENT, "C03", "市容环境类", department_kind=URBAN_MANAGEMENT),
        _components("公共厕所 化粪池 垃圾间（楼） 垃圾箱 果皮箱 广告牌匾 灯箱霓虹灯"),
    ),
    *_branch(
        _top(COMPONENT, "C04", "园林绿化类", department_kind=URBAN_MANAGEMENT),
        _components("古树名木 行道树 护树设施 花架花钵 绿地 雕塑 街头坐椅 喷泉"),
    ),
    *_branch(
        _top(COMPONENT, "C05", "房屋土地类"),
        _components("人防工事 公房地下室"),
    ),
    *_branch(
        _top(COMPONENT, "C06", "其他设施类", department_kind=OTHER),
        _components(
            "重大危险源 工地 水域附属设施 防汛墙",
            {
                "重大危险源": {"department_kind": EMERGENCY, "public": False},
                "工地": {"department_kind": HOUSING},
                "防汛墙": {"department_kind": EMERGENCY},
            },
        ),
    ),
    _top(
        COMPONENT,
        "C07",
        "扩展部件类",
        department_kind=OTHER,
        source="domain-facts §2.1 [C] Tianque 部件类型 扩展部件类; code: next free 大类 [R]",
        certainty=Certainty.CODE,
    ),
)


# --- disputes (矛盾纠纷), §6.1 -------------------------------------------------------------

# The 15 categories of the Ministry of Justice's people's-mediation statistics, §6.1(a) [S].
MOJ_CATEGORIES = (
    "婚姻家庭",
    "邻里",
    "房屋宅基地",
    "合同",
    "生产经营",
    "损害赔偿",
    "山林土地",
    "征地拆迁",
    "环境污染",
    "劳动争议",
    "消费",
    "医疗",
    "道路交通事故",
    "物业",
    "其它",
)

DISPUTE = replace(
    EVENT,
    kind=CategoryKind.DISPUTE,
    department_kind=JUSTICE,
    limits=MEDIATION_LIMITS,
    on_site_verification=False,
    public=False,
    extra_fields=DISPUTE_FIELDS,
    source="domain-facts §6.1(b) [C] GB/T 31000 EventType; limits §6.3 [S]",
    certainty=Certainty.CODE,
)

# GB/T 31000 class → (its subclasses as "code name …", and the MoJ category of each subclass
# in the same order). The MoJ mapping is ours [R]: no source maps one onto the other.
DISPUTE_TABLE: tuple[tuple[str, str, Mapping[str, Any], tuple[tuple[str, str, str], ...]], ...] = (
    (
        "01",
        "婚恋家庭",
        {},
        (
            ("01", "恋爱及婚姻", "婚姻家庭"),
            ("02", "抚养赡养监护", "婚姻家庭"),
            ("03", "分家与继承", "婚姻家庭"),
            ("99", "其他", "婚姻家庭"),
        ),
    ),
    (
        "02",
        "邻里",
        {},
        (
            ("01", "用水排水通行通风采光", "邻里"),
            ("02", "相邻土地建筑利用", "邻里"),
            ("03", "相邻污染损害防止", "邻里"),
            ("99", "其他", "邻里"),
        ),
    ),
    (
        "03",
        "人格权",
        {},
        (
            ("01", "姓名肖像", "其它"),
            ("02", "名誉隐私", "其它"),
            ("03", "身体健康及人身自由", "损害赔偿"),
            ("99", "其他", "其它"),
        ),
    ),
    (
        "04",
        "物权相关",
        {},
        (
            ("01", "财物返还及损害赔偿", "损害赔偿"),
            ("02", "物业及其管理", "物业"),
            ("03", "房屋等不动产登记", "房屋宅基地"),
            ("99", "其他", "其它"),
        ),
    ),
    (
        "05",
        "侵权相关",
        {},
        (
            ("01", "教育机构", "损害赔偿"),
            ("02", "医疗损害", "医疗"),
            ("03", "交通事故", "道路交通事故"),
            ("04", "环境污染", "环境污染"),
            ("05", "产品责任", "消费"),
            ("06", "网络侵权", "损害赔偿"),
            ("07", "劳务损害", "损害赔偿"),
            ("99", "其他", "损害赔偿"),
        ),
    ),
    (
        "06",
        "合同及相关",
        {},
        (
            ("01", "消费及服务", "消费"),
            ("02", "房产买卖租赁", "合同"),
            ("03", "交易贸易", "合同"),
            ("04", "运输仓储", "合同"),
            ("99", "其他", "合同"),
        ),
    ),
    (
        "07",
        "劳动人事争议",
        {"department_kind": HUMAN_RESOURCES},
        (
            ("01", "劳动合同/劳务派遣", "劳动争议"),
            ("02", "社会保险", "劳动争议"),
            ("03", "福利待遇", "劳动争议"),
            ("04", "人事争议", "劳动争议"),
            ("99", "其他", "劳动争议"),
        ),
    ),
    (
        "08",
        "金融借贷",
        {},
        (
            ("01", "证券基金期货", "合同"),
            ("02", "投资信托理财", "合同"),
            ("03", "保险", "合同"),
            ("04", "借贷及担保", "合同"),
            ("99", "其他", "合同"),
        ),
    ),
    (
        "09",
        "土地及资源权属",
        {},
        (
            ("01", "土地承包经营", "山林土地"),
            ("02", "宅基地使用", "房屋宅基地"),
            ("03", "山林矿产", "山林土地"),
            ("04", "水域水利", "其它"),
            ("99", "其他", "山林土地"),
        ),
    ),
    (
        "10",
        "其他民商事",
        {},
        (
            ("01", "知识产权", "生产经营"),
            ("02", "公司企业设立解散", "生产经营"),
            ("03", "海事海商", "生产经营"),
            ("04", "竞争", "生产经营"),
            ("05", "票据与信用证", "合同"),
            ("06", "无因管理与不当得利", "其它"),
            ("99", "其他", "其它"),
        ),
    ),
    (
        "11",
        "城乡建设发展",
        {"department_kind": HOUSING},
        (
            ("01", "国有土地上房屋征收", "征地拆迁"),
            ("02", "农村集体土地征用", "征地拆迁"),
            ("03", "城乡规划及拆违", "征地拆迁"),
            ("04", "基础设施建设及市政市容", "其它"),
            ("05", "移民安置", "征地拆迁"),
            ("99", "其他", "其它"),
        ),
    ),
    (
        "12",
        "涉民政",
        {"department_kind": CIVIL_AFFAIRS},
        (
            ("01", "村(社区)选举和管理", "其它"),
            ("02", "优抚救助", "其它"),
            ("03", "区划边界", "其它"),
            ("99", "其他", "其它"),
        ),
    ),
    (
        "13",
        "其他行政执法",
        {"department_kind": OTHER},
        (
            ("01", "城市管理", "其它"),
            ("02", "教育文体", "其它"),
            ("03", "工商税务", "生产经营"),
            ("04", "安全生产", "生产经营"),
            ("05", "交通运输", "其它"),
            ("06", "海事渔事", "其它"),
            ("07", "计划生育", "其它"),
            ("99", "其他", "其它"),
        ),
    ),
    (
        "14",
        "涉法涉诉",
        {"department_kind": PETITIONS},
        (
            ("01", "涉公安", "其它"),
            ("02", "涉检察院", "其它"),
            ("03", "涉法院", "其它"),
            ("04", "涉司法行政机关", "其它"),
        ),
    ),
    (
        "15",
        "涉组织涉纪检",
        {"department_kind": PETITIONS},
        (
            ("01", "组织人事", "其它"),
            ("02", "干部作风", "其它"),
            ("99", "其他", "其它"),
        ),
    ),
    (
        "16",
        "涉民族宗教",
        {"department_kind": OTHER},
        (
            ("01", "涉民族问题", "其它"),
            ("02", "涉宗教问题", "其它"),
        ),
    ),
    ("99", "其他", {}, ()),
)

DISPUTES = tuple(
    seed
    for class_code, class_name, changes, rows in DISPUTE_TABLE
    for seed in _branch(
        _top(DISPUTE, "D" + class_code, class_name, **changes),
        (sub(suffix, name) for suffix, name, _ in rows),
    )
)

# Each dispute category's MoJ statistics category (a class maps like its 其他 subclass, or
# to 其它 when it has none).
MOJ_CATEGORY_OF: Mapping[str, str] = MappingProxyType(
    {
        **{
            "D" + class_code: (rows[-1][2] if rows else "其它")
            for class_code, _, _, rows in DISPUTE_TABLE
        },
        **{
            "D" + class_code + suffix: moj
            for class_code, _, _, rows in DISPUTE_TABLE
            for suffix, _, moj in rows
        },
    }
)


# --- safety hazards (安全隐患), §4.4 --------------------------------------------------------

HAZARD = replace(
    EVENT,
    kind=CategoryKind.HAZARD,
    department_kind=EMERGENCY,
    limits=TIANQUE_LIMITS,
    public=False,
    extra_fields=HAZARD_FIELDS,
    source="domain-facts §4.4 [C] GB/T 31000 隐患类型; limits §3.3 [C]",
    certainty=Certainty.CODE,
)
OURS: Mapping[str, Any] = {
    "source": "ours: no list found in domain-facts [R]",
    "certainty": Certainty.RECALLED,
}

HAZARDS = (
    *_branch(
        _top(HAZARD, "H01", "火灾"),
        (
            sub("01", "消防通道占用堵塞", **OURS),
            sub("02", "电动自行车违规停放充电", **OURS),
            sub("03", "电气线路私拉乱接", **OURS),
            sub("99", "其他", **OURS),
        ),
    ),
    _top(HAZARD, "H02", "治安", department_kind=POLICE),
    _top(HAZARD, "H03", "矛盾纠纷", department_kind=JUSTICE),
    _top(HAZARD, "H04", "危化物品"),
    _top(HAZARD, "H05", "疾病传染", department_kind=HEALTH),
    _top(
        HAZARD,
        "H06",
        "劳资纠纷",
        department_kind=HUMAN_RESOURCES,
        source="domain-facts §4.4 [C] GB/T 31000 安全隐患类型（企业） 04; code ours [R]",
    ),
    _top(
        HAZARD,
        "H07",
        "安全生产",
        source="ours [R]; cf. 五无 无安全事故 §8.1 [C], dispute 1304 安全生产 §6.1 [C]",
        certainty=Certainty.RECALLED,
    ),
    *_branch(
        _top(
            HAZARD,
            "H08",
            "自然灾害",
            source="ours [R]; 自然灾害 is a kind of emergency in 突发事件应对法, §8 [V]",
            certainty=Certainty.RECALLED,
        ),
        (sub("01", "地质灾害"), sub("02", "洪涝")),
    ),
    _top(HAZARD, "H99", "其他"),
)


# --- social-situation information (社情民意), §6.1(c) and §8 --------------------------------

SITUATION = replace(
    EVENT,
    kind=CategoryKind.SITUATION,
    department_kind=OTHER,
    limits=TIANQUE_LIMITS,
    on_site_verification=False,
    public=False,
    extra_fields=(),
    source="domain-facts §6.1(c) [C] Tianque grid event domains; code ours [R]",
    certainty=Certainty.CODE,
)

EMERGENCY_KINDS = "domain-facts §8 [V] 突发事件应对法 art. 3; code ours [R]"
STABILITY_LEDGER = "domain-facts §6.1(c) [C] Sichuan 稳定台账 诉求类别; code ours [R]"

SITUATIONS = (
    _top(SITUATION, "S01", "社情民意收集"),
    *_branch(
        _top(
            SITUATION,
            "S02",
            "不稳定因素报告",
            department_kind=PETITIONS,
            extra_fields=UNREST_FIELDS,
        ),
        (
            *_numbered(
                "党纪政纪 组织人事 涉法涉诉 土地林权 征地拆迁 水利电力 环保 扶贫济困 "
                "惠农政策及村务财务 人口与医疗卫生 劳动保障 交通运输 城建 安全生产 旅游 "
                "教育 企业改制 移民 涉军",
                source=STABILITY_LEDGER,
            ),
            sub("99", "其他", source=STABILITY_LEDGER),
        ),
    ),
    *_branch(
        _top(SITUATION, "S03", "治安防范", department_kind=POLICE),
        _numbered("物防设施 技防设施 刑事治安案件发生情况 治安隐患或线索 守楼护院 防毒控毒"),
    ),
    *_branch(
        _top(
            SITUATION,
            "S04",
            "特殊人群服务管理报告",
            department_kind=JUSTICE,
            extra_fields=PERSON_FIELDS,
        ),
        (
            sub("01", "严重精神障碍患者是否落实", department_kind=HEALTH),
            sub("02", "社区帮教落实"),
            sub("03", "刑释"),
            sub("04", "吸毒人员", department_kind=POLICE),
            sub("05", "重点青少年", department_kind=OTHER),
        ),
    ),
    *_branch(
        _top(
            SITUATION,
            "S05",
            "突发事件报告",
            department_kind=EMERGENCY,
            limits=URGENT_LIMITS,
            extra_fields=EMERGENCY_FIELDS,
        ),
        _numbered(
            "自然灾害 事故灾难 公共卫生事件 社会安全事件",
            {
                "公共卫生事件": {"department_kind": HEALTH},
                "社会安全事件": {"department_kind": POLICE},
            },
            source=EMERGENCY_KINDS,
            certainty=Certainty.VERIFIED,
        ),
    ),
)


# --- public-service requests (12345), §3.4 ---------------------------------------------------

REQUEST = replace(
    EVENT,
    kind=CategoryKind.REQUEST,
    department_kind=OTHER,
    limits=HOTLINE_GENERAL_LIMITS,
    on_site_verification=False,  # the return visit (回访) to the caller verifies, §3.4
    public=True,
    extra_fields=TICKET_FIELDS,
    source="domain-facts §3.4 [C] Tianque call-centre taxonomy; limits §3.4 [S]; code ours [R]",
    certainty=Certainty.CODE,
)

# (code, domain, department kind, may be public). Not public: matters about officials, the
# law or people's welfare, health and wages, which name people [R].
REQUEST_DOMAINS = (
    ("01", "政治综合", OTHER, False),
    ("02", "经济综合", OTHER, True),
    ("03", "宣传舆论", OTHER, True),
    ("04", "纪检监察", OTHER, False),
    ("05", "政法", POLICE, False),
    ("06", "劳动社保", HUMAN_RESOURCES, False),
    ("07", "教育", EDUCATION, True),
    ("08", "卫生计生", HEALTH, False),
    ("09", "科技文体", OTHER, True),
    ("10", "组织人事", OTHER, False),
    ("11", "交通能源环保", OTHER, True),
    ("12", "民政", CIVIL_AFFAIRS, False),
    ("13", "农村农业", OTHER, True),
    ("14", "国土资源水利农业", OTHER, True),
    ("15", "城乡建设", HOUSING, True),
    ("16", "信息产业", OTHER, True),
    ("17", "商贸旅游", OTHER, True),
    ("99", "其他", OTHER, True),
)

# Tianque's subtypes [C] and the county's 求决 [S]; a 举报 (揭发控告) is never public.
REQUEST_SUBTYPES = (
    sub(
        "01",
        "举报",
        public=False,
        extra_fields=ACCUSATION_FIELDS,
        source=(
            "domain-facts §3.4 [C] Tianque 举报, the county's 揭发控告 [S]; limits §3.4 [S]; "
            "code ours [R]"
        ),
    ),
    sub("02", "投诉"),
    sub("03", "建议"),
    sub("04", "咨询"),
    sub(
        "05",
        "求决",
        source="domain-facts §3.4 [S] county 工单 types; limits §3.4 [S]; code ours [R]",
        certainty=Certainty.SECONDARY,
    ),
    sub("06", "感谢"),
    sub("99", "其他"),
)


def _request_subtypes(public: bool) -> tuple[Sub, ...]:
    """The subtypes, none public in a domain that is not."""
    if public:
        return REQUEST_SUBTYPES
    return tuple(
        (suffix, name, {**changes, "public": False}) for suffix, name, changes in REQUEST_SUBTYPES
    )


REQUESTS = (
    *(
        seed
        for code, name, department_kind, public in REQUEST_DOMAINS
        for seed in _branch(
            _top(REQUEST, "R" + code, name, department_kind=department_kind, public=public),
            _request_subtypes(public),
        )
    ),
    *_branch(
        _top(
            REQUEST,
            "R20",
            "公共事业（水电气热）",
            department_kind=HOUSING,
            limits=HOTLINE_UTILITIES_LIMITS,
            source=(
                "domain-facts §6.1(c) [C] Tianque 民生服务 公共事业; 24 h §3.4 [S]; code ours [R]"
            ),
        ),
        REQUEST_SUBTYPES,
    ),
)


# --- petitions (信访), §6.4 ------------------------------------------------------------------

PETITION = replace(
    EVENT,
    kind=CategoryKind.PETITION,
    department_kind=PETITIONS,
    limits=PETITION_LIMITS,
    on_site_verification=False,
    public=False,
    extra_fields=(),
    source="domain-facts §6.4 [V] 信访工作条例 (2022) arts. 22, 23, 29–31, 34; code ours [R]",
    certainty=Certainty.VERIFIED,
)

PETITIONS_SEED = (
    *_branch(
        _top(PETITION, "P01", "信访事项"),
        (sub("01", "建议意见类"), sub("02", "检举控告类"), sub("03", "申诉求决类")),
    ),
    _top(
        PETITION,
        "P02",
        "复查",
        limits=PETITION_REVIEW_LIMITS,
        source="domain-facts §6.4 [V] 信访工作条例 (2022) art. 35; code ours [R]",
    ),
    _top(
        PETITION,
        "P03",
        "复核",
        limits=PETITION_REVIEW_LIMITS,
        source="domain-facts §6.4 [V] 信访工作条例 (2022) art. 36; code ours [R]",
    ),
)


CATEGORIES: tuple[CategorySeed, ...] = tuple(
    sorted(
        (*EVENTS, *COMPONENTS, *DISPUTES, *HAZARDS, *SITUATIONS, *REQUESTS, *PETITIONS_SEED),
        key=lambda seed: seed.code,
    )
)


# --- reading the tree --------------------------------------------------------------------

_BY_CODE: Mapping[str, CategorySeed] = MappingProxyType({seed.code: seed for seed in CATEGORIES})


def category_by_code(code: str) -> CategorySeed:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"No case category with the code {code!r}.") from None


def children_of(
    code: str | None, categories: Iterable[CategorySeed] = CATEGORIES
) -> tuple[CategorySeed, ...]:
    """The direct subclasses of `code`; with None, the top-level classes."""
    return tuple(seed for seed in categories if seed.parent_code == code)


def leaves(categories: Iterable[CategorySeed] = CATEGORIES) -> tuple[CategorySeed, ...]:
    """The categories a case is filed under: those without subclasses."""
    seeds = tuple(categories)
    parents = {seed.parent_code for seed in seeds}
    return tuple(seed for seed in seeds if seed.code not in parents)


def moj_category(code: str) -> str:
    """The MoJ mediation-statistics category of a dispute category."""
    try:
        return MOJ_CATEGORY_OF[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a dispute category.") from None


# --- checking the tree -------------------------------------------------------------------

CODE_PATTERN = re.compile(r"[A-Z](?:[0-9]{2})+")


def check(
    categories: Iterable[CategorySeed] = CATEGORIES,
    department_kinds: Collection[str] = DEPARTMENT_KINDS,
) -> list[str]:
    """Every problem with the tree, as sentences; empty when it may be seeded."""
    seeds = tuple(categories)
    problems: list[str] = []
    seen: dict[str, CategorySeed] = {}
    for seed in seeds:
        if seed.code in seen:
            problems.append(f"{seed.code}: the code is used twice.")
        problems += _code_problems(seed, seen)
        problems += _content_problems(seed, department_kinds)
        seen[seed.code] = seed
    for seed in leaves(seeds):
        problems += _leaf_problems(seed)
    return problems


def _code_problems(seed: CategorySeed, earlier: Mapping[str, CategorySeed]) -> list[str]:
    if not CODE_PATTERN.fullmatch(seed.code) or seed.code[0] != CODE_LETTER[seed.kind]:
        return [f"{seed.code}: not a valid code for the kind {seed.kind}."]
    if seed.parent_code is None:
        return [] if len(seed.code) == 3 else [f"{seed.code}: a subclass without a parent."]
    parent = earlier.get(seed.parent_code)
    if parent is None:
        return [f"{seed.code}: the parent {seed.parent_code} is missing or comes later."]
    if seed.code[:-2] != parent.code:
        return [f"{seed.code}: the parent's code {parent.code} is not its prefix."]
    if parent.kind != seed.kind:
        return [f"{seed.code}: its kind differs from its parent's."]
    return []


def _content_problems(seed: CategorySeed, department_kinds: Collection[str]) -> list[str]:
    problems = []
    if not seed.name.strip():
        problems.append(f"{seed.code}: no name.")
    if seed.department_kind not in department_kinds:
        problems.append(f"{seed.code}: unknown department kind {seed.department_kind!r}.")
    names = [field.name for field in seed.extra_fields]
    if len(names) != len(set(names)):
        problems.append(f"{seed.code}: an extra field is named twice.")
    for field in seed.extra_fields:
        if field.type not in FIELD_TYPES or (field.type == "choice") != bool(field.choices):
            problems.append(f"{seed.code}: the extra field {field.name} is not well typed.")
    if seed.name == "举报" and seed.public:
        problems.append(f"{seed.code}: an accusation must never be public.")
    return problems


def _leaf_problems(seed: CategorySeed) -> list[str]:
    if seed.limits is None or not seed.limits.steps:
        return [f"{seed.code}: no time limits."]
    problems = [
        f"{seed.code}: the step {name} has no time."
        for name, step in seed.limits.steps.items()
        if step.limit.amount <= 0 or not isinstance(step.limit.unit, LimitUnit)
    ]
    if seed.kind is CategoryKind.DISPUTE and MOJ_CATEGORY_OF.get(seed.code) not in MOJ_CATEGORIES:
        problems.append(f"{seed.code}: no MoJ statistics category.")
    return problems
