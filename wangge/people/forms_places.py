"""Forms of the house, household and organisation pages: they parse and check the shape of
input and that a grid is within the user's reach; the register's rules are checked by
`services_places`."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.core.ids import InvalidIdentifier, parse_credit_code
from wangge.core.scope import Scope
from wangge.people import codes, services_organisations, services_places
from wangge.people.forms import GRID_CODE, NUMBER, UNREACHABLE, blank_first

DECIMAL = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
# The house's own values on its forms (the owner is looked up by the view, by identity number).
HOUSE_VALUES = (
    "address",
    "region_code",
    "lon",
    "lat",
    "building_use",
    "owner_name",
    "rented",
    "rental_use",
    "hazard",
    "management_class",
)
CRS_CHOICES = [
    ("gcj02", _("GCJ-02 (Amap, Tencent and most phone maps)")),
    ("wgs84", _("WGS-84 (GPS)")),
    ("bd09", _("BD-09 (Baidu maps)")),
]


def grid_field(*, required: bool = True, **extra: Any) -> forms.RegexField:
    return forms.RegexField(
        label=_("Grid code"),
        regex=GRID_CODE,
        required=required,
        widget=NUMBER,
        error_messages={"invalid": _("A grid code has 15 digits.")},
        **extra,
    )


class ScopedForm(forms.Form):
    """A form whose grid must lie within the user's reach."""

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.scope = scope

    def clean_region_code(self) -> str:
        code = str(self.cleaned_data.get("region_code") or "")
        if code and not self.scope.covers(code):
            raise forms.ValidationError(UNREACHABLE)
        return code


class HouseForm(ScopedForm):
    address = forms.CharField(label=_("Address"), max_length=200)
    region_code = grid_field(
        required=False, help_text=_("Leave empty to find the grid from the coordinates.")
    )
    lon = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, widget=DECIMAL
    )
    lat = forms.FloatField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, widget=DECIMAL
    )
    crs = forms.ChoiceField(label=_("Coordinate system"), choices=CRS_CHOICES, initial="gcj02")
    building_use = forms.ChoiceField(label=_("Building use"), choices=codes.BuildingUse.choices)
    owner_id_number = forms.CharField(
        label=_("Owner's identity number"),
        max_length=18,
        required=False,
        help_text=_("The owner, if registered here; otherwise give the owner's name below."),
    )
    owner_name = forms.CharField(label=_("Owner's name"), max_length=64, required=False)
    rented = forms.BooleanField(label=_("Rented out"), required=False)
    rental_use = forms.ChoiceField(
        label=_("Rental use"),
        choices=blank_first(codes.RentalUse.choices, "—"),
        required=False,
        help_text=_("Only for a rented house."),
    )
    hazard = forms.ChoiceField(
        label=_("Hazard"), choices=codes.HazardType.choices, initial=codes.HazardType.NONE
    )
    management_class = forms.ChoiceField(
        label=_("Management class"),
        choices=blank_first(codes.ManagementClass.choices, "—"),
        required=False,
    )

    def clean_owner_id_number(self) -> str:
        return str(self.cleaned_data["owner_id_number"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rental_use") and not data.get("rented"):
            self.add_error("rental_use", _("Only a rented house has a rental use."))
        self.grid_locate(data)
        return data

    def grid_locate(self, data: dict[str, Any]) -> None:
        """No grid given: the grid of the coordinates, if it is within reach."""
        if data.get("region_code") or "region_code" in self.errors:
            return
        lon, lat = data.get("lon"), data.get("lat")
        if lon is None or lat is None:
            if "lon" not in self.errors and "lat" not in self.errors:
                message = _("Give the grid code, or coordinates to find the grid.")
                self.add_error("region_code", message)
            return
        try:
            _lon, _lat, grid = services_places.point_grid(lon, lat, data.get("crs") or "gcj02")
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                self.add_error(field if field in self.fields else None, problems)
            return
        if not self.scope.covers(grid):
            self.add_error("lon", _("These coordinates lie in a grid outside your reach."))
            return
        data["region_code"] = grid

    def values(self) -> dict[str, Any]:
        """The house's values as the services take them (the owner is looked up by the view)."""
        return {name: self.cleaned_data[name] for name in HOUSE_VALUES}


class HouseEditForm(HouseForm):
    owner_clear = forms.BooleanField(
        label=_("The owner is no longer the registered person"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, owner: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if owner is None:
            del self.fields["owner_clear"]
            return
        self.fields["owner_id_number"].help_text = _(
            "Now %(owner)s. Leave empty to keep; give another number to change."
        ) % {"owner": services_places.person_label(owner)}
        order = list(self.fields)
        order.remove("owner_clear")
        order.insert(order.index("owner_id_number") + 1, "owner_clear")
        self.order_fields(order)


class HouseholdForm(ScopedForm):
    number = forms.CharField(label=_("Household number"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200)
    region_code = grid_field()

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("number", "address", "region_code")}


class HouseholdEditForm(HouseholdForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class OrganisationForm(ScopedForm):
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=codes.OrganisationKind.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=24,
        required=False,
        help_text=_("18 characters, from the business licence."),
    )
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=64, required=False
    )
    representative_mobile = forms.RegexField(
        label=_("Representative's mobile"),
        regex=r"^1\d{10}$",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"invalid": _("A mobile number has 11 digits and starts with 1.")},
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    region_code = grid_field()
    employees = forms.IntegerField(
        label=_("Employees"), min_value=0, max_value=10_000_000, required=False, widget=NUMBER
    )
    key_unit = forms.BooleanField(label=_("Key unit"), required=False)
    attention = forms.ChoiceField(
        label=_("Attention"), choices=blank_first(codes.Attention.choices, "—"), required=False
    )

    def clean_credit_code(self) -> str:
        value = str(self.cleaned_data["credit_code"]).strip()
        if not value:
            return ""
        try:
            return parse_credit_code(value).code
        except InvalidIdentifier as error:
            raise forms.ValidationError(services_organisations.credit_code_message(error)) from None

    def values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in services_organisations.ORGANISATION_FIELDS
        }


class OrganisationEditForm(OrganisationForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResidentForm(forms.Form):
    id_number = forms.CharField(label=_("Identity number"), max_length=18)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MemberForm(ResidentForm):
    relation_to_head = forms.ChoiceField(
        label=_("Relation to the head"), choices=blank_first(codes.Relation.choices, "—")
    )


class RemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
