"""Writing a checked register file (`importers.Parsed`) fast, all or nothing by default.

Rows go in as tuples with `executemany` in batches inside one transaction (Django's per-row
work in `bulk_create` costs more than the database here, see docs/performance.md); their
history rows follow in bulk, and the import is one audit entry with its counts, not one per
person. People already in the register follow the policy: stop (a problem per row), skip, or
update their base record.
"""

import contextlib
import datetime
import functools
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core.errors import ImportFailed
from wangge.core.masking import mask_identity_number
from wangge.people.importers import COLUMNS, CellProblem, Parsed, PersonRow
from wangge.people.models import Change, ImportJob, ImportStatus, Person, PersonCategory
from wangge.people.names import name_keys
from wangge.people.services import PERSON_FIELDS

BATCH = 2000
POLICIES = ("stop", "skip", "update")
# What an import writes or updates: the fields a caller may set (but the relation to the
# head, which belongs to the household), the search keys and the grid.
WRITTEN_FIELDS = (
    "name",
    "former_names",
    "name_pinyin",
    "name_initials",
    *(name for name in PERSON_FIELDS if name not in {"name", "former_names", "relation_to_head"}),
    "region_code",
)
Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[CellProblem] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "problems": len(self.problems),
        }


@functools.lru_cache(maxsize=1 << 18)
def keys_of(name: str) -> tuple[str, str]:
    """Names repeat a lot in a district: the pinyin of each is worked out once."""
    return name_keys(name)


