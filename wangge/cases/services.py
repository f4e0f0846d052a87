"""The only code that writes cases: report, then every action of the workflow through `act`.

Each write runs in one transaction: the case row is locked and its `version` compared with
the one the actor saw (a stale one is a `CaseConflict` listing what happened since), the
workflow table decides whether the action is allowed to this person now, then the case and
its tasks change, one `CaseEvent` is appended, the daily rollups move, notifications are
queued and an audit entry is written.
"""

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.cases import access, calendar, notify, photos, rollups
from wangge.cases.actions import (  # noqa: F401  (re-exported: the services' interface)
    HANDLERS,
    INTERNAL_ACTIONS,
    MAX_EXTENSION_DAYS,
    ActionInput,
    suggest_department,
)
from wangge.cases.categories import limits_of
from wangge.cases.deadlines import CategoryLimits, Limit, LimitUnit, limit_end, merged
from wangge.cases.models import (
    Case,
    CaseEvent,
    CaseNumber,
    Category,
    Channel,
    Task,
)
from wangge.cases.workcalendar import WorkCalendar, add_working_days
from wangge.cases.workflow import (
    OPEN,
    WORKFLOW_OF_KIND,
    WORKFLOWS,
    Action,
    CaseFacts,
    Relation,
    Status,
    SupervisionLevel,
    TaskFacts,
    WorkflowError,
    next_status,
)
from wangge.core.errors import EditConflict
from wangge.core.masking import mask_mobile
from wangge.regions.locate import grid_for_point
from wangge.regions.models import Level, Region


class CaseConflict(EditConflict):
    """The case changed since the actor read it; `events` are the timeline rows since."""

    def __init__(self, message: str, case: Case, events: list[CaseEvent]):
        self.case = case
        self.events = events
        super().__init__(message)


@dataclass
class ReportInput:
    category_code: str
    description: str
    title: str = ""
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"
    region_code: str = ""
    address: str = ""
    channel: str = Channel.PATROL
    reporter_name: str = ""
    reporter_phone: str = ""
    urgent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# --- reading what the workflow needs ------------------------------------------------------


def workflow_of(case: Case) -> Any:
    return WORKFLOWS[case.workflow]


def task_facts(task: Task | None) -> TaskFacts | None:
    if task is None:
        return None
    return TaskFacts(
        extensions_used=task.extensions_used,
        extensions_allowed=task.extensions_allowed,
        extension_pending=task.extension_pending,
        send_back_until=task.send_back_until,
    )


def case_facts(case: Case, task: Task | None, now: datetime) -> CaseFacts:
    return CaseFacts(
        status=case.status,
        now=now,
        supervision=SupervisionLevel(case.supervision),
        listed=case.listed,
        rated=case.rating is not None,
        closed_at=case.closed_at,
        task=task_facts(task),
    )


def task_for(action: str, actor: Any, tasks: list[Task], task_id: int | None) -> Task | None:
    """The task an action is about: a named one (it must belong to the case), else the
    actor's own, else (for the dispatcher's decisions) the one with a request waiting."""
    if task_id is not None:
        for task in tasks:
            if task.pk == task_id:
                return task
        raise WorkflowError("unknown_task", _("This task does not belong to the case."))
    if action in {Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION}:
        return next((task for task in tasks if task.extension_pending), None)
    if action == Action.ALLOW_ANOTHER_EXTENSION:
        return next((task for task in tasks if task.status in access.OPEN_TASK), None)
    return access.own_task(actor, tasks)


