"""Scoped routes of the mediation statistics for the route-coverage test: name → (persona
fixture, url for a region outside the persona's scope). The township dispatcher asks for the
outsider's township."""

from typing import Any

from django.urls import reverse


def outsider_township(outsider: Any) -> str:
    return str(outsider.memberships.get().region_id[:9])


OUTSIDER_URLS: dict[str, Any] = {
    "mediation:statistics": (
        "dispatcher",
        lambda o: reverse("mediation:statistics") + f"?region={outsider_township(o)}",
    ),
    "mediation:statistics_xlsx": (
        "dispatcher",
        lambda o: reverse("mediation:statistics_xlsx") + f"?region={outsider_township(o)}",
    ),
}
