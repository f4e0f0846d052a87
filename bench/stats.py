"""Case statistics: the statistics page's queries on 200,000 and on 2,000,000 cases, against
the bare SQL aggregate over the same rows.

    .venv/bin/python bench/stats.py [--small 200000] [--large 2000000] [--repeats 9]
    .venv/bin/python bench/stats.py \
        --database-url postgres://postgres@127.0.0.1:5432/wangge_bench_stats

1. A fresh database: SQLite in a new folder under /tmp (removed at the end), or the
   PostgreSQL database named in --database-url (dropped and created again here, dropped at
   the end), migrated, with the demo district (23 townships, 463 villages, 2,384 grids, the
   departments).
2. --small generated cases at a steady 2,500 a day (≈ 0.9 M a year, the district's expected
   load), ending on 2026-10-31, written as tuples (`executemany` on SQLite, `COPY` on
   PostgreSQL); their daily rollups are summed from the same generated events (reported,
   registered, first dispatch, closure, rework, extension, rating) and upserted, so rollups
   and cases agree. ANALYZE. Then the measurements below.
3. More history: --large minus --small older cases (the days before), same rate, same way;
   ANALYZE; the same measurements. The measured month (October 2026) is the same in both, so
   only the length of history differs, which is what the rollups make not matter.
4. Measurements, --repeats alternating runs each, median and fastest in milliseconds, for
   the district (620502) in October 2026, grouped by region (townships), lead unit and
   category class:
   - ours: `stats.table_for(filters, grouping)` (every query of the table: the rollup
     GROUP BY, the cases due in the month, the daily series, the names);
   - page: GET /cases/statistics/ as the demo leader (the table, the charts, the template);
   - bare: the two aggregates of `table_for` in hand-written SQL through `cursor.execute`
     (GROUP BY over the rollups of the month + GROUP BY over the cases due in the month);
   - cases: for reference, the same counts straight from the cases table (no rollups).
"""

import argparse
import datetime
import os
import random
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PER_DAY = 2_500
LAST_DAY = datetime.date(2026, 10, 31)
MONTH = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
DISTRICT = "620502"
UTC = datetime.UTC
LOCAL_OFFSET = datetime.timedelta(hours=8)  # Asia/Shanghai, no summer time
COUNTS = ("reported", "registered", "dispatched", "closed", "closed_on_time")
COUNTS += ("reworked", "extended", "rated", "satisfied")
GROUP_SQL = {
    "region": ("substr(region_code, 1, 9)", "substr(region_code, 1, 9)"),
    "department": ("department_id", "lead_department_id"),
    "category": ("substr(category_code, 1, 3)", "substr(category_code, 1, 3)"),
}


@contextmanager
def database(database_url: str | None) -> Iterator[str]:
    """SQLite in a new folder under /tmp, or the named PostgreSQL database made afresh; both
    removed at the end."""
    folder = tempfile.mkdtemp(prefix="wangge-bench-stats-", dir="/tmp")
    os.environ["WANGGE_DATA_DIR"] = folder
    try:
        if not database_url:
            os.environ.pop("DATABASE_URL", None)
            yield f"SQLite in {folder}"
            return
        with postgresql(database_url) as name:
            yield f"PostgreSQL database {name} on {urlsplit(database_url).hostname}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgresql(database_url: str) -> Iterator[str]:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database_url
    try:
        yield name
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


# --- generating cases and their rollups -----------------------------------------------------


