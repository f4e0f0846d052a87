"""`wangge people import FILE`: a register file (.csv or .xlsx) from the command line, all or
nothing unless `--partial`, with a progress bar on standard error."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.accounts.models import User
from wangge.core.errors import ImportFailed
from wangge.core.scope import user_scope
from wangge.people import imports
from wangge.people.importers import people_file_parse

SHOWN_PROBLEMS = 50


class Command(BaseCommand):
    help = "Import people into the register from a .csv or .xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import a register file (.csv or .xlsx)")
        load.add_argument("file")
        load.add_argument("--encoding", choices=["auto", "utf-8", "gbk"], default="auto")
        load.add_argument("--on-duplicate", choices=list(imports.POLICIES), default="stop")
        load.add_argument("--partial", action="store_true", help="write the good rows")
        load.add_argument("--actor", help="user name whose scope applies (default: no limit)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options["actor"])
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error}") from None
        bar = ProgressBar(self.stderr._out)
        try:
            parsed = people_file_parse(
                content,
                filename=path.name,
                encoding=options["encoding"],
                scope=user_scope(actor) if actor else None,
                progress=bar,
            )
            result = imports.people_import(
                actor=actor,
                parsed=parsed,
                file_name=path.name,
                policy=options["on_duplicate"],
                partial=options["partial"],
                progress=bar,
            )
        except ImportFailed as failure:
            bar.end()
            self.problems_show(failure.problems, path)
            raise CommandError(f"nothing imported: {len(failure.problems)} problem(s)") from None
        bar.end()
        if result.problems:
            self.problems_show(result.problems, path)
        self.stderr.write(
            f"created {result.created}, updated {result.updated}, skipped {result.skipped}, "
            f"refused {len(result.problems)}"
        )

    def actor(self, username: str | None) -> User | None:
        if not username:
            return None
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active account named {username}")
        return actor

    def problems_show(self, problems: list[Any], path: Path) -> None:
        for problem in problems[:SHOWN_PROBLEMS]:
            self.stderr.write(str(problem))
        if len(problems) > SHOWN_PROBLEMS:
            self.stderr.write(f"… and {len(problems) - SHOWN_PROBLEMS} more")
        workbook = path.with_name(f"{path.stem}-problems.xlsx")
        workbook.write_bytes(imports.error_workbook(problems))
        self.stderr.write(f"problems written to {workbook}")


class ProgressBar:
    """`validated  12345/100000  12%  [####      ]`, redrawn about every 1%."""

    def __init__(self, out: Any = sys.stderr) -> None:
        self.out = out
        self.shown: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        if self.shown == (stage, percent):
            return
        self.shown = (stage, percent)
        filled = percent // 5
        bar = "#" * filled + " " * (20 - filled)
        self.out.write(f"\r{stage:>9} {done:>9}/{total:<9} {percent:3d}% [{bar}]")
        self.out.flush()

    def end(self) -> None:
        if self.shown is not None:
            self.out.write("\n")
            self.shown = None
