"""The seeded case categories: a valid tree, faithful to the domain facts. No database."""

from dataclasses import replace
from typing import Any

import pytest

from wangge.accounts.models import DepartmentKind
from wangge.cases.categories_seed import (
    CATEGORIES,
    DEPARTMENT_KINDS,
    MOJ_CATEGORIES,
    MOJ_CATEGORY_OF,
    CategoryKind,
    CategorySeed,
    Certainty,
    ExtraField,
    category_by_code,
    check,
    children_of,
    leaves,
    moj_category,
)
from wangge.cases.deadlines import (
    CategoryLimits,
    LimitUnit,
    calendar_days,
    working_days,
    working_hours,
)
from wangge.cases.workflow import Action


def names_under(code: str) -> set[str]:
    return {seed.name for seed in children_of(code)}


def by_kind(kind: CategoryKind) -> list[CategorySeed]:
    return [seed for seed in CATEGORIES if seed.kind is kind]


# --- the tree ----------------------------------------------------------------------------


def test_the_seeded_tree_is_valid() -> None:
    assert check() == []


def test_every_kind_has_categories() -> None:
    assert {seed.kind for seed in leaves()} == set(CategoryKind)


def test_codes_are_unique_and_start_with_their_kind_letter() -> None:
    codes = [seed.code for seed in CATEGORIES]
    letters = {
        CategoryKind.EVENT: "E",
        CategoryKind.COMPONENT: "C",
        CategoryKind.DISPUTE: "D",
        CategoryKind.HAZARD: "H",
        CategoryKind.SITUATION: "S",
        CategoryKind.REQUEST: "R",
        CategoryKind.PETITION: "P",
    }
    assert len(codes) == len(set(codes))
    assert all(seed.code[0] == letters[seed.kind] for seed in CATEGORIES)


def test_parents_come_before_their_children_so_the_tree_seeds_in_order() -> None:
    position = {seed.code: index for index, seed in enumerate(CATEGORIES)}
    for seed in CATEGORIES:
        if seed.parent_code is not None:
            assert position[seed.parent_code] < position[seed.code], seed.code


def test_department_kinds_are_the_kinds_departments_have() -> None:
    assert DEPARTMENT_KINDS.issubset(DepartmentKind.values)
    assert {seed.department_kind for seed in CATEGORIES} <= set(DepartmentKind.values)


def test_every_category_cites_a_source_and_a_certainty() -> None:
    for seed in CATEGORIES:
        assert isinstance(seed.certainty, Certainty), seed.code
        assert "domain-facts §" in seed.source or "ours" in seed.source, seed.code


# --- check() finds what is wrong ---------------------------------------------------------

SMALL_TREE = tuple(seed for seed in CATEGORIES if seed.code.startswith(("E01", "D01", "R01")))


def broken(target: str, **changes: Any) -> tuple[CategorySeed, ...]:
    """SMALL_TREE with the category `target` changed."""
    return tuple(replace(seed, **changes) if seed.code == target else seed for seed in SMALL_TREE)


@pytest.mark.parametrize(
    ("tree", "problem"),
    [
        (SMALL_TREE + (category_by_code("E0101"),), "E0101: the code is used twice."),
        (broken("E0102", parent_code="E09"), "E0102: the parent E09 is missing or comes later."),
        (
            broken("E0102", code="E0201"),
            "E0201: the parent's code E01 is not its prefix.",
        ),
        (broken("E0102", code="X0102"), "X0102: not a valid code for the kind event."),
        (broken("E0102", parent_code=None), "E0102: a subclass without a parent."),
        (broken("E0102", limits=None), "E0102: no time limits."),
        (
            broken("E0102", department_kind="fire_brigade"),
            "E0102: unknown department kind 'fire_brigade'.",
        ),
        (broken("E0102", kind=CategoryKind.HAZARD), "E0102: not a valid code for the kind hazard."),
        (broken("R0101", public=True), "R0101: an accusation must never be public."),
        (
            broken("E0102", extra_fields=(ExtraField("size", "面积", "choice"),)),
            "E0102: the extra field size is not well typed.",
        ),
        (
            broken("D0101", code="D0198", name="新小类"),
            "D0198: no MoJ statistics category.",
        ),
        (broken("E0102", limits=CategoryLimits()), "E0102: no time limits."),
    ],
)
def test_check_reports_a_broken_tree(tree: tuple[CategorySeed, ...], problem: str) -> None:
    assert check(SMALL_TREE) == []
    assert check(tree) == [problem]


