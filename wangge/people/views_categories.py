"""A person's categories (户籍, 流动, 留守, 境外 with their details) and tags: the pages that add,
change and end them. Same gate and services as the person's other pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wangge.core.routes import access
from wangge.people import access as gate
from wangge.people import forms, selectors, services_categories
from wangge.people.categories import CATEGORY_FIELDS
from wangge.people.models import CategoryKind, Person, PersonCategory
from wangge.people.views import GET_POST, form_page, write


def kind_checked(kind: str) -> str:
    if kind not in CATEGORY_FIELDS:
        raise Http404
    return kind


def category_initial(person: Person, category: PersonCategory | None) -> dict[str, object]:
    initial: dict[str, object] = {"version": person.version}
    if category is not None:
        initial |= {**category.details, "starts_on": category.starts_on}
    return initial


@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="a category's details")
@login_required
@GET_POST
def person_category(request: HttpRequest, person_id: int, kind: str) -> HttpResponse:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    kind = kind_checked(kind)
    category = person.categories.filter(kind=kind, ends_on__isnull=True).first()
    form = forms.PersonCategoryForm(
        request.POST or None, kind=kind, initial=category_initial(person, category)
    )
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services_categories.person_category_set(
                actor=request.user,
                person=person,
                kind=kind,
                details=form.details(),
                starts_on=form.cleaned_data["starts_on"],
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The category has been saved."))
            return redirect("people:detail", person_id=person.pk)
    values = {"name": person.name, "category": CategoryKind(kind).label}
    title = _("%(category)s: %(name)s") % values
    return form_page(request, form, title=title, person=person)


@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="end a category")
@login_required
@GET_POST
def person_category_end(request: HttpRequest, person_id: int, kind: str) -> HttpResponse:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    kind = kind_checked(kind)
    form = forms.PersonCategoryEndForm(request.POST or None, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services_categories.person_category_end(
                actor=request.user,
                person=person,
                kind=kind,
                on=form.cleaned_data["on"],
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The category has been ended."))
            return redirect("people:detail", person_id=person.pk)
    values = {"name": person.name, "category": CategoryKind(kind).label}
    title = _("End %(category)s: %(name)s") % values
    return form_page(request, form, title=title, person=person)


@access("permission", permission=gate.CHANGE_PERSON, scoped=True, note="a person's tags")
@login_required
@GET_POST
def person_tags(request: HttpRequest, person_id: int) -> HttpResponse:
    person = gate.person_get_for(
        request.user, person_id, action=gate.CHANGE_PERSON, request=request
    )
    initial = {"tags": ", ".join(selectors.person_tags(person)), "version": person.version}
    form = forms.PersonTagsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services_categories.person_tags_set(
                actor=request.user,
                person=person,
                tags=form.tag_list(),
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The tags have been saved."))
            return redirect("people:detail", person_id=person.pk)
    title = _("Tags of %(name)s") % {"name": person.name}
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": title,
            "person": person,
            "tags_in_use": selectors.tags_in_use(gate.persons_visible_to(request.user)),
        },
    )
