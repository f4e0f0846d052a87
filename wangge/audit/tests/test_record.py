"""Appending: what record() stores, how it chains, and how it behaves in transactions."""

import datetime

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from wangge.audit import chain, services
from wangge.audit.models import AuditEntry
from wangge.audit.selectors import chain_verify
from wangge.audit.tests.conftest import record_some, tamper
from wangge.regions.models import Region


def stored(entry: AuditEntry) -> AuditEntry:
    return AuditEntry.objects.get(pk=entry.pk)


def request_from(address: str) -> HttpRequest:
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = address
    return request


def test_each_entry_names_the_hash_of_the_one_before(db):
    first, second = record_some(2)

    assert second.prev_hash == first.hash
    assert second.pk > first.pk
    assert stored(second).hash == chain.entry_hash(vars(stored(second)))


def test_the_first_entry_of_an_empty_log_starts_from_the_genesis_hash(db):
    tamper("DELETE FROM audit_auditentry")

    (entry,) = record_some(1)

    assert entry.prev_hash == chain.GENESIS
    assert chain_verify().intact


def test_actor_target_purpose_and_region_are_stored_as_given(staff_user):
    region = Region.objects.get(code="620502001001001")

    entry = services.record(
        actor=staff_user,
        action="regions.boundaries_set",
        target=region,
        purpose="边界调整",
        details={"vertices": 12},
        request=request_from("10.62.5.2"),
        region_code=region.code,
    )

    row = stored(entry)
    assert (row.actor_id, row.actor_label) == (staff_user.pk, "staff")
    assert (row.target_type, row.target_id) == ("regions.region", "620502001001001")
    assert row.target_label == str(region)
    assert (row.region_code, row.purpose, row.ip) == ("620502001001001", "边界调整", "10.62.5.2")
    assert row.details == {"vertices": 12}
    assert row.at.tzinfo is not None
    assert row.hash == entry.hash == chain.entry_hash(vars(row))


def test_the_region_comes_from_the_target_when_it_has_one(staff_user):
    staff_user.region_code = "620502001"  # as people, cases and reports will carry

    entry = services.record(actor=staff_user, action="person.read_unmasked", target=staff_user)

    assert stored(entry).region_code == "620502001"


def test_anonymous_and_system_entries_have_no_actor(db, rf):
    from django.contrib.auth.models import AnonymousUser

    for actor in (None, AnonymousUser()):
        row = stored(services.record(actor=actor, action="system.sweep"))
        assert (row.actor_id, row.actor_label) == (None, "")


