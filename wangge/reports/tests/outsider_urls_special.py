"""Scoped routes of the special pages for the route-coverage test: name → (persona fixture,
url for a report or unit outside the persona's scope). The report is filed by a village
cadre of the outsider's village, far from the township dispatcher who asks for it."""

from typing import Any

from django.urls import reverse


def outsider_village(outsider: Any) -> str:
    return str(outsider.memberships.get().region_id[:12])


def outsider_report(outsider: Any) -> int:
    from conftest import make_persona
    from wangge.reports import special

    village = outsider_village(outsider)
    cadre = make_persona("t_outside_cadre", "village_cadre", region=village)
    data = special.SpecialInput(village, "外乡情况", "外乡发生的情况。")
    return special.special_report_file(actor=cadre, data=data).pk


OUTSIDER_URLS: dict[str, Any] = {
    "reports:special_new": (
        "dispatcher",
        lambda o: reverse("reports:special_new") + f"?unit={outsider_village(o)}",
    ),
    "reports:special_detail": (
        "dispatcher",
        lambda o: reverse("reports:special_detail", args=[outsider_report(o)]),
    ),
    "reports:special_ack": (
        "dispatcher",
        lambda o: reverse("reports:special_ack", args=[outsider_report(o)]),
    ),
}
EXAMPLE_KWARGS = {"report_id": 1}
