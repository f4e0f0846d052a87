"""The register's pages: parse input, go through `access`, call `services`, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.core.errors import EditConflict
from wangge.core.forms import errors_onto
from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.people import access as gate
from wangge.people import exports, forms, history, selectors, services
from wangge.people.categories import details_missing, details_shown
from wangge.people.models import CategoryKind, Person, PersonCategory

PAGE_SIZE = 50
UNMASK_PERSONAL = "privacy.unmask_personal"
GET_POST = require_http_methods(["GET", "POST"])


def filtered_people(request: HttpRequest) -> tuple[forms.PersonFilterForm, QuerySet[Person]]:
    """The people of the list (and its exports), filtered by the query string."""
    people = gate.persons_visible_to(request.user)
    form = forms.PersonFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, people.none()
    data = form.cleaned_data if form.is_bound else {}
    criteria = selectors.PersonFilter(
        text=data.get("text", ""),
        region_code=data.get("region", ""),
        category=data.get("category", ""),
        status=data.get("status", ""),
        age_from=data.get("age_from"),
        age_to=data.get("age_to"),
        tag=data.get("tag", ""),
    )
    return form, selectors.persons_search(people, criteria)


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def write(form: Form, call: Any) -> Any:
    """Run a service; its refusal goes onto the form (fields, or above it for a conflict)."""
    try:
        return call()
    except ValidationError as error:
        errors_onto(form, error)
    except EditConflict as conflict:
        form.add_error(None, str(conflict))
    return None


@access("permission", permission=gate.VIEW_PERSON, note="people within one's reach")
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form, people = filtered_people(request)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    names = selectors.grid_names({person.region_code for person in page.object_list})
    for person in page.object_list:
        setattr(person, "age", selectors.age_on(person.birth_date, today))  # noqa: B010
        setattr(person, "grid_name", names.get(person.region_code, ""))  # noqa: B010
    return render(
        request,
        "people/list.html",
        {
            "form": form,
            "page": page,
            "can_add": request.user.has_perm(gate.ADD_PERSON),
            "can_export": request.user.has_perm(gate.EXPORT_PERSON),
            "query": request.GET.urlencode(),
        },
    )


@access("permission", permission=gate.VIEW_PERSON, scoped=True, note="one person's record")
@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = gate.person_get_for(request.user, person_id, request=request)
    person = Person.objects.select_related("household", "house").get(pk=person.pk)
    categories = list(selectors.person_categories_current(person))
    user = request.user
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "categories": categories_shown(categories),
            "kinds_to_add": kinds_to_add(categories),
            "tags": selectors.person_tags(person),
            "grid_name": selectors.grid_names({person.region_code}).get(person.region_code, ""),
            "history": history.history_rows(person),
            "can_change": user.has_perm(gate.CHANGE_PERSON),
            "can_merge": user.has_perm(gate.MERGE_PERSON),
            "can_view_reads": user.has_perm("privacy.view_reads"),
        },
    )


def categories_shown(categories: list[PersonCategory]) -> list[dict[str, Any]]:
    return [
        {
            "category": category,
            "details": details_shown(category.kind, category.details),
            "missing": details_missing(category.kind, category.details),
        }
        for category in categories
    ]


def kinds_to_add(categories: list[PersonCategory]) -> list[tuple[str, str]]:
    current = {category.kind for category in categories}
    return [(kind, str(label)) for kind, label in CategoryKind.choices if kind not in current]


def default_grid(user: Any) -> str:
    """A grid worker's own grid, when their reach is exactly one grid."""
    codes = user_scope(user).region_codes
    if len(codes) == 1:
        (code,) = codes
        if len(code) == 15:
            return str(code)
    return ""


