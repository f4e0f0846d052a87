"""`wangge reports_remind evening|morning`: sensitive-period daily reports. In the evening
(e.g. 19:00) the units whose daily report is due tomorrow and not yet submitted are reminded;
in the morning (e.g. 08:00) each parent receives the list of its units whose report fell
due yesterday and is missing. Run each once a day (cron or a systemd timer); a repeated run
tells nobody twice. `--at` runs it as of another moment (ISO 8601, for catching up)."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wangge.reports import sensitive


class Command(BaseCommand):
    help = "Remind units of tomorrow's daily reports (evening) or send the missing lists (morning)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("when", choices=["evening", "morning"])
        parser.add_argument("--at", default="", help="the moment to run as, ISO 8601")

    def handle(self, *args: Any, **options: Any) -> None:
        now = moment(options["at"])
        if options["when"] == "evening":
            told = sensitive.reminders_send(now)
            self.stdout.write(f"{told} people reminded")
        else:
            told = sensitive.missing_lists_send(now)
            self.stdout.write(f"{told} people sent the missing list")


def moment(text: str) -> datetime.datetime:
    if not text:
        return timezone.now()
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at: not an ISO 8601 moment: {text!r}") from None
    return value if timezone.is_aware(value) else timezone.make_aware(value)
