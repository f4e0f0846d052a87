"""For the route-coverage tests (wangge/core/tests/test_routes.py and
wangge/portal/tests/test_resident_routes.py): this part of the portal's routes."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse

OTHER_PHONE = "13900000002"

# Public pages that show one record: with the route test's example values there is none, so
# they answer 404 there (each is tested with a real record in this app's tests).
PUBLIC_RECORD_ROUTES: set[str] = {
    "portal:track_link",
    "portal:request",
    "portal:request_rate",
    "portal:request_photo",
}


def _other_residents_request(with_photo: bool = False) -> Any:
    import io

    from PIL import Image

    from conftest import GRID_A
    from wangge.cases.tests.conftest import point_in
    from wangge.portal import services_requests as services

    lon, lat = point_in(GRID_A)
    uploads = []
    if with_photo:
        data = io.BytesIO()
        Image.new("RGB", (4, 4), (0, 90, 0)).save(data, "PNG")
        data.seek(0)
        data.name = "photo.png"
        uploads.append(data)
    return services.request_raise(
        phone=OTHER_PHONE,
        data=services.RequestInput(topic="rubbish", description="垃圾", lon=lon, lat=lat),
        uploads=uploads,
    )


def _photo_url() -> str:
    portal_request = _other_residents_request(with_photo=True)
    photo = portal_request.case.attachments.get()
    return reverse("portal:request_photo", args=[portal_request.tracking_code, photo.pk])


# Routes scoped to a resident's own records (rule `resident` or public with `scoped=True`):
# name → a function making a record of ANOTHER resident (mobile OTHER_PHONE) and returning
# the URL to it, which the signed-in resident (RESIDENT_PHONE) must get a 404 for.
RESIDENT_OUTSIDER_URLS: dict[str, Callable[[], str]] = {
    "portal:request": lambda: reverse(
        "portal:request", args=[_other_residents_request().tracking_code]
    ),
    "portal:request_rate": lambda: reverse(
        "portal:request_rate", args=[_other_residents_request().tracking_code]
    ),
    "portal:request_photo": _photo_url,
}
# Values for this part's path parameters.
EXAMPLE_KWARGS: dict[str, Any] = {
    "tracking_code": "ZZZZZZZZZZ",
    "token": "not-a-signed-token",
    "photo_id": 1,
}
