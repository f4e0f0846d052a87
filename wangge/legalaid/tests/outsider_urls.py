"""Scoped routes of the legal aid pages for the route-coverage test: name → (persona fixture,
url for a record outside the persona's scope). The application lies in the outsider's grid,
in another township than the dispatcher's (dispatchers may view legal aid applications)."""

from typing import Any

from django.urls import reverse

EXAMPLE_KWARGS = {"application_id": 1, "evidence_id": 1}


def outsider_application(outsider: Any) -> int:
    from wangge.legalaid.tests.factories import OUTSIDE_GRID, application_made

    return application_made(outsider, region_code=OUTSIDE_GRID).pk


def outsider_evidence(outsider: Any) -> tuple[int, int]:
    from wangge.legalaid.models import Application
    from wangge.legalaid.tests.factories import evidence_made

    application = Application.objects.get(pk=outsider_application(outsider))
    return application.pk, evidence_made(application).pk


def named(name: str) -> tuple[str, Any]:
    return ("dispatcher", lambda o: reverse(f"legalaid:{name}", args=[outsider_application(o)]))


OUTSIDER_URLS: dict[str, Any] = {
    "legalaid:detail": named("detail"),
    "legalaid:decide": named("decide"),
    "legalaid:assign": named("assign"),
    "legalaid:close": named("close"),
    "legalaid:evidence": (
        "dispatcher",
        lambda o: reverse("legalaid:evidence", args=outsider_evidence(o)),
    ),
}
