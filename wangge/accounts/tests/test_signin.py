import datetime

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import TEST_PASSWORD
from wangge.accounts import services
from wangge.accounts.admin import AdministratorSetPasswordForm
from wangge.accounts.models import SignInFailure

LOGIN = "/accounts/login/"


def sign_in(client, username: str, password: str, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "weak", ["short1A!", "alllowercaseletters", "password1234", "1234567890ab"]
)
def test_weak_passwords_are_refused(db, weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_mixed_password_is_accepted(db):
    validate_password("Grid-worker-2026")


def test_five_failures_lock_the_account_even_for_the_right_password(client, staff_user):
    for _ in range(5):
        sign_in(client, "staff", "wrong password")

    response = sign_in(client, "staff", TEST_PASSWORD)

    assert "_auth_user_id" not in client.session
    assert "锁定" in response.content.decode()


def test_an_administrator_unlocks_a_locked_account(client, staff_user):
    for _ in range(5):
        sign_in(client, "staff", "wrong password")

    services.signin_unlock(actor=None, username="staff")
    sign_in(client, "staff", TEST_PASSWORD)

    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_a_lock_ends_by_itself_after_the_window(client, staff_user, settings):
    for _ in range(5):
        sign_in(client, "staff", "wrong password")
    SignInFailure.objects.update(
        at=timezone.now() - datetime.timedelta(minutes=settings.WANGGE_LOCKOUT_MINUTES + 1)
    )

    sign_in(client, "staff", TEST_PASSWORD)

    assert "_auth_user_id" in client.session


def test_many_failures_from_one_address_lock_that_address_for_everyone(client, staff_user):
    for number in range(20):
        sign_in(client, f"guess{number}", "wrong", address="10.9.9.9")

    sign_in(client, "staff", TEST_PASSWORD, address="10.9.9.9")
    assert "_auth_user_id" not in client.session
    sign_in(client, "staff", TEST_PASSWORD, address="10.0.0.2")
    assert "_auth_user_id" in client.session


def test_a_success_clears_the_account_count(client, staff_user):
    for _ in range(4):
        sign_in(client, "staff", "wrong password")
    sign_in(client, "staff", TEST_PASSWORD)
    assert not SignInFailure.objects.filter(username="staff").exists()


def test_a_session_ends_after_inactivity(client, staff_user, settings):
    client.force_login(staff_user)
    assert client.get("/accounts/me/").status_code == 200
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get("/accounts/me/")

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_use_moves_the_idle_expiry_at_most_once_a_minute(client, staff_user, settings):
    client.force_login(staff_user)
    client.get("/accounts/me/")  # the first touch
    soon = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.update(expire_date=soon)

    client.get("/accounts/me/")  # within the minute: no write
    unchanged = Session.objects.get().expire_date
    settings.WANGGE_SESSION_TOUCH_SECONDS = 0
    client.get("/accounts/me/")
    moved = Session.objects.get().expire_date

    assert unchanged == soon
    assert moved > soon + datetime.timedelta(minutes=20)


def test_a_password_set_by_an_administrator_must_be_changed_first(client, staff_user):
    form = AdministratorSetPasswordForm(
        staff_user, {"password1": "Temporary-2026x", "password2": "Temporary-2026x"}
    )
    assert form.is_valid(), form.errors
    form.save()
    sign_in(client, "staff", "Temporary-2026x")

    assert client.get("/regions/map/")["Location"] == "/accounts/password/"
    client.post(
        "/accounts/password/",
        {
            "old_password": "Temporary-2026x",
            "new_password1": "My-own-choice-77",
            "new_password2": "My-own-choice-77",
        },
    )
    assert client.get("/regions/map/").status_code == 200


def test_a_weak_new_password_is_refused_and_nothing_changes(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    staff_user.refresh_from_db()
    assert staff_user.check_password(TEST_PASSWORD)


def test_demo_accounts_are_exempt_and_the_sign_in_page_says_so(client, db):
    from wangge.accounts.models import User

    worker = User.objects.get(username="gridworker")
    services.password_set_by_administrator(actor=None, user=worker, password="Another-demo-1")

    assert not worker.must_change_password
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "exempt from the forced password change" in page


def test_the_base_admin_form_is_replaced(db):
    from wangge.accounts.admin import UserAdmin

    assert issubclass(UserAdmin.change_password_form, AdminPasswordChangeForm)
    assert UserAdmin.change_password_form is AdministratorSetPasswordForm
