"""Archiving: the oldest entries move from the table to a file, and the chain stays whole.

An archive file is gzip, one line per entry in id order: the canonical JSON (chain.py) of the
entry's id, hashed fields and hash, its time as in the hash. It is named
`audit-<first id>-<last id>-<UTC time>.jsonl.gz` and lies in `<WANGGE_DATA_DIR>/audit-archive/`.
Its AuditArchive record keeps the hashes at both ends and the file's SHA-256, so the live chain
goes on from the last archived entry, and a changed or replaced file shows.

Nothing is deleted before the file has been written, synced, read back and its chain checked,
and then only in the transaction that writes the AuditArchive record, the `audit.archive`
entry and, for the length of the DELETE, the permit the database triggers ask for.
"""

import datetime
import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from wangge.audit import chain, services
from wangge.audit.models import AuditArchive, AuditEntry, DeletionPermit
from wangge.audit.selectors import VERIFIED_COLUMNS, ChainReport, chain_check

ARCHIVE_ACTION = "audit.archive"
SUFFIX = ".jsonl.gz"
# The Cybersecurity Law (art. 21) has network logs kept for at least six months.
MINIMUM_RETENTION_DAYS = 180
UNREADABLE = (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError)


class ArchiveRefused(Exception):
    """A check before deleting failed: nothing was deleted and no file was kept."""


@dataclass(frozen=True)
class Selection:
    first_id: int
    last_id: int
    rows: int


@dataclass(frozen=True)
class FileReport:
    first_id: int | None
    first_prev_hash: str | None
    first_hash: str | None
    chain: ChainReport
    sha256: str


def archive_directory() -> Path:
    return Path(settings.DATA_DIR) / "audit-archive"


def retention_cutoff() -> datetime.datetime | None:
    """Now less the retention, or None when entries are kept in the database forever."""
    days = settings.WANGGE_AUDIT_RETENTION_DAYS
    return timezone.now() - datetime.timedelta(days=days) if days else None


def entries_archive(
    *, actor: Any, before: datetime.datetime, chunk_size: int = 5000
) -> AuditArchive | None:
    """Move the beginning of the chain, up to the first entry at or after `before`, to an
    archive file; None when there is none. Raises ArchiveRefused when a check fails."""
    now = timezone.now()
    if before > now:
        raise ArchiveRefused(f"the cutoff {before.isoformat()} is in the future")
    previous = AuditArchive.objects.order_by("-id").first()
    selection = archivable(before)
    if selection is None:
        return None
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"audit-{selection.first_id:012d}-{selection.last_id:012d}-{stamp}{SUFFIX}"
    path = archive_directory() / name
    report = file_made(path, previous, selection, chunk_size)
    try:
        with transaction.atomic():
            return archive_commit(
                actor=actor,
                before=before,
                previous=previous,
                selection=selection,
                report=report,
                path=path,
            )
    except BaseException:
        file_discard_unless_recorded(path)
        raise


def file_discard_unless_recorded(path: Path) -> None:
    """After a failed transaction the entries are all still in the table, so a file no
    record names goes. Kept when that cannot be known: a commit whose answer was lost may
    have gone through, and then the file is the entries' only copy."""
    try:
        recorded = AuditArchive.objects.filter(file_name=path.name).exists()
    except DatabaseError:
        return
    if not recorded:
        path.unlink(missing_ok=True)


