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
        {
            "form": form,
            "page": page,
            "can_export": request.user.has_perm(EXPORT),
            "archive": selectors.archive_latest(),
        },
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


# Error pages. Refusals are recorded; a 404 is not (mistyped addresses would drown the log),
# except a record outside the user's scope, which core.scope.get_for records itself.


@access("public", note="the CSRF failure page (settings.CSRF_FAILURE_VIEW)")
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    services.refusal_record(
        actor=getattr(request, "user", None),
        request=request,
        action=services.CSRF_FAILED,
        details={"reason": reason},
    )
    return render(request, "audit/403_csrf.html", status=403)


@access("public", note="handler403")
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    services.refusal_record(
        actor=getattr(request, "user", None), request=request, action=services.ACCESS_DENIED
    )
    return render(request, "audit/403.html", status=403)


@access("public", note="handler404")
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "audit/404.html", status=404)
