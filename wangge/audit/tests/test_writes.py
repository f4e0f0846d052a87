"""Writes outside the services' own records reach the trail: Django admin edits, unlocking,
changing one's own password."""

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from wangge.accounts import services
from wangge.accounts.models import Department, User
from wangge.audit.models import AuditEntry

PASSWORD = "Old-password-2026"


def test_a_change_in_django_admin_is_recorded(client, db):
    admin = User.objects.create(
        username="root2", password=make_password(PASSWORD), is_staff=True, is_superuser=True
    )
    from wangge.accounts.tests.factories import totp_enrolled

    totp_enrolled(admin)
    client.force_login(admin)
    department = Department.objects.get(code="police-620502001")
    url = reverse("admin:accounts_department_change", args=[department.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(name="改名的派出所", category_codes='["220"]')

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.actor_id == admin.pk
    assert entry.target_id == str(department.pk)
    assert entry.details["object"] == "改名的派出所"


def test_unlocking_a_sign_in_is_recorded(district_admin):
    services.signin_failure_record(username="someone", address="10.0.0.9")

    services.signin_unlock(actor=district_admin, username="someone")

    entry = AuditEntry.objects.get(action="auth.unlocked")
    assert entry.details == {"username": "someone", "address": "", "cleared": 1}


def test_changing_ones_own_password_is_recorded(client, grid_worker_a):
    grid_worker_a.set_password(PASSWORD)
    grid_worker_a.save()
    client.force_login(grid_worker_a)

    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "New-password-2026x",
            "new_password2": "New-password-2026x",
        },
    )

    assert AuditEntry.objects.filter(
        action="auth.password_changed", target_id=str(grid_worker_a.pk)
    ).exists()
