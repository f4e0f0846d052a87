"""Pages that list, show, register and update organisations (企业, 个体, 社会组织): parse input,
go through `access`, call `services_organisations`, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wangge.core.routes import access
from wangge.core.scope import user_scope
from wangge.people import access as gate
from wangge.people import forms_places as forms
from wangge.people import services_organisations
from wangge.people.history import history_rows
from wangge.people.views import PAGE_SIZE, default_grid, write
from wangge.people.views_places import GET_POST, form_page

ADD_ORGANISATION = "people.add_organisation"
CHANGE_ORGANISATION = "people.change_organisation"


@access("permission", permission=gate.VIEW_ORGANISATION, note="organisations within reach")
@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = gate.organisations_visible_to(request.user).order_by("region_code", "name")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/organisations.html", {"page": page})


@access("permission", permission=gate.VIEW_ORGANISATION, scoped=True, note="one organisation")
@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = gate.organisation_get_for(request.user, organisation_id, request=request)
    context = {"organisation": organisation, "history": history_rows(organisation)}
    return render(request, "people/organisation.html", context)


@access("permission", permission=ADD_ORGANISATION, note="register an organisation")
@login_required
@GET_POST
def organisation_register(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, ADD_ORGANISATION)
    form = forms.OrganisationForm(
        request.POST or None,
        scope=user_scope(request.user),
        initial={"region_code": default_grid(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        organisation = write(
            form,
            lambda: services_organisations.organisation_register(
                actor=request.user, values=form.values(), request=request
            ),
        )
        if organisation:
            messages.success(request, _("The organisation has been registered."))
            return redirect("people:organisation", organisation_id=organisation.pk)
    title = _("Register an organisation")
    return form_page(request, "organisation_form.html", form, title=title)


@access("permission", permission=CHANGE_ORGANISATION, scoped=True, note="update an organisation")
@login_required
@GET_POST
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = gate.organisation_get_for(
        request.user, organisation_id, action=CHANGE_ORGANISATION, request=request
    )
    names = (*services_organisations.ORGANISATION_FIELDS, "version")
    form = forms.OrganisationEditForm(
        request.POST or None,
        scope=user_scope(request.user),
        initial={name: getattr(organisation, name) for name in names},
    )
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services_organisations.organisation_update(
                actor=request.user,
                organisation=organisation,
                values=form.values(),
                version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if saved:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:organisation", organisation_id=organisation.pk)
    title = _("Update %(name)s") % {"name": organisation.name}
    return form_page(request, "organisation_form.html", form, title=title, record=organisation)
