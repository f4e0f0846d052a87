"""`wangge cases_digest`: the daily digest of unread notifications, one outbound message per
person. Run it once a day (cron or a systemd timer; see docs/cases-calendar.md); a second run
the same day sends nothing to those who already had theirs."""

from typing import Any

from django.core.management.base import BaseCommand

from wangge.cases import notify


class Command(BaseCommand):
    help = "Send each person the daily digest of their unread notifications."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notify.digest_send()
        self.stdout.write(f"{sent} digests sent")