@access("permission", permission=gate.ADD_PERSON, note="register a person")
@login_required
@GET_POST
def person_register(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, gate.ADD_PERSON)
    form = forms.PersonRegisterForm(
        request.POST or None,
        scope=user_scope(request.user),
        initial={"region_code": default_grid(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(
                actor=request.user,
                id_type=form.cleaned_data["id_type"],
                id_number=form.cleaned_data["id_number"],
                region_code=form.cleaned_data["region_code"],
                values=form.values(),
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request, _("The person has been registered. Add their categories on this page.")
            )
            return redirect("people:detail", person_id=person.pk)
    return form_page(request, form, title=_("Register a person"), person=None)


def form_page(request: HttpRequest, form: Form, *, title: str, person: Any) -> HttpResponse:
    return render(request, "people/form.html", {"form": form, "title": title, "person": person})


def editable_values(person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in forms.PersonForm.base_fields}
    return {**values, "version": person.version}


@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="update a person")
@login_required
@GET_POST
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    form = forms.PersonEditForm(request.POST or None, initial=editable_values(person))
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services.person_update(
                actor=request.user,
                person=person,
                values=form.values(),
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:detail", person_id=person.pk)
    title = _("Update %(name)s") % {"name": person.name}
    return form_page(request, form, title=title, person=person)


@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="move to another grid")
@login_required
@GET_POST
def person_move(request: HttpRequest, person_id: int) -> HttpResponse:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    form = forms.PersonMoveForm(
        request.POST or None, scope=user_scope(request.user), initial={"version": person.version}
    )
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services.person_move(
                actor=request.user,
                person=person,
                region_code=form.cleaned_data["region_code"],
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The person has been moved to the new grid."))
            return redirect_after_move(request, person)
    title = _("Move %(name)s to another grid") % {"name": person.name}
    return form_page(request, form, title=title, person=person)


def redirect_after_move(request: HttpRequest, person: Person) -> HttpResponse:
    """Back to the record, or to the list when the move took it out of one's reach."""
    if user_scope(request.user).covers(Person.objects.get(pk=person.pk).region_code):
        return redirect("people:detail", person_id=person.pk)
    return redirect("people:list")


@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="moved out or deceased")
@login_required
@GET_POST
def person_close(request: HttpRequest, person_id: int) -> HttpResponse:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    form = forms.PersonCloseForm(request.POST or None, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services.person_status_set(
                actor=request.user,
                person=person,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The record has been closed."))
            return redirect("people:detail", person_id=person.pk)
    title = _("Close the record of %(name)s") % {"name": person.name}
    return form_page(request, form, title=title, person=person)


@access("permission", permission=gate.MERGE_PERSON, scoped=True, note="merge a duplicate")
@login_required
@GET_POST
def person_merge(request: HttpRequest, person_id: int) -> HttpResponse:
    person = gate.person_get_for(request.user, person_id, action=gate.MERGE_PERSON, request=request)
    form = forms.PersonMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = selectors.person_by_id_number(
            gate.persons_visible_to(request.user), form.cleaned_data["other_id_number"]
        )
        if other is None:
            form.add_error("other_id_number", _("No such person within your reach."))
        else:
            pair = (person, other) if form.cleaned_data["survivor"] == "this" else (other, person)
            try:
                kept = services.person_merge(
                    actor=request.user, survivor=pair[0], duplicate=pair[1], request=request
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(request, _("The two records have been merged."))
                return redirect("people:detail", person_id=kept.pk)
    title = _("Merge a duplicate record of %(name)s") % {"name": person.name}
    return form_page(request, form, title=title, person=person)


EXPORT_LIMIT = 50_000
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_response(
    request: HttpRequest, people: QuerySet[Person], *, file_format: str, full: bool, **purpose: str
) -> HttpResponse:
    """The file, and its audit entry; nothing is written when the list is too long."""
    people = selectors.with_categories(people)
    count = people.count()
    if count > EXPORT_LIMIT:
        message = _("The list has more than %(limit)d people; narrow it down to export it.")
        messages.error(request, message % {"limit": EXPORT_LIMIT})
        return redirect("people:list")
    rows = exports.rows_of(people, full=full)
    body = exports.xlsx_bytes(rows) if file_format == "xlsx" else exports.csv_bytes(rows)
    filters = exports.filters_for_audit(request.GET)
    services.persons_export_record(
        actor=request.user, count=count, full=full, filters=filters, request=request, **purpose
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    name = f"people-{timezone.localdate():%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access("permission", permission=gate.EXPORT_PERSON, note="the filtered list, masked")
@login_required
def person_export(request: HttpRequest, file_format: str) -> HttpResponse:
    gate.require(request.user, gate.EXPORT_PERSON)
    _form, people = filtered_people(request)
    return export_response(request, people, file_format=file_format, full=False)


@access("permission", permission=gate.EXPORT_PERSON, note="the filtered list, in full")
@login_required
@GET_POST
def person_export_full(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, gate.EXPORT_PERSON)
    gate.require(request.user, UNMASK_PERSONAL)
    # The form posts back to this address, so the list's filters stay in the query string.
    form = forms.FullExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _filters, people = filtered_people(request)
        try:
            return export_response(
                request,
                people,
                file_format=form.cleaned_data["file_format"],
                full=True,
                purpose=form.cleaned_data["purpose"],
                purpose_text=form.cleaned_data["purpose_text"],
            )
        except ValidationError as error:
            errors_onto(form, error)
    title = _("Export with personal data in full")
    return form_page(request, form, title=title, person=None)
