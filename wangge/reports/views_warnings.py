"""The early-warning pages: the active warnings of one's places, and one warning with its
acknowledgement, closing and follow-up notes. Each checks the permission (403), then the
place (404), then the method."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.core.routes import access
from wangge.reports import warnings
from wangge.reports.models import EarlyWarning, WarningState

PAGE_SIZE = 30
STATES = {"": warnings.ACTIVE_STATES, "all": tuple(WarningState.values)}


@access("permission", permission=warnings.VIEW, note="the warnings of one's places")
@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(warnings.VIEW):
        raise PermissionDenied
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    shown = request.GET.get("state", "")
    if shown not in STATES:
        context = {"state_error": _("Unknown choice of warnings."), "shown": ""}
        return render(request, "reports/warnings.html", context, status=400)
    found = (
        warnings.warnings_visible_to(request.user)
        .filter(state__in=STATES[shown])
        .select_related("rule")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/warnings.html", {"page": page, "shown": shown})


ACTIONS = {
    "acknowledge": lambda actor, warning, post: warnings.warning_acknowledge(
        actor=actor, warning=warning
    ),
    "close": lambda actor, warning, post: warnings.warning_close(actor=actor, warning=warning),
    "note": lambda actor, warning, post: warnings.warning_note_add(
        actor=actor, warning=warning, text=post.get("text", "")
    ),
}
DONE = {
    "acknowledge": gettext_lazy("Warning acknowledged."),
    "close": gettext_lazy("Warning closed."),
    "note": gettext_lazy("Note added."),
}


@access("permission", permission=warnings.VIEW, scoped=True, note="POST: acknowledge, note")
@login_required
def warning_detail(request: HttpRequest, warning_id: int) -> HttpResponse:
    if not request.user.has_perm(warnings.VIEW):
        raise PermissionDenied
    action = warnings.ACKNOWLEDGE if request.method == "POST" else None
    warning = warnings.warning_get_for(request.user, warning_id, action=action, request=request)
    if request.method == "GET":
        return render(request, "reports/warning.html", detail_context(request, warning))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    act = ACTIONS.get(request.POST.get("action", ""))
    try:
        if act is None:
            raise ValidationError(_("Unknown action."))
        act(request.user, warning, request.POST)
    except ValidationError as error:
        context = detail_context(request, warning)
        context.update(error=" ".join(error.messages), text=request.POST.get("text", ""))
        return render(request, "reports/warning.html", context, status=400)
    messages.success(request, str(DONE[request.POST["action"]]))
    return redirect(reverse("reports:warning", args=[warning.pk]))


def detail_context(request: HttpRequest, warning: EarlyWarning) -> dict[str, object]:
    return {
        "warning": warning,
        "notes": warning.notes.select_related("written_by"),
        "can_act": request.user.has_perm(warnings.ACKNOWLEDGE),
        "note_max": warnings.NOTE_MAX,
    }
