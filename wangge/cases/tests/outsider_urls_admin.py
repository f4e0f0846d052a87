"""Scoped routes of the case engine for the route-coverage test (admin): name → (persona
fixture, url for a record outside the persona's scope).

None of the administration or inbox routes names a record in its address: the calendar is
the deployment's, and the dispatch rule to delete or the notification to mark read is named
in the POST body. Their out-of-reach answers (404) are tested where they are:
`test_calendar_admin.test_a_township_administrator_works_only_on_rules_of_their_township`
and `test_notify.test_someone_elses_notification_is_not_found_and_stays_unread`."""

from typing import Any

OUTSIDER_URLS: dict[str, Any] = {}
