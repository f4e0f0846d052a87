"""The report pages over HTTP: defining a form from rows, filling in a period (prefill, wrong
values, tables too large, zero reports, conflicts), one submission with the approver's
decisions, and the approvals list; each with its scope (404), permission (403) and bad input."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import make_persona
from wangge.reports import submissions
from wangge.reports.definitions import FormInput, reportform_create
from wangge.reports.models import ReportForm, Submission
from wangge.reports.submissions import Write

ZONE = ZoneInfo("Asia/Shanghai")
VILLAGE, OTHER_VILLAGE = "620502001001", "620502001002"
WEEK = datetime.date(2026, 11, 23)
ON_TIME = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=ZONE)
FIELDS = [
    {"name": "found", "label": "排查数", "type": "number", "required": True},
    {"name": "resolved", "label": "化解数", "type": "number", "prefill": "disputes_reported"},
    {
        "name": "visits",
        "label": "走访",
        "type": "table",
        "columns": [
            {"name": "who", "label": "对象", "type": "text"},
            {"name": "times", "label": "次数", "type": "number"},
        ],
    },
]


@pytest.fixture(autouse=True)
def frozen_in_english():  # type: ignore[no-untyped-def]
    """Monday 30 November 2026: last week (from the 23rd) is open and not yet due."""
    with mock.patch("django.utils.timezone.now", new=lambda: ON_TIME), translation.override("en"):
        yield


@pytest.fixture
def cadre(db):  # type: ignore[no-untyped-def]
    return make_persona("t_cadre", "village_cadre", region=VILLAGE)


@pytest.fixture
def form(district_admin) -> ReportForm:  # type: ignore[no-untyped-def]
    return reportform_create(
        actor=district_admin,
        data=FormInput(
            code="weekly-p",
            name="测试周报",
            period_type="weekly",
            unit_levels=["village"],
            deadline_working_days=3,
            fields=FIELDS,
            rules=[
                {"left": "resolved", "op": "<=", "right": "found", "message": "化解不能多于排查"}
            ],
        ),
    )


def submit_url(form: ReportForm, unit: str = VILLAGE, start: str = "2026-11-23") -> str:
    return reverse("reports:submit", args=[form.code, unit, start])


def english(client):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "en"
    return client


def signed_in(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return english(client)


# --- defining a form --------------------------------------------------------------------------


def definition_post(**extra: str) -> dict[str, str]:
    data = {
        "code": "weekly-new",
        "name": "新周报",
        "period_type": "weekly",
        "unit_levels": "village",
        "deadline_working_days": "3",
        "active": "on",
        "fields-TOTAL_FORMS": "3",
        "fields-INITIAL_FORMS": "0",
        "fields-0-name": "found",
        "fields-0-label": "排查数",
        "fields-0-type": "number",
        "fields-0-required": "on",
        "fields-1-name": "resolved",
        "fields-1-label": "化解数",
        "fields-1-type": "number",
        "fields-1-prefill": "disputes_closed",
        "fields-2-name": "",
        "fields-2-type": "number",
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "0",
        "rules-0-left": "resolved",
        "rules-0-op": "<=",
        "rules-0-right": "found",
        "rules-1-op": "<=",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_an_administrator_defines_a_form_from_rows(client, district_admin):
    client = signed_in(client, district_admin)
    assert client.get(reverse("reports:form_new")).status_code == 200

    response = client.post(reverse("reports:form_new"), definition_post())

    assert response.status_code == 302
    form = ReportForm.objects.get(code="weekly-new")
    assert [each["name"] for each in form.fields] == ["found", "resolved"]
    assert form.rules[0]["right"] == "found"
    assert client.get(reverse("reports:forms")).status_code == 200


@pytest.mark.django_db
def test_a_rule_naming_a_missing_field_is_refused_on_the_page(client, district_admin):
    client = signed_in(client, district_admin)

    response = client.post(
        reverse("reports:form_new"), definition_post(**{"rules-0-right": "handled"})
    )

    assert response.status_code == 400
    assert "handled" in response.content.decode()
    assert not ReportForm.objects.filter(code="weekly-new").exists()


@pytest.mark.django_db
def test_a_form_with_data_refuses_to_lose_a_field_on_the_page(client, district_admin, form, cadre):
    submissions.submission_submit(
        actor=cadre, write=Write(form, VILLAGE, WEEK, 0), raw={"found": "3"}
    )
    client = signed_in(client, district_admin)
    url = reverse("reports:form_edit", args=[form.code])
    assert client.get(url).status_code == 200
    data = definition_post(**{"fields-0-name": "", "rules-0-left": "", "version": "1"})

    response = client.post(url, data)

    assert response.status_code == 400
    assert "found holds submitted data" in response.content.decode()
    form.refresh_from_db()
    assert form.version == 1

    stale = client.post(url, definition_post(**{"version": "0", "fields-0-label": "新"}))
    assert stale.status_code == 409


@pytest.mark.django_db
def test_defining_forms_is_for_administrators(client, dispatcher, form):
    client = signed_in(client, dispatcher)
    assert client.get(reverse("reports:form_new")).status_code == 403
    assert client.post(reverse("reports:form_new"), definition_post()).status_code == 403
    assert client.get(reverse("reports:form_edit", args=[form.code])).status_code == 403
    assert not ReportForm.objects.filter(code="weekly-new").exists()


# --- filling in -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_reports_list_last_week_for_the_village(
    client, cadre, form, django_assert_max_num_queries
):
    client = signed_in(client, cadre)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:forms"))

    page = response.content.decode()
    assert f'data-form="weekly-p" data-unit="{VILLAGE}" data-period="2026-11-23"' in page
    assert submit_url(form) in page


@pytest.mark.django_db
def test_a_new_draft_starts_with_the_platform_figures(client, cadre, form):
    with mock.patch("wangge.reports.prefill.figures", return_value={"disputes_reported": 4}):
        response = signed_in(client, cadre).get(submit_url(form))

    assert response.status_code == 200
    assert 'name="f-resolved" value="4"' in response.content.decode()


@pytest.mark.django_db
def test_a_number_field_with_letters_is_refused_clearly(client, cadre, form):
    response = signed_in(client, cadre).post(
        submit_url(form), {"action": "submit", "version": "0", "f-found": "12a", "f-resolved": "1"}
    )

    assert response.status_code == 400
    assert "排查数: enter a number" in response.content.decode()
    assert 'value="12a"' in response.content.decode()  # what was typed stays
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_report_is_submitted_with_its_table(client, cadre, form):
    response = signed_in(client, cadre).post(
        submit_url(form),
        {
            "action": "submit",
            "version": "0",
            "f-found": "5",
            "f-resolved": "2",
            "t-visits-rows": "2",
            "t-visits-0-who": "张某",
            "t-visits-0-times": "3",
        },
    )

    assert response.status_code == 302
    saved = Submission.objects.get()
    assert saved.values == {"found": 5, "resolved": 2, "visits": [{"who": "张某", "times": 3}]}
    assert saved.state == "submitted" and not saved.late


@pytest.mark.django_db
def test_a_table_of_100000_rows_is_refused_clearly(client, cadre, form):
    response = signed_in(client, cadre).post(
        submit_url(form),
        {"action": "submit", "version": "0", "f-found": "5", "t-visits-rows": "100000"},
    )

    assert response.status_code == 400
    assert "at most 1,000 rows" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_request_with_too_many_fields_gets_a_clear_message(client, cadre, form, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    data = {"action": "submit", "version": "0", "f-found": "5", "t-visits-rows": "60"}
    data.update({f"t-visits-{row}-who": "某" for row in range(60)})

    response = signed_in(client, cadre).post(submit_url(form), data)

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_zero_report_needs_the_ticked_statement(client, cadre, form):
    client = signed_in(client, cadre)
    refused = client.post(submit_url(form), {"action": "zero", "version": "0"})
    assert refused.status_code == 400
    assert not Submission.objects.exists()

    response = client.post(submit_url(form), {"action": "zero", "version": "0", "statement": "on"})

    assert response.status_code == 302
    saved = Submission.objects.get()
    assert (saved.zero, saved.values, saved.state) == (True, {}, "submitted")
    assert "本单位本期无情况可报" in client.get(submit_url(form)).content.decode()


@pytest.mark.django_db
def test_a_stale_form_is_a_conflict(client, cadre, form):
    client = signed_in(client, cadre)
    client.post(submit_url(form), {"action": "draft", "version": "0", "f-found": "1"})

    response = client.post(submit_url(form), {"action": "submit", "version": "0", "f-found": "2"})

    assert response.status_code == 409
    assert Submission.objects.get().values == {"found": 1}


@pytest.mark.django_db
def test_the_submit_page_refuses_others_units_periods_and_users(client, cadre, form, staff_user):
    client = signed_in(client, cadre)
    assert client.get(submit_url(form, unit=OTHER_VILLAGE)).status_code == 404
    assert client.get(submit_url(form, unit="620502001")).status_code == 404  # not a village
    assert client.get(submit_url(form, start="2026-11-24")).status_code == 400  # not a Monday
    assert client.get(submit_url(form, start="2026-11-30")).status_code == 400  # not open yet
    assert client.get(submit_url(form, start="someday")).status_code == 400
    assert client.post(submit_url(form, unit=OTHER_VILLAGE), {"action": "zero"}).status_code == 404
    client = signed_in(client, staff_user)
    assert client.get(submit_url(form)).status_code == 403
    assert client.post(submit_url(form), {"action": "zero", "statement": "on"}).status_code == 403
    assert not Submission.objects.exists()


# --- deciding ---------------------------------------------------------------------------------


def submitted(cadre, form) -> Submission:  # type: ignore[no-untyped-def]
    return submissions.submission_submit(
        actor=cadre, write=Write(form, VILLAGE, WEEK, 0), raw={"found": "3", "resolved": "1"}
    )


@pytest.mark.django_db
def test_the_township_approves_from_the_approvals_page(
    client, cadre, form, dispatcher, django_assert_max_num_queries
):
    report = submitted(cadre, form)
    client = signed_in(client, dispatcher)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:approvals")).content.decode()
    assert f'data-form="weekly-p" data-unit="{VILLAGE}" data-state="submitted"' in page

    response = client.post(
        reverse("reports:submission", args=[report.pk]),
        {"action": "approve", "version": report.version, "next": "approvals"},
    )

    assert response.status_code == 302 and response["Location"] == reverse("reports:approvals")
    report.refresh_from_db()
    assert report.state == "approved"
    locked = signed_in(client, cadre).post(
        submit_url(form), {"action": "submit", "version": report.version, "f-found": "9"}
    )
    assert locked.status_code == 400
    assert "ask the approver to reopen" in locked.content.decode()


@pytest.mark.django_db
def test_returning_needs_a_reason_and_reopening_too(client, cadre, form, dispatcher):
    report = submitted(cadre, form)
    client = signed_in(client, dispatcher)
    url = reverse("reports:submission", args=[report.pk])
    assert client.get(url).status_code == 200

    refused = client.post(url, {"action": "return", "version": report.version, "reason": ""})
    assert refused.status_code == 400
    assert client.post(url, {"action": "dance", "version": report.version}).status_code == 400
    stale = client.post(url, {"action": "approve", "version": report.version + 5})
    assert stale.status_code == 409
    report.refresh_from_db()
    assert report.state == "submitted"

    client.post(url, {"action": "approve", "version": report.version})
    report.refresh_from_db()
    response = client.post(url, {"action": "reopen", "version": report.version, "reason": "有误"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.returned_reason) == ("returned", "有误")


@pytest.mark.django_db
def test_the_submission_page_by_permission_and_scope(client, cadre, form, outsider, staff_user):
    report = submitted(cadre, form)
    url = reverse("reports:submission", args=[report.pk])
    client = signed_in(client, cadre)
    assert client.get(url).status_code == 200  # the unit sees its own report
    assert client.post(url, {"action": "approve", "version": report.version}).status_code == 403
    other = make_persona("t_cadre2", "village_cadre", region=OTHER_VILLAGE)
    assert signed_in(client, other).get(url).status_code == 404
    assert signed_in(client, staff_user).get(url).status_code == 403
    assert signed_in(client, staff_user).post(url, {"action": "approve"}).status_code == 403
    report.refresh_from_db()
    assert report.state == "submitted"


@pytest.mark.django_db
def test_the_approvals_page_is_for_approvers(client, cadre, staff_user):
    assert signed_in(client, cadre).get(reverse("reports:approvals")).status_code == 403
    assert signed_in(client, staff_user).get(reverse("reports:forms")).status_code == 403


def test_a_request_with_too_many_fields_gets_a_page_that_says_nothing_was_saved(staff_user):
    """CSRF reads the body before any view; Django then answers 400 with templates/400.html."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    client.get("/reports/")  # any page with a form sets the token
    token = client.cookies["csrftoken"].value
    fields = {f"f{n}": "1" for n in range(26_000)}
    response = client.post("/reports/", {"csrfmiddlewaretoken": token, **fields})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未保存任何内容" in page or "Nothing was saved" in page