def test_details_come_back_from_the_database_as_they_were_hashed(db):
    details = {
        "名称": "秦州区 “大城街道”",
        "when": datetime.datetime(2026, 3, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "ratio": 0.1,
        "whole": 3.0,
        "big": 2**70,
        "huge": 1e16,
        "tiny": 1.5e-7,
        "nested": {"b": [1, None, True], "a": "x"},
        "empty": {},
    }

    entry = services.record(actor=None, action="test.round_trip", details=details)

    row = stored(entry)
    assert chain.entry_hash(vars(row)) == entry.hash
    assert row.details["whole"] == 3 and row.details["名称"] == "秦州区 “大城街道”"


@pytest.mark.parametrize(
    ("remote", "kept"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:10.1.2.3", "10.1.2.3"),
        ("fe80::1%eth0", "fe80::1"),
        ("", None),
        ("not an address", None),
    ],
)
def test_the_client_address_is_stored_in_the_form_the_database_returns(db, remote, kept):
    entry = services.record(actor=None, action="test.address", request=request_from(remote))

    row = stored(entry)
    assert row.ip == kept
    assert chain.entry_hash(vars(row)) == entry.hash


@pytest.mark.parametrize(
    "changes",
    [
        {"action": "Login"},
        {"action": "auth"},
        {"action": "auth.login!"},
        {"action": "auth." + "x" * 70},
        {"action": "auth.login", "purpose": "x" * 501},
        {"action": "auth.login", "region_code": "6" * 16},
    ],
)
def test_a_malformed_entry_is_refused_and_nothing_is_written(db, changes):
    before = AuditEntry.objects.count()

    with pytest.raises(ValueError):
        services.record(actor=None, **changes)

    assert AuditEntry.objects.count() == before


def test_long_labels_are_cut_to_fit(staff_user):
    staff_user.name = "名" * 300

    row = stored(services.record(actor=staff_user, action="test.long", target=staff_user))

    assert row.target_label == "名" * 200


def test_a_rolled_back_record_leaves_no_gap_in_the_chain(db):
    (before,) = record_some(1)

    with pytest.raises(RuntimeError), transaction.atomic():
        record_some(2)
        raise RuntimeError("the caller's work failed")
    (after,) = record_some(1)

    assert after.prev_hash == before.hash
    assert chain_verify().intact


def test_entries_in_a_released_savepoint_stay_in_the_chain(db):
    (first,) = record_some(1)
    with transaction.atomic():
        (inner,) = record_some(1)
    (last,) = record_some(1)

    assert (inner.prev_hash, last.prev_hash) == (first.hash, inner.hash)
    assert chain_verify().intact


def test_a_rolled_back_savepoint_between_appends_is_noticed(db):
    (first,) = record_some(1)
    with transaction.atomic():
        record_some(1)
        with transaction.atomic():
            record_some(1)
            transaction.set_rollback(True)
        (middle,) = record_some(1)
        transaction.set_rollback(True)
    (last,) = record_some(1)

    assert last.prev_hash == first.hash
    assert chain_verify().intact


def test_a_bulk_operation_takes_the_lock_and_reads_the_head_once(db):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        record_some(5)

    statements = [query["sql"] for query in queries.captured_queries]
    assert len([sql for sql in statements if sql.startswith("INSERT")]) == 5
    assert len([sql for sql in statements if 'SELECT "audit_auditentry"."hash"' in sql]) == 1
    locks = [sql for sql in statements if "pg_advisory_xact_lock" in sql]
    assert len(locks) == (1 if connection.vendor == "postgresql" else 0)


def test_the_lock_is_taken_again_after_the_savepoint_that_took_it_rolls_back(db):
    with transaction.atomic():
        record_some(1)
        transaction.set_rollback(True)
    with CaptureQueriesContext(connection) as queries:
        record_some(1)

    locks = [q["sql"] for q in queries.captured_queries if "pg_advisory_xact_lock" in q["sql"]]
    assert len(locks) == (1 if connection.vendor == "postgresql" else 0)


class FakeCursor:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def __enter__(self) -> "FakeCursor":
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def execute(self, sql: str, params: list[object]) -> None:
        self.log.append(sql % tuple(params))


class FakeConnection:
    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self.log: list[str] = []

    def cursor(self) -> FakeCursor:
        return FakeCursor(self.log)


@pytest.mark.parametrize(
    ("vendor", "statements"),
    [
        ("postgresql", [f"SELECT pg_advisory_xact_lock({services.CHAIN_LOCK_KEY})"]),
        ("sqlite", []),
    ],
)
def test_the_chain_lock_is_an_advisory_lock_on_postgresql_and_nothing_on_sqlite(vendor, statements):
    fake = FakeConnection(vendor)

    services.chain_lock(fake)  # type: ignore[arg-type]

    assert fake.log == statements
    assert services.CHAIN_LOCK_KEY < 2**63  # fits PostgreSQL's bigint


def test_the_database_refuses_two_entries_naming_the_same_predecessor(db):
    (entry,) = record_some(1)
    fork = {**vars(entry), "details": {"fork": True}}
    fork["hash"] = chain.entry_hash(fork)

    with pytest.raises(IntegrityError), transaction.atomic():
        services.entry_insert(fork, connections["default"])


def test_the_insert_passes_through_django_execute_wrappers(db):
    seen: list[str] = []

    def spy(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        record_some(1)

    assert len([sql for sql in seen if sql.startswith('INSERT INTO "audit_auditentry"')]) == 1


def prepared_inserts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    return [sql for sql in statements if sql.startswith('INSERT INTO "audit_auditentry"')]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
@pytest.mark.parametrize(("threshold", "prepared"), [(None, 0), (0, 1), (5, 1)])
def test_on_postgresql_the_insert_is_prepared_only_when_the_settings_allow_it(
    db, threshold, prepared
):
    """Django leaves preparing off (prepare_threshold None) for connection poolers;
    WANGGE_DB_PREPARE_THRESHOLD turns it on, and then the INSERT is prepared at once."""
    connection.ensure_connection()
    raw = connection.connection
    default, raw.prepare_threshold = raw.prepare_threshold, threshold
    try:
        record_some(2)
        assert len(prepared_inserts()) == prepared
    finally:
        raw.prepare_threshold = default


def test_the_prepare_threshold_comes_from_the_environment(monkeypatch):
    from wangge.settings import database_from_url

    url = "postgres://grid@db.local/wangge"
    monkeypatch.delenv("WANGGE_DB_PREPARE_THRESHOLD", raising=False)
    assert database_from_url(url)["OPTIONS"] == {}
    monkeypatch.setenv("WANGGE_DB_PREPARE_THRESHOLD", "5")
    assert database_from_url(url)["OPTIONS"] == {"prepare_threshold": 5}
