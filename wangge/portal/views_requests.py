"""Pages of a resident's request: raise it (after proving a mobile), follow it by tracking code
and mobile (or the signed link texted to them), and answer once it is closed.

A request's pages show it only to a browser that matched its code and mobile in this
session, followed its signed link, or proved the mobile that raised it; anyone else gets 404."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.core.routes import access as route
from wangge.portal import selectors_requests as selectors
from wangge.portal import services_requests as services
from wangge.portal.forms_requests import RaiseForm, RateForm, TrackForm
from wangge.portal.models import PortalRequest
from wangge.portal.session import client_ip, resident_phone, resident_required, verify_url
from wangge.portal.topics import topic_get

TRACKED_KEY = "wangge_tracked"
RAISED_KEY = "wangge_raised"


def _errors_of(error: ValidationError) -> dict[str, str]:
    names = {"category": "topic", "reporter": "name", "__all__": "form"}
    errors: dict[str, str] = {}
    for key, messages in error.message_dict.items():
        errors.setdefault(names.get(key, key), messages[0])
    return errors


def _tracked_add(request: HttpRequest, code: str) -> None:
    codes = [c for c in request.session.get(TRACKED_KEY, []) if c != code][-19:]
    request.session[TRACKED_KEY] = [*codes, code]


def _visible(request: HttpRequest, tracking_code: str) -> PortalRequest:
    """The request, if this browser may see it; else 404."""
    portal_request = selectors.request_by_code(services.tracking_code_clean(tracking_code))
    if portal_request is None:
        raise Http404
    tracked = portal_request.tracking_code in request.session.get(TRACKED_KEY, [])
    if not tracked and resident_phone(request) != portal_request.phone:
        raise Http404
    return portal_request


# --- raising --------------------------------------------------------------------------------


def _raise_context(
    form: RaiseForm, errors: dict[str, str] | None = None, **more: Any
) -> dict[str, Any]:
    shown = {"lon": "location", "lat": "location", "__all__": "form", "village": "location"}
    merged: dict[str, str] = {}
    if form.is_bound:
        for key, messages in form.errors.items():
            merged.setdefault(shown.get(key, key), str(messages[0]))
    merged.update(errors or {})
    return {
        "form": form,
        "villages": selectors.villages_by_township(),
        "chosen_village": form.data.get("village", "") if form.is_bound else "",
        "errors": merged,
        "portal_root": settings.WANGGE_ROOT_REGION,
        **more,
    }


def _similar(form: RaiseForm) -> list[selectors.Similar] | None:
    data = form.cleaned_data
    topic = topic_get(data.get("topic", ""))
    if topic is None or topic.emergency or data.get("lon") is None or data.get("lat") is None:
        return None
    return selectors.similar_requests(topic, data["lon"], data["lat"])


@route("resident", note="raise a request, after proving a mobile number")
@resident_required
def raise_request(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "portal/raise.html", _raise_context(RaiseForm()))
    form = RaiseForm(request.POST)
    topic = topic_get(request.POST.get("topic", ""))
    if topic is not None and topic.emergency:
        return render(request, "portal/raise_emergency.html", {"topic": topic})
    if not form.is_valid():
        return render(request, "portal/raise.html", _raise_context(form), status=400)
    if request.POST.get("step") == "check":
        return render(request, "portal/raise.html", _raise_context(form, similar=_similar(form)))
    data = form.cleaned_data
    given = services.RequestInput(
        topic=data["topic"],
        description=data["description"],
        lon=data.get("lon"),
        lat=data.get("lat"),
        village_code=data.get("village", ""),
        address=data.get("address", ""),
        name=data.get("name", ""),
    )
    try:
        portal_request = services.request_raise(
            phone=request.resident_phone,  # type: ignore[attr-defined]
            data=given,
            uploads=request.FILES.getlist("photos"),
            ip=client_ip(request),
            link_base=request.build_absolute_uri("/"),
        )
    except services.EmergencyTopic as emergency:
        return render(request, "portal/raise_emergency.html", {"topic": emergency.topic})
    except ValidationError as error:
        context = _raise_context(form, errors=_errors_of(error), similar=_similar(form))
        return render(request, "portal/raise.html", context, status=400)
    _tracked_add(request, portal_request.tracking_code)
    request.session[RAISED_KEY] = portal_request.tracking_code
    return redirect("portal:raised")


@route("resident", note="the tracking code of the request just raised in this browser")
@resident_required
def raised(request: HttpRequest) -> HttpResponse:
    code = request.session.get(RAISED_KEY, "")
    portal_request = selectors.request_by_code(code) if code else None
    if portal_request is None or portal_request.phone != request.resident_phone:  # type: ignore[attr-defined]
        return redirect("portal:raise")
    context = {
        "portal_request": portal_request,
        "expected_by": selectors.expected_by(portal_request.case),
    }
    return render(request, "portal/raise_done.html", context)


# --- following ------------------------------------------------------------------------------


@route("public", note="look a request up by its tracking code and mobile number")
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "not_found": False, "errors": {}}
    if request.method == "POST" and form.is_valid():
        try:
            found = services.request_find(
                code=form.cleaned_data["code"],
                phone=form.cleaned_data["phone"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            context["errors"] = _errors_of(error)
            return render(request, "portal/track.html", context, status=429)
        if found is not None:
            _tracked_add(request, found.tracking_code)
            return redirect("portal:request", tracking_code=found.tracking_code)
        context["not_found"] = True
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/track.html", context, status=status)


@route("public", note="the signed link texted to the resident: lets this browser see it")
def track_link(request: HttpRequest, token: str) -> HttpResponse:
    code = services.track_link_code(token)
    if code is None or selectors.request_by_code(code) is None:
        raise Http404
    _tracked_add(request, code)
    return redirect("portal:request", tracking_code=code)


@route("public", scoped=True, note="one request, to the browser that may follow it")
def request_detail(request: HttpRequest, tracking_code: str) -> HttpResponse:
    portal_request = _visible(request, tracking_code)
    return render(request, "portal/request.html", _detail_context(request, portal_request))


def _detail_context(
    request: HttpRequest, portal_request: PortalRequest, form: RateForm | None = None
) -> dict[str, Any]:
    context = selectors.request_page(portal_request)
    phone = resident_phone(request)
    context["rate_form"] = form or RateForm()
    context["may_rate"] = phone == portal_request.phone
    context["verify_url"] = verify_url(request.path)
    context["reopened_once"] = services.resident_reopened(portal_request.case)
    return context


@route("public", scoped=True, note="a photo the resident sent with their request")
def request_photo(request: HttpRequest, tracking_code: str, photo_id: int) -> FileResponse:
    portal_request = _visible(request, tracking_code)
    photo = next(
        (p for p in selectors.resident_photos(portal_request.case) if p.pk == photo_id), None
    )
    if photo is None:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@route("public", scoped=True, note="POST: rate a closed request, or say it is not fixed")
@require_http_methods(["GET", "POST"])
def request_rate(request: HttpRequest, tracking_code: str) -> HttpResponse:
    portal_request = _visible(request, tracking_code)
    detail = redirect("portal:request", tracking_code=portal_request.tracking_code)
    if request.method != "POST":
        return detail
    phone = resident_phone(request)
    if phone is None:
        return redirect(verify_url(detail.url))
    if phone != portal_request.phone:
        raise Http404
    form = RateForm(request.POST)
    errors: dict[str, str] = {}
    if form.is_valid():
        try:
            services.request_rate(
                portal_request=portal_request,
                phone=phone,
                rating=form.cleaned_data["rating"],
                fixed=form.cleaned_data["fixed"],
                reason=form.cleaned_data["reason"],
            )
            return detail
        except ValidationError as error:
            errors = _errors_of(error)
    else:
        errors = {key: str(value[0]) for key, value in form.errors.items()}
    context = _detail_context(request, portal_request, form)
    context["rate_errors"] = errors
    context["rate_message"] = errors.get("form", "") or _("Check the answers below.")
    return render(request, "portal/request.html", context, status=400)
