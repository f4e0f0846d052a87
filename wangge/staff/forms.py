"""Forms of the staff pages: they parse and check the shape of input; reach and grants are
checked by `access` and `services`."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import Department, Role, mobile_validator
from wangge.regions.models import GridRole, Level, Region
from wangge.staff.access import department_within_reach, region_within_reach

UNREACHABLE = _("No such unit within your reach. Check the code.")


class StaffFilterForm(forms.Form):
    text = forms.CharField(label=_("Name or user name"), required=False, max_length=64)
    region = forms.RegexField(
        label=_("Region code"),
        regex=r"^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$",
        required=False,
        error_messages={"invalid": _("A region code has 6, 9, 12 or 15 digits.")},
    )
    role = forms.ChoiceField(
        label=_("Post"), choices=[("", _("Any post")), *Role.choices], required=False
    )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        error_messages={"invalid": _("3 to 150 letters, digits or . @ + - _ only.")},
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    mobile = forms.CharField(
        label=_("Mobile number"), max_length=11, required=False, validators=[mobile_validator]
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Leave empty to generate one. The person must change it at first sign-in."),
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if password:
            validate_password(password)
        return password


class PostGiveForm(forms.Form):
    role = forms.ChoiceField(label=_("Post"))
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        help_text=_("A region code (township, village, grid…) or a department code."),
    )
    starts_on = forms.DateField(label=_("Starts on"), initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Ends on"), required=False)

    def __init__(self, *args: Any, actor: Any, roles: frozenset[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(v, label) for v, label in Role.choices if v in roles]
        self.region: Region | None = None
        self.department: Department | None = None

    def clean_unit(self) -> str:
        code: str = self.cleaned_data["unit"].strip()
        if code.isdigit():
            self.region = region_within_reach(self.actor, code)
        else:
            self.department = department_within_reach(self.actor, code)
        if self.region is None and self.department is None:
            raise forms.ValidationError(UNREACHABLE)
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("A post cannot end before it starts."))
        return cleaned


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day"), initial=timezone.localdate)


class GridAssignForm(forms.Form):
    grid = forms.RegexField(
        label=_("Grid code"),
        regex=r"^\d{15}$",
        error_messages={"invalid": _("A grid code has 15 digits.")},
    )
    role = forms.ChoiceField(label=_("Grid role"), choices=GridRole.choices)
    starts_on = forms.DateField(label=_("Starts on"), initial=timezone.localdate)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_grid(self) -> Region:
        region = region_within_reach(self.actor, self.cleaned_data["grid"])
        if region is None or region.level != Level.GRID:
            raise forms.ValidationError(UNREACHABLE)
        return region


class PasswordSetForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    repeated = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, repeated = cleaned.get("password"), cleaned.get("repeated")
        if password and repeated and password != repeated:
            self.add_error("repeated", _("The two passwords differ."))
        elif password:
            try:
                validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    category_codes = forms.CharField(
        label=_("Case categories handled"),
        required=False,
        max_length=2000,
        help_text=_("Category codes separated by commas or spaces."),
    )
    seen = forms.CharField(widget=forms.HiddenInput)

    def clean_category_codes(self) -> list[str]:
        text = self.cleaned_data["category_codes"].replace("，", ",").replace(",", " ")
        return [code for code in text.split() if code]


class StaffImportForm(forms.Form):
    sheet = forms.FileField(label=_("Staff sheet (.xlsx)"))
