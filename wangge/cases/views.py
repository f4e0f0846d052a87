"""The case pages: report (grid worker, on a phone), phone-in intake (dispatcher), the work
queues, and one case with its timeline, tasks, photos, map and the actions open to the viewer.

Pages parse input, go through `access`, call `services`, render. A stale action (someone
acted meanwhile) answers 409 with what changed; a refused one says why; nothing is half-done.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.models import Department
from wangge.cases import access, calendar, forms, selectors, services
from wangge.cases.models import Attachment, Case, Category, Channel
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.workflow import STATUS_LABELS, Action, SupervisionLevel, WorkflowError
from wangge.core.forms import errors_onto
from wangge.core.masking import mask_mobile
from wangge.core.routes import access as route
from wangge.core.scope import out_of_scope_record, user_scope

PAGE_SIZE = 30
GET_POST = require_http_methods(["GET", "POST"])


def case_get(request: HttpRequest, case_id: int) -> Case:
    """The case if the user may reach it; else 404 (and an out-of-scope attempt is audited)."""
    case = (
        access.visible_cases(
            request.user, Case.objects.select_related("category", "lead_department")
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        out_of_scope_record(request.user, Case.objects.all(), case_id, request)
        raise Http404
    return case


# --- lists ---------------------------------------------------------------------------------


@route("permission", permission=access.VIEW, note="cases within one's reach, by queue")
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(access.VIEW):
        raise PermissionDenied
    now = timezone.now()
    queue = selectors.QUEUE_BY_CODE.get(request.GET.get("queue", ""))
    if queue is not None and not request.user.has_perm(queue.permission):
        raise PermissionDenied
    figure, figure_error = None, ""
    if request.GET.get("figure"):
        figure, figure_error = figure_asked(request)
        cases = access.visible_cases(request.user, figure[1]) if figure else Case.objects.none()
        form = forms.CaseFilterForm()
    else:
        cases = queue.cases(request.user, now) if queue else access.visible_cases(request.user)
        form = forms.CaseFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            cases = cases.none()
        elif form.is_bound:
            cases = selectors.filtered(cases, form.cleaned_data, now)
    cases = cases.select_related("category", "lead_department").order_by("-reported_at", "-id")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": page,
            "queue": queue,
            "figure": figure[0] if figure else None,
            "figure_error": figure_error,
            "queues": selectors.queue_counts(request.user, now),
            "now": now,
            "can_report": request.user.has_perm(access.REPORT),
            "can_intake": request.user.has_perm(access.DISPATCH),
        },
    )


def figure_asked(request: HttpRequest) -> tuple[tuple[str, Any] | None, str]:
    """The cases behind one figure of the statistics (`figure`, `region`, `from`, `to`, and
    `category`, `department`): ((its description, the cases), "") or (None, why not)."""
    import datetime

    from wangge.cases import stats

    if not request.user.has_perm(access.STATISTICS):
        raise PermissionDenied
    given = request.GET
    name = given.get("figure", "")
    region = given.get("region", "")
    try:
        start = datetime.date.fromisoformat(given.get("from", ""))
        end = datetime.date.fromisoformat(given.get("to", ""))
        department = int(given["department"]) if given.get("department") else None
    except ValueError:
        return None, _("The figure's period or unit is not valid.")
    if name not in stats.FIGURES or end < start:
        return None, _("The figure's period or unit is not valid.")
    if not stats.region_allowed(request.user, region):
        raise Http404
    filters = stats.Filters(start, end, region, given.get("category", "")[:16], department)
    label = f"{stats.FIGURES[name]} · {region} · {start:%Y-%m-%d} – {end:%Y-%m-%d}"
    return (label, stats.cases_behind(name, filters)), ""


# --- reporting -----------------------------------------------------------------------------


def extra_given(post: Any) -> dict[str, Any]:
    """The category's extra fields as posted (`extra_<name>`; money as `extra_<name>_yuan`,
    kept in fen)."""
    given: dict[str, Any] = {}
    for key, value in post.items():
        if not key.startswith("extra_") or not value:
            continue
        name = key[6:]
        if name.endswith("_yuan"):
            try:
                given[name[:-5]] = round(float(value) * 100)
            except ValueError:
                given[name[:-5]] = value  # the service says it is not a valid value
        else:
            given[name] = value
    return given


def extra_field_sets() -> dict[str, Any]:
    """Each distinct set of extra fields once, and which categories ask for which: a few
    kilobytes for the report page's script instead of the fields of every category."""
    sets: list[Any] = []
    of: dict[str, int] = {}
    for code, fields in (
        Category.objects.filter(leaf=True, active=True)
        .exclude(extra_fields=[])
        .values_list("code", "extra_fields")
    ):
        if fields not in sets:
            sets.append(fields)
        of[code] = sets.index(fields)
    return {"sets": sets, "of": of}


