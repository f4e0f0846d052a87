"""Writing a checked register file (`importers.Parsed`) fast, all or nothing by default.

Rows go in as tuples with `executemany` (PostgreSQL: COPY) in batches inside one transaction
(Django's per-row work in `bulk_create` costs more than the database here, see
docs/performance.md); their history rows follow in bulk, and the import is one audit entry
with its counts, not one per person. Who is registered already is learnt from the register's
unique index as each batch is written. People already in the register follow the policy:
stop (a problem per row), skip, or update their base record. A running import reports its
progress in a small file the job page reads (`progress_write`).
"""

import contextlib
import datetime
import functools
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core.errors import ImportFailed
from wangge.core.masking import mask_identity_number
from wangge.people.codes import IdType
from wangge.people.importers import COLUMNS, CellProblem, Parsed, PersonRow, collector_paused
from wangge.people.models import Change, ImportJob, ImportStatus, Person, PersonCategory
from wangge.people.names import name_keys
from wangge.people.services import PERSON_FIELDS

# Rows per executemany / COPY: at 1,000,000 rows on SQLite, batches of 10,000 wrote the people
# in 10 % less time than batches of 2,000; it is also the step of the page's progress.
BATCH = 10_000
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
RESIDENT_ID = IdType.RESIDENT_ID.value  # the document of every number the file check accepts


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
        with collector_paused():
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
        result = ImportResult(problems=list(parsed.problems))
        if result.problems and not partial:
            registered = existing_ids(
                [row.id_number for row in parsed.rows] if policy == "stop" else []
            )
            refuse(parsed, registered, policy)
        now = timezone.now()
        result.created, existing = new_rows_write(actor, parsed, now, progress, policy, partial)
        old = [row for row in parsed.rows if row.id_number in existing]
        if policy == "stop":
            result.problems += registered_problems(old, existing)
        elif policy == "update":
            result.updated = rows_update(actor, old, existing, now)
        else:
            result.skipped = len(old)
        result.problems.sort(key=lambda p: p.line or 0)
        details = {**result.summary(), "file": Path(file_name).name, "policy": policy}
        record(actor=actor, action="people.imported", details=details | {"partial": partial})
    return result


def new_rows_write(
    actor: Any,
    parsed: Parsed,
    now: datetime.datetime,
    progress: Progress | None,
    policy: str,
    partial: bool,
) -> tuple[int, dict[str, int]]:
    """Write the people not registered yet: how many, and the keys of those who are.

    The rows are written as if nobody in the file were registered, the unique index checking
    it as they go in: most files hold new people, and looking every number up first cost as
    much as writing the history rows. In a savepoint: if someone is registered already, the
    rows written go, and the others are written again once the registered are known."""
    try:
        with large_cache(), transaction.atomic():
            return rows_insert(actor, parsed.rows, now, progress), {}
    except IntegrityError:
        existing = existing_ids([row.id_number for row in parsed.rows])
        if not existing:
            raise  # another constraint: a defect, not the file
    if policy == "stop" and not partial:
        refuse(parsed, existing, policy)
    new = [row for row in parsed.rows if row.id_number not in existing]
    with large_cache():
        return rows_insert(actor, new, now, progress), existing


def refuse(parsed: Parsed, existing: dict[str, int], policy: str) -> NoReturn:
    """Nothing is written: every problem of the file, with (stop policy) the people
    registered before the import."""
    problems = list(parsed.problems)
    if policy == "stop":
        problems += registered_problems(parsed.rows, existing)
    raise ImportFailed(sorted(problems, key=lambda p: p.line or 0))


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
    with connection.cursor() as cursor:
        for start in range(0, len(numbers), BATCH):
            found.update(numbers_registered(cursor, numbers[start : start + BATCH]))
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
        RESIDENT_ID,
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


def rows_write(
    cursor: Any, model: Any, names: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Rows through `executemany`, or COPY; COPY takes them as they are made, so that
    PostgreSQL stores a batch while the next rows are worked out."""
    table, columns = table_columns(model, names)
    if not copy_used():
        marks = ", ".join(["%s"] * len(names))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))
        return
    # Through Django's error wrapper: a refused row raises IntegrityError, as with executemany.
    with (
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


PERSON_INSERT_FIELDS = (
    "id_type",
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
) -> int:
    actor_id = getattr(actor, "pk", None)
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            pks = people_write(cursor, chunk, stamp, ops)
            changes = (
                change_tuple(row, pk, actor_id, stamp) for row, pk in zip(chunk, pks, strict=True)
            )
            rows_write(cursor, Change, CHANGE_INSERT_FIELDS, changes)
            categories_insert(
                [(pk, row.category) for row, pk in zip(chunk, pks, strict=True) if row.category]
            )
            if progress:
                progress("written", start + len(chunk), len(rows))
    return len(rows)


def people_write(cursor: Any, chunk: Sequence[PersonRow], stamp: Any, ops: Any) -> list[int]:
    """Write the person rows; their keys, in order, for the history rows (PostgreSQL: taken
    from the sequence first, as COPY returns none; SQLite: read back after)."""
    if connection.vendor == "postgresql":
        pks = keys_reserve(cursor, len(chunk))
        keyed = ((pk, *person_tuple(row, stamp, ops)) for pk, row in zip(pks, chunk, strict=True))
        rows_write(cursor, Person, ("id", *PERSON_INSERT_FIELDS), keyed)
        return pks
    rows_write(
        cursor, Person, PERSON_INSERT_FIELDS, [person_tuple(row, stamp, ops) for row in chunk]
    )
    return keys_written(cursor, [row.id_number for row in chunk])


def keys_reserve(cursor: Any, count: int) -> list[int]:
    """PostgreSQL: `count` keys from the table's sequence, never handed out again."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [Person._meta.db_table, count],
    )
    return [pk for (pk,) in cursor.fetchall()]