def available(
    case: Case,
    actor: Any,
    now: datetime | None = None,
    *,
    tasks: list[Task] | None = None,
    with_reserved: bool = False,
) -> list[Any]:
    """The actions the actor may take on the case now (the page's buttons); `tasks` when the
    caller has them already. The workflow's reserved actions only `with_reserved` (for the
    dispute's or petition's own page)."""
    from wangge.cases.workflow import available_actions

    now = now or timezone.now()
    tasks = list(case.tasks.all()) if tasks is None else tasks
    rel = access.relation(actor, case, tasks)
    task = access.own_task(actor, tasks) or next(
        (task for task in tasks if task.extension_pending), None
    )
    if task is None:
        task = next((task for task in tasks if task.status in access.OPEN_TASK), None)
    workflow = workflow_of(case)
    return [
        spec
        for spec in available_actions(workflow, relation=rel, facts=case_facts(case, task, now))
        if with_reserved or spec.code not in workflow.reserved
    ]


# --- numbers, places, categories -----------------------------------------------------------


def next_number(district: str, year: int) -> str:
    """`620502-2026-000123`; call inside the creating transaction."""
    prefix = f"{district}-{year}"
    last = _number_taken(prefix)
    if last is None:
        try:
            with transaction.atomic():
                CaseNumber.objects.create(prefix=prefix, last=1)
            last = 1
        except IntegrityError:  # created meanwhile by a concurrent report
            last = _number_taken(prefix)
    assert last is not None
    return f"{prefix}-{last:06d}"


def _number_taken(prefix: str) -> int | None:
    """One statement takes the next number and reads it (UPDATE … RETURNING: SQLite ≥ 3.35
    and PostgreSQL); the row stays locked until the creating transaction ends."""
    table = CaseNumber._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE prefix = %s RETURNING last", [prefix]
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def leaf_category(code: str) -> Category:
    category = Category.objects.filter(code=(code or "").strip(), active=True).first()
    if category is None:
        raise ValidationError({"category": _("Choose a category from the list.")})
    if not category.leaf:
        raise ValidationError(
            {"category": _("Choose a subcategory of %(name)s.") % {"name": category.name}}
        )
    return category


def located(data: ReportInput) -> tuple[str, float | None, float | None]:
    """The grid and WGS-84 point of a report: from coordinates (the grid found from them),
    or from a grid chosen with an address (phone-in reports)."""
    if data.lon is not None and data.lat is not None:
        if not (math.isfinite(data.lon) and math.isfinite(data.lat)):
            raise ValidationError({"location": _("Coordinates must be finite numbers.")})
        if data.crs not in {"wgs84", "gcj02", "bd09"}:
            raise ValidationError({"location": _("Unknown coordinate system.")})
        from wangge.core.coords import to_wgs84

        lon, lat = (float(value) for value in to_wgs84(data.lon, data.lat, data.crs))
        code = grid_for_point(lon, lat)
        if code is None:
            raise ValidationError(
                {"location": _("This place is outside the district's grids; check the location.")}
            )
        return code, lon, lat
    if data.region_code:
        region = Region.objects.filter(code=data.region_code, level=Level.GRID).first()
        if region is None:
            raise ValidationError({"location": _("Choose an existing grid.")})
        if not data.address.strip():
            raise ValidationError({"address": _("Give the address when no map point is given.")})
        return region.code, region.centre_lon, region.centre_lat
    raise ValidationError(
        {"location": _("Give the location: a map point, or a grid and an address.")}
    )


def metres_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    radius = 6_371_000.0
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    )
    return 2 * radius * math.asin(math.sqrt(a))


def likely_duplicates(
    category_code: str, lon: float, lat: float, *, now: datetime | None = None, limit: int = 5
) -> list[Case]:
    """Open cases of the same category within the distance and days set in settings."""
    now = now or timezone.now()
    metres = settings.WANGGE_DUPLICATE_METRES
    dlat = metres / 111_000
    dlon = metres / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    candidates = Case.objects.filter(
        category_code=category_code,
        reported_at__gte=now - timedelta(days=settings.WANGGE_DUPLICATE_DAYS),
        status__in=[Status.REPORTED, *OPEN],
        lon__range=(lon - dlon, lon + dlon),
        lat__range=(lat - dlat, lat + dlat),
        duplicate_of__isnull=True,
    )[:50]
    close = [
        (metres_between(lon, lat, case.lon, case.lat), case)
        for case in candidates
        if case.lon is not None and case.lat is not None
    ]
    return [
        case for distance, case in sorted(close, key=lambda pair: pair[0]) if distance <= metres
    ][:limit]


