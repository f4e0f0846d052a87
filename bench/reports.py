"""Report completeness and roll-up on a city-sized tree: `rollup.completeness` and
`rollup.rollup` against the bare SQL of the same aggregation, in the same run.

    .venv/bin/python bench/reports.py [--repeats 9]
    .venv/bin/python bench/reports.py --database-url postgres://postgres@127.0.0.1:5432/postgres

1. A fresh database: SQLite in a temporary folder, or, with --database-url, a new PostgreSQL
   database on that server (created here, dropped at the end; the named one is untouched).
2. The division tree of 天水市 from /work/shared/data/tianshui (the city, 7 counties, their
   townships and villages: ≈ 2,750 units), imported as the platform imports divisions.
3. A daily form owed by every village (a sensitive period over the whole city for November
   2026), three number fields and a text field; a month of daily reports from every village:
   88 % submitted (a third of them approved), 5 % zero reports, 2 % returned, 1 % drafts,
   4 % nothing; a tenth of those in are late. Written with `bulk_create`, then ANALYZE.
4. Measurements, --repeats alternating runs each, median and fastest in milliseconds, for
   one day (2026-11-15) under the city (7 county rows), a county (23 township rows) and a
   township (its village rows):
   - completeness: `rollup.completeness` (the units owing, their reports, the row names,
     the states counted, the units not in named) against bare SQL: the units LEFT JOIN the
     day's reports GROUP BY row with the states counted, plus the units not in with names;
   - roll-up: `rollup.rollup` (units owing, names, the sums per row) against bare SQL: the
     day's reports in GROUP BY row with the JSON number fields summed, plus the units owing
     counted per row, plus the row names.
"""

import argparse
import datetime
import os
import random
import shlex
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchdb import fresh_database  # noqa: E402  (after the path is set)

DATA = Path("/work/shared/data/tianshui")
MONTH = [datetime.date(2026, 11, day) for day in range(1, 31)]
DAY = datetime.date(2026, 11, 15)
PARENTS = {"city": "6205", "county": "620502", "township": "620502001"}
NUMBERS = ("found", "handled", "people")


def load_tree() -> int:
    from wangge.regions.models import Region
    from wangge.regions.services import divisions_import

    files = sorted(DATA.glob("divisions-*.csv"))
    text = "".join(path.read_text(encoding="utf-8") for path in files)
    divisions_import(actor=None, text=text, crs="gcj02")
    return Region.objects.count()


def form_and_period(author: Any) -> Any:
    from django.utils import timezone

    from wangge.reports.models import ReportForm, SensitivePeriod

    fields = [{"name": name, "label": name, "type": "number"} for name in NUMBERS]
    fields.append({"name": "note", "label": "note", "type": "text"})
    form = ReportForm.objects.create(
        code="daily-bench",
        name="敏感期每日报告",
        period_type="daily",
        unit_levels=["village"],
        deadline_working_days=0,
        fields=fields,
        created_by=author,
        created_at=timezone.now(),
    )
    SensitivePeriod.objects.create(
        name="十一月",
        starts_on=MONTH[0],
        ends_on=MONTH[-1],
        form=form,
        created_by=author,
        created_at=timezone.now(),
    )
    return form


def load_month(form: Any) -> tuple[int, float]:
    from django.db import connection, transaction
    from django.utils import timezone

    from wangge.regions.models import Region
    from wangge.reports import periods
    from wangge.reports.models import Submission

    rng = random.Random(620500)
    villages = list(Region.objects.filter(level="village").values_list("code", flat=True))
    began = time.perf_counter()
    count = 0
    for day in MONTH:
        period = periods.Period(day, day)
        due = periods.due_at(form, period)
        rows = []
        for code in villages:
            draw = rng.random()
            if draw < 0.04:
                continue
            state, zero = "submitted", False
            if draw < 0.05:
                state = "draft"
            elif draw < 0.07:
                state = "returned"
            elif draw < 0.12:
                zero = True
            elif draw < 0.41:
                state = "approved"
            values = {} if zero else {name: rng.randrange(0, 20) for name in NUMBERS}
            if values:
                values["note"] = "平稳"
            rows.append(
                Submission(
                    form=form,
                    region_code=code,
                    period_start=day,
                    period_end=day,
                    due_at=due,
                    state=state,
                    zero=zero,
                    values=values,
                    late=rng.random() < 0.1,
                    submitted_at=timezone.now(),
                )
            )
        with transaction.atomic():
            Submission.objects.bulk_create(rows, batch_size=2000)
        count += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return count, time.perf_counter() - began


