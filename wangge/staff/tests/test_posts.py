"""Giving and ending posts and grid assignments: grants, self-escalation, conflicts, audit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wangge.accounts.models import Membership, Role
from wangge.audit.models import AuditEntry
from wangge.core.errors import EditConflict
from wangge.regions.models import GridAssignment, Region
from wangge.staff import services

DAY = datetime.date(2026, 3, 1)


def entries(action):  # type: ignore[no-untyped-def]
    return AuditEntry.objects.filter(action=action)


def test_an_administrator_gives_a_post_and_it_is_audited(district_admin, resident):
    post = services.membership_give(
        actor=district_admin,
        user=resident,
        role=Role.GRID_WORKER,
        region=Region.objects.get(code="620502001001001"),
        starts_on=DAY,
    )

    assert post.pk
    entry = entries("staff.post_given").get()
    assert (entry.actor_id, entry.target_id) == (district_admin.pk, str(resident.pk))
    assert entry.details["role"] == "grid_worker"
    assert entry.region_code == "620502001001001"


def test_nobody_may_give_themselves_a_post(signed_in, district_admin):
    before = Membership.objects.filter(user=district_admin).count()

    response = signed_in(district_admin).post(
        reverse("staff:post_give", args=[district_admin.pk]),
        {"role": "district_admin", "unit": "620502", "starts_on": "2026-03-01"},
    )

    assert response.status_code == 403
    assert Membership.objects.filter(user=district_admin).count() == before
    refused = entries("staff.post_refused").get()
    assert refused.details["refused"] == "own posts"


def test_a_district_administrator_may_not_give_an_auditor_post(signed_in, district_admin, resident):
    client = signed_in(district_admin)
    url = reverse("staff:post_give", args=[resident.pk])

    offered = client.get(url).context["form"].fields["role"].choices
    response = client.post(url, {"role": "auditor", "unit": "620502", "starts_on": "2026-03-01"})

    assert "auditor" not in dict(offered)
    assert response.status_code == 403
    assert not Membership.objects.filter(user=resident).exists()
    assert entries("staff.post_refused").get().details["refused"] == "role not grantable"
    with pytest.raises(services.PostRefused):
        services.membership_give(
            actor=district_admin,
            user=resident,
            role=Role.AUDITOR,
            region=Region.objects.get(code="620502"),
            starts_on=DAY,
        )


def test_a_post_on_the_wrong_level_is_refused(district_admin, resident):
    with pytest.raises(ValidationError):
        services.membership_give(
            actor=district_admin,
            user=resident,
            role=Role.DISPATCHER,
            region=Region.objects.get(code="620502001001001"),
            starts_on=DAY,
        )
    assert not Membership.objects.filter(user=resident).exists()
    assert not entries("staff.post_given").exists()


def test_a_unit_outside_reach_is_refused_without_saying_whether_it_exists(
    signed_in, district_admin, resident
):
    response = signed_in(district_admin).post(
        reverse("staff:post_give", args=[resident.pk]),
        {"role": "grid_worker", "unit": "620503001001001", "starts_on": "2026-03-01"},
    )

    assert "您的管辖范围内没有这个单位" in response.content.decode()
    assert not Membership.objects.filter(user=resident).exists()


def test_ending_a_post_twice_is_a_conflict(district_admin, grid_worker_a):
    post = Membership.objects.get(user=grid_worker_a)
    stale = Membership.objects.get(pk=post.pk)

    services.membership_end(actor=district_admin, post=post, ends_on=DAY)
    with pytest.raises(EditConflict):
        services.membership_end(actor=district_admin, post=stale, ends_on=DAY)

    assert Membership.objects.get(pk=post.pk).ends_on == DAY
    assert entries("staff.post_ended").count() == 1


def test_the_end_page_ends_a_post(signed_in, district_admin, grid_worker_a):
    post = Membership.objects.get(user=grid_worker_a)
    url = reverse("staff:post_end", args=[post.pk])

    bad = signed_in(district_admin).post(url, {"ends_on": "not a date"})
    assert bad.status_code == 200
    assert Membership.objects.get(pk=post.pk).ends_on is None

    response = signed_in(district_admin).post(url, {"ends_on": "2026-03-01"})
    assert response.status_code == 302
    assert Membership.objects.get(pk=post.pk).ends_on == DAY


def test_a_dispatcher_assigns_a_worker_to_a_grid_of_their_township(
    signed_in, dispatcher, grid_worker_a
):
    url = reverse("staff:grid_assign", args=[grid_worker_a.pk])

    outside = signed_in(dispatcher).post(
        url, {"grid": "620502103200001", "role": "part_time", "starts_on": "2026-03-01"}
    )
    assert "您的管辖范围内没有这个单位" in outside.content.decode()
    assert not GridAssignment.objects.filter(user=grid_worker_a).exists()

    response = signed_in(dispatcher).post(
        url, {"grid": "620502001001002", "role": "part_time", "starts_on": "2026-03-01"}
    )
    assert response.status_code == 302
    assignment = GridAssignment.objects.get(user=grid_worker_a)
    assert assignment.grid_id == "620502001001002"
    assert entries("regions.grid_assigned").get().region_code == "620502001001002"

    ended = signed_in(dispatcher).post(
        reverse("staff:grid_end", args=[assignment.pk]), {"ends_on": "2026-03-02"}
    )
    assert ended.status_code == 302
    again = signed_in(dispatcher).post(
        reverse("staff:grid_end", args=[assignment.pk]), {"ends_on": "2026-03-03"}
    )
    assert "已被结束" in again.content.decode()
    assert GridAssignment.objects.get(pk=assignment.pk).ends_on == datetime.date(2026, 3, 2)


def test_a_dispatcher_may_not_give_posts(signed_in, dispatcher, grid_worker_a, outsider):
    client = signed_in(dispatcher)

    assert client.get(reverse("staff:post_give", args=[grid_worker_a.pk])).status_code == 403
    assert client.get(reverse("staff:post_give", args=[outsider.pk])).status_code == 404


def test_a_grid_worker_trying_to_give_themselves_a_post_is_refused_and_recorded(
    signed_in, grid_worker_a
):
    before = Membership.objects.filter(user=grid_worker_a).count()

    response = signed_in(grid_worker_a).post(
        reverse("staff:post_give", args=[grid_worker_a.pk]),
        {"role": "district_admin", "unit": "620502", "starts_on": "2026-03-01"},
    )

    assert response.status_code == 403
    assert Membership.objects.filter(user=grid_worker_a).count() == before
    entry = entries("access.denied").get()
    assert entry.actor_id == grid_worker_a.pk
    assert entry.details["path"] == reverse("staff:post_give", args=[grid_worker_a.pk])
