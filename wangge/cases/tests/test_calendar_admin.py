"""The work calendar and dispatch-rule pages: who may change them, what bad input does
(nothing saved, a clear message), and that each change is audited."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import TOWNSHIP, make_persona
from wangge.accounts.models import Department
from wangge.accounts.tests.factories import totp_enrolled
from wangge.audit.models import AuditEntry
from wangge.cases import calendar
from wangge.cases.models import CalendarDay, CalendarYear, DispatchRule, WorkingHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def township_admin(db):  # type: ignore[no-untyped-def]
    """Holds the administrator's capabilities in one township only."""
    admin = make_persona("t_township_admin", "district_admin", region=TOWNSHIP)
    totp_enrolled(admin)
    return admin


@pytest.fixture
def admin_client(client, district_admin):  # type: ignore[no-untyped-def]
    client.force_login(district_admin)
    return client


def stored() -> tuple[list, list, str, int, int]:  # type: ignore[type-arg]
    """Everything the calendar pages may write."""
    return (
        list(CalendarDay.objects.values_list("day", "kind", "name")),
        list(CalendarYear.objects.values_list("year", "confirmed", "confirmed_by_id")),
        WorkingHours.objects.order_by("id").values_list("periods", flat=True).first() or "",
        DispatchRule.objects.count(),
        AuditEntry.objects.count(),
    )


def test_anyone_signed_in_sees_the_calendar_but_only_administrators_get_the_forms(  # type: ignore[no-untyped-def]
    client, grid_worker_a, district_admin
):
    calendar.seed_years([2026])
    client.force_login(grid_worker_a)

    page = client.get(reverse("cases:calendar"), {"year": 2026})

    assert page.status_code == 200
    assert "2026-10-01" in page.content.decode()
    assert not page.context["can_change"]
    client.force_login(district_admin)
    assert client.get(reverse("cases:calendar"), {"year": 2026}).context["can_change"]


def test_an_unconfirmed_year_is_shown_as_provisional(admin_client):  # type: ignore[no-untyped-def]
    CalendarYear.objects.update_or_create(year=2027, defaults={"confirmed": False})

    page = admin_client.get(reverse("cases:calendar"), {"year": 2027})
    confirmed = admin_client.get(reverse("cases:calendar"), {"year": 2026})

    assert 'class="provisional"' in page.content.decode()
    assert not page.context["view"].package_knows  # chinesecalendar 1.11 stops at 2026
    assert 'class="provisional"' not in confirmed.content.decode()


@pytest.mark.parametrize(
    "name, data",
    [
        ("calendar_day_add", {"day": "2026-10-12", "kind": "holiday"}),
        ("calendar_day_remove", {"day": "2026-10-01"}),
        ("calendar_year_confirm", {"year": "2027"}),
        ("calendar_year_seed", {"year": "2026"}),
        ("working_hours_set", {"periods": "09:00-12:00"}),
    ],
)
def test_a_grid_worker_and_a_township_administrator_cannot_change_the_calendar(  # type: ignore[no-untyped-def]
    client, grid_worker_a, township_admin, name, data
):
    before = stored()
    for person in (grid_worker_a, township_admin):
        client.force_login(person)
        assert client.post(reverse(f"cases:{name}"), data).status_code == 403
    assert stored()[:3] == before[:3]


