"""The audit log as CSV: UTF-8 with a byte-order mark, so Excel opens Chinese text right."""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit import chain
from wangge.audit.models import AuditEntry

# A cell starting with one of these is a formula to a spreadsheet; attempted user names and
# labels come from outside, so they are made plain text with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def headers() -> list[str]:
    return [
        _("Number"),
        _("Time"),
        _("User name"),
        _("Action"),
        _("Target type"),
        _("Target id"),
        _("Target"),
        _("Region code"),
        _("Purpose"),
        _("Details"),
        _("Address"),
        _("Hash"),
    ]


def row(entry: AuditEntry) -> list[str]:
    values = [
        entry.pk,
        timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor_label,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.target_label,
        entry.region_code,
        entry.purpose,
        chain.canonical_json(entry.details) if entry.details else "",
        entry.ip,
        entry.hash,
    ]
    return [cell(value) for value in values]


class Echo:
    """The file a csv.writer writes to, handing each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(entries: QuerySet[AuditEntry], *, chunk_size: int = 2000) -> Iterator[str]:
    """Lines to stream; the header is translated now, while the request's language is on."""
    return lines(headers(), entries, chunk_size)


def lines(header: list[str], entries: QuerySet[AuditEntry], chunk_size: int) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(header)
    for entry in entries.iterator(chunk_size=chunk_size):
        yield writer.writerow(row(entry))
