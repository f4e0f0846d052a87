"""The second factor through the real pages: setting it up, signing in with it, the rule that
administrators must have it, turning it off, an administrator's reset, and the audit trail."""

import time

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.exceptions import ValidationError

from conftest import DISTRICT, TEST_PASSWORD, make_persona
from wangge.accounts import services, totp
from wangge.accounts.forms import offer_for
from wangge.accounts.models import SignInFailure, User
from wangge.accounts.tests.factories import code_for, totp_enrolled
from wangge.accounts.views import PENDING_SIGN_IN
from wangge.audit.models import AuditEntry

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
SETUP = "/accounts/authenticator/"
DISABLE = "/accounts/authenticator/disable/"


def sign_in(client, username: str, *, next: str = "", address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": TEST_PASSWORD, "next": next}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def enter_code(client, code: str, *, next: str = "", address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(CODE, {"code": code, "next": next}, REMOTE_ADDR=address)


def wrong_code_for(secret: str) -> str:
    """A well-formed code that no step near now gives, so a 'wrong code' test cannot pass by
    luck."""
    key, now = totp.secret_key(secret), time.time()
    near = {totp.totp(key, now + offset * totp.STEP_SECONDS) for offset in range(-3, 4)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def newest(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def signed_in_user_id(client) -> str | None:  # type: ignore[no-untyped-def]
    return client.session.get("_auth_user_id")


# Setting it up


def offered(client) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The key the setup page shows, and its signed form that the page posts back."""
    context = client.get(SETUP).context
    return context["secret"].replace(" ", ""), context["offer"]


def confirm(client, offer: str, code: str):  # type: ignore[no-untyped-def]
    return client.post(SETUP, {"offer": offer, "code": code})


def test_the_setup_page_shows_the_key_in_groups_its_address_and_a_qr_code(client, staff_user):
    client.force_login(staff_user)

    response = client.get(SETUP)
    html = response.content.decode()
    secret = response.context["secret"].replace(" ", "")

    assert response.status_code == 200
    assert totp.secret_grouped(secret) in html
    assert f"otpauth://totp/wangge:staff?secret={secret}" in html
    assert '<svg width="' in html and 'class="qr"' in html
    assert "<script" not in html.split("</header>")[1] and "style=" not in html


def test_a_wrong_code_keeps_the_same_key_on_the_page(client, staff_user):
    client.force_login(staff_user)
    secret, offer = offered(client)

    response = confirm(client, offer, wrong_code_for(secret))

    assert response.context["secret"].replace(" ", "") == secret


def test_the_current_code_sets_up_the_app_and_is_audited(client, staff_user):
    client.force_login(staff_user)
    secret, offer = offered(client)

    response = confirm(client, offer, code_for(secret))

    assert response.status_code == 302 and response["Location"] == SETUP
    staff_user.refresh_from_db()
    assert staff_user.totp_secret == secret and staff_user.totp_confirmed_at is not None
    entry = newest("auth.totp_enrolled")
    assert (entry.actor_id, entry.target_id) == (staff_user.pk, str(staff_user.pk))
    assert secret not in str(entry.details)
    assert "otpauth" not in client.get(SETUP).content.decode()  # now it says it is set up


@pytest.mark.parametrize("kind", ["wrong", "letters", "too short", "empty"])
def test_a_wrong_or_malformed_code_sets_up_nothing(client, staff_user, kind):
    client.force_login(staff_user)
    secret, offer = offered(client)
    code = {"wrong": wrong_code_for(secret), "letters": "12ab56", "too short": "123", "empty": ""}

    response = confirm(client, offer, code[kind])

    assert response.status_code == 200 and response.context["form"].errors["code"]
    staff_user.refresh_from_db()
    assert staff_user.totp_confirmed_at is None and staff_user.totp_secret == ""
    assert not AuditEntry.objects.filter(action="auth.totp_enrolled").exists()


def test_a_code_typed_with_a_space_in_the_middle_is_accepted(client, staff_user):
    client.force_login(staff_user)
    secret, offer = offered(client)
    code = code_for(secret)

    confirm(client, offer, f"{code[:3]} {code[3:]}")

    staff_user.refresh_from_db()
    assert staff_user.totp_confirmed_at is not None


def test_a_key_offered_to_someone_else_or_altered_is_refused(client, staff_user, grid_worker_a):
    client.force_login(grid_worker_a)
    secret, offer_to_other = offered(client)
    client.force_login(staff_user)
    _, offer = offered(client)

    for refused in (offer_to_other, offer[:-1] + ("A" if offer[-1] != "A" else "B"), secret):
        response = confirm(client, refused, code_for(secret))

        assert response.status_code == 200 and response.context["form"].errors["offer"]
        staff_user.refresh_from_db()
        assert staff_user.totp_confirmed_at is None


def test_a_key_shown_more_than_an_hour_ago_is_replaced_by_a_new_one(
    client, staff_user, monkeypatch
):
    client.force_login(staff_user)
    secret = totp.secret_new()
    an_hour_ago = time.time() - 3601
    with monkeypatch.context() as earlier:
        earlier.setattr(signing.time, "time", lambda: an_hour_ago)
        stale = offer_for(staff_user, secret)

    response = confirm(client, stale, code_for(secret))

    assert response.status_code == 200 and response.context["form"].errors["offer"]
    assert response.context["secret"].replace(" ", "") != secret
    staff_user.refresh_from_db()
    assert staff_user.totp_confirmed_at is None


def test_setting_up_a_second_time_is_refused(staff_user):
    secret, another = totp_enrolled(staff_user), totp.secret_new()

    with pytest.raises(ValidationError) as refused:
        services.totp_enrol(user=staff_user, secret=another, code=code_for(another))

    assert refused.value.code == "enrolled"

    staff_user.refresh_from_db()
    assert staff_user.totp_secret == secret


@pytest.mark.parametrize("url", [SETUP, DISABLE])
def test_strangers_are_sent_to_sign_in_from_the_setup_pages(client, db, url):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# Signing in with it


@pytest.fixture
def enrolled(staff_user) -> str:  # type: ignore[no-untyped-def]
    return totp_enrolled(staff_user)


def test_the_password_alone_does_not_sign_in_a_person_with_an_app(client, enrolled):
    response = sign_in(client, "staff")

    assert response.status_code == 302 and response["Location"] == CODE
    assert signed_in_user_id(client) is None
    assert not AuditEntry.objects.filter(action="auth.login").exists()


def test_the_current_code_completes_the_sign_in_and_follows_next(client, staff_user, enrolled):
    response = sign_in(client, "staff", next="/regions/map/")
    assert response["Location"] == CODE + "?next=%2Fregions%2Fmap%2F"

    response = enter_code(client, code_for(enrolled), next="/regions/map/")

    assert response.status_code == 302 and response["Location"] == "/regions/map/"
    assert signed_in_user_id(client) == str(staff_user.pk)
    assert PENDING_SIGN_IN not in client.session
    assert newest("auth.login").actor_id == staff_user.pk


def test_a_next_address_on_another_site_is_ignored(client, enrolled):
    sign_in(client, "staff", next="https://elsewhere.example/")

    response = enter_code(client, code_for(enrolled), next="https://elsewhere.example/")

    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_code_is_refused_counted_and_audited(client, staff_user, enrolled):
    sign_in(client, "staff", address="10.0.0.7")

    response = enter_code(client, wrong_code_for(enrolled), address="10.0.0.7")

    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert signed_in_user_id(client) is None
    assert SignInFailure.objects.filter(username="staff", address="10.0.0.7").count() == 1
    entry = newest("auth.totp_failed")
    assert (entry.actor_id, entry.target_id, entry.ip) == (None, str(staff_user.pk), "10.0.0.7")
    assert entry.details == {"username": "staff"}


def test_a_malformed_code_is_refused_without_counting_a_failure(client, enrolled):
    sign_in(client, "staff")

    response = enter_code(client, "12345x")

    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert signed_in_user_id(client) is None and not SignInFailure.objects.exists()


def test_five_wrong_codes_lock_the_account_and_the_password_does_not_clear_them(client, enrolled):
    for _ in range(5):
        sign_in(client, "staff")  # a right password each time: the count must survive it
        enter_code(client, wrong_code_for(enrolled))
    assert SignInFailure.objects.filter(username="staff").count() == 5

    response = sign_in(client, "staff")

    assert response.status_code == 200 and signed_in_user_id(client) is None
    assert newest("auth.login_locked").details == {"username": "staff", "reason": "account"}


def test_the_code_step_refuses_even_the_right_code_once_the_account_is_locked(client, enrolled):
    sign_in(client, "staff")
    for _ in range(5):
        services.signin_failure_record(username="staff", address="10.0.0.9")

    response = enter_code(client, code_for(enrolled))

    assert response.status_code == 302 and response["Location"] == LOGIN
    assert signed_in_user_id(client) is None and PENDING_SIGN_IN not in client.session
    assert newest("auth.login_locked").details == {"username": "staff", "reason": "account"}


def test_a_code_is_accepted_only_once(client, enrolled):
    code = code_for(enrolled)
    sign_in(client, "staff")
    enter_code(client, code)
    assert signed_in_user_id(client) is not None
    client.post("/accounts/logout/")

    sign_in(client, "staff")
    response = enter_code(client, code)

    assert response.status_code == 200 and signed_in_user_id(client) is None
    assert newest("auth.totp_failed")


def test_a_code_of_an_earlier_step_than_the_last_accepted_is_refused(client, enrolled):
    sign_in(client, "staff")
    enter_code(client, code_for(enrolled, steps_ahead=1))
    assert signed_in_user_id(client) is not None
    client.post("/accounts/logout/")

    sign_in(client, "staff")
    enter_code(client, code_for(enrolled))

    assert signed_in_user_id(client) is None


def test_a_sign_in_waiting_more_than_five_minutes_for_its_code_must_start_again(client, enrolled):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the message is translated when it is made
    sign_in(client, "staff", next="/regions/map/")
    session = client.session
    session[PENDING_SIGN_IN] = {**session[PENDING_SIGN_IN], "at": time.time() - 301}
    session.save()

    response = enter_code(client, code_for(enrolled), next="/regions/map/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN + "?next=%2Fregions%2Fmap%2F"
    assert signed_in_user_id(client) is None and PENDING_SIGN_IN not in client.session
    assert "Signing in took too long" in client.get(LOGIN).content.decode()


def test_the_code_page_without_a_password_first_sends_to_sign_in(client, db):
    assert client.get(CODE)["Location"] == LOGIN
    assert enter_code(client, "123456")["Location"] == LOGIN


def test_a_reset_between_the_two_steps_ends_the_waiting_sign_in(client, staff_user, enrolled):
    sign_in(client, "staff")
    services.totp_reset(actor=None, user=staff_user)

    response = enter_code(client, code_for(enrolled))

    assert response["Location"] == LOGIN and signed_in_user_id(client) is None


def test_a_person_without_an_app_signs_in_with_the_password_alone(client, staff_user):
    response = sign_in(client, "staff")

    assert response["Location"] == "/" and signed_in_user_id(client) == str(staff_user.pk)


# Administrators must have it


@pytest.fixture
def admin_without_app(db) -> User:  # type: ignore[no-untyped-def]
    return make_persona("t_admin_no_app", "district_admin", region=DISTRICT)


def test_a_district_administrator_without_an_app_may_only_set_one_up(client, admin_without_app):
    client.force_login(admin_without_app)

    assert client.get("/regions/map/")["Location"] == SETUP
    assert client.get("/accounts/me/")["Location"] == SETUP
    assert client.get(SETUP).status_code == 200
    assert client.get("/accounts/password/").status_code == 200
    language = {"language": "en", "next": "/accounts/password/"}
    assert client.post("/i18n/setlang/", language)["Location"] == "/accounts/password/"
    page = client.get(SETUP, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your role requires a second factor. Please set it up" in page
    assert client.post("/accounts/logout/")["Location"] == LOGIN


def test_a_district_administrator_reaches_the_pages_once_the_app_is_set_up(
    client, admin_without_app
):
    client.force_login(admin_without_app)
    secret, offer = offered(client)

    confirm(client, offer, code_for(secret))

    assert client.get("/accounts/me/").status_code == 200


def test_superusers_must_set_one_up_too(client, db):
    root = User.objects.create(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)

    assert client.get("/accounts/me/")["Location"] == SETUP


def test_a_grid_worker_is_not_made_to_set_one_up_but_finds_the_page(client, grid_worker_a):
    client.force_login(grid_worker_a)

    response = client.get("/accounts/me/")

    assert response.status_code == 200 and f'href="{SETUP}"' in response.content.decode()


def test_the_roles_that_must_have_it_come_from_the_setting(client, leader, settings):
    client.force_login(leader)
    assert client.get("/accounts/me/").status_code == 200

    settings.WANGGE_TOTP_REQUIRED_ROLES = ["leader"]

    assert client.get("/accounts/me/")["Location"] == SETUP


def test_demo_administrators_are_exempt_and_the_sign_in_page_says_so(client, db):
    demo_admin = User.objects.get(username="admin")
    assert demo_admin.is_demo and demo_admin.is_superuser
    client.force_login(demo_admin)

    assert client.get("/accounts/me/").status_code == 200
    client.logout()
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "exempt from the forced password change and from the required second factor" in page


# Turning it off


def test_an_administrator_cannot_turn_it_off(client, district_admin):
    secret = totp_enrolled(district_admin)
    client.force_login(district_admin)
    assert 'action="/accounts/authenticator/disable/"' not in client.get(SETUP).content.decode()

    response = client.post(DISABLE, {"code": code_for(secret)})

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["code"]] == ["required"]
    district_admin.refresh_from_db()
    assert district_admin.totp_confirmed_at is not None
    assert not AuditEntry.objects.filter(action="auth.totp_disabled").exists()


def test_a_grid_worker_turns_it_off_with_a_current_code(client, grid_worker_a):
    secret = totp_enrolled(grid_worker_a)
    client.force_login(grid_worker_a)

    response = client.post(DISABLE, {"code": code_for(secret)})

    assert response.status_code == 302 and response["Location"] == SETUP
    grid_worker_a.refresh_from_db()
    assert (grid_worker_a.totp_confirmed_at, grid_worker_a.totp_secret) == (None, "")
    assert newest("auth.totp_disabled").actor_id == grid_worker_a.pk


@pytest.mark.parametrize("kind", ["wrong", "malformed"])
def test_a_wrong_code_does_not_turn_it_off(client, grid_worker_a, kind):
    secret = totp_enrolled(grid_worker_a)
    client.force_login(grid_worker_a)
    code = wrong_code_for(secret) if kind == "wrong" else "abcdef"

    response = client.post(DISABLE, {"code": code})

    assert response.status_code == 200 and response.context["form"].errors["code"]
    grid_worker_a.refresh_from_db()
    assert grid_worker_a.totp_confirmed_at is not None


def test_the_turn_off_address_only_answers_a_post(client, grid_worker_a):
    totp_enrolled(grid_worker_a)
    client.force_login(grid_worker_a)

    assert client.get(DISABLE)["Location"] == SETUP
    grid_worker_a.refresh_from_db()
    assert grid_worker_a.totp_confirmed_at is not None


# An administrator's reset


def test_a_reset_removes_the_app_is_audited_and_the_administrator_must_set_up_again(
    client, district_admin, staff_user
):
    totp_enrolled(district_admin)  # the persona has one already; this says so here

    assert services.totp_reset(actor=staff_user, user=district_admin) is True

    district_admin.refresh_from_db()
    assert (district_admin.totp_secret, district_admin.totp_confirmed_at) == ("", None)
    entry = newest("auth.totp_reset")
    assert (entry.actor_id, entry.target_id) == (staff_user.pk, str(district_admin.pk))
    client.force_login(district_admin)
    assert client.get("/accounts/me/")["Location"] == SETUP


def test_resetting_someone_without_an_app_changes_and_records_nothing(staff_user):
    assert services.totp_reset(actor=None, user=staff_user) is False
    assert not AuditEntry.objects.filter(action="auth.totp_reset").exists()


def test_the_admin_action_resets_the_selected_users(client, db, grid_worker_a):
    root = User.objects.create(username="root", is_superuser=True, is_staff=True)
    totp_enrolled(root)
    totp_enrolled(grid_worker_a)
    client.force_login(root)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the message is translated when it is made

    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [grid_worker_a.pk]},
    )

    assert response.status_code == 302
    grid_worker_a.refresh_from_db()
    assert grid_worker_a.totp_confirmed_at is None
    assert newest("auth.totp_reset").actor_id == root.pk
    assert "1 second factor reset." in client.get(response["Location"]).content.decode()


def test_staff_who_may_only_view_users_cannot_reset(client, db, grid_worker_a):
    viewer = User.objects.create(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    totp_enrolled(grid_worker_a)
    client.force_login(viewer)

    client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [grid_worker_a.pk]},
    )

    grid_worker_a.refresh_from_db()
    assert grid_worker_a.totp_confirmed_at is not None
    assert not AuditEntry.objects.filter(action="auth.totp_reset").exists()


# The admin's own sign-in form would skip all of this


def test_the_admin_sign_in_sends_people_to_the_platform_sign_in(client, db):
    root = User.objects.create(
        username="root", is_superuser=True, is_staff=True, password=make_password(TEST_PASSWORD)
    )
    totp_enrolled(root)

    response = client.get("/admin/login/?next=/admin/accounts/user/")
    posted = client.post("/admin/login/", {"username": "root", "password": TEST_PASSWORD})

    assert response["Location"] == LOGIN + "?next=/admin/accounts/user/"
    assert posted.status_code == 302 and signed_in_user_id(client) is None


def test_a_signed_in_person_without_admin_access_is_refused_the_admin_sign_in(client, staff_user):
    client.force_login(staff_user)

    assert client.get("/admin/login/").status_code == 403


# Lockout refusals in the audit log


def test_a_sign_in_refused_by_an_account_lock_is_audited(client, staff_user):
    for _ in range(5):
        client.post(LOGIN, {"username": "staff", "password": "wrong"}, REMOTE_ADDR="10.0.0.3")

    client.post(LOGIN, {"username": "staff", "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.3")

    entry = newest("auth.login_locked")
    assert (entry.actor_id, entry.ip) == (None, "10.0.0.3")
    assert entry.details == {"username": "staff", "reason": "account"}


def test_a_sign_in_refused_by_an_address_lock_is_audited(client, staff_user):
    for number in range(20):
        services.signin_failure_record(username=f"guess{number}", address="10.9.9.9")

    client.post(LOGIN, {"username": "staff", "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9")

    assert newest("auth.login_locked").details == {"username": "staff", "reason": "address"}
