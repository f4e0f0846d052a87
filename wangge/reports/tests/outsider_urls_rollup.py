"""Scoped routes of the completeness and roll-up pages for the route-coverage test: the unit
travels in the query string; the township dispatcher asks about the outsider's township."""

from typing import Any

from django.urls import reverse


def outsider_township(outsider: Any) -> str:
    return str(outsider.memberships.get().region_id[:9])


OUTSIDER_URLS: dict[str, Any] = {
    f"reports:{name}": (
        "dispatcher",
        lambda o, name=name: reverse(f"reports:{name}") + f"?parent={outsider_township(o)}",
    )
    for name in ("completeness", "rollup", "rollup_xlsx")
}
