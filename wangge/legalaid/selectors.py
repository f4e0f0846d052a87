"""Reads of legal aid applications: the list with its filters, one application's evidence,
the places an officer may receive applications for."""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from wangge.core.scope import scope_q, user_scope
from wangge.legalaid.access import applications_visible_to
from wangge.legalaid.models import Application, Evidence, Status
from wangge.regions.models import Level, Region

OVERDUE = "overdue"


def overdue_q(now: datetime) -> Q:
    return Q(status=Status.RECEIVED, decision_due_at__lt=now)


def applications_listed(user: Any, status: str, now: datetime) -> QuerySet[Application]:
    """`status` is a Status value, "overdue" (decision late) or "" for all."""
    applications = applications_visible_to(user)
    if status == OVERDUE:
        applications = applications.filter(overdue_q(now))
    elif status:
        applications = applications.filter(status=status)
    return applications.order_by("-received_at", "-id")


def evidence_of(application: Application) -> list[Evidence]:
    return list(application.evidence.order_by("id"))


def place_choices(user: Any) -> list[Any]:
    """Villages within the user's reach, grouped by township, for a <select>."""
    villages = Region.objects.filter(scope_q(user_scope(user), field="code"), level=Level.VILLAGE)
    townships = dict(Region.objects.filter(level=Level.TOWNSHIP).values_list("code", "name"))
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name in villages.order_by("code").values_list("code", "name"):
        groups.setdefault(code[:9], []).append((code, name))
    return [("", "—")] + [
        (townships.get(township, township), options) for township, options in groups.items()
    ]


def region_names(codes: list[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
