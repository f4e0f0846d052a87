from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from wangge.core.routes import access


@access("signed_in")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Work first: whoever handles cases sees their queues with counts; others get the map."""
    if not request.user.has_perm("cases.view_case"):
        return redirect("regions:map")
    from wangge.cases import selectors  # web sits on top of cases

    return render(
        request,
        "web/home.html",
        {
            "queues": selectors.queue_counts(request.user, timezone.now()),
            "can_report": request.user.has_perm("cases.report_case"),
            "can_intake": request.user.has_perm("cases.dispatch_case"),
            "can_statistics": request.user.has_perm("cases.view_case_statistics"),
        },
    )
