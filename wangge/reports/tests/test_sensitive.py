"""Sensitive periods: declaring them, who owes the daily report on which day, the evening
reminders and the morning missing lists, at frozen moments."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from conftest import make_persona
from wangge.accounts.models import User
from wangge.audit.models import AuditEntry
from wangge.cases.models import Notification
from wangge.regions.models import Region
from wangge.reports import periods, sensitive
from wangge.reports.models import PeriodType, ReportForm, SensitivePeriod, Submission

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date
TOWNSHIP = "620502001"
VILLAGES = [f"{TOWNSHIP}00{n}" for n in range(1, 7)]
RECORDING = "wangge.reports.tests.test_sensitive.RecordingBackend"


class RecordingBackend:
    """Keeps what would have been sent."""

    sent: list[tuple[str, str, str]] = []

    def send(self, user: Any, subject: str, body: str) -> None:
        self.sent.append((user.username, subject, body))


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """Messages are checked in the English of their msgids."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def recording(db):  # type: ignore[no-untyped-def]
    Notification.objects.all().delete()
    RecordingBackend.sent = []
    with override_settings(WANGGE_NOTIFY_BACKEND=RECORDING):
        yield RecordingBackend.sent


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def daily_form(creator: Any, code: str = "t-daily", **extra: Any) -> ReportForm:
    values = {
        "code": code,
        "name": "敏感期日报",
        "period_type": PeriodType.DAILY,
        "unit_levels": ["village"],
        "deadline_working_days": 0,
        "created_by": creator,
        "created_at": timezone.now(),
        **extra,
    }
    return ReportForm.objects.create(**values)


@pytest.fixture
def form(district_admin):  # type: ignore[no-untyped-def]
    return daily_form(district_admin)


