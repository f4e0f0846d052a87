"""The special-report pages: the list, filing one, a report with its chain of
acknowledgements, and acknowledging it. Each checks the permission (403), then the place
(404), then calls `special`."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.core.forms import errors_onto
from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.regions.models import Region
from wangge.reports import special
from wangge.reports.models import SpecialReport
from wangge.reports.special import ACKNOWLEDGE, FILE, VIEW

LIST_SIZE = 100


class SpecialForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    text = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


@access("permission", permission=VIEW, note="reports of the units in one's area")
@login_required
def special_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    reports = list(special.special_reports_visible_to(request.user)[:LIST_SIZE])
    regions = Region.objects.in_bulk({report.region_code for report in reports})
    rows = [(report, regions.get(report.region_code), waiting(report)) for report in reports]
    context = {"rows": rows, "can_file": request.user.has_perm(FILE)}
    return render(request, "reports/special_list.html", context)


def waiting(report: SpecialReport) -> int:
    """How many levels have not acknowledged yet (from the prefetched rows)."""
    return sum(1 for ack in report.acknowledgements.all() if ack.acknowledged_at is None)


def unit_or_404(request: HttpRequest, code: str) -> Region:
    region = Region.objects.filter(code=code).first() if code else None
    if region is None or not user_scope(request.user).covers(region.code):
        raise Http404
    return region


@access("permission", permission=FILE, scoped=True, note="for a unit within one's area")
@login_required
def special_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(FILE):
        raise PermissionDenied
    given = request.POST if request.method == "POST" else request.GET
    units = special.filing_units(request.user)
    code = given.get("unit") or (units[0].code if units else "")
    if not code:
        return render(request, "reports/special_new.html", {"no_unit": True})
    unit = unit_or_404(request, code)
    context: dict[str, Any] = {"unit": unit, "units": units, "hours": special.ack_hours()}
    if request.method != "POST":
        context["form"] = SpecialForm()
        return render(request, "reports/special_new.html", context)
    form = SpecialForm(request.POST)
    context["form"] = form
    if form.is_valid():
        data = special.SpecialInput(
            unit.code, form.cleaned_data["title"], form.cleaned_data["text"]
        )
        try:
            report = special.special_report_file(actor=request.user, data=data, request=request)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request, _("Special report filed: the levels above have been told at once.")
            )
            return redirect(reverse("reports:special_detail", args=[report.pk]))
    return render(request, "reports/special_new.html", context, status=400)


def detail_context(request: HttpRequest, report: SpecialReport) -> dict[str, Any]:
    return {
        "report": report,
        "unit": Region.objects.filter(code=report.region_code).first(),
        "chain": special.chain_of(report, request.user),
    }


@access("permission", permission=VIEW, scoped=True, note="a report of a unit in one's area")
@login_required
def special_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    report = special.special_report_get_for(request.user, report_id, request=request)
    return render(request, "reports/special_detail.html", detail_context(request, report))


@access("permission", permission=ACKNOWLEDGE, scoped=True, note="POST: for one's own level")
@login_required
def special_ack(request: HttpRequest, report_id: int) -> HttpResponse:
    if not request.user.has_perm(ACKNOWLEDGE):
        raise PermissionDenied
    report = special.special_report_get_for(request.user, report_id, request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        special.acknowledgement_acknowledge(
            actor=request.user,
            report=report,
            level_code=request.POST.get("level", ""),
            request=request,
        )
    except ValidationError as error:
        context = detail_context(request, report)
        context["ack_error"] = " ".join(error.messages)
        return render(request, "reports/special_detail.html", context, status=400)
    messages.success(request, _("Acknowledged."))
    return redirect(reverse("reports:special_detail", args=[report.pk]))
