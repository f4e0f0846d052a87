"""Submissions: drafts, submissions and zero reports of a unit; values checked against the
form; late flags; the approver's approve (locked), return and reopen; version conflicts; the
platform figures that prefill a new draft; the selectors of the pages."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import make_persona
from wangge.accounts.models import User
from wangge.audit.models import AuditEntry
from wangge.cases import services as case_services
from wangge.cases.services import ReportInput
from wangge.regions.models import Region
from wangge.reports import prefill, submissions
from wangge.reports.definitions import FormInput, reportform_create
from wangge.reports.models import ReportForm, SensitivePeriod, Submission
from wangge.reports.periods import Period
from wangge.reports.submissions import SubmissionConflict, Write

ZONE = ZoneInfo("Asia/Shanghai")
VILLAGE, OTHER_VILLAGE, TOWNSHIP = "620502001001", "620502001002", "620502001"
WEEK = datetime.date(2026, 11, 23)  # Monday; due Wednesday 2 December 18:00
ON_TIME = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=ZONE)
LATE = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZONE)
FIELDS = [
    {"name": "found", "label": "排查数", "type": "number", "required": True},
    {"name": "resolved", "label": "化解数", "type": "number", "prefill": "disputes_reported"},
    {"name": "note", "label": "情况说明", "type": "text"},
    {"name": "level", "label": "等级", "type": "choice", "choices": ["一般", "较大"]},
    {"name": "on", "label": "日期", "type": "date"},
    {
        "name": "visits",
        "label": "重点人员走访",
        "type": "table",
        "columns": [
            {"name": "who", "label": "对象", "type": "text"},
            {"name": "times", "label": "次数", "type": "number"},
        ],
    },
]
RULES = [{"left": "resolved", "op": "<=", "right": "found", "message": "化解数不能大于排查数"}]


@pytest.fixture(autouse=True)
def in_english():  # type: ignore[no-untyped-def]
    """The messages are checked in English (the Chinese is the translators' concern)."""
    with translation.override("en"):
        yield


@pytest.fixture
def cadre(db):  # type: ignore[no-untyped-def]
    return make_persona("t_cadre", "village_cadre", region=VILLAGE)


@pytest.fixture
def form(district_admin) -> ReportForm:  # type: ignore[no-untyped-def]
    return reportform_create(
        actor=district_admin,
        data=FormInput(
            code="weekly-t",
            name="测试周报",
            period_type="weekly",
            unit_levels=["village"],
            deadline_working_days=3,
            fields=FIELDS,
            rules=RULES,
        ),
    )


def write(form: ReportForm, version: int = 0, unit: str = VILLAGE, start=WEEK) -> Write:  # type: ignore[no-untyped-def]
    return Write(form, unit, start, version)


GOOD = {
    "found": "5",
    "resolved": "3",
    "note": "本周排查五起",
    "level": "一般",
    "on": "2026-11-25",
    "visits": [{"who": "张某", "times": "2"}, {"who": "", "times": ""}],
}


def submit(cadre, form, raw=None, version=0, now=ON_TIME):  # type: ignore[no-untyped-def]
    return submissions.submission_submit(
        actor=cadre, write=write(form, version), raw=raw or GOOD, now=now
    )


@pytest.mark.django_db
def test_a_unit_saves_a_draft_then_submits_on_time(cadre, form):
    draft = submissions.submission_draft_save(
        actor=cadre, write=write(form), raw={"found": "5"}, now=ON_TIME
    )
    assert (draft.state, draft.values, draft.version) == ("draft", {"found": 5}, 1)

    submitted = submit(cadre, form, version=1)

    assert submitted.state == "submitted" and not submitted.late and not submitted.zero
    assert submitted.values == {
        "found": 5,
        "resolved": 3,
        "note": "本周排查五起",
        "level": "一般",
        "on": "2026-11-25",
        "visits": [{"who": "张某", "times": 2}],
    }
    actions = list(
        AuditEntry.objects.filter(region_code=VILLAGE)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["reports.submission_draft", "reports.submission_submitted"]


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("found", "12a", "排查数"),
        ("found", "1e400", "排查数"),
        ("note", "长" * 2001, "情况说明"),
        ("level", "重大", "等级"),
        ("on", "2026-13-01", "日期"),
        ("visits", [{"who": "张某", "times": "两次"}], "次数"),
    ],
)
@pytest.mark.django_db
def test_a_wrong_value_is_refused_by_its_field_and_nothing_is_saved(
    cadre, form, field, value, says
):
    with pytest.raises(ValidationError) as refused:
        submit(cadre, form, {**GOOD, field: value})

    assert says in " ".join(refused.value.message_dict[field])
    assert not Submission.objects.exists()
    assert not AuditEntry.objects.filter(region_code=VILLAGE).exists()