# --- deadlines ----------------------------------------------------------------------------

STEP_OF_STATUS = {
    Status.REPORTED: "register",
    Status.REGISTERED: "dispatch",
    Status.SENT_BACK: "dispatch",
    Status.DISPATCHED: "accept",
    Status.HANDLING: "handle",
    Status.FED_BACK: "verify",
}


def _started(case: Case, lead: Task | None, action: str) -> datetime | None:
    moments: dict[str, datetime | None] = {
        Action.REPORT: case.reported_at,
        Action.REGISTER: case.registered_at,
        Action.DISPATCH: case.dispatched_at,
        Action.ACCEPT: lead.accepted_at if lead else None,
    }
    return moments.get(action)


def suspensions(case: Case, now: datetime) -> list[tuple[datetime, datetime]]:
    """The suspended intervals from the timeline; one still open (the resume being taken
    now) ends at `now`."""
    intervals, started = [], None
    for action, at in case.events.filter(action__in=[Action.SUSPEND, Action.RESUME]).values_list(
        "action", "at"
    ):
        if action == Action.SUSPEND:
            started = at
        elif started is not None:
            intervals.append((started, at))
            started = None
    if started is not None:
        intervals.append((started, now))
    return merged(intervals)


def _ends(
    limits: CategoryLimits,
    step: str,
    case: Case,
    lead: Task | None,
    work: WorkCalendar,
    suspended: list[tuple[datetime, datetime]],
) -> tuple[datetime, datetime, datetime] | None:
    rule = limits.steps.get(step)
    if rule is None:
        return None
    start = _started(case, lead, rule.starts_at)
    if start is None:
        return None
    ends = [
        limit_end(limit, start, work, suspended) for limit in (rule.limit, rule.yellow, rule.red)
    ]
    extra = lead.extended_days if (lead and step == "handle") else 0
    if extra and rule.limit.unit == LimitUnit.CALENDAR_DAYS:
        # A limit in days runs on in days (信访工作条例 art. 34: "延长不超过30日").
        ends = [
            limit_end(Limit(limit.amount + extra, limit.unit), start, work, suspended)
            for limit in (rule.limit, rule.yellow, rule.red)
        ]
    elif extra:
        ends = [add_working_days(work, end, extra) for end in ends]
    return ends[0], ends[1], ends[2]


def schedule(case: Case, lead: Task | None, now: datetime | None = None) -> None:
    """Set the running step, its due moment (the handling deadline once its clock runs),
    and the yellow and red thresholds of the running step."""
    if case.status in {Status.CLOSED, Status.CANCELLED}:
        case.step, case.yellow_at, case.red_at = "", None, None
        return
    if case.status == Status.SUSPENDED:
        return  # the clock stands still; `resume` schedules again
    limits = limits_of(case.category)
    work = calendar.current()
    suspended = suspensions(case, now or timezone.now()) if case.pk else []
    step = STEP_OF_STATUS.get(Status(case.status), "")
    current = _ends(limits, step, case, lead, work, suspended) if step else None
    handle = _ends(limits, "handle", case, lead, work, suspended)
    case.step = step
    case.due_at = handle[0] if handle else (current[0] if current else None)
    case.yellow_at = current[1] if current else None
    case.red_at = current[2] if current else None
    if lead is not None and handle is not None:
        lead.due_at = handle[0]


# --- writing ------------------------------------------------------------------------------