def _report_input(data: dict[str, Any], channel: str, extra: dict[str, Any]) -> ReportInput:
    return ReportInput(
        category_code=data.get("category") or "",
        description=data.get("description") or "",
        title=data.get("title") or "",
        lon=data.get("lon"),
        lat=data.get("lat"),
        crs=data.get("crs") or "wgs84",
        region_code=data.get("region_code") or "",
        address=data.get("address") or "",
        channel=data.get("channel") or channel,
        reporter_name=data.get("reporter_name") or "",
        reporter_phone=data.get("reporter_phone") or "",
        urgent=bool(data.get("urgent")),
        extra=extra,
    )


def _reporting(
    request: HttpRequest, form_class: Any, template: str, channel: str, register: bool
) -> HttpResponse:
    form = form_class(request.POST or None, request.FILES or None)
    duplicates: list[Case] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        given = _report_input(data, channel, extra_given(request.POST))
        if (
            data.get("lon") is not None
            and data.get("lat") is not None
            and not data.get("confirm_new")
        ):
            duplicates = _duplicates(request.user, given)
        if not duplicates:
            try:
                case = services.report(
                    request.user,
                    given,
                    request.FILES.getlist("photos"),
                    register=register,
                    request=request,
                )
            except ValidationError as error:
                errors_onto(form, error)
            except WorkflowError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Reported as %(number)s.") % {"number": case.number})
                return redirect("cases:detail", case.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        template,
        {
            "form": form,
            "duplicates": duplicates,
            "map_root": _map_root(request.user),
            "extra_fields": extra_field_sets(),
            "extra_values": extra_given(request.POST),
            "max_photo_mb": settings.WANGGE_PHOTO_MAX_BYTES // 2**20,
        },
        status=200 if duplicates else status,
    )


def _duplicates(user: Any, given: ReportInput) -> list[Case]:
    from wangge.core.coords import to_wgs84

    if given.lon is None or given.lat is None or given.crs not in {"wgs84", "gcj02", "bd09"}:
        return []
    try:
        lon, lat = (float(value) for value in to_wgs84(given.lon, given.lat, given.crs))
    except (TypeError, ValueError):
        return []
    found = services.likely_duplicates(given.category_code, lon, lat)
    visible = set(
        access.visible_cases(user)
        .filter(pk__in=[case.pk for case in found])
        .values_list("pk", flat=True)
    )
    return [case for case in found if case.pk in visible]


def _map_root(user: Any) -> str:
    from django.conf import settings

    scope = user_scope(user)
    codes = sorted(scope.region_codes, key=len)
    if not codes:
        return settings.WANGGE_ROOT_REGION
    code = codes[0]
    return code[:12] if len(code) > 12 else code


