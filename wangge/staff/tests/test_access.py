"""Who reaches which staff, posts, assignments and departments: 403 without the capability,
404 out of scope, the object in scope."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from wangge.accounts.models import Department, Membership, User
from wangge.regions.models import GridAssignment
from wangge.staff import access


def test_a_dispatcher_sees_the_staff_of_their_township_only(dispatcher, grid_worker_a, outsider):
    visible = access.staff_visible_to(dispatcher)

    assert visible.filter(pk=grid_worker_a.pk).exists()
    assert not visible.filter(pk=outsider.pk).exists()
    assert (
        not visible.exclude(memberships__region__code__startswith="620502001")
        .exclude(memberships__department__region__code__startswith="620502001")
        .exclude(grid_assignments__grid__code__startswith="620502001")
        .exists()
    )


def test_a_district_administrator_sees_all_staff(district_admin, outsider, resident):
    visible = access.staff_visible_to(district_admin)

    assert visible.count() == User.objects.count()
    assert visible.filter(pk=resident.pk).exists()  # no post: reachable from the district


def test_a_grid_worker_may_not_list_staff(grid_worker_a):
    with pytest.raises(PermissionDenied):
        access.staff_visible_to(grid_worker_a)


def test_staff_out_of_scope_answer_not_found(dispatcher, outsider):
    with pytest.raises(Http404):
        access.staff_get_for(dispatcher, outsider.pk)


def test_staff_in_scope_without_the_action_answer_forbidden(dispatcher, grid_worker_a):
    assert access.staff_get_for(dispatcher, grid_worker_a.pk) == grid_worker_a
    with pytest.raises(PermissionDenied):
        access.staff_get_for(dispatcher, grid_worker_a.pk, action=access.GIVE_POST)


def test_posts_and_assignments_follow_the_unit(dispatcher, grid_worker_a, outsider):
    inside = Membership.objects.get(user=grid_worker_a)
    outside = Membership.objects.get(user=outsider)
    assignment_outside = GridAssignment.objects.filter(grid__code__startswith="620502103").first()

    assert access.membership_get_for(dispatcher, inside.pk) == inside
    with pytest.raises(Http404):
        access.membership_get_for(dispatcher, outside.pk)
    with pytest.raises(Http404):
        access.assignment_get_for(dispatcher, assignment_outside.pk)


def villages_of_township() -> list[str]:
    from wangge.regions.models import Region

    return list(Region.objects.filter(parent_id="620502001").values_list("code", flat=True))


def test_departments_in_the_township_only(dispatcher):
    codes = set(access.departments_visible_to(dispatcher).values_list("code", flat=True))

    committees = {f"mediation-{code}" for code in villages_of_township()}
    assert codes == {"police-620502001", "justice-620502001", *committees}
    assert committees  # the demo's village mediation committees are the township's too
    with pytest.raises(Http404):
        access.department_get_for(dispatcher, "police-620502002")
    with pytest.raises(PermissionDenied):
        access.department_get_for(dispatcher, "police-620502001", action=access.CHANGE_DEPARTMENT)
    assert Department.objects.filter(code="police-620502002").exists()


def test_asking_for_staff_out_of_scope_is_recorded(signed_in, dispatcher, outsider):
    from django.urls import reverse

    from wangge.audit.models import AuditEntry

    response = signed_in(dispatcher).get(reverse("staff:detail", args=[outsider.pk]))

    assert response.status_code == 404
    entry = AuditEntry.objects.get(action="access.out_of_scope")
    assert (entry.actor_id, entry.target_id) == (dispatcher.pk, str(outsider.pk))
    assert entry.details["path"] == reverse("staff:detail", args=[outsider.pk])