class Generator:
    """Cases with a plausible life: most registered, dispatched, closed (some late), a few
    reworked, extended, rated; those that would close after the last day are still open."""

    def __init__(self, seed: int) -> None:
        from wangge.accounts.models import Department
        from wangge.cases.models import Case, Category
        from wangge.regions.models import Region

        self.rng = random.Random(seed)
        self.grids = list(
            Region.objects.filter(level="grid").order_by("code").values_list("code", flat=True)
        )
        leaves = list(Category.objects.filter(leaf=True).order_by("code").values_list("pk", "code"))
        self.categories = self.rng.sample(leaves, 40)
        self.category_weights = [1 / (rank + 1) ** 1.1 for rank in range(40)]
        units = list(Department.objects.order_by("pk").values_list("pk", flat=True))
        self.unit_of = {code: units[index % len(units)] for index, (_, code) in enumerate(leaves)}
        self.columns = [f.column for f in Case._meta.concrete_fields if f.name != "id"]
        self.number = 0
        self.end = datetime.datetime.combine(LAST_DAY + datetime.timedelta(days=1), datetime.time())

    def case(self, day: datetime.date, rollups: dict[tuple[Any, ...], list[int]]) -> dict[str, Any]:
        rng = self.rng
        self.number += 1
        category_id, code = rng.choices(self.categories, self.category_weights)[0]
        grid = self.grids[rng.randrange(len(self.grids))]
        local = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(
            seconds=rng.randrange(86_400)
        )
        row: dict[str, Any] = {
            "number": f"620502-B-{self.number:010d}",
            "workflow": "urban_management",
            "kind": "event",
            "category_id": category_id,
            "category_code": code,
            "title": "路边垃圾",
            "description": "路边垃圾堆积",
            "address": "",
            "lon": None,
            "lat": None,
            "region_code": grid,
            "channel": "patrol",
            "reporter_id": None,
            "reporter_name": "",
            "reporter_phone": "",
            "status": "reported",
            "urgent": False,
            "supervision": 0,
            "listed": False,
            "listed_at": None,
            "step": "",
            "step_started_at": None,
            "due_at": None,
            "yellow_at": None,
            "red_at": None,
            "suspended_at": None,
            "reported_at": local,
            "registered_at": None,
            "dispatched_at": None,
            "fed_back_at": None,
            "closed_at": None,
            "on_time": None,
            "lead_department_id": None,
            "rework_count": 0,
            "extension_count": 0,
            "rating": None,
            "satisfied": None,
            "extra": "{}",
            "duplicate_of_id": None,
            "version": 1,
            "updated_at": local,
        }
        self.life(row, rollups)
        return row

    def life(self, row: dict[str, Any], rollups: dict[tuple[Any, ...], list[int]]) -> None:
        rng, village, code = self.rng, row["region_code"][:12], row["category_code"]

        def add(at: datetime.datetime, unit: int, **counts: int) -> None:
            if at >= self.end:
                return
            counts_of = rollups[(at.date(), village, code, unit)]
            for name, value in counts.items():
                counts_of[COUNTS.index(name)] += value

        reported = row["reported_at"]
        add(reported, 0, reported=1)
        row["due_at"] = reported + datetime.timedelta(hours=4)
        if rng.random() < 0.03:
            row["status"] = "cancelled"
            return
        registered = reported + datetime.timedelta(minutes=rng.randrange(10, 240))
        if registered >= self.end:
            return
        row.update(status="registered", registered_at=registered)
        add(registered, 0, registered=1)
        dispatched = registered + datetime.timedelta(minutes=rng.randrange(5, 120))
        if dispatched >= self.end:
            return
        unit = self.unit_of[code]
        due = dispatched + datetime.timedelta(days=2)
        row.update(status="handling", dispatched_at=dispatched, lead_department_id=unit, due_at=due)
        add(dispatched, unit, dispatched=1)
        if rng.random() < 0.04:
            row["extension_count"] = 1
            due += datetime.timedelta(days=2)
            row["due_at"] = due
            add(dispatched + datetime.timedelta(hours=6), unit, extended=1)
        fed_back = dispatched + datetime.timedelta(minutes=rng.randrange(60, 6 * 24 * 60))
        if rng.random() < 0.06:
            row["rework_count"] = 1
            add(fed_back, unit, reworked=1)
            fed_back += datetime.timedelta(hours=rng.randrange(2, 48))
        closed = fed_back + datetime.timedelta(minutes=rng.randrange(10, 600))
        if closed >= self.end:
            return
        on_time = fed_back <= due
        row.update(status="closed", fed_back_at=fed_back, closed_at=closed, on_time=on_time)
        add(closed, unit, closed=1, closed_on_time=int(on_time))
        if rng.random() < 0.6:
            rating = rng.choices([5, 4, 3, 2, 1], [50, 25, 12, 8, 5])[0]
            row.update(rating=rating, satisfied=rating >= 4)
            add(closed + datetime.timedelta(hours=1), unit, rated=1, satisfied=int(rating >= 4))


def utc(local: Any) -> Any:
    """A local naive moment as the engine stores it: UTC, aware for PostgreSQL, text for
    SQLite (as Django writes it)."""
    from django.db import connection

    if not isinstance(local, datetime.datetime):
        return local
    moment = local - LOCAL_OFFSET
    return str(moment) if connection.vendor == "sqlite" else moment.replace(tzinfo=UTC)


