"""The hash chain: what of an entry is hashed, and how. Pure functions, no database.

hash = SHA-256(prev_hash + canonical JSON of the hashed fields), hex. Canonical JSON has sorted
keys, no whitespace, UTF-8 text as is (ensure_ascii off) and the time as ISO-8601 in UTC with
microseconds. `id` is left out: the database assigns it at insert, and `prev_hash` already
binds each row to the one before it.
"""

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64  # the prev_hash of the first entry

HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "region_code",
    "purpose",
    "details",
    "ip",
    "prev_hash",
)


# Encoders made once: json.dumps() with options builds a new encoder on every call.
CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: object) -> str:
    return CANONICAL.encode(value)


def timestamp(at: datetime.datetime) -> str:
    """2026-01-05T02:03:04.000005+00:00, whatever zone the value came in."""
    if at.tzinfo is None:
        raise ValueError("audit times must be aware")
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def entry_hash(fields: Mapping[str, Any]) -> str:
    """The hash of an entry given its hashed fields (HASHED_FIELDS, nothing else)."""
    content = {name: fields[name] for name in HASHED_FIELDS}
    content["at"] = timestamp(content["at"])
    text = fields["prev_hash"] + canonical_json(content)
    return hashlib.sha256(text.encode()).hexdigest()


def integral_float_as_int(text: str) -> int | float:
    number = float(text)
    return int(number) if number.is_integer() else number


DETAILS_ENCODER = DjangoJSONEncoder(allow_nan=False)
DETAILS_DECODER = json.JSONDecoder(parse_float=integral_float_as_int)


def details_normalised(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Details as the database will hand them back, so the hash computed now still matches
    when `verify` reads the row: JSON types only (times, decimals and UUIDs as strings) and
    whole floats as integers (PostgreSQL's jsonb prints 1e16 as 10000000000000000)."""
    normalised = DETAILS_DECODER.decode(DETAILS_ENCODER.encode(dict(details or {})))
    return normalised  # type: ignore[no-any-return]
