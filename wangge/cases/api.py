"""Cases for integrations and the pages' scripts, through the same gate and services as the
pages: out of scope is 404 (`visible_cases`), in scope without the capability 403, and the
workflow decides which actions a person may take (a refused one is 403 when it is not theirs,
422 with the workflow's code otherwise, 409 when the case changed meanwhile)."""

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from wangge.cases import access as gate
from wangge.cases import services
from wangge.cases.models import Attachment, Case, CaseEvent, Category, Channel, Task
from wangge.cases.services import ActionInput, CaseConflict, ReportInput
from wangge.cases.workflow import OPEN, STATUS_LABELS, SupervisionLevel, WorkflowError
from wangge.cases.workflow import Status as CaseStatus
from wangge.core.api import ApiError, ErrorOut
from wangge.core.masking import mask_mobile, mask_name
from wangge.core.routes import access
from wangge.core.scope import out_of_scope_record, prefix_q
from wangge.people.api import invalid

router = Router(tags=["cases"], auth=django_auth)

# Channels a caller of this API may name; the portal and Open311 have their own doors.
API_CHANNELS = (Channel.API, Channel.PATROL, Channel.PHONE, Channel.HOTLINE, Channel.DEPARTMENT)


class CaseFilterIn(Schema):
    status: str = ""
    category: str = ""
    region: str = ""
    overdue: bool | None = None
    supervised: bool | None = None
    listed: bool | None = None
    q: str = Field("", max_length=50)


class CaseSummaryOut(Schema):
    id: int
    number: str
    title: str
    category_code: str
    category_name: str
    status: str
    status_display: str
    region_code: str
    channel: str
    urgent: bool
    supervision: int
    listed: bool
    overdue: bool
    reported_at: datetime.datetime
    due_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    lead_department: str | None
    version: int

    @staticmethod
    def resolve_category_name(case: Case) -> str:
        return case.category.name

    @staticmethod
    def resolve_status_display(case: Case) -> str:
        return str(STATUS_LABELS.get(case.status, case.status))

    @staticmethod
    def resolve_overdue(case: Case) -> bool:
        return is_overdue(case, timezone.now())

    @staticmethod
    def resolve_lead_department(case: Case) -> str | None:
        return case.lead_department.name if case.lead_department else None


class TaskOut(Schema):
    id: int
    department_id: int
    department_name: str
    lead: bool
    status: str
    instructions: str
    dispatched_at: datetime.datetime
    accepted_at: datetime.datetime | None
    due_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    extension_pending: bool

    @staticmethod
    def resolve_department_name(task: Task) -> str:
        return task.department.name


class EventOut(Schema):
    id: int
    action: str
    at: datetime.datetime
    actor: str
    from_status: str
    to_status: str
    note: str
    public: bool
    task_id: int | None
    version: int

    @staticmethod
    def resolve_actor(event: CaseEvent) -> str:
        return event.actor_name


class AttachmentOut(Schema):
    id: int
    stage: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    event_id: int | None
    created_at: datetime.datetime


class ActionOut(Schema):
    code: str
    label: str
    needs_reason: bool


class CaseOut(CaseSummaryOut):
    description: str
    address: str
    lon: float | None
    lat: float | None
    reporter_name_masked: str
    reporter_phone_masked: str
    rating: int | None
    satisfied: bool | None
    extra: dict[str, Any]
    tasks: list[TaskOut]
    timeline: list[EventOut]
    attachments: list[AttachmentOut]
    actions: list[ActionOut]

    @staticmethod
    def resolve_reporter_name_masked(case: Case) -> str:
        return mask_name(case.reporter_name)

    @staticmethod
    def resolve_reporter_phone_masked(case: Case) -> str:
        return mask_mobile(case.reporter_phone)

    # `case_out` puts the rows on the case: read once, here and for the actions alike.
    @staticmethod
    def resolve_tasks(case: Case) -> list[Task]:
        return case.task_rows  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_timeline(case: Case) -> list[CaseEvent]:
        return case.event_rows  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_attachments(case: Case) -> list[Attachment]:
        return case.attachment_rows  # type: ignore[attr-defined, no-any-return]


class ReportIn(Schema):
    category: str = Field(..., max_length=16)
    description: str
    title: str = ""
    lon: float | None = None
    lat: float | None = None
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"
    region_code: str = Field("", max_length=15)
    address: str = ""
    urgent: bool = False
    channel: Literal["api", "patrol", "phone", "hotline", "department"] = "api"
    reporter_name: str = ""
    reporter_phone: str = ""
    extra: dict[str, Any] = {}