def write_cases(generator: Generator, rows: list[dict[str, Any]]) -> None:
    from django.db import connection

    columns = generator.columns
    tuples = [tuple(utc(row[name]) for name in columns) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy:
                for values in tuples:
                    copy.write_row(values)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO cases_case ({', '.join(columns)}) VALUES ({marks})", tuples
        )


def write_rollups(rollups: dict[tuple[Any, ...], list[int]]) -> None:
    """Add the counts to the rollup table (rows already there are added to, as the services
    do)."""
    from django.db import connection

    names = ["day", "region_code", "category_code", "department_id", *COUNTS]
    rows = [(*key, *counts) for key, counts in rollups.items()]
    updates = ", ".join(f"{n} = cases_dailyrollup.{n} + excluded.{n}" for n in COUNTS)
    conflict = (
        f"ON CONFLICT (day, region_code, category_code, department_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS rollup_in ON COMMIT DELETE ROWS AS "
                f"SELECT {', '.join(names)} FROM cases_dailyrollup WITH NO DATA"
            )
            cursor.execute("TRUNCATE rollup_in")
            with cursor.cursor.copy(f"COPY rollup_in ({', '.join(names)}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            cursor.execute(
                f"INSERT INTO cases_dailyrollup ({', '.join(names)}) "
                f"SELECT {', '.join(names)} FROM rollup_in {conflict}"
            )
            return
        marks = ", ".join(["%s"] * len(names))
        rows = [(str(row[0]), *row[1:]) for row in rows]
        cursor.executemany(
            f"INSERT INTO cases_dailyrollup ({', '.join(names)}) VALUES ({marks}) {conflict}",
            rows,
        )


def load(generator: Generator, first: datetime.date, days: int) -> float:
    """Cases for `days` days from `first`, a month at a time; returns the seconds taken."""
    from django.db import transaction

    began = time.perf_counter()
    for block in range(0, days, 30):
        rollups: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(COUNTS))
        rows = []
        for offset in range(block, min(block + 30, days)):
            day = first + datetime.timedelta(days=offset)
            rows += [generator.case(day, rollups) for _ in range(PER_DAY)]
        with transaction.atomic():
            write_cases(generator, rows)
            write_rollups(rollups)
    analyze()
    return time.perf_counter() - began


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- measuring ------------------------------------------------------------------------------


def bare(grouping: str) -> int:
    """`table_for`'s two aggregates in hand-written SQL."""
    from django.db import connection

    rollup_key, case_key = GROUP_SQL[grouping]
    ops = connection.ops
    start, after = moments()
    sums = ", ".join(f"SUM({name})" for name in COUNTS)
    region = ("region_code >= %s AND region_code < %s", [DISTRICT, "620503"])
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rollup_key}, {sums} FROM cases_dailyrollup "
            f"WHERE day >= %s AND day <= %s AND {region[0]} GROUP BY 1",
            [ops.adapt_datefield_value(MONTH[0]), ops.adapt_datefield_value(MONTH[1]), *region[1]],
        )
        rows += len(cursor.fetchall())
        cursor.execute(
            f"SELECT {case_key}, COUNT(*) FROM cases_case WHERE due_at >= %s AND due_at < %s "
            "AND (closed_at IS NULL OR closed_at >= %s) AND status <> 'cancelled' "
            f"AND {region[0]} GROUP BY 1",
            [start, after, after, *region[1]],
        )
        rows += len(cursor.fetchall())
    return rows


def from_cases(grouping: str) -> int:
    """For reference: the month's counts straight from the cases (no rollups)."""
    from django.db import connection

    _rollup_key, key = GROUP_SQL[grouping]
    start, after = moments()
    within = "BETWEEN %s AND %s"
    counts = [
        f"SUM(CASE WHEN {column} {within} THEN 1 ELSE 0 END)"
        for column in ("reported_at", "registered_at", "dispatched_at", "closed_at")
    ]
    params = [start, after] * 4 + [start, after] * 4
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, {', '.join(counts)} FROM cases_case "
            f"WHERE (reported_at {within} OR registered_at {within} OR dispatched_at {within} "
            f"OR closed_at {within}) AND region_code >= %s AND region_code < %s GROUP BY 1",
            [*params, DISTRICT, "620503"],
        )
        return len(cursor.fetchall())


