"""The legal aid pages: the list (by status, late decisions marked), the receipt form with its
evidence upload, one application with the step open to the viewer now, and the evidence
files (only through `evidence_file`, never from a public media address).

Pages parse input, go through `access`, call `services`, render. A stale step (someone acted
meanwhile) answers 409; a refused one 422, with why; nothing is half-done.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.audit.services import record
from wangge.core.errors import EditConflict
from wangge.core.forms import errors_onto
from wangge.core.masking import mask_identity_number, mask_mobile
from wangge.core.routes import access as route
from wangge.legalaid import access, evidence, forms, selectors, services
from wangge.legalaid.models import Application, Status

PAGE_SIZE = 30
GET_POST = require_http_methods(["GET", "POST"])


def viewer_checked(request: HttpRequest) -> None:
    if not request.user.has_perm(access.VIEW):
        raise PermissionDenied


# --- list and receipt ------------------------------------------------------------------------


@route("permission", permission=access.VIEW, note="applications within one's reach")
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    viewer_checked(request)
    now = timezone.now()
    form = forms.FilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    applications = selectors.applications_listed(request.user, status, now)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    for application in page.object_list:
        late = application.status == Status.RECEIVED and application.decision_due_at < now
        setattr(application, "late", late)  # noqa: B010
    overdue = selectors.applications_listed(request.user, selectors.OVERDUE, now).count()
    return render(
        request,
        "legalaid/list.html",
        {
            "form": form,
            "page": page,
            "now": now,
            "overdue_count": overdue,
            "can_receive": request.user.has_perm(access.HANDLE),
        },
    )


@route("permission", permission=access.HANDLE, note="the window's receipt form")
@login_required
@GET_POST
def application_receive(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(access.HANDLE):
        raise PermissionDenied
    places = selectors.place_choices(request.user)
    form = forms.ReceiveForm(request.POST or None, places=places)
    evidence_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = services.ReceiveInput(**form.cleaned_data)
        try:
            application = services.receive(
                actor=request.user,
                data=data,
                evidence_files=request.FILES.getlist("evidence"),
                request=request,
            )
        except ValidationError as error:
            problems = error.message_dict
            evidence_errors = problems.pop("evidence", [])
            errors_onto(form, ValidationError(problems))
        else:
            messages.success(request, _("Received as %(number)s.") % {"number": application.number})
            return redirect("legalaid:detail", application.pk)
    return render(
        request,
        "legalaid/receive.html",
        {
            "form": form,
            "max_mb": evidence.MAX_BYTES // 2**20,
            "most_files": evidence.MOST_FILES,
            "evidence_errors": evidence_errors,
        },
        status=422 if request.method == "POST" else 200,
    )


# --- one application -------------------------------------------------------------------------


def step_forms(request: HttpRequest, application: Application) -> dict[str, Form | None]:
    """The one form the viewer may use now (decide, assign or close), or none."""
    found: dict[str, Form | None] = {"decide_form": None, "assign_form": None, "close_form": None}
    if not access.may_handle(request.user, application):
        return found
    initial = {"version": application.version}
    if application.status == Status.RECEIVED:
        found["decide_form"] = forms.DecideForm(initial=initial)
    elif application.status == Status.GRANTED:
        found["assign_form"] = forms.AssignForm(initial=initial)
    elif application.status == Status.ASSIGNED:
        found["close_form"] = forms.CloseForm(initial=initial)
    return found


def detail_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    place = selectors.region_names([application.region_code]).get(application.region_code, "")
    return {
        "application": application,
        "evidence": selectors.evidence_of(application),
        "place": place,
        "id_number": mask_identity_number(application.applicant_id_number),
        "phone": mask_mobile(application.applicant_phone),
        "overdue": application.status == Status.RECEIVED and application.decision_due_at < now,
        **step_forms(request, application),
        **extra,
    }


@route("permission", permission=access.VIEW, note="one application in one's reach", scoped=True)
@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    viewer_checked(request)
    application = access.application_get_for(request.user, application_id, request=request)
    return render(request, "legalaid/detail.html", detail_context(request, application))


def step(
    request: HttpRequest, application_id: int, form_class: type[Form], name: str, call: Any
) -> HttpResponse:
    """Check scope before method (out of reach is 404 for all), then the capability, then
    run the service; its refusal goes back onto the detail page with the form."""
    viewer_checked(request)
    application = access.application_get_for(request.user, application_id, request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.may_handle(request.user, application):
        raise PermissionDenied
    form = form_class(request.POST)
    status = 422
    if form.is_valid():
        try:
            updated = call(application, form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            status = 409
        else:
            messages.success(
                request, _("Saved: %(status)s.") % {"status": updated.get_status_display()}
            )
            return redirect("legalaid:detail", application.pk)
    context = detail_context(request, application, **{name: form})
    return render(request, "legalaid/detail.html", context, status=status)


@route("permission", permission=access.VIEW, note="grant or refuse; handlers only", scoped=True)
@login_required
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    def call(application: Application, data: dict[str, Any]) -> Application:
        return services.decide(
            actor=request.user,
            application=application,
            grant=data["grant"] == "yes",
            reason=data["reason"],
            version=data["version"],
            request=request,
        )

    return step(request, application_id, forms.DecideForm, "decide_form", call)


@route("permission", permission=access.VIEW, note="name the provider; handlers only", scoped=True)
@login_required
def application_assign(request: HttpRequest, application_id: int) -> HttpResponse:
    def call(application: Application, data: dict[str, Any]) -> Application:
        return services.assign(
            actor=request.user,
            application=application,
            provider=data["provider"],
            version=data["version"],
            request=request,
        )

    return step(request, application_id, forms.AssignForm, "assign_form", call)


@route("permission", permission=access.VIEW, note="record the outcome; handlers only", scoped=True)
@login_required
def application_close(request: HttpRequest, application_id: int) -> HttpResponse:
    def call(application: Application, data: dict[str, Any]) -> Application:
        return services.close(
            actor=request.user,
            application=application,
            outcome=data["outcome"],
            version=data["version"],
            request=request,
        )

    return step(request, application_id, forms.CloseForm, "close_form", call)


@route("permission", permission=access.VIEW, note="an evidence file, in one's reach", scoped=True)
@login_required
def evidence_file(request: HttpRequest, application_id: int, evidence_id: int) -> FileResponse:
    """Hardship evidence is personal data: each reading is in the audit log."""
    viewer_checked(request)
    application = access.application_get_for(request.user, application_id, request=request)
    document = application.evidence.filter(pk=evidence_id).first()
    if document is None:
        raise Http404
    record(
        actor=request.user,
        action="legalaid.evidence_read",
        target=application,
        details={"number": application.number, "evidence": document.pk},
        request=request,
        region_code=application.region_code,
    )
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, filename=document.name
    )
    response["Cache-Control"] = "private, no-store"
    return response
