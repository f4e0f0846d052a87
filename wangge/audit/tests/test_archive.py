"""Retention and archive: old entries move to a file, the chain goes on from it, nothing is
lost when a check fails, and a changed file shows.

Entries committed before a test (the demo load, the concurrency tests on PostgreSQL) are at
the beginning of the chain, so each archive here takes them too; the test's transaction
brings them back when it rolls back.
"""

import datetime
import gzip
import importlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from wangge.audit import archives, chain, services
from wangge.audit.checks import retention_check
from wangge.audit.models import AppendOnlyError, AuditArchive, AuditEntry, DeletionPermit
from wangge.audit.selectors import chain_verify
from wangge.audit.tests.conftest import record_some, tamper, tamper_archives

triggers = importlib.import_module("wangge.audit.migrations.0004_archive_triggers")


@pytest.fixture
def folder(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    return tmp_path / "audit-archive"


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def archive_before(cut: datetime.datetime) -> AuditArchive:
    command("archive", "--before", cut.isoformat())
    return AuditArchive.objects.latest("id")


@pytest.fixture
def old_and_new(db, folder):  # type: ignore[no-untyped-def]
    """Three entries before a cutoff and two after it."""
    old = record_some(3)
    cut = timezone.now()
    new = record_some(2)
    return old, cut, new


def file_lines(path: Path) -> list[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(text) for text in lines]


def test_archiving_moves_the_entries_before_the_cutoff_to_a_file(old_and_new, folder):
    old, cut, new = old_and_new
    archived_ids = list(AuditEntry.objects.filter(id__lte=old[-1].pk).values_list("id", flat=True))

    output = command("archive", "--before", cut.isoformat())

    archive = AuditArchive.objects.get()
    path = folder / archive.file_name
    assert f"archived {len(archived_ids)} entries" in output and str(path) in output
    assert (archive.first_id, archive.last_id, archive.rows) == (
        min(archived_ids),
        old[-1].pk,
        len(archived_ids),
    )
    assert (archive.first_prev_hash, archive.last_hash) == (chain.GENESIS, old[-1].hash)
    assert archive.file_sha256 == archives.file_sha256(path)
    lines = file_lines(path)
    assert [line["id"] for line in lines] == sorted(archived_ids)
    assert lines[-1]["hash"] == old[-1].hash and lines[-1]["details"] == {"n": 2}
    assert not AuditEntry.objects.filter(id__lte=old[-1].pk).exists()
    assert set(AuditEntry.objects.values_list("id", flat=True)) >= {entry.pk for entry in new}
    assert sorted(path.parent.iterdir()) == [path]  # no part file left behind


def test_the_archiving_is_itself_recorded_after_the_entries_it_moved(old_and_new):
    _, cut, new = old_and_new

    archive = archive_before(cut)

    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor_id, entry.prev_hash) == ("audit.archive", None, new[-1].hash)
    assert (entry.target_type, entry.target_id) == ("audit.auditarchive", str(archive.pk))
    assert entry.details == {
        "file": archive.file_name,
        "rows": archive.rows,
        "first_id": archive.first_id,
        "last_id": archive.last_id,
        "sha256": archive.file_sha256,
        "before": chain.timestamp(cut),
    }


def test_verify_passes_after_an_archive_and_the_file_verifies_against_its_record(
    old_and_new, folder
):
    _, cut, _ = old_and_new
    archive = archive_before(cut)

    live = command("verify")
    archived = command("verify", "--archive", str(folder / archive.file_name))

    assert f"audit chain intact: {AuditEntry.objects.count()} rows" in live
    assert f"continuing from the last archived entry, hash {archive.last_hash}" in live
    assert f"{archive.rows} rows" in archived and "as recorded" in archived


def test_a_second_archive_goes_on_where_the_first_ended(old_and_new, folder):
    _, cut, new = old_and_new
    first = archive_before(cut)
    later = timezone.now()
    record_some(1)

    second = archive_before(later)

    assert second.first_prev_hash == first.last_hash
    assert (second.first_id, second.rows) == (new[0].pk, 3)  # two entries and the first archiving
    assert chain_verify().intact
    for archive in (first, second):
        assert "intact" in command("verify", "--archive", str(folder / archive.file_name))


def test_when_every_entry_is_archived_the_next_one_links_to_the_archive(db, folder):
    record_some(2)

    archive = archive_before(timezone.now())
    (after,) = record_some(1)

    archiving = AuditEntry.objects.get(action="audit.archive")
    assert AuditEntry.objects.count() == 2
    assert (archiving.prev_hash, after.prev_hash) == (archive.last_hash, archiving.hash)
    assert chain_verify().intact


