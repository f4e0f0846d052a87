"""The statistics page and its spreadsheet: parse the query, check the scope, read `stats`."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases import charts, stats, stats_export
from wangge.cases.access import STATISTICS
from wangge.cases.forms_stats import StatisticsForm
from wangge.core.routes import access
from wangge.regions.models import Region

TEXT = "text/plain; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def checked_form(request: HttpRequest) -> StatisticsForm | None:
    """The query as a form (None when the user has no region to see statistics of); an
    existing region outside the user's scope is 404."""
    if not request.user.has_perm(STATISTICS):
        raise PermissionDenied
    regions = stats.regions_of(request.user, settings.WANGGE_ROOT_REGION)
    if not regions:
        return None
    form = StatisticsForm(request.GET, default_region=regions[0])
    if form.is_valid() and not stats.region_allowed(request.user, form.cleaned_data["region"]):
        raise Http404
    return form


def cells_of(row: stats.Row) -> dict[str, Any]:
    counts = [(row.counts.value(name), row.link(name)) for name in stats.FIGURES]
    rates = [charts.percent(row.counts.value(name)) for name in stats.RATES if name != "composite"]
    composite = row.counts.composite
    return {"row": row, "counts": counts, "rates": rates, "composite": composite}


def summary_of(counts: stats.Counts) -> list[tuple[str, str]]:
    """The headline figures of the total, for the top of the page."""
    return [
        (str(stats.FIGURES["reported"]), str(counts.reported)),
        (str(stats.FIGURES["due"]), str(counts.due)),
        (str(stats.FIGURES["closed"]), str(counts.closed)),
        (str(stats.RATES["closure_rate"]), charts.percent(counts.closure_rate)),
        (str(stats.RATES["on_time_rate"]), charts.percent(counts.on_time_rate)),
        (str(stats.RATES["satisfaction_rate"]), charts.percent(counts.satisfaction_rate)),
    ]


def page_links(form: StatisticsForm, table: stats.Table) -> dict[str, Any]:
    """The previous and next period, and the regions above the chosen one within reach."""
    data = form.cleaned_data
    base = {
        "period": data["period"],
        "region": data["region"],
        "group": data["group"],
    }
    links: dict[str, Any] = {}
    if data["period"] != "custom":
        for name, steps in (("previous", -1), ("next", 1)):
            day = stats.period_shifted(data["period"], table.filters.start, steps)
            links[name] = "?" + urlencode({**base, "on": day.isoformat()})
    query = {**base}
    if data["period"] == "custom":
        query.update({"from": data["from"].isoformat(), "to": data["to"].isoformat()})
    elif data.get("on"):
        query["on"] = data["on"].isoformat()
    links["query"] = urlencode(query)
    links["drill"] = urlencode({key: value for key, value in query.items() if key != "region"})
    return links


def trail(user: Any, code: str) -> list[Region]:
    """The chosen region and those above it that the user may also see."""
    codes = [code[:length] for length in (2, 4, 6, 9, 12) if length <= len(code)]
    allowed = [each for each in codes if stats.region_allowed(user, each)]
    return list(Region.objects.filter(code__in=allowed).order_by("code"))


def charts_of(table: stats.Table) -> dict[str, Any]:
    """The rates of the groups that had cases due (the others have none to show), and the
    daily line."""
    shown = [row for row in table.rows if row.counts.due]
    bars = charts.bar_chart(
        _("Closure rate and on-time closure rate"),
        [row.label for row in shown],
        [
            (_("Closure rate"), [row.counts.closure_rate for row in shown]),
            (_("On-time closure rate"), [row.counts.on_time_rate for row in shown]),
        ],
    )
    days = [f"{day:%m-%d}" for day, _r, _c in table.daily]
    line = charts.line_chart(
        _("Reported and closed per day"),
        days,
        [
            (_("Reported cases"), [reported for _d, reported, _c in table.daily]),
            (_("Closed cases"), [closed for _d, _r, closed in table.daily]),
        ],
    )
    return {"bars": bars if shown else None, "line": line}


@access("permission", permission=STATISTICS, scoped=True, note="a region within one's reach")
@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    form = checked_form(request)
    context: dict[str, Any] = {"form": form, "figures": stats.FIGURES, "rates": stats.RATES}
    if form is None or not form.is_valid():
        return render(request, "cases/statistics.html", context, status=400)
    grouping = form.cleaned_data["group"]
    table = stats.table_for(form.filters(), grouping)
    context.update(
        table=table,
        rows=[cells_of(row) for row in table.rows],
        total=cells_of(table.total),
        summary=summary_of(table.total.counts),
        links=page_links(form, table),
        trail=trail(request.user, table.filters.region),
        regions=Region.objects.filter(
            code__in=stats.regions_of(request.user, settings.WANGGE_ROOT_REGION)
        ),
        **charts_of(table),
    )
    return render(request, "cases/statistics.html", context)


@access("permission", permission=STATISTICS, scoped=True, note="the page's table, audited")
@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    form = checked_form(request)
    if form is None or not form.is_valid():
        problems = form.errors.values() if form else []
        text = " ".join(str(error) for errors in problems for error in errors)
        return HttpResponse(text or _("Nothing to export."), status=400, content_type=TEXT)
    table = stats.table_for(form.filters(), form.cleaned_data["group"])
    body = stats_export.xlsx_bytes(table)
    stats_export.statistics_export_record(actor=request.user, table=table, request=request)
    response = HttpResponse(body, content_type=XLSX)
    name = f"case-statistics-{table.filters.region}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
