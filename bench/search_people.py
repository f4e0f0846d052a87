"""Register search latency: `persons_search` against the same query in bare SQL.

    .venv/bin/python bench/search_people.py [--people 1000000] [--repeats 30]
    .venv/bin/python bench/search_people.py --database-url postgres://postgres@127.0.0.1:5432/x

1. A fresh database (SQLite in a temporary folder, or a new PostgreSQL database on the
   server of --database-url, dropped at the end; the named one is not touched), migrated.
2. The demo district with a synthetic population of --people residents
   (`demo_district_load(scale="district", people=N)`), then ANALYZE.
3. Per query kind, --repeats runs of each, alternating: ours is
   `list(persons_search(Person.objects.all(), PersonFilter(...))[:50])` (SQL built, run
   and turned into model instances); bare is the equivalent SELECT of the same columns with
   the same WHERE / ORDER BY / LIMIT through `cursor.execute`, rows fetched as tuples.
   The search values rotate over several real names, numbers and grids of the population,
   so neither side reads one cached answer. Median and p95 in milliseconds.
4. For comparison, bare SQL only: index-friendly forms of three of them (a pinyin prefix as
   a range `>= 'zhangwei' AND < 'zhangwej'`, a grid code as equality), then the plan each
   engine chose for every bare query (EXPLAIN), and the SQL Django emitted.
"""

import argparse
import os
import shlex
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchdb import fresh_database  # noqa: E402  (after the path is set)

COLUMNS = "p.*"
TABLE = "people_person p"