def _event(
    case: Case,
    actor: Any,
    action: str,
    before: str,
    *,
    note: str = "",
    task: Task | None = None,
    data: dict[str, Any] | None = None,
    public: bool = True,
    now: datetime,
    actor_label: str = "",
) -> CaseEvent:
    """`actor_label`: who acted, when nobody with an account did (the portal's 群众)."""
    return CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "name", "") or getattr(actor, "username", ""))[:64]
        if actor
        else (actor_label[:64] or _("system")),
        action=action,
        from_status=before,
        to_status=case.status,
        task=task,
        note=note,
        data=data or {},
        public=public,
        version=case.version,
    )


def report(
    actor: Any,
    data: ReportInput,
    uploads: Iterable[Any] = (),
    *,
    register: bool = False,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Case:
    """File a new report; with `register`, a dispatcher's phone-in report is registered at
    once. Bad input raises ValidationError (by field) and writes nothing."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    description = (data.description or "").strip()
    if not description:
        errors["description"] = _("Describe the problem.")
    elif len(description) > 4000:
        errors["description"] = _("The description is too long (at most 4,000 characters).")
    if len(data.title) > 100:
        errors["title"] = _("The title is too long (at most 100 characters).")
    if len(data.address) > 200:
        errors["address"] = _("The address is too long (at most 200 characters).")
    if len(data.reporter_phone) > 20 or len(data.reporter_name) > 64:
        errors["reporter"] = _("The reporter's name or phone is too long.")
    if data.channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    try:
        category = leaf_category(data.category_code)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
        category = None
    try:
        region_code, lon, lat = located(data)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    try:
        checked = photos.checked_all(list(uploads))
    except ValidationError as error:
        errors["photos"] = error.messages[0]
    extra = _extra_checked(category, data.extra, errors, actor) if category else {}
    if errors:
        raise ValidationError(errors)
    assert category is not None
    workflow = WORKFLOW_OF_KIND.get(category.kind) or (
        "hotline" if data.channel == Channel.HOTLINE else "urban_management"
    )
    rel = Relation(reporter=True, dispatcher=actor is not None and actor.has_perm(access.DISPATCH))
    facts = CaseFacts(status=None, now=now)
    status = next_status(WORKFLOWS[workflow], Action.REPORT, relation=rel, facts=facts)
    assert status is not None
    title = (data.title or description.splitlines()[0])[:100]
    case = Case(
        number=f"pending-{uuid.uuid4().hex[:16]}",
        workflow=workflow,
        kind=category.kind,
        category=category,
        category_code=category.code,
        title=title,
        description=description,
        address=data.address.strip(),
        lon=lon,
        lat=lat,
        region_code=region_code,
        channel=data.channel,
        reporter=actor if getattr(actor, "pk", None) else None,
        reporter_name=data.reporter_name.strip(),
        reporter_phone=data.reporter_phone.strip(),
        status=status,
        urgent=data.urgent,
        reported_at=now,
        extra=extra,
    )
    schedule(case, None)
    # The rows everyone shares (the rollup, the district's number counter, the audit chain)
    # come last, so concurrent reports wait for each other as briefly as possible.
    with transaction.atomic():
        case.save()
        event = _event(case, actor, Action.REPORT, "", now=now, data={"channel": data.channel})
        photos.store(case, checked, event=event, actor=actor, stage="report")
        rollups.add(case, now, reported=1)
        case.number = next_number(region_code[:6], timezone.localtime(now).year)
        Case.objects.filter(pk=case.pk).update(number=case.number)
        record(
            actor=actor,
            action="case.report",
            target=case,
            details={
                "number": case.number,
                "category": category.code,
                "reporter_phone": mask_mobile(case.reporter_phone),
            },
            request=request,
            region_code=region_code,
        )
        notify.case_event(case, event)
        if register:
            case = _apply(case, actor, ActionInput(Action.REGISTER, case.version), [], request, now)
    return case


def timeline_add(
    case: Case,
    actor: Any,
    code: str,
    note: str = "",
    *,
    data: dict[str, Any] | None = None,
    public: bool = False,
    now: datetime | None = None,
) -> CaseEvent:
    """A timeline entry written by another app about the case (a mediation session, an
    agreement, a petition's acceptance notice); its label comes from `models.EVENT_LABELS`.
    The case's status and version do not change; the caller audits what it wrote."""
    return _event(
        case,
        actor,
        code,
        case.status,
        note=note[:2000],
        data=data,
        public=public,
        now=now or timezone.now(),
    )


def _extra_checked(
    category: Category, given: dict[str, Any], errors: dict[str, str], actor: Any = None
) -> dict[str, Any]:
    """The category's extra fields from `given`, each checked against its type. A "person"
    is an identity number of someone in the register within the reporter's reach; the case
    keeps the record's id (the register is linked, never copied)."""
    result: dict[str, Any] = {}
    for spec in category.extra_fields or []:
        value = given.get(spec["name"])
        if value in (None, ""):
            continue
        kind = spec["type"]
        try:
            if kind == "person":
                value = _person_id(actor, str(value))
            elif kind in {"integer", "money_fen"}:
                value = int(value)
                if value < 0:
                    raise ValueError
            elif kind == "boolean":
                value = value in (True, "true", "on", "1", 1)
            elif kind == "choice":
                if value not in spec["choices"]:
                    raise ValueError
            else:
                value = str(value)[:200]
        except (TypeError, ValueError):
            message = (
                _("%(label)s: nobody with this identity number in your reach.")
                if kind == "person"
                else _("%(label)s: not a valid value.")
            )
            errors[spec["name"]] = message % {"label": spec["label"]}
            continue
        result[spec["name"]] = value
    return result


def _person_id(actor: Any, number: str) -> int:
    from wangge.people.access import persons_visible_to

    if actor is None:
        raise ValueError
    person = persons_visible_to(actor).filter(id_number=number.strip().upper()).first()
    if person is None:
        raise ValueError
    return int(person.pk)


def act(
    case_pk: int,
    actor: Any,
    given: ActionInput,
    uploads: Iterable[Any] = (),
    *,
    request: HttpRequest | None = None,
    now: datetime | None = None,
    vouched: Relation | None = None,
    via_record: bool = False,
    actor_label: str = "",
) -> Case:
    """Take one workflow action on a case. Raises WorkflowError (not allowed, with why),
    ValidationError (bad input) or CaseConflict (stale version); nothing is written then.

    `vouched`: a domain service (mediation, petitions) that has itself checked the actor's
    standing, by rules the case's posts do not express, names the relation to use; the
    workflow table still decides, and the actor is recorded as who acted. `via_record`: a
    domain service takes one of the workflow's reserved actions (which it records on its own
    record too) with the actor's own standing; a vouching service does so as well.
    `actor_label`: the name the timeline shows when `actor` is None (the portal passes
    群众 for a resident acting on their own request); else it says "system"."""
    if given.action in WORKFLOWS_RESERVED and not (via_record or vouched is not None):
        _refuse_reserved(case_pk, given.action)
    now = now or timezone.now()
    checked = photos.checked_all(list(uploads))
    with transaction.atomic():
        case = _locked(case_pk)
        if case.version != given.version:
            changes = list(case.events.filter(version__gt=given.version).order_by("id"))
            raise CaseConflict(
                _("Someone else acted on this case meanwhile; see what changed, then try again."),
                case,
                changes,
            )
        return _apply(case, actor, given, checked, request, now, vouched, actor_label)


WORKFLOWS_RESERVED = frozenset().union(*(workflow.reserved for workflow in WORKFLOWS.values()))


def _refuse_reserved(case_pk: int, action: str) -> None:
    workflow = Case.objects.filter(pk=case_pk).values_list("workflow", flat=True).first()
    if workflow is not None and action in WORKFLOWS[workflow].reserved:
        raise WorkflowError(
            "on_its_record",
            _("This step is taken on the dispute's or the petition's own page."),
        )


def _locked(case_pk: int) -> Case:
    queryset = Case.objects.select_related("category")
    if connection.features.has_select_for_update:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=case_pk)


def _apply(
    case: Case,
    actor: Any,
    given: ActionInput,
    checked: list[Any],
    request: HttpRequest | None,
    now: datetime,
    vouched: Relation | None = None,
    actor_label: str = "",
) -> Case:
    tasks = list(case.tasks.all())
    if vouched is not None:
        rel = vouched
    else:
        rel = access.relation(actor, case, tasks) if actor is not None else Relation(system=True)
    task = task_for(given.action, actor, tasks, given.task_id)
    reason = (given.reason or "").strip()
    if len(reason) > 2000:
        raise ValidationError({"reason": _("The text is too long (at most 2,000 characters).")})
    target = next_status(
        workflow_of(case),
        given.action,
        relation=rel,
        facts=case_facts(case, task, now),
        reason=reason,
    )
    before = case.status
    case.status = target or case.status
    handler = HANDLERS.get(given.action)
    data: dict[str, Any] = {}
    lead = next((t for t in tasks if t.lead and t.status in access.OPEN_TASK), None)
    if handler is not None:
        data = handler(case, actor, given, task, tasks, now) or {}
        lead = next((t for t in case.tasks.all() if t.lead and t.status in access.OPEN_TASK), None)
    schedule(case, lead, now)
    if lead is not None:
        lead.save()
    case.version += 1
    case.save()
    event = _event(
        case,
        actor,
        given.action,
        before,
        note=reason,
        task=task,
        data=data,
        now=now,
        public=given.action not in INTERNAL_ACTIONS,
        actor_label=actor_label,
    )
    if checked:
        photos.store(
            case,
            checked,
            event=event,
            actor=actor,
            stage="result" if given.action == Action.FEED_BACK else "note",
        )
    record(
        actor=actor,
        action=f"case.{given.action}",
        target=case,
        details={"number": case.number, "from": before, "to": case.status, **data},
        request=request,
        region_code=case.region_code,
    )
    notify.case_event(case, event)
    return case


def join(
    case_pk: int,
    actor: Any,
    note: str,
    uploads: Iterable[Any] = (),
    *,
    request: HttpRequest | None = None,
) -> Case:
    """A reporter joins a likely duplicate instead of filing a new case: a comment on it,
    with their photos, in the timeline."""
    now = timezone.now()
    note = (note or "").strip()
    if not note:
        raise ValidationError({"description": _("Describe the problem.")})
    checked = photos.checked_all(list(uploads))
    with transaction.atomic():
        case = _locked(case_pk)
        if case.status not in OPEN and case.status != Status.REPORTED:
            raise WorkflowError(
                "not_allowed_now", _("This case is no longer open; report a new one.")
            )
        case.version += 1
        case.save(update_fields=["version", "updated_at"])
        event = _event(case, actor, "join", case.status, note=note[:4000], now=now)
        photos.store(case, checked, event=event, actor=actor, stage="report")
        record(
            actor=actor,
            action="case.join",
            target=case,
            details={"number": case.number},
            request=request,
            region_code=case.region_code,
        )
    return case


def sweep(now: datetime | None = None) -> int:
    """Raise yellow and red supervision on open cases whose thresholds have passed
    (the system's rows of the workflow). Returns the number of cases raised."""
    now = now or timezone.now()
    raised = 0
    for level, column, action in (
        (SupervisionLevel.RED, "red_at", Action.SUPERVISE_RED),
        (SupervisionLevel.YELLOW, "yellow_at", Action.SUPERVISE_YELLOW),
    ):
        due = Case.objects.filter(
            status__in=[Status.DISPATCHED, Status.HANDLING],
            supervision__lt=level,
            **{f"{column}__lt": now},
        ).values_list("pk", "version")
        for pk, version in list(due):
            try:
                act(pk, None, ActionInput(action, version, reason=_("Time limit passed")), now=now)
                raised += 1
            except (WorkflowError, CaseConflict):
                continue
    return raised
