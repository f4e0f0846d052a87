"""Scoped routes of the case pages for the route-coverage test: name → (persona fixture,
url for a record outside the persona's scope). The case lies in the outsider's grid, far
from the township dispatcher who asks for it."""

from typing import Any

from django.urls import reverse


def outsider_case(outsider: Any) -> int:
    from wangge.cases import services
    from wangge.cases.services import ReportInput
    from wangge.cases.tests.conftest import URBAN_CATEGORY

    case = services.report(
        outsider,
        ReportInput(URBAN_CATEGORY, "外乡的问题", region_code="620502103200001", address="外乡"),
    )
    return case.pk


def outsider_photo(outsider: Any) -> tuple[int, int]:
    from wangge.cases.models import Attachment

    case_id = outsider_case(outsider)
    photo = Attachment.objects.create(
        case_id=case_id,
        file="cases/none.png",
        extension="png",
        content_type="image/png",
        size=1,
        sha256="0" * 64,
    )
    return case_id, photo.pk


OUTSIDER_URLS: dict[str, Any] = {
    "cases:detail": ("dispatcher", lambda o: reverse("cases:detail", args=[outsider_case(o)])),
    "cases:act": ("dispatcher", lambda o: reverse("cases:act", args=[outsider_case(o)])),
    "cases:join": ("dispatcher", lambda o: reverse("cases:join", args=[outsider_case(o)])),
    "cases:photo": ("dispatcher", lambda o: reverse("cases:photo", args=outsider_photo(o))),
}
