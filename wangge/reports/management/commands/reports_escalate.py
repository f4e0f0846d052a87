"""`wangge reports_escalate`: special reports not acknowledged in time. Each acknowledgement
past its time is marked escalated and the next level up is told (the district's leaders when
the district itself has not acknowledged). Run it often, e.g. every 10 minutes; each
acknowledgement escalates once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wangge.reports import special
from wangge.reports.management.commands.reports_remind import moment


class Command(BaseCommand):
    help = "Escalate special reports whose acknowledgement is overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", default="", help="the moment to run as, ISO 8601")

    def handle(self, *args: Any, **options: Any) -> None:
        count = special.special_escalate(moment(options["at"]))
        self.stdout.write(f"{count} acknowledgements escalated")
