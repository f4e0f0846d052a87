"""Audit chain throughput: `record()` against a bare `bulk_create`, then `verify`.

    .venv/bin/python bench/audit.py [--rows 100000] [--verify-rows 1000000]
    .venv/bin/python bench/audit.py --database-url postgres://postgres@127.0.0.1:5432/wangge
    .venv/bin/python bench/audit.py --database-url postgres://… --prepare-threshold 5

1. A fresh database: SQLite in a temporary folder, or, with --database-url, a new PostgreSQL
   database on that server (created here, dropped at the end; the named one is not touched).
2. `record()`: --rows entries appended in one transaction, as a bulk operation would (the
   chain lock taken once, the head remembered), committed. On PostgreSQL each INSERT goes
   with server-side parameters, and as a prepared statement with --prepare-threshold (the
   deployment switch WANGGE_DB_PREPARE_THRESHOLD, off by default).
3. Baselines, same run, same table, each in one transaction then rolled back so the chain
   stays whole: the same rows built as model instances and written with one `bulk_create`;
   and the same rows, prepared beforehand, through the driver alone (sqlite3 `executemany`,
   PostgreSQL `COPY`). Timings are taken inside the open transaction; the commit of step 2
   is shown apart.
4. The chain filled up to --verify-rows entries with `record()`, then `chain_verify()`.
"""

import argparse
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchdb import fresh_database  # noqa: E402  (after the path is set)

REGION = "620502001001001"


def bench_request() -> Any:
    from django.http import HttpRequest

    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "10.62.5.2"
    return request


def record_rows(count: int, actor: Any, start: int = 0) -> float:
    """Seconds for `count` record() calls inside one transaction (commit excluded)."""
    from django.db import transaction

    from wangge.audit.services import record

    request = bench_request()
    with transaction.atomic():
        started = time.perf_counter()
        for number in range(start, start + count):
            record(
                actor=actor,
                action="person.read_unmasked",
                target=actor,
                purpose="核实住户信息",
                details={"row": number, "fields": ["id_number", "mobile"]},
                request=request,
                region_code=REGION,
            )
        return time.perf_counter() - started


def bare_rows(count: int, actor: Any) -> float:
    """Seconds for the same rows through one bulk_create (then rolled back)."""
    from django.db import transaction
    from django.utils import timezone

    from wangge.audit.models import AuditEntry

    with transaction.atomic():
        started = time.perf_counter()
        now = timezone.now()
        AuditEntry.objects.bulk_create(
            AuditEntry(
                at=now,
                actor_id=actor.pk,
                actor_label=actor.username,
                action="person.read_unmasked",
                target_type="accounts.user",
                target_id=str(actor.pk),
                target_label=str(actor),
                region_code=REGION,
                purpose="核实住户信息",
                details={"row": number, "fields": ["id_number", "mobile"]},
                ip="10.62.5.2",
                prev_hash=f"b{number:063x}",
                hash=f"c{number:063x}",
            )
            for number in range(count)
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def raw_rows(count: int, actor: Any) -> list[tuple[Any, ...]]:
    """The same rows as the driver receives them, built before timing."""
    import json

    from django.db import connection
    from django.utils import timezone

    from wangge.audit.services import INSERTED_FIELDS

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for number in range(count):
        values = {
            "at": now,
            "actor_id": actor.pk,
            "actor_label": actor.username,
            "action": "person.read_unmasked",
            "target_type": "accounts.user",
            "target_id": str(actor.pk),
            "target_label": str(actor),
            "region_code": REGION,
            "purpose": "核实住户信息",
            "details": json.dumps({"row": number, "fields": ["id_number", "mobile"]}),
            "ip": "10.62.5.2",
            "prev_hash": f"d{number:063x}",
            "hash": f"e{number:063x}",
        }
        rows.append(tuple(values[field.attname] for field in INSERTED_FIELDS))
    return rows


def bare_driver_rows(count: int, actor: Any) -> float:
    """Seconds for the same rows through the driver alone: sqlite3 executemany, or
    PostgreSQL COPY (then rolled back)."""
    from django.db import connection, transaction

    from wangge.audit.models import AuditEntry
    from wangge.audit.services import INSERTED_FIELDS

    rows = raw_rows(count, actor)
    columns = ", ".join(field.column for field in INSERTED_FIELDS)
    table = AuditEntry._meta.db_table
    with transaction.atomic():
        raw = connection.connection
        started = time.perf_counter()
        if connection.vendor == "sqlite":
            marks = ", ".join("?" * len(INSERTED_FIELDS))
            raw.cursor().executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        else:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def timed_commit(function: Any, *args: Any) -> tuple[float, float]:
    started = time.perf_counter()
    inside = function(*args)
    return inside, time.perf_counter() - started - inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--verify-rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="postgres://… : bench PostgreSQL instead")
    parser.add_argument(
        "--prepare-threshold",
        type=int,
        help="PostgreSQL: run with WANGGE_DB_PREPARE_THRESHOLD set (default: unset, as Django)",
    )
    options = parser.parse_args()
    print("command:", shlex.join(["python", "bench/audit.py", *sys.argv[1:]]))
    if options.prepare_threshold is None:
        os.environ.pop("WANGGE_DB_PREPARE_THRESHOLD", None)
    else:
        os.environ["WANGGE_DB_PREPARE_THRESHOLD"] = str(options.prepare_threshold)
    with fresh_database(options.database_url, "audit") as where:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
        os.environ["WANGGE_DEBUG"] = "0"  # as in production: no query log kept in memory
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from wangge.accounts.models import User
        from wangge.audit.selectors import chain_verify

        call_command("migrate", verbosity=0)
        actor = User.objects.create(username="bench", name="压测")
        prepared = options.prepare_threshold is not None and options.database_url
        threshold = f", WANGGE_DB_PREPARE_THRESHOLD={options.prepare_threshold}" if prepared else ""
        print(f"{where}; Django {django.get_version()}{threshold}")

        ours, commit = timed_commit(record_rows, options.rows, actor)
        bare = bare_rows(options.rows, actor)
        driver = bare_driver_rows(options.rows, actor)
        rows = options.rows
        driver_name = "executemany" if connection.vendor == "sqlite" else "COPY"
        print(
            f"{rows:,} rows, one transaction each:\n"
            f"  bare bulk_create : {bare:7.2f} s  {rows / bare:10,.0f} rows/s\n"
            f"  driver {driver_name:<10}: {driver:7.2f} s  {rows / driver:10,.0f} rows/s\n"
            f"  record()         : {ours:7.2f} s  {rows / ours:10,.0f} rows/s"
            f"  (commit {commit:.2f} s more)\n"
            f"  ratio record() / bare bulk_create: {bare / ours:.2f}\n"
            f"  ratio record() / driver {driver_name}: {driver / ours:.2f}"
        )
        started = time.perf_counter()
        written = rows
        while written < options.verify_rows:
            batch = min(100_000, options.verify_rows - written)
            record_rows(batch, actor, written)
            written += batch
        print(f"(chain filled to {written:,} rows in {time.perf_counter() - started:.1f} s)")
        started = time.perf_counter()
        report = chain_verify()
        seconds = time.perf_counter() - started
        assert report.intact, report
        print(
            f"verify: {report.rows:,} rows in {seconds:.2f} s, "
            f"{report.rows / seconds:,.0f} rows/s; chain intact"
        )


if __name__ == "__main__":
    main()
