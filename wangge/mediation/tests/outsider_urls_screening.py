"""Scoped routes of the dispute screening for the route-coverage test: name → (persona
fixture, url for a unit outside the persona's scope). The units travel in the query string;
the township dispatcher asks about the outsider's village and township."""

from typing import Any

from django.urls import reverse


def outsider_village(outsider: Any) -> str:
    return str(outsider.memberships.get().region_id[:12])


def outsider_township(outsider: Any) -> str:
    return str(outsider.memberships.get().region_id[:9])


OUTSIDER_URLS: dict[str, Any] = {
    "mediation:screening": (
        "dispatcher",
        lambda o: reverse("mediation:screening") + f"?unit={outsider_village(o)}",
    ),
    "mediation:screening_units": (
        "dispatcher",
        lambda o: reverse("mediation:screening_units") + f"?parent={outsider_township(o)}",
    ),
    "mediation:screening_lock": (
        "dispatcher",
        lambda o: reverse("mediation:screening_lock") + f"?parent={outsider_township(o)}",
    ),
    "mediation:screening_quarter": (
        "dispatcher",
        lambda o: reverse("mediation:screening_quarter") + f"?region={outsider_township(o)}",
    ),
    "mediation:screening_quarter_export": (
        "dispatcher",
        lambda o: reverse("mediation:screening_quarter_export") + f"?region={outsider_township(o)}",
    ),
}
