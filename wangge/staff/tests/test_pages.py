"""The staff pages: list, a person's reach, new accounts, passwords, departments."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wangge.accounts.models import Department, User
from wangge.audit.models import AuditEntry
from wangge.staff import services


def test_the_list_shows_masked_mobiles_and_current_posts(signed_in, district_admin):
    User.objects.filter(username="dispatcher").update(mobile="13812345678")

    response = signed_in(district_admin).get(reverse("staff:list"), {"text": "dispatcher"})

    text = response.content.decode()
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "调度员" in text or "dispatcher" in text


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(signed_in, district_admin):
    client = signed_in(district_admin)
    client.get(reverse("staff:list"))  # session and permission caches warm

    with CaptureQueriesContext(connection) as first:
        client.get(reverse("staff:list"))
    with CaptureQueriesContext(connection) as filtered:
        client.get(reverse("staff:list"), {"region": "620502001", "role": "grid_worker"})

    assert len(first) == len(filtered)
    assert len(first) <= 12


def test_the_list_refuses_a_bad_region_code_clearly(signed_in, district_admin):
    response = signed_in(district_admin).get(reverse("staff:list"), {"region": "62x"})

    assert response.status_code == 200
    assert "6、9、12 或 15 位数字" in response.content.decode()


def test_a_dispatcher_lists_only_their_township(signed_in, dispatcher):
    response = signed_in(dispatcher).get(reverse("staff:list"), {"region": "620502103"})

    assert response.context["page"].paginator.count == 0


def test_the_reach_page_shows_posts_capabilities_and_assignments(signed_in, district_admin):
    worker = User.objects.get(username="gridworker")

    response = signed_in(district_admin).get(reverse("staff:detail", args=[worker.pk]))

    reach = response.context["reach"]
    assert [region.code for region in reach.regions] == ["620502001001001"]
    assert reach.assignments
    assert reach.capabilities


def test_a_new_account_must_change_its_password_and_is_audited(signed_in, district_admin):
    response = signed_in(district_admin).post(
        reverse("staff:create"), {"username": "newworker", "name": "新网格员", "mobile": ""}
    )

    created = User.objects.get(username="newworker")
    assert created.must_change_password
    password = response.context["accounts"][0].password
    assert created.check_password(password)
    assert AuditEntry.objects.filter(action="staff.user_created", target_id=str(created.pk))


def test_a_new_account_with_bad_input_is_refused_and_nothing_saved(signed_in, district_admin):
    response = signed_in(district_admin).post(
        reverse("staff:create"),
        {"username": "dispatcher", "name": "重名", "mobile": "12345", "password": "short"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"mobile", "password"} <= set(errors)
    assert User.objects.filter(username="dispatcher").count() == 1
    assert not AuditEntry.objects.filter(action="staff.user_created").exists()


def test_a_duplicate_user_name_is_refused(signed_in, district_admin):
    response = signed_in(district_admin).post(
        reverse("staff:create"), {"username": "dispatcher", "name": "重名"}
    )

    assert "username" in response.context["form"].errors
    assert User.objects.filter(username="dispatcher").count() == 1


def test_a_dispatcher_may_not_create_accounts(signed_in, dispatcher):
    response = signed_in(dispatcher).post(
        reverse("staff:create"), {"username": "sneaky", "name": "偷偷"}
    )

    assert response.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


def test_an_administrator_sets_a_password_that_must_be_changed(
    signed_in, district_admin, grid_worker_a
):
    url = reverse("staff:password_set", args=[grid_worker_a.pk])
    client = signed_in(district_admin)

    mismatch = client.post(url, {"password": "Abcdefgh1234", "repeated": "Abcdefgh1235"})
    assert mismatch.status_code == 200
    grid_worker_a.refresh_from_db()
    assert not grid_worker_a.must_change_password

    client.post(url, {"password": "Abcdefgh1234", "repeated": "Abcdefgh1234"})
    grid_worker_a.refresh_from_db()
    assert grid_worker_a.check_password("Abcdefgh1234")
    assert grid_worker_a.must_change_password
    assert AuditEntry.objects.filter(action="staff.password_set").count() == 1


def test_departments_are_listed_and_their_categories_changed(signed_in, district_admin):
    department = Department.objects.get(code="police-620502001")
    url = reverse("staff:department", args=[department.code])
    client = signed_in(district_admin)
    seen = services.department_fingerprint(department)

    listing = client.get(reverse("staff:departments"))
    assert department.name in listing.content.decode()

    bad = client.post(url, {"name": department.name, "category_codes": "220 !!", "seen": seen})
    assert "!!" in bad.content.decode()
    assert Department.objects.get(pk=department.pk).category_codes == []

    client.post(url, {"name": department.name, "category_codes": "220，230 220", "seen": seen})
    assert Department.objects.get(pk=department.pk).category_codes == ["220", "230"]
    assert AuditEntry.objects.filter(action="staff.department_changed").count() == 1

    stale = client.post(url, {"name": "改名", "category_codes": "", "seen": seen})
    assert "其他人刚刚修改了这个部门" in stale.content.decode()
    assert Department.objects.get(pk=department.pk).name == department.name


def test_a_dispatcher_reads_but_may_not_change_a_department(signed_in, dispatcher):
    url = reverse("staff:department", args=["police-620502001"])
    client = signed_in(dispatcher)

    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "改名", "category_codes": "", "seen": "x"}).status_code == 403
    assert client.get(reverse("staff:department", args=["police-620502002"])).status_code == 404
