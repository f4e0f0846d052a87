"""Scoped routes of the case engine for the route-coverage test (api): name → (persona
fixture, url for a record outside the persona's scope)."""

from typing import Any


def outsider_case(outsider: Any) -> int:
    """A case in the outsider's grid, far from the dispatcher's township."""
    from wangge.cases import services
    from wangge.cases.services import ReportInput

    grid = outsider.memberships.get().region_id
    data = ReportInput("E0102", "外乡垃圾", region_code=grid, address="外乡", channel="phone")
    return services.report(None, data).pk


OUTSIDER_URLS: dict[str, Any] = {
    "GET cases/{case_id}": ("dispatcher", lambda o: f"/api/v1/cases/{outsider_case(o)}"),
    "POST cases/{case_id}/actions": (
        "dispatcher",
        lambda o: f"/api/v1/cases/{outsider_case(o)}/actions",
    ),
}

# Example values for URL parameters of this part's routes (merged into test_routes).
EXAMPLE_KWARGS: dict[str, Any] = {}