# --- bare SQL -------------------------------------------------------------------------------


def upper(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def child(parent: str) -> int:
    return {4: 6, 6: 9, 9: 12}[len(parent)]


def bare_completeness(form_id: int, parent: str) -> int:
    from django.db import connection

    day = connection.ops.adapt_datefield_value(DAY)
    join = (
        "FROM regions_region r LEFT JOIN reports_submission s ON s.region_code = r.code "
        "AND s.form_id = %s AND s.period_start = %s "
        "WHERE r.level = 'village' AND r.code >= %s AND r.code < %s"
    )  # per unit, the unique (form, code, period) index answers the join
    counted = {
        "approved": "s.state = 'approved' AND NOT s.zero",
        "submitted": "s.state = 'submitted' AND NOT s.zero",
        "zero": "s.state IN ('submitted', 'approved') AND s.zero",
        "returned": "s.state = 'returned'",
        "draft": "s.state = 'draft'",
        "missing": "s.id IS NULL",
        "on_time": "s.state IN ('submitted', 'approved') AND NOT s.late",
        "late": "s.state IN ('submitted', 'approved') AND s.late",
    }
    sums = ", ".join(f"SUM(CASE WHEN {test} THEN 1 ELSE 0 END)" for test in counted.values())
    params = [form_id, day, parent, upper(parent)]
    length = child(parent)
    named = join.replace(
        "WHERE", f"LEFT JOIN regions_region n ON n.code = substr(r.code, 1, {length}) WHERE"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT substr(r.code, 1, {length}) AS row_code, n.name, COUNT(*), {sums} "
            f"{named} GROUP BY 1, 2",
            params,
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"SELECT r.code, r.name, s.state {join} "
            "AND (s.id IS NULL OR s.state IN ('draft', 'returned')) ORDER BY r.code",
            params,
        )
        return len(rows) + len(cursor.fetchall())


def json_number(name: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"CAST(NULLIF(\"values\" ->> '{name}', '') AS double precision)"
    return f"CAST(NULLIF(json_extract(\"values\", '$.\"{name}\"'), '') AS REAL)"


def bare_rollup(form_id: int, parent: str) -> int:
    from django.db import connection

    day = connection.ops.adapt_datefield_value(DAY)
    length = child(parent)
    sums = ", ".join(f"SUM({json_number(name)})" for name in NUMBERS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT substr(region_code, 1, {length}), COUNT(*), "
            f"SUM(CASE WHEN zero THEN 1 ELSE 0 END), {sums} FROM reports_submission "
            "WHERE form_id = %s AND period_start = %s AND state IN ('submitted', 'approved') "
            f"AND substr(region_code, 1, {len(parent)}) = %s GROUP BY 1",
            [form_id, day, parent],
        )
        sums_found = cursor.fetchall()
        cursor.execute(
            f"SELECT substr(r.code, 1, {length}), n.name, COUNT(*) FROM regions_region r "
            f"JOIN regions_region n ON n.code = substr(r.code, 1, {length}) "
            "WHERE r.level = 'village' AND r.code >= %s AND r.code < %s GROUP BY 1, 2",
            [parent, upper(parent)],
        )
        return len(sums_found) + len(cursor.fetchall())


# --- ours -----------------------------------------------------------------------------------


def ours_completeness(form: Any, parent: Any) -> int:
    from django.utils import timezone

    from wangge.reports import periods, rollup

    table = rollup.completeness(form, periods.Period(DAY, DAY), parent, timezone.now())
    return len(table.rows) + len(table.outstanding)


def ours_rollup(form: Any, parent: Any) -> int:
    from wangge.reports import periods, rollup

    return len(rollup.rollup(form, periods.Period(DAY, DAY), parent).rows)


def agreement(form: Any, parent: Any) -> str:
    """Our totals against the bare SQL's, so both measure the same thing."""
    from django.db import connection
    from django.utils import timezone

    from wangge.reports import periods, rollup

    period = periods.Period(DAY, DAY)
    table = rollup.completeness(form, period, parent, timezone.now())
    summed = rollup.rollup(form, period, parent)
    day = connection.ops.adapt_datefield_value(DAY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), SUM({json_number('found')}) FROM reports_submission "
            "WHERE form_id = %s AND period_start = %s AND state IN ('submitted', 'approved') "
            f"AND substr(region_code, 1, {len(parent.code)}) = %s",
            [form.pk, day, parent.code],
        )
        count, found = cursor.fetchone()
    assert table.total.reported == count == summed.total.covered, (table.total, count)
    assert summed.total.value("found") == found, (summed.total.value("found"), found)
    return f"in {count:,}, found {found:,.0f}, units {table.total.expected:,}"


def timings(kinds: dict[str, Callable[[], int]], repeats: int) -> dict[str, tuple[float, float]]:
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for function in kinds.values():
        function()  # warm: plans, caches
    for _ in range(repeats):
        for kind, function in kinds.items():
            began = time.perf_counter()
            function()
            times[kind].append((time.perf_counter() - began) * 1000)
    return {kind: (statistics.median(each), min(each)) for kind, each in times.items()}


def measure(form: Any, repeats: int) -> None:
    from wangge.regions.models import Region

    print(f"  ms, median (fastest) of {repeats} alternating runs, for {DAY.isoformat()}")
    print("  under        rows  units   what           ours            bare       ours/bare")
    for label, code in PARENTS.items():
        parent = Region.objects.get(code=code)
        check = agreement(form, parent)
        kinds = {
            "completeness": lambda parent=parent: ours_completeness(form, parent),
            "bare completeness": lambda code=code: bare_completeness(form.pk, code),
            "rollup": lambda parent=parent: ours_rollup(form, parent),
            "bare rollup": lambda code=code: bare_rollup(form.pk, code),
        }
        figures = timings(kinds, repeats)
        rows = Region.objects.filter(parent_id=code).count()
        units = Region.objects.filter(level="village", code__startswith=code).count()
        for what in ("completeness", "rollup"):
            ours, bare = figures[what], figures[f"bare {what}"]
            print(
                f"  {label:<10}{rows:>6}{units:>7}   {what:<13}"
                f"{ours[0]:7.1f} ({ours[1]:5.1f}) {bare[0]:7.1f} ({bare[1]:5.1f})"
                f"   {ours[0] / bare[0]:5.2f}×"
            )
        print(f"  {'':<10}check: {check}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--database-url", help="postgres://…/postgres (a new database is made)")
    options = parser.parse_args()
    print("command:", shlex.join([".venv/bin/python", "bench/reports.py", *sys.argv[1:]]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    with fresh_database(options.database_url, "reports") as where:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from wangge.accounts.models import User

        call_command("migrate", verbosity=0)
        print(f"{where}; Django {django.get_version()}; engine {connection.vendor}")
        units = load_tree()
        author = User.objects.create(username="bench", name="bench")
        form = form_and_period(author)
        count, seconds = load_month(form)
        print(f"{units:,} units; {count:,} daily reports of {len(MONTH)} days in {seconds:.0f} s")
        measure(form, options.repeats)


if __name__ == "__main__":
    main()
