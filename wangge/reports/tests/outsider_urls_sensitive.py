"""Scoped routes of the sensitive pages for the route-coverage test: name → (persona
fixture, url for a unit outside the persona's scope). The unit travels in the query string;
the township dispatcher asks about the outsider's township."""

from typing import Any

from django.urls import reverse


def outsider_township(outsider: Any) -> str:
    return str(outsider.memberships.get().region_id[:9])


OUTSIDER_URLS: dict[str, Any] = {
    "reports:sensitive_day": (
        "dispatcher",
        lambda o: reverse("reports:sensitive_day") + f"?parent={outsider_township(o)}",
    ),
}
