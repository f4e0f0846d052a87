"""The completeness and roll-up pages of a form and period under a unit, and the roll-up as a
spreadsheet. Each checks the permission (403) and the unit (404), then the form and the period
(400, with what is wrong), then reads through `rollup`."""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.routes import access as route
from wangge.core.scope import user_scope
from wangge.regions.models import Region
from wangge.reports import exports, periods, rollup
from wangge.reports.mapsvg import MapUnit, units_map
from wangge.reports.models import PeriodType, ReportForm

VIEW_ROLLUP = "reports.view_report_rollup"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Map colours: a unit by its state, a group by the share of its units in.
STATE_COLOURS = {
    rollup.APPROVED: "#1b7a3a",
    rollup.SUBMITTED: "#5cb85c",
    rollup.ZERO: "#3a87c8",
    rollup.RETURNED: "#f0a030",
    rollup.DRAFT: "#f5d76e",
    "overdue": "#d9363e",
    rollup.MISSING: "#b8b8b8",
}
SHARE_COLOURS = ((100, "#1b7a3a"), (75, "#9ccc65"), (50, "#f5d76e"), (1, "#f0a030"), (0, "#d9363e"))


def state_labels() -> dict[str, str]:
    return {
        rollup.APPROVED: _("approved"),
        rollup.SUBMITTED: _("submitted"),
        rollup.ZERO: _("zero report"),
        rollup.RETURNED: _("returned, not yet in"),
        rollup.DRAFT: _("draft, not yet in"),
        "overdue": _("not reported, overdue"),
        rollup.MISSING: _("not reported"),
    }


class BadQuery(Exception):
    """A form or period that cannot be read; the message says what is wrong."""


@dataclass
class Query:
    parent: Region
    form: ReportForm | None = None
    period: periods.Period | None = None

    def url(self, name: str, **changes: str) -> str:
        values = {"parent": self.parent.code}
        if self.form is not None:
            values["form"] = self.form.code
        if self.period is not None:
            values["period"] = self.period.start.isoformat()
        values.update(changes)
        return reverse(f"reports:{name}") + "?" + urlencode(values)


def parent_or_404(request: HttpRequest) -> Region:
    """The unit asked about (by default the highest of one's posts), within one's reach."""
    scope = user_scope(request.user)
    code = request.GET.get("parent", "")
    if not code:
        own = sorted(scope.region_codes, key=len)
        code = own[0] if own else (settings.WANGGE_ROOT_REGION if scope.unlimited else "")
    region = Region.objects.filter(code=code).defer("boundary").first() if code.isdigit() else None
    if region is None or not scope.covers(region.code):
        raise Http404
    return region


def form_asked(value: str) -> ReportForm | None:
    if not value:
        return None
    form = ReportForm.objects.filter(code=value).first()
    if form is None:
        raise BadQuery(_("There is no report form with the code “%(code)s”.") % {"code": value})
    return form


def period_asked(form: ReportForm, value: str, today: datetime.date) -> periods.Period:
    """The period that starts on the day given; by default the last one that has ended."""
    if not value:
        return periods.previous_period(
            form.period_type, periods.period_containing(form.period_type, today)
        )
    try:
        start = datetime.date.fromisoformat(value)
    except ValueError:
        raise BadQuery(
            _("“%(value)s” is not a day: give the first day of the period, like 2026-11-16.")
            % {"value": value[:20]}
        ) from None
    period = periods.period_starting(form.period_type, start)
    if period is None:
        kind = PeriodType(form.period_type).label
        raise BadQuery(
            _("No %(kind)s period of this form begins on %(day)s; it would begin on %(start)s.")
            % {
                "kind": kind,
                "day": start.isoformat(),
                "start": periods.period_containing(form.period_type, start).start.isoformat(),
            }
        )
    return period


def query_of(request: HttpRequest) -> Query:
    """Scope first (404), then the form and period (BadQuery)."""
    query = Query(parent_or_404(request))
    query.form = form_asked(request.GET.get("form", "").strip())
    if query.form is not None:
        query.period = period_asked(
            query.form, request.GET.get("period", "").strip(), timezone.localdate()
        )
    return query


def base_context(query: Query, page: str) -> dict[str, Any]:
    context: dict[str, Any] = {
        "query": query,
        "parent": query.parent,
        "form": query.form,
        "period": query.period,
        "forms": ReportForm.objects.order_by("-active", "code").only("code", "name", "active"),
        "page": page,
    }
    if query.form is not None and query.period is not None:
        kind = query.form.period_type
        context["previous"] = query.url(
            page, period=periods.previous_period(kind, query.period).start.isoformat()
        )
        context["next"] = query.url(
            page, period=periods.next_period(kind, query.period).start.isoformat()
        )
        context["other"] = query.url("rollup" if page == "completeness" else "completeness")
        context["up"] = (
            query.url(page, parent=query.parent.parent_id)
            if query.parent.parent_id and len(query.parent.code) > 6
            else ""
        )
    return context


