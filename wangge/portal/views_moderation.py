"""Staff pages: the queue of residents' requests waiting for moderation, and the decision on
one (publish with a checked text, or withhold with a note)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wangge.core.masking import mask_mobile
from wangge.core.routes import access as route
from wangge.core.scope import get_for, visible_to
from wangge.portal import services_moderation as moderation
from wangge.portal.forms_public import ModerateRequestForm
from wangge.portal.models import Moderation, PortalRequest
from wangge.portal.selectors_public import place_names

MODERATE = "portal.moderate_portal"


@route("permission", permission=MODERATE, note="residents' requests waiting for moderation")
@login_required
@permission_required(MODERATE, raise_exception=True)
def moderation_queue(request: HttpRequest) -> HttpResponse:
    pending = visible_to(
        request.user,
        PortalRequest.objects.filter(moderation=Moderation.PENDING).select_related(
            "case__category"
        ),
        field="case__region_code",
    ).order_by("created_at", "pk")
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    places = place_names({item.case.region_code for item in page})
    rows = [
        {
            "item": item,
            "place": places.get(item.case.region_code, ""),
            "phone": mask_mobile(item.phone),
            "photos": item.case.attachments.filter(stage="report").count(),
        }
        for item in page
    ]
    return render(request, "portal/moderation_queue.html", {"page": page, "rows": rows})


MALFORMED = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def parse_seen(value: str) -> datetime.datetime | None:
    """The `moderated_at` the form was shown with; MALFORMED when it cannot be one."""
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return MALFORMED


@route("permission", permission=MODERATE, scoped=True, note="publish or withhold one request")
@login_required
@permission_required(MODERATE, raise_exception=True)
def moderate_request(request: HttpRequest, request_id: int) -> HttpResponse:
    item = get_for(
        request.user,
        PortalRequest.objects.select_related("case__category"),
        request_id,
        field="case__region_code",
        request=request,
    )
    case = item.case
    initial = {
        "public_text": item.public_text or moderation.suggested_text(case.description),
        "photos_public": item.photos_public,
        "seen_at": item.moderated_at.isoformat() if item.moderated_at else "",
    }
    form = ModerateRequestForm(request.POST or None, initial=initial)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        seen = parse_seen(request.POST.get("seen_at", ""))
        if action not in ("publish", "withhold") or not form.is_valid() or seen is MALFORMED:
            errors["note"] = [
                _("Choose publish or withhold; the text is at most 4000 characters, the note 200.")
            ]
            status = 400
        else:
            try:
                moderation.moderate(
                    request.user,
                    item.pk,
                    publish=action == "publish",
                    seen_at=seen,
                    public_text=form.cleaned_data["public_text"],
                    photos_public=form.cleaned_data["photos_public"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except moderation.Conflict:
                item.refresh_from_db()
                errors["note"] = [
                    _(
                        "Another moderator decided on this request meanwhile (now: %(state)s). "
                        "Nothing was changed; look again."
                    )
                    % {"state": item.get_moderation_display()}
                ]
                status = 409
            except ValidationError as error:
                errors = {key: list(value) for key, value in error.message_dict.items()}
                status = 400
            else:
                messages.success(
                    request,
                    _("The request is published.")
                    if action == "publish"
                    else _("The request is not published."),
                )
                return redirect("portal:moderation")
    return render(
        request,
        "portal/moderation_request.html",
        {
            "item": item,
            "case": case,
            "form": form,
            "errors": errors,
            "phone": mask_mobile(item.phone),
            "place": place_names({case.region_code}).get(case.region_code, ""),
            "photos": list(case.attachments.filter(stage="report")),
            "may_publish": case.category.public,
            "seen_at": initial["seen_at"],
        },
        status=status,
    )
