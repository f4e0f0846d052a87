"""Monthly dispute screening: periods, submissions (zero reports, disputes, late, locked),
the township's completeness page, and the quarterly report checked against the records."""

import datetime
import io
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_persona
from wangge.accounts.models import Department
from wangge.audit.models import AuditEntry
from wangge.cases import services
from wangge.cases.models import Case
from wangge.cases.services import ReportInput
from wangge.mediation import screening, screening_report
from wangge.mediation.models import Dispute, MediationBody, Screening, ScreeningSettings
from wangge.regions.models import Region

ZONE = ZoneInfo("Asia/Shanghai")
TOWNSHIP = "620502001"
VILLAGE_A, VILLAGE_B, VILLAGE_C = "620502001001", "620502001002", "620502001003"
FAR_VILLAGE = "620502103200"
JULY = datetime.date(2026, 7, 1)
AUGUST_3 = datetime.datetime(2026, 8, 3, 10, 0, tzinfo=ZONE)


def travel(moment: datetime.datetime):  # type: ignore[no-untyped-def]
    """Today is `moment` for the code under test (decorator or context manager)."""
    return mock.patch("django.utils.timezone.now", new=lambda: moment)


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, 0, tzinfo=ZONE)


def grid_of(village: str) -> str:
    return Region.objects.filter(code__startswith=village, level="grid").order_by("code")[0].code


def body_at(region_code: str, code: str) -> MediationBody:
    unit = Department.objects.create(
        code=code, name=code, kind="justice", region_id=region_code, category_codes=[]
    )
    return MediationBody.objects.create(department=unit, type="people")


def dispute(
    actor,  # type: ignore[no-untyped-def]
    village: str,
    when: datetime.datetime,
    *,
    category: str = "D0201",
    body: MediationBody | None = None,
    status: str | None = None,
    outcome: str = "",
) -> Case:
    """A dispute case reported in the village's first grid at `when`, with its mediation
    record when a body is given; `status` is set directly (the workflow is not the subject)."""
    case = services.report(
        actor,
        ReportInput(
            category_code=category,
            description="邻里纠纷：排水",
            region_code=grid_of(village),
            address="测试地址",
        ),
        now=when,
    )
    if body is not None:
        Dispute.objects.create(
            case=case,
            body=body,
            moj_category="邻里",
            scale="01",
            entry="active",
            target_on=when.date() + datetime.timedelta(days=30),
            outcome=outcome,
        )
    if status is not None:
        Case.objects.filter(pk=case.pk).update(status=status)
        case.refresh_from_db()
    return case


@pytest.fixture
def cadre_a(db):  # type: ignore[no-untyped-def]
    return make_persona("t_cadre_a", "village_cadre", region=VILLAGE_A)


@pytest.fixture
def cadre_b(db):  # type: ignore[no-untyped-def]
    return make_persona("t_cadre_b", "village_cadre", region=VILLAGE_B)


@pytest.fixture
def reporter(db):  # type: ignore[no-untyped-def]
    return make_persona("t_reporter", "dispatcher", region="620502")


def submission(village: str, *, zero: bool = False, case_ids=(), start=JULY):  # type: ignore[no-untyped-def]
    return screening.SubmissionInput(
        region_code=village, period_start=start, zero=zero, case_ids=list(case_ids)
    )


# --- periods (no database needed for the arithmetic, but the settings row is read) ------------


def test_a_village_screens_monthly_by_default_and_is_due_five_days_after(db):
    period = screening.period_of(VILLAGE_A, JULY)

    assert (period.start, period.end, period.due_on) == (
        JULY,
        datetime.date(2026, 7, 31),
        datetime.date(2026, 8, 5),
    )
    assert not period.open_on(datetime.date(2026, 7, 30))
    assert period.open_on(datetime.date(2026, 7, 31))


def test_villages_screen_every_half_month_where_the_district_sets_it(db):
    ScreeningSettings.objects.create(district_code="620502", village_cadence="half_monthly")

    second = screening.period_of(VILLAGE_A, datetime.date(2026, 7, 16))

    assert (second.start, second.end) == (datetime.date(2026, 7, 16), datetime.date(2026, 7, 31))
    assert screening.period_of(TOWNSHIP, JULY).end == datetime.date(2026, 7, 31)
    with pytest.raises(ValidationError):
        screening.period_of(TOWNSHIP, datetime.date(2026, 7, 16))


# --- submitting -------------------------------------------------------------------------------


