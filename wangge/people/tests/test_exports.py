"""Exports of the filtered list: masked by default and audited; in full only with the
capabilities and a purpose, audited with the purpose and the number of rows."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wangge.audit.models import AuditEntry
from wangge.people.tests.factories import person_registered


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def cen(db):  # type: ignore[no-untyped-def]
    return person_registered(name="岑彧珺", mobile="13800009999", current_address="测试巷99号")


def csv_rows(response):  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def full_export(client, **changes):  # type: ignore[no-untyped-def]
    data = {"file_format": "csv", "purpose": "verification", "purpose_text": "核实低保名单"}
    url = reverse("people:export_full") + "?text=cyj"
    return client.post(url, {**data, **changes})


def test_a_masked_csv_export_holds_the_filtered_list_and_is_audited(signed_in, dispatcher, cen):
    person_registered(name="岑刚")

    response = signed_in(dispatcher).get(reverse("people:export_csv"), {"text": "cyj"})

    rows = csv_rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert [row[0] for row in rows[1:]] == ["岑彧珺"]
    assert cen.id_number not in response.content.decode("utf-8-sig")
    assert rows[1][5] == "138****9999"
    entry = AuditEntry.objects.filter(action="people.export").latest("id")
    assert entry.details["rows"] == 1
    assert entry.details["full"] is False
    assert entry.details["filters"]["text"] == "cyj"


def test_a_masked_xlsx_export_opens_in_a_spreadsheet(signed_in, dispatcher, cen):
    response = signed_in(dispatcher).get(reverse("people:export_xlsx"), {"text": "cyj"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[1][0] == "岑彧珺"
    assert values[1][3] == "111"
    assert values[1][4] != cen.id_number


def test_a_grid_worker_may_not_export(signed_in, grid_worker_a, cen):
    client = signed_in(grid_worker_a)

    assert client.get(reverse("people:export_csv")).status_code == 403
    assert full_export(client).status_code == 403
    assert not AuditEntry.objects.filter(action="people.export").exists()


def test_a_full_export_with_a_purpose_holds_the_numbers_and_is_audited(signed_in, dispatcher, cen):
    response = full_export(signed_in(dispatcher))

    rows = csv_rows(response)
    assert rows[1][4] == cen.id_number
    assert rows[1][5] == "13800009999"
    entry = AuditEntry.objects.filter(action="people.export").latest("id")
    assert entry.purpose == "核实低保名单"
    assert entry.details["full"] is True
    assert entry.details["purpose"] == "verification"
    assert entry.details["rows"] == 1


def test_a_full_export_without_a_purpose_is_refused_and_writes_nothing(signed_in, dispatcher, cen):
    response = full_export(signed_in(dispatcher), purpose_text="", purpose="")

    assert response.status_code == 200
    assert response.context["form"].errors["purpose"]
    assert response.context["form"].errors["purpose_text"]
    assert not AuditEntry.objects.filter(action="people.export").exists()


def test_a_full_export_with_too_short_a_text_is_refused(signed_in, dispatcher, cen):
    response = full_export(signed_in(dispatcher), purpose_text="查")

    assert response.context["form"].errors["purpose_text"]
    assert not AuditEntry.objects.filter(action="people.export").exists()


def test_an_export_holds_only_people_within_reach(signed_in, dispatcher, cen):
    person_registered(name="岑彧琳", region_code="620502103200001")

    response = signed_in(dispatcher).get(reverse("people:export_csv"), {"text": "岑彧"})

    assert [row[0] for row in csv_rows(response)[1:]] == ["岑彧珺"]


def test_a_cell_that_looks_like_a_formula_is_kept_as_text(signed_in, dispatcher):
    person_registered(name="岑彧珺", occupation="", current_address="=HYPERLINK(1)")

    response = full_export(signed_in(dispatcher))

    assert csv_rows(response)[1][6] == "'=HYPERLINK(1)"


def test_a_search_by_identity_number_is_masked_in_the_audit_entry(signed_in, dispatcher, cen):
    response = signed_in(dispatcher).get(reverse("people:export_csv"), {"text": cen.id_number})

    assert [row[0] for row in csv_rows(response)[1:]] == ["岑彧珺"]
    entry = AuditEntry.objects.filter(action="people.export").latest("id")
    assert entry.details["filters"]["text"] != cen.id_number
    assert entry.details["filters"]["text"][:6] == cen.id_number[:6]
