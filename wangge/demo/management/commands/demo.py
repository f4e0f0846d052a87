"""`wangge demo`: build the demo district if it is not there yet, print the sign-ins, serve."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from wangge.demo import services


class Command(BaseCommand):
    help = "Create the demo district (real 秦州区 divisions, derived grids) and serve it."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="rebuild the demo database")
        parser.add_argument("--no-serve", action="store_true", help="build it, then stop")
        parser.add_argument(
            "--scale",
            choices=["small", "district"],
            default="small",
            help="synthetic residents: small (~3,000 in a few villages) or district (~650,000)",
        )
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port to serve on")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            self.reset_database()
        call_command("migrate", interactive=False, verbosity=0)
        if services.district_loaded():
            self.stdout.write("The demo district is already loaded; reusing it (--reset rebuilds).")
        else:
            self.build(options["scale"])
        self.print_logins()
        if not options["no_serve"]:
            self.stdout.write(f"Serving on http://{options['addr']}/  (Ctrl+C stops)")
            call_command("runserver", options["addr"], use_reloader=False)

    def reset_database(self) -> None:
        database = settings.DATABASES["default"]
        if str(database["ENGINE"]).endswith("sqlite3"):
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
            self.stdout.write(f"Removed {database['NAME']}")
        elif "regions_region" in connection.introspection.table_names():
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Emptied the database")

    def build(self, scale: str) -> None:
        self.stdout.write(f"Building the demo district 620502 秦州区 ({scale} population) …")
        started = time.monotonic()
        summary = services.demo_district_load(scale=scale)
        from wangge.demo.cases import demo_cases_load
        from wangge.demo.disputes import demo_disputes_load
        from wangge.demo.reports import demo_reports_load

        made = demo_cases_load()
        disputes = demo_disputes_load()
        reports_made = demo_reports_load()
        from wangge.portal import demo_hearings, demo_public, demo_requests

        demo_requests.load()  # residents' requests, one closed and waiting for its rating
        demo_public.load()  # some of them published by the dispatcher after moderation
        demo_hearings.load()  # notices, an open hearing and a concluded consultation
        from wangge.reports.warnings import default_rules

        default_rules()
        self.stdout.write(
            f"Loaded {summary.townships} townships, {summary.villages} villages and communities, "
            f"{summary.grids} grids and {summary.workers} grid workers "
            f"in {time.monotonic() - started:.1f} s."
        )
        if summary.population:
            counts = summary.population
            categories = ", ".join(f"{kind} {n:,}" for kind, n in sorted(counts.categories.items()))
            self.stdout.write(
                f"Residents: {counts.people:,} people in {counts.households:,} households and "
                f"{counts.houses:,} houses ({categories}); {counts.organisations:,} organisations."
            )

        self.stdout.write(f"Cases: {made} made through every step of the workflow.")
        self.stdout.write(f"Disputes: {disputes} recorded and mediated by the demo mediator.")
        self.stdout.write(f"Reports: {reports_made} weekly reports (one a zero report) made.")
        self.stdout.write(
            "Residents' portal: /portal/ (no account; the one-time codes it texts are "
            "printed in this terminal)."
        )

    def print_logins(self) -> None:
        self.stdout.write(f"Sign in with (password for all: {services.DEMO_PASSWORD}):")
        for login in services.demo_logins():
            self.stdout.write(f"  {login.username:<14} {login.role}")
