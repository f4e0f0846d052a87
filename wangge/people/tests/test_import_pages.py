"""The import pages: upload → background job → people; failure → problems workbook; scope."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from wangge.people.models import ImportJob, Person
from wangge.people.tests import import_files as files


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "ENQUEUE_ON_COMMIT": False,
        }
    }
    settings.DATA_DIR = tmp_path


def upload(client, content: bytes, name: str = "people.csv", **fields):  # type: ignore[no-untyped-def]
    data = {"encoding": "auto", "policy": "stop", **fields}
    data["file"] = io.BytesIO(content)
    data["file"].name = name
    return client.post(reverse("people:import"), data)


def test_an_upload_becomes_a_job_that_imports_the_people(
    client, grid_worker_a, django_capture_on_commit_callbacks
):
    client.force_login(grid_worker_a)
    rows = [files.row(name="王芳"), files.row(name="李娜")]

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, files.csv_bytes(rows))

    job = ImportJob.objects.get(owner=grid_worker_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import_job", args=[job.pk])
    assert job.status == "done" and job.summary["created"] == 2
    assert Person.objects.filter(id_number__in=[r["id_number"] for r in rows]).count() == 2
    page = client.get(response["Location"])
    assert page.status_code == 200 and "refresh" not in page.content.decode()


def test_a_bad_file_fails_the_job_with_a_problems_workbook(
    client, grid_worker_a, django_capture_on_commit_callbacks
):
    client.force_login(grid_worker_a)
    rows = [files.row(name="测试甲"), files.row(region_code="620502001001002")]  # grid B

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, files.csv_bytes(rows))

    job = ImportJob.objects.get(owner=grid_worker_a)
    assert job.status == "failed"
    assert not Person.objects.filter(name="测试甲").exists()
    response = client.get(reverse("people:import_problems", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert list(sheet.iter_rows(values_only=True))[1][:2] == (3, "网格编码")


def test_an_oversize_upload_is_refused_on_the_form(client, grid_worker_a, settings):
    client.force_login(grid_worker_a)
    settings.WANGGE_IMPORT_MAX_BYTES = 50

    response = upload(client, files.csv_bytes([files.row()]))

    assert response.status_code == 200
    assert not ImportJob.objects.exists()


def test_the_job_of_another_user_is_not_found(client, grid_worker_a, grid_worker_b):
    job = ImportJob.objects.create(owner=grid_worker_a, file_name="a.csv", path="/nowhere")
    client.force_login(grid_worker_b)

    assert client.get(reverse("people:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("people:import_problems", args=[job.pk])).status_code == 404


def test_those_who_may_not_register_people_may_not_import(client, leader):
    client.force_login(leader)

    assert client.get(reverse("people:import")).status_code == 403
    assert client.get(reverse("people:import_template")).status_code == 403


def test_a_running_job_page_refreshes_itself(client, grid_worker_a):
    job = ImportJob.objects.create(
        owner=grid_worker_a, file_name="a.csv", path="/nowhere", done_rows=5, total_rows=10
    )
    client.force_login(grid_worker_a)

    page = client.get(reverse("people:import_job", args=[job.pk])).content.decode()

    assert 'http-equiv="refresh"' in page and 'value="50"' in page


def test_the_template_has_the_chinese_headers_and_an_example_that_imports(client, grid_worker_a):
    client.force_login(grid_worker_a)

    response = client.get(reverse("people:import_template"))

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("公民身份号码", "姓名")
    from wangge.people import imports
    from wangge.people.importers import people_file_parse

    parsed = people_file_parse(response.content, filename="t.xlsx")
    assert imports.people_import(actor=None, parsed=parsed, file_name="t.xlsx").created == 1
