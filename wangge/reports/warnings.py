"""Early warning: rules as data (`WarningRule.kind` + `params`) evaluated over the platform's
series, the warnings they raise, who is told, and acknowledging and annotating them.

Three kinds of rule, each one or two grouped queries however many places there are:
- dispute_surge {k, at_least}: a village's disputes (dispute cases, not cancelled) reported
  this ISO week against the median of its previous 8 weeks; fires when count > k × median
  and count ≥ at_least (a median of 0 leaves only at_least); the warning's threshold is the
  higher of the two.
- overdue_share {threshold, min_open}: per township and category class (E01, D02 …) the open
  cases past their deadline over the open cases; fires when the share > threshold and there
  are at least min_open open cases. One warning per place, class and ISO week.
- missing_reports {periods}: a unit of an active report form that has no submitted or
  approved submission (zero reports count as reports) for its last `periods` (default 2)
  owed periods whose deadline has passed. The warning's `category_code` holds "form-<id>"
  so that two forms of the same period type stay two warnings.

A warning concerns a place, a category or a unit, never a person. Each new one is told in-app
to the holders of reports.view_earlywarning posted at its region or the region's parent.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncDate
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wangge.accounts.models import Membership
from wangge.accounts.roles import ROLE_PERMISSIONS
from wangge.cases import notify
from wangge.cases.models import Case
from wangge.cases.selectors import RUNNING
from wangge.cases.workflow import OPEN, Status
from wangge.core.scope import out_of_scope_record, scope_q, user_scope
from wangge.regions.models import Region
from wangge.reports import periods
from wangge.reports.models import (
    EarlyWarning,
    PeriodType,
    ReportForm,
    RuleKind,
    SensitivePeriod,
    Submission,
    SubmissionState,
    WarningNote,
    WarningRule,
    WarningState,
)

VIEW = "reports.view_earlywarning"
ACKNOWLEDGE = "reports.acknowledge_warning"
NOTIFICATION_KIND = "early_warning"
CASE_LIST_URL = "/cases/"
VILLAGE, TOWNSHIP = 12, 9
CATEGORY_CLASS = 3
WEEKS_BEFORE = 8
NOTE_MAX = 1000
ACTIVE_STATES = (WarningState.OPEN, WarningState.ACKNOWLEDGED)

DEFAULT_RULES = (
    ("村居纠纷激增", RuleKind.DISPUTE_SURGE, {"k": 2, "at_least": 5}),
    ("类别超期比例过高", RuleKind.OVERDUE_SHARE, {"threshold": 0.3, "min_open": 5}),
    ("连续两期未报", RuleKind.MISSING_REPORTS, {"periods": 2}),
)


@dataclass(frozen=True)
class Firing:
    """What a rule found at one place, for one period; becomes an EarlyWarning."""

    region_code: str
    category_code: str
    period_start: datetime.date
    period_end: datetime.date
    value: float
    threshold: float
    summary: str
    link: str


# --- time helpers ---------------------------------------------------------------------------


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def number(params: dict[str, Any], name: str, default: float) -> float:
    """A rule parameter as a number (a rule edited by hand may hold a string)."""
    try:
        return float(params.get(name, default))
    except (TypeError, ValueError):
        return default


def names_of(codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


# --- dispute surge --------------------------------------------------------------------------


def disputes_per_village_week(
    first: datetime.date, until: datetime.datetime
) -> dict[str, dict[datetime.date, int]]:
    """Disputes per village and ISO week (its Monday) reported from the day `first` until the
    moment `until`: one grouped query by village and day."""
    rows = (
        Case.objects.filter(
            kind="dispute", reported_at__gte=day_start(first), reported_at__lt=until
        )
        .exclude(status=Status.CANCELLED)
        .annotate(village=Substr("region_code", 1, VILLAGE), day=TruncDate("reported_at"))
        .values("village", "day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row["village"]][week_of(row["day"])[0]] += row["count"]
    return counts


def surge_link(village: str, monday: datetime.date, sunday: datetime.date) -> str:
    """The case list's figure of the cases reported in the village that week in the dispute
    categories (all "D…"); the list also shows cancelled ones, which the rule does not count."""
    query = {
        "figure": "reported",
        "region": village,
        "category": "D",
        "from": monday.isoformat(),
        "to": sunday.isoformat(),
    }
    return f"{CASE_LIST_URL}?{urlencode(query)}"


def dispute_surge(params: dict[str, Any], now: datetime.datetime) -> list[Firing]:
    k, at_least = number(params, "k", 2), number(params, "at_least", 5)
    monday, sunday = week_of(timezone.localdate(now))
    first = monday - datetime.timedelta(weeks=WEEKS_BEFORE)
    counts = disputes_per_village_week(first, now)
    earlier = [first + datetime.timedelta(weeks=n) for n in range(WEEKS_BEFORE)]
    found = []
    for village, weeks in counts.items():
        count = weeks.get(monday, 0)
        median = statistics.median(weeks.get(week, 0) for week in earlier)
        if count >= at_least and count > k * median:
            found.append((village, count, median))
    names = names_of({village for village, _count, _median in found})
    return [
        Firing(
            region_code=village,
            category_code="",
            period_start=monday,
            period_end=sunday,
            value=count,
            threshold=max(k * median, at_least),
            summary=_(
                "%(place)s: %(count)d disputes this week, above %(k)g times the 8-week median "
                "of %(median)g (at least %(at_least)d)."
            )
            % {
                "place": names.get(village, village),
                "count": count,
                "k": k,
                "median": median,
                "at_least": at_least,
            },
            link=surge_link(village, monday, sunday),
        )
        for village, count, median in found
    ]


# --- overdue share --------------------------------------------------------------------------


def open_and_overdue(now: datetime.datetime) -> QuerySet[Any]:
    """Open and overdue cases per township and category class, in one grouped query."""
    return (
        Case.objects.filter(status__in=list(OPEN))
        .annotate(
            township=Substr("region_code", 1, TOWNSHIP),
            category_class=Substr("category_code", 1, CATEGORY_CLASS),
        )
        .values("township", "category_class")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(status__in=RUNNING, due_at__lt=now)),
        )
        .order_by()
    )


def overdue_link(township: str, category_class: str) -> str:
    """The case list of the township's overdue cases of the class (as they stand now)."""
    query = {"region": township, "category": category_class, "overdue": "on"}
    return f"{CASE_LIST_URL}?{urlencode(query)}"


