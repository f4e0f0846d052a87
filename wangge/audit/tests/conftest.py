"""Helpers for the audit tests: an auditor's client, and a way to tamper with the table."""

import pytest
from django.db import connection

from wangge.audit import services
from wangge.audit.models import AuditEntry


@pytest.fixture
def auditor_client(client, auditor):  # type: ignore[no-untyped-def]
    client.force_login(auditor)
    return client


def tamper(sql: str, params: list[object] | None = None) -> None:
    """Run SQL against the audit table as someone with direct database access would: the
    append-only triggers are switched off first. Inside the test's transaction, so the
    triggers (and the rows) come back when the test's transaction rolls back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Pending foreign-key checks of the test's own inserts would block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
        cursor.execute(sql, params or [])


def tamper_archives(sql: str, params: list[object] | None = None) -> None:
    """The same for the archive records' table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditarchive DISABLE TRIGGER audit_archive_append_only"
            )
        else:
            cursor.execute("DROP TRIGGER audit_archive_no_update")
            cursor.execute("DROP TRIGGER audit_archive_no_delete")
        cursor.execute(sql, params or [])


def record_some(count: int, **fields: object) -> list[AuditEntry]:
    return [
        services.record(actor=None, action="test.event", details={"n": n}, **fields)  # type: ignore[arg-type]
        for n in range(count)
    ]