def declared(admin: Any, form: ReportForm, **changes: Any) -> SensitivePeriod:
    data = sensitive.SensitiveInput(
        name="元旦前后",
        starts_on=D(2026, 12, 28),
        ends_on=D(2027, 1, 2),
        form_id=form.pk,
        region_prefixes=[TOWNSHIP],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return sensitive.sensitive_period_create(actor=admin, data=data, now=at("2026-12-20T10:00"))


def submitted(form: ReportForm, unit: str, day: datetime.date, **extra: Any) -> Submission:
    values = {
        "form": form,
        "region_code": unit,
        "period_start": day,
        "period_end": day,
        "due_at": periods.due_at(form, periods.Period(day, day)),
        "state": "submitted",
        "submitted_at": timezone.now(),
        **extra,
    }
    return Submission.objects.create(**values)


# --- declaring --------------------------------------------------------------------------------


def test_an_administrator_declares_a_period_and_the_township_villages_owe_each_day(
    district_admin, form
):
    sensitive_period = declared(district_admin, form)

    assert sensitive_period.region_prefixes == [TOWNSHIP]
    for village in VILLAGES:
        owed = periods.periods_owed(form, village, D(2026, 12, 25), D(2027, 1, 5))
        assert [p.start for p in owed] == [
            D(2026, 12, 28) + datetime.timedelta(n) for n in range(6)
        ]
    assert periods.periods_owed(form, "620502103200", D(2026, 12, 25), D(2027, 1, 5)) == []
    entry = AuditEntry.objects.filter(action="reports.sensitive_period_create").get()
    assert entry.details["units"] == [TOWNSHIP]


def test_the_units_owing_a_day_agree_with_the_shared_period_rules(district_admin, form):
    declared(district_admin, form)
    declared(district_admin, form, region_prefixes=["620502103"], starts_on=D(2026, 12, 30))

    for day in (D(2026, 12, 27), D(2026, 12, 28), D(2026, 12, 30)):
        owing = {unit.code for unit in sensitive.units_owing_on(form, day)}
        villages = Region.objects.filter(level="village").values_list("code", flat=True)
        expected = {c for c in villages if periods.owes(form, c, periods.Period(day, day))}
        assert owing == expected
    assert {u.code for u in sensitive.units_owing_on(form, D(2026, 12, 28))} == set(VILLAGES)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "  "}, "name", "name"),
        ({"ends_on": D(2026, 12, 1)}, "ends_on", "before the first day"),
        ({"ends_on": D(2027, 6, 1)}, "ends_on", "92 days"),
        (
            {"starts_on": D(2026, 11, 1), "ends_on": D(2026, 11, 5)},
            "ends_on",
            "already over",
        ),
        ({"form_id": 999999}, "form", "daily report form"),
        ({"region_prefixes": ["620502999"]}, "units", "not a region code"),
        ({"region_prefixes": ["620502001001001"]}, "units", "below the units"),
        ({"starts_on": None}, "starts_on", "first and the last day"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_saved(
    district_admin, form, changes, field, words
):
    with pytest.raises(ValidationError) as refused:
        declared(district_admin, form, **changes)

    assert words in " ".join(refused.value.message_dict[field])
    assert not SensitivePeriod.objects.exists()
    assert not AuditEntry.objects.filter(action="reports.sensitive_period_create").exists()


def test_a_weekly_form_is_refused_for_a_sensitive_period(district_admin):
    weekly = daily_form(district_admin, code="t-weekly", period_type=PeriodType.WEEKLY)

    with pytest.raises(ValidationError) as refused:
        declared(district_admin, weekly)

    assert "not daily" in " ".join(refused.value.message_dict["form"])
    assert not SensitivePeriod.objects.exists()


def test_a_unit_outside_ones_area_is_refused(form):
    admin = make_persona("t_township_admin", "district_admin", region=TOWNSHIP)

    with pytest.raises(ValidationError) as refused:
        declared(admin, form, region_prefixes=["620502103"])

    assert "outside your area" in " ".join(refused.value.message_dict["units"])


def test_only_those_who_define_forms_declare_sensitive_periods(dispatcher, form):
    with pytest.raises(PermissionDenied):
        declared(dispatcher, form)
    assert not SensitivePeriod.objects.exists()


# --- the day's table --------------------------------------------------------------------------


def test_the_day_table_names_who_submitted_who_sent_a_zero_report_and_who_is_missing(
    district_admin, form
):
    declared(district_admin, form)
    day = D(2026, 12, 28)
    submitted(form, VILLAGES[0], day)
    submitted(form, VILLAGES[1], day, zero=True)
    submitted(form, VILLAGES[2], day, state="draft")
    township = Region.objects.get(code=TOWNSHIP)

    (table,) = sensitive.day_tables(township, day, at("2026-12-29T08:00"))

    states = {row.region.code: row.state for row in table.rows}
    assert states == {
        VILLAGES[0]: "submitted",
        VILLAGES[1]: "zero",
        **{code: "missing" for code in VILLAGES[2:]},
    }
    assert table.counts == {"owing": 6, "submitted": 1, "zero": 1, "missing": 4, "late": 0}
    assert table.overdue
    assert sensitive.day_tables(township, D(2026, 12, 27), at("2026-12-27T08:00")) == []


# --- reminders and missing lists --------------------------------------------------------------


def usernames(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def test_the_evening_before_the_units_that_have_not_submitted_are_reminded(
    district_admin, form, recording, django_capture_on_commit_callbacks
):
    declared(district_admin, form)
    make_persona("t_cadre_003", "village_cadre", region=VILLAGES[2])
    make_persona("t_cadre_far", "village_cadre", region="620502103200")
    submitted(form, VILLAGES[1], D(2026, 12, 28), zero=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert sensitive.reminders_send(at("2026-12-26T19:00")) == 0
        told = sensitive.reminders_send(at("2026-12-27T19:00"))

    # villagecadre (001) and the new cadre of 003; villagecadre2's village (002) has reported.
    assert usernames("report_reminder") == {"villagecadre", "t_cadre_003"}
    assert told == 2
    assert {name for name, _subject, _body in recording} == {"villagecadre", "t_cadre_003"}
    assert "2026-12-28" in recording[0][2]


def test_a_repeated_evening_run_reminds_nobody_twice(district_admin, form):
    declared(district_admin, form)
    first = sensitive.reminders_send(at("2026-12-27T19:00"))

    assert first >= 1
    assert sensitive.reminders_send(at("2026-12-27T20:00")) == 0


def test_each_morning_the_township_gets_exactly_the_units_that_did_not_submit(
    district_admin, form, dispatcher
):
    declared(district_admin, form)
    day = D(2026, 12, 28)
    submitted(form, VILLAGES[0], day)
    submitted(form, VILLAGES[3], day, zero=True)
    submitted(form, VILLAGES[4], day, state="returned")

    told = sensitive.missing_lists_send(at("2026-12-29T08:00"))

    entry = AuditEntry.objects.filter(action="reports.missing_list_send").get()
    assert entry.details["missing"] == [VILLAGES[1], VILLAGES[2], VILLAGES[4], VILLAGES[5]]
    assert entry.region_code == TOWNSHIP
    names = Region.objects.in_bulk(VILLAGES)
    message = Notification.objects.filter(user=dispatcher, kind="report_missing").get().message
    for code in (VILLAGES[1], VILLAGES[2], VILLAGES[4], VILLAGES[5]):
        assert names[code].name in message
    for code in (VILLAGES[0], VILLAGES[3]):
        assert names[code].name not in message
    # The township's dispatchers and leader, who see the roll-up; nobody else.
    assert usernames("report_missing") == {"dispatcher", "townshipleader", "t_dispatcher"}
    assert told == 3
    assert sensitive.missing_lists_send(at("2026-12-29T09:00")) == 0


def test_no_missing_list_before_a_deadline_has_passed(district_admin, form):
    declared(district_admin, form)

    assert sensitive.missing_lists_send(at("2026-12-28T08:00")) == 0
    assert not Notification.objects.filter(kind="report_missing").exists()


def test_the_commands_run_the_evening_and_the_morning(district_admin, form, capsys):
    declared(district_admin, form)

    call_command("reports_remind", "evening", "--at", "2026-12-27T19:00:00+08:00")
    call_command("reports_remind", "morning", "--at", "2026-12-29T08:00:00+08:00")

    output = capsys.readouterr().out
    assert "people reminded" in output and "missing list" in output
    assert usernames("report_reminder") >= {"villagecadre", "villagecadre2"}
    assert "dispatcher" in usernames("report_missing")


def test_a_reminder_goes_only_to_people_who_submit(district_admin, form):
    declared(district_admin, form)
    make_persona("t_worker_001", "grid_worker", region=VILLAGES[0])

    sensitive.reminders_send(at("2026-12-27T19:00"))

    assert "t_worker_001" not in usernames("report_reminder")
    assert User.objects.filter(username="villagecadre").exists()