def test_nothing_before_the_cutoff_means_nothing_archived_and_no_file(db, folder):
    record_some(1)
    before = AuditEntry.objects.count()

    output = command("archive", "--before", "2000-01-01")

    assert "nothing to archive: no entry before 2000-01-01T00:00:00+08:00" in output
    assert AuditEntry.objects.count() == before and not AuditArchive.objects.exists()
    assert not folder.exists() or not any(folder.iterdir())


def test_the_default_cutoff_is_now_less_the_retention(db, folder, settings):
    settings.WANGGE_AUDIT_RETENTION_DAYS = 365
    last_year = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()

    output = command("archive")

    assert f"nothing to archive: no entry before {last_year}" in output


def test_without_a_retention_the_command_asks_for_a_cutoff(db, folder):
    with pytest.raises(CommandError, match="WANGGE_AUDIT_RETENTION_DAYS is not set"):
        command("archive")


@pytest.mark.parametrize(
    ("before", "message"),
    [("2999-01-01", "in the future"), ("last tuesday", "not a date")],
)
def test_a_bad_cutoff_is_refused_and_nothing_is_archived(db, folder, before, message):
    record_some(1)
    count = AuditEntry.objects.count()

    with pytest.raises(CommandError, match=message):
        command("archive", "--before", before)

    assert AuditEntry.objects.count() == count and not AuditArchive.objects.exists()


def entries_and_files(folder: Path) -> tuple[int, int, list[Path]]:
    files = sorted(folder.iterdir()) if folder.exists() else []
    return AuditEntry.objects.count(), AuditArchive.objects.count(), files


def test_a_broken_chain_is_not_archived_and_nothing_is_deleted(old_and_new, folder):
    old, cut, _ = old_and_new
    tamper("UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s", [old[1].pk])
    before = entries_and_files(folder)

    with pytest.raises(
        CommandError, match=f"nothing deleted: the chain is broken at row {old[1].pk}"
    ):
        command("archive", "--before", cut.isoformat())

    assert entries_and_files(folder) == before


def test_entries_changed_while_the_file_was_written_refuse_the_archive(
    old_and_new, folder, monkeypatch
):
    old, cut, _ = old_and_new
    write = archives.file_write

    def write_then_tamper(*args, **kwargs):  # type: ignore[no-untyped-def]
        write(*args, **kwargs)
        tamper("DELETE FROM audit_auditentry WHERE id = %s", [old[1].pk])

    monkeypatch.setattr(archives, "file_write", write_then_tamper)
    count = AuditEntry.objects.count()

    with pytest.raises(CommandError, match="the entries changed while the file was written"):
        command("archive", "--before", cut.isoformat())

    assert AuditEntry.objects.count() == count - 1  # only the row removed behind its back
    assert entries_and_files(folder)[1:] == (0, [])


def test_a_failure_inside_the_transaction_deletes_nothing_and_keeps_no_file(
    old_and_new, folder, monkeypatch
):
    _, cut, _ = old_and_new
    before = entries_and_files(folder)

    def failing_record(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "record", failing_record)

    with pytest.raises(RuntimeError, match="disk is full"):
        archives.entries_archive(actor=None, before=cut)

    assert entries_and_files(folder) == before


def test_a_delete_without_a_permit_is_still_refused_after_archiving(old_and_new):
    _, cut, new = old_and_new
    archive_before(cut)

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [new[0].pk])

    assert AuditEntry.objects.filter(pk=new[0].pk).exists()


def test_a_permit_allows_deleting_only_the_entries_its_archive_holds(old_and_new):
    _, cut, new = old_and_new
    archive = archive_before(cut)

    with pytest.raises(IntegrityError), transaction.atomic():
        DeletionPermit.objects.create(archive=archive)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [new[0].pk])

    assert AuditEntry.objects.filter(pk=new[0].pk).exists()


def test_archive_records_cannot_be_changed_or_removed(old_and_new):
    _, cut, _ = old_and_new
    archive = archive_before(cut)

    with pytest.raises(AppendOnlyError):
        archive.save()
    with pytest.raises(AppendOnlyError):
        archive.delete()
    with pytest.raises(AppendOnlyError):
        AuditArchive.objects.filter(pk=archive.pk).update(rows=1)
    for sql in ("UPDATE audit_auditarchive SET rows = 1", "DELETE FROM audit_auditarchive"):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditArchive.objects.get().rows == archive.rows


def rewrite(path: Path, lines: list[dict[str, object]], *, level: int = 9, mtime: int = 0) -> None:
    with gzip.GzipFile(path, "wb", compresslevel=level, mtime=mtime) as file:
        for line in lines:
            file.write((chain.canonical_json(line) + "\n").encode())


@pytest.fixture
def archived(old_and_new, folder):  # type: ignore[no-untyped-def]
    archive = archive_before(old_and_new[1])
    return archive, folder / archive.file_name