@travel(AUGUST_3)
def test_a_zero_report_is_recorded_on_time_and_audited(cadre_a):
    report = screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A, zero=True))

    assert report.zero and not report.late and report.due_on == datetime.date(2026, 8, 5)
    assert AuditEntry.objects.filter(action="mediation.screening_submit").count() == 1


@travel(AUGUST_3)
def test_a_unit_lists_the_disputes_it_found(cadre_a, reporter):
    found = dispute(reporter, VILLAGE_A, at(2026, 7, 10))

    report = screening.screening_submit(
        actor=cadre_a, data=submission(VILLAGE_A, case_ids=[found.pk])
    )

    assert list(report.disputes.all()) == [found]


@travel(datetime.datetime(2026, 8, 10, 9, 0, tzinfo=ZONE))
def test_a_report_after_the_due_date_is_accepted_and_flagged_late(cadre_a):
    report = screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A, zero=True))

    assert report.late


@travel(datetime.datetime(2026, 7, 20, 9, 0, tzinfo=ZONE))
def test_a_period_not_yet_at_its_last_day_is_not_open(cadre_a):
    with pytest.raises(ValidationError, match="尚未开放"):
        screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A, zero=True))

    assert not Screening.objects.exists()


@travel(AUGUST_3)
def test_a_zero_report_with_disputes_is_refused(cadre_a, reporter):
    found = dispute(reporter, VILLAGE_A, at(2026, 7, 10))

    with pytest.raises(ValidationError, match="零报告不列"):
        screening.screening_submit(
            actor=cadre_a, data=submission(VILLAGE_A, zero=True, case_ids=[found.pk])
        )
    assert not Screening.objects.exists()


@travel(AUGUST_3)
def test_a_report_with_neither_disputes_nor_zero_is_refused(cadre_a):
    with pytest.raises(ValidationError, match="请选择零报告"):
        screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A))
    assert not Screening.objects.exists()


@travel(AUGUST_3)
def test_a_dispute_of_another_unit_or_period_cannot_be_listed(cadre_a, reporter):
    elsewhere = dispute(reporter, VILLAGE_B, at(2026, 7, 10))
    earlier = dispute(reporter, VILLAGE_A, at(2026, 6, 10))
    urban = services.report(
        reporter,
        ReportInput("E0102", "垃圾", region_code=grid_of(VILLAGE_A), address="某处"),
        now=at(2026, 7, 10),
    )

    for case in (elsewhere, earlier, urban):
        with pytest.raises(ValidationError, match="只能列出本单位"):
            screening.screening_submit(
                actor=cadre_a, data=submission(VILLAGE_A, case_ids=[case.pk])
            )
    assert not Screening.objects.exists()


@travel(AUGUST_3)
def test_a_unit_outside_ones_posts_or_without_the_permission_is_refused(cadre_a, leader):
    with pytest.raises(PermissionDenied):
        screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_B, zero=True))
    with pytest.raises(PermissionDenied):
        screening.screening_submit(actor=leader, data=submission(VILLAGE_A, zero=True))
    assert not Screening.objects.exists()


@travel(AUGUST_3)
def test_a_report_can_be_corrected_until_the_township_locks_it(cadre_a, reporter, dispatcher):
    found = dispute(reporter, VILLAGE_A, at(2026, 7, 10))
    screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A, zero=True))

    corrected = screening.screening_submit(
        actor=cadre_a, data=submission(VILLAGE_A, case_ids=[found.pk])
    )
    assert not corrected.zero and corrected.disputes.count() == 1
    assert Screening.objects.count() == 1

    assert screening.screening_lock(actor=dispatcher, parent_code=TOWNSHIP, period_start=JULY) == 1
    with pytest.raises(ValidationError, match="已锁定"):
        screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A, zero=True))
    assert not Screening.objects.get().zero


def test_a_village_cadre_cannot_lock_the_township(cadre_a):
    with pytest.raises(PermissionDenied):
        screening.screening_lock(actor=cadre_a, parent_code=TOWNSHIP, period_start=JULY)


# --- the "done when" scenario: zero, disputes, nothing ----------------------------------------


@pytest.fixture
def three_villages(cadre_a, cadre_b, reporter):  # type: ignore[no-untyped-def]
    """July 2026: A reports zero, B lists two disputes, C (and the others) report nothing."""
    with travel(AUGUST_3):
        first = dispute(reporter, VILLAGE_B, at(2026, 7, 5))
        second = dispute(reporter, VILLAGE_B, at(2026, 7, 20))
        screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A, zero=True))
        screening.screening_submit(
            actor=cadre_b, data=submission(VILLAGE_B, case_ids=[first.pk, second.pk])
        )


