"""Daily counts per village, category and lead unit, moved by the services as events happen
(one upsert in the acting transaction), so statistics read a table whose size grows with
days × places × categories, not with the number of cases.

Columns (each counted on the local day the event happened):
reported, registered, dispatched (first dispatch), closed, closed_on_time (closed, and fed
back by the due moment), reworked, extended (approved extensions), rated, satisfied.
A reopened case takes its closure back from the day it was closed.
"""

from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from wangge.cases.models import DailyRollup

COUNTS = (
    "reported",
    "registered",
    "dispatched",
    "closed",
    "closed_on_time",
    "reworked",
    "extended",
    "rated",
    "satisfied",
)


def key_of(case: Any, at: datetime) -> tuple[Any, str, str, int]:
    return (
        timezone.localtime(at).date(),
        case.region_code[:12],
        case.category_code,
        case.lead_department_id or 0,
    )


def add(case: Any, at: datetime, **counts: int) -> None:
    """Add `counts` to the row of the case's village, category and unit on `at`'s day."""
    unknown = set(counts) - set(COUNTS)
    if unknown:
        raise ValueError(f"Unknown rollup columns: {sorted(unknown)}")
    day, region, category, department = key_of(case, at)
    table = DailyRollup._meta.db_table
    names = list(counts)
    columns = ", ".join(["day", "region_code", "category_code", "department_id", *names])
    marks = ", ".join(["%s"] * (4 + len(names)))
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in names)
    defaults = [name for name in COUNTS if name not in counts]
    # Columns not given start at 0 (the model's defaults are not in the table).
    columns += "".join(f", {name}" for name in defaults)
    marks += "".join(", 0" for _ in defaults)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "
        f"ON CONFLICT (day, region_code, category_code, department_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, region, category, department, *counts.values()])
