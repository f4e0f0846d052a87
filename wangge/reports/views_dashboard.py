"""The leaders' dashboard: one page of figures for the places of one's posts, each linking
to the list behind it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from wangge.core.routes import access
from wangge.reports import dashboard, warnings


@access(
    "permission",
    permission="reports.view_report_rollup",
    note="or cases.view_case_statistics; figures of one's own places only",
)
@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    if not dashboard.may_view(request.user):
        raise PermissionDenied
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    context = {
        "board": dashboard.dashboard_of(request.user),
        "can_list": request.user.has_perm("cases.view_case"),
        "can_supervise": request.user.has_perm("cases.supervise_case"),
        "can_see_figures": request.user.has_perm("cases.view_case_statistics"),
        "can_warn": request.user.has_perm(warnings.VIEW),
    }
    return render(request, "reports/dashboard.html", context)