def test_the_township_sees_zero_submitted_and_missing_units(three_villages):
    parent = Region.objects.get(code=TOWNSHIP)
    period = screening.period_of(VILLAGE_A, JULY)

    table = screening.completeness(parent, period, datetime.date(2026, 8, 10))

    states = {row.region.code: (row.state, row.disputes, row.overdue) for row in table.units}
    assert states[VILLAGE_A] == ("zero", 0, False)
    assert states[VILLAGE_B] == ("submitted", 2, False)
    assert states[VILLAGE_C] == ("missing", 0, True)
    assert {row.region.code: row.recorded for row in table.units if row.recorded} == {VILLAGE_B: 2}
    villages = Region.objects.filter(parent_id=TOWNSHIP, level="village").count()
    assert table.counts == {
        "units": villages,
        "zero": 1,
        "submitted": 1,
        "missing": villages - 2,
        "late": 0,
        "disputes": 2,
    }


def test_the_township_page_shows_exactly_that(client, dispatcher, three_villages):
    client.force_login(dispatcher)

    with travel(datetime.datetime(2026, 8, 10, 9, 0, tzinfo=ZONE)):
        response = client.get(
            reverse("mediation:screening_units"), {"parent": TOWNSHIP, "period": "2026-07-01"}
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-unit="{VILLAGE_A}" data-state="zero"' in html
    assert f'data-unit="{VILLAGE_B}" data-state="submitted"' in html
    assert f'data-unit="{VILLAGE_C}" data-state="missing"' in html
    assert '<dd data-count="zero">1</dd>' in html
    assert '<dd data-count="submitted">1</dd>' in html
    assert '<dd data-count="disputes">2</dd>' in html
    assert "2 起纠纷" in html and "零报告" in html and "逾期未报" in html


def test_the_completeness_page_reads_a_fixed_number_of_queries(
    client, dispatcher, three_villages, django_assert_max_num_queries
):
    client.force_login(dispatcher)
    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("mediation:screening_units"), {"parent": TOWNSHIP, "period": "2026-07-01"}
        )
    assert response.status_code == 200


def test_a_zero_report_beside_recorded_disputes_is_pointed_out(
    client, dispatcher, cadre_a, reporter
):
    with travel(AUGUST_3):
        dispute(reporter, VILLAGE_A, at(2026, 7, 10))
        screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A, zero=True))
    client.force_login(dispatcher)

    response = client.get(
        reverse("mediation:screening_units"), {"parent": TOWNSHIP, "period": "2026-07-01"}
    )

    assert "报零，但有已登记纠纷" in response.content.decode()


@travel(AUGUST_3)
def test_the_unit_page_reads_a_fixed_number_of_queries(
    client, cadre_a, reporter, django_assert_max_num_queries
):
    for day in (3, 10, 20):
        dispute(reporter, VILLAGE_A, at(2026, 7, day))
    client.force_login(cadre_a)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("mediation:screening"))
    assert response.status_code == 200 and response.content.decode().count('name="disputes"') == 3


# --- the quarterly report against the records -------------------------------------------------


@pytest.fixture
def quarter_cases(reporter):  # type: ignore[no-untyped-def]
    """Disputes of 2026 at every level and state, and some that must not count."""
    village_body = body_at(VILLAGE_A, "t-mediation-village")
    township_body = body_at(TOWNSHIP, "t-justice-township")
    county_body = body_at("620502", "t-county-mediation")
    made = [
        dispute(reporter, VILLAGE_A, at(2026, 7, 2), body=village_body),
        dispute(
            reporter,
            VILLAGE_A,
            at(2026, 7, 9),
            body=village_body,
            status="closed",
            outcome="agreement",
        ),
        dispute(reporter, VILLAGE_B, at(2026, 8, 12), body=township_body, status="handling"),
        dispute(
            reporter,
            VILLAGE_B,
            at(2026, 8, 31),
            category="D0101",
            body=township_body,
            status="fed_back",
        ),
        dispute(
            reporter,
            VILLAGE_C,
            at(2026, 9, 30),
            category="D99",
            body=county_body,
            status="closed",
            outcome="no_agreement",
        ),
        dispute(reporter, VILLAGE_C, at(2026, 9, 15), category="D0901"),  # no body: village
        dispute(reporter, VILLAGE_A, at(2026, 5, 3), body=village_body, status="closed"),
        # Not counted for the township in Q3: another quarter, cancelled, another township.
        dispute(reporter, VILLAGE_A, at(2026, 10, 1)),
        dispute(reporter, VILLAGE_A, at(2025, 9, 1)),
        dispute(reporter, VILLAGE_A, at(2026, 8, 1), status="cancelled"),
        dispute(reporter, FAR_VILLAGE, at(2026, 8, 1), body=county_body, status="handling"),
    ]
    return made


