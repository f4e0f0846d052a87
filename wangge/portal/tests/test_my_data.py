from typing import Any

import pytest
from django.urls import reverse

from wangge.audit.models import AuditEntry
from wangge.audit.services import record
from wangge.people.tests.factories import identity_number, person_registered
from wangge.portal.models import ThrottleHit

pytestmark = pytest.mark.django_db

URL = "/portal/my-data/"


def a_person(mobile: str) -> Any:
    return person_registered(id_number=identity_number(), mobile=mobile)


def unmasked_by(user: Any, person: Any) -> None:
    record(
        actor=user,
        action="personal.unmask",
        target=person,
        purpose="上门核实低保情况",
        details={"purpose": "verification"},
    )


def test_url_name() -> None:
    assert reverse("portal:my_data") == URL


def test_needs_a_proved_mobile(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/portal/verify/" in response["Location"]


def test_shows_units_and_purpose_not_names(client: Any, dispatcher: Any) -> None:
    from conftest import resident_signed_in

    person = a_person("13900000031")
    unmasked_by(dispatcher, person)
    resident_signed_in(client, "13900000031")
    response = client.post(URL, {"id_number": person.id_number.lower()})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="my-data-reads"' in body
    assert "上门核实低保情况" in body
    assert dispatcher.username not in body
    if dispatcher.name:
        assert dispatcher.name not in body
    # the unit: the dispatcher's township
    from wangge.regions.models import Region

    assert Region.objects.get(code="620502001").name in body
    looked = AuditEntry.objects.get(action="portal.my_data", target_id=str(person.pk))
    assert looked.actor_id is None


def test_wrong_mobile_or_unknown_number_gets_the_same_neutral_answer(client: Any) -> None:
    from conftest import resident_signed_in

    person = a_person("13900000032")
    resident_signed_in(client, "13900000033")
    other = client.post(URL, {"id_number": person.id_number}).content.decode()
    unknown = client.post(URL, {"id_number": identity_number()}).content.decode()
    for body in (other, unknown):
        assert 'id="my-data-answer"' in body and 'id="my-data-reads"' not in body
    assert not AuditEntry.objects.filter(action="portal.my_data").exists()


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "12345", "' OR 1=1 --", "x" * 40, ""]
)
def test_bad_input_is_a_clear_message_and_nothing_stored(client: Any, value: str) -> None:
    from conftest import resident_signed_in

    resident_signed_in(client, "13900000034")
    response = client.post(URL, {"id_number": value})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in body
    assert "<script>alert(1)</script>" not in body
    assert not ThrottleHit.objects.filter(key__contains="13900000034").exists()
    assert not AuditEntry.objects.filter(action="portal.my_data").exists()


def test_attempts_are_throttled_per_mobile(client: Any) -> None:
    from conftest import resident_signed_in

    person = a_person("13900000035")
    resident_signed_in(client, "13900000035")
    for _attempt in range(10):
        assert client.post(URL, {"id_number": identity_number()}).status_code == 200
    response = client.post(URL, {"id_number": person.id_number})
    assert response.status_code == 429
    assert 'id="my-data-reads"' not in response.content.decode()
