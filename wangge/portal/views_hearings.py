"""Hearings, consultations and expert reviews: the public list and pages, a resident's
registration and written comment (with a proved mobile), the staff's pages to announce and
conclude them, and the moderation of comments, each within the staff member's region scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.masking import mask_mobile, mask_name
from wangge.core.routes import access as route
from wangge.core.scope import get_for, user_scope, visible_to
from wangge.portal import selectors_hearings as selectors
from wangge.portal import services_hearings as hearings
from wangge.portal.forms_hearings import (
    CommentForm,
    HearingForm,
    HearingResultsForm,
    ModerateForm,
    RegisterForm,
)
from wangge.portal.models import Hearing, HearingComment, HearingDocument, Moderation
from wangge.portal.session import client_ip, resident_phone, resident_required
from wangge.portal.views_notices import (
    document_response,
    error_dict,
    region_names,
    regions_for,
    rows,
)

PUBLISH = "portal.publish_portal"
MODERATE = "portal.moderate_portal"


@route("public", note="hearings and consultations: open and upcoming first, then concluded")
def hearing_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_hearings(), 20).get_page(request.GET.get("page"))
    now = timezone.now()
    items = [
        {
            "hearing": item,
            "registration_open": hearings.registration_open(item, now),
            "comments_open": hearings.comments_open(item, now),
        }
        for item in page
    ]
    return render(
        request,
        "portal/hearing_list.html",
        {"page": page, "items": items, "names": region_names({h.region_code for h in page})},
    )


def hearing_context(request: HttpRequest, hearing: Hearing) -> dict[str, object]:
    now = timezone.now()
    phone = resident_phone(request)
    registered = bool(phone) and hearing.registrations.filter(phone=phone).exists()
    return {
        "hearing": hearing,
        "region_name": region_names({hearing.region_code}).get(hearing.region_code, ""),
        "documents": hearing.documents.all(),
        "seats_left": selectors.seats_left(hearing),
        "registration_open": hearings.registration_open(hearing, now),
        "comments_open": hearings.comments_open(hearing, now),
        "comments": selectors.published_comments(hearing),
        "registered": registered,
        "register_form": RegisterForm(),
        "comment_form": CommentForm(),
        "errors": {},
    }


@route("public", note="one hearing: announcement, seats left, published comments, outcome")
def hearing_detail(request: HttpRequest, hearing_id: int) -> HttpResponse:
    hearing = get_object_or_404(Hearing, pk=hearing_id)
    return render(request, "portal/hearing_detail.html", hearing_context(request, hearing))


@route("public", note="a document of a hearing")
def hearing_document(request: HttpRequest, hearing_id: int, document_id: int) -> FileResponse:
    hearing = get_object_or_404(Hearing, pk=hearing_id)
    document = HearingDocument.objects.filter(hearing=hearing, pk=document_id).first()
    if document is None:
        raise Http404
    return document_response(document)


@route("resident", note="register for a seat with the proved mobile (one per mobile)")
@resident_required
def hearing_register(request: HttpRequest, hearing_id: int) -> HttpResponse:
    if request.method != "POST":  # the form is on the hearing's page
        return redirect(reverse("portal:hearing", args=[hearing_id]) + "#register")
    hearing = get_object_or_404(Hearing, pk=hearing_id)
    phone: str = request.resident_phone  # type: ignore[attr-defined]
    form = RegisterForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"name": _("Give your name (at most 64 characters).")})
        hearings.register(hearing.pk, phone, form.cleaned_data["name"])
    except ValidationError as error:
        context = hearing_context(request, hearing)
        context["register_form"] = form
        context["errors"] = error_dict(error)
        return render(request, "portal/hearing_detail.html", context, status=400)
    messages.success(request, _("You are registered; a confirmation was sent by text message."))
    return redirect(reverse("portal:hearing", args=[hearing.pk]) + "#register")


@route("resident", note="write a comment while comments are open; public after moderation")
@resident_required
def hearing_comment(request: HttpRequest, hearing_id: int) -> HttpResponse:
    if request.method != "POST":  # the form is on the hearing's page
        return redirect(reverse("portal:hearing", args=[hearing_id]) + "#comment")
    hearing = get_object_or_404(Hearing, pk=hearing_id)
    phone: str = request.resident_phone  # type: ignore[attr-defined]
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            problems = {key: [str(item) for item in value] for key, value in form.errors.items()}
            raise ValidationError(problems)
        hearings.comment(
            hearing,
            phone,
            form.cleaned_data["body"],
            signed_as=form.cleaned_data["signed_as"],
            ip=client_ip(request),
        )
    except ValidationError as error:
        context = hearing_context(request, hearing)
        context["comment_form"] = form
        context["errors"] = error_dict(error)
        return render(request, "portal/hearing_detail.html", context, status=400)
    messages.success(request, _("Your comment was received; it will appear here after review."))
    return redirect(reverse("portal:hearing", args=[hearing.pk]) + "#comment")


@route("permission", permission=PUBLISH, note="the hearings of one's region scope")
@login_required
@permission_required(PUBLISH, raise_exception=True)
def hearing_manage(request: HttpRequest) -> HttpResponse:
    found = visible_to(request.user, Hearing.objects.all()).order_by("-created_at")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    names = region_names({h.region_code for h in page})
    for hearing in page:
        hearing.region_name = names.get(hearing.region_code, hearing.region_code)  # type: ignore[attr-defined]
    return render(request, "portal/manage_hearings.html", {"page": page})


@route("permission", permission=PUBLISH, note="announce a hearing for a region within scope")
@login_required
@permission_required(PUBLISH, raise_exception=True)
def hearing_new(request: HttpRequest) -> HttpResponse:
    form = HearingForm(request.POST or None)
    form.set_regions(regions_for(request.user))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        code = request.POST.get("region_code", "")
        if code and not user_scope(request.user).covers(code):
            errors["region_code"] = [_("You may not publish for this region.")]
        elif form.is_valid():
            data = form.cleaned_data
            try:
                hearing = hearings.create(
                    request.user,
                    hearings.HearingInput(
                        region_code=data["region_code"],
                        kind=data["kind"],
                        title=data["title"],
                        agenda=data["agenda"],
                        organiser=data["organiser"],
                        place=data["place"],
                        held_at=data["held_at"],
                        seats=data["seats"] or 0,
                        registration_closes_at=data["registration_closes_at"],
                        comments_open_at=data["comments_open_at"],
                        comments_close_at=data["comments_close_at"],
                    ),
                    request.FILES.getlist("documents"),
                    request=request,
                )
            except ValidationError as error:
                errors = error_dict(error)
            else:
                messages.success(request, _("The hearing is announced."))
                return redirect("portal:hearing_edit", hearing.pk)
        for name, items in form.errors.items():
            errors.setdefault(name, []).extend(str(item) for item in items)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/manage_hearing_new.html",
        {"form": form, "errors": errors, "rows": rows(form, errors)},
        status=status,
    )


@route("permission", permission=PUBLISH, scoped=True, note="registrations, minutes, outcome")
@login_required
@permission_required(PUBLISH, raise_exception=True)
def hearing_edit(request: HttpRequest, hearing_id: int) -> HttpResponse:
    hearing = get_for(request.user, Hearing.objects.all(), hearing_id, request=request)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        form = HearingResultsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                hearings.record_results(
                    request.user,
                    hearing,
                    version=data["version"],
                    minutes=data["minutes"],
                    expert_review=data["expert_review"],
                    outcome=data["outcome"],
                    reasons=data["reasons"],
                    conclude="conclude" in request.POST,
                    request=request,
                )
            except hearings.Conflict:
                errors["form"] = [
                    _(
                        "Someone else saved this hearing since you opened it (or it is "
                        "concluded). Your text is below; reload to see theirs, then save again."
                    )
                ]
                status = 409
            except ValidationError as error:
                errors = error_dict(error)
                status = 400
            else:
                messages.success(request, _("Saved."))
                return redirect("portal:hearing_edit", hearing.pk)
        else:
            errors = {key: [str(item) for item in value] for key, value in form.errors.items()}
            status = 400
    else:
        form = HearingResultsForm(
            initial={
                "version": hearing.version,
                "minutes": hearing.minutes,
                "expert_review": hearing.expert_review,
                "outcome": hearing.outcome,
                "reasons": hearing.reasons,
            }
        )
    registrations = [
        {
            "name": mask_name(item.name),
            "phone": mask_mobile(item.phone),
            "at": item.created_at,
            "cancelled": item.cancelled_at,
        }
        for item in hearing.registrations.all()
    ]
    return render(
        request,
        "portal/manage_hearing_edit.html",
        {
            "hearing": hearing,
            "form": form,
            "errors": errors,
            "rows": rows(form, errors),
            "registrations": registrations,
            "seats_left": selectors.seats_left(hearing),
            "pending": hearing.comments.filter(moderation=Moderation.PENDING).count(),
        },
        status=status,
    )


@route("permission", permission=MODERATE, note="comments waiting for moderation in one's scope")
@login_required
@permission_required(MODERATE, raise_exception=True)
def comment_moderation(request: HttpRequest) -> HttpResponse:
    pending = visible_to(
        request.user,
        HearingComment.objects.filter(moderation=Moderation.PENDING).select_related("hearing"),
        field="hearing__region_code",
    ).order_by("created_at")
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "portal/comment_moderation.html", {"page": page})


@route("permission", permission=MODERATE, scoped=True, note="publish or withhold one comment")
@login_required
@permission_required(MODERATE, raise_exception=True)
def moderate_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    item = get_for(
        request.user,
        HearingComment.objects.select_related("hearing"),
        comment_id,
        field="hearing__region_code",
        request=request,
    )
    form = ModerateForm(request.POST or None)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("publish", "withhold") or not form.is_valid():
            errors["note"] = [_("Choose publish or withhold; the note is at most 200 characters.")]
            status = 400
        else:
            try:
                hearings.moderate(
                    request.user,
                    item.pk,
                    publish=action == "publish",
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ValidationError as error:
                errors = error_dict(error)
                status = 400
            else:
                messages.success(
                    request,
                    _("The comment is published.")
                    if action == "publish"
                    else _("The comment is not published."),
                )
                return redirect("portal:comment_moderation")
    return render(
        request,
        "portal/comment_moderate.html",
        {
            "item": item,
            "form": form,
            "errors": errors,
            "personal_data": hearings.personal_data_in(item.body + " " + item.signed_as),
            "phone": mask_mobile(item.phone),
        },
        status=status,
    )