def counted(region: str, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The three figures counted straight from the records."""
    cases = (
        Case.objects.filter(kind="dispute", region_code__startswith=region)
        .filter(
            reported_at__gte=datetime.datetime.combine(start, datetime.time(), ZONE),
            reported_at__lt=datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time(), ZONE
            ),
        )
        .exclude(status="cancelled")
    )
    closed_with_outcome = Dispute.objects.filter(
        case__in=cases.filter(status="closed"), outcome__in=["agreement", "no_agreement"]
    )
    return {
        "found": cases.count(),
        "handled": cases.filter(
            Q(status="handling") | Q(status="suspended") | Q(status="fed_back") | Q(status="closed")
        ).count(),
        "completed": closed_with_outcome.count(),
    }


@pytest.mark.parametrize("region", [TOWNSHIP, "620502"])
def test_the_quarterly_report_adds_up_to_the_cases_in_the_database(quarter_cases, region):
    report = screening_report.quarter_report(Region.objects.get(code=region), 2026, 3)

    july, august, september, year = report.blocks
    for block, (start, end) in [
        (july, (datetime.date(2026, 7, 1), datetime.date(2026, 7, 31))),
        (august, (datetime.date(2026, 8, 1), datetime.date(2026, 8, 31))),
        (september, (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))),
        (year, (datetime.date(2026, 1, 1), datetime.date(2026, 9, 30))),
    ]:
        expected = counted(region, start, end)
        assert {figure: block.grand(figure) for figure in expected} == expected


def test_the_quarterly_report_splits_by_class_and_mediating_level(quarter_cases):
    report = screening_report.quarter_report(Region.objects.get(code=TOWNSHIP), 2026, 3)
    july, august, september, year = report.blocks

    assert july.cells["D02"]["village"] == {"found": 2, "handled": 1, "completed": 1}
    assert august.cells["D02"]["township"] == {"found": 1, "handled": 1, "completed": 0}
    assert august.cells["D01"]["township"] == {"found": 1, "handled": 1, "completed": 0}
    assert september.cells["D99"]["county"] == {"found": 1, "handled": 1, "completed": 1}
    assert september.cells["D09"]["village"] == {"found": 1, "handled": 0, "completed": 0}
    assert year.cells["D02"]["village"] == {"found": 3, "handled": 2, "completed": 1}
    assert [code for code, _name in report.classes][:2] == ["D01", "D02"]
    assert report.classes[-1][0] == "D99" and len(report.classes) == 17


def test_the_quarterly_report_is_compiled_by_one_query_for_the_figures(
    quarter_cases, django_assert_num_queries
):
    region = Region.objects.get(code=TOWNSHIP)
    with django_assert_num_queries(2):  # the classes, then the figures
        screening_report.quarter_report(region, 2026, 3)


def test_the_quarterly_report_page_and_its_spreadsheet_show_the_same_totals(
    client, dispatcher, quarter_cases
):
    client.force_login(dispatcher)
    query = {"region": TOWNSHIP, "year": "2026", "quarter": "3"}

    page = client.get(reverse("mediation:screening_quarter"), query)
    export = client.get(reverse("mediation:screening_quarter_export"), query)

    assert page.status_code == 200
    assert "排查数" in page.content.decode()
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    totals = [row for row in rows if row[:2] == [None, "合计"]]
    assert len(totals) == 4
    expected = counted(TOWNSHIP, datetime.date(2026, 1, 1), datetime.date(2026, 9, 30))
    assert totals[-1][-3:] == [expected["found"], expected["handled"], expected["completed"]]
    assert AuditEntry.objects.filter(action="mediation.screening_report_export").count() == 1


def test_the_quarterly_report_refuses_a_bad_quarter(client, dispatcher):
    client.force_login(dispatcher)
    response = client.get(
        reverse("mediation:screening_quarter"), {"region": TOWNSHIP, "quarter": "5"}
    )
    assert response.status_code == 400


# --- the unit's page --------------------------------------------------------------------------


@travel(AUGUST_3)
def test_a_village_cadre_submits_a_zero_report_on_the_page(client, cadre_a):
    client.force_login(cadre_a)
    url = reverse("mediation:screening")

    page = client.get(url)
    response = client.post(
        url, {"unit": VILLAGE_A, "period": "2026-07-01", "zero": "on", "confirm": "on"}
    )

    assert page.status_code == 200 and "2026-07-01 – 2026-07-31" in page.content.decode()
    assert response.status_code == 302
    report = Screening.objects.get()
    assert (report.region_code, report.zero, report.submitted_by) == (VILLAGE_A, True, cadre_a)


@travel(AUGUST_3)
def test_the_page_lists_the_units_disputes_to_pick(client, cadre_a, reporter):
    found = dispute(reporter, VILLAGE_A, at(2026, 7, 10))
    client.force_login(cadre_a)

    response = client.post(
        reverse("mediation:screening"),
        {"unit": VILLAGE_A, "period": "2026-07-01", "disputes": [found.pk], "confirm": "on"},
    )

    assert response.status_code == 302
    assert list(Screening.objects.get().disputes.all()) == [found]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"period": "2026-08-01", "zero": "on"}, "尚未开放"),
        ({"period": "2026-07-01"}, "零报告"),
        ({"period": "2026-07-01", "zero": "on", "disputes": ["{case}"]}, "零报告不列"),
        ({"period": "2026-07-01", "disputes": ["{other}"]}, "只能列出本单位"),
    ],
)
@travel(AUGUST_3)
def test_bad_reports_are_refused_with_a_clear_message_and_nothing_saved(
    client, cadre_a, reporter, fields, message
):
    own = dispute(reporter, VILLAGE_A, at(2026, 7, 10))
    other = dispute(reporter, VILLAGE_B, at(2026, 7, 10))
    data = {"unit": VILLAGE_A, "confirm": "on", **fields}
    if "disputes" in data:
        data["disputes"] = [
            str(own.pk) if d == "{case}" else str(other.pk) for d in data["disputes"]
        ]
    client.force_login(cadre_a)

    response = client.post(reverse("mediation:screening"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Screening.objects.exists()


@travel(AUGUST_3)
def test_an_unconfirmed_report_is_refused(client, cadre_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("mediation:screening"), {"unit": VILLAGE_A, "period": "2026-07-01", "zero": "on"}
    )
    assert response.status_code == 400
    assert not Screening.objects.exists()


@travel(AUGUST_3)
def test_a_locked_report_is_refused_on_the_page(client, cadre_a, dispatcher):
    screening.screening_submit(actor=cadre_a, data=submission(VILLAGE_A, zero=True))
    client.force_login(dispatcher)
    locked = client.post(
        reverse("mediation:screening_lock"), {"parent": TOWNSHIP, "period": "2026-07-01"}
    )
    client.force_login(cadre_a)

    response = client.post(
        reverse("mediation:screening"),
        {"unit": VILLAGE_A, "period": "2026-07-01", "zero": "", "note": "改", "confirm": "on"},
    )

    assert locked.status_code == 302 and Screening.objects.get().locked
    assert response.status_code == 400
    assert Screening.objects.get().note == ""


# --- scope and permission ---------------------------------------------------------------------


@travel(AUGUST_3)
def test_another_units_screening_is_not_found(client, cadre_a, cadre_b):
    screening.screening_submit(actor=cadre_b, data=submission(VILLAGE_B, zero=True))
    client.force_login(cadre_a)

    page = client.get(reverse("mediation:screening"), {"unit": VILLAGE_B})
    post = client.post(
        reverse("mediation:screening"),
        {"unit": VILLAGE_B, "period": "2026-07-01", "zero": "on", "confirm": "on"},
    )

    assert page.status_code == 404 and post.status_code == 404
    assert Screening.objects.get().submitted_by == cadre_b


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("screening_units", {"parent": "620502103"}),
        ("screening_quarter", {"region": "620502103"}),
        ("screening_quarter_export", {"region": "620502103"}),
        ("screening_lock", {"parent": "620502103"}),
    ],
)
def test_a_township_dispatcher_gets_not_found_for_another_township(client, dispatcher, name, query):
    client.force_login(dispatcher)
    assert client.get(reverse(f"mediation:{name}"), query).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "screening",
        "screening_units",
        "screening_lock",
        "screening_quarter",
        "screening_quarter_export",
    ],
)
def test_the_pages_refuse_a_user_without_the_permission(client, grid_worker_a, name):
    client.force_login(grid_worker_a)
    assert client.get(reverse(f"mediation:{name}")).status_code == 403


def test_a_village_cadre_cannot_see_the_completeness_page(client, cadre_a):
    client.force_login(cadre_a)
    assert client.get(reverse("mediation:screening_units")).status_code == 403
