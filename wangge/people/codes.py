"""Code tables of the register, with the national codes so that exports match other systems.

Sources (see ../shared/design/domain-facts.md §4): GB/T 2261.1-2003 sex, GB/T 3304-1991
ethnicities, GB/T 2261.2-2003 marital status, GB/T 4658-2006 education, GB/T 4762-1984
political status, GB/T 4761-2008 family relationship (main codes), GB/T 31000-2015 tables
(人户一致, 流入原因, 办证类型, 住所类型, 留守人员类型, 来华目的, 建筑用途, 出租用途, 隐患类型,
企业类别, 社会组织类型, 关注程度), GA/T 517 document codes (the ones listed in `IdType`, from
recall of the standard: marked [C]), GB/T 2659 countries (= ISO 3166-1, from `pycountry`).
Chinese labels are the standards' own and are data, not translations.
"""

import functools

from django.db import models


class IdType(models.TextChoices):
    """证件代码 (GA/T 517) of the document a person is registered by. Residents of the mainland
    and holders of a Hong Kong, Macao or Taiwan residence permit have an 18-character number in
    the GB 11643 format (code 111); foreign nationals are registered by another document."""

    RESIDENT_ID = "111", "居民身份证"
    PASSPORT = "414", "普通护照"
    TAIWAN_PERMIT = "511", "台湾居民来往大陆通行证"
    HONG_KONG_MACAO_PERMIT = "516", "港澳居民来往内地通行证"
    FOREIGN_PERMANENT_RESIDENT = "553", "外国人永久居留身份证"
    OTHER = "990", "其他证件"


class Health(models.TextChoices):
    """健康状况: the standard gives 01 很好 … 05 很差; the three between are inferred [C]."""

    VERY_GOOD = "01", "很好"
    GOOD = "02", "好"
    FAIR = "03", "一般"
    POOR = "04", "差"
    VERY_POOR = "05", "很差"


class Sex(models.TextChoices):
    UNKNOWN = "0", "未知的性别"
    MALE = "1", "男"
    FEMALE = "2", "女"
    UNSTATED = "9", "未说明的性别"


ETHNICITY_NAMES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
Ethnicity = models.TextChoices(  # type: ignore[misc,call-overload]
    "Ethnicity",
    [(f"E{number:02d}", (f"{number:02d}", name)) for number, name in enumerate(ETHNICITY_NAMES, 1)]
    + [("E97", ("97", "其他未识别民族")), ("E98", ("98", "外国血统中国籍人士"))],
)


class MaritalStatus(models.TextChoices):
    SINGLE = "10", "未婚"
    MARRIED = "20", "已婚"
    FIRST_MARRIAGE = "21", "初婚"
    REMARRIED = "22", "再婚"
    REMARRIED_SAME = "23", "复婚"
    WIDOWED = "30", "丧偶"
    DIVORCED = "40", "离婚"
    UNSTATED = "90", "未说明的婚姻状况"


class Education(models.TextChoices):
    POSTGRADUATE = "10", "研究生教育"
    BACHELOR = "20", "大学本科教育"
    COLLEGE = "30", "大学专科教育"
    SECONDARY_VOCATIONAL = "40", "中等职业教育"
    HIGH_SCHOOL = "60", "普通高级中学教育"
    JUNIOR_HIGH = "70", "初级中学教育"
    PRIMARY = "80", "小学教育"
    OTHER = "90", "其他"


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "01", "中国共产党党员"
    PROBATIONARY_MEMBER = "02", "中国共产党预备党员"
    YOUTH_LEAGUE = "03", "中国共产主义青年团团员"
    OTHER_PARTY = "04", "民主党派成员"
    NON_PARTY = "12", "无党派民主人士"
    MASSES = "13", "群众"


class Relation(models.TextChoices):
    """Relationship to the head of household (GB/T 4761-2008, the main codes)."""

    HEAD = "02", "户主"
    SPOUSE = "10", "配偶"
    SON = "20", "子"
    DAUGHTER = "30", "女"
    GRANDCHILD = "40", "孙子、孙女或外孙子、外孙女"
    PARENT = "50", "父母"
    GRANDPARENT = "60", "祖父母或外祖父母"
    SIBLING = "70", "兄、弟、姐、妹"
    OTHER = "99", "其他"