def file_made(
    path: Path, previous: AuditArchive | None, selection: Selection, chunk_size: int
) -> FileReport:
    """Write the file beside its final name, read it back and check it against the chain and
    the selection, then give it its name (never over another file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    try:
        file_write(part, selection, chunk_size)
        report = file_check(part, previous.last_hash if previous else chain.GENESIS)
        file_matches_selection(report, selection)
        os.link(part, path)  # unlike a rename, refuses to replace an existing file
        directory_sync(path.parent)
    finally:
        part.unlink(missing_ok=True)
    return report


def archivable(before: datetime.datetime) -> Selection | None:
    """The live entries from the first up to, not including, the first one at or after
    `before`: always a beginning of the chain, even if the clock once went back."""
    later = AuditEntry.objects.filter(at__gte=before).order_by("id")
    boundary = later.values_list("id", flat=True).first()
    entries = (
        AuditEntry.objects.all() if boundary is None else AuditEntry.objects.filter(id__lt=boundary)
    )
    bounds = entries.aggregate(first=Min("id"), last=Max("id"), rows=Count("id"))
    if not bounds["rows"]:
        return None
    return Selection(bounds["first"], bounds["last"], bounds["rows"])


def file_write(path: Path, selection: Selection, chunk_size: int) -> None:
    """The entries as gzip JSON lines, synced to disk before anything is deleted."""
    rows = AuditEntry.objects.filter(id__gte=selection.first_id, id__lte=selection.last_id)
    values = rows.order_by("id").values_list(*VERIFIED_COLUMNS)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
            for row in values.iterator(chunk_size=chunk_size):
                zipped.write(line(dict(zip(VERIFIED_COLUMNS, row, strict=True))))
        raw.flush()
        os.fsync(raw.fileno())


def line(row: dict[str, Any]) -> bytes:
    return (chain.canonical_json({**row, "at": chain.timestamp(row["at"])}) + "\n").encode()


def file_rows(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for text in lines:
            row = json.loads(text)
            row["at"] = datetime.datetime.fromisoformat(row["at"])
            yield row


def file_check(path: Path, start_hash: str | None) -> FileReport:
    """Read the file back and check its chain from `start_hash` (None: from whatever the
    first line names, for a file no record describes)."""
    rows = file_rows(path)
    first = next(rows, None)
    if first is None:
        empty = ChainReport(0, None, start_hash or "", None)
        return FileReport(None, None, None, empty, file_sha256(path))
    start = first["prev_hash"] if start_hash is None else start_hash
    report = chain_check(prepended(first, rows), start)
    return FileReport(first["id"], first["prev_hash"], first["hash"], report, file_sha256(path))


def prepended(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def file_sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def file_matches_selection(report: FileReport, selection: Selection) -> None:
    if report.chain.first_break is not None:
        raise ArchiveRefused(f"the chain is broken at {report.chain.first_break}")
    read_back = (report.first_id, report.chain.last_id, report.chain.rows)
    if read_back != (selection.first_id, selection.last_id, selection.rows):
        raise ArchiveRefused(f"the file read back holds {read_back}, not {selection}")


def archive_commit(
    *,
    actor: Any,
    before: datetime.datetime,
    previous: AuditArchive | None,
    selection: Selection,
    report: FileReport,
    path: Path,
) -> AuditArchive:
    """Inside the transaction, under the chain lock: record the archive, delete its entries
    with a permit and record the archiving."""
    connection = connections[router.db_for_write(AuditEntry)]
    services.chain_head(connection)  # the chain lock: no append or other archive meanwhile
    live_matches_file(previous, selection, report)
    archive = AuditArchive.objects.create(
        at=timezone.now(),
        before=before,
        first_id=selection.first_id,
        last_id=selection.last_id,
        rows=selection.rows,
        first_prev_hash=previous.last_hash if previous else chain.GENESIS,
        last_hash=report.chain.last_hash,
        file_name=path.name,
        file_sha256=report.sha256,
    )
    entries_delete(archive, connection)
    details = {
        "file": archive.file_name,
        "rows": archive.rows,
        "first_id": archive.first_id,
        "last_id": archive.last_id,
        "sha256": archive.file_sha256,
        "before": chain.timestamp(before),
    }
    services.record(actor=actor, action=ARCHIVE_ACTION, target=archive, details=details)
    return archive


def live_matches_file(
    previous: AuditArchive | None, selection: Selection, report: FileReport
) -> None:
    """Under the lock, the entries are still those the file holds: no archive was made
    meanwhile, and the same number of entries lies between the same two ends."""
    latest = AuditArchive.objects.order_by("-id").values_list("id", flat=True).first()
    if latest != (previous.pk if previous else None):
        raise ArchiveRefused("another archive was made meanwhile; run the archive again")
    first_id, last_id = selection.first_id, selection.last_id
    rows = AuditEntry.objects.filter(id__gte=first_id, id__lte=last_id)
    ends = dict(rows.filter(id__in=[first_id, last_id]).values_list("id", "hash"))
    expected = {first_id: report.first_hash, last_id: report.chain.last_hash}
    if rows.count() != selection.rows or ends != expected:
        raise ArchiveRefused("the entries changed while the file was written")


def entries_delete(archive: AuditArchive, connection: Any) -> None:
    """The one DELETE of entries the database allows: while a permit names their archive."""
    permit = DeletionPermit.objects.create(archive=archive)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id BETWEEN %s AND %s", [archive.first_id, archive.last_id]
        )
        deleted = cursor.rowcount
    DeletionPermit.objects.filter(pk=permit.pk).delete()
    if deleted != archive.rows:
        raise ArchiveRefused(f"{deleted} entries would be deleted, not {archive.rows}")


def directory_sync(directory: Path) -> None:
    """A new name is durable once its folder is synced: before any entry is deleted."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def archive_file_verify(path: Path) -> tuple[AuditArchive | None, FileReport | None, list[str]]:
    """Check an archive file against its record (found by the file's name): every hash and
    link, both ends, the count and the file's SHA-256; and that the record starts where the
    archive before it ended. The problems found, in words; none when it is intact."""
    archive = AuditArchive.objects.filter(file_name=path.name).first()
    problems = [] if archive else [f"no archive record names {path.name}"]
    try:
        report = file_check(path, archive.first_prev_hash if archive else None)
    except UNREADABLE as error:
        return archive, None, [*problems, f"the file cannot be read: {error}"]
    if report.chain.first_break is not None:
        problems.append(f"chain broken at {report.chain.first_break}")
    if archive is not None:
        problems += record_mismatches(archive, report)
    return archive, report, problems


def record_mismatches(archive: AuditArchive, report: FileReport) -> list[str]:
    problems = []
    if report.sha256 != archive.file_sha256:
        problems.append(
            f"the file's SHA-256 {report.sha256} is not the recorded {archive.file_sha256}: "
            "the file was changed or replaced"
        )
    held = (report.first_id, report.chain.last_id, report.chain.rows, report.chain.last_hash)
    recorded = (archive.first_id, archive.last_id, archive.rows, archive.last_hash)
    if report.chain.first_break is None and held != recorded:
        problems.append(
            f"the file holds entries {held[0]}–{held[1]} ({held[2]}, last hash {held[3]}), "
            f"the record says {recorded[0]}–{recorded[1]} ({recorded[2]}, last hash {recorded[3]})"
        )
    before = AuditArchive.objects.filter(id__lt=archive.pk).order_by("-id").first()
    if archive.first_prev_hash != (before.last_hash if before else chain.GENESIS):
        problems.append("its record does not start where the archive before it ended")
    return problems
