"""Reads of the audit log: the filtered list for the log page, and the chain check."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from wangge.audit import chain
from wangge.audit.models import AuditArchive, AuditEntry


@dataclass(frozen=True)
class EntryFilter:
    actor: str = ""  # a username, as it was when the entry was written
    action: str = ""  # exact, or a prefix when it ends with a dot: "auth."
    target_type: str = ""
    target_id: str = ""
    date_from: datetime.date | None = None  # local days, both ends included
    date_to: datetime.date | None = None

    def as_details(self) -> dict[str, str]:
        """The filter as it goes into the audit entry of an export."""
        values = vars(self).items()
        return {name: str(value) for name, value in values if value not in ("", None)}


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries_filtered(entries: QuerySet[AuditEntry], criteria: EntryFilter) -> QuerySet[AuditEntry]:
    """Newest first; each condition is served by one of the model's indexes."""
    if criteria.actor:
        entries = entries.filter(actor_label=criteria.actor)
    if criteria.action.endswith("."):
        entries = entries.filter(action__startswith=criteria.action)
    elif criteria.action:
        entries = entries.filter(action=criteria.action)
    if criteria.target_type:
        entries = entries.filter(target_type=criteria.target_type)
    if criteria.target_id:
        entries = entries.filter(target_id=criteria.target_id)
    if criteria.date_from:
        entries = entries.filter(at__gte=start_of_day(criteria.date_from))
    if criteria.date_to:
        next_day = criteria.date_to + datetime.timedelta(days=1)
        entries = entries.filter(at__lt=start_of_day(next_day))
    return entries.order_by("-id")


@dataclass(frozen=True)
class ChainBreak:
    """The first row where the chain does not hold, and how."""

    id: int
    at: datetime.datetime
    action: str
    content_altered: bool  # else its link: the row before it was removed or re-hashed

    def __str__(self) -> str:
        what = (
            "its content was altered (the stored hash does not match it)"
            if self.content_altered
            else "its link was altered: the row before it was removed, or its hash changed"
        )
        return f"row {self.id} ({chain.timestamp(self.at)}, {self.action}): {what}"


@dataclass(frozen=True)
class ChainReport:
    rows: int  # rows checked, up to and including a break
    last_id: int | None
    last_hash: str
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


VERIFIED_COLUMNS = ("id", *chain.HASHED_FIELDS, "hash")


def chain_rows(chunk_size: int) -> Iterator[dict[str, Any]]:
    """Every row in id order, streamed: one query, never the whole table in memory."""
    rows = AuditEntry.objects.order_by("id").values_list(*VERIFIED_COLUMNS)
    for values in rows.iterator(chunk_size=chunk_size):
        yield dict(zip(VERIFIED_COLUMNS, values, strict=True))


def chain_start() -> str:
    """The hash the first live entry names: the last archived entry's, or the genesis."""
    last_archived = AuditArchive.objects.order_by("-id").values_list("last_hash", flat=True)
    return last_archived.first() or chain.GENESIS


def chain_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Recompute each hash and follow each link from the first live row to the last, the
    first linking to the last archive (or the genesis).

    A removed last row leaves no trace in the chain itself: compare the reported last hash
    with one noted elsewhere (a printout, another system) to catch that.
    """
    return chain_check(chain_rows(chunk_size), chain_start())


def chain_check(rows: Iterable[dict[str, Any]], start_hash: str) -> ChainReport:
    """The chain check of rows in id order, from the database or an archive file."""
    count, last_id, expected_prev = 0, None, start_hash
    for row in rows:
        count += 1
        content_altered = chain.entry_hash(row) != row["hash"]
        out_of_order = last_id is not None and row["id"] <= last_id
        if content_altered or out_of_order or row["prev_hash"] != expected_prev:
            problem = ChainBreak(row["id"], row["at"], row["action"], content_altered)
            return ChainReport(count, last_id, expected_prev, problem)
        last_id, expected_prev = row["id"], row["hash"]
    return ChainReport(count, last_id, expected_prev, None)


def archive_latest() -> AuditArchive | None:
    return AuditArchive.objects.order_by("-id").first()


def archive_links_check() -> AuditArchive | None:
    """The first archive record that does not start where the one before it ended."""
    expected = chain.GENESIS
    for archive in AuditArchive.objects.order_by("id"):
        if archive.first_prev_hash != expected:
            return archive
        expected = archive.last_hash
    return None