def test_an_edited_archive_file_is_named_at_the_row_and_by_its_checksum(archived):
    archive, path = archived
    lines = file_lines(path)
    lines[1]["purpose"] = "nothing to see"
    rewrite(path, lines)

    with pytest.raises(CommandError) as failure:
        command("verify", "--archive", str(path))

    message = str(failure.value)
    assert f"chain broken at row {lines[1]['id']} (" in message and "content was altered" in message
    assert "SHA-256" in message and "changed or replaced" in message


def test_an_archive_file_with_a_row_removed_is_named_at_the_next_row(archived):
    _, path = archived
    lines = file_lines(path)
    rewrite(path, lines[:1] + lines[2:])

    with pytest.raises(CommandError, match=f"row {lines[2]['id']} .*its link was altered"):
        command("verify", "--archive", str(path))


def test_a_recompressed_archive_file_fails_only_its_checksum(archived):
    _, path = archived
    rewrite(path, file_lines(path), level=1, mtime=1)

    with pytest.raises(CommandError) as failure:
        command("verify", "--archive", str(path))

    assert "chain broken" not in str(failure.value) and "SHA-256" in str(failure.value)


def test_an_archive_file_no_record_names_is_reported(archived, folder):
    _, path = archived
    copy = folder / "audit-copy.jsonl.gz"
    copy.write_bytes(path.read_bytes())

    with pytest.raises(CommandError, match="no archive record names audit-copy.jsonl.gz"):
        command("verify", "--archive", str(copy))


def test_an_unreadable_archive_file_is_reported(archived):
    _, path = archived
    path.write_bytes(b"not gzip at all")

    with pytest.raises(CommandError, match="the file cannot be read"):
        command("verify", "--archive", str(path))


def test_after_an_archive_verify_still_names_the_first_broken_row(archived):
    later = record_some(3)
    tamper("UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s", [later[1].pk])

    with pytest.raises(CommandError, match=f"row {later[1].pk} .*content was altered"):
        command("verify")


def test_after_an_archive_removing_the_first_live_entry_breaks_the_link(archived):
    first_live = AuditEntry.objects.order_by("id").first()
    assert first_live is not None
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [first_live.pk])

    report = chain_verify()

    assert report.first_break is not None and not report.first_break.content_altered
    assert (
        report.first_break.id == AuditEntry.objects.order_by("id").values_list("id", flat=True)[0]
    )


def test_verify_names_an_archive_record_that_does_not_link(archived):
    archive, _ = archived
    tamper_archives("UPDATE audit_auditarchive SET first_prev_hash = %s", ["e" * 64])

    with pytest.raises(CommandError, match=f"archive record {archive.pk} .*does not start"):
        command("verify")


class Editor:
    connection = connection

    def execute(self, sql: str, params: object = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_can_drop_the_archive_triggers_and_put_them_back(archived):
    archive, _ = archived
    live = AuditEntry.objects.earliest("id")
    update = "UPDATE audit_auditarchive SET rows = rows WHERE id = %s"
    triggers.drop_triggers(None, Editor())
    with connection.cursor() as cursor:
        cursor.execute(update, [archive.pk])  # no longer refused
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [live.pk])  # as 0002 did
    triggers.create_triggers(None, Editor())

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(update, [archive.pk])
    assert AuditEntry.objects.filter(pk=live.pk).exists()
    with pytest.raises(NotImplementedError, match="oracle"):
        triggers.statements_for("oracle")


@pytest.mark.parametrize(
    ("days", "refused"),
    [(0, False), (180, False), (3650, False), (179, True), (30, True), (-1, True)],
)
def test_a_retention_under_six_months_is_refused_by_a_system_check(settings, days, refused):
    settings.WANGGE_AUDIT_RETENTION_DAYS = days

    errors = retention_check()

    assert [error.id for error in errors] == (["audit.E001"] if refused else [])
    if refused:
        assert "Cybersecurity Law" in errors[0].msg and "180" in errors[0].msg


def test_the_log_page_says_where_the_older_entries_went(archived, auditor_client):
    archive, _ = archived

    html = auditor_client.get("/audit/").content.decode()

    note = html.split('class="muted audit-archived">')[1].split("</p>")[0]
    assert (
        str(archive.last_id) in note
        and timezone.localtime(archive.before).strftime("%Y-%m-%d") in note
    )


def test_the_admin_lists_archives_and_offers_no_way_to_change_them(archived, admin_client):
    archive, _ = archived

    listing = admin_client.get("/admin/audit/auditarchive/")

    assert listing.status_code == 200 and archive.file_name in listing.content.decode()
    assert admin_client.get("/admin/audit/auditarchive/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditarchive/{archive.pk}/delete/").status_code == 403
    assert AuditArchive.objects.filter(pk=archive.pk).exists()
