"""The hash and its canonical form, without a database."""

import datetime
import decimal
import hashlib
import json
import uuid
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wangge.audit import chain

UTC = datetime.UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")


def fields(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "at": datetime.datetime(2026, 3, 1, 2, 3, 4, 5, tzinfo=UTC),
        "actor_id": 7,
        "actor_label": "gridworker",
        "action": "person.read_unmasked",
        "target_type": "people.person",
        "target_id": "42",
        "target_label": "张三",
        "region_code": "620502001001001",
        "purpose": "核实低保申请",
        "details": {"fields": ["id_number"]},
        "ip": "10.0.0.1",
        "prev_hash": chain.GENESIS,
    }
    return {**base, **changes}


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_json():
    content = fields()
    expected_json = (
        '{"action":"person.read_unmasked","actor_id":7,"actor_label":"gridworker",'
        '"at":"2026-03-01T02:03:04.000005+00:00","details":{"fields":["id_number"]},'
        '"ip":"10.0.0.1","prev_hash":"' + chain.GENESIS + '","purpose":"核实低保申请",'
        '"region_code":"620502001001001","target_id":"42","target_label":"张三",'
        '"target_type":"people.person"}'
    )
    assert (
        chain.entry_hash(content)
        == hashlib.sha256((chain.GENESIS + expected_json).encode()).hexdigest()
    )


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("at", datetime.datetime(2026, 3, 1, 2, 3, 4, 6, tzinfo=UTC)),
        ("actor_id", 8),
        ("actor_label", "admin"),
        ("action", "person.read"),
        ("target_type", "people.house"),
        ("target_id", "43"),
        ("target_label", "李四"),
        ("region_code", "620502001001002"),
        ("purpose", ""),
        ("details", {"fields": ["mobile"]}),
        ("ip", None),
        ("prev_hash", "f" * 64),
    ],
)
def test_changing_any_hashed_field_changes_the_hash(name, other):
    assert chain.entry_hash(fields(**{name: other})) != chain.entry_hash(fields())


def test_the_same_instant_in_another_zone_hashes_the_same():
    local = datetime.datetime(2026, 3, 1, 10, 3, 4, 5, tzinfo=SHANGHAI)

    assert chain.entry_hash(fields(at=local)) == chain.entry_hash(fields())


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        chain.entry_hash(fields(at=datetime.datetime(2026, 3, 1)))


def test_fields_outside_the_hashed_set_do_not_count():
    assert chain.entry_hash({**fields(), "id": 99, "hash": "x"}) == chain.entry_hash(fields())


def test_details_are_normalised_to_what_the_database_gives_back():
    details = {
        "when": datetime.datetime(2026, 3, 1, 2, 3, tzinfo=UTC),
        "amount": decimal.Decimal("12.50"),
        "token": uuid.UUID(int=1),
        "whole": 2.0,
        "big": 1e16,
        "half": 0.5,
        1: "a number key",
        "nested": [{"z": 1, "a": (1, 2)}],
    }

    assert chain.details_normalised(details) == {
        "when": "2026-03-01T02:03:00Z",
        "amount": "12.50",
        "token": "00000000-0000-0000-0000-000000000001",
        "whole": 2,
        "big": 10_000_000_000_000_000,
        "half": 0.5,
        "1": "a number key",
        "nested": [{"z": 1, "a": [1, 2]}],
    }


def test_details_that_are_not_json_are_refused():
    with pytest.raises(ValueError):
        chain.details_normalised({"x": float("nan")})
    with pytest.raises(TypeError):
        chain.details_normalised({"x": object()})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=4))
def test_normalised_details_hash_the_same_after_any_json_round_trip(details):
    normalised = chain.details_normalised(details)
    reread = json.loads(json.dumps(normalised, indent=2))

    assert chain.entry_hash(fields(details=reread)) == chain.entry_hash(fields(details=normalised))
    assert chain.details_normalised(normalised) == normalised
