"""A resident's request: raised (a case in the engine plus its tracking code, in one
transaction), followed by code and mobile, and rated or reopened once it is closed. Texts go
to the proved mobile; the resident has no account, so the timeline names them "resident".

Location without a map pin: the village or community chosen, and the grid of it that holds
the village's centre (else its first grid by code); the address says where exactly.

A reopened case that closes again: the resident rates it once more, but "not fixed" no
longer reopens it (one reopening per request from the portal); it is recorded as a low,
not-satisfied rating, and the page suggests a new request.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases import services as cases
from wangge.cases.models import Case, CaseEvent, Channel
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.workflow import Action, Relation, Status, WorkflowError
from wangge.portal import sms, throttle
from wangge.portal.models import PortalRequest
from wangge.portal.topics import Topic, topic_get
from wangge.regions.locate import grid_for_point
from wangge.regions.models import Level, Region

# No 0/O, 1/I/L: read aloud or copied from a text message without mistakes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
LINK_SALT = "portal.track-link"
LINK_MAX_AGE = timedelta(days=30)


class EmergencyTopic(Exception):
    """The resident chose an emergency: nothing is submitted; they must call now."""

    def __init__(self, topic: Topic):
        self.topic = topic
        super().__init__(topic.key)


@dataclass
class RequestInput:
    topic: str
    description: str
    lon: float | None = None
    lat: float | None = None
    village_code: str = ""
    address: str = ""
    name: str = ""


def tracking_code_new() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if not PortalRequest.objects.filter(tracking_code=code).exists():
            return code


def tracking_code_clean(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:CODE_LENGTH]


def grid_of_village(code: str) -> Region:
    """The grid of a village that holds its centre, else its first grid."""
    village = Region.objects.filter(code=(code or "").strip(), level=Level.VILLAGE).first()
    if village is None:
        raise ValidationError({"location": _("Choose your village or community from the list.")})
    if village.centre_lon is not None and village.centre_lat is not None:
        found = grid_for_point(village.centre_lon, village.centre_lat)
        if found and found.startswith(village.code):
            return Region.objects.get(code=found)
    grid = Region.objects.filter(parent=village, level=Level.GRID).order_by("code").first()
    if grid is None:
        raise ValidationError({"location": _("This village has no grid yet; put a pin instead.")})
    return grid


def _report_input(topic: Topic, data: RequestInput, phone: str) -> ReportInput:
    given = ReportInput(
        category_code=topic.category_code,
        description=data.description,
        address=(data.address or "").strip(),
        channel=Channel.PORTAL,
        reporter_name=(data.name or "").strip(),
        reporter_phone=phone,
    )
    if data.lon is not None and data.lat is not None:
        given.lon, given.lat = data.lon, data.lat
    elif data.village_code:
        given.region_code = grid_of_village(data.village_code).code
    else:
        raise ValidationError(
            {
                "location": _(
                    "Put a pin on the map, or choose your village or community and give the "
                    "address."
                )
            }
        )
    return given


def _topic_checked(key: str) -> Topic:
    topic = topic_get(key)
    if topic is None:
        raise ValidationError({"topic": _("Choose what the request is about.")})
    if topic.emergency:
        raise EmergencyTopic(topic)
    return topic


def _throttle_raise(phone: str, ip: str | None, now: datetime) -> None:
    try:
        throttle.hit(
            f"request-phone:{phone}",
            settings.WANGGE_PORTAL_REQUESTS_PER_PHONE_DAY,
            timedelta(days=1),
            now=now,
        )
        if ip:
            throttle.hit(
                f"request-ip:{ip}",
                settings.WANGGE_PORTAL_REQUESTS_PER_ADDRESS_HOUR,
                timedelta(hours=1),
                now=now,
            )
    except throttle.Throttled as error:
        hours = max(1, (error.retry_after + 3599) // 3600)
        raise ValidationError(
            {
                "__all__": _(
                    "Too many requests from this number or this connection; try again in "
                    "%(hours)d hours, or call 12345."
                )
                % {"hours": hours}
            }
        ) from None


def request_raise(
    *,
    phone: str,
    data: RequestInput,
    uploads: Iterable[Any] = (),
    ip: str | None = None,
    link_base: str = "",
    now: datetime | None = None,
) -> PortalRequest:
    """Raise a request for the proved mobile `phone`. Raises EmergencyTopic (nothing saved),
    or ValidationError by field (nothing saved, nothing counted)."""
    now = now or timezone.now()
    topic = _topic_checked(data.topic)
    if len(data.name or "") > 32:
        raise ValidationError({"name": _("The name is too long (at most 32 characters).")})
    given = _report_input(topic, data, phone)
    with transaction.atomic():
        _throttle_raise(phone, ip, now)
        case = cases.report(None, given, list(uploads), now=now)
        portal_request = PortalRequest.objects.create(
            case=case, tracking_code=tracking_code_new(), phone=phone, created_at=now, ip=ip
        )
    text = _(
        "Your request was received. Tracking code %(code)s. Follow it at %(link)s "
        "(the link works for 30 days)."
    ) % {"code": portal_request.tracking_code, "link": track_link(portal_request, link_base)}
    sms.send(phone, text)
    return portal_request


# --- following -----------------------------------------------------------------------------


def track_link(portal_request: PortalRequest, base: str = "") -> str:
    token = signing.dumps({"c": portal_request.tracking_code}, salt=LINK_SALT)
    base = base or settings.WANGGE_SITE_URL
    return base.rstrip("/") + reverse("portal:track_link", args=[token])


def track_link_code(token: str) -> str | None:
    try:
        held = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    code = held.get("c") if isinstance(held, dict) else None
    return str(code) if code else None


def request_find(
    *, code: str, phone: str, ip: str | None, now: datetime | None = None
) -> PortalRequest | None:
    """The request with this code raised from this mobile, or None (the same for a wrong code
    and for someone else's number). Raises ValidationError when this address looked too often."""
    now = now or timezone.now()
    if ip:
        try:
            throttle.hit(
                f"lookup-ip:{ip}",
                settings.WANGGE_PORTAL_LOOKUPS_PER_ADDRESS_HOUR,
                timedelta(hours=1),
                now=now,
            )
        except throttle.Throttled as error:
            minutes = max(1, (error.retry_after + 59) // 60)
            raise ValidationError(
                {
                    "__all__": _("Too many look-ups; wait %(minutes)d minutes and try again.")
                    % {"minutes": minutes}
                }
            ) from None
    code = tracking_code_clean(code)
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())[-11:]
    if len(code) != CODE_LENGTH or len(digits) != 11:
        return None
    return PortalRequest.objects.filter(tracking_code=code, phone=digits).first()


# --- rating and reopening ------------------------------------------------------------------


def resident_reopened(case: Case) -> bool:
    return case.events.filter(action=Action.REOPEN, actor__isnull=True).exists()


def request_rate(
    *,
    portal_request: PortalRequest,
    phone: str,
    rating: int | None,
    fixed: bool,
    reason: str = "",
    now: datetime | None = None,
) -> Case:
    """The resident's answer on a closed request: fixed (a rating) or not fixed (reopened,
    within the window, once). Raises ValidationError with a sentence saying why not."""
    now = now or timezone.now()
    case = Case.objects.get(pk=portal_request.case_id)
    if phone != portal_request.phone:
        raise ValidationError(
            {"__all__": _("Only the mobile that raised the request can rate it.")}
        )
    if case.status != Status.CLOSED:
        raise ValidationError({"__all__": _("The request is not closed yet.")})
    if case.rating is not None:
        raise ValidationError({"__all__": _("You have already rated this request.")})
    if rating is None or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    reason = (reason or "").strip()
    label = _("member of the public")
    try:
        if fixed or resident_reopened(case):
            given = ActionInput(Action.RATE, case.version, rating=rating, satisfied=fixed)
        else:
            if not reason:
                raise ValidationError({"reason": _("Say what is still not fixed.")})
            given = ActionInput(Action.REOPEN, case.version, reason=reason)
        return cases.act(
            case.pk, None, given, now=now, vouched=Relation(reporter=True), actor_label=label
        )
    except WorkflowError as error:
        if error.code == "reopen_too_late":
            message = _(
                "More than %(days)d days have passed since it was closed, so it can no longer "
                "be reopened. Please raise a new request."
            ) % {"days": cases.workflow_of(case).reopen_days}
            raise ValidationError({"__all__": message}) from None
        raise ValidationError({"__all__": str(error)}) from None
    except cases.CaseConflict as error:
        raise ValidationError({"__all__": str(error)}) from None


# --- texts about public events -------------------------------------------------------------


def _event_text(case: Case, event: CaseEvent, link: str) -> str:
    if event.to_status == Status.CLOSED and event.from_status != Status.CLOSED:
        return _(
            "Your request %(code)s has been closed. Is it really fixed? Please rate it: %(link)s"
        )
    if event.action == Action.REOPEN:
        return _("Your request %(code)s was reopened and is being handled again: %(link)s")
    if event.to_status == Status.CANCELLED and event.from_status != Status.CANCELLED:
        return _("Your request %(code)s was cancelled: %(reason)s. Details: %(link)s")
    return ""


def case_event_text(case: Case, event: CaseEvent) -> None:
    """A `cases.notify` listener: texts the resident of a portal request when it is closed,
    reopened or cancelled (after the case's transaction commits); other events are quiet."""
    if case.channel != Channel.PORTAL or not event.public:
        return
    template = _event_text(case, event, "")
    if not template:
        return
    portal_request = PortalRequest.objects.filter(case=case).first()
    if portal_request is None:
        return
    text = template % {
        "code": portal_request.tracking_code,
        "link": track_link(portal_request),
        "reason": event.note[:120],
    }
    phone = portal_request.phone
    transaction.on_commit(lambda: sms.send(phone, text), robust=True)