@pytest.mark.django_db
def test_a_table_of_100000_rows_is_refused_before_it_is_read(cadre, form):
    class Rows(list):  # type: ignore[type-arg]
        def __iter__(self):  # type: ignore[no-untyped-def]
            raise AssertionError("the rows were read")

    rows = Rows([{"who": "x", "times": "1"}] * 100_000)

    with pytest.raises(ValidationError) as refused:
        submit(cadre, form, {**GOOD, "visits": rows})

    assert "1,000" in " ".join(refused.value.message_dict["visits"])
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_broken_rule_is_refused_with_its_message(cadre, form):
    with pytest.raises(ValidationError) as refused:
        submit(cadre, form, {**GOOD, "found": "2", "resolved": "3"})

    assert refused.value.message_dict["resolved"] == ["化解数不能大于排查数"]
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_required_field_is_needed_to_submit_but_not_for_a_draft(cadre, form):
    with pytest.raises(ValidationError) as refused:
        submit(cadre, form, {"resolved": "1"})
    assert "排查数" in " ".join(refused.value.message_dict["found"])

    draft = submissions.submission_draft_save(
        actor=cadre, write=write(form), raw={"resolved": "1"}, now=ON_TIME
    )
    assert draft.values == {"resolved": 1}


@pytest.mark.django_db
def test_a_zero_report_is_a_signed_statement_with_no_values(cadre, form):
    with pytest.raises(ValidationError):
        submissions.submission_zero_declare(
            actor=cadre, write=write(form), statement=False, now=ON_TIME
        )
    assert not Submission.objects.exists()

    zero = submissions.submission_zero_declare(
        actor=cadre, write=write(form), statement=True, now=ON_TIME
    )

    assert (zero.state, zero.zero, zero.values, zero.submitted_by) == ("submitted", True, {}, cadre)
    entry = AuditEntry.objects.get(action="reports.submission_zero")
    assert entry.details["statement"] == "本单位本期无情况可报"
    assert entry.details["signed_by"] == cadre.name


@pytest.mark.django_db
def test_a_submission_after_the_due_moment_is_accepted_and_flagged_late(cadre, form):
    submitted = submit(cadre, form, now=LATE)

    assert submitted.state == "submitted" and submitted.late


@pytest.mark.parametrize(
    ("start", "now", "says"),
    [
        (datetime.date(2026, 11, 24), ON_TIME, "No period"),
        (datetime.date(2026, 11, 30), ON_TIME, "not open yet"),
    ],
)
@pytest.mark.django_db
def test_a_period_that_does_not_exist_or_is_not_open_is_refused(cadre, form, start, now, says):
    with pytest.raises(ValidationError) as refused:
        submissions.submission_submit(
            actor=cadre, write=write(form, start=start), raw=GOOD, now=now
        )
    assert says in " ".join(refused.value.messages)
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_unit_the_user_does_not_hold_is_refused(cadre, form, outsider, dispatcher):
    with pytest.raises(PermissionDenied):
        submissions.submission_submit(
            actor=cadre, write=write(form, unit=OTHER_VILLAGE), raw=GOOD, now=ON_TIME
        )
    with pytest.raises(PermissionDenied):
        submit(outsider, form)  # no permission to submit
    with pytest.raises(ValidationError):  # the township is not of the form's level
        submissions.submission_submit(
            actor=dispatcher, write=write(form, unit=TOWNSHIP), raw=GOOD, now=ON_TIME
        )
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_daily_form_is_owed_only_in_a_sensitive_period(cadre, district_admin):
    daily = reportform_create(
        actor=district_admin,
        data=FormInput(
            code="daily-t",
            name="日报",
            period_type="daily",
            unit_levels=["village"],
            deadline_working_days=0,
            fields=[{"name": "events", "label": "事件数", "type": "number"}],
        ),
    )
    day = datetime.date(2026, 11, 27)
    raw = {"events": "0"}
    with pytest.raises(ValidationError) as refused:
        submissions.submission_submit(
            actor=cadre, write=Write(daily, VILLAGE, day, 0), raw=raw, now=ON_TIME
        )
    assert "does not owe" in " ".join(refused.value.messages)

    SensitivePeriod.objects.create(
        name="敏感期",
        starts_on=day,
        ends_on=day,
        form=daily,
        created_by=district_admin,
        created_at=timezone.now(),
    )
    done = submissions.submission_submit(
        actor=cadre, write=Write(daily, VILLAGE, day, 0), raw=raw, now=ON_TIME
    )
    assert done.late  # due on the evening of the day itself