def refused(request: HttpRequest, template: str, page: str, error: BadQuery) -> HttpResponse:
    context = base_context(Query(parent_or_404(request)), page)
    context["error"] = str(error)
    return render(request, template, context, status=400)


# --- completeness -----------------------------------------------------------------------------


def map_of(query: Query, table: rollup.Completeness) -> Any:
    labels = state_labels()
    boundaries = dict(
        Region.objects.filter(code__in=[row.code for row in table.rows]).values_list(
            "code", "boundary"
        )
    )
    units = []
    for row in table.rows:
        if row.unit is not None:
            state = row.unit.state
            if state == rollup.MISSING and table.past_due:
                state = "overdue"
            colour, label = STATE_COLOURS[state], f"{row.name}: {labels[state]}"
            link = ""
        else:
            share = row.counts.share or 0
            colour = next(colour for floor, colour in SHARE_COLOURS if share >= floor)
            label = _("%(name)s: %(reported)s of %(expected)s in") % {
                "name": row.name,
                "reported": row.counts.reported,
                "expected": row.counts.expected,
            }
            link = query.url("completeness", parent=row.code)
        units.append(MapUnit(row.code, label, colour, link))
    if any(row.unit is not None for row in table.rows):
        key = [(STATE_COLOURS[state], label) for state, label in labels.items()]
    else:
        key = [(colour, f"≥ {floor}%") for floor, colour in SHARE_COLOURS[:-1]]
        key.append((SHARE_COLOURS[-1][1], _("none in")))
    return units_map(_("Reporting by unit"), units, boundaries, key)


@route("permission", permission=VIEW_ROLLUP, scoped=True, note="units within one's reach")
@login_required
def completeness_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_ROLLUP):
        raise PermissionDenied
    template = "reports/completeness.html"
    try:
        query = query_of(request)
    except BadQuery as error:
        return refused(request, template, "completeness", error)
    context = base_context(query, "completeness")
    if query.form is not None and query.period is not None:
        table = rollup.completeness(query.form, query.period, query.parent, timezone.now())
        context["table"] = table
        context["labels"] = state_labels()
        context["map"] = map_of(query, table)
        labels = context["labels"]
        context["rows"] = [
            (
                row,
                "" if row.unit else query.url("completeness", parent=row.code),
                labels[row.unit.state] if row.unit else "",
            )
            for row in table.rows
        ]
        overdue = "overdue" if table.past_due else rollup.MISSING
        context["outstanding"] = [
            (
                row,
                [
                    (unit, labels[overdue if unit.state == rollup.MISSING else unit.state])
                    for unit in row.outstanding
                ],
            )
            for row in table.rows
            if row.outstanding
        ]
    return render(request, template, context)


# --- roll-up ----------------------------------------------------------------------------------


@route("permission", permission=VIEW_ROLLUP, scoped=True, note="units within one's reach")
@login_required
def rollup_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_ROLLUP):
        raise PermissionDenied
    template = "reports/rollup.html"
    try:
        query = query_of(request)
    except BadQuery as error:
        return refused(request, template, "rollup", error)
    context = base_context(query, "rollup")
    if query.form is not None and query.period is not None:
        table = rollup.rollup(query.form, query.period, query.parent)
        context["table"] = table
        context["rows"] = [
            (row, [row.value(c.key) for c in table.summed], query.url("rollup", parent=row.code))
            for row in table.rows
        ]
        context["totals"] = [table.total.value(c.key) for c in table.summed]
        context["xlsx"] = query.url("rollup_xlsx")
    return render(request, template, context)


@route("permission", permission=VIEW_ROLLUP, scoped=True, note="the roll-up, audited")
@login_required
def rollup_xlsx(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_ROLLUP):
        raise PermissionDenied
    try:
        query = query_of(request)
        if query.form is None or query.period is None:
            raise BadQuery(_("Choose a report form."))
    except BadQuery as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    body = exports.xlsx_bytes(query.form, query.period, query.parent)
    exports.rollup_export_record(
        actor=request.user,
        form=query.form,
        period=query.period,
        parent=query.parent,
        request=request,
    )
    response = HttpResponse(body, content_type=XLSX)
    name = f"{query.form.code}-{query.parent.code}-{query.period.start.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
