"""Administration pages of the case engine: the work calendar and the dispatch rules.

Anyone signed in may read the calendar (deadlines are computed on it). Changing it needs
`cases.administer_cases` held over the whole deployment (the calendar is the deployment's,
not a township's); changing dispatch rules needs the same capability, within the
administrator's reach.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.models import Department
from wangge.cases import access, forms_admin, selectors_admin, services_admin
from wangge.core.forms import errors_onto
from wangge.core.routes import access as route
from wangge.core.scope import user_scope

ADMINISTER = permission_required(access.ADMINISTER, raise_exception=True)


def can_change_calendar(user: Any) -> bool:
    return user.has_perm(access.ADMINISTER) and user_scope(user).covers(settings.WANGGE_ROOT_REGION)


def require_calendar_admin(user: Any) -> None:
    if not can_change_calendar(user):
        raise PermissionDenied


def year_asked(request: HttpRequest) -> int:
    try:
        return services_admin.year_checked(int(request.GET.get("year", "")))
    except (ValueError, ValidationError):
        return timezone.localdate().year


def calendar_page(
    request: HttpRequest, year: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    forms = forms or {}
    view = selectors_admin.calendar_year(year)
    hours = selectors_admin.working_hours()
    known = {row.year for row in selectors_admin.calendar_years()}
    years = sorted(known | {year - 1, year, year + 1})
    context = {
        "view": view,
        "years": years,
        "can_change": can_change_calendar(request.user),
        "day_form": forms.get("day") or forms_admin.DayForm(),
        "hours_form": forms.get("hours") or forms_admin.HoursForm(initial={"periods": hours}),
        "working_hours": hours,
        "year_errors": forms.get("year_errors", []),
    }
    return render(request, "cases/admin_calendar.html", context, status=status)


def back_to_year(year: int) -> HttpResponse:
    return redirect(f"{reverse('cases:calendar')}?year={year}")


def error_list(error: ValidationError) -> list[str]:
    return list(error.messages)


@route("signed_in", note="the work calendar; deadlines are computed on it")
@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    return calendar_page(request, year_asked(request))


@route("permission", permission=access.ADMINISTER, note="make a day a holiday or working day")
@login_required
@ADMINISTER
@require_POST
def calendar_day_add(request: HttpRequest) -> HttpResponse:
    require_calendar_admin(request.user)
    form = forms_admin.DayForm(request.POST)
    year = year_asked(request)
    if form.is_valid():
        data = form.cleaned_data
        year = data["day"].year
        try:
            services_admin.calendar_day_set(
                actor=request.user,
                day=data["day"],
                kind=data["kind"],
                name=data["name"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The calendar has been changed."))
            return back_to_year(year)
    return calendar_page(request, year, {"day": form}, status=400)


@route("permission", permission=access.ADMINISTER, note="make a day ordinary again")
@login_required
@ADMINISTER
@require_POST
def calendar_day_remove(request: HttpRequest) -> HttpResponse:
    require_calendar_admin(request.user)
    form = forms_admin.DayRemoveForm(request.POST)
    if not form.is_valid():
        return calendar_page(
            request, year_asked(request), {"year_errors": [_("Enter a valid date.")]}, 400
        )
    day: date = form.cleaned_data["day"]
    try:
        services_admin.calendar_day_remove(actor=request.user, day=day, request=request)
    except ValidationError as error:
        return calendar_page(request, day.year, {"year_errors": error_list(error)}, 400)
    messages.success(request, _("The calendar has been changed."))
    return back_to_year(day.year)


def year_action(request: HttpRequest, service: Any, done: str) -> HttpResponse:
    require_calendar_admin(request.user)
    form = forms_admin.YearForm(request.POST)
    if not form.is_valid():
        return calendar_page(
            request, year_asked(request), {"year_errors": [_("Enter a valid year.")]}, 400
        )
    year = form.cleaned_data["year"]
    try:
        service(actor=request.user, year=year, request=request)
    except ValidationError as error:
        return calendar_page(request, year_asked(request), {"year_errors": error_list(error)}, 400)
    messages.success(request, done)
    return back_to_year(year)


@route("permission", permission=access.ADMINISTER, note="confirm a year's holiday schedule")
@login_required
@ADMINISTER
@require_POST
def calendar_year_confirm(request: HttpRequest) -> HttpResponse:
    return year_action(
        request, services_admin.calendar_year_confirm, _("The year has been confirmed.")
    )


@route("permission", permission=access.ADMINISTER, note="take a year from chinesecalendar")
@login_required
@ADMINISTER
@require_POST
def calendar_year_seed(request: HttpRequest) -> HttpResponse:
    return year_action(
        request,
        services_admin.calendar_year_seed,
        _("The official holidays of the year have been filled in."),
    )


@route("permission", permission=access.ADMINISTER, note="set the daily working hours")
@login_required
@ADMINISTER
@require_POST
def working_hours_set(request: HttpRequest) -> HttpResponse:
    require_calendar_admin(request.user)
    form = forms_admin.HoursForm(request.POST)
    year = year_asked(request)
    if form.is_valid():
        try:
            services_admin.working_hours_set(
                actor=request.user, periods=form.cleaned_data["periods"], request=request
            )
        except ValidationError as error:
            form.add_error("periods", error.message_dict["periods"])
        else:
            messages.success(request, _("The working hours have been changed."))
            return back_to_year(year)
    return calendar_page(request, year, {"hours": form}, status=400)


def department_choices() -> list[tuple[int, str]]:
    return list(Department.objects.order_by("region_id", "code").values_list("pk", "name"))


def rules_page(request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
    rules = selectors_admin.dispatch_rules_visible_to(request.user)
    context = {"rules": rules, "form": form}
    return render(request, "cases/admin_dispatch_rules.html", context, status=status)


@route("permission", permission=access.ADMINISTER, note="dispatch rules within one's reach")
@login_required
@ADMINISTER
@require_http_methods(["GET", "POST"])
def dispatch_rules(request: HttpRequest) -> HttpResponse:
    form = forms_admin.RuleForm(request.POST or None, departments=department_choices())
    if request.method != "POST":
        return rules_page(request, form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_admin.dispatch_rule_add(
                actor=request.user,
                category_prefix=data["category_prefix"],
                region_prefix=data["region_prefix"],
                department_id=data["department"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The dispatch rule has been added."))
            return redirect("cases:dispatch_rules")
    return rules_page(request, form, status=400)


@route("permission", permission=access.ADMINISTER, note="delete a dispatch rule in reach")
@login_required
@ADMINISTER
@require_POST
def dispatch_rule_delete(request: HttpRequest) -> HttpResponse:
    form = forms_admin.RuleDeleteForm(request.POST)
    if not form.is_valid():
        return redirect("cases:dispatch_rules")
    rule = selectors_admin.dispatch_rule_get_for(request.user, form.cleaned_data["rule"], request)
    services_admin.dispatch_rule_delete(actor=request.user, rule=rule, request=request)
    messages.success(request, _("The dispatch rule has been deleted."))
    return redirect("cases:dispatch_rules")
