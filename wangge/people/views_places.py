"""Pages that register and update houses, households and organisations, and link people to
the houses they live in and the households they belong to: parse input, go through `access`,
call `services_places`, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.people import access as gate
from wangge.people import forms_places as forms
from wangge.people import selectors, services_places
from wangge.people.history import history_rows
from wangge.people.models import House, Person
from wangge.people.views import PAGE_SIZE, default_grid, write

GET_POST = require_http_methods(["GET", "POST"])
ADD_HOUSE = "people.add_house"
CHANGE_HOUSE = "people.change_house"
ADD_HOUSEHOLD = "people.add_household"
CHANGE_HOUSEHOLD = "people.change_household"
HISTORY_LENGTH = 100


# --- Shared ----------------------------------------------------------------------------


def form_page(
    request: HttpRequest, template: str, form: Form, *, title: str, record: Any = None, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "record": record, **extra}
    return render(request, f"people/{template}", context)


def person_in_reach(request: HttpRequest, form: Form, field: str) -> Person | None:
    """The person of the identity number typed into `field`, among those the user may see;
    None (and an error on the field) otherwise."""
    number = form.cleaned_data.get(field, "")
    person = selectors.person_by_id_number(gate.persons_visible_to(request.user), number)
    if person is None:
        form.add_error(field, _("No such person within your reach."))
    return person


# --- Houses ----------------------------------------------------------------------------


def house_values(request: HttpRequest, form: forms.HouseForm) -> dict[str, Any] | None:
    """The form's values with the owner looked up; None when the owner is not found."""
    values = form.values()
    number = form.cleaned_data["owner_id_number"]
    if number:
        owner = person_in_reach(request, form, "owner_id_number")
        if owner is None:
            return None
        values["owner"] = owner
    elif form.cleaned_data.get("owner_clear") or not isinstance(form, forms.HouseEditForm):
        values["owner"] = None
    return values


