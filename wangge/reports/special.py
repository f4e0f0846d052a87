"""Special major-situation reports (重大情况专项报告) and telling people about reports.

A unit files a special report at any time. At once, one acknowledgement is opened for each
level above the unit up to the district (a village's report: its township, then the
district), each due `WANGGE_SPECIAL_ACK_HOURS` hours (default 2, calendar hours: a major
situation does not wait for Monday) after filing, and the people of each level who may
acknowledge are told in the app and through the outbound channel. Someone posted at a level
acknowledges for it. `special_escalate` (the `reports_escalate` command) marks each
acknowledgement past its time as escalated and tells the next level up again; when the
district itself has not acknowledged, the district's leaders are told.

The people of a level are those holding an active post in that very region whose role
gives `reports.change_acknowledgement`.
"""

import datetime
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.accounts.models import Membership, Role
from wangge.accounts.roles import ROLE_PERMISSIONS
from wangge.audit.services import record
from wangge.cases import notify
from wangge.cases.models import Notification
from wangge.core.scope import get_for, user_scope, visible_to
from wangge.regions.models import Region
from wangge.reports.models import Acknowledgement, SpecialReport

FILE = "reports.file_specialreport"
VIEW = "reports.view_specialreport"
ACKNOWLEDGE = "reports.change_acknowledgement"
DISTRICT_LENGTH = 6
LEVEL_LENGTHS = (12, 9, 6)  # village, township, district: the levels a report climbs
TITLE_MAX, TEXT_MAX = 100, 4000

KIND_LABELS = {
    "special_report": gettext_lazy("Special report"),
    "special_escalated": gettext_lazy("Special report not acknowledged"),
    "report_reminder": gettext_lazy("Daily report reminder"),
    "report_missing": gettext_lazy("Daily reports missing"),
}


def ack_hours() -> float:
    return float(getattr(settings, "WANGGE_SPECIAL_ACK_HOURS", 2))


# --- telling people ---------------------------------------------------------------------------