def keys_written(cursor: Any, numbers: Sequence[str]) -> list[int]:
    """SQLite: the keys of the rows one `executemany` just wrote. Each new rowid is above
    every rowid in the table and nobody else writes during this transaction, so the keys
    rise in the order written and end at last_insert_rowid(); if the first row has the key
    that makes them consecutive, they are. Otherwise they are looked up."""
    cursor.execute("SELECT last_insert_rowid()")
    last = cursor.fetchone()[0]
    first = last - len(numbers) + 1
    quote = connection.ops.quote_name
    cursor.execute(
        f"SELECT {quote('id_number')} FROM {quote(Person._meta.db_table)} WHERE id = %s",
        [first],
    )
    found = cursor.fetchone()
    if found is not None and found[0] == numbers[0]:
        return list(range(first, last + 1))
    by_number = numbers_registered(cursor, numbers)
    return [by_number[number] for number in numbers]


def numbers_registered(cursor: Any, numbers: Sequence[str]) -> dict[str, int]:
    """The keys of those of `numbers` in the register (one indexed query; the ORM's `__in`
    costs twice as much here)."""
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(numbers))
    cursor.execute(
        f"SELECT {quote('id_number')}, {quote('id')} FROM {quote(Person._meta.db_table)} "
        f"WHERE {quote('id_number')} IN ({marks})",
        list(numbers),
    )
    return dict(cursor.fetchall())


def change_tuple(row: PersonRow, pk: int, actor_id: Any, stamp: Any) -> tuple[Any, ...]:
    # The history as json.dumps writes it, without its cost: a checked identity number,
    # masked, has only digits, X and *.
    masked = mask_identity_number(row.id_number)
    changes = f'{{"id_number": "{masked}", "source": "import"}}'
    return ("person", pk, "imported", actor_id, stamp, changes, row.region_code)


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
        progress_write(job.pk, stage, done, total)

    try:
        parsed = people_file_parse(
            Path(job.path).read_bytes(),
            filename=job.file_name,
            encoding=job.encoding,
            scope=user_scope(job.owner),
            progress=progress,
        )
        total = len(parsed.rows)
        ImportJob.objects.filter(pk=job.pk).update(stage="writing", done_rows=0, total_rows=total)
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
    finally:
        progress_path(job.pk).unlink(missing_ok=True)
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


# Progress of a running job. The rows are written in one transaction, which hides the job's
# row from other connections (PostgreSQL) or holds the only write lock (SQLite) until it
# ends; so the task reports its progress in a small file beside the upload, replaced whole
# each time, and the job page reads it from there.


@dataclass(frozen=True)
class JobProgress:
    status: str
    running: bool
    stage: str  # "validated" (rows checked), "writing" (checked, none written yet), "written"
    done: int
    total: int

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0


def progress_path(job_id: int) -> Path:
    return imports_folder() / f"{job_id}-progress.json"


def progress_write(job_id: int, stage: str, done: int, total: int) -> None:
    path = progress_path(job_id)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"stage": stage, "done": done, "total": total}))
    os.replace(temporary, path)  # a reader sees the old file or the new, never half of one


def job_progress(job: ImportJob) -> JobProgress:
    """Where the job stands: from the task's progress file while it runs, else its row."""
    running = job.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}
    found = progress_read(job.pk) if running else None
    stage, done, total = found or (job.stage, job.done_rows, job.total_rows)
    return JobProgress(job.status, running, stage, done, total)


def progress_read(job_id: int) -> tuple[str, int, int] | None:
    try:
        saved = json.loads(progress_path(job_id).read_text())
        stage, done, total = str(saved["stage"]), int(saved["done"]), int(saved["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not written yet, or gone with the end of the job
    if stage not in {"validated", "written"} or not 0 <= done <= total:
        return None
    return stage, done, total
