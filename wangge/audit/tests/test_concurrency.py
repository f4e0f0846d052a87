"""Writers on separate connections never fork the chain (PostgreSQL).

The writers run in threads, each with its own connection in autocommit, so their entries are
committed for real and stay in the test database: they are ordinary chained entries that
later tests simply build on. No transactional_db: its flush would empty the demo district
the session loaded. On SQLite there is nothing to race: a writer holds the database's only
write lock from BEGIN IMMEDIATE to commit (the lock switch itself is tested in test_record).
"""

import threading
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, connections, transaction

from wangge.audit import services
from wangge.audit.models import AuditEntry
from wangge.audit.selectors import chain_verify

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers by itself"
)


def run_in_threads(*jobs: Callable[[], None]) -> list[BaseException]:
    """Run each job in its own thread (and so its own connection); the errors they raised."""
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return errors


def test_concurrent_writers_take_turns_and_the_chain_stays_whole(db):
    first_holds_the_lock = threading.Event()

    def slow_bulk_writer() -> None:
        with transaction.atomic():
            services.record(actor=None, action="test.concurrent", details={"writer": "slow"})
            first_holds_the_lock.set()
            threading.Event().wait(0.5)  # the other writer arrives meanwhile
            services.record(actor=None, action="test.concurrent", details={"writer": "slow"})

    def quick_writers() -> None:
        first_holds_the_lock.wait(10)
        for _ in range(20):
            services.record(actor=None, action="test.concurrent", details={"writer": "quick"})

    assert run_in_threads(slow_bulk_writer, quick_writers, quick_writers) == []

    rows = list(
        AuditEntry.objects.filter(action="test.concurrent")
        .order_by("-id")[:42]
        .values_list("details__writer", "prev_hash", "hash")
    )[::-1]
    assert [writer for writer, _, _ in rows[:2]] == ["slow", "slow"]  # waited for, not split
    assert all(row[1] == before[2] for before, row in zip(rows, rows[1:], strict=False))
    assert chain_verify().intact


def test_without_the_lock_the_database_still_refuses_a_fork(db, monkeypatch):
    """Defence in depth: a writer that skipped the lock reads a stale head, and the unique
    prev_hash stops its row instead of letting the chain split."""
    monkeypatch.setattr(services, "CHAIN_LOCK_SQL", {})
    read_head = services.chain_head_read
    second_read_the_head = threading.Event()
    first_appended = threading.Event()

    def head_then_signal(conn):  # type: ignore[no-untyped-def]
        head = read_head(conn)
        if threading.current_thread().name == "second":
            second_read_the_head.set()
        return head

    monkeypatch.setattr(services, "chain_head_read", head_then_signal)

    def first() -> None:
        with transaction.atomic():
            services.record(actor=None, action="test.fork")
            first_appended.set()
            assert second_read_the_head.wait(10)

    def second() -> None:
        threading.current_thread().name = "second"
        assert first_appended.wait(10)
        services.record(actor=None, action="test.fork")

    errors = run_in_threads(first, second)

    assert [type(error) for error in errors] == [IntegrityError]
    assert "audit_prev_hash_unique" in str(errors[0])
    assert chain_verify().intact