def moments() -> tuple[Any, Any]:
    from django.db import connection

    start = datetime.datetime.combine(MONTH[0], datetime.time()) - LOCAL_OFFSET
    after = (
        datetime.datetime.combine(MONTH[1], datetime.time())
        + datetime.timedelta(days=1)
        - LOCAL_OFFSET
    )
    ops = connection.ops
    return (
        ops.adapt_datetimefield_value(start.replace(tzinfo=UTC)),
        ops.adapt_datetimefield_value(after.replace(tzinfo=UTC)),
    )


def ours(grouping: str) -> int:
    from wangge.cases import stats

    table = stats.table_for(stats.Filters(MONTH[0], MONTH[1], DISTRICT), grouping)
    return len(table.rows)


def page_getter() -> Callable[[str], int]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from wangge.accounts.models import User

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="leader"))

    def page(grouping: str) -> int:
        query = {"period": "month", "on": "2026-10-15", "region": DISTRICT, "group": grouping}
        response = client.get("/cases/statistics/", query)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    return page


def agreement() -> str:
    from wangge.cases import stats

    filters = stats.Filters(MONTH[0], MONTH[1], DISTRICT)
    total = stats.table_for(filters, "region").total.counts
    checks = []
    for figure in ("reported", "registered", "closed", "closed_on_time", "due"):
        counted = stats.cases_behind(figure, filters).count()
        checks.append(f"{figure} {total.value(figure):,}={counted:,}")
    return ", ".join(checks)


def timings(kinds: dict[str, Callable[[str], int]], grouping: str, repeats: int) -> Any:
    """Each kind run `repeats` times, alternating, so that a busy moment of the machine hits
    all of them alike; the median and the fastest run of each, in milliseconds."""
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for function in kinds.values():
        function(grouping)  # warm: plans, caches
    for _ in range(repeats):
        for kind, function in kinds.items():
            began = time.perf_counter()
            function(grouping)
            times[kind].append((time.perf_counter() - began) * 1000)
    return {kind: (statistics.median(each), min(each)) for kind, each in times.items()}


def measure(label: str, repeats: int, page: Callable[[str], int]) -> dict[str, Any]:
    from wangge.cases.models import Case, DailyRollup

    print(f"\n{label}: {Case.objects.count():,} cases, {DailyRollup.objects.count():,} rollup rows")
    print("  check, October from the rollups = counted from the cases:", agreement())
    print("  ms, median (fastest) of", repeats, "alternating runs")
    print("  grouping        ours            page            bare       ours/bare   cases table")
    kinds = {"ours": ours, "page": page, "bare": bare, "cases": from_cases}
    found: dict[str, Any] = {}
    for grouping in GROUP_SQL:
        figures = timings(kinds, grouping, repeats)
        found[grouping] = figures
        shown = "".join(
            f"{figures[kind][0]:7.1f} ({figures[kind][1]:5.1f})"
            for kind in ("ours", "page", "bare")
        )
        ratio = figures["ours"][0] / figures["bare"][0]
        print(f"  {grouping:<11}{shown}   {ratio:5.2f}×  {figures['cases'][0]:9.1f}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--small", type=int, default=200_000)
    parser.add_argument("--large", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--database-url", help="postgres://…/wangge_bench_stats")
    options = parser.parse_args()
    print("command:", shlex.join([".venv/bin/python", "bench/stats.py", *sys.argv[1:]]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    with database(options.database_url) as where:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from wangge.demo.services import demo_district_load

        call_command("migrate", verbosity=0)
        demo_district_load()
        print(f"{where}; Django {django.get_version()}; engine {connection.vendor}")
        generator = Generator(seed=620502)
        small_days, large_days = options.small // PER_DAY, options.large // PER_DAY
        first = LAST_DAY - datetime.timedelta(days=small_days - 1)
        seconds = load(generator, first, small_days)
        print(f"loaded {small_days * PER_DAY:,} cases ({small_days} days) in {seconds:.0f} s")
        page = page_getter()
        small = measure(f"{options.small:,} cases", options.repeats, page)
        older = first - datetime.timedelta(days=large_days - small_days)
        seconds = load(generator, older, large_days - small_days)
        print(f"\nloaded {(large_days - small_days) * PER_DAY:,} older cases in {seconds:.0f} s")
        large = measure(f"{options.large:,} cases", options.repeats, page)
        print("\nlarge / small (target ≤ 2×):")
        for grouping in GROUP_SQL:
            ratios = "  ".join(
                f"{kind} {large[grouping][kind][0] / small[grouping][kind][0]:.2f}×"
                for kind in ("ours", "page", "bare", "cases")
            )
            print(f"  {grouping:<11} {ratios}")


if __name__ == "__main__":
    main()
