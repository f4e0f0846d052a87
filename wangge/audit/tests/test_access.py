"""The log by region: district-level auditors see it all; others with the permission see the
entries of their regions, and no entry of no region."""

import pytest
from django.contrib.auth.models import Permission

from conftest import GRID_A, OUTSIDE_GRID, TOWNSHIP, make_persona
from wangge.accounts.models import User
from wangge.audit import services
from wangge.audit.access import entries_exportable_by, entries_visible_to
from wangge.audit.models import AuditEntry


@pytest.fixture
def spread(db) -> dict[str, AuditEntry]:  # type: ignore[no-untyped-def]
    return {
        "grid_a": services.record(actor=None, action="test.read", region_code=GRID_A),
        "township": services.record(actor=None, action="test.read", region_code=TOWNSHIP),
        "elsewhere": services.record(actor=None, action="test.read", region_code=OUTSIDE_GRID),
        "no_region": services.record(actor=None, action="auth.login"),
    }


def with_permissions(user: User, *codenames: str) -> User:
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # permissions are cached on the instance


@pytest.fixture
def township_auditor(db) -> User:  # type: ignore[no-untyped-def]
    user = make_persona("t_township_auditor", "dispatcher", region=TOWNSHIP)
    return with_permissions(user, "view_auditentry", "export_auditentry")


def visible(entries, spread) -> set[str]:  # type: ignore[no-untyped-def]
    ids = set(entries.filter(pk__gte=spread["grid_a"].pk).values_list("pk", flat=True))
    return {name for name, entry in spread.items() if entry.pk in ids}


def test_the_district_auditor_sees_every_entry_including_those_of_no_region(auditor, spread):
    assert visible(entries_visible_to(auditor), spread) == set(spread)
    assert visible(entries_exportable_by(auditor), spread) == set(spread)


def test_the_superuser_sees_every_entry(db, spread):
    admin = User.objects.get(username="admin")

    assert visible(entries_visible_to(admin), spread) == set(spread)


def test_a_township_auditor_sees_only_the_entries_of_the_township(township_auditor, spread):
    assert visible(entries_visible_to(township_auditor), spread) == {"grid_a", "township"}
    assert visible(entries_exportable_by(township_auditor), spread) == {"grid_a", "township"}


def test_the_permission_without_a_post_shows_nothing(staff_user, spread):
    holder = with_permissions(staff_user, "view_auditentry")

    assert visible(entries_visible_to(holder), spread) == set()


def test_the_log_page_and_export_of_a_township_auditor_stop_at_the_township(
    client, township_auditor, spread
):
    client.force_login(township_auditor)

    page = client.get("/audit/?action=test.read")
    export = b"".join(client.get("/audit/export.csv?action=test.read").streaming_content)

    listed = {entry.pk for entry in page.context["page"].object_list}
    assert listed == {spread["grid_a"].pk, spread["township"].pk}
    exported_ids = {line.split(",")[0] for line in export.decode("utf-8-sig").splitlines()[1:]}
    assert exported_ids == {str(spread["grid_a"].pk), str(spread["township"].pk)}
