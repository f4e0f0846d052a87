"""Progress of a running import on its page: the task's progress file (both stages), the JSON
the page's script polls, and the page without JavaScript."""

import pytest
from django.urls import reverse

from wangge.people import imports
from wangge.people.models import ImportJob, ImportStatus
from wangge.people.tests import import_files as files


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path


@pytest.fixture
def running_job(grid_worker_a):  # type: ignore[no-untyped-def]
    return ImportJob.objects.create(
        owner=grid_worker_a,
        file_name="people.csv",
        path="/nowhere",
        status=ImportStatus.RUNNING,
        stage="writing",
        total_rows=10000,
    )


def progress_of(client, job):  # type: ignore[no-untyped-def]
    return client.get(reverse("people:import_progress", args=[job.pk]))


def test_the_progress_shows_the_rows_written_so_far(
    client, grid_worker_a, running_job, django_assert_num_queries
):
    client.force_login(grid_worker_a)
    imports.progress_write(running_job.pk, "written", 4000, 10000)

    # Session, user, role, permissions (5); the job (1), its progress from the file; the
    # session is not written (a poll does not move the idle expiry).
    with django_assert_num_queries(6):
        data = progress_of(client, running_job).json()
    page = client.get(reverse("people:import_job", args=[running_job.pk])).content.decode()

    assert (data["running"], data["stage"], data["done"], data["total"]) == (
        True,
        "written",
        4000,
        10000,
    )
    assert data["percent"] == 40 and data["text"] == "已写入 4000 / 10000 行"
    assert 'value="40"' in page and "已写入 4000 / 10000 行" in page


def test_the_page_follows_the_job_with_a_script_and_refreshes_without_one(
    client, grid_worker_a, running_job
):
    client.force_login(grid_worker_a)

    page = client.get(reverse("people:import_job", args=[running_job.pk])).content.decode()

    progress_url = reverse("people:import_progress", args=[running_job.pk])
    assert f'data-import-progress="{progress_url}"' in page
    assert "people-import.js" in page and "<script>" not in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "已校验，正在写入。" in page  # checked, no batch written yet


def test_a_finished_job_reports_its_end_and_its_page_has_no_script(client, grid_worker_a):
    job = ImportJob.objects.create(
        owner=grid_worker_a, file_name="a.csv", path="/nowhere", status=ImportStatus.DONE
    )
    client.force_login(grid_worker_a)

    data = progress_of(client, job).json()
    page = client.get(reverse("people:import_job", args=[job.pk])).content.decode()

    assert data["running"] is False and data["status"] == "done"
    assert "people-import.js" not in page and "refresh" not in page


def test_the_progress_of_another_users_job_is_not_found(client, grid_worker_b, running_job):
    client.force_login(grid_worker_b)

    assert progress_of(client, running_job).status_code == 404


def test_those_who_may_not_import_may_not_follow_an_import(client, leader, running_job):
    running_job.owner = leader
    running_job.save()
    client.force_login(leader)

    assert progress_of(client, running_job).status_code == 403


def test_an_unknown_job_a_post_or_a_damaged_progress_file_are_answered_plainly(
    client, grid_worker_a, running_job
):
    client.force_login(grid_worker_a)
    imports.progress_path(running_job.pk).write_text('{"stage": "written", "done": ')

    missing = client.get(reverse("people:import_progress", args=[running_job.pk + 1]))
    posted = client.post(reverse("people:import_progress", args=[running_job.pk]))
    damaged = progress_of(client, running_job)

    assert (missing.status_code, posted.status_code) == (404, 405)
    assert damaged.status_code == 200
    assert (damaged.json()["stage"], damaged.json()["total"]) == ("writing", 10000)


def test_the_task_reports_both_stages_where_the_page_reads_them_and_cleans_up(
    grid_worker_a, monkeypatch
):
    rows = [files.row(name="王芳") for _ in range(7)]  # all in grid A, the worker's
    job = ImportJob.objects.create(owner=grid_worker_a, file_name="people.csv", path="")
    upload = imports.imports_folder() / f"{job.pk}.csv"
    upload.write_bytes(files.csv_bytes(rows))
    ImportJob.objects.filter(pk=job.pk).update(path=str(upload))
    monkeypatch.setattr(imports, "BATCH", 3)
    seen = []
    write = imports.progress_write

    def watched(job_id, stage, done, total):  # type: ignore[no-untyped-def]
        write(job_id, stage, done, total)
        shown = imports.job_progress(ImportJob.objects.get(pk=job_id))
        seen.append((shown.stage, shown.done, shown.total))

    monkeypatch.setattr(imports, "progress_write", watched)

    finished = imports.import_job_run(job.pk)

    assert finished.status == "done" and finished.summary["created"] == 7
    assert ("validated", 7, 7) in seen
    assert [item for item in seen if item[0] == "written"] == [
        ("written", 3, 7),
        ("written", 6, 7),
        ("written", 7, 7),
    ]
    assert not imports.progress_path(job.pk).exists()


@pytest.mark.browser
def test_the_job_page_moves_its_bar_without_reloading(page, site_url):  # type: ignore[no-untyped-def]
    """The demo runs no task worker, so the upload stays queued; the progress the page's
    script polls is answered here, as the endpoint above answers it."""
    import json
    import re

    from playwright.sync_api import expect

    from wangge.people.tests.test_browser import save, shot, sign_in

    answer = {
        "status": "running",
        "status_label": "运行中",
        "running": True,
        "stage": "written",
        "done": 4000,
        "total": 10000,
        "percent": 40,
        "text": "已写入 4000 / 10000 行",
    }
    polled = []

    def progress(route):  # type: ignore[no-untyped-def]
        polled.append(route.request.url)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    page.route(re.compile(r".*/people/import/\d+/progress/$"), progress)
    sign_in(page, site_url, "gridworker")
    page.goto(site_url + "/people/import/")
    page.set_input_files(
        "input[type=file]",
        files=[
            {"name": "people.csv", "mimeType": "text/csv", "buffer": "公民身份号码,姓名\n".encode()}
        ],
    )
    save(page)
    page.wait_for_url(re.compile(r".*/people/import/\d+/$"))
    page.evaluate("window.notReloaded = true")

    expect(page.get_by_text("已写入 4000 / 10000 行")).to_be_visible()

    assert page.locator("progress").get_attribute("value") == "40"
    assert page.evaluate("window.notReloaded") is True
    assert polled
    shot(page, "import-progress")
    page.unroute(re.compile(r".*/people/import/\d+/progress/$"))
