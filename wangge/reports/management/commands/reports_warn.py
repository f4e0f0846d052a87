"""`wangge reports_warn`: evaluate the active early-warning rules for now and record (and tell)
the new warnings. Run it hourly (cron or a systemd timer; see
docs/reports-warnings-dashboard.md); a repeated run raises nothing twice."""

from typing import Any

from django.core.management.base import BaseCommand

from wangge.reports import warnings


class Command(BaseCommand):
    help = "Evaluate the early-warning rules and record new warnings."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--default-rules",
            action="store_true",
            help="First create the three default rules where no rule of their kind exists.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["default_rules"]:
            warnings.default_rules()
        created = warnings.warnings_raise()
        self.stdout.write(f"{len(created)} new early warnings")
