"""`wangge staff import SHEET --actor USER`: the staff sheet import from the command line,
under the reach and grants of a named account (as on the page), all or nothing."""

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.accounts.models import User
from wangge.core.errors import ImportFailed
from wangge.staff import importers, services


class Command(BaseCommand):
    help = "Import staff accounts and posts from an Excel sheet (see docs/staff.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import a staff sheet (.xlsx)")
        load.add_argument("sheet", help="the .xlsx file")
        load.add_argument("--actor", required=True, help="user name whose rights apply")
        load.add_argument(
            "--passwords",
            help="write the initial passwords as CSV to this file (default: standard output)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active account named {options['actor']}")
        try:
            content = Path(options["sheet"]).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {options['sheet']}: {error}") from None
        try:
            rows, problems = importers.staff_sheet_parse(content)
            accounts = services.staff_import(actor=actor, rows=rows, problems=problems)
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"nothing imported: {len(failure.problems)} problem(s)") from None
        self.passwords_write(accounts, options["passwords"])
        self.stderr.write(f"imported {len(accounts)} account(s) from {len(rows)} row(s)")

    def passwords_write(self, accounts: list[services.CreatedAccount], path: str | None) -> None:
        out = open(path, "w", newline="", encoding="utf-8") if path else sys.stdout  # noqa: SIM115
        try:
            writer = csv.writer(out)
            writer.writerow(["username", "name", "initial_password"])
            for account in accounts:
                writer.writerow([account.username, account.name, account.password])
        finally:
            if path:
                out.close()
