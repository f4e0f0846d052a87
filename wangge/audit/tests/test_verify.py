"""`wangge audit verify`: an intact chain passes; an edited, re-hashed or removed row is named."""

import io

import pytest
from django.core.management import CommandError, call_command

from wangge.audit import chain
from wangge.audit.models import AuditEntry
from wangge.audit.selectors import chain_verify
from wangge.audit.tests.conftest import record_some, tamper


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", "--chunk-size", "2", stdout=out)
    return out.getvalue()


def test_an_intact_chain_verifies_and_says_how_many_rows(db):
    entries = record_some(5)

    output = verify()

    assert f"audit chain intact: {AuditEntry.objects.count()} rows" in output
    assert f"last entry: {entries[-1].pk}, hash {entries[-1].hash}" in output


def test_a_row_edited_in_the_database_is_named_as_altered(db):
    entries = record_some(5)
    edited = entries[2]
    tamper("UPDATE audit_auditentry SET purpose = 'nothing to see' WHERE id = %s", [edited.pk])

    with pytest.raises(CommandError) as failure:
        verify()

    message = str(failure.value)
    assert f"row {edited.pk} ({chain.timestamp(edited.at)}, test.event)" in message
    assert "content was altered" in message


def test_a_row_edited_and_re_hashed_breaks_the_link_of_the_next(db):
    entries = record_some(5)
    edited = entries[2]
    fields = {**vars(edited), "purpose": "nothing to see"}
    tamper(
        "UPDATE audit_auditentry SET purpose = %s, hash = %s WHERE id = %s",
        [fields["purpose"], chain.entry_hash(fields), edited.pk],
    )

    report = chain_verify()

    assert report.first_break is not None
    assert (report.first_break.id, report.first_break.content_altered) == (entries[3].pk, False)
    with pytest.raises(CommandError, match=f"row {entries[3].pk} .*its link was altered"):
        verify()


def test_a_row_removed_from_the_middle_breaks_the_link_of_the_next(db):
    entries = record_some(5)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])

    with pytest.raises(CommandError) as failure:
        verify()

    assert f"row {entries[3].pk} (" in str(failure.value)
    assert "the row before it was removed" in str(failure.value)


def test_a_row_added_with_a_made_up_link_is_named(db):
    (last,) = record_some(1)
    tamper(
        "INSERT INTO audit_auditentry (at, actor_label, action, target_type, target_id,"
        " target_label, region_code, purpose, details, prev_hash, hash)"
        " VALUES (%s, '', 'test.forged', '', '', '', '', '', '{}', %s, %s)",
        [last.at, "e" * 64, "f" * 64],
    )
    forged = AuditEntry.objects.get(action="test.forged")

    with pytest.raises(CommandError, match=f"row {forged.pk} .*test.forged"):
        verify()


def test_only_the_first_break_is_reported_with_the_rows_before_it(db):
    before = AuditEntry.objects.count()
    entries = record_some(4)
    tamper(
        "UPDATE audit_auditentry SET purpose = 'x' WHERE id IN (%s, %s)",
        [entries[1].pk, entries[3].pk],
    )

    report = chain_verify(chunk_size=3)

    assert report.first_break is not None and report.first_break.id == entries[1].pk
    assert report.rows == before + 2
