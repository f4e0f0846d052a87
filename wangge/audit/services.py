"""Appending to the audit log. `record()` is the only code that writes AuditEntry rows."""

import functools
import ipaddress
import re
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from wangge.audit import chain
from wangge.audit.models import AuditEntry
from wangge.audit.selectors import EntryFilter, chain_start, entries_filtered

ACTION_PATTERN = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
EXPORT_ACTION = "audit.export"
# Refused attempts (see docs/operations.md, "Refused attempts").
ACCESS_DENIED = "access.denied"
OUT_OF_SCOPE = "access.out_of_scope"
CSRF_FAILED = "security.csrf_failed"
SESSION_UNKNOWN = "security.session_unknown"  # unknown or expired: the two look the same
# One fixed key for pg_advisory_xact_lock: the bytes of "wanggeAU".
CHAIN_LOCK_KEY = 0x77616E6767654155
CHAIN_LOCK_SQL = {
    # Held until the transaction ends, so the next appender reads a head that is committed.
    "postgresql": "SELECT pg_advisory_xact_lock(%s)",
    # SQLite needs none: settings.py makes every transaction BEGIN IMMEDIATE, which takes the
    # database's single write lock at once, so appenders queue before they read the head.
}


def record(
    *,
    actor: Any,
    action: str,
    target: Model | None = None,
    purpose: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    region_code: str = "",
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction: when the caller's work
    rolls back, its record goes with it.

    On PostgreSQL the chain lock is held until that transaction ends, so a long transaction
    should record as late as it can.
    """
    values = entry_values(
        actor=actor,
        action=action,
        target=target,
        purpose=purpose,
        details=details,
        ip=client_address(request),
        region_code=region_code,
    )
    connection = connections[router.db_for_write(AuditEntry)]
    with transaction.atomic(using=connection.alias, savepoint=False):
        head = chain_head(connection)
        values["at"] = timezone.now()  # under the lock: times rise along the chain
        values["prev_hash"] = head.hash
        values["hash"] = chain.entry_hash(values)
        pk = entry_insert(values, connection)
        head.advance(values["hash"], connection)
    row = [pk, *(values[field.attname] for field in INSERTED_FIELDS)]
    return AuditEntry.from_db(connection.alias, ALL_FIELDS, row)


def refusal_record(
    *,
    actor: Any,
    request: HttpRequest,
    action: str,
    target: Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Record a refused request: who (if signed in), where from, which path. Once per
    request: a refusal that passes two refusing layers (a CSRF failure that the API then
    answers with its own 403) gives one entry, the first layer's."""
    if getattr(request, "audit_refusal_recorded", False):
        return None
    request.audit_refusal_recorded = True  # type: ignore[attr-defined]
    return record(
        actor=actor,
        action=action,
        target=target,
        details={**request_details(request), **(details or {})},
        request=request,
    )


def request_details(request: HttpRequest) -> dict[str, Any]:
    return {"path": request.path[:500], "method": request.method}


def entry_values(
    *,
    actor: Any,
    action: str,
    target: Model | None,
    purpose: str,
    details: dict[str, Any] | None,
    ip: str | None,
    region_code: str,
) -> dict[str, Any]:
    """The stored fields but time and hashes. Labels are cut to fit; what the caller chose
    (action, purpose, region) is refused when it does not fit."""
    if not ACTION_PATTERN.match(action) or len(action) > 64:
        raise ValueError(f"an audit action is dotted lower case, like auth.login: {action!r}")
    if len(purpose) > 500 or len(region_code) > 15:
        raise ValueError("purpose has at most 500 characters, region_code at most 15")
    known = actor if actor is not None and actor.is_authenticated else None
    return {
        "actor_id": known.pk if known else None,
        "actor_label": known.get_username()[:150] if known else "",
        "action": action,
        "target_type": target._meta.label_lower[:64] if target is not None else "",
        "target_id": str(target.pk)[:64] if target is not None else "",
        "target_label": str(target)[:200] if target is not None else "",
        "region_code": region_code or str(getattr(target, "region_code", "") or "")[:15],
        "purpose": purpose,
        "details": chain.details_normalised(details),
        "ip": ip,
    }


def client_address(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR in the form the database gives back (so the hash still matches).

    Behind a reverse proxy this is the proxy's address: trusting X-Forwarded-For needs a
    list of trusted proxies, which is a deployment setting still to come.
    """
    if request is None:
        return None
    try:  # a zone (fe80::1%eth0) is no part of the address, and inet refuses it
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "").split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


@dataclass
class ChainHead:
    """The hash of the last entry as this connection's transaction sees it.

    Kept for the rest of the transaction, so a bulk operation pays for the lock and the read
    once. The lock is known to be held while the marker put in Django's on-commit list when
    it was taken is still there: the list is emptied when the transaction ends, and a
    savepoint rollback drops what was added inside it (PostgreSQL releases a lock taken
    inside a rolled-back savepoint too). The hash is trusted only while the savepoints open
    at the last append are exactly the ones open now: savepoint ids are never reused on a
    connection, so a savepoint holding that append cannot have been rolled back meanwhile.
    Otherwise the head is read again. (Savepoints made by hand with transaction.savepoint()
    are invisible to both checks; a rollback to one of them would leave a stale head, which
    `verify` then reports as a broken link. Use atomic blocks.)
    """

    hash: str
    marker: "LockMarker"
    marker_index: int
    savepoints: tuple[str | None, ...]

    def lock_held(self, connection: BaseDatabaseWrapper) -> bool:
        hooks = connection.run_on_commit  # (savepoint ids, function, robust) each
        if self.marker_index < len(hooks) and hooks[self.marker_index][1] is self.marker:
            return True
        for index, hook in enumerate(hooks):  # hooks before it were dropped by a rollback
            if hook[1] is self.marker:
                self.marker_index = index
                return True
        return False

    def advance(self, new_hash: str, connection: BaseDatabaseWrapper) -> None:
        self.hash = new_hash
        self.savepoints = tuple(connection.savepoint_ids)


HEADS: "weakref.WeakKeyDictionary[BaseDatabaseWrapper, ChainHead]" = weakref.WeakKeyDictionary()


class LockMarker:
    """Put in the on-commit list when the chain lock is taken; only its presence matters."""

    def __call__(self) -> None:
        pass


def chain_head(connection: BaseDatabaseWrapper) -> ChainHead:
    """The head to append to, taking the chain lock first unless this transaction holds it."""
    head = HEADS.get(connection)
    savepoints = tuple(connection.savepoint_ids)
    if head is not None and head.lock_held(connection):
        if head.savepoints != savepoints:
            head.hash, head.savepoints = chain_head_read(connection), savepoints
        return head
    chain_lock(connection)
    marker = LockMarker()
    connection.on_commit(marker)
    head = ChainHead(
        hash=chain_head_read(connection),
        marker=marker,
        marker_index=len(connection.run_on_commit) - 1,
        savepoints=savepoints,
    )
    HEADS[connection] = head
    return head


def chain_lock(connection: BaseDatabaseWrapper) -> None:
    statement = CHAIN_LOCK_SQL.get(connection.vendor)
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(statement, [CHAIN_LOCK_KEY])


def chain_head_read(connection: BaseDatabaseWrapper) -> str:
    """The newest entry's hash; with no entry left, the last archived entry's (or genesis)."""
    newest = AuditEntry.objects.using(connection.alias).order_by("-id")
    return newest.values_list("hash", flat=True).first() or chain_start()


INSERTED_FIELDS = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
ALL_FIELDS = [field.attname for field in AuditEntry._meta.concrete_fields]
INSERT_STATEMENTS: dict[str, str] = {}


def insert_statement(connection: BaseDatabaseWrapper) -> str:
    """INSERT … VALUES, with RETURNING id on PostgreSQL (SQLite's cursor has lastrowid)."""
    if connection.vendor not in INSERT_STATEMENTS:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in INSERTED_FIELDS)
        values = ", ".join(["%s"] * len(INSERTED_FIELDS))
        table = quote(AuditEntry._meta.db_table)
        statement = f"INSERT INTO {table} ({columns}) VALUES ({values})"
        if connection.vendor != "sqlite":
            statement += f" RETURNING {quote('id')}"
        INSERT_STATEMENTS[connection.vendor] = statement
    return INSERT_STATEMENTS[connection.vendor]


def entry_insert(values: dict[str, Any], connection: BaseDatabaseWrapper) -> int:
    """One INSERT, not Model.save(): AuditEntry refuses save() so that nothing else writes
    rows, and Django's insert compiler costs several times the database's own work. On
    SQLite the three conversions are the ones the fields' get_db_prep_value() make."""
    if connection.vendor == "postgresql":
        return server_bound_insert(connection, insert_statement(connection), server_params(values))
    ops = connection.ops
    converted = {
        **values,
        "at": ops.adapt_datetimefield_value(values["at"]),
        "details": ops.adapt_json_value(values["details"], None),
        "ip": ops.adapt_ipaddressfield_value(values["ip"]),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            insert_statement(connection), [converted[f.attname] for f in INSERTED_FIELDS]
        )
        return int(cursor.lastrowid)


def server_params(values: dict[str, Any]) -> list[Any]:
    """Parameters sent apart from the statement reach PostgreSQL as text of no stated type,
    which it casts to each column's: so the address goes as the text it is, and the details
    as their canonical JSON, encoded once (Django's conversions would parse and encode
    again; measured with bench/audit.py)."""
    converted = {**values, "details": chain.canonical_json(values["details"])}
    return [converted[field.attname] for field in INSERTED_FIELDS]


def server_bound_insert(connection: BaseDatabaseWrapper, statement: str, params: list[Any]) -> int:
    """PostgreSQL: the INSERT through a cursor of psycopg's own, which sends the parameters
    apart from the statement (Django's cursors merge them into it on the client), prepared
    when the database settings allow it (WANGGE_DB_PREPARE_THRESHOLD): the server then parses
    and plans it once per connection. Both measured with bench/audit.py. Errors, Django's
    execute wrappers and its query log go as with Django's own cursors."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:

        def execute(sql: str, params: list[Any], many: bool, context: dict[str, Any]) -> None:
            cursor.execute(sql, params, prepare=True)

        run: Callable[..., None] = execute
        for wrapper in reversed(connection.execute_wrappers):
            run = functools.partial(wrapper, run)
        started = time.monotonic()
        run(statement, params, False, {"connection": connection, "cursor": cursor})
        pk = int(cursor.fetchone()[0])  # type: ignore[index]  # RETURNING gives one row
    if connection.queries_logged:
        seconds = time.monotonic() - started
        connection.queries_log.append({"sql": statement, "time": f"{seconds:.3f}"})
    return pk


def entries_export(
    *,
    actor: Any,
    entries: QuerySet[AuditEntry],
    criteria: EntryFilter,
    request: HttpRequest | None = None,
) -> QuerySet[AuditEntry]:
    """Record the export, then hand back exactly the rows that entry describes: those that
    matched when it was written, oldest first (not the export's own entry)."""
    matching = entries_filtered(entries, criteria)
    newest = matching.values_list("id", flat=True).first()
    rows = matching.filter(id__lte=newest or 0).order_by("id")
    details = {"filter": criteria.as_details(), "rows": rows.count(), "up_to_id": newest}
    record(actor=actor, action=EXPORT_ACTION, details=details, request=request)
    return rows
