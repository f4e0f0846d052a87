"""What the portal reads about requests: villages to choose from, similar open requests near a
pin (without anyone's words unless a moderator published them), and what a resident sees of
their own request (the public timeline only, units but never staff by name)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wangge.cases import services as cases
from wangge.cases.models import Attachment, Case, CaseEvent, Channel
from wangge.cases.workflow import Action, Status
from wangge.portal.models import Moderation, PortalRequest
from wangge.portal.topics import Topic
from wangge.regions.models import Level, Region


def villages_by_township() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(township name, [(village code, village name), …]), …] for a grouped <select>."""
    rows = (
        Region.objects.filter(level=Level.VILLAGE, code__startswith=settings.WANGGE_ROOT_REGION)
        .select_related("parent")
        .order_by("code")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in rows:
        township = village.parent.name if village.parent else ""
        groups.setdefault(township, []).append((village.code, village.name))
    return list(groups.items())


@dataclass(frozen=True)
class Similar:
    category: str
    status: str
    reported_at: datetime
    metres: int
    public_text: str


def similar_requests(topic: Topic, lon: float, lat: float) -> list[Similar]:
    """Open cases of the topic's category near the pin: category, status, date, distance, and
    the moderated text only where a moderator published it."""
    found = cases.likely_duplicates(topic.category_code, lon, lat)
    published = dict(
        PortalRequest.objects.filter(
            case__in=[case.pk for case in found], moderation=Moderation.PUBLISHED
        ).values_list("case_id", "public_text")
    )
    result = []
    for case in found:
        assert case.lon is not None and case.lat is not None
        result.append(
            Similar(
                category=str(topic.label),
                status=case.get_status_display(),
                reported_at=case.reported_at,
                metres=round(cases.metres_between(lon, lat, case.lon, case.lat)),
                public_text=published.get(case.pk, ""),
            )
        )
    return result


def request_by_code(code: str) -> PortalRequest | None:
    return (
        PortalRequest.objects.select_related("case", "case__category", "case__lead_department")
        .filter(tracking_code=code)
        .first()
    )


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    label: str
    who: str
    note: str


def public_timeline(case: Case) -> list[TimelineRow]:
    """The public events only; who acted is a unit's name, or "resident"/"system", never a
    member of staff."""
    events = (
        CaseEvent.objects.filter(case=case, public=True)
        .select_related("task__department")
        .order_by("at", "id")
    )
    rows = []
    for event in events:
        if event.task is not None:
            who = event.task.department.name
        elif event.action == Action.REPORT and case.channel == Channel.PORTAL:
            who = _("member of the public")
        elif event.actor_id is None:
            who = event.actor_name
        else:
            who = ""
        rows.append(TimelineRow(event.at, event.get_label(), who, event.note))
    return rows


def handling_unit(case: Case) -> str:
    """The lead unit now (none while the case waits to be dispatched, again after reopening)."""
    return str(case.lead_department.name) if case.lead_department is not None else ""


def resident_photos(case: Case) -> list[Attachment]:
    return list(
        Attachment.objects.filter(case=case, stage="report", uploaded_by__isnull=True).order_by(
            "id"
        )
    )


def expected_by(case: Case) -> datetime | None:
    """The handling deadline, once the case is dispatched and until it is closed."""
    if case.dispatched_at is None or case.status in {Status.CLOSED, Status.CANCELLED}:
        return None
    return case.due_at


def request_page(portal_request: PortalRequest) -> dict[str, Any]:
    case = portal_request.case
    return {
        "portal_request": portal_request,
        "case": case,
        "status_words": case.get_status_display(),
        "timeline": public_timeline(case),
        "expected_by": expected_by(case),
        "unit": handling_unit(case),
        "photos": resident_photos(case),
        "closed": case.status == Status.CLOSED,
        "category_name": case.category.name,
    }