def test_check_reports_a_step_without_time() -> None:
    limits = category_by_code("E0102").limits
    assert limits is not None
    steps = {**limits.steps, "handle": replace(limits.step("handle"), limit=working_days(0))}
    tree = broken("E0102", limits=replace(limits, steps=steps))
    assert check(SMALL_TREE) == []
    assert check(tree) == ["E0102: the step handle has no time."]


# --- events and components (§2) ----------------------------------------------------------


def test_event_classes_carry_the_codes_of_the_recalled_layout() -> None:
    top = {seed.code: seed.name for seed in children_of(None) if seed.kind is CategoryKind.EVENT}
    assert top == {
        "E01": "市容环境",
        "E02": "宣传广告",
        "E03": "施工管理",
        "E04": "突发事件",
        "E05": "街面秩序",
        "E06": "其他事件",
    }


def test_event_and_component_codes_are_marked_as_recalled_layout() -> None:
    for seed in by_kind(CategoryKind.EVENT) + by_kind(CategoryKind.COMPONENT):
        assert "[R]" in seed.source, seed.code


@pytest.mark.parametrize(
    ("code", "subclasses"),
    [
        ("E01", {"私搭乱建", "暴露垃圾", "积存渣土", "道路不洁", "水域不洁", "绿地脏乱", "其他"}),
        (
            "E02",
            {"非法小广告", "街头散发广告", "违规户外广告", "违章张贴悬挂广告牌匾", "占道广告牌"},
        ),
        ("E03", {"施工扰民", "施工占道", "工地扬尘", "施工废弃料", "道路遗撒"}),
        ("E04", {"管道破裂", "路面塌陷", "道路积水", "火灾", "伤亡事故", "下水道堵塞或破损"}),
        ("E0401", {"自来水管破裂", "燃气管道破裂"}),
        (
            "E05",
            {
                "无照经营",
                "早(夜)市",
                "流浪乞讨",
                "占道经营",
                "黑车拉客",
                "占道废品收购",
                "店外经营",
            },
        ),
    ],
)
def test_every_event_subclass_in_the_facts_is_present(code: str, subclasses: set[str]) -> None:
    assert subclasses <= names_under(code)


def test_the_six_component_classes_and_the_extension_are_present() -> None:
    top = {
        seed.code: seed.name for seed in children_of(None) if seed.kind is CategoryKind.COMPONENT
    }
    assert top == {
        "C01": "公用设施类",
        "C02": "道路交通类",
        "C03": "市容环境类",
        "C04": "园林绿化类",
        "C05": "房屋土地类",
        "C06": "其他设施类",
        "C07": "扩展部件类",
    }


def test_component_subclasses_from_the_facts_are_present() -> None:
    assert {"上水井盖", "燃气井盖", "雨水箅子", "路灯", "报刊亭", "治安岗亭"} <= names_under("C01")
    assert {"交通信号灯", "过街天桥", "路名牌"} <= names_under("C02")
    assert {"公共厕所", "垃圾箱", "广告牌匾"} <= names_under("C03")
    assert {"古树名木", "行道树", "喷泉"} <= names_under("C04")
    assert {"人防工事", "公房地下室"} <= names_under("C05")
    assert {"重大危险源", "防汛墙"} <= names_under("C06")


def test_component_cases_ask_for_the_component_number() -> None:
    for seed in by_kind(CategoryKind.COMPONENT):
        assert ("component_code", "部件编号", "text") in [field[:3] for field in seed.extra_fields]