class ActionIn(Schema):
    # Defaults everywhere but `version`: an unknown or missing action is the workflow's
    # refusal (422 unknown_action), after the scope has been checked.
    action: str = ""
    version: int
    reason: str = ""
    task_id: int | None = None
    lead_department_id: int | None = None
    assisting_department_ids: list[int] = []
    instructions: str = ""
    extension_days: int | None = None
    rating: int | None = None
    satisfied: bool | None = None


class ChangeOut(Schema):
    action: str
    at: datetime.datetime
    actor: str
    note: str


class ConflictOut(ErrorOut):
    current_version: int
    changes: list[ChangeOut]


class DuplicatesIn(Schema):
    category: str = Field(..., max_length=16)
    lon: float
    lat: float
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"


class DuplicateOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_display: str
    reported_at: datetime.datetime
    distance_m: int


class ExtraFieldOut(Schema):
    name: str
    label: str
    type: str
    choices: list[str] = []


class CategoryOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    leaf: bool
    public: bool
    extra_fields: list[ExtraFieldOut]
    children: list["CategoryOut"] = []


CategoryOut.model_rebuild()


# --- reading ------------------------------------------------------------------------------


# A suspended case's clock stands still: it is not overdue while suspended.
RUNNING = sorted(OPEN - {CaseStatus.SUSPENDED})


def is_overdue(case: Case, now: datetime.datetime) -> bool:
    return case.status in RUNNING and case.due_at is not None and case.due_at < now


def cases_filtered(queryset: QuerySet[Case], given: CaseFilterIn) -> QuerySet[Case]:
    if given.status:
        queryset = queryset.filter(status=given.status)
    if given.category:
        queryset = queryset.filter(prefix_q("category_code", given.category))
    if given.region:
        queryset = queryset.filter(prefix_q("region_code", given.region))
    if given.overdue is not None:
        overdue = Q(status__in=RUNNING, due_at__lt=timezone.now())
        queryset = queryset.filter(overdue) if given.overdue else queryset.exclude(overdue)
    if given.supervised is not None:
        supervised = Q(status__in=list(OPEN), supervision__gte=SupervisionLevel.YELLOW)
        queryset = queryset.filter(supervised) if given.supervised else queryset.exclude(supervised)
    if given.listed is not None:
        queryset = queryset.filter(listed=given.listed)
    if given.q.strip():
        text = given.q.strip()
        queryset = queryset.filter(Q(number__startswith=text) | Q(title__icontains=text))
    return queryset.select_related("category", "lead_department").order_by("-reported_at", "-id")


def case_visible(request: HttpRequest, case_id: int) -> Case:
    """The case if the user may reach it (else 404, and an attempt on an existing case out
    of reach is audited), and may read cases at all (else 403)."""
    user = request.user
    case = gate.visible_cases(user).filter(pk=case_id).first()
    if case is None:
        out_of_scope_record(user, Case.objects.all(), case_id, request)
        raise ApiError(404, "not_found", _("Not found."))
    if not user.has_perm(gate.VIEW):
        raise ApiError(403, "forbidden", _("You do not have permission to do this."))
    return case


def case_loaded(case_id: int) -> Case:
    return (
        Case.objects.select_related("category", "lead_department")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("department")),
            "events",
            "attachments",
        )
        .get(pk=case_id)
    )


def case_out(
    case: Case,
    user: Any,
    *,
    tasks: list[Task] | None = None,
    events: list[CaseEvent] | None = None,
    attachments: list[Attachment] | None = None,
) -> Any:
    """The case as `CaseOut` reads it: its rows (the prefetched ones unless given) and the
    actions the user may take now."""
    case.task_rows = list(case.tasks.all()) if tasks is None else tasks  # type: ignore[attr-defined]
    case.event_rows = list(case.events.all()) if events is None else events  # type: ignore[attr-defined]
    case.attachment_rows = (  # type: ignore[attr-defined]
        list(case.attachments.all()) if attachments is None else attachments
    )
    case.actions = [  # type: ignore[attr-defined]
        {"code": spec.code, "label": str(spec.label), "needs_reason": spec.needs_reason}
        for spec in services.available(case, user, tasks=case.task_rows)  # type: ignore[attr-defined]
    ]
    return case


def require(user: Any, permission: str) -> None:
    if not user.has_perm(permission):
        raise ApiError(403, "forbidden", _("You do not have permission to do this."))


# --- operations ---------------------------------------------------------------------------

SINGLE = {200: CaseOut, 403: ErrorOut, 404: ErrorOut}