@pytest.mark.django_db
def test_the_township_approves_and_the_figures_are_locked(cadre, form, dispatcher):
    submitted = submit(cadre, form)

    approved = submissions.submission_approve(
        actor=dispatcher, submission_id=submitted.pk, version=submitted.version
    )

    assert (approved.state, approved.approved_by) == ("approved", dispatcher)
    with pytest.raises(ValidationError) as refused:
        submit(cadre, form, {**GOOD, "found": "9"}, version=approved.version)
    assert "ask the approver to reopen" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        submissions.submission_zero_declare(
            actor=cadre, write=write(form, approved.version), statement=True, now=ON_TIME
        )
    approved.refresh_from_db()
    assert approved.values["found"] == 5


@pytest.mark.django_db
def test_the_approver_reopens_with_a_reason_and_the_unit_corrects(cadre, form, dispatcher):
    submitted = submit(cadre, form)
    approved = submissions.submission_approve(
        actor=dispatcher, submission_id=submitted.pk, version=submitted.version
    )
    with pytest.raises(ValidationError):
        submissions.submission_reopen(
            actor=dispatcher, submission_id=approved.pk, version=approved.version, reason=" "
        )

    reopened = submissions.submission_reopen(
        actor=dispatcher, submission_id=approved.pk, version=approved.version, reason="数字有误"
    )

    assert (reopened.state, reopened.returned_reason) == ("returned", "数字有误")
    entry = AuditEntry.objects.get(action="reports.submission_reopen")
    assert entry.details["reason"] == "数字有误"
    corrected = submit(cadre, form, {**GOOD, "found": "6"}, version=reopened.version)
    assert (corrected.state, corrected.values["found"]) == ("submitted", 6)


@pytest.mark.django_db
def test_the_township_returns_a_report_with_a_reason(cadre, form, dispatcher):
    submitted = submit(cadre, form)
    with pytest.raises(ValidationError):
        submissions.submission_return(
            actor=dispatcher, submission_id=submitted.pk, version=submitted.version, reason=""
        )

    returned = submissions.submission_return(
        actor=dispatcher, submission_id=submitted.pk, version=submitted.version, reason="请补充说明"
    )

    assert (returned.state, returned.returned_reason) == ("returned", "请补充说明")
    with pytest.raises(ValidationError):  # only a submitted report is approved
        submissions.submission_approve(
            actor=dispatcher, submission_id=returned.pk, version=returned.version
        )


