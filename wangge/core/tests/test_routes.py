"""Route coverage: every page and API operation declares its access rule, and behaves by it."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import get_resolver, path, reverse

from wangge.core.api import api
from wangge.core.routes import AccessRule, access, api_routes, unguarded, url_routes

# Values for path parameters, by name, so every route can be requested.
EXAMPLE_KWARGS = {"code": "620502"}
NOT_CHECKED_HERE = {"admin:*", "logout", "set_language"}  # Django's own, POST-only or admin


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

    if route.rule.audience == "public":
        assert response.status_code < 400
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("route", list(checkable_pages()), ids=lambda route: route.name)
def test_each_page_refuses_a_signed_in_user_without_its_permission(staff_client, route):
    response = staff_client.get(url_for(route))

    if route.rule.audience == "permission":
        assert response.status_code == 403
    else:
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


def test_no_route_is_scoped_yet_without_an_outsider_check():
    """Scoped routes must be checked with an outsider persona (404); add them to
    OUTSIDER_URLS in this file as they appear, and this test keeps the list complete."""
    outsider_urls: dict[str, str] = {}
    scoped = [route.name for route in all_routes() if route.rule and route.rule.scoped]
    assert sorted(scoped) == sorted(outsider_urls)
