"""Staff administration pages: parse input, go through `access`, call `services`, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.models import User
from wangge.core.errors import EditConflict, ImportFailed
from wangge.core.forms import errors_onto
from wangge.core.routes import access
from wangge.staff import access as gate
from wangge.staff import forms, importers, selectors, services

PAGE_SIZE = 50
GET_POST = require_http_methods(["GET", "POST"])


def signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    return user


@access("permission", permission=gate.VIEW_STAFF, note="staff within one's reach")
@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = gate.staff_visible_to(request.user)
    form = forms.StaffFilterForm(request.GET or None)
    page = None
    if form.is_bound and not form.is_valid():
        staff = staff.none()
    elif form.is_bound:
        staff = selectors.staff_filtered(
            staff,
            text=form.cleaned_data["text"],
            region_code=form.cleaned_data["region"],
            role=form.cleaned_data["role"],
        )
    else:
        staff = selectors.staff_filtered(staff)
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/list.html",
        {
            "form": form,
            "page": page,
            "can_add": request.user.has_perm(gate.ADD_USER),
            "can_import": request.user.has_perm(gate.GIVE_POST),
        },
    )


@access("permission", permission=gate.ADD_USER, note="create an account")
@login_required
@GET_POST
def staff_create(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, gate.ADD_USER)
    form = forms.UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member, password = services.user_create(
                actor=signed_in_user(request), request=request, **form.cleaned_data
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return render(
                request,
                "staff/created.html",
                {"accounts": [services.CreatedAccount(member.username, member.name, password)]},
            )
    return render(request, "staff/create.html", {"form": form})


@access("permission", permission=gate.VIEW_STAFF, scoped=True, note="what one person reaches")
@login_required
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    member = gate.staff_get_for(request.user, user_id, request=request)
    user = request.user
    return render(
        request,
        "staff/detail.html",
        {
            "member": member,
            "reach": selectors.staff_reach(member),
            "is_self": member.pk == user.pk,
            "can": {
                "give_post": user.has_perm(gate.GIVE_POST),
                "end_post": user.has_perm(gate.END_POST),
                "assign_grid": user.has_perm(gate.ASSIGN_GRID),
                "end_grid": user.has_perm(gate.END_GRID),
                "set_password": user.has_perm(gate.CHANGE_USER),
            },
        },
    )


def form_page(request: HttpRequest, form: Any, *, title: str, member: User | None) -> HttpResponse:
    return render(request, "staff/form.html", {"form": form, "title": title, "member": member})


def back_to(member: User) -> HttpResponse:
    return redirect("staff:detail", user_id=member.pk)


@access("permission", permission=gate.GIVE_POST, scoped=True, note="give a post")
@login_required
@GET_POST
def post_give(request: HttpRequest, user_id: int) -> HttpResponse:
    member = gate.staff_get_for(request.user, user_id, action=gate.GIVE_POST, request=request)
    actor = signed_in_user(request)
    roles = services.grantable_roles(actor)
    if request.method == "POST":
        # Giving oneself a post, or a post one may not give, is refused and recorded.
        role = request.POST.get("role", "")
        services.post_checks(actor=actor, user=member, role=role, request=request)
    form = forms.PostGiveForm(request.POST or None, actor=actor, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_give(
                actor=actor,
                user=member,
                role=form.cleaned_data["role"],
                region=form.region,
                department=form.department,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The post has been given."))
            return back_to(member)
    return form_page(request, form, title=_("Give a post"), member=member)


@access("permission", permission=gate.END_POST, scoped=True, note="end a post")
@login_required
@GET_POST
def post_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    post = gate.membership_get_for(
        request.user, membership_id, action=gate.END_POST, request=request
    )
    form = forms.EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=signed_in_user(request),
                post=post,
                ends_on=form.cleaned_data["ends_on"],
                request=request,
            )
        except (ValidationError, EditConflict) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The post has been ended."))
            return back_to(post.user)
    title = _("End the post %(post)s") % {"post": post}
    return form_page(request, form, title=title, member=post.user)


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@access("permission", permission=gate.ASSIGN_GRID, scoped=True, note="assign to a grid")
@login_required
@GET_POST
def grid_assign(request: HttpRequest, user_id: int) -> HttpResponse:
    member = gate.staff_get_for(request.user, user_id, action=gate.ASSIGN_GRID, request=request)
    form = forms.GridAssignForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.grid_assignment_give(
                actor=signed_in_user(request),
                user=member,
                grid=form.cleaned_data["grid"],
                role=form.cleaned_data["role"],
                starts_on=form.cleaned_data["starts_on"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The grid assignment has been made."))
            return back_to(member)
    return form_page(request, form, title=_("Assign to a grid"), member=member)


@access("permission", permission=gate.END_GRID, scoped=True, note="end a grid assignment")
@login_required
@GET_POST
def grid_end(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = gate.assignment_get_for(
        request.user, assignment_id, action=gate.END_GRID, request=request
    )
    form = forms.EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grid_assignment_end(
                actor=signed_in_user(request),
                assignment=assignment,
                ends_on=form.cleaned_data["ends_on"],
                request=request,
            )
        except (ValidationError, EditConflict) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The grid assignment has been ended."))
            return back_to(assignment.user)
    title = _("End the assignment %(assignment)s") % {"assignment": assignment}
    return form_page(request, form, title=title, member=assignment.user)


@access("permission", permission=gate.CHANGE_USER, scoped=True, note="set a password")
@login_required
@GET_POST
def password_set(request: HttpRequest, user_id: int) -> HttpResponse:
    member = gate.staff_get_for(request.user, user_id, action=gate.CHANGE_USER, request=request)
    form = forms.PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_set(
            actor=signed_in_user(request),
            user=member,
            password=form.cleaned_data["password"],
            request=request,
        )
        messages.success(request, _("The password has been set; it must be changed at sign-in."))
        return back_to(member)
    return form_page(request, form, title=_("Set a password"), member=member)


@access("permission", permission=gate.VIEW_DEPARTMENTS, note="departments within reach")
@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    departments = gate.departments_visible_to(request.user).order_by("region_id", "code")
    return render(request, "staff/departments.html", {"departments": departments})


@access("permission", permission=gate.VIEW_DEPARTMENTS, scoped=True, note="one department")
@login_required
@GET_POST
def department_detail(request: HttpRequest, department_code: str) -> HttpResponse:
    action = gate.CHANGE_DEPARTMENT if request.method == "POST" else None
    department = gate.department_get_for(
        request.user, department_code, action=action, request=request
    )
    initial = {
        "name": department.name,
        "category_codes": " ".join(department.category_codes),
        "seen": services.department_fingerprint(department),
    }
    form = forms.DepartmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(
                actor=signed_in_user(request),
                department=department,
                name=form.cleaned_data["name"],
                category_codes=form.cleaned_data["category_codes"],
                seen=form.cleaned_data["seen"],
                request=request,
            )
        except (ValidationError, EditConflict) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The department has been saved."))
            return redirect("staff:department", department_code=department.code)
    return render(
        request,
        "staff/department.html",
        {
            "department": department,
            "form": form,
            "can_change": request.user.has_perm(gate.CHANGE_DEPARTMENT),
            "handlers": department.memberships.select_related("user").order_by("-starts_on"),
        },
    )


@access("permission", permission=gate.GIVE_POST, note="import staff from a sheet")
@login_required
@GET_POST
def staff_import(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, gate.ADD_USER)
    gate.require(request.user, gate.GIVE_POST)
    form = forms.StaffImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        actor = signed_in_user(request)
        try:
            rows, read_problems = importers.staff_sheet_parse(form.cleaned_data["sheet"].read())
        except ImportFailed as unreadable:  # not a workbook, no headers: nothing to check
            services.staff_import_refused_record(
                actor=actor, problems=unreadable.problems, request=request
            )
            problems = unreadable.problems
        else:
            try:
                accounts = services.staff_import(
                    actor=actor, rows=rows, problems=read_problems, request=request
                )
            except ImportFailed as failure:
                problems = failure.problems
            else:
                return render(request, "staff/created.html", {"accounts": accounts})
    return render(request, "staff/import.html", {"form": form, "problems": problems})


@access("permission", permission=gate.GIVE_POST, note="the empty staff sheet")
@login_required
def staff_import_template(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, gate.GIVE_POST)
    response = HttpResponse(
        importers.staff_sheet_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="staff-template.xlsx"'
    return response
