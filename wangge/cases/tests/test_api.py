"""The cases API: reporting, reading, acting, duplicates and categories, with scope (404),
permission (403), bad input (422, nothing written) and conflicts (409)."""

import pytest

from conftest import GRID_A
from wangge.audit.models import AuditEntry
from wangge.cases import services
from wangge.cases.models import Case, CaseEvent
from wangge.cases.services import ReportInput
from wangge.cases.tests.conftest import URBAN_CATEGORY

API = "/api/v1"


def post(client, url, body):  # type: ignore[no-untyped-def]
    return client.post(API + url, body, content_type="application/json")


def report_body(point, **changes):  # type: ignore[no-untyped-def]
    body = {
        "category": URBAN_CATEGORY,
        "description": "路边垃圾堆积",
        "lon": point[0],
        "lat": point[1],
    }
    body.update(changes)
    return body


@pytest.fixture
def reported(grid_worker_a, grid_point):  # type: ignore[no-untyped-def]
    """A case in grid A, reported by grid worker A through the service."""
    data = ReportInput(URBAN_CATEGORY, "路边垃圾堆积", lon=grid_point[0], lat=grid_point[1])
    return services.report(grid_worker_a, data)


def act(client, case, action, version=None, **given):  # type: ignore[no-untyped-def]
    case.refresh_from_db()
    body = {"action": action, "version": case.version if version is None else version, **given}
    return post(client, f"/cases/{case.pk}/actions", body)


# --- reporting ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_grid_worker_reports_a_case_and_reads_it_back(  # type: ignore[no-untyped-def]
    client, grid_worker_a, grid_point
):
    client.force_login(grid_worker_a)

    response = post(client, "/cases", report_body(grid_point, title="垃圾", urgent=True))

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["region_code"] == GRID_A and created["status"] == "reported"
    assert created["urgent"] is True and created["title"] == "垃圾"
    assert [event["action"] for event in created["timeline"]] == ["report"]
    case = Case.objects.get(pk=created["id"])
    assert case.number == created["number"] and case.channel == "api"
    detail = client.get(f"{API}/cases/{case.pk}").json()
    assert detail["number"] == case.number and detail["version"] == 1


@pytest.mark.django_db
def test_a_phone_in_report_names_a_grid_and_an_address(client, dispatcher):  # type: ignore[no-untyped-def]
    client.force_login(dispatcher)
    body = {
        "category": URBAN_CATEGORY,
        "description": "来电反映垃圾",
        "region_code": GRID_A,
        "address": "进步巷12号",
        "channel": "phone",
        "reporter_name": "张三",
        "reporter_phone": "13800138000",
    }

    response = post(client, "/cases", body)

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["address"] == "进步巷12号" and created["channel"] == "phone"
    assert created["reporter_phone_masked"] != "13800138000"
    assert "13800138000" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "X99"}, "category"),
        ({"category": "E01"}, "category"),  # a class, not a leaf
        ({"lon": None, "lat": None}, "location"),
        ({"lon": 116.4, "lat": 39.9}, "location"),  # Beijing: outside the district
        ({"description": "x" * 1_000_000}, "description"),
        ({"description": "  "}, "description"),
        ({"crs": "mercator"}, "crs"),
        ({"lon": None, "lat": None, "region_code": GRID_A}, "address"),
    ],
)
def test_bad_reports_are_refused_by_field_and_write_nothing(  # type: ignore[no-untyped-def]
    client, grid_worker_a, grid_point, changes, field
):
    client.force_login(grid_worker_a)
    before = (Case.objects.count(), CaseEvent.objects.count())

    response = post(client, "/cases", report_body(grid_point, **changes))

    assert response.status_code == 422, response.content
    error = response.json()
    assert error["code"] == "invalid" and error["message"]
    assert [key for key in error["fields"] if key.split(".")[-1] == field], error["fields"]
    assert (Case.objects.count(), CaseEvent.objects.count()) == before


@pytest.mark.django_db
def test_reporting_needs_the_capability(client, leader, grid_point):  # type: ignore[no-untyped-def]
    client.force_login(leader)
    before = Case.objects.count()

    response = post(client, "/cases", report_body(grid_point))

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_strangers_are_asked_to_sign_in(client, reported):  # type: ignore[no-untyped-def]
    assert client.get(f"{API}/cases").status_code == 401
    assert client.get(f"{API}/cases/{reported.pk}").status_code == 401
    assert post(client, "/cases", {}).status_code == 401
    assert client.get(f"{API}/case-categories").status_code == 401


