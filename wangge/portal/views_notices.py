"""Public notices (公示): the public list and pages, and the staff's pages to publish and
withdraw them within their region scope. Listed people are always shown masked."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.routes import access as route
from wangge.core.scope import get_for, prefix_q, user_scope, visible_to
from wangge.portal import services_notices as notices
from wangge.portal.forms_hearings import NoticeForm, NoticeSearchForm, WithdrawForm
from wangge.portal.models import Notice, NoticeDocument
from wangge.regions.models import Level, Region

PUBLISH = "portal.publish_portal"
PAGE_SIZE = 20


def townships() -> list[tuple[str, str]]:
    return list(
        Region.objects.filter(level=Level.TOWNSHIP).order_by("code").values_list("code", "name")
    )


def regions_for(user: Any) -> list[tuple[str, str]]:
    """Townships and villages the user may publish for."""
    found = visible_to(
        user,
        Region.objects.filter(level__in=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]),
        field="code",
    ).order_by("code")
    return [(code, f"{name} ({code})") for code, name in found.values_list("code", "name")[:2000]]


def region_names(codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def rows(form: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each visible field with its messages (the form's and the service's)."""
    return [
        {"field": bound, "errors": errors.get(bound.name, [])}
        for bound in form
        if not bound.is_hidden
    ]


def error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("form" if key == "__all__" else key): list(value)
            for key, value in error.message_dict.items()
        }
    return {"form": list(error.messages)}


@route("public", note="public notices: current first, then ended; search and filters")
def notice_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = NoticeSearchForm(request.GET or None)
    township = form.fields["township"]
    assert isinstance(township, forms.ChoiceField)
    township.choices = [("", _("all townships")), *townships()]
    found = notices.public(today)
    if form.is_valid():
        words = form.cleaned_data["q"].strip()
        if words:
            found = found.filter(Q(title__icontains=words) | Q(body__icontains=words))
        if form.cleaned_data["kind"]:
            found = found.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["township"]:
            found = found.filter(prefix_q("region_code", form.cleaned_data["township"]))
    found = found.annotate(
        ended=Case(
            When(ends_on__gte=today, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("ended", "-starts_on", "-id")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    names = region_names({notice.region_code for notice in page})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/notice_list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "names": names,
            "query": query.urlencode(),
        },
    )


def public_notice(notice_id: int) -> Notice:
    return get_object_or_404(notices.public(), pk=notice_id)


@route("public", note="one public notice; 404 when withdrawn or not yet shown")
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = public_notice(notice_id)
    return render(
        request,
        "portal/notice_detail.html",
        {
            "notice": notice,
            "region_name": region_names({notice.region_code}).get(notice.region_code, ""),
            "entries": notices.masked_entries(notice),
            "documents": notice.documents.all(),
            "shown_now": notice.ends_on >= timezone.localdate(),
        },
    )


def document_response(document: Any) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, filename=document.name
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@route("public", note="a document of a public notice; same 404 rules as the notice")
def notice_document(request: HttpRequest, notice_id: int, document_id: int) -> FileResponse:
    notice = public_notice(notice_id)
    document = NoticeDocument.objects.filter(notice=notice, pk=document_id).first()
    if document is None:
        raise Http404
    return document_response(document)


@route("permission", permission=PUBLISH, note="the notices of one's region scope")
@login_required
@permission_required(PUBLISH, raise_exception=True)
def notice_manage(request: HttpRequest) -> HttpResponse:
    found = visible_to(request.user, Notice.objects.all()).order_by("-starts_on", "-id")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    names = region_names({n.region_code for n in page})
    for notice in page:
        notice.region_name = names.get(notice.region_code, notice.region_code)  # type: ignore[attr-defined]
    return render(
        request, "portal/manage_notices.html", {"page": page, "today": timezone.localdate()}
    )


@route("permission", permission=PUBLISH, note="publish a notice for a region within scope")
@login_required
@permission_required(PUBLISH, raise_exception=True)
def notice_new(request: HttpRequest) -> HttpResponse:
    regions = regions_for(request.user)
    form = NoticeForm(request.POST or None)
    form.set_regions(regions)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        # A region outside scope is not in the choices: the form refuses it as well.
        code = request.POST.get("region_code", "")
        if code and not user_scope(request.user).covers(code):
            errors["region_code"] = [_("You may not publish for this region.")]
        elif form.is_valid():
            data = form.cleaned_data
            try:
                notices.create(
                    request.user,
                    notices.NoticeInput(
                        region_code=data["region_code"],
                        kind=data["kind"],
                        title=data["title"],
                        body=data["body"],
                        issuer=data["issuer"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        objections_to=data["objections_to"],
                        entries=data["entries"],
                    ),
                    request.FILES.getlist("documents"),
                    request=request,
                )
            except ValidationError as error:
                errors = error_dict(error)
            else:
                messages.success(request, _("The notice is published."))
                return redirect("portal:notice_manage")
    for name, items in form.errors.items():
        errors.setdefault(name, []).extend(str(item) for item in items)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/manage_notice_new.html",
        {"form": form, "errors": errors, "rows": rows(form, errors)},
        status=status,
    )


@route("permission", permission=PUBLISH, scoped=True, note="POST only: withdraw with a reason")
@login_required
@permission_required(PUBLISH, raise_exception=True)
def notice_withdraw(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_for(request.user, Notice.objects.all(), notice_id, request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                {"reason": _("Say why the notice is withdrawn (at most 200 characters).")}
            )
        notices.withdraw(request.user, notice, form.cleaned_data["reason"], request=request)
    except ValidationError as error:
        for items in error_dict(error).values():
            for item in items:
                messages.error(request, item)
        return redirect("portal:notice_manage")
    messages.success(request, _("The notice is withdrawn."))
    return redirect("portal:notice_manage")
