"""The petition pages: the list, registration (petitions office), one petition with its
statutory clock and the actions open to the viewer, the printable letters, and the
timeliness statistics.

Pages parse input, go through `access`, call `services` or `selectors`, render. A stale
action answers 409 with what changed; a refused one says why; nothing is half-done.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.models import Department
from wangge.cases import calendar
from wangge.cases.models import Case
from wangge.cases.services import CaseConflict
from wangge.cases.workflow import STATUS_LABELS, Action, WorkflowError
from wangge.core.forms import errors_onto
from wangge.core.masking import mask_identity_number, mask_mobile
from wangge.core.routes import access as route
from wangge.core.scope import out_of_scope_record
from wangge.petitions import access, forms, selectors, services
from wangge.petitions.models import Decision, Petition, Stage

VIEW = services.VIEW
PAGE_SIZE = 30
LETTERS = ("acceptance", "extension", "opinion")


def _may_open(request: HttpRequest) -> None:
    if not access.may_open(request.user):
        raise PermissionDenied


def _petition(request: HttpRequest, case_id: int) -> Petition:
    try:
        return access.petition_get_for(request.user, case_id)
    except Http404:
        out_of_scope_record(request.user, Case.objects.all(), case_id, request)
        raise


@route("permission", permission=VIEW, note="petitions in one's reach, or of one's unit's tasks")
@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    _may_open(request)
    now = timezone.now()
    form = forms.FilterForm(request.GET or None)
    petitions = access.petitions_visible_to(request.user)
    if form.is_bound and not form.is_valid():
        petitions = petitions.none()
    chosen = selectors.listed(petitions, form.cleaned_data if form.is_bound else {}, now)
    page = Paginator(chosen, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/list.html",
        {
            "form": form,
            "page": page,
            "now": now,
            "can_register": request.user.has_perm(services.ROUTE),
            "can_count": request.user.has_perm(VIEW),
        },
    )


@route("permission", permission=services.ROUTE, note="the petitions office registers")
@login_required
@require_http_methods(["GET", "POST"])
def petition_register(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(services.ROUTE):
        raise PermissionDenied
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.register_petition(request.user, form.petition_input(request.POST))
        except ValidationError as error:
            errors_onto(form, error)
        except WorkflowError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Registered as %(number)s.") % {"number": petition.case.number}
            )
            return redirect("petitions:detail", petition.pk)
    rows = [
        {
            "number": row,
            **{
                name: request.POST.get(f"rep_{name}_{row}", "")
                for name in ("name", "id_number", "phone")
            },
        }
        for row in range(1, forms.REPRESENTATIVE_ROWS + 1)
    ]
    return render(
        request,
        "petitions/register.html",
        {"form": form, "rows": rows},
        status=422 if request.method == "POST" else 200,
    )


def detail_context(request: HttpRequest, petition: Petition, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    case = petition.case
    tasks = list(case.tasks.select_related("department", "handler").order_by("id"))
    actions = access.actions_for(request.user, petition, now)
    lead = next((task for task in reversed(tasks) if task.lead), None)
    return {
        "petition": petition,
        "case": case,
        "tasks": tasks,
        "lead": lead,
        "events": list(case.events.order_by("at", "id")),
        "clocks": selectors.clocks(petition, tasks),
        "actions": actions,
        "status_label": STATUS_LABELS.get(case.status, case.status),
        "provisional": case.due_at is not None and calendar.provisional(case.due_at),
        "id_number": mask_identity_number(petition.petitioner_id_number),
        "phone": mask_mobile(petition.petitioner_phone),
        "representatives": [
            (person.name, mask_identity_number(person.id_number), mask_mobile(person.phone))
            for person in petition.representatives.all()
        ],
        "departments": list(Department.objects.order_by("region_id", "code"))
        if "route" in actions
        else [],
        "decisions": Decision.choices,
        "next_stage": Petition.objects.filter(previous=petition).select_related("case").first(),
        "review_refusal": services.review_refusal(petition, now)
        if case.status == "closed"
        else None,
        **extra,
    }


@route("permission", permission=VIEW, note="one petition in one's reach", scoped=True)
@login_required
def petition_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    _may_open(request)
    petition = _petition(request, case_id)
    return render(request, "petitions/detail.html", detail_context(request, petition))


def _version(post: Any) -> int:
    try:
        return int(post.get("version", ""))
    except ValueError:
        raise ValidationError(_("The page is out of date; reload it.")) from None


def _days(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _perform(request: HttpRequest, petition: Petition) -> Petition:
    """Calls the service of the posted action; returns the petition to show next."""
    post, user, case = request.POST, request.user, petition.case
    action = post.get("action", "")
    if action == "request_review":
        return services.request_review(user, petition, post.get("reason", ""))
    version = _version(post)
    text = post.get("reason", "")
    if action == "route":
        services.route(user, case, _days(post.get("lead_department", "")) or 0, version=version)
    elif action == "accept":
        services.accept(user, case, text, version=version, procedure=post.get("procedure", ""))
    elif action == "object":
        services.object_to(user, case, text, version=version)
    elif action == "request_extension":
        days = _days(post.get("extension_days", ""))
        services.request_extension(user, case, days, text, version=version)
    elif action == "approve_extension":
        services.approve_extension(user, case, version=version)
    elif action == "refuse_extension":
        services.refuse_extension(user, case, text, version=version)
    elif action == "issue_opinion":
        services.issue_opinion(
            user,
            case,
            post.get("decision", ""),
            post.get("facts", ""),
            post.get("reasons", ""),
            post.get("basis", ""),
            version=version,
        )
    elif action == "close":
        services.close(user, case, version=version)
    else:
        raise ValidationError(_("Unknown action."))
    return petition


@route("permission", permission=VIEW, note="acts on one petition; the services decide", scoped=True)
@login_required
def petition_act(request: HttpRequest, case_id: int) -> HttpResponse:
    _may_open(request)
    petition = _petition(request, case_id)  # scope before method: out of reach is 404 for all
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        shown = _perform(request, petition)
    except CaseConflict as conflict:
        fresh = access.petition_get_for(request.user, case_id)
        context = detail_context(request, fresh, conflict=str(conflict), changes=conflict.events)
        return render(request, "petitions/detail.html", context, status=409)
    except WorkflowError as error:
        status = 403 if error.code == "not_your_action" else 422
        context = detail_context(request, petition, action_error=str(error.message))
        return render(request, "petitions/detail.html", context, status=status)
    except ValidationError as error:
        context = detail_context(request, petition, action_error=" ".join(error.messages))
        return render(request, "petitions/detail.html", context, status=422)
    messages.success(request, _("Done."))
    return redirect("petitions:detail", shown.pk)


@route("permission", permission=VIEW, note="a printable letter of one petition", scoped=True)
@login_required
def petition_letter(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    _may_open(request)
    petition = _petition(request, case_id)
    ready = {
        "acceptance": petition.accepted is True,
        "extension": petition.extension_told_at is not None,
        "opinion": petition.opinion_at is not None,
    }
    if not ready.get(kind):
        raise Http404
    tasks = list(petition.case.tasks.select_related("department").order_by("id"))
    lead = next((task for task in reversed(tasks) if task.lead), None)
    return render(
        request,
        f"petitions/letter_{kind}.html",
        {
            "petition": petition,
            "case": petition.case,
            "lead": lead,
            "id_number": mask_identity_number(petition.petitioner_id_number),
            "is_review": petition.stage != Stage.INITIAL,
            "review_until": services.review_until(petition),
            "handle_due": petition.case.due_at,
            "days": lead.extended_days if lead else 0,
            "reason": _extension_reason(petition),
        },
    )


def _extension_reason(petition: Petition) -> str:
    event = (
        petition.case.events.filter(action=Action.REQUEST_EXTENSION).order_by("-at", "-id").first()
    )
    return event.note if event else ""


@route("permission", permission=VIEW, note="petition timeliness, within one's reach")
@login_required
def petition_statistics(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    years = selectors.years_choice(today)
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if year not in years:
        year = today.year
    figures = selectors.timeliness(access.petitions_visible_to(request.user), year)
    return render(request, "petitions/statistics.html", {"figures": figures, "years": years})