def test_an_administrator_adds_and_removes_a_day_audited(admin_client, district_admin):  # type: ignore[no-untyped-def]
    response = admin_client.post(
        reverse("cases:calendar_day_add"),
        {"day": "2026-12-31", "kind": "holiday", "name": "跨年调整"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2026")
    assert CalendarDay.objects.get(day=date(2026, 12, 31)).name == "跨年调整"
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.actor_id) == ("cases.calendar_day_set", district_admin.pk)

    admin_client.post(reverse("cases:calendar_day_remove"), {"day": "2026-12-31"})

    assert not CalendarDay.objects.filter(day=date(2026, 12, 31)).exists()
    assert AuditEntry.objects.order_by("-id").first().action == "cases.calendar_day_remove"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("calendar_day_add", {"day": "2026-13-01", "kind": "holiday"}, "有效的日期"),
        ("calendar_day_add", {"day": "", "kind": "holiday"}, "必填"),
        ("calendar_day_add", {"day": "2026-12-30", "kind": "festival"}, "festival"),
        ("calendar_day_add", {"day": "2026-12-26", "kind": "holiday"}, "周六或周日"),
        ("calendar_day_add", {"day": "2026-12-30", "kind": "workday"}, "周六或周日"),
        ("calendar_day_add", {"day": "1850-01-03", "kind": "holiday"}, "2000"),
        ("calendar_day_add", {"day": "2026-12-30", "kind": "holiday", "name": "长" * 41}, "40"),
        ("calendar_day_remove", {"day": "2026-12-30"}, "不在日历中"),
        ("calendar_day_remove", {"day": "tomorrow"}, "有效的日期"),
        ("calendar_year_confirm", {"year": "twenty"}, "有效的年份"),
        ("calendar_year_confirm", {"year": "1066"}, "2000"),
        ("calendar_year_seed", {"year": "2027"}, "手工录入"),
        ("working_hours_set", {"periods": "18:00-08:00"}, "先于"),
        ("working_hours_set", {"periods": "08:30-12:00,11:00-18:00"}, "先于"),
        ("working_hours_set", {"periods": "八点半到十二点"}, "08:30-12:00"),
        ("working_hours_set", {"periods": ""}, "必填"),
    ],
)
def test_bad_calendar_input_saves_nothing_and_says_why(admin_client, name, data, message):  # type: ignore[no-untyped-def]
    before = stored()

    response = admin_client.post(reverse(f"cases:{name}"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == before


def test_confirming_a_year_records_who_and_when(admin_client, district_admin):  # type: ignore[no-untyped-def]
    CalendarYear.objects.update_or_create(year=2027, defaults={"confirmed": False})

    response = admin_client.post(reverse("cases:calendar_year_confirm"), {"year": "2027"})

    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.confirmed and year.confirmed_by == district_admin and year.confirmed_at
    assert calendar.current().confirmed_years >= {2027}
    assert AuditEntry.objects.order_by("-id").first().action == "cases.calendar_year_confirm"


def test_seeding_a_year_the_package_knows_fills_in_the_official_days(admin_client):  # type: ignore[no-untyped-def]
    CalendarDay.objects.filter(day__year=2026).delete()

    response = admin_client.post(reverse("cases:calendar_year_seed"), {"year": "2026"})

    assert response.status_code == 302
    assert CalendarDay.objects.get(day=date(2026, 10, 1)).kind == "holiday"
    assert CalendarDay.objects.get(day=date(2026, 10, 10)).kind == "workday"
    assert CalendarYear.objects.get(year=2026).source == "chinesecalendar"


def test_changing_the_working_hours_changes_the_calendar(admin_client):  # type: ignore[no-untyped-def]
    response = admin_client.post(
        reverse("cases:working_hours_set"), {"periods": "09:00-12:00，14:00-17:30"}
    )

    assert response.status_code == 302
    assert WorkingHours.objects.order_by("id").first().periods == "09:00-12:00,14:00-17:30"
    assert calendar.current().working_periods[1][1].hour == 17
    assert AuditEntry.objects.order_by("-id").first().action == "cases.working_hours_set"


# --- dispatch rules -------------------------------------------------------------------------


def urban_unit() -> Department:
    return Department.objects.get(code="urban-management")


def test_an_administrator_adds_and_deletes_a_dispatch_rule(admin_client):  # type: ignore[no-untyped-def]
    response = admin_client.post(
        reverse("cases:dispatch_rules"),
        {"category_prefix": "e01", "region_prefix": "620502001", "department": urban_unit().pk},
    )
    assert response.status_code == 302
    rule = DispatchRule.objects.get()
    assert (rule.category_prefix, rule.region_prefix) == ("E01", "620502001")
    assert AuditEntry.objects.order_by("-id").first().action == "cases.dispatch_rule_add"
    listed = admin_client.get(reverse("cases:dispatch_rules"))
    assert list(listed.context["rules"]) == [rule]

    admin_client.post(reverse("cases:dispatch_rule_delete"), {"rule": rule.pk})

    assert not DispatchRule.objects.exists()
    assert AuditEntry.objects.order_by("-id").first().action == "cases.dispatch_rule_delete"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"category_prefix": "X99", "region_prefix": "620502001"}, "没有这个编码的案件类别"),
        ({"category_prefix": "E01", "region_prefix": "620502999"}, "您的管辖范围内没有这个区域"),
        ({"category_prefix": "E01", "region_prefix": "110101"}, "您的管辖范围内没有这个区域"),
        ({"category_prefix": "E01", "region_prefix": ""}, "必填"),
        ({"category_prefix": "E01", "region_prefix": "620502001", "department": 0}, "有效的选项"),
    ],
)
def test_a_bad_dispatch_rule_saves_nothing_and_says_why(admin_client, data, message):  # type: ignore[no-untyped-def]
    before = stored()

    response = admin_client.post(
        reverse("cases:dispatch_rules"), {"department": urban_unit().pk, **data}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == before


def test_a_duplicate_dispatch_rule_is_refused(admin_client):  # type: ignore[no-untyped-def]
    DispatchRule.objects.create(
        category_prefix="E01", region_prefix="620502001", department=urban_unit()
    )
    data = {"category_prefix": "E01", "region_prefix": "620502001", "department": urban_unit().pk}

    response = admin_client.post(reverse("cases:dispatch_rules"), data)

    assert response.status_code == 400
    assert DispatchRule.objects.count() == 1


def test_a_township_administrator_works_only_on_rules_of_their_township(  # type: ignore[no-untyped-def]
    client, township_admin
):
    elsewhere = DispatchRule.objects.create(
        category_prefix="E01", region_prefix="620502103", department=urban_unit()
    )
    own = DispatchRule.objects.create(
        category_prefix="E01", region_prefix=TOWNSHIP, department=urban_unit()
    )
    client.force_login(township_admin)
    data = {"category_prefix": "E02", "region_prefix": "620502103", "department": urban_unit().pk}

    listed = client.get(reverse("cases:dispatch_rules"))
    refused = client.post(reverse("cases:dispatch_rules"), data)
    hidden = client.post(reverse("cases:dispatch_rule_delete"), {"rule": elsewhere.pk})

    assert list(listed.context["rules"]) == [own]
    assert refused.status_code == 400
    assert hidden.status_code == 404
    assert DispatchRule.objects.count() == 2


def test_a_grid_worker_may_not_see_or_change_dispatch_rules(client, grid_worker_a):  # type: ignore[no-untyped-def]
    rule = DispatchRule.objects.create(
        category_prefix="E01", region_prefix=TOWNSHIP, department=urban_unit()
    )
    client.force_login(grid_worker_a)

    assert client.get(reverse("cases:dispatch_rules")).status_code == 403
    assert client.post(reverse("cases:dispatch_rule_delete"), {"rule": rule.pk}).status_code == 403
    assert DispatchRule.objects.count() == 1
