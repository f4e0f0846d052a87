"""For the route-coverage tests (wangge/core/tests/test_routes.py and
wangge/portal/tests/test_resident_routes.py): this part of the portal's routes."""

from collections.abc import Callable
from typing import Any

# Public pages that show one record: with the route test's example values there is none, so
# they answer 404 there (each is tested with a real record in this app's tests).
PUBLIC_RECORD_ROUTES: set[str] = {
    "portal:notice",
    "portal:notice_document",
    "portal:hearing",
    "portal:hearing_document",
}
# Routes scoped to a resident's own records (rule `resident` or public with `scoped=True`):
# name → a function making a record of ANOTHER resident (mobile OTHER_PHONE) and returning
# the URL to it, which the signed-in resident (RESIDENT_PHONE) must get a 404 for.
# Registering and commenting act on a public hearing, not on a resident's own record: none.
RESIDENT_OUTSIDER_URLS: dict[str, Callable[[], str]] = {}
# Values for this part's path parameters.
EXAMPLE_KWARGS: dict[str, Any] = {
    "notice_id": 987654,
    "document_id": 987655,
    "hearing_id": 987656,
    "comment_id": 987657,
}
