"""The monthly mediation statistics page and its spreadsheet: parse the query, check the
capability and the scope, read `stats`."""

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.audit.services import record
from wangge.cases.charts import percent
from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.mediation import stats
from wangge.mediation.access import STATISTICS
from wangge.regions.models import Region

EXPORT_ACTION = "mediation.statistics_export"
TEMPLATE = "mediation/stats.html"
TEXT = "text/plain; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
REGION_LENGTHS = {2, 4, 6, 9, 12}


class MonthForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    month = forms.CharField(
        label=gettext_lazy("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-05"}),
    )

    def __init__(self, data: Any, *, regions: list[tuple[str, str]]) -> None:
        values = {"region": regions[0][0], "month": f"{timezone.localdate():%Y-%m}"}
        values.update({key: value for key, value in data.items() if value != ""})
        super().__init__(values)
        field: Any = self.fields["region"]
        field.choices = regions
        # A region reached by following a row's link need not be among the choices.
        code = str(values["region"])
        if code not in dict(regions) and code.isdigit() and len(code) in REGION_LENGTHS:
            name = Region.objects.filter(code=code).values_list("name", flat=True).first()
            if name:
                field.choices = [*regions, (code, name)]

    def clean_month(self) -> tuple[int, int]:
        found = MONTH.match(self.cleaned_data["month"].strip())
        year, month = (int(found[1]), int(found[2])) if found else (0, 0)
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(_("Enter a month as year-month, for example 2026-05."))
        return year, month


def regions_offered(user: Any) -> list[tuple[str, str]]:
    """The user's own regions and the ones just below them (down to villages)."""
    roots = stats.regions_of(user, settings.WANGGE_ROOT_REGION)
    below = Region.objects.filter(parent_id__in=roots).values_list("code", flat=True)
    codes = sorted({*roots, *(code for code in below if len(code) in REGION_LENGTHS)})
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [(code, f"{names[code]} ({code})") for code in codes if code in names]


def checked_form(request: HttpRequest) -> MonthForm | None:
    """403 without the capability; None when the user has no region with statistics; an
    existing region outside the user's scope is 404."""
    if not request.user.has_perm(STATISTICS):
        raise PermissionDenied
    regions = regions_offered(request.user)
    if not regions:
        return None
    form = MonthForm(request.GET, regions=regions)
    code = str(form.data.get("region", ""))
    if Region.objects.filter(code=code).exists() and not user_scope(request.user).covers(code):
        raise Http404
    return form


def rows_of(table: stats.MonthlyTable) -> dict[str, Any]:
    def cells(row: stats.Row) -> dict[str, Any]:
        return {"row": row, "rate": percent(row.figures.success_rate)}

    return {
        "rows": [cells(row) for row in table.rows],
        "categories": [cells(row) for row in table.categories],
        "total": cells(table.total),
    }


@access("permission", permission=STATISTICS, scoped=True, note="a region within one's reach")
@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    form = checked_form(request)
    context: dict[str, Any] = {"form": form, "figures": stats.FIGURES}
    if form is None or not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    code = form.cleaned_data["region"]
    year, month = form.cleaned_data["month"]
    table = stats.monthly_table(code, year, month)
    context.update(
        table=table,
        period=stats.month_label(year, month),
        query=urlencode({"region": code, "month": f"{year}-{month:02d}"}),
        month=f"{year}-{month:02d}",
        rate_note=stats.RATE_NOTE,
        **rows_of(table),
    )
    return render(request, TEMPLATE, context)


@access("permission", permission=STATISTICS, scoped=True, note="the page's table, audited")
@login_required
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    form = checked_form(request)
    if form is None or not form.is_valid():
        problems = form.errors.values() if form else []
        text = " ".join(str(error) for errors in problems for error in errors)
        return HttpResponse(text or _("Nothing to export."), status=400, content_type=TEXT)
    code = form.cleaned_data["region"]
    year, month = form.cleaned_data["month"]
    table = stats.monthly_table(code, year, month)
    today = timezone.localdate()
    body = stats.xlsx_bytes(table, made_on=today)
    record(
        actor=request.user,
        action=EXPORT_ACTION,
        details={"region": code, "month": f"{year}-{month:02d}"},
        request=request,
        region_code=code,
    )
    response = HttpResponse(body, content_type=XLSX)
    name = f"mediation-statistics-{code}-{year}{month:02d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
