"""A resident (a browser that proved a mobile number, with no staff account) reaches no staff
page and no staff API operation, and no other resident's request, registration or comment."""

import pytest
from django.urls import get_resolver, reverse

from conftest import resident_signed_in
from wangge.core.api import api
from wangge.core.routes import api_routes, url_routes
from wangge.core.tests.test_routes import (
    EXAMPLE_KWARGS,
    NOT_CHECKED_HERE,
    PUBLIC_RECORD_ROUTES,
    RESIDENT_OUTSIDER_URLS,
    url_for,
)

RESIDENT_PHONE = "13900000001"
OTHER_PHONE = "13900000002"


def every_page():  # type: ignore[no-untyped-def]
    for route in url_routes(get_resolver().url_patterns):
        name = route.name or ""
        if name and name not in NOT_CHECKED_HERE and not name.startswith("admin:"):
            yield route


@pytest.mark.parametrize("route", list(every_page()), ids=lambda route: route.name)
def test_a_resident_reaches_no_staff_page(client, db, route):
    resident_signed_in(client, RESIDENT_PHONE)

    response = client.get(url_for(route))

    if route.rule.audience in {"signed_in", "permission"}:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif route.name in PUBLIC_RECORD_ROUTES:
        assert response.status_code == 404
    else:  # the portal's own pages, and public ones
        assert response.status_code < 400


def test_the_admin_is_closed_to_a_resident(client, db):
    resident_signed_in(client, RESIDENT_PHONE)

    response = client.get("/admin/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "route", [r for r in api_routes(api) if r.name.startswith("GET")], ids=lambda r: r.name
)
def test_a_resident_reaches_no_staff_api_operation(client, db, route):
    resident_signed_in(client, RESIDENT_PHONE)
    url = "/api/v1/" + route.path.format(**EXAMPLE_KWARGS)

    query = {"q": "620502", "lon": "105.72", "lat": "34.58", "level": "township"}
    response = client.get(url, query)

    if route.rule.audience == "public":
        assert response.status_code == 200
    else:
        assert response.status_code == 401


@pytest.mark.parametrize("name", sorted(RESIDENT_OUTSIDER_URLS))
def test_a_resident_gets_not_found_for_another_residents_record(client, db, name):
    url = RESIDENT_OUTSIDER_URLS[name]()  # made for OTHER_PHONE
    resident_signed_in(client, RESIDENT_PHONE)

    response = client.get(url)

    assert response.status_code == 404