def samples(count: int) -> dict[str, list[Any]]:
    """Search values taken from the loaded population, a few per kind."""
    from wangge.people.models import Person

    total = Person.objects.count()
    step = max(1, total // count)
    people = list(
        Person.objects.exclude(mobile="")
        .filter(pk__in=list(range(step // 2, total, step)))
        .values(
            "id_number",
            "name",
            "name_pinyin",
            "name_initials",
            "mobile",
            "region_code",
            "current_address",
        )
    )
    return {
        "identity number": [p["id_number"] for p in people],
        "pinyin prefix": ["zhangwei"] + [p["name_pinyin"] for p in people],
        "initials": ["zw"] + [p["name_initials"] for p in people],
        "characters": ["张伟"] + [p["name"] for p in people],
        "mobile": [p["mobile"] for p in people],
        "address": [address_part(p["current_address"]) for p in people],
        "grid + category": [p["region_code"] for p in people],
        "township + age": [p["region_code"][:9] for p in people],
        "tag": ["低保", "残疾人", "空巢老人", "退役军人"],
    }


def address_part(address: str) -> str:
    """What someone types of an address: the street or group and the number (进步巷12号)."""
    for marker in ("号", "组"):
        if marker in address:
            end = address.index(marker) + 1
            return address[max(0, end - 8) : end]
    return address[-6:]


AGE_FROM, AGE_TO = 60, 79


def ours(kind: str, value: str) -> list[Any]:
    from wangge.people.models import Person
    from wangge.people.selectors import PersonFilter, persons_search

    if kind == "grid + category":
        criteria = PersonFilter(region_code=value, category="registered")
    elif kind == "township + age":
        criteria = PersonFilter(region_code=value, age_from=AGE_FROM, age_to=AGE_TO)
    elif kind == "tag":
        criteria = PersonFilter(tag=value)
    else:
        criteria = PersonFilter(text=value)
    return list(persons_search(Person.objects.all(), criteria)[:50])


def bare_sql(kind: str, value: str, vendor: str) -> tuple[str, list[Any]]:
    """The equivalent query, written by hand as a person would for this engine."""
    like = "LIKE %s ESCAPE '\\'" if vendor == "sqlite" else "LIKE %s"
    order = "ORDER BY p.name_pinyin, p.id LIMIT 50"
    if kind == "identity number":
        return f"SELECT {COLUMNS} FROM {TABLE} WHERE p.id_number = %s {order}", [value]
    if kind == "mobile":
        return f"SELECT {COLUMNS} FROM {TABLE} WHERE p.mobile = %s {order}", [value]
    if kind in {"pinyin prefix", "initials"}:
        where = f"p.name_pinyin {like} OR p.name_initials {like}"
        return f"SELECT {COLUMNS} FROM {TABLE} WHERE {where} {order}", [value + "%"] * 2
    if kind in {"characters", "address"}:
        where = f"p.name {like} OR p.former_names {like} OR p.current_address {like}"
        return f"SELECT {COLUMNS} FROM {TABLE} WHERE {where} {order}", [f"%{value}%"] * 3
    if kind == "township + age":
        return township_age_sql(value, like, order)
    if kind == "tag":
        join = "INNER JOIN people_persontag t ON t.person_id = p.id"
        return f"SELECT {COLUMNS} FROM {TABLE} {join} WHERE t.name = %s {order}", [value]
    join = "INNER JOIN people_personcategory c ON c.person_id = p.id"
    where = f"p.region_code {like} AND c.kind = %s AND c.ends_on IS NULL"
    sql = f"SELECT {COLUMNS} FROM {TABLE} {join} WHERE {where} {order}"
    return sql, [value + "%", "registered"]


def township_age_sql(value: str, like: str, order: str) -> tuple[str, list[Any]]:
    import datetime

    from wangge.people.selectors import years_before

    today = datetime.date.today()
    where = f"p.region_code {like} AND p.birth_date <= %s AND p.birth_date > %s"
    params = [value + "%", years_before(today, AGE_FROM), years_before(today, AGE_TO + 1)]
    return f"SELECT {COLUMNS} FROM {TABLE} WHERE {where} {order}", params


def alternative_sql(kind: str, value: str, vendor: str) -> tuple[str, list[Any]]:
    """Index-friendly forms, for comparison: a prefix as a range, a grid code as equality."""
    order = "ORDER BY p.name_pinyin, p.id LIMIT 50"
    if kind == "grid + category":
        join = "INNER JOIN people_personcategory c ON c.person_id = p.id"
        where = "p.region_code = %s AND c.kind = %s AND c.ends_on IS NULL"
        return f"SELECT {COLUMNS} FROM {TABLE} {join} WHERE {where} {order}", [value, "registered"]
    after = value[:-1] + chr(ord(value[-1]) + 1)
    where = (
        "(p.name_pinyin >= %s AND p.name_pinyin < %s)"
        " OR (p.name_initials >= %s AND p.name_initials < %s)"
    )
    return f"SELECT {COLUMNS} FROM {TABLE} WHERE {where} {order}", [value, after] * 2


ALTERNATIVES = {"pinyin prefix": "as a range", "initials": "as a range", "grid + category": "="}


def alternative(kind: str, value: str) -> list[Any]:
    from django.db import connection

    sql, params = alternative_sql(kind, value, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def bare(kind: str, value: str) -> list[Any]:
    from django.db import connection

    sql, params = bare_sql(kind, value, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def timed(function: Any, *args: Any) -> tuple[float, int]:
    started = time.perf_counter()
    rows = function(*args)
    return (time.perf_counter() - started) * 1000, len(rows)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(kind: str, values: list[str], repeats: int) -> str:
    ours_ms, bare_ms, found = [], [], []
    for index in range(repeats):
        value = values[index % len(values)]
        if index % 2:
            bare_ms.append(timed(bare, kind, value)[0])
            milliseconds, rows = timed(ours, kind, value)
            ours_ms.append(milliseconds)
        else:
            milliseconds, rows = timed(ours, kind, value)
            ours_ms.append(milliseconds)
            bare_ms.append(timed(bare, kind, value)[0])
        found.append(rows)
    ours_median, bare_median = statistics.median(ours_ms), statistics.median(bare_ms)
    return (
        f"  {kind:<16} ours {ours_median:8.2f} / {percentile(ours_ms, 0.95):8.2f}   "
        f"bare {bare_median:8.2f} / {percentile(bare_ms, 0.95):8.2f}   "
        f"ratio {ours_median / bare_median:5.2f}   rows {statistics.median(found):.0f}"
    )


def measure_alternative(kind: str, values: list[str], repeats: int) -> str:
    milliseconds = [timed(alternative, kind, values[i % len(values)])[0] for i in range(repeats)]
    label = f"{kind} {ALTERNATIVES[kind]}"
    return (
        f"  {label:<27} bare {statistics.median(milliseconds):8.2f} / "
        f"{percentile(milliseconds, 0.95):8.2f}"
    )


def explained(sql: str, params: list[Any]) -> str:
    from django.db import connection

    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        steps = [str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor]
    return " | ".join(step.strip() for step in steps)


def plans(values: dict[str, list[str]]) -> None:
    from django.db import connection

    from wangge.people.models import Person
    from wangge.people.selectors import PersonFilter, persons_search

    print("plans of the bare queries:")
    for kind, kind_values in values.items():
        print(f"  {kind}: " + explained(*bare_sql(kind, kind_values[0], connection.vendor)))
    for kind in ALTERNATIVES:
        sql, params = alternative_sql(kind, values[kind][0], connection.vendor)
        print(f"  {kind} {ALTERNATIVES[kind]}: " + explained(sql, params))
    query = persons_search(Person.objects.all(), PersonFilter(text="zhangwei"))[:50]
    print("Django's SQL for text='zhangwei':", str(query.query).split(" WHERE ")[1])
    print("  its plan: " + " | ".join(line.strip() for line in query.explain().splitlines()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--database-url", help="postgres://… : bench PostgreSQL instead")
    options = parser.parse_args()
    print("command:", shlex.join(["python", "bench/search_people.py", *sys.argv[1:]]))
    with fresh_database(options.database_url, "search") as where:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
        os.environ["WANGGE_DEBUG"] = "0"  # no query log kept in memory
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from wangge.demo.services import demo_district_load

        call_command("migrate", verbosity=0)
        print(f"{where}; Django {django.get_version()}; engine {connection.vendor}")
        started = time.perf_counter()
        summary = demo_district_load(scale="district", people=options.people)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        assert summary.population is not None
        print(
            f"loaded {summary.population.people:,} people, {summary.grids:,} grids "
            f"in {time.perf_counter() - started:.0f} s"
        )
        values = samples(20)
        print(f"{options.repeats} runs per kind, first page of 50; milliseconds median / p95:")
        for kind, kind_values in values.items():
            print(measure(kind, kind_values, options.repeats))
        print("index-friendly forms of the same queries (bare SQL only):")
        for kind in ALTERNATIVES:
            print(measure_alternative(kind, values[kind], options.repeats))
        plans(values)


if __name__ == "__main__":
    main()
