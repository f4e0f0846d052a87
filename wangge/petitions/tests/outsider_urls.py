"""Scoped routes of the petition pages for the route-coverage test: name → (persona fixture,
url for a record outside the persona's scope). The petition concerns the outsider's grid, far
from the township dispatcher (who may view petitions) who asks for it."""

from typing import Any

from django.urls import reverse

OUTSIDE_GRID = "620502103200001"


def outsider_petition(outsider: Any) -> int:
    from conftest import make_persona
    from wangge.petitions import services
    from wangge.petitions.tests.conftest import petition_input

    officer = make_persona("o_petition_officer", "petition_officer", region="620502")
    petition = services.register_petition(
        officer, petition_input(region_code=OUTSIDE_GRID, address="外乡")
    )
    return int(petition.pk)


OUTSIDER_URLS: dict[str, Any] = {
    "petitions:detail": (
        "dispatcher",
        lambda o: reverse("petitions:detail", args=[outsider_petition(o)]),
    ),
    "petitions:act": (
        "dispatcher",
        lambda o: reverse("petitions:act", args=[outsider_petition(o)]),
    ),
    "petitions:letter": (
        "dispatcher",
        lambda o: reverse("petitions:letter", args=[outsider_petition(o), "acceptance"]),
    ),
}