def overdue_share(params: dict[str, Any], now: datetime.datetime) -> list[Firing]:
    threshold, min_open = number(params, "threshold", 0.3), number(params, "min_open", 5)
    monday, sunday = week_of(timezone.localdate(now))
    found = [
        row
        for row in open_and_overdue(now)
        if row["open"] >= min_open and row["overdue"] / row["open"] > threshold
    ]
    names = names_of({row["township"] for row in found})
    return [
        Firing(
            region_code=row["township"],
            category_code=row["category_class"],
            period_start=monday,
            period_end=sunday,
            value=round(row["overdue"] / row["open"], 4),
            threshold=threshold,
            summary=_(
                "%(place)s, category %(category)s: %(overdue)d of %(open)d open cases are "
                "overdue (%(share).0f%%, threshold %(threshold).0f%%)."
            )
            % {
                "place": names.get(row["township"], row["township"]),
                "category": row["category_class"],
                "overdue": row["overdue"],
                "open": row["open"],
                "share": 100 * row["overdue"] / row["open"],
                "threshold": 100 * threshold,
            },
            link=overdue_link(row["township"], row["category_class"]),
        )
        for row in found
    ]


# --- missing reports ------------------------------------------------------------------------


def due_periods(form: ReportForm, now: datetime.datetime, count: int) -> list[periods.Period]:
    """The last `count` periods of a (not daily) form whose deadline has passed, latest first."""
    period = periods.period_containing(form.period_type, timezone.localdate(now))
    found: list[periods.Period] = []
    for _step in range(count + 60):  # a deadline is never 60 periods late
        if periods.due_at(form, period) <= now:
            found.append(period)
            if len(found) == count:
                break
        period = periods.previous_period(form.period_type, period)
    return found


def sensitive_days_of(
    sensitive: list[SensitivePeriod], unit_code: str, first: datetime.date, last: datetime.date
) -> list[datetime.date]:
    """periods.sensitive_days over periods already read (one query per form, not per unit)."""
    days: set[datetime.date] = set()
    for each in sensitive:
        prefixes = each.region_prefixes or []
        if prefixes and not any(unit_code.startswith(prefix) for prefix in prefixes):
            continue
        day = max(first, each.starts_on)
        while day <= min(last, each.ends_on):
            days.add(day)
            day += datetime.timedelta(days=1)
    return sorted(days)


