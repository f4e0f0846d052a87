"""Reading petitions: the filtered list, the statutory clock of one petition, and the
timeliness statistics, all computed from the case records."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases import calendar
from wangge.cases.categories import limits_of
from wangge.cases.deadlines import calendar_days, limit_end
from wangge.cases.models import Task
from wangge.cases.workflow import OPEN, Action, Status
from wangge.petitions.models import Petition, Stage
from wangge.petitions.services import review_until

ACCEPT_LIMIT = calendar_days(15)  # 信访工作条例 art. 23


def listed(petitions: QuerySet[Petition], filters: dict[str, Any], now: datetime) -> Any:
    if filters.get("stage"):
        petitions = petitions.filter(stage=filters["stage"])
    if filters.get("status"):
        petitions = petitions.filter(case__status=filters["status"])
    if filters.get("overdue"):
        petitions = petitions.filter(case__due_at__lt=now, case__status__in=list(OPEN))
    return petitions.select_related("case__category", "case__lead_department").order_by(
        "-case__reported_at", "-pk"
    )


@dataclass
class Clock:
    """One statutory limit of a petition: what, which article, when due, when done."""

    label: str
    article: str
    due: datetime | None
    done: datetime | None = None

    @property
    def late(self) -> bool:
        if self.due is None:
            return False
        return (self.done or timezone.now()) > self.due


def clocks(petition: Petition, tasks: list[Task]) -> list[Clock]:
    """The limits that apply to the petition now, each with its due moment."""
    case = petition.case
    work = calendar.current()
    limits = limits_of(case.category)
    result = []
    routing = limits.steps.get("dispatch")
    first = min((task.dispatched_at for task in tasks), default=None)
    if routing:
        due = limit_end(routing.limit, case.reported_at, work)
        article = _("art. 22") if petition.stage == Stage.INITIAL else _("arts. 35, 36")
        result.append(Clock(_("Register and route"), article, due, first))
    lead = next((task for task in reversed(tasks) if task.lead), None)
    if lead is not None:
        due = limit_end(ACCEPT_LIMIT, lead.dispatched_at, work)
        result.append(Clock(_("Tell whether it is accepted"), _("art. 23"), due, lead.accepted_at))
        if lead.send_back_until and lead.accepted_at is None:
            result.append(
                Clock(_("Object: not our matter"), _("art. 23"), lead.send_back_until, None)
            )
    handle = limits.steps.get("handle")
    started = handle is not None and (
        handle.starts_at == Action.REPORT or (lead is not None and lead.accepted_at is not None)
    )
    if started and case.due_at is not None:
        article = _("art. 34") if petition.stage == Stage.INITIAL else _("arts. 35, 36")
        label = _("Handle and issue the opinion")
        result.append(Clock(label, article, case.due_at, petition.opinion_at))
    if case.status == Status.CLOSED and petition.stage != Stage.RE_REVIEW:
        result.append(
            Clock(
                _("Ask for the next stage (by the petitioner)"),
                _("arts. 35, 36"),
                review_until(petition),
            )
        )
    return result


# --- timeliness statistics ----------------------------------------------------------------------


@dataclass
class Row:
    month: str
    unit: str
    received: int = 0
    routed_in_time: int = 0
    accepted_in_time: int = 0
    opinions: int = 0
    opinions_on_time: int = 0
    reviews: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.opinions else round(100 * self.opinions_on_time / self.opinions, 1)


@dataclass
class Timeliness:
    year: int
    rows: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("", ""))


def timeliness(petitions: QuerySet[Petition], year: int) -> Timeliness:
    """Per month of receipt and handling unit: received; routed within the routing limit;
    accepted within 15 days of being routed to the unit; opinions, and those by the due
    moment (60 days, or 30 for a review, plus a granted extension: `case.on_time`); reviews
    asked for of them."""
    work = calendar.current()
    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    chosen = (
        petitions.filter(case__reported_at__gte=start, case__reported_at__lt=end)
        .select_related("case__category", "case__lead_department")
        .prefetch_related(
            Prefetch(
                "case__tasks", queryset=Task.objects.select_related("department").order_by("id")
            )
        )
        .annotate(reviewed=Exists(Petition.objects.filter(previous=OuterRef("pk"))))
    )
    rows: dict[tuple[str, str], Row] = {}
    total = Row("", "")
    for petition in chosen:
        case = petition.case
        tasks = list(case.tasks.all())
        lead = next((task for task in reversed(tasks) if task.lead), None)
        unit = lead.department.name if lead else _("not routed yet")
        month = timezone.localtime(case.reported_at).strftime("%Y-%m")
        row = rows.setdefault((month, unit), Row(month, unit))
        for target in (row, total):
            _count(target, petition, tasks, lead, work)
    return Timeliness(year, [rows[key] for key in sorted(rows)], total)


def _count(row: Row, petition: Any, tasks: list[Task], lead: Task | None, work: Any) -> None:
    case = petition.case
    row.received += 1
    routing = limits_of(case.category).steps.get("dispatch")
    first = min((task.dispatched_at for task in tasks), default=None)
    if routing and first and first <= limit_end(routing.limit, case.reported_at, work):
        row.routed_in_time += 1
    if (
        lead
        and lead.accepted_at
        and lead.accepted_at <= limit_end(ACCEPT_LIMIT, lead.dispatched_at, work)
    ):
        row.accepted_in_time += 1
    if petition.opinion_at is not None:
        row.opinions += 1
        row.opinions_on_time += int(bool(case.on_time))
    row.reviews += int(petition.reviewed)


def years_choice(today: date) -> list[int]:
    return list(range(today.year, today.year - 5, -1))