@access("permission", permission=ADD_HOUSE, note="register a house")
@login_required
@GET_POST
def house_register(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, ADD_HOUSE)
    form = forms.HouseForm(
        request.POST or None,
        scope=user_scope(request.user),
        initial={"region_code": default_grid(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        values = house_values(request, form)
        house = values is not None and write(
            form,
            lambda: services_places.house_register(
                actor=request.user, values=values, crs=form.cleaned_data["crs"], request=request
            ),
        )
        if house:
            messages.success(request, _("The house has been registered."))
            return redirect("people:house", house_id=house.pk)
    return form_page(request, "house_form.html", form, title=_("Register a house"))


def house_initial(house: House) -> dict[str, Any]:
    values = {name: getattr(house, name) for name in forms.HOUSE_VALUES}
    return {**values, "version": house.version, "crs": "wgs84"}  # stored in WGS-84


@access("permission", permission=CHANGE_HOUSE, scoped=True, note="update a house")
@login_required
@GET_POST
def house_edit(request: HttpRequest, house_id: int) -> HttpResponse:
    house = gate.house_get_for(request.user, house_id, action=CHANGE_HOUSE, request=request)
    form = forms.HouseEditForm(
        request.POST or None,
        scope=user_scope(request.user),
        owner=house.owner,
        initial=house_initial(house),
    )
    if request.method == "POST" and form.is_valid():
        values = house_values(request, form)
        saved = values is not None and write(
            form,
            lambda: services_places.house_update(
                actor=request.user,
                house=house,
                values=values,
                version=form.cleaned_data["version"],
                crs=form.cleaned_data["crs"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:house", house_id=house.pk)
    title = _("Update %(address)s") % {"address": house.address}
    return form_page(request, "house_form.html", form, title=title, record=house)


@access("permission", permission=CHANGE_HOUSE, scoped=True, note="a person lives in a house")
@login_required
@GET_POST
def house_resident_add(request: HttpRequest, house_id: int) -> HttpResponse:
    house = gate.house_get_for(request.user, house_id, action=CHANGE_HOUSE, request=request)
    form = forms.ResidentForm(request.POST or None, initial={"version": house.version})
    if request.method == "POST" and form.is_valid():
        person = person_in_reach(request, form, "id_number")
        saved = person is not None and write(
            form,
            lambda: services_places.house_resident_add(
                actor=request.user,
                house=house,
                person=person,
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The resident has been added."))
            return redirect("people:house", house_id=house.pk)
    title = _("Add a resident to %(address)s") % {"address": house.address}
    return form_page(request, "house_form.html", form, title=title, record=house)


@access("permission", permission=CHANGE_HOUSE, scoped=True, note="a person moved out of a house")
@login_required
@GET_POST
def house_resident_remove(request: HttpRequest, house_id: int, person_id: int) -> HttpResponse:
    house = gate.house_get_for(request.user, house_id, action=CHANGE_HOUSE, request=request)
    person = gate.person_get_for(request.user, person_id, request=request)
    form = forms.RemoveForm(request.POST or None, initial={"version": house.version})
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services_places.house_resident_remove(
                actor=request.user,
                house=house,
                person=person,
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The resident has been removed."))
            return redirect("people:house", house_id=house.pk)
    title = _("%(name)s no longer lives at %(address)s") % {
        "name": person.name,
        "address": house.address,
    }
    return form_page(request, "house_form.html", form, title=title, record=house, confirm=True)


# --- Households ------------------------------------------------------------------------


@access("permission", permission=ADD_HOUSEHOLD, note="register a household")
@login_required
@GET_POST
def household_register(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, ADD_HOUSEHOLD)
    form = forms.HouseholdForm(
        request.POST or None,
        scope=user_scope(request.user),
        initial={"region_code": default_grid(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        household = write(
            form,
            lambda: services_places.household_register(
                actor=request.user, values=form.values(), request=request
            ),
        )
        if household:
            messages.success(request, _("The household has been registered."))
            return redirect("people:household", household_id=household.pk)
    return form_page(request, "household_form.html", form, title=_("Register a household"))


@access("permission", permission=CHANGE_HOUSEHOLD, scoped=True, note="update a household")
@login_required
@GET_POST
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    household = gate.household_get_for(
        request.user, household_id, action=CHANGE_HOUSEHOLD, request=request
    )
    names = ("number", "address", "region_code", "version")
    form = forms.HouseholdEditForm(
        request.POST or None,
        scope=user_scope(request.user),
        initial={name: getattr(household, name) for name in names},
    )
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services_places.household_update(
                actor=request.user,
                household=household,
                values=form.values(),
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:household", household_id=household.pk)
    title = _("Update household %(number)s") % {"number": household}
    return form_page(request, "household_form.html", form, title=title, record=household)


@access("permission", permission=CHANGE_HOUSEHOLD, scoped=True, note="a person joins")
@login_required
@GET_POST
def household_member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = gate.household_get_for(
        request.user, household_id, action=CHANGE_HOUSEHOLD, request=request
    )
    form = forms.MemberForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        person = person_in_reach(request, form, "id_number")
        saved = person is not None and write(
            form,
            lambda: services_places.household_member_add(
                actor=request.user,
                household=household,
                person=person,
                relation=form.cleaned_data["relation_to_head"],
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The member has been added."))
            return redirect("people:household", household_id=household.pk)
    title = _("Add a member to household %(number)s") % {"number": household}
    return form_page(request, "household_form.html", form, title=title, record=household)


@access("permission", permission=CHANGE_HOUSEHOLD, scoped=True, note="a person leaves")
@login_required
@GET_POST
def household_member_remove(
    request: HttpRequest, household_id: int, person_id: int
) -> HttpResponse:
    household = gate.household_get_for(
        request.user, household_id, action=CHANGE_HOUSEHOLD, request=request
    )
    person = gate.person_get_for(request.user, person_id, request=request)
    form = forms.RemoveForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services_places.household_member_remove(
                actor=request.user,
                household=household,
                person=person,
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The member has been removed."))
            return redirect("people:household", household_id=household.pk)
    title = _("%(name)s leaves household %(number)s") % {"name": person.name, "number": household}
    return form_page(
        request, "household_form.html", form, title=title, record=household, confirm=True
    )


# --- Lists and pages ------------------------------------------------------------------


@access("permission", permission=gate.VIEW_HOUSEHOLD, scoped=True, note="one household")
@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    household = gate.household_get_for(request.user, household_id, request=request)
    members = household.members.order_by("relation_to_head", "name_pinyin")
    context = {"household": household, "members": members, "history": history_rows(household)}
    return render(request, "people/household.html", context)


@access("permission", permission=gate.VIEW_HOUSE, note="houses within one's reach")
@login_required
def house_list(request: HttpRequest) -> HttpResponse:
    houses = gate.houses_visible_to(request.user).order_by("region_code", "address", "id")
    page = Paginator(houses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/houses.html", {"page": page})


@access("permission", permission=gate.VIEW_HOUSE, scoped=True, note="one house")
@login_required
def house_detail(request: HttpRequest, house_id: int) -> HttpResponse:
    house = gate.house_get_for(request.user, house_id, request=request)
    residents = house.residents.order_by("name_pinyin", "id")
    context = {"house": house, "residents": residents, "history": history_rows(house)}
    return render(request, "people/house.html", context)
