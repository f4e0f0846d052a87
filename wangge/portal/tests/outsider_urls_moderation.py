"""Scoped staff route of request moderation for the route-coverage test: the township
dispatcher (620502001) asks for a request in a township far away (620502103)."""

from typing import Any

from django.urls import reverse


def far_request(outsider: Any) -> int:
    from wangge.portal.tests.factories_public import portal_request

    return portal_request(region_code="620502103200001", phone="13900000078").pk


OUTSIDER_URLS: dict[str, Any] = {
    "portal:moderate_request": (
        "dispatcher",
        lambda o: reverse("portal:moderate_request", args=[far_request(o)]),
    ),
}