class ResidenceMatch(models.TextChoices):
    SAME = "01", "人户一致"
    DIFFERENT = "02", "人户不一致"


class InflowReason(models.TextChoices):
    WORK = "01", "务工"
    FARMING = "02", "务农"
    BUSINESS = "03", "经商"
    STUDY = "04", "学习培训"
    MARRIAGE = "05", "婚嫁"
    FOLLOWING = "06", "随迁"
    MEDICAL = "07", "治病疗养"
    RELATIVES = "08", "投亲靠友"
    TRANSFER = "09", "工作调动"
    OTHER = "99", "其他"


class PermitType(models.TextChoices):
    RESIDENCE_PERMIT = "01", "居住证"
    TEMPORARY_PERMIT = "02", "暂住证"
    OTHER = "99", "其他"


class DwellingType(models.TextChoices):
    OWNED = "01", "自购房屋"
    RENTED = "02", "租赁房屋"
    LODGING = "03", "寄宿"
    BORROWED = "04", "借住"
    DORMITORY = "05", "单位宿舍"
    TEMPORARY = "06", "临时性宿舍"
    WORKER_APARTMENT = "07", "农民工公寓"
    OTHER = "99", "其他"


class LeftBehindType(models.TextChoices):
    ELDERLY = "01", "留守老人"
    WOMAN = "02", "留守妇女"
    CHILD = "03", "留守儿童"


class VisitPurpose(models.TextChoices):
    BUSINESS = "01", "商务"
    EMPLOYMENT = "02", "就业"
    STUDY = "03", "学习"
    SETTLEMENT = "04", "定居"
    FAMILY = "05", "探亲"
    OTHER = "99", "其他"


class BuildingUse(models.TextChoices):
    RESIDENTIAL = "01", "住宅"
    COMMERCIAL = "02", "商业"
    OFFICE = "03", "办公"
    INDUSTRIAL = "04", "工业"
    STORAGE = "05", "仓储"
    MIXED = "06", "商住混用"
    OTHER = "99", "其他"


class RentalUse(models.TextChoices):
    DORMITORY = "01", "宿舍"
    HOUSING = "02", "住房"
    SHOP = "03", "商铺"
    WAREHOUSE = "05", "仓库"
    WORKSHOP = "06", "厂房"
    OTHER = "99", "其他"


class HazardType(models.TextChoices):
    NONE = "00", "无"
    FIRE = "01", "火灾"
    PUBLIC_ORDER = "02", "治安"
    DISPUTE = "03", "矛盾纠纷"
    CHEMICALS = "04", "危化物品"
    INFECTION = "05", "疾病传染"
    OTHER = "99", "其他"


class ManagementClass(models.TextChoices):
    """出租房屋管理类别 (Tianque practice: 甲 trusted, 乙 ordinary, 丙 needs close attention)."""

    A = "A", "甲"
    B = "B", "乙"
    C = "C", "丙"


class OrganisationKind(models.TextChoices):
    DOMESTIC = "01", "内资企业"
    FOREIGN = "02", "外资企业"
    INDIVIDUAL = "03", "个体工商户"
    COOPERATIVE = "04", "农民专业合作社"
    SOCIAL_GROUP = "S1", "社会团体"
    PRIVATE_NON_ENTERPRISE = "S2", "民办非企业单位"
    FOUNDATION = "S3", "基金会"
    OTHER = "99", "其他"


class Attention(models.TextChoices):
    HIGH = "01", "高"
    MEDIUM = "02", "中"
    LOW = "03", "低"


def countries() -> list[tuple[str, str]]:
    """GB/T 2659 (ISO 3166-1) countries and regions: (alpha-3 code, Chinese name), by code."""
    return list(country_names().items())


@functools.cache
def country_names() -> dict[str, str]:
    import gettext

    import pycountry

    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    return {
        country.alpha_3: chinese.gettext(country.name)
        for country in sorted(pycountry.countries, key=lambda country: country.alpha_3)
    }