@router.get("/cases", response={200: list[CaseSummaryOut], 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.VIEW, note="cases within one's reach")
@paginate(LimitOffsetPagination)
def case_list(request: HttpRequest, filters: Query[CaseFilterIn]) -> Any:
    require(request.user, gate.VIEW)
    return cases_filtered(gate.visible_cases(request.user), filters)


@router.get("/cases/duplicates", response={200: list[DuplicateOut], 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.REPORT, note="open cases near a new report")
def case_duplicates(request: HttpRequest, given: Query[DuplicatesIn]) -> Any:
    """Likely duplicates the caller may see (others stay hidden, as everywhere)."""
    require(request.user, gate.REPORT)
    try:
        _grid, lon, lat = services.located(
            ReportInput(given.category, "-", lon=given.lon, lat=given.lat, crs=given.crs)
        )
    except ValidationError as error:
        raise invalid(error) from None
    assert lon is not None and lat is not None
    found = services.likely_duplicates(given.category, lon, lat)
    visible = set(
        gate.visible_cases(request.user)
        .filter(pk__in=[case.pk for case in found])
        .values_list("pk", flat=True)
    )
    return [
        {
            "id": case.pk,
            "number": case.number,
            "title": case.title,
            "status": case.status,
            "status_display": str(STATUS_LABELS.get(case.status, case.status)),
            "reported_at": case.reported_at,
            "distance_m": round(services.metres_between(lon, lat, case.lon, case.lat)),  # type: ignore[arg-type]
        }
        for case in found
        if case.pk in visible
    ]


@router.get("/cases/{case_id}", response=SINGLE)
@access("permission", permission=gate.VIEW, scoped=True, note="one case with its timeline")
def case_detail(request: HttpRequest, case_id: int) -> Any:
    case_visible(request, case_id)
    return case_out(case_loaded(case_id), request.user)


@router.post("/cases", response={201: CaseOut, 403: ErrorOut, 422: ErrorOut})
@access("permission", permission=gate.REPORT, note="report a case")
def case_report(request: HttpRequest, payload: ReportIn) -> Any:
    require(request.user, gate.REPORT)
    data = ReportInput(
        category_code=payload.category,
        description=payload.description,
        title=payload.title,
        lon=payload.lon,
        lat=payload.lat,
        crs=payload.crs,
        region_code=payload.region_code,
        address=payload.address,
        channel=payload.channel,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        urgent=payload.urgent,
        extra=payload.extra,
    )
    try:
        case = services.report(request.user, data, request=request)
    except ValidationError as error:
        raise invalid(error) from None
    # Just reported: no tasks yet, nor photos (this API takes none); only the timeline is read.
    fresh = case_out(case, request.user, tasks=[], attachments=[])
    return Status(201, fresh)


@router.post("/cases/{case_id}/actions", response={**SINGLE, 409: ConflictOut, 422: ErrorOut})
@access("permission", permission=gate.VIEW, scoped=True, note="the workflow decides the action")
def case_act(request: HttpRequest, case_id: int, payload: ActionIn) -> Any:
    case_visible(request, case_id)
    given = ActionInput(**payload.model_dump())
    try:
        services.act(case_id, request.user, given, request=request)
    except CaseConflict as conflict:
        return Status(409, conflict_out(conflict))
    except WorkflowError as refusal:
        status = 403 if refusal.code == "not_your_action" else 422
        raise ApiError(status, refusal.code, str(refusal.message)) from None
    except ValidationError as error:
        raise invalid(error) from None
    return case_out(case_loaded(case_id), request.user)


def conflict_out(conflict: CaseConflict) -> dict[str, Any]:
    return {
        "code": "conflict",
        "message": str(conflict),
        "fields": {},
        "current_version": conflict.case.version,
        "changes": [
            {"action": event.action, "at": event.at, "actor": event.actor_name, "note": event.note}
            for event in conflict.events
        ],
    }


@router.get("/case-categories", response=list[CategoryOut])
@access("signed_in", note="the category tree is not personal")
def category_list(request: HttpRequest, leaves: bool = False) -> Any:
    """The active categories: as a tree (top-level nodes with their children), or with
    `leaves=true` the ones a report may name, as a flat list."""
    categories = list(Category.objects.filter(active=True).order_by("code"))
    code_of = {category.pk: category.code for category in categories}
    nodes = {
        category.code: category_node(category, code_of.get(category.parent_id or 0))
        for category in categories
    }
    if leaves:
        return [nodes[category.code] for category in categories if category.leaf]
    roots: list[dict[str, Any]] = []
    for node in nodes.values():
        parent = nodes.get(node["parent_code"] or "")
        (parent["children"] if parent else roots).append(node)
    return roots


def category_node(category: Category, parent_code: str | None) -> dict[str, Any]:
    return {
        "code": category.code,
        "name": category.name,
        "kind": category.kind,
        "parent_code": parent_code,
        "leaf": category.leaf,
        "public": category.public,
        "extra_fields": category.extra_fields or [],
        "children": [],
    }