# --- reading ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_cases_in_reach_filtered_with_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    client, dispatcher, outsider, grid_worker_a, grid_point, django_assert_max_num_queries
):
    data = ReportInput(URBAN_CATEGORY, "路边垃圾", lon=grid_point[0], lat=grid_point[1])
    mine = [services.report(grid_worker_a, data) for _ in range(3)]
    far = services.report(
        None,
        ReportInput(URBAN_CATEGORY, "外乡垃圾", region_code="620502103200001", address="外乡"),
    )
    client.force_login(dispatcher)

    # the session, the user, their posts and permissions, then the count and the page
    with django_assert_max_num_queries(12):
        response = client.get(f"{API}/cases", {"limit": 2})

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 3 and len(page["items"]) == 2
    numbers = {item["number"] for item in client.get(f"{API}/cases").json()["items"]}
    assert numbers == {case.number for case in mine} and far.number not in numbers
    by_number = client.get(f"{API}/cases", {"q": mine[0].number}).json()
    assert [item["id"] for item in by_number["items"]] == [mine[0].pk]
    for query, count in [
        ({"status": "reported", "region": GRID_A, "category": "E01"}, 3),
        ({"status": "closed"}, 0),
        ({"region": "620502103"}, 0),
        ({"overdue": "true"}, 0),
        ({"overdue": "false", "supervised": "false", "listed": "false"}, 3),
        ({"supervised": "true"}, 0),
        ({"listed": "true"}, 0),
    ]:
        assert client.get(f"{API}/cases", query).json()["count"] == count, query


@pytest.mark.django_db
def test_an_outsider_gets_not_found_for_a_case_out_of_reach(  # type: ignore[no-untyped-def]
    client, outsider, reported
):
    client.force_login(outsider)

    assert client.get(f"{API}/cases/{reported.pk}").status_code == 404
    response = act(client, reported, "comment", reason="看看")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"{API}/cases").json()["count"] == 0
    assert reported.events.count() == 1
    attempts = AuditEntry.objects.filter(actor_id=outsider.pk, target_id=str(reported.pk))
    assert attempts.count() == 2


@pytest.mark.django_db
def test_someone_in_reach_without_the_case_capability_is_refused(  # type: ignore[no-untyped-def]
    client, auditor, reported
):
    client.force_login(auditor)  # the whole district in reach, but no case capability

    assert client.get(f"{API}/cases").status_code == 403
    assert client.get(f"{API}/cases/{reported.pk}").status_code == 403
    assert act(client, reported, "comment", reason="看看").status_code == 403
    assert reported.events.count() == 1


@pytest.mark.django_db
def test_the_detail_names_the_actions_the_caller_may_take(  # type: ignore[no-untyped-def]
    client, dispatcher, grid_worker_a, reported, django_assert_max_num_queries
):
    client.force_login(dispatcher)

    with django_assert_max_num_queries(16):
        detail = client.get(f"{API}/cases/{reported.pk}").json()

    codes = [action["code"] for action in detail["actions"]]
    assert "register" in codes and "cancel" in codes
    assert all(action["label"] for action in detail["actions"])
    client.force_login(grid_worker_a)
    mine = client.get(f"{API}/cases/{reported.pk}").json()
    assert "register" not in [action["code"] for action in mine["actions"]]


# --- acting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_case_goes_from_report_to_close_through_the_api(  # type: ignore[no-untyped-def]
    client, dispatcher, urban_handler, grid_worker_a, reported
):
    client.force_login(dispatcher)
    assert act(client, reported, "register").status_code == 200
    dispatched = act(client, reported, "dispatch", instructions="请尽快清理").json()
    assert dispatched["status"] == "dispatched"
    assert dispatched["lead_department"] and dispatched["tasks"][0]["lead"] is True
    client.force_login(urban_handler)
    assert act(client, reported, "accept").json()["status"] == "handling"
    assert act(client, reported, "feed_back", reason="已清理").json()["status"] == "fed_back"
    client.force_login(grid_worker_a)

    closed = act(client, reported, "verify").json()

    assert closed["status"] == "closed" and closed["closed_at"]
    assert [event["action"] for event in closed["timeline"]] == [
        "report",
        "register",
        "dispatch",
        "accept",
        "feed_back",
        "verify",
    ]


@pytest.mark.django_db
def test_an_action_that_is_not_the_callers_is_forbidden(  # type: ignore[no-untyped-def]
    client, grid_worker_a, reported
):
    client.force_login(grid_worker_a)

    response = act(client, reported, "register")

    assert response.status_code == 403
    assert response.json()["code"] == "not_your_action"
    reported.refresh_from_db()
    assert reported.status == "reported" and reported.events.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "given", "code"),
    [
        ("verify", {}, "not_allowed_now"),
        ("fly", {}, "unknown_action"),
        ("", {}, "unknown_action"),
        ("cancel", {}, "reason_required"),
    ],
)
def test_an_action_not_possible_now_is_refused_with_the_workflows_code(  # type: ignore[no-untyped-def]
    client, dispatcher, reported, action, given, code
):
    client.force_login(dispatcher)

    response = act(client, reported, action, **given)

    assert response.status_code == 422
    assert response.json()["code"] == code
    reported.refresh_from_db()
    assert reported.version == 1 and reported.events.count() == 1


