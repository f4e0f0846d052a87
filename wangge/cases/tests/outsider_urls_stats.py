"""Scoped routes of the case engine for the route-coverage test (stats): name → (persona
fixture, url for a record outside the persona's scope). The statistics take their region in
the query string; the township dispatcher asks for the outsider's township."""

from typing import Any

from django.urls import reverse


def outsider_township(outsider: Any) -> str:
    return str(outsider.memberships.get().region_id[:9])


OUTSIDER_URLS: dict[str, Any] = {
    "cases:statistics": (
        "dispatcher",
        lambda o: reverse("cases:statistics") + f"?region={outsider_township(o)}",
    ),
    "cases:statistics_export": (
        "dispatcher",
        lambda o: reverse("cases:statistics_export") + f"?region={outsider_township(o)}",
    ),
}
