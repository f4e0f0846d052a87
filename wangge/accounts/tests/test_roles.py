from django.contrib.auth.models import Permission

from wangge.accounts.models import Role
from wangge.accounts.roles import ROLE_PERMISSIONS


def test_every_role_has_its_capabilities_declared(db):
    assert set(ROLE_PERMISSIONS) == set(Role.values)


def test_every_capability_named_is_a_permission_that_exists(db):
    named = set().union(*ROLE_PERMISSIONS.values())
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert named - existing == set()


def test_capabilities_come_from_current_posts(grid_worker_a, dispatcher, auditor):
    assert grid_worker_a.has_perm("regions.view_region")
    assert not grid_worker_a.has_perm("regions.change_gridassignment")
    assert dispatcher.has_perm("regions.change_gridassignment")
    assert auditor.has_perm("audit.view_auditentry")
    assert not dispatcher.has_perm("audit.view_auditentry")


def test_a_user_without_a_post_has_no_capability(resident):
    assert resident.get_all_permissions() == set()