def owed_periods(
    form: ReportForm, now: datetime.datetime, count: int
) -> Callable[[str], list[periods.Period]]:
    """For each unit: its last `count` owed periods whose deadline has passed, latest first.
    Daily forms are owed only on sensitive days; periods not yet due do not count."""
    if form.period_type != PeriodType.DAILY:
        common = due_periods(form, now, count)
        return lambda unit: common
    today = timezone.localdate(now)
    first = today - datetime.timedelta(days=366)
    sensitive = list(
        SensitivePeriod.objects.filter(form=form, starts_on__lte=today, ends_on__gte=first)
    )

    def daily(unit: str) -> list[periods.Period]:
        days = sensitive_days_of(sensitive, unit, first, today)
        due = [periods.Period(d, d) for d in reversed(days)]
        return [p for p in due if periods.due_at(form, p) <= now][:count]

    return daily


def completeness_link(form: ReportForm, unit_code: str, period: periods.Period) -> str:
    """The completeness page of the unit's parent for the form and period (another part of
    the reports app); when it is not there, no link."""
    try:
        url = reverse("reports:completeness")
    except NoReverseMatch:
        return ""
    parent = unit_code[:-3] if len(unit_code) > 6 else unit_code
    query = {"form": form.code, "parent": parent, "period": period.start.isoformat()}
    return f"{url}?{urlencode(query)}"


def reported_pairs(form: ReportForm, starts: set[datetime.date]) -> set[tuple[str, Any]]:
    submitted = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)
    rows = Submission.objects.filter(form=form, state__in=submitted, period_start__in=starts)
    return set(rows.values_list("region_code", "period_start"))


def missing_for_form(form: ReportForm, now: datetime.datetime, count: int) -> list[Firing]:
    owed = owed_periods(form, now, count)
    # A unit cannot have missed a period that ended before the form existed.
    since = timezone.localdate(form.created_at)
    per_unit = {
        unit.code: (unit.name, [p for p in owed(unit.code) if p.end >= since])
        for unit in periods.units_owing(form)
    }
    per_unit = {code: each for code, each in per_unit.items() if len(each[1]) == count}
    starts = {p.start for _name, owed_list in per_unit.values() for p in owed_list}
    reported = reported_pairs(form, starts) if starts else set()
    firings = []
    for code, (name, owed_list) in per_unit.items():
        if any((code, p.start) in reported for p in owed_list):
            continue
        latest, earliest = owed_list[0], owed_list[-1]
        firings.append(
            Firing(
                region_code=code,
                category_code=f"form-{form.pk}",
                period_start=latest.start,
                period_end=latest.end,
                value=count,
                threshold=count,
                summary=_(
                    "%(place)s has not submitted “%(form)s” for %(count)d periods in a row "
                    "(%(first)s to %(last)s)."
                )
                % {
                    "place": name,
                    "form": form.name,
                    "count": count,
                    "first": earliest.start.isoformat(),
                    "last": latest.end.isoformat(),
                },
                link=completeness_link(form, code, latest),
            )
        )
    return firings


def missing_reports(params: dict[str, Any], now: datetime.datetime) -> list[Firing]:
    count = max(1, int(number(params, "periods", 2)))
    firings: list[Firing] = []
    for form in ReportForm.objects.filter(active=True).order_by("pk"):
        firings += missing_for_form(form, now, count)
    return firings


EVALUATORS: dict[str, Callable[[dict[str, Any], datetime.datetime], list[Firing]]] = {
    RuleKind.DISPUTE_SURGE: dispute_surge,
    RuleKind.OVERDUE_SHARE: overdue_share,
    RuleKind.MISSING_REPORTS: missing_reports,
}


def evaluate(rule: WarningRule, now: datetime.datetime) -> list[Firing]:
    """What the rule finds now (nothing written)."""
    evaluator = EVALUATORS.get(rule.kind)
    if evaluator is None:
        return []
    return evaluator(rule.params if isinstance(rule.params, dict) else {}, now)


# --- writes ---------------------------------------------------------------------------------


def warnings_raise(*, now: datetime.datetime | None = None) -> list[EarlyWarning]:
    """Evaluate every active rule and record the new warnings (a place already warned of for
    the period is not warned of again); each new one is told to its unit and the parent."""
    now = now or timezone.now()
    created: list[EarlyWarning] = []
    with translation.override(settings.LANGUAGE_CODE):  # stored for the readers
        for rule in WarningRule.objects.filter(active=True).order_by("pk"):
            for firing in evaluate(rule, now):
                warning = warning_record(rule, firing, now)
                if warning is not None:
                    created.append(warning)
    return created