def test_urban_management_events_and_components_are_public_by_default() -> None:
    urban = by_kind(CategoryKind.EVENT) + by_kind(CategoryKind.COMPONENT)
    assert category_by_code("E0101").public
    assert category_by_code("C0101").public
    assert sum(seed.public for seed in urban) > 0.9 * len(urban)


def test_events_follow_the_tianque_default_limits_yellow_1_5_and_red_2_10_working_days() -> None:
    limits = category_by_code("E0101").limits
    assert limits is not None
    accept, handle = limits.step("accept"), limits.step("handle")
    assert (accept.yellow, accept.red) == (working_days(1), working_days(2))
    assert (handle.yellow, handle.red) == (working_days(5), working_days(10))
    assert accept.starts_at == handle.starts_at == Action.DISPATCH


def test_emergency_events_are_due_within_hours() -> None:
    limits = category_by_code("E040102").limits
    assert limits is not None
    assert limits.step("accept").limit == working_hours(2)


# --- disputes (§6.1, §6.3) ---------------------------------------------------------------


def test_there_are_fifteen_distinct_moj_statistics_categories() -> None:
    assert len(set(MOJ_CATEGORIES)) == 15
    assert {"婚姻家庭", "邻里", "物业", "道路交通事故", "其它"} <= set(MOJ_CATEGORIES)


def test_every_dispute_category_maps_to_one_moj_category() -> None:
    disputes = by_kind(CategoryKind.DISPUTE)
    assert disputes
    for seed in disputes:
        assert moj_category(seed.code) in MOJ_CATEGORIES, seed.code
    assert set(MOJ_CATEGORY_OF) == {seed.code for seed in disputes}


@pytest.mark.parametrize(
    ("code", "name", "moj"),
    [
        ("D0101", "恋爱及婚姻", "婚姻家庭"),
        ("D0201", "用水排水通行通风采光", "邻里"),
        ("D0402", "物业及其管理", "物业"),
        ("D0502", "医疗损害", "医疗"),
        ("D0503", "交通事故", "道路交通事故"),
        ("D0504", "环境污染", "环境污染"),
        ("D0701", "劳动合同/劳务派遣", "劳动争议"),
        ("D0902", "宅基地使用", "房屋宅基地"),
        ("D1101", "国有土地上房屋征收", "征地拆迁"),
        ("D99", "其他", "其它"),
    ],
)
def test_gbt_31000_dispute_classes_keep_their_codes_and_map_to_moj(
    code: str, name: str, moj: str
) -> None:
    assert category_by_code(code).name == name
    assert moj_category(code) == moj


def test_the_sixteen_gbt_31000_dispute_classes_and_other_are_present() -> None:
    top = [seed.code for seed in children_of(None) if seed.kind is CategoryKind.DISPUTE]
    assert top == [f"D{number:02d}" for number in range(1, 17)] + ["D99"]


def test_disputes_are_mediated_within_a_month_of_acceptance_and_never_public() -> None:
    for seed in leaves(by_kind(CategoryKind.DISPUTE)):
        assert seed.limits is not None
        mediation = seed.limits.step("handle")
        assert (mediation.limit, mediation.starts_at) == (calendar_days(30), Action.ACCEPT)
        assert not seed.public
        assert {"涉及人数", "涉及金额"} <= {field.label for field in seed.extra_fields}


def test_moj_category_refuses_a_code_that_is_not_a_dispute() -> None:
    with pytest.raises(KeyError, match="not a dispute category"):
        moj_category("E0101")


# --- hazards and social situation --------------------------------------------------------


def test_hazards_hold_the_gbt_31000_hazard_types_and_are_never_public() -> None:
    hazards = by_kind(CategoryKind.HAZARD)
    names = {seed.code: seed.name for seed in hazards}
    assert {"H01": "火灾", "H02": "治安", "H04": "危化物品", "H05": "疾病传染"}.items() <= (
        names.items()
    )
    assert not any(seed.public for seed in hazards)
    assert all(seed.on_site_verification for seed in hazards)


def test_invented_hazards_are_marked_recalled() -> None:
    for code in ("H0101", "H07", "H08"):
        assert category_by_code(code).certainty is Certainty.RECALLED


