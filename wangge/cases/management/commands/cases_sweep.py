"""`wangge cases_sweep`: raise yellow and red supervision on cases past their thresholds, and
warn the lead units of cases due within a few working hours. Run it every few minutes (cron
or a systemd timer; see docs/cases-calendar.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from wangge.cases import notify, services


class Command(BaseCommand):
    help = "Raise automatic supervision and send deadline-approaching notifications."

    def handle(self, *args: Any, **options: Any) -> None:
        raised = services.sweep()
        told = notify.due_soon_notify()
        self.stdout.write(f"supervision raised on {raised} cases; {told} people told of deadlines")