def warning_record(
    rule: WarningRule, firing: Firing, now: datetime.datetime
) -> EarlyWarning | None:
    key = {
        "rule": rule,
        "region_code": firing.region_code,
        "category_code": firing.category_code,
        "period_start": firing.period_start,
    }
    if EarlyWarning.objects.filter(**key).exists():
        return None
    try:
        with transaction.atomic():
            warning = EarlyWarning.objects.create(
                **key,
                period_end=firing.period_end,
                value=firing.value,
                threshold=firing.threshold,
                summary=firing.summary[:300],
                link=firing.link[:500],
                created_at=now,
            )
            warning_notify(warning)
    except IntegrityError:  # raised meanwhile by a concurrent run
        return None
    return warning


def warned_roles() -> list[str]:
    return sorted(role for role, granted in ROLE_PERMISSIONS.items() if VIEW in granted)


def warning_recipients(warning: EarlyWarning) -> list[int]:
    """The holders of the view permission posted at the warning's region or its parent."""
    code = warning.region_code
    places = {code, code[:-3] if len(code) > 6 else code}
    today = timezone.localdate(warning.created_at)
    posts = Membership.objects.filter(
        region_id__in=places, role__in=warned_roles(), user__is_active=True, starts_on__lte=today
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return sorted(set(posts.values_list("user_id", flat=True)))


def warning_notify(warning: EarlyWarning) -> None:
    users = warning_recipients(warning)
    if users:
        text = _("Early warning: %(summary)s") % {"summary": warning.summary}
        notify.notifications_add(
            users, case=None, kind=NOTIFICATION_KIND, text=text[:300], at=warning.created_at
        )


def warning_acknowledge(
    *, actor: Any, warning: EarlyWarning, now: datetime.datetime | None = None
) -> EarlyWarning:
    if warning.state != WarningState.OPEN:
        raise ValidationError(_("This warning has already been acknowledged or closed."))
    warning.state = WarningState.ACKNOWLEDGED
    warning.acknowledged_by = actor
    warning.acknowledged_at = now or timezone.now()
    warning.save(update_fields=["state", "acknowledged_by", "acknowledged_at"])
    return warning


def warning_close(
    *, actor: Any, warning: EarlyWarning, now: datetime.datetime | None = None
) -> EarlyWarning:
    """Close a warning that has been dealt with (it leaves the active list)."""
    if warning.state == WarningState.CLOSED:
        raise ValidationError(_("This warning is already closed."))
    now = now or timezone.now()
    with transaction.atomic():
        if warning.acknowledged_at is None:
            warning.acknowledged_by, warning.acknowledged_at = actor, now
        warning.state = WarningState.CLOSED
        warning.save(update_fields=["state", "acknowledged_by", "acknowledged_at"])
    return warning


def warning_note_add(
    *, actor: Any, warning: EarlyWarning, text: str, now: datetime.datetime | None = None
) -> WarningNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > NOTE_MAX:
        raise ValidationError({"text": _("The note is too long (at most 1,000 characters).")})
    return WarningNote.objects.create(
        warning=warning, text=text, written_by=actor, written_at=now or timezone.now()
    )


def default_rules() -> list[WarningRule]:
    """The three default rules, created when no rule of their kind exists (safe to repeat)."""
    created = []
    for name, kind, params in DEFAULT_RULES:
        if not WarningRule.objects.filter(kind=kind).exists():
            created.append(WarningRule.objects.create(name=name, kind=kind, params=params))
    return created


# --- reads ----------------------------------------------------------------------------------


def warnings_visible_to(user: Any) -> QuerySet[EarlyWarning]:
    """The warnings of places within the user's region posts."""
    return EarlyWarning.objects.filter(scope_q(user_scope(user)))


def active_warnings_of(user: Any) -> QuerySet[EarlyWarning]:
    return (
        warnings_visible_to(user)
        .filter(state__in=ACTIVE_STATES)
        .select_related("rule")
        .order_by("-created_at", "-pk")
    )


def warning_get_for(
    user: Any, pk: int, *, action: str | None = None, request: HttpRequest | None = None
) -> EarlyWarning:
    """404 outside the user's scope (audited), 403 when the action is not the user's."""
    try:
        warning = warnings_visible_to(user).select_related("rule", "acknowledged_by").get(pk=pk)
    except ObjectDoesNotExist:
        out_of_scope_record(user, EarlyWarning.objects.all(), pk, request)
        raise Http404 from None
    if action is not None and not user.has_perm(action):
        raise PermissionDenied
    return warning