def test_social_situation_information_is_never_public() -> None:
    situations = by_kind(CategoryKind.SITUATION)
    assert {"社情民意收集", "不稳定因素报告", "突发事件报告"} <= {seed.name for seed in situations}
    assert not any(seed.public for seed in situations)


# --- requests (§3.4) ---------------------------------------------------------------------


def test_accusations_are_never_public() -> None:
    domains = [seed for seed in children_of(None) if seed.kind is CategoryKind.REQUEST]
    accusations = [seed for seed in CATEGORIES if seed.name == "举报"]
    assert len(accusations) == len(domains)  # one in each hotline domain
    assert not any(seed.public for seed in accusations)


def test_a_domain_that_is_not_public_has_no_public_subtype() -> None:
    for domain in children_of(None):
        if domain.kind is CategoryKind.REQUEST and not domain.public:
            assert not any(seed.public for seed in children_of(domain.code)), domain.code


def test_each_hotline_domain_has_the_tianque_subtypes_and_the_county_one() -> None:
    assert names_under("R15") == {"举报", "投诉", "建议", "咨询", "求决", "感谢", "其他"}
    assert category_by_code("R15").name == "城乡建设"
    assert category_by_code("R1505").certainty is Certainty.SECONDARY


def test_hotline_answers_are_due_in_7_days_and_utilities_in_one_working_day() -> None:
    general, utilities = category_by_code("R1502").limits, category_by_code("R2004").limits
    assert general is not None and utilities is not None
    assert general.step("handle").limit == calendar_days(7)
    assert utilities.step("handle").limit == working_days(1)


# --- every leaf is ready to seed ---------------------------------------------------------


def test_every_leaf_has_limits_whose_units_are_stated() -> None:
    for seed in leaves():
        assert seed.limits is not None and seed.limits.steps, seed.code
        for step in seed.limits.steps.values():
            assert isinstance(step.limit.unit, LimitUnit), seed.code
            assert step.limit.amount > 0, seed.code
            assert step.starts_at in set(Action), seed.code


def test_every_leaf_names_a_department_kind() -> None:
    assert all(seed.department_kind in DepartmentKind.values for seed in leaves())


# --- reading helpers ---------------------------------------------------------------------


def test_category_by_code_finds_a_category_and_refuses_an_unknown_code() -> None:
    assert category_by_code("E0101").name == "私搭乱建"
    with pytest.raises(KeyError, match="No case category"):
        category_by_code("E9999")


def test_leaves_exclude_classes_that_have_subclasses() -> None:
    codes = {seed.code for seed in leaves()}
    assert "E0101" in codes and "E06" in codes and "C07" in codes
    assert "E01" not in codes and "E0401" not in codes


def test_children_of_none_gives_the_top_level_classes() -> None:
    assert all(seed.parent_code is None for seed in children_of(None))
    assert category_by_code("E01") in children_of(None)
    assert category_by_code("E0101") not in children_of(None)


def test_petition_limits_follow_the_2022_regulation() -> None:
    """信访工作条例 arts. 22, 23, 34–36 (domain-facts §6.4 [V])."""
    from wangge.cases.categories_seed import category_by_code as by_code
    from wangge.cases.deadlines import LimitUnit

    steps = by_code("P0103").limits.steps  # type: ignore[union-attr]
    assert (steps["dispatch"].limit.amount, steps["dispatch"].limit.unit) == (
        15,
        LimitUnit.CALENDAR_DAYS,
    )
    assert (steps["accept"].limit.amount, steps["accept"].starts_at) == (15, "dispatch")
    assert (steps["send_back"].limit.amount, steps["send_back"].limit.unit) == (
        5,
        LimitUnit.WORKING_DAYS,
    )
    assert (steps["handle"].limit.amount, steps["handle"].starts_at) == (60, "accept")
    for code in ("P02", "P03"):
        review = by_code(code).limits.steps  # type: ignore[union-attr]
        assert (review["handle"].limit.amount, review["handle"].limit.unit) == (
            30,
            LimitUnit.CALENDAR_DAYS,
        )