def holders_of(region_code: str, permission: str, roles: list[str] | None = None) -> set[int]:
    """The active people posted in exactly this region whose role gives `permission`."""
    wanted = roles or [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
    today = timezone.localdate()
    posts = Membership.objects.filter(
        region_id=region_code, role__in=wanted, starts_on__lte=today, user__is_active=True
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return set(posts.values_list("user_id", flat=True))


def users_notify(users: set[int], *, kind: str, text: str, at: datetime.datetime) -> None:
    """In-app rows and, once the transaction commits, one outbound message each (at once:
    these do not wait for the daily digest). notify.notifications_add sends only its own
    immediate kinds, hence this small sibling."""
    if not users:
        return
    text = text[:300]
    Notification.objects.bulk_create(
        Notification(user_id=user, kind=kind, message=text, created_at=at) for user in sorted(users)
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Grid platform] %(kind)s") % {"kind": str(KIND_LABELS.get(kind, kind))}
    transaction.on_commit(partial(notify.send_each, sorted(users), subject, text), robust=True)


def region_name(code: str) -> str:
    found = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return found or code


# --- filing -----------------------------------------------------------------------------------


@dataclass
class SpecialInput:
    region_code: str
    title: str
    text: str


def levels_above(unit_code: str) -> list[str]:
    """The codes of the levels above the unit, nearest first, up to the district."""
    return [unit_code[:length] for length in LEVEL_LENGTHS if length < len(unit_code)]


def filing_units(user: Any) -> list[Region]:
    """The units a person files for: their posts below the district."""
    codes = [code for code in user_scope(user).region_codes if len(code) > DISTRICT_LENGTH]
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def special_input_checked(data: SpecialInput) -> SpecialInput:
    title, text = data.title.strip(), data.text.strip()
    problems: dict[str, str] = {}
    if not title:
        problems["title"] = _("Give the report a title.")
    elif len(title) > TITLE_MAX:
        problems["title"] = _("The title is too long (at most 100 characters).")
    if not text:
        problems["text"] = _("Describe what happened.")
    elif len(text) > TEXT_MAX:
        problems["text"] = _("The description is too long (at most 4,000 characters).")
    if problems:
        raise ValidationError(problems)
    return SpecialInput(data.region_code, title, text)


def special_report_file(
    *,
    actor: Any,
    data: SpecialInput,
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> SpecialReport:
    """File the report, open one acknowledgement per level above, tell each level."""
    now = now or timezone.now()
    if not actor.has_perm(FILE):
        raise PermissionDenied
    if not user_scope(actor).covers(data.region_code) or not data.region_code:
        raise Http404
    if len(data.region_code) <= DISTRICT_LENGTH:
        raise ValidationError({"unit": _("Special reports are filed by units below the district.")})
    if not Region.objects.filter(code=data.region_code).exists():
        raise Http404
    data = special_input_checked(data)
    due = now + datetime.timedelta(hours=ack_hours())
    with transaction.atomic():
        report = SpecialReport.objects.create(
            region_code=data.region_code,
            title=data.title,
            text=data.text,
            filed_by=actor,
            filed_at=now,
        )
        levels = levels_above(data.region_code)
        Acknowledgement.objects.bulk_create(
            Acknowledgement(report=report, region_code=level, due_at=due) for level in levels
        )
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Special report from %(unit)s: %(title)s. Please acknowledge it.") % {
                "unit": region_name(data.region_code),
                "title": data.title,
            }
        for level in levels:
            users = holders_of(level, ACKNOWLEDGE) - {actor.pk}
            users_notify(users, kind="special_report", text=text, at=now)
        record(
            actor=actor,
            action="reports.special_file",
            target=report,
            details={"levels": levels, "due": due.isoformat()},
            request=request,
            region_code=data.region_code,
        )
    return report


# --- reading ----------------------------------------------------------------------------------


def special_reports_visible_to(user: Any) -> QuerySet[SpecialReport]:
    """The reports of the units under the person's posts, newest first."""
    return (
        visible_to(user, SpecialReport.objects.all())
        .select_related("filed_by")
        .prefetch_related("acknowledgements")
        .order_by("-filed_at", "-pk")
    )


def special_report_get_for(
    user: Any, pk: int, *, action: str | None = None, request: HttpRequest | None = None
) -> SpecialReport:
    """404 out of scope, 403 when `action` is not the person's."""
    return get_for(user, SpecialReport.objects.all(), pk, action=action, request=request)


@dataclass
class ChainStep:
    acknowledgement: Acknowledgement
    region: Region | None
    mine: bool  # the person holds a post at this level and may acknowledge it

    @property
    def state(self) -> str:
        if self.acknowledgement.acknowledged_at:
            return "acknowledged"
        return "escalated" if self.acknowledgement.escalated_at else "waiting"


def chain_of(report: SpecialReport, user: Any) -> list[ChainStep]:
    """The levels of the report, nearest first, with who acknowledged when."""
    acks = list(report.acknowledgements.select_related("acknowledged_by").order_by("-region_code"))
    regions = Region.objects.in_bulk([ack.region_code for ack in acks])
    posts = user_scope(user).region_codes
    may = user.has_perm(ACKNOWLEDGE)
    return [
        ChainStep(ack, regions.get(ack.region_code), may and ack.region_code in posts)
        for ack in acks
    ]


# --- acknowledging and escalating -------------------------------------------------------------


def acknowledgement_acknowledge(
    *,
    actor: Any,
    report: SpecialReport,
    level_code: str,
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Acknowledgement:
    """Acknowledge the report for one level; only someone posted at that level may."""
    now = now or timezone.now()
    if not actor.has_perm(ACKNOWLEDGE):
        raise PermissionDenied
    if not user_scope(actor).covers(report.region_code):
        raise Http404
    with transaction.atomic():
        ack = (
            Acknowledgement.objects.select_for_update()
            .filter(report=report, region_code=level_code)
            .first()
        )
        if ack is None:
            raise ValidationError({"level": _("This report does not go to that level.")})
        if level_code not in user_scope(actor).region_codes:
            raise ValidationError(
                {"level": _("You can acknowledge only for the level of your own post.")}
            )
        if ack.acknowledged_at is not None:
            raise ValidationError({"level": _("This level has already acknowledged the report.")})
        ack.acknowledged_by = actor
        ack.acknowledged_at = now
        ack.save(update_fields=["acknowledged_by", "acknowledged_at"])
        record(
            actor=actor,
            action="reports.special_acknowledge",
            target=report,
            details={"level": level_code, "late": now > ack.due_at},
            request=request,
            region_code=report.region_code,
        )
    return ack


def escalation_recipients(level_code: str) -> set[int]:
    """Who hears of a level that has not acknowledged: the next level up; for the district
    itself, its leaders."""
    if len(level_code) <= DISTRICT_LENGTH:
        return holders_of(level_code, ACKNOWLEDGE, roles=[Role.LEADER])
    above = levels_above(level_code)[0]
    return holders_of(above, ACKNOWLEDGE)


def special_escalate(now: datetime.datetime | None = None) -> int:
    """Mark every acknowledgement past its time as escalated and tell the level above.
    Each is escalated once. Returns how many were escalated."""
    now = now or timezone.now()
    overdue = (
        Acknowledgement.objects.filter(
            acknowledged_at__isnull=True, escalated_at__isnull=True, due_at__lte=now
        )
        .select_related("report")
        .order_by("due_at", "pk")
    )
    count = 0
    for ack in overdue:
        with transaction.atomic():
            if not Acknowledgement.objects.filter(pk=ack.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue  # another run took it
            ack_escalation_tell(ack, now)
            count += 1
    return count


def ack_escalation_tell(ack: Acknowledgement, now: datetime.datetime) -> None:
    report = ack.report
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Special report from %(unit)s (%(title)s) has not been acknowledged by %(level)s "
            "in time."
        ) % {
            "unit": region_name(report.region_code),
            "title": report.title,
            "level": region_name(ack.region_code),
        }
    users = escalation_recipients(ack.region_code)
    users_notify(users, kind="special_escalated", text=text, at=now)
    record(
        actor=None,
        action="reports.special_escalate",
        target=report,
        details={"level": ack.region_code, "told": len(users)},
        region_code=report.region_code,
    )