@pytest.mark.django_db
def test_a_replayed_transition_is_a_conflict_naming_what_changed(  # type: ignore[no-untyped-def]
    client, dispatcher, reported
):
    client.force_login(dispatcher)
    assert act(client, reported, "register", version=1).status_code == 200

    response = act(client, reported, "register", version=1)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["message"]
    assert body["current_version"] == 2
    assert [change["action"] for change in body["changes"]] == ["register"]
    assert body["changes"][0]["actor"] == dispatcher.name
    assert reported.events.count() == 2


@pytest.mark.django_db
def test_a_forged_task_or_bad_values_are_refused_and_write_nothing(  # type: ignore[no-untyped-def]
    client, dispatcher, urban_handler, reported
):
    client.force_login(dispatcher)
    act(client, reported, "register")
    refused_dispatch = act(client, reported, "dispatch", lead_department_id=999999)
    assert refused_dispatch.status_code == 422
    assert "lead_department" in refused_dispatch.json()["fields"]
    act(client, reported, "dispatch")
    client.force_login(urban_handler)
    reported.refresh_from_db()
    events = reported.events.count()

    forged = act(client, reported, "accept", task_id=999999)
    too_long = act(client, reported, "accept", reason="x" * 2001)
    not_a_number = act(client, reported, "accept", task_id="one")

    assert (forged.status_code, forged.json()["code"]) == (422, "unknown_task")
    assert (too_long.status_code, too_long.json()["code"]) == (422, "invalid")
    assert "reason" in too_long.json()["fields"]
    assert (not_a_number.status_code, not_a_number.json()["code"]) == (422, "invalid")
    reported.refresh_from_db()
    assert reported.status == "dispatched" and reported.events.count() == events


# --- duplicates and categories ------------------------------------------------------------


@pytest.mark.django_db
def test_likely_duplicates_are_the_callers_visible_open_cases_nearby(  # type: ignore[no-untyped-def]
    client, grid_worker_a, outsider, reported, grid_point
):
    query = {"category": URBAN_CATEGORY, "lon": grid_point[0], "lat": grid_point[1]}
    client.force_login(grid_worker_a)

    found = client.get(f"{API}/cases/duplicates", query).json()

    assert [case["number"] for case in found] == [reported.number]
    assert found[0]["distance_m"] == 0
    client.force_login(outsider)
    assert client.get(f"{API}/cases/duplicates", query).json() == []


@pytest.mark.django_db
def test_duplicates_refuse_bad_input_and_callers_who_cannot_report(  # type: ignore[no-untyped-def]
    client, grid_worker_a, leader, grid_point
):
    client.force_login(grid_worker_a)
    missing = client.get(f"{API}/cases/duplicates", {"category": URBAN_CATEGORY})
    outside = client.get(
        f"{API}/cases/duplicates", {"category": URBAN_CATEGORY, "lon": 116.4, "lat": 39.9}
    )
    assert missing.status_code == 422 and "lon" in missing.json()["fields"]
    assert outside.status_code == 422 and "location" in outside.json()["fields"]
    client.force_login(leader)
    query = {"category": URBAN_CATEGORY, "lon": grid_point[0], "lat": grid_point[1]}
    assert client.get(f"{API}/cases/duplicates", query).status_code == 403


@pytest.mark.django_db
def test_categories_come_as_a_tree_or_as_the_leaves_with_their_extra_fields(  # type: ignore[no-untyped-def]
    client, grid_worker_a
):
    client.force_login(grid_worker_a)

    tree = client.get(f"{API}/case-categories").json()
    leaves = client.get(f"{API}/case-categories", {"leaves": "true"}).json()

    urban = next(node for node in tree if node["code"] == "E01")
    assert urban["parent_code"] is None and not urban["leaf"]
    assert URBAN_CATEGORY in [child["code"] for child in urban["children"]]
    assert all(leaf["leaf"] and leaf["children"] == [] for leaf in leaves)
    assert any(leaf["extra_fields"] for leaf in leaves)
    with_fields = next(leaf for leaf in leaves if leaf["extra_fields"])
    assert {"name", "label", "type"} <= set(with_fields["extra_fields"][0])


def test_the_openapi_document_lists_every_case_operation(client, db):  # type: ignore[no-untyped-def]
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths["/api/v1/cases"]) == {"get", "post"}
    assert set(paths["/api/v1/cases/duplicates"]) == {"get"}
    assert set(paths["/api/v1/cases/{case_id}"]) == {"get"}
    assert set(paths["/api/v1/cases/{case_id}/actions"]) == {"post"}
    assert set(paths["/api/v1/case-categories"]) == {"get"}
    conflict = paths["/api/v1/cases/{case_id}/actions"]["post"]["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"]
