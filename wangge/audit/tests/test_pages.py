"""The auditor's log page and its CSV export."""

import csv
import datetime
import io
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wangge.audit import services
from wangge.audit.models import AuditEntry
from wangge.regions.models import Region

SHANGHAI = ZoneInfo("Asia/Shanghai")
FORMULA = '=HYPERLINK("http://x")'


def record_at(moment: datetime.datetime, **fields: object) -> AuditEntry:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return services.record(**fields)  # type: ignore[arg-type]


def local(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def history(staff_user):  # type: ignore[no-untyped-def]
    region = Region.objects.get(code="620502001001001")
    return [
        record_at(local(1, 10), actor=staff_user, action="auth.login", target=staff_user),
        record_at(
            local(2, 23, 30),
            actor=staff_user,
            action="person.read_unmasked",
            target=region,
            purpose="核实低保申请",
            region_code=region.code,
        ),
        record_at(
            local(3, 0, 10), actor=None, action="auth.login_failed", details={"username": FORMULA}
        ),
    ]


def listed(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [entry.pk for entry in response.context["page"].object_list]


@pytest.mark.parametrize("url", ["/audit/", "/audit/export.csv"])
def test_strangers_are_sent_to_sign_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/audit/", "/audit/export.csv"])
def test_signed_in_users_without_the_permission_are_refused_and_that_is_recorded(
    client, district_admin, url
):
    client.force_login(district_admin)
    before = AuditEntry.objects.count()

    assert client.get(url).status_code == 403
    assert AuditEntry.objects.count() == before + 1  # the refusal, and no export
    refusal = AuditEntry.objects.latest("id")
    assert (refusal.action, refusal.actor_id) == ("access.denied", district_admin.pk)
    assert refusal.details == {"path": url, "method": "GET"}


def test_reading_the_log_does_not_allow_exporting_it(client, staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    client.force_login(staff_user)

    page = client.get("/audit/")

    assert page.status_code == 200 and "export.csv" not in page.content.decode()
    assert client.get("/audit/export.csv").status_code == 403


def test_the_auditor_sees_entries_newest_first_with_who_what_and_why(auditor_client, history):
    response = auditor_client.get("/audit/")
    html = response.content.decode()

    assert response.status_code == 200
    ids = listed(response)
    assert ids == sorted(ids, reverse=True)
    assert {entry.pk for entry in history} <= set(ids)
    assert "person.read_unmasked" in html and "核实低保申请" in html
    assert "2026-03-02 23:30:00" in html  # shown in Asia/Shanghai time
    assert "/audit/export.csv" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=staff", [1, 0]),
        ("action=auth.login", [0]),
        ("action=auth.", [2, 0]),
        ("target_type=regions.region", [1]),
        ("target_type=regions.region&target_id=620502001001001", [1]),
        ("target_id=620502999", []),
        ("date_from=2026-03-02&date_to=2026-03-02", [1]),  # local days, not UTC days
        ("date_from=2026-03-03", "newer"),
        ("date_to=2026-03-01&actor=staff", [0]),
    ],
)
def test_filters_narrow_the_list(auditor_client, history, query, expected):
    response = auditor_client.get(f"/audit/?{query}")

    ids = listed(response)
    if expected == "newer":
        assert history[2].pk in ids and history[1].pk not in ids
    else:
        assert [pk for pk in ids if pk >= history[0].pk] == [history[i].pk for i in expected]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-13-45", "date_from"),
        ("date_from=2026-03-05&date_to=2026-03-01", "date_to"),
        ("action=DROP TABLE", "action"),
        ("actor=" + "x" * 151, "actor"),
    ],
)
def test_a_bad_filter_says_what_is_wrong_and_lists_nothing(auditor_client, history, query, message):
    response = auditor_client.get(f"/audit/?{query}")
    html = response.content.decode()

    assert response.status_code == 400
    assert message in response.context["form"].errors
    assert 'role="alert"' in html and f'id="id_{message}-error"' in html
    assert response.context["page"] is None and "<tbody>" not in html


def test_fifty_entries_a_page_in_two_queries_of_the_log(auditor_client, db):
    for _ in range(60):
        services.record(actor=None, action="test.paging")
    services.record(actor=None, action="test.single")
    auditor_client.get("/audit/")  # a first request may set up the session

    # Read each capture at once: the next request empties Django's query log.
    with CaptureQueriesContext(connection) as capture:
        auditor_client.get("/audit/?action=test.single")
    one_row = [query["sql"] for query in capture.captured_queries]
    with CaptureQueriesContext(connection) as capture:
        first = auditor_client.get("/audit/?action=test.paging")
    full_page = [query["sql"] for query in capture.captured_queries]
    second = auditor_client.get("/audit/?action=test.paging&page=2")

    assert (len(listed(first)), len(listed(second))) == (50, 10)
    assert len([sql for sql in full_page if "audit_auditentry" in sql]) == 2  # count, page
    assert len(full_page) == len(one_row) <= 12
    assert "?action=test.paging&amp;page=2" in first.content.decode()
    assert auditor_client.get("/audit/?page=nonsense").status_code == 200


def test_the_page_has_no_inline_script_or_style(auditor_client, history):
    html = auditor_client.get("/audit/").content.decode()

    assert "<script" not in html and "style=" not in html and "<style" not in html


def exported(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_export_is_csv_of_the_filtered_rows_and_is_itself_recorded(
    auditor_client, auditor, history
):
    response = auditor_client.get("/audit/export.csv?actor=staff&date_to=2026-03-31")

    rows = exported(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert [row[0] for row in rows[1:]] == [str(history[0].pk), str(history[1].pk)]
    assert rows[2][1] == "2026-03-02 23:30:00" and rows[2][8] == "核实低保申请"
    export = AuditEntry.objects.filter(action="audit.export").latest("id")
    assert export.actor_id == auditor.pk
    assert export.details == {
        "filter": {"actor": "staff", "date_to": "2026-03-31"},
        "rows": 2,
        "up_to_id": history[1].pk,
    }


def test_exported_cells_cannot_run_as_spreadsheet_formulas(auditor_client, history):
    rows = exported(auditor_client.get("/audit/export.csv?action=auth.login_failed"))

    details = rows[-1][9]
    assert details.startswith("{") and FORMULA.replace('"', '\\"') in details
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_an_export_with_a_bad_filter_is_refused_and_not_recorded(auditor_client, history):
    before = AuditEntry.objects.count()

    response = auditor_client.get("/audit/export.csv?date_from=yesterday")

    assert response.status_code == 400
    assert AuditEntry.objects.count() == before
