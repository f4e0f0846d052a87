"""The database refuses UPDATE and DELETE of audit entries, whoever sends them.

Row triggers only: PostgreSQL's TRUNCATE (what `flush` sends, and so `wangge demo --reset`)
fires no row trigger and still empties the table. SQLite's flush sends DELETE, which the
trigger refuses while entries exist; `wangge demo --reset` deletes the SQLite file instead.
"""

from django.db import migrations

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only"

SQLITE_CREATE = [
    f"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END",
    f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]
# restrict_violation (23001) so that both engines raise django.db.IntegrityError.
POSTGRESQL_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'restrict_violation'; "
    "END $$",
    f"CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
]
STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def statements_for(vendor: str) -> tuple[list[str], list[str]]:
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"no append-only triggers for {vendor}")
    return STATEMENTS[vendor]


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in statements_for(schema_editor.connection.vendor)[0]:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in statements_for(schema_editor.connection.vendor)[1]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
