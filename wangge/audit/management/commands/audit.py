"""`wangge audit verify`: check the audit log's hash chain from the first row to the last."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.audit.selectors import chain_verify


class Command(BaseCommand):
    help = "Check the audit log: recompute every hash and follow every link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute every hash and check every link")
        verify.add_argument("--chunk-size", type=int, default=5000, help="rows per fetch")

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify(chunk_size=options["chunk_size"])
        if report.first_break is not None:
            intact = report.rows - 1
            raise CommandError(
                f"audit chain broken at {report.first_break}; "
                f"{intact} {'row' if intact == 1 else 'rows'} before it intact"
            )
        self.stdout.write(f"audit chain intact: {report.rows} rows")
        if report.last_id is not None:
            self.stdout.write(
                f"last entry: {report.last_id}, hash {report.last_hash} "
                "(note it elsewhere: a removed last row shows only against it)"
            )