@pytest.mark.django_db
def test_nobody_approves_their_own_unit_or_outside_their_scope(cadre, form, dispatcher, outsider):
    submitted = submit(cadre, form)
    for someone in (cadre, outsider):
        with pytest.raises(PermissionDenied):
            submissions.submission_approve(
                actor=someone, submission_id=submitted.pk, version=submitted.version
            )
    far = make_persona("t_far_dispatcher", "dispatcher", region="620502103")
    with pytest.raises(PermissionDenied):
        submissions.submission_approve(
            actor=far, submission_id=submitted.pk, version=submitted.version
        )
    on_behalf = submissions.submission_submit(
        actor=dispatcher,
        write=write(form, submitted.version),
        raw={**GOOD, "found": "7"},
        now=ON_TIME,
    )
    with pytest.raises(ValidationError):  # the township submitted it for the village
        submissions.submission_approve(
            actor=dispatcher, submission_id=on_behalf.pk, version=on_behalf.version
        )
    village_approver = make_persona("t_village_dispatcher", "dispatcher", region=VILLAGE)
    with pytest.raises(PermissionDenied):  # its own unit
        submissions.submission_approve(
            actor=village_approver, submission_id=on_behalf.pk, version=on_behalf.version
        )


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_and_writes_nothing(cadre, form, dispatcher):
    submitted = submit(cadre, form)
    with pytest.raises(SubmissionConflict):
        submit(cadre, form, {**GOOD, "found": "8"}, version=0)
    with pytest.raises(SubmissionConflict):
        submissions.submission_approve(
            actor=dispatcher, submission_id=submitted.pk, version=submitted.version - 1
        )
    submitted.refresh_from_db()
    assert (submitted.state, submitted.values["found"], submitted.version) == ("submitted", 5, 1)


@pytest.mark.django_db
def test_prefill_counts_the_units_disputes_of_the_period(cadre):
    grid = Region.objects.filter(code__startswith=VILLAGE, level="grid").order_by("code")[0]
    when = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=ZONE)
    for _ in range(2):
        case_services.report(
            cadre,
            ReportInput(
                category_code="D0201", description="邻里纠纷", region_code=grid.code, address="某组"
            ),
            now=when,
        )
    week = Period(WEEK, WEEK + datetime.timedelta(days=6))

    figures = prefill.figures(VILLAGE, week)

    assert figures["disputes_reported"] == 2 and figures["cases_reported"] == 2
    assert prefill.figures(OTHER_VILLAGE, week)["disputes_reported"] == 0
    before = Period(WEEK - datetime.timedelta(days=7), WEEK - datetime.timedelta(days=1))
    assert prefill.figures(VILLAGE, before)["disputes_reported"] == 0


@pytest.mark.django_db
def test_my_forms_list_the_open_periods_and_approvals_the_units_below(
    cadre, form, dispatcher, outsider
):
    today = datetime.date(2026, 11, 30)
    rows = submissions.forms_to_submit(cadre, today)
    assert [(row.form.code, row.unit.code) for row in rows][:1] == [("weekly-t", VILLAGE)]
    assert rows[0].period.start == WEEK and rows[0].state == "missing"

    submit(cadre, form)

    rows = submissions.forms_to_submit(cadre, today)
    assert rows[0].state == "submitted"
    waiting = submissions.approvals_waiting(dispatcher)
    assert [(row.region_code, row.unit_name) for row in waiting] == [
        (VILLAGE, waiting[0].unit_name)
    ]
    assert submissions.approvals_waiting(outsider) == []
    assert submissions.approvals_waiting(cadre) == []


@pytest.mark.django_db
def test_the_demo_loads_the_weekly_form_and_last_weeks_reports():
    from wangge.demo.reports import demo_reports_load

    if not User.objects.filter(username="villagecadre").exists():
        make_persona("districtadmin", "district_admin", region="620502")
        make_persona("villagecadre", "village_cadre", region=VILLAGE)
        make_persona("villagecadre2", "village_cadre", region=OTHER_VILLAGE)
    now = datetime.datetime(2026, 12, 2, 15, 0, tzinfo=ZONE)

    assert demo_reports_load(now=now) == 2
    assert demo_reports_load(now=now) == 0  # once

    rows = {s.region_code: s for s in Submission.objects.filter(form__code="weekly-security")}
    assert set(rows) == {VILLAGE, OTHER_VILLAGE}
    assert rows[VILLAGE].period_start == datetime.date(2026, 11, 23)
    assert rows[VILLAGE].values["disputes_found"] >= rows[VILLAGE].values["disputes_resolved"]
    assert rows[OTHER_VILLAGE].zero and rows[OTHER_VILLAGE].values == {}
    assert not any(row.late for row in rows.values())
    assert ReportForm.objects.get(code="sensitive-daily").deadline_working_days == 0
