"""Route coverage: every page and API operation declares its access rule, and behaves by it."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import get_resolver, path, reverse

from wangge.core.api import api
from wangge.core.routes import AccessRule, access, api_routes, unguarded, url_routes

# Values for path parameters, by name, so every route can be requested. The pages refuse a
# user without their permission before they look the record up, so these need not exist.
EXAMPLE_KWARGS = {
    "code": "620502",
    "user_id": 1,
    "membership_id": 1,
    "assignment_id": 1,
    "department_code": "police-620502001",
    "kind": "staff",
    "target_id": "1",
    "person_id": 1,
    "household_id": 1,
    "house_id": 1,
    "organisation_id": 1,
    "job_id": 1,
    "case_id": 1,
    "attachment_id": 1,
}
RESIDENT_AUDIENCES = {"public", "resident"}  # scoped to the resident's own records
NOT_CHECKED_HERE = {"admin:*", "logout", "set_language", "portal:verify_end"}  # POST-only, admin


def all_routes():  # type: ignore[no-untyped-def]
    return url_routes(get_resolver().url_patterns) + api_routes(api)


def test_every_route_and_api_operation_declares_an_access_rule():
    routes = all_routes()
    assert len(routes) > 10
    assert unguarded(routes) == []


def an_unguarded_view(request):  # type: ignore[no-untyped-def]
    return HttpResponse("hello")


urlpatterns = [
    path("unguarded/", an_unguarded_view, name="unguarded"),
    *get_resolver().url_patterns,
]


@override_settings(ROOT_URLCONF=__name__)
def test_the_coverage_check_names_a_route_added_without_a_rule():
    assert unguarded(url_routes(get_resolver().url_patterns)) == ["unguarded (unguarded/)"]


def test_a_rule_must_name_its_permission():
    with pytest.raises(ValueError):
        access("permission")
    with pytest.raises(ValueError):
        access("signed_in", permission="audit.view_auditentry")
    assert access("public")(an_unguarded_view).access_rule == AccessRule("public")


def checkable_pages():  # type: ignore[no-untyped-def]
    for route in url_routes(get_resolver().url_patterns):
        name = route.name or ""
        if name and name not in NOT_CHECKED_HERE and not name.startswith("admin:"):
            yield route


def url_for(route) -> str:  # type: ignore[no-untyped-def]
    parameters = [part.split(">")[0].split(":")[-1] for part in route.path.split("<")[1:]]
    return reverse(route.name, kwargs={name: EXAMPLE_KWARGS[name] for name in parameters})


@pytest.mark.parametrize("route", list(checkable_pages()), ids=lambda route: route.name)
def test_each_page_answers_strangers_by_its_rule(client, db, route):
    response = client.get(url_for(route))

    if route.name in PUBLIC_RECORD_ROUTES:
        assert response.status_code == 404
    elif route.rule.audience == "public":
        assert response.status_code < 400
    elif route.rule.audience == "resident":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:verify"))
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("route", list(checkable_pages()), ids=lambda route: route.name)
def test_each_page_refuses_a_signed_in_user_without_its_permission(staff_client, route):
    response = staff_client.get(url_for(route))

    if route.rule.audience == "permission":
        assert response.status_code == 403
    elif route.name in PUBLIC_RECORD_ROUTES:
        assert response.status_code == 404
    else:  # a resident page sends a staff member to prove a mobile number first
        assert response.status_code < 400


@pytest.mark.parametrize(
    "route", [r for r in api_routes(api) if r.name.startswith("GET")], ids=lambda r: r.name
)
def test_each_api_operation_answers_strangers_by_its_rule(client, db, route):
    url = "/api/v1/" + route.path.format(**EXAMPLE_KWARGS)
    query = {"q": "620502", "lon": "105.72", "lat": "34.58", "level": "township"}

    response = client.get(url, query)

    expected = {"public": {200}, "signed_in": {401}, "permission": {401}}[route.rule.audience]
    assert response.status_code in expected


# For every scoped route: the persona that holds the route's capability, and a URL to a record
# of the same kind outside that persona's scope (built from the `outsider` persona, a grid
# worker in a township far from the dispatcher's). Each must answer 404.
def outsider_post(outsider):  # type: ignore[no-untyped-def]
    return outsider.memberships.get().pk


def outsider_person(outsider):  # type: ignore[no-untyped-def]
    from wangge.people.tests.factories import person_registered

    return person_registered(region_code=outsider.memberships.get().region_id).pk


def outsider_household(outsider):  # type: ignore[no-untyped-def]
    from wangge.people.models import Household

    return Household.objects.create(address="外乡", region_code="620502103200001").pk


def outsider_house(outsider):  # type: ignore[no-untyped-def]
    from wangge.people.models import House

    return House.objects.create(address="外乡", region_code="620502103200001", building_use="01").pk


def outsider_organisation(outsider):  # type: ignore[no-untyped-def]
    from wangge.people.models import Organisation

    return Organisation.objects.create(
        name="外乡公司", kind="01", address="外乡", region_code="620502103200001"
    ).pk


def outsider_import_job(outsider):  # type: ignore[no-untyped-def]
    from wangge.people.models import ImportJob

    return ImportJob.objects.create(owner=outsider, file_name="外乡.csv", path="/nowhere").pk


def outsider_assignment(outsider):  # type: ignore[no-untyped-def]
    from wangge.regions.models import GridAssignment

    return GridAssignment.objects.filter(grid__code__startswith="620502103").first().pk


OUTSIDER_URLS = {
    "staff:detail": ("dispatcher", lambda o: reverse("staff:detail", args=[o.pk])),
    "staff:post_give": (
        "district_township_admin",
        lambda o: reverse("staff:post_give", args=[o.pk]),
    ),
    "staff:grid_assign": ("dispatcher", lambda o: reverse("staff:grid_assign", args=[o.pk])),
    "staff:password_set": (
        "district_township_admin",
        lambda o: reverse("staff:password_set", args=[o.pk]),
    ),
    "staff:post_end": (
        "district_township_admin",
        lambda o: reverse("staff:post_end", args=[outsider_post(o)]),
    ),
    "staff:grid_end": (
        "dispatcher",
        lambda o: reverse("staff:grid_end", args=[outsider_assignment(o)]),
    ),
    "staff:department": (
        "dispatcher",
        lambda o: reverse("staff:department", args=["police-620502103"]),
    ),
    "GET staff/{user_id}": ("dispatcher", lambda o: f"/api/v1/staff/{o.pk}"),
    "GET people/{person_id}": ("dispatcher", lambda o: f"/api/v1/people/{outsider_person(o)}"),
    "PATCH people/{person_id}": ("dispatcher", lambda o: f"/api/v1/people/{outsider_person(o)}"),
    "people:detail": ("dispatcher", lambda o: reverse("people:detail", args=[outsider_person(o)])),
    "people:edit": ("dispatcher", lambda o: reverse("people:edit", args=[outsider_person(o)])),
    "people:move": ("dispatcher", lambda o: reverse("people:move", args=[outsider_person(o)])),
    "people:close": ("dispatcher", lambda o: reverse("people:close", args=[outsider_person(o)])),
    "people:merge": ("dispatcher", lambda o: reverse("people:merge", args=[outsider_person(o)])),
    "people:tags": ("dispatcher", lambda o: reverse("people:tags", args=[outsider_person(o)])),
    "people:category": (
        "dispatcher",
        lambda o: reverse("people:category", args=[outsider_person(o), "floating"]),
    ),
    "people:category_end": (
        "dispatcher",
        lambda o: reverse("people:category_end", args=[outsider_person(o), "floating"]),
    ),
    "PUT people/{person_id}/categories/{kind}": (
        "dispatcher",
        lambda o: f"/api/v1/people/{outsider_person(o)}/categories/floating",
    ),
    "POST people/{person_id}/categories/{kind}/end": (
        "dispatcher",
        lambda o: f"/api/v1/people/{outsider_person(o)}/categories/floating/end",
    ),
    "PUT people/{person_id}/tags": (
        "dispatcher",
        lambda o: f"/api/v1/people/{outsider_person(o)}/tags",
    ),
    "people:household": (
        "dispatcher",
        lambda o: reverse("people:household", args=[outsider_household(o)]),
    ),
    "people:house": ("dispatcher", lambda o: reverse("people:house", args=[outsider_house(o)])),
    "people:organisation": (
        "dispatcher",
        lambda o: reverse("people:organisation", args=[outsider_organisation(o)]),
    ),
    "people:import_job": (
        "dispatcher",
        lambda o: reverse("people:import_job", args=[outsider_import_job(o)]),
    ),
    "people:import_problems": (
        "dispatcher",
        lambda o: reverse("people:import_problems", args=[outsider_import_job(o)]),
    ),
    "people:import_progress": (
        "dispatcher",
        lambda o: reverse("people:import_progress", args=[outsider_import_job(o)]),
    ),
    "people:house_edit": (
        "dispatcher",
        lambda o: reverse("people:house_edit", args=[outsider_house(o)]),
    ),
    "people:house_resident_add": (
        "dispatcher",
        lambda o: reverse("people:house_resident_add", args=[outsider_house(o)]),
    ),
    "people:house_resident_remove": (
        "dispatcher",
        lambda o: reverse(
            "people:house_resident_remove", args=[outsider_house(o), outsider_person(o)]
        ),
    ),
    "people:household_edit": (
        "dispatcher",
        lambda o: reverse("people:household_edit", args=[outsider_household(o)]),
    ),
    "people:household_member_add": (
        "dispatcher",
        lambda o: reverse("people:household_member_add", args=[outsider_household(o)]),
    ),
    "people:household_member_remove": (
        "dispatcher",
        lambda o: reverse(
            "people:household_member_remove", args=[outsider_household(o), outsider_person(o)]
        ),
    ),
    "people:organisation_edit": (
        "dispatcher",
        lambda o: reverse("people:organisation_edit", args=[outsider_organisation(o)]),
    ),
    "GET houses/{house_id}": ("dispatcher", lambda o: f"/api/v1/houses/{outsider_house(o)}"),
    "PATCH houses/{house_id}": ("dispatcher", lambda o: f"/api/v1/houses/{outsider_house(o)}"),
    "GET households/{household_id}": (
        "dispatcher",
        lambda o: f"/api/v1/households/{outsider_household(o)}",
    ),
    "PATCH households/{household_id}": (
        "dispatcher",
        lambda o: f"/api/v1/households/{outsider_household(o)}",
    ),
    "GET organisations/{organisation_id}": (
        "dispatcher",
        lambda o: f"/api/v1/organisations/{outsider_organisation(o)}",
    ),
    "PATCH organisations/{organisation_id}": (
        "dispatcher",
        lambda o: f"/api/v1/organisations/{outsider_organisation(o)}",
    ),
    "privacy:unmask": ("dispatcher", lambda o: reverse("privacy:unmask", args=["staff", o.pk])),
    "privacy:reads": (
        "township_auditor",
        lambda o: reverse("privacy:reads", args=["staff", o.pk]),
    ),
}

OUTSIDER_MODULES = (
    *(f"wangge.cases.tests.outsider_urls_{part}" for part in ("api", "stats", "admin", "pages")),
    *(
        f"wangge.mediation.tests.outsider_urls_{part}"
        for part in ("disputes", "agreement", "screening", "stats")
    ),
    "wangge.petitions.tests.outsider_urls",
    "wangge.legalaid.tests.outsider_urls",
    *(
        f"wangge.reports.tests.outsider_urls_{part}"
        for part in ("forms", "rollup", "sensitive", "special", "warnings", "dashboard")
    ),
    *(f"wangge.portal.tests.outsider_urls_{part}" for part in ("moderation", "notices")),
)
for module_name in OUTSIDER_MODULES:
    module = __import__(module_name, fromlist=["OUTSIDER_URLS"])
    OUTSIDER_URLS.update(module.OUTSIDER_URLS)
    EXAMPLE_KWARGS.update(getattr(module, "EXAMPLE_KWARGS", {}))

# The residents' portal: public pages of one record (404 for the example values) and routes
# scoped to a resident's own records, checked in wangge/portal/tests/test_resident_routes.py.
PORTAL_MODULES = tuple(
    f"wangge.portal.tests.routes_{part}" for part in ("requests", "public", "hearings")
)
PUBLIC_RECORD_ROUTES: set[str] = set()
RESIDENT_OUTSIDER_URLS: dict = {}
for module_name in PORTAL_MODULES:
    module = __import__(module_name, fromlist=["PUBLIC_RECORD_ROUTES"])
    PUBLIC_RECORD_ROUTES |= module.PUBLIC_RECORD_ROUTES
    RESIDENT_OUTSIDER_URLS.update(module.RESIDENT_OUTSIDER_URLS)
    EXAMPLE_KWARGS.update(module.EXAMPLE_KWARGS)


@pytest.fixture
def township_auditor(db):  # type: ignore[no-untyped-def]
    from conftest import TOWNSHIP, make_persona

    return make_persona("t_township_auditor", "auditor", region=TOWNSHIP)


@pytest.fixture
def district_township_admin(db):  # type: ignore[no-untyped-def]
    """One who holds the capabilities of a district administrator, posted in one township:
    the outsider for administration routes."""
    from conftest import TOWNSHIP, make_persona
    from wangge.accounts.tests.factories import totp_enrolled

    admin = make_persona("t_township_admin", "district_admin", region=TOWNSHIP)
    totp_enrolled(admin)
    return admin


def test_every_scoped_route_has_an_outsider_check():
    scoped = [
        route.name
        for route in all_routes()
        if route.rule and route.rule.scoped and route.rule.audience not in RESIDENT_AUDIENCES
    ]
    assert sorted(scoped) == sorted(OUTSIDER_URLS)


def test_every_route_scoped_to_a_resident_has_an_other_resident_check():
    scoped = [
        route.name
        for route in all_routes()
        if route.rule and route.rule.scoped and route.rule.audience in RESIDENT_AUDIENCES
    ]
    assert sorted(scoped) == sorted(RESIDENT_OUTSIDER_URLS)


@pytest.mark.parametrize("name", sorted(OUTSIDER_URLS))
def test_each_scoped_route_answers_an_outsider_not_found(client, request, outsider, name):
    persona_name, url_for_record = OUTSIDER_URLS[name]
    client.force_login(request.getfixturevalue(persona_name))
    method = name.split()[0] if name.split()[0] in {"PUT", "POST", "PATCH"} else "GET"

    if method == "GET":
        response = client.get(url_for_record(outsider))
    else:  # a body every write operation takes, so that only the scope can refuse it
        body = {"version": 1, "details": {}, "on": "2026-01-01", "tags": []}
        send = getattr(client, method.lower())
        response = send(url_for_record(outsider), body, content_type="application/json")

    assert response.status_code == 404
