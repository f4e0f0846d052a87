"""Archiving: entries may be deleted only while a deletion permit names an archive that holds
them; archive records themselves are never changed or removed.

`archives.entries_archive()` writes the permit and removes it again inside the transaction
that records the archive and deletes its entries, so outside that transaction every DELETE of
an entry is refused as before (migration 0002). UPDATE stays refused always.
"""

from django.db import migrations

ENTRIES = "audit_auditentry"
ARCHIVES = "audit_auditarchive"
MESSAGE = "audit entries are append-only"
ARCHIVE_MESSAGE = "audit archives are append-only"
PERMITTED = (
    "EXISTS (SELECT 1 FROM audit_deletionpermit AS permit "
    "JOIN audit_auditarchive AS archive ON archive.id = permit.archive_id "
    "WHERE OLD.id BETWEEN archive.first_id AND archive.last_id)"
)

SQLITE_CREATE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {ENTRIES} WHEN NOT {PERMITTED} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END",
    f"CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON {ARCHIVES} "
    f"BEGIN SELECT RAISE(ABORT, '{ARCHIVE_MESSAGE}: UPDATE refused'); END",
    f"CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON {ARCHIVES} "
    f"BEGIN SELECT RAISE(ABORT, '{ARCHIVE_MESSAGE}: DELETE refused'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_archive_no_update",
    "DROP TRIGGER IF EXISTS audit_archive_no_delete",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {ENTRIES} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END",
]


def postgresql_entry_function(permit_check: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {permit_check}"
        f"RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'restrict_violation'; "
        "END $$"
    )


POSTGRESQL_CREATE = [
    postgresql_entry_function(f"IF TG_OP = 'DELETE' AND {PERMITTED} THEN RETURN OLD; END IF; "),
    "CREATE OR REPLACE FUNCTION audit_archive_refuse_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"RAISE EXCEPTION '{ARCHIVE_MESSAGE}: % refused', TG_OP "
    "USING ERRCODE = 'restrict_violation'; END $$",
    f"CREATE TRIGGER audit_archive_append_only BEFORE UPDATE OR DELETE ON {ARCHIVES} "
    "FOR EACH ROW EXECUTE FUNCTION audit_archive_refuse_change()",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_archive_append_only ON {ARCHIVES}",
    "DROP FUNCTION IF EXISTS audit_archive_refuse_change()",
    postgresql_entry_function(""),  # as migration 0002 made it
]
STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def statements_for(vendor: str) -> tuple[list[str], list[str]]:
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"no archive triggers for {vendor}")
    return STATEMENTS[vendor]


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in statements_for(schema_editor.connection.vendor)[0]:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in statements_for(schema_editor.connection.vendor)[1]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_archive")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
