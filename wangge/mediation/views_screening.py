"""The screening pages: a unit's own periods and its report, the parent's completeness table
(and locking), the quarterly report and its spreadsheet. Each parses, checks the permission
(403) and the place (404), then calls `screening`."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.forms import errors_onto
from wangge.core.routes import access
from wangge.mediation import screening, screening_report
from wangge.mediation.access import STATISTICS, SUBMIT_SCREENING
from wangge.mediation.forms_screening import QuarterForm, SubmissionForm
from wangge.mediation.models import Screening
from wangge.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARENTS = (screening.COUNTY, screening.TOWNSHIP)
REPORT_REGIONS = (screening.COUNTY, screening.TOWNSHIP, screening.VILLAGE)


def day_given(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def url_with(name: str, **query: str) -> str:
    return reverse(f"mediation:{name}") + "?" + urlencode(query)


def units_url(parent: Region, period: screening.Period) -> str:
    return url_with("screening_units", parent=parent.code, period=period.start.isoformat())


# --- the unit's own page ----------------------------------------------------------------------


def unit_context(request: HttpRequest, unit: Region, period: screening.Period) -> dict[str, Any]:
    today = timezone.localdate()
    periods = screening.recent_periods(unit.code, today)
    if period not in periods:
        periods.append(period)
    reports = {
        report.period_start: report
        for report in Screening.objects.filter(
            region_code=unit.code, period_start__in=[p.start for p in periods]
        ).prefetch_related("disputes")
    }
    return {
        "unit": unit,
        "units": Region.objects.filter(code__in=screening.units_of(request.user)),
        "period": period,
        "open": period.open_on(today),
        "report": reports.get(period.start),
        "rows": [(p, reports.get(p.start), p.open_on(today)) for p in periods],
        "today": today,
    }


def period_asked(unit: Region, value: str) -> screening.Period:
    """The period named by its first day; by default the latest one open for submission."""
    if not value:
        return screening.latest_open(unit.code, timezone.localdate())
    start = day_given(value)
    if start is None:
        raise ValidationError(_("Choose a period."))
    return screening.period_of(unit.code, start)


@access("permission", permission=SUBMIT_SCREENING, scoped=True, note="one's own units")
@login_required
def screening_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(SUBMIT_SCREENING):
        raise PermissionDenied
    given = request.POST if request.method == "POST" else request.GET
    units = screening.units_of(request.user)
    code = given.get("unit") or (units[0] if units else "")
    if not code:
        return render(request, "mediation/screening_unit.html", {"no_unit": True})
    unit = screening.unit_or_404(request.user, code)
    try:
        period = period_asked(unit, given.get("period", ""))
    except ValidationError as error:
        problem = {"unit": unit, "period_error": " ".join(error.messages)}
        return render(request, "mediation/screening_unit.html", problem, status=400)
    cases = list(screening.disputes_of(unit.code, period))
    if request.method == "POST":
        return submission_post(request, unit, period, cases)
    context = unit_context(request, unit, period)
    context["form"] = SubmissionForm(initial=initial_of(context["report"]), cases=cases)
    return render(request, "mediation/screening_unit.html", context)


def initial_of(report: Screening | None) -> dict[str, Any]:
    """The form filled with the report already submitted, to correct it."""
    if report is None:
        return {}
    disputes = [case.pk for case in report.disputes.all()]
    return {"zero": report.zero, "disputes": disputes, "note": report.note}


def submission_post(
    request: HttpRequest, unit: Region, period: screening.Period, cases: list[Any]
) -> HttpResponse:
    form = SubmissionForm(request.POST, cases=cases)
    if form.is_valid():
        data = screening.SubmissionInput(
            region_code=unit.code,
            period_start=period.start,
            zero=form.cleaned_data["zero"],
            case_ids=form.cleaned_data["disputes"],
            note=form.cleaned_data["note"],
        )
        try:
            report = screening.screening_submit(actor=request.user, data=data, request=request)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            text = (
                _("Zero report submitted.")
                if report.zero
                else _("Screening submitted with %(count)s disputes.")
                % {"count": len(data.case_ids)}
            )
            if report.late:
                text = _("%(text)s It was submitted after the due date.") % {"text": text}
            messages.success(request, text)
            return redirect(url_with("screening", unit=unit.code, period=period.start.isoformat()))
    context = unit_context(request, unit, period)
    context["form"] = form
    return render(request, "mediation/screening_unit.html", context, status=400)


# --- the parent's completeness table ----------------------------------------------------------


def parent_of_request(request: HttpRequest, given: Any) -> Region | None:
    parents = screening.units_of(request.user, PARENTS)
    code = given.get("parent") or (parents[0] if parents else "")
    if not code:
        return None
    return screening.unit_or_404(request.user, code, lengths=PARENTS)


@access("permission", permission=STATISTICS, scoped=True, note="child units of one's unit")
@login_required
def screening_units(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(STATISTICS):
        raise PermissionDenied
    parent = parent_of_request(request, request.GET)
    if parent is None:
        return render(request, "mediation/screening_units.html", {"no_unit": True})
    day = day_given(request.GET.get("period", "")) if request.GET.get("period") else None
    if request.GET.get("period") and day is None:
        problem = {"parent": parent, "period_error": _("Choose a period.")}
        return render(request, "mediation/screening_units.html", problem, status=400)
    before, period, after = screening.child_periods_around(parent.code, day)
    table = screening.completeness(parent, period, timezone.localdate())
    context = {
        "parent": parent,
        "table": table,
        "period": period,
        "previous": units_url(parent, before),
        "next": units_url(parent, after),
        "can_lock": any(s.screening and not s.screening.locked for s in table.units),
    }
    return render(request, "mediation/screening_units.html", context)


@access("permission", permission=STATISTICS, scoped=True, note="POST: lock a period's reports")
@login_required
def screening_lock(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(STATISTICS):
        raise PermissionDenied
    given = request.POST if request.method == "POST" else request.GET
    parent = parent_of_request(request, given)  # scope before method: out of reach is 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    day = day_given(given.get("period", ""))
    if parent is None or day is None:
        messages.error(request, _("Choose a unit and a period."))
        return redirect(reverse("mediation:screening_units"))
    period = screening.child_period(parent.code, day)
    count = screening.screening_lock(
        actor=request.user, parent_code=parent.code, period_start=period.start, request=request
    )
    messages.success(request, _("%(count)s reports locked.") % {"count": count})
    return redirect(
        url_with("screening_units", parent=parent.code, period=period.start.isoformat())
    )


# --- the quarterly report ---------------------------------------------------------------------


def quarter_asked(request: HttpRequest) -> tuple[QuarterForm, Region | None]:
    """The query (defaults: one's unit, this quarter) and its region (404 out of reach)."""
    today = timezone.localdate()
    regions = screening.units_of(request.user, REPORT_REGIONS)
    values = {
        "region": regions[0] if regions else "",
        "year": str(today.year),
        "quarter": str((today.month - 1) // 3 + 1),
    }
    values.update({key: str(value) for key, value in request.GET.items() if value})
    form = QuarterForm(values)
    if not form.is_valid():
        return form, None
    region = screening.unit_or_404(
        request.user, form.cleaned_data["region"], lengths=REPORT_REGIONS
    )
    return form, region


@access("permission", permission=STATISTICS, scoped=True, note="a region within one's reach")
@login_required
def screening_quarter(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(STATISTICS):
        raise PermissionDenied
    form, region = quarter_asked(request)
    if region is None:
        return render(request, "mediation/screening_quarter.html", {"form": form}, status=400)
    data = form.cleaned_data
    report = screening_report.quarter_report(region, data["year"], data["quarter"])
    context = {
        "form": form,
        "report": report,
        "blocks": [(block, screening_report.block_rows(report, block)) for block in report.blocks],
        "levels": screening_report.LEVELS,
        "figures": screening_report.FIGURES,
        "query": urlencode(
            {"region": region.code, "year": data["year"], "quarter": data["quarter"]}
        ),
    }
    return render(request, "mediation/screening_quarter.html", context)


@access("permission", permission=STATISTICS, scoped=True, note="the page's table, audited")
@login_required
def screening_quarter_export(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(STATISTICS):
        raise PermissionDenied
    form, region = quarter_asked(request)
    if region is None:
        text = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    report = screening_report.quarter_report(region, data["year"], data["quarter"])
    body = screening_report.quarter_xlsx(report)
    screening_report.quarter_export_record(actor=request.user, report=report, request=request)
    response = HttpResponse(body, content_type=XLSX)
    name = f"dispute-screening-{region.code}-{report.year}Q{report.quarter}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
