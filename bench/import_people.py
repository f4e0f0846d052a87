"""Register import throughput: our whole import path against the driver writing the same rows.

    .venv/bin/python bench/import_people.py [--rows 1000000] [--located 0.3]
    .venv/bin/python bench/import_people.py --rows 100000 --database-url postgres://postgres@127.0.0.1:5432/wangge_bench

1. A fresh database (SQLite in a temporary folder, or a new PostgreSQL database on the
   server of --database-url, dropped at the end) with the demo district (real 秦州区
   divisions, derived grids).
2. --rows people with valid identity numbers of area 620502, Chinese names and mobiles, as a
   UTF-8 CSV file in the template's Chinese columns; --located of them give no grid code but
   GCJ-02 coordinates inside a grid (located in one vectorised lookup), the rest a grid code.
3. Baseline, first, then rolled back: the finished person rows (pinyin keys and all, built
   before timing) through the driver alone in one transaction: sqlite3 `executemany`, or
   PostgreSQL `COPY`. On SQLite once more with the 256 MB page cache that ours sets while
   writing (`imports.large_cache`), so that the cache's share of the gain is visible.
4. Ours, rolled back likewise: `people_file_parse` (decode, check every cell and identity
   number, locate, duplicates) and `people_import` (person rows, the register's unique
   index telling who is registered already, their history rows, one audit entry), timed
   from the file's bytes to the last row.

Each time is printed as wall seconds and as this process's CPU seconds: on a shared machine
the CPU seconds move less with the load. For SQLite they hold all the work; for PostgreSQL
only the client's share, so the ratios there are wall-clock only.
"""

import argparse
import contextlib
import json
import os
import random
import shlex
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchdb import fresh_database  # noqa: E402  (after the path is set)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国红梅志鹏飞宇轩浩然子涵"


def grid_points() -> tuple[list[str], dict[str, tuple[float, float]]]:
    """Every grid code, and a GCJ-02 point well inside each grid."""
    import shapely

    from wangge.core.coords import from_wgs84
    from wangge.regions.models import Level, Region

    grids, points = [], {}
    for code, boundary in Region.objects.filter(level=Level.GRID).values_list("code", "boundary"):
        grids.append(code)
        inside = shapely.from_geojson(json.dumps(boundary)).representative_point()
        lon, lat = from_wgs84(inside.x, inside.y, "gcj02")
        points[code] = (round(float(lon), 7), round(float(lat), 7))
    return grids, points


