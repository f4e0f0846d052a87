"""`wangge regions import …` and `wangge regions check …`."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.core.coords import SUPPORTED_CRS
from wangge.core.errors import ImportFailed
from wangge.regions import services, validation


def read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from None


class Command(BaseCommand):
    help = "Import division lists and boundaries, and check that regions tile their parents."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import a division CSV and/or GeoJSON boundaries")
        load.add_argument("--divisions", help="statistical division list (CSV, no header)")
        load.add_argument("--boundaries", action="append", default=[], help="GeoJSON file")
        load.add_argument("--code", help="region code for a GeoJSON file holding one geometry")
        load.add_argument(
            "--crs", choices=SUPPORTED_CRS, required=True, help="coordinate system of the input"
        )
        check = sub.add_parser("check", help="report gaps, overlaps and children outside parents")
        check.add_argument("code", nargs="?", default=settings.WANGGE_ROOT_REGION)
        check.add_argument("--min-area", type=float, default=1.0, help="ignore smaller, in m²")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.handle_import(options)
        else:
            self.handle_check(options)

    def handle_import(self, options: dict[str, Any]) -> None:
        if not options["divisions"] and not options["boundaries"]:
            raise CommandError("give --divisions FILE and/or --boundaries FILE")
        try:
            if options["divisions"]:
                text = read_text(options["divisions"])
                summary = services.divisions_import(actor=None, text=text, crs=options["crs"])
                self.stdout.write(
                    f"divisions: {summary.created} created, {summary.updated} updated"
                )
            for path in options["boundaries"]:
                count = services.boundaries_import(
                    actor=None, text=read_text(path), crs=options["crs"], code=options["code"]
                )
                self.stdout.write(f"{path}: {count} boundaries set")
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError("import stopped; nothing was written") from None

    def handle_check(self, options: dict[str, Any]) -> None:
        problems = validation.tiling_problems(options["code"], min_area_m2=options["min_area"])
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problems under {options['code']}")
        self.stdout.write(f"{options['code']}: no gaps, overlaps or regions outside their parent")
