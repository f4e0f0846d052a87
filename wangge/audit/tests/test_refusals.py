"""Refused attempts land in the audit log: CSRF failures, 403s of pages and of the API, and
unknown or expired session cookies. Each is refused, recorded, and changes nothing else."""

import json

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client
from ninja.errors import AuthorizationError, HttpError

from wangge.audit.models import AuditEntry
from wangge.core.api import ApiError, api


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


@pytest.fixture
def csrf_client(staff_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    return client


def test_a_form_sent_without_its_csrf_token_is_refused_recorded_and_has_no_effect(
    csrf_client, staff_user
):
    before = AuditEntry.objects.count()

    response = csrf_client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "audit/403_csrf.html" in [template.name for template in response.templates]
    assert 'role="alert"' in response.content.decode()
    (entry,) = entries("security.csrf_failed")
    assert (entry.actor_id, entry.ip) == (staff_user.pk, "127.0.0.1")
    assert entry.details["path"] == "/accounts/logout/" and entry.details["method"] == "POST"
    assert "CSRF" in entry.details["reason"]
    assert AuditEntry.objects.count() == before + 1  # no sign-out was recorded: none happened
    assert csrf_client.get("/").wsgi_request.user == staff_user  # still signed in


def test_a_sign_in_sent_without_its_csrf_token_is_recorded_without_a_user(db):
    client = Client(enforce_csrf_checks=True)
    before = AuditEntry.objects.count()

    response = client.post("/accounts/login/", {"username": "staff", "password": "x"})

    assert response.status_code == 403
    (entry,) = entries("security.csrf_failed")
    assert entry.actor_id is None and entry.details["path"] == "/accounts/login/"
    assert AuditEntry.objects.count() == before + 1  # the form was never read: no failed sign-in


def test_a_refused_page_shows_the_refusal_page(client, resident):
    client.force_login(resident)

    response = client.get("/audit/")

    assert response.status_code == 403
    assert "audit/403.html" in [template.name for template in response.templates]
    (entry,) = entries("access.denied")
    assert entry.actor_id == resident.pk


def test_a_missing_page_is_not_recorded(client, resident):
    client.force_login(resident)
    before = AuditEntry.objects.count()

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "audit/404.html" in [template.name for template in response.templates]
    assert AuditEntry.objects.count() == before


def api_request(rf, user):  # type: ignore[no-untyped-def]
    request = rf.get("/api/v1/regions/620502/")
    request.user = user
    return request


@pytest.mark.parametrize(
    "error",
    [
        PermissionDenied(),
        AuthorizationError(),
        ApiError(403, "forbidden", "no"),
        HttpError(403, "no"),
    ],
    ids=["PermissionDenied", "AuthorizationError", "ApiError", "HttpError"],
)
def test_a_403_of_the_api_is_recorded_and_answered_in_the_error_shape(rf, resident, error):
    before = AuditEntry.objects.count()

    response = api.on_exception(api_request(rf, resident), error)

    body = json.loads(response.content)
    assert response.status_code == 403 and set(body) == {"code", "message", "fields"}
    (entry,) = entries("access.denied")
    assert entry.actor_id == resident.pk
    assert entry.details == {"path": "/api/v1/regions/620502/", "method": "GET"}
    assert AuditEntry.objects.count() == before + 1


def test_other_api_errors_are_not_recorded(rf, resident):
    before = AuditEntry.objects.count()

    response = api.on_exception(api_request(rf, resident), ApiError(404, "not_found", "no"))

    assert response.status_code == 404 and AuditEntry.objects.count() == before


def test_a_refusal_seen_by_two_layers_is_recorded_once(rf, resident):
    from wangge.audit import services

    request = api_request(rf, resident)
    services.refusal_record(actor=resident, request=request, action="security.csrf_failed")

    api.on_exception(request, HttpError(403, "CSRF check Failed"))

    assert [entry.action for entry in AuditEntry.objects.order_by("-id")[:1]] == [
        "security.csrf_failed"
    ]
    assert not entries("access.denied")


# Session cookies. The rate limit lives in the cache, which outlives a test: clear it.


@pytest.fixture
def unknown_cookie(client, db):  # type: ignore[no-untyped-def]
    cache.clear()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    yield client
    cache.clear()


def test_an_unknown_session_cookie_is_recorded_and_the_request_goes_on_signed_out(
    unknown_cookie,
):
    sessions = Session.objects.count()

    response = unknown_cookie.get("/audit/", REMOTE_ADDR="10.62.5.30")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    (entry,) = entries("security.session_unknown")
    assert (entry.actor_id, entry.ip) == (None, "10.62.5.30")
    assert entry.details == {"path": "/audit/", "method": "GET"}
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""  # removed
    assert Session.objects.count() == sessions


def test_unknown_session_cookies_are_recorded_once_a_minute_per_address(unknown_cookie):
    for address in ("10.62.5.31", "10.62.5.31", "10.62.5.32", "10.62.5.31"):
        unknown_cookie.cookies[settings.SESSION_COOKIE_NAME] = "y" * 32
        unknown_cookie.get("/", REMOTE_ADDR=address)

    assert [entry.ip for entry in entries("security.session_unknown")] == [
        "10.62.5.31",
        "10.62.5.32",
    ]


def test_an_expired_session_looks_the_same_as_an_unknown_one(client, staff_user):
    cache.clear()
    client.force_login(staff_user)
    Session.objects.all().delete()  # as `clearsessions` does once a session has expired

    response = client.get("/")

    assert response.wsgi_request.user.is_anonymous
    assert len(entries("security.session_unknown")) == 1
    cache.clear()


def test_a_live_session_and_no_session_are_not_recorded(client, staff_user):
    cache.clear()
    client.get("/accounts/login/")
    client.force_login(staff_user)
    client.get("/")

    assert entries("security.session_unknown") == []