@route("permission", permission=access.REPORT, note="the grid worker's report page")
@login_required
@GET_POST
def report(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(access.REPORT):
        raise PermissionDenied
    return _reporting(request, forms.ReportForm, "cases/report.html", Channel.PATROL, False)


@route("permission", permission=access.DISPATCH, note="the dispatcher's phone-in form")
@login_required
@GET_POST
def intake(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(access.DISPATCH):
        raise PermissionDenied
    return _reporting(request, forms.IntakeForm, "cases/intake.html", Channel.PHONE, True)


@route("permission", permission=access.REPORT, note="joins a likely duplicate", scoped=True)
@login_required
def join(request: HttpRequest, case_id: int) -> HttpResponse:
    if not request.user.has_perm(access.REPORT):
        raise PermissionDenied
    case = case_get(request, case_id)  # scope before method: out of reach is 404 for all
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.join(
            case.pk,
            request.user,
            request.POST.get("description", ""),
            request.FILES.getlist("photos"),
            request=request,
        )
    except (ValidationError, WorkflowError) as error:
        text = (
            " ".join(error.messages) if isinstance(error, ValidationError) else str(error.message)
        )
        messages.error(request, text)
    else:
        messages.success(
            request, _("Your report was added to %(number)s.") % {"number": case.number}
        )
    return redirect("cases:detail", case.pk)


# --- one case -------------------------------------------------------------------------------


def _departments() -> list[Department]:
    return list(Department.objects.order_by("region_id", "code"))


def detail_context(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    tasks = list(case.tasks.select_related("department", "handler").order_by("id"))
    events = list(case.events.select_related("task__department").order_by("at", "id"))
    attachments = list(case.attachments.order_by("id"))
    actions = services.available(case, request.user, now)
    needs_units = any(spec.code == Action.DISPATCH for spec in actions)
    return {
        "case": case,
        "tasks": tasks,
        "events": events,
        "attachments": attachments,
        "actions": actions,
        "status_label": STATUS_LABELS.get(case.status, case.status),
        "overdue": case.due_at is not None
        and case.due_at < now
        and case.status in selectors.RUNNING,
        "supervision": SupervisionLevel(case.supervision),
        "provisional": case.due_at is not None and calendar.provisional(case.due_at),
        "reporter_phone": mask_mobile(case.reporter_phone),
        "departments": _departments() if needs_units else [],
        "suggested": services.suggest_department(case.category, case.region_code)
        if needs_units
        else None,
        "extra_fields": extra_shown(case),
        **extra,
    }


def extra_shown(case: Case) -> list[tuple[str, Any, str]]:
    """(label, value, link) of the extra fields given; a person by masked name, linked to the
    register when the viewer may see them there."""
    from wangge.core.masking import mask_identity_number
    from wangge.people.models import Person

    shown = []
    for field in case.category.extra_fields or []:
        if field["name"] not in case.extra:
            continue
        value = case.extra[field["name"]]
        link = ""
        if field["type"] == "person":
            person = Person.objects.filter(pk=value).first()
            value = f"{person.name} {mask_identity_number(person.id_number)}" if person else "—"
            link = reverse("people:detail", args=[person.pk]) if person else ""
        elif field["type"] == "boolean":
            value = _("Yes") if value else _("No")
        shown.append((field["label"], value, link))
    return shown


@route("permission", permission=access.VIEW, note="one case in one's reach", scoped=True)
@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    if not request.user.has_perm(access.VIEW):
        raise PermissionDenied
    case = case_get(request, case_id)
    return render(request, "cases/detail.html", detail_context(request, case))


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        raise ValidationError(_("Not a number: %(value)s") % {"value": value}) from None


def action_input(post: Any) -> ActionInput:
    try:
        version = int(post.get("version", ""))
    except ValueError:
        raise ValidationError(_("The page is out of date; reload it.")) from None
    satisfied = post.get("satisfied")
    return ActionInput(
        action=post.get("action", ""),
        version=version,
        reason=post.get("reason", ""),
        task_id=_int_or_none(post.get("task_id")),
        lead_department_id=_int_or_none(post.get("lead_department")),
        assisting_department_ids=[
            number
            for number in (_int_or_none(value) for value in post.getlist("assisting_departments"))
            if number
        ],
        instructions=post.get("instructions", ""),
        extension_days=_int_or_none(post.get("extension_days")),
        rating=_int_or_none(post.get("rating")),
        satisfied=None if satisfied in (None, "") else satisfied == "yes",
    )


@route(
    "permission", permission=access.VIEW, note="acts on one case; the workflow decides", scoped=True
)
@login_required
def case_act(request: HttpRequest, case_id: int) -> HttpResponse:
    if not request.user.has_perm(access.VIEW):
        raise PermissionDenied
    case = case_get(request, case_id)  # scope before method: out of reach is 404 for all
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        given = action_input(request.POST)
        updated = services.act(
            case.pk, request.user, given, request.FILES.getlist("photos"), request=request
        )
    except services.CaseConflict as conflict:
        context = detail_context(
            request, conflict.case, conflict=str(conflict), changes=conflict.events
        )
        return render(request, "cases/detail.html", context, status=409)
    except WorkflowError as error:
        status = 403 if error.code == "not_your_action" else 422
        context = detail_context(request, case, action_error=str(error.message))
        return render(request, "cases/detail.html", context, status=status)
    except ValidationError as error:
        context = detail_context(request, case, action_error=" ".join(error.messages))
        return render(request, "cases/detail.html", context, status=422)
    messages.success(
        request,
        _("Done: %(status)s.") % {"status": STATUS_LABELS.get(updated.status, updated.status)},
    )
    return redirect(reverse("cases:detail", args=[updated.pk]))


@route("permission", permission=access.VIEW, note="a photo of a case in one's reach", scoped=True)
@login_required
def case_photo(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    if not request.user.has_perm(access.VIEW):
        raise PermissionDenied
    case = case_get(request, case_id)
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
