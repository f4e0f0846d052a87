"""Granting a full view: what is written, for how long, and every refusal writing nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import override_settings

from conftest import GRID_A
from wangge.accounts.models import User
from wangge.audit.models import AuditEntry
from wangge.privacy import selectors, services
from wangge.privacy.models import Purpose, UnmaskGrant
from wangge.privacy.tests.conftest import MASKED, MOBILE, NOW, written

TEXT = "核实低保申请 2026-031"


def grant_for(actor, member, **changes):  # type: ignore[no-untyped-def]
    arguments = {
        "actor": actor,
        "kind": "staff",
        "target_id": member.pk,
        "purpose": Purpose.VERIFICATION,
        "purpose_text": TEXT,
        "now": NOW,
        **changes,
    }
    return services.unmask_grant(**arguments)


def test_a_grant_with_its_purpose_is_written_with_an_audit_entry(unmasker, member):
    grant = grant_for(unmasker, member, purpose_text=f"  {TEXT}  ")

    entry = AuditEntry.objects.latest("id")
    assert (grant.user, grant.target_type, grant.target_id) == (
        unmasker,
        "accounts.user",
        str(member.pk),
    )
    assert (grant.purpose, grant.purpose_text) == ("verification", TEXT)
    assert (grant.granted_at, grant.expires_at) == (NOW, NOW + datetime.timedelta(minutes=10))
    assert (entry.action, entry.actor_id, entry.actor_label) == (
        "personal.unmask",
        unmasker.pk,
        "t_dispatcher",
    )
    assert (entry.target_type, entry.target_id, entry.purpose) == (
        "accounts.user",
        str(member.pk),
        TEXT,
    )
    assert entry.details == {
        "purpose": "verification",
        "kind": "staff",
        "fields": ["mobile"],
        "minutes": 10,
        "grant": grant.pk,
    }
    assert entry.region_code == GRID_A


@override_settings(WANGGE_UNMASK_MINUTES=3)
def test_the_grant_lasts_the_configured_minutes(unmasker, member):
    grant = grant_for(unmasker, member)

    assert grant.expires_at - grant.granted_at == datetime.timedelta(minutes=3)
    assert AuditEntry.objects.latest("id").details["minutes"] == 3


def test_the_full_value_shows_while_the_grant_lasts_and_is_masked_after(unmasker, member):
    before = selectors.sensitive_value(unmasker, member, "mobile", now=NOW)
    grant_for(unmasker, member)
    during = selectors.sensitive_value(unmasker, member, "mobile", now=NOW)
    last_second = NOW + datetime.timedelta(minutes=9, seconds=59)
    at_expiry = NOW + datetime.timedelta(minutes=10)

    assert (before.shown, before.full, before.may_unmask) == (MASKED, False, True)
    assert (during.shown, during.full, during.until) == (MOBILE, True, at_expiry)
    assert selectors.unmask_active(unmasker, "staff", member.pk, now=last_second) is not None
    assert selectors.unmask_active(unmasker, "staff", member.pk, now=at_expiry) is None
    after = selectors.sensitive_value(unmasker, member, "mobile", now=at_expiry)
    assert (after.shown, after.full) == (MASKED, False)


def test_a_grant_is_for_its_holder_only(unmasker, member, district_admin):
    grant_for(unmasker, member)

    assert selectors.unmask_active(district_admin, "staff", member.pk, now=NOW) is None
    assert selectors.sensitive_value(district_admin, member, "mobile", now=NOW).shown == MASKED


def test_a_grant_is_for_its_record_only(unmasker, member, grid_worker_b):
    grid_worker_b.mobile = "13900001111"
    grid_worker_b.save(update_fields=["mobile"])
    grant_for(unmasker, member)

    other = selectors.sensitive_value(unmasker, grid_worker_b, "mobile", now=NOW)
    assert (other.shown, other.full) == ("139****1111", False)


def test_asking_about_an_earlier_moment_reads_the_grants_again(unmasker, member):
    later = NOW + datetime.timedelta(hours=1)
    assert selectors.unmask_active(unmasker, "staff", member.pk, now=later) is None

    grant_for(unmasker, member)

    assert selectors.unmask_active(unmasker, "staff", member.pk, now=later) is None
    assert selectors.unmask_active(unmasker, "staff", member.pk, now=NOW) is not None


def test_a_user_without_the_capability_is_refused_and_nothing_is_written(leader, member):
    before = written()

    with pytest.raises(PermissionDenied):
        grant_for(leader, member)

    assert written() == before


def test_a_record_out_of_scope_is_not_found_and_nothing_is_written(far_unmasker, member):
    before = written()

    with pytest.raises(Http404):
        grant_for(far_unmasker, member)

    assert written() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purpose": ""}, "purpose"),
        ({"purpose": "curiosity"}, "purpose"),
        ({"purpose_text": ""}, "purpose_text"),
        ({"purpose_text": " 核实 "}, "purpose_text"),  # 2 characters once stripped
        ({"purpose_text": "x" * 201}, "purpose_text"),
        ({"purpose": Purpose.OTHER, "purpose_text": "有"}, "purpose_text"),
    ],
)
def test_a_missing_or_unclear_purpose_is_refused_and_nothing_is_written(
    unmasker, member, changes, field
):
    before = written()

    with pytest.raises(ValidationError) as refusal:
        grant_for(unmasker, member, **changes)

    assert list(refusal.value.message_dict) == [field]
    assert written() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "person"},
        {"target_id": "abc"},
        {"target_id": "-1"},
        {"target_id": "99999999"},
        {"target_id": str(10**30)},
    ],
)
def test_an_unknown_kind_or_key_is_not_found_and_nothing_is_written(unmasker, member, changes):
    before = written()

    with pytest.raises(Http404):
        grant_for(unmasker, member, **changes)

    assert written() == before


def test_reads_of_lists_the_full_views_of_that_record_newest_first(
    unmasker, district_admin, member, grid_worker_b
):
    from wangge.audit.services import record
    from wangge.privacy.tests.conftest import with_permissions

    admin = with_permissions(district_admin, "privacy.unmask_personal")
    first = grant_for(unmasker, member)
    grant_for(unmasker, grid_worker_b)  # another record
    record(actor=unmasker, action="auth.login", target=member)  # another action
    second = grant_for(admin, member, purpose=Purpose.CASE_HANDLING, purpose_text="案件 A-17")

    entries = list(selectors.reads_of("staff", member.pk))

    assert [entry.details["grant"] for entry in entries] == [second.pk, first.pk]
    rows = selectors.read_rows("staff", entries)
    assert [(row.username, row.purpose, row.purpose_text) for row in rows] == [
        ("t_district_admin", str(Purpose.CASE_HANDLING.label), "案件 A-17"),
        ("t_dispatcher", str(Purpose.VERIFICATION.label), TEXT),
    ]
    assert rows[0].fields == [str(User._meta.get_field("mobile").verbose_name)]


@pytest.mark.parametrize(
    "changes",
    [
        {"purpose": "curiosity"},
        {"purpose_text": "短"},
        {"expires_at": NOW},
    ],
)
def test_the_database_refuses_a_grant_that_breaks_the_rules(unmasker, member, changes):
    values = {
        "user": unmasker,
        "target_type": "accounts.user",
        "target_id": str(member.pk),
        "purpose": Purpose.VERIFICATION,
        "purpose_text": TEXT,
        "granted_at": NOW,
        "expires_at": NOW + datetime.timedelta(minutes=10),
        **changes,
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        UnmaskGrant.objects.create(**values)