def people_import(
    *,
    actor: Any,
    parsed: Parsed,
    file_name: str,
    policy: str = "stop",
    partial: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Write the good rows of a checked file. Without `partial`, any problem (in the file or
    against the register under the stop policy) writes nothing and raises ImportFailed."""
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}")
    try:
        return rows_import(actor, parsed, file_name, policy, partial, progress)
    except ImportFailed as failure:
        # Recorded: rows outside the importer's scope may be a probe.
        details = {"problems": len(failure.problems), "file": Path(file_name).name}
        record(actor=actor, action="people.import_refused", details=details)
        raise


def rows_import(
    actor: Any,
    parsed: Parsed,
    file_name: str,
    policy: str,
    partial: bool,
    progress: Progress | None,
) -> ImportResult:
    with transaction.atomic():
        existing = existing_ids([row.id_number for row in parsed.rows])
        result = ImportResult(problems=list(parsed.problems))
        if policy == "stop":
            result.problems += registered_problems(parsed.rows, existing)
        if result.problems and not partial:
            raise ImportFailed(sorted(result.problems, key=lambda p: p.line or 0))
        new = [row for row in parsed.rows if row.id_number not in existing]
        old = [row for row in parsed.rows if row.id_number in existing]
        now = timezone.now()
        with large_cache():
            result.created = rows_insert(actor, new, now, progress, len(parsed.rows))
        if policy == "update":
            result.updated = rows_update(actor, old, existing, now)
        else:
            result.skipped = len(old) if policy == "skip" else 0
        result.problems.sort(key=lambda p: p.line or 0)
        details = {**result.summary(), "file": Path(file_name).name, "policy": policy}
        record(actor=actor, action="people.imported", details=details | {"partial": partial})
    return result


@contextlib.contextmanager
def large_cache(kibibytes: int = 256 * 1024) -> Iterator[None]:
    """SQLite: a page cache large enough for the indexes being filled, for this import only
    (index maintenance dominates a large insert; the default cache is 2 MB)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kibibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def existing_ids(numbers: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        found.update(Person.objects.filter(id_number__in=chunk).values_list("id_number", "pk"))
    return found


def registered_problems(rows: Sequence[PersonRow], existing: dict[str, int]) -> list[CellProblem]:
    message = _("This identity number is registered already.")
    return [
        CellProblem(
            message,
            line=row.line,
            column=COLUMNS["id_number"][0],
            value=mask_identity_number(row.id_number),
        )
        for row in rows
        if row.id_number in existing
    ]


def person_tuple(row: PersonRow, stamp: Any, ops: Any) -> tuple[Any, ...]:
    """The row as the driver takes it; `stamp` is the time, adapted for the database, and
    `ops` the connection's operations (looked up once: the proxy costs per access)."""
    values = row.values
    pinyin, initials = keys_of(values["name"])
    return (
        row.id_number,
        values["name"],
        values.get("former_names", ""),
        pinyin,
        initials,
        values["sex"],
        ops.adapt_datefield_value(values["birth_date"]),
        values.get("ethnicity", ""),
        "",
        values.get("marital_status", ""),
        values.get("political_status", ""),
        values.get("education", ""),
        values.get("religion", ""),
        values.get("occupation", ""),
        values.get("mobile", ""),
        values.get("registered_region_code", ""),
        values.get("registered_address", ""),
        values.get("current_address", ""),
        row.region_code,
        "",
        "active",
        1,
        stamp,
        stamp,
    )


def copy_used() -> bool:
    """PostgreSQL's COPY writes rows about three times faster than `executemany` there; the
    portable path stays for SQLite and when WANGGE_IMPORT_COPY is off."""
    return connection.vendor == "postgresql" and bool(getattr(settings, "WANGGE_IMPORT_COPY", True))


def table_columns(model: Any, names: Sequence[str]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    return quote(model._meta.db_table), columns


def rows_write(cursor: Any, model: Any, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    table, columns = table_columns(model, names)
    if not copy_used():
        marks = ", ".join(["%s"] * len(names))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        return
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


PERSON_INSERT_FIELDS = (
    "id_number",
    *WRITTEN_FIELDS,
    "relation_to_head",
    "status",
    "version",
    "created_at",
    "updated_at",
)
CHANGE_INSERT_FIELDS = (
    "record_type",
    "record_id",
    "action",
    "actor",
    "at",
    "changes",
    "region_code",
)


def rows_insert(
    actor: Any,
    rows: Sequence[PersonRow],
    now: datetime.datetime,
    progress: Progress | None,
    total: int,
) -> int:
    actor_id = getattr(actor, "pk", None)
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            people = [person_tuple(row, stamp, ops) for row in chunk]
            rows_write(cursor, Person, PERSON_INSERT_FIELDS, people)
            ids = ids_of(cursor, [row.id_number for row in chunk])
            changes = [
                change_tuple(row, ids[row.id_number], "imported", actor_id, stamp, ops)
                for row in chunk
            ]
            rows_write(cursor, Change, CHANGE_INSERT_FIELDS, changes)
            categories_insert([(ids[row.id_number], row.category) for row in chunk if row.category])
            if progress:
                progress("written", start + len(chunk), total)
    return len(rows)


def ids_of(cursor: Any, numbers: Sequence[str]) -> dict[str, int]:
    """The keys of rows just written (one indexed query; the ORM's `__in` costs more here)."""
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(numbers))
    cursor.execute(
        f"SELECT {quote('id_number')}, {quote('id')} FROM {quote(Person._meta.db_table)} "
        f"WHERE {quote('id_number')} IN ({marks})",
        list(numbers),
    )
    return dict(cursor.fetchall())


def change_tuple(
    row: PersonRow, pk: int, action: str, actor_id: Any, stamp: Any, ops: Any
) -> tuple[Any, ...]:
    changes = ops.adapt_json_value(
        {"id_number": mask_identity_number(row.id_number), "source": "import"}, None
    )
    return ("person", pk, action, actor_id, stamp, changes, row.region_code)


def categories_insert(pairs: Sequence[tuple[int, str]]) -> None:
    if pairs:
        PersonCategory.objects.bulk_create(
            [PersonCategory(person_id=pk, kind=kind) for pk, kind in pairs], batch_size=BATCH
        )


def rows_update(
    actor: Any, rows: Sequence[PersonRow], existing: dict[str, int], now: datetime.datetime
) -> int:
    """The base record takes the file's values; its history says which fields changed."""
    if not rows:
        return 0
    people = Person.objects.in_bulk([existing[row.id_number] for row in rows])
    changed_people, changes = [], []
    for row in rows:
        person = people[existing[row.id_number]]
        fields = person_fields_set(person, row)
        if not fields:
            continue
        person.version += 1
        person.updated_at = now
        changed_people.append(person)
        changes.append(
            Change(
                record_type="person",
                record_id=person.pk,
                action="updated",
                actor=actor if getattr(actor, "pk", None) else None,
                at=now,
                changes={"fields": sorted(fields), "source": "import"},
                region_code=person.region_code,
            )
        )
    Person.objects.bulk_update(
        changed_people, [*WRITTEN_FIELDS, "version", "updated_at"], batch_size=500
    )
    Change.objects.bulk_create(changes, batch_size=BATCH)
    return len(changed_people)


def error_workbook(problems: Sequence[CellProblem]) -> bytes:
    """The problems as a workbook to fix the file by: row, column, value (masked), reason."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Problems"))
    sheet.append([_("Row"), _("Column"), _("Value"), _("Reason")])
    for item in problems:
        value = getattr(item, "value", "")
        safe = "'" + value if value.startswith(("=", "+", "-", "@")) else value
        sheet.append([item.line, item.column or "", safe, item.message])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person_fields_set(person: Person, row: PersonRow) -> list[str]:
    values = {**row.values, "region_code": row.region_code}
    values["name_pinyin"], values["name_initials"] = keys_of(row.values["name"])
    fields = []
    for name in WRITTEN_FIELDS:
        if name in values and getattr(person, name) != values[name]:
            setattr(person, name, values[name])
            fields.append(name)
    return fields


def import_job_create(
    *,
    actor: Any,
    content: bytes,
    file_name: str,
    encoding: str = "auto",
    policy: str = "stop",
    partial: bool = False,
) -> ImportJob:
    """Keep the uploaded file under the data directory and queue its import."""
    from wangge.people.tasks import people_import_task

    folder = imports_folder()
    job = ImportJob.objects.create(
        owner=actor,
        file_name=Path(file_name).name[:200],
        encoding=encoding,
        policy=policy,
        partial=partial,
    )
    path = folder / f"{job.pk}{Path(file_name).suffix.lower()[:8]}"
    path.write_bytes(content)
    job.path = str(path)
    job.save(update_fields=["path"])
    transaction.on_commit(lambda: people_import_task.enqueue(job.pk))
    return job


def imports_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def import_job_run(job_id: int) -> ImportJob:
    """Run a queued import as its owner, within the owner's scope; record the outcome."""
    from wangge.core.scope import user_scope
    from wangge.people.importers import people_file_parse

    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)

    def progress(stage: str, done: int, total: int) -> None:
        # Writing runs in one transaction: its progress would show only once it is over.
        if stage == "validated":
            ImportJob.objects.filter(pk=job.pk).update(
                stage=stage, done_rows=done, total_rows=total
            )

    try:
        parsed = people_file_parse(
            Path(job.path).read_bytes(),
            filename=job.file_name,
            encoding=job.encoding,
            scope=user_scope(job.owner),
            progress=progress,
        )
        ImportJob.objects.filter(pk=job.pk).update(stage="writing")
        result = people_import(
            actor=job.owner,
            parsed=parsed,
            file_name=job.file_name,
            policy=job.policy,
            partial=job.partial,
            progress=progress,
        )
    except ImportFailed as failure:
        return job_finish(
            job, ImportStatus.FAILED, {"problems": len(failure.problems)}, failure.problems
        )
    return job_finish(job, ImportStatus.DONE, result.summary(), result.problems)


def job_finish(
    job: ImportJob, status: str, summary: dict[str, Any], problems: Sequence[Any]
) -> ImportJob:
    job.refresh_from_db()
    job.status = status
    first = [
        {"line": item.line, "column": item.column or "", "message": item.message}
        for item in problems[:20]
    ]
    job.summary = {**summary, "first": first}
    if problems:
        path = imports_folder() / f"{job.pk}-problems.xlsx"
        path.write_bytes(error_workbook(problems))
        job.error_workbook = str(path)
    job.finished_at = timezone.now()
    job.save()
    return job
