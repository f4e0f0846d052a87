"""Sign-in, sign-out and failed sign-in through the real pages land in the audit log."""

from conftest import TEST_PASSWORD
from wangge.audit.models import AuditEntry


def newest(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def test_signing_in_records_who_and_from_where(client, staff_user):
    response = client.post(
        "/accounts/login/",
        {"username": "staff", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.62.5.20",
    )

    assert response.status_code == 302
    entry = newest("auth.login")
    assert (entry.actor_id, entry.actor_label, entry.ip) == (staff_user.pk, "staff", "10.62.5.20")
    assert (entry.target_type, entry.target_id) == ("accounts.user", str(staff_user.pk))


def test_a_failed_sign_in_records_the_name_tried_and_the_address_but_no_password(
    client, staff_user
):
    before = AuditEntry.objects.count()

    client.post(
        "/accounts/login/",
        {"username": "staff", "password": "Wrong-Password-123"},
        REMOTE_ADDR="10.62.5.21",
    )

    entry = newest("auth.login_failed")
    assert AuditEntry.objects.count() == before + 1
    assert (entry.actor_id, entry.ip, entry.details) == (None, "10.62.5.21", {"username": "staff"})
    stored = str(AuditEntry.objects.filter(pk=entry.pk).values().get())
    assert "Wrong-Password-123" not in stored and "********" not in stored


def test_a_sign_in_with_an_unknown_name_is_recorded_too(client, db):
    client.post("/accounts/login/", {"username": "nobody-here", "password": "x"})

    assert newest("auth.login_failed").details == {"username": "nobody-here"}


def test_signing_out_records_who_left(client, staff_user):
    client.post("/accounts/login/", {"username": "staff", "password": TEST_PASSWORD})

    client.post("/accounts/logout/")

    entry = newest("auth.logout")
    assert (entry.actor_id, entry.ip) == (staff_user.pk, "127.0.0.1")


def test_signing_out_when_nobody_is_signed_in_records_nothing(client, db):
    before = AuditEntry.objects.count()

    client.post("/accounts/logout/")

    assert AuditEntry.objects.count() == before
