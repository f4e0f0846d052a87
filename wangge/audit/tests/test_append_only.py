"""Entries cannot be changed or removed: not through the ORM, not with SQL, not in the admin."""

import importlib

import pytest
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from wangge.audit import services
from wangge.audit.models import AppendOnlyError, AuditEntry
from wangge.audit.tests.conftest import record_some

triggers = importlib.import_module("wangge.audit.migrations.0002_append_only_triggers")


@pytest.fixture
def entry(db) -> AuditEntry:
    return record_some(1)[0]


def test_saving_an_entry_again_is_refused(entry):
    entry.action = "test.changed"

    with pytest.raises(AppendOnlyError, match="append-only"):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"


def test_saving_a_new_entry_directly_is_refused(db):
    with pytest.raises(AppendOnlyError, match="record"):
        AuditEntry(action="test.event", prev_hash="x", hash="y").save()


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: rows.update(action="test.changed"),
        lambda rows: rows.delete(),
        lambda rows: AuditEntry.objects.bulk_update(list(rows), ["action"]),
    ],
    ids=["update", "delete", "bulk_update"],
)
def test_queryset_updates_and_deletes_are_refused(entry, change):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        change(AuditEntry.objects.filter(pk=entry.pk))

    assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'test.changed' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete_sent_as_sql(entry, sql):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"


class Editor:
    """What the migration's functions use of a schema editor: its connection and execute()."""

    connection = connection

    def execute(self, sql: str, params: object = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_can_drop_the_triggers_and_put_them_back(entry):
    update = "UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s"
    triggers.drop_triggers(None, Editor())
    with connection.cursor() as cursor:
        cursor.execute(update, [entry.pk])
    triggers.create_triggers(None, Editor())

    assert AuditEntry.objects.get(pk=entry.pk).purpose == "x"
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(update, [entry.pk])


def test_the_migration_names_an_engine_it_has_no_triggers_for():
    with pytest.raises(NotImplementedError, match="oracle"):
        triggers.statements_for("oracle")


def test_flush_empties_the_log_on_postgresql_and_is_refused_on_sqlite(entry):
    """`wangge demo --reset` flushes PostgreSQL (TRUNCATE fires no row trigger) and deletes
    the SQLite file; a flush of SQLite, which sends DELETE, stops at the trigger."""
    flush = connection.ops.sql_flush(no_style(), [AuditEntry._meta.db_table])

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The entry's foreign-key check waits for commit, and TRUNCATE will not run
            # while a check is pending; a real flush runs in a transaction of its own.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in flush:
                cursor.execute(statement)
        assert not AuditEntry.objects.exists()
    else:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            for statement in flush:
                cursor.execute(statement)
        assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_shows_entries_and_offers_no_way_to_change_them(admin_client, entry):
    listing = admin_client.get("/admin/audit/auditentry/")
    detail = admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")

    assert listing.status_code == 200 and "test.event" in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_user_who_appears_in_the_log_cannot_be_deleted(staff_user):
    services.record(actor=staff_user, action="test.event")

    with pytest.raises(ProtectedError), transaction.atomic():
        staff_user.delete()


def test_details_read_as_key_value_pairs_on_the_log_page(db):
    entry = services.record(
        actor=None, action="test.event", details={"b": ["id_number"], "a": "王五", "n": 2}
    )

    assert entry.details_display == 'a: 王五; b: ["id_number"]; n: 2'
