from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from wangge.audit import exports, selectors, services
from wangge.audit.access import EXPORT, VIEW, entries_exportable_by, entries_visible_to
from wangge.audit.forms import EntryFilterForm
from wangge.core.routes import access

PAGE_SIZE = 50


@access("permission", permission=VIEW)
@login_required
def log(request: HttpRequest) -> HttpResponse:
    """The audit log, newest first, filtered by the query string; a bad filter shows why."""
    entries = entries_visible_to(request.user)
    form = EntryFilterForm(request.GET)
    page = None
    if form.is_valid():
        matching = selectors.entries_filtered(entries, form.criteria())
        page = Paginator(matching, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "can_export": request.user.has_perm(EXPORT)},
        status=200 if page is not None else 400,
    )


@access("permission", permission=EXPORT)
@login_required
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered rows as CSV; the export itself goes into the log first."""
    entries = entries_exportable_by(request.user)
    form = EntryFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request, "audit/log.html", {"form": form, "page": None, "can_export": True}, status=400
        )
    rows = services.entries_export(
        actor=request.user, entries=entries, criteria=form.criteria(), request=request
    )
    response = StreamingHttpResponse(
        exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