def people_csv(count: int, located: float, seed: int = 620502) -> tuple[bytes, int]:
    """The file, and how many rows it has after dropping numbers the demo already holds."""
    import csv
    import datetime
    import io

    from wangge.core.ids import identity_check_character
    from wangge.people.importers import COLUMNS, TEMPLATE_FIELDS
    from wangge.people.models import Person

    rng = random.Random(seed)
    taken = set(Person.objects.values_list("id_number", flat=True))
    grids, points = grid_points()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([COLUMNS[name][0] for name in TEMPLATE_FIELDS])
    start, written, serial = datetime.date(1930, 1, 1), 0, 0
    while written < count:
        born = start + datetime.timedelta(days=serial // 999)
        first17 = f"620502{born:%Y%m%d}{serial % 999 + 1:03d}"
        serial += 1
        number = first17 + identity_check_character(first17)
        if number in taken:
            continue
        grid = rng.choice(grids)
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        cells = {
            "id_number": number,
            "name": name,
            "ethnicity": "汉族" if rng.random() < 0.9 else "01",
            "mobile": f"13{rng.randrange(10**9):09d}",
            "current_address": f"秦州区{grid[-6:]}号院",
        }
        if rng.random() < located:
            cells["lon"], cells["lat"] = points[grid]
        else:
            cells["region_code"] = grid
        writer.writerow([cells.get(name, "") for name in TEMPLATE_FIELDS])
        written += 1
    return buffer.getvalue().encode("utf-8"), written


def clock() -> tuple[float, float]:
    """Wall and CPU seconds of this process. On a shared machine the CPU seconds move less
    with the load; for SQLite they are all the work (for PostgreSQL, the client's share)."""
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


def baseline(content: bytes, *, large_cache: bool = False) -> tuple[tuple[float, float], int]:
    """Seconds (wall, CPU) for the finished rows through the driver alone (then rolled
    back)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from wangge.people import imports
    from wangge.people.importers import people_file_parse
    from wangge.people.models import Person

    parsed = people_file_parse(content, filename="bench.csv")
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [imports.person_tuple(row, stamp, connection.ops) for row in parsed.rows]
    table = Person._meta.db_table
    columns = ", ".join(
        Person._meta.get_field(name).column for name in imports.PERSON_INSERT_FIELDS
    )
    cache = imports.large_cache() if large_cache else contextlib.nullcontext()
    with cache, transaction.atomic():
        raw = connection.connection
        started = clock()
        if connection.vendor == "sqlite":
            marks = ", ".join("?" * len(imports.PERSON_INSERT_FIELDS))
            raw.cursor().executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        else:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        seconds = since(started)
        transaction.set_rollback(True)
    return seconds, len(rows)


Seconds = tuple[float, float]


def ours(content: bytes, actor: Any) -> tuple[Seconds, Seconds, int]:
    """Seconds (wall, CPU) to check the file and to write it (then rolled back)."""
    from django.db import transaction

    from wangge.people import imports
    from wangge.people.importers import people_file_parse

    imports.keys_of.cache_clear()  # the baseline's rows were built with the same cache
    with transaction.atomic():
        started = clock()
        parsed = people_file_parse(content, filename="bench.csv")
        check = since(started)
        started = clock()
        assert not parsed.problems, parsed.problems[:5]
        result = imports.people_import(actor=actor, parsed=parsed, file_name="bench.csv")
        write = since(started)
        transaction.set_rollback(True)
    return check, write, result.created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--located", type=float, default=0.3, help="share given by coordinates")
    parser.add_argument("--database-url", help="postgres://… : bench PostgreSQL instead")
    options = parser.parse_args()
    print("command:", shlex.join(["python", "bench/import_people.py", *sys.argv[1:]]))
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with fresh_database(options.database_url, "import") as where:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from wangge.accounts.models import User
        from wangge.demo.services import demo_district_load

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        demo_district_load()
        print(f"{where}; Django {django.get_version()}; engine {connection.vendor}")
        print(f"(demo district loaded in {time.perf_counter() - started:.1f} s)")
        actor = User.objects.create(username="bench", name="压测")
        content, rows = people_csv(options.rows, options.located)
        print(f"file: {rows:,} rows, {len(content) / 1e6:.1f} MB, {options.located:.0%} located")
        driver, driver_rows = baseline(content)
        sqlite = connection.vendor == "sqlite"
        cached = baseline(content, large_cache=True)[0] if sqlite else None
        check, write, created = ours(content, actor)
        assert created == driver_rows == rows, (created, driver_rows, rows)
        total = (check[0] + write[0], check[1] + write[1])
        name = "executemany" if sqlite else "COPY"
        print(f"{rows:,} people, one transaction each:{'':17}wall{'':16}CPU (this process)")
        lines = [
            (f"driver {name:<11}", driver, ""),
            ("driver, 256 MB cache", cached, "  (the page cache ours sets while writing)"),
            ("ours, check file  ", check, ""),
            ("ours, write       ", write, "  (people + history rows + one audit entry)"),
            ("ours, whole       ", total, ""),
        ]
        for label, seconds, note in lines:
            if seconds is not None:
                print(
                    f"  {label}: {seconds[0]:7.2f} s {rows / seconds[0]:9,.0f} rows/s"
                    f"   {seconds[1]:7.2f} s {rows / seconds[1]:9,.0f} rows/s{note}"
                )
        ratios = [(f"ours whole / driver {name}", driver, total)]
        ratios.append((f"ours write / driver {name}", driver, write))
        if cached is not None:
            ratios.append(("ours whole / driver with the same cache", cached, total))
        for label, base, measured in ratios:
            # PostgreSQL's share of the work is in the server, not in this process's CPU time.
            cpu = f" (CPU: {base[1] / measured[1]:.2f})" if sqlite else ""
            print(f"  ratio {label}: {base[0] / measured[0]:.2f}{cpu}")
        print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
