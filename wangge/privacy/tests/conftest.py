"""The record read in these tests (a grid worker of grid A with a mobile number), and the
personas given the privacy capabilities directly until their roles carry them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission

from wangge.accounts.models import User
from wangge.audit.models import AuditEntry
from wangge.privacy.access import UNMASK, VIEW_READS
from wangge.privacy.models import UNMASK_ACTION, UnmaskGrant

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
MOBILE = "13812345678"
MASKED = "138****5678"


def with_permissions(user: User, *names: str) -> User:
    """The user, fresh from the database (permissions are cached on the object), holding
    `names` besides what their posts give."""
    for name in names:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def member(grid_worker_a):  # type: ignore[no-untyped-def]
    grid_worker_a.mobile = MOBILE
    grid_worker_a.save(update_fields=["mobile"])
    return grid_worker_a


@pytest.fixture
def unmasker(dispatcher):  # type: ignore[no-untyped-def]
    """The township dispatcher over grid A, who may unmask."""
    return with_permissions(dispatcher, UNMASK)


@pytest.fixture
def far_unmasker(outsider):  # type: ignore[no-untyped-def]
    """May unmask, but works in a township far from grid A."""
    return with_permissions(outsider, UNMASK, VIEW_READS)


@pytest.fixture
def reads_auditor(auditor):  # type: ignore[no-untyped-def]
    return with_permissions(auditor, VIEW_READS)


def written() -> tuple[int, int]:
    """How many grants and full-view audit entries there are: compare before and after a
    refusal. (Other entries may come with a refusal: the audit log records refused requests.)"""
    return UnmaskGrant.objects.count(), AuditEntry.objects.filter(action=UNMASK_ACTION).count()
