"""Forms of the register pages: they parse and check the shape of input; scope and the
register's rules are checked by `access` and `services`."""

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.people import codes
from wangge.people.categories import CATEGORY_FIELDS, TEXT_MAX, DetailField
from wangge.people.models import CategoryKind, PersonStatus
from wangge.privacy.models import PURPOSE_TEXT_MAX, Purpose

UNREACHABLE = _("No such grid within your reach. Check the code.")
GRID_CODE = r"^\d{15}$"
REGION_CODE = r"^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$"
# A text input with the phone's digit keyboard: styled like the other inputs.
NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"})


def blank_first(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class PersonFilterForm(forms.Form):
    text = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        help_text=_("Name, pinyin or initials, identity number, mobile number or address."),
    )
    region = forms.RegexField(
        label=_("Region code"),
        regex=REGION_CODE,
        required=False,
        error_messages={"invalid": _("A region code has 6, 9, 12 or 15 digits.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=blank_first(CategoryKind.choices, _("Any category")),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=blank_first(PersonStatus.choices, _("Any status")),
        required=False,
    )
    age_from = forms.IntegerField(
        label=_("Age from"), min_value=0, max_value=150, required=False, widget=NUMBER
    )
    age_to = forms.IntegerField(
        label=_("Age to"), min_value=0, max_value=150, required=False, widget=NUMBER
    )
    tag = forms.CharField(label=_("Tag"), max_length=20, required=False)


class PersonForm(forms.Form):
    """The fields a person's page edits; the identity number and grid only when registering."""

    name = forms.CharField(label=_("Name"), max_length=64)
    former_names = forms.CharField(label=_("Former names"), max_length=128, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=codes.Sex.choices)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        help_text=_("Leave empty to take it from the identity number."),
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"), choices=blank_first(codes.Ethnicity.choices, "—"), required=False
    )
    mobile = forms.RegexField(
        label=_("Mobile number"),
        regex=r"^1\d{10}$",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"invalid": _("A mobile number has 11 digits and starts with 1.")},
    )
    current_address = forms.CharField(label=_("Current address"), max_length=200, required=False)
    registered_address = forms.CharField(
        label=_("Registered address"), max_length=200, required=False
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=64, required=False)
    education = forms.ChoiceField(
        label=_("Education"), choices=blank_first(codes.Education.choices, "—"), required=False
    )
    marital_status = forms.ChoiceField(
        label=_("Marital status"),
        choices=blank_first(codes.MaritalStatus.choices, "—"),
        required=False,
    )
    political_status = forms.ChoiceField(
        label=_("Political status"),
        choices=blank_first(codes.PoliticalStatus.choices, "—"),
        required=False,
    )

    def values(self) -> dict[str, Any]:
        """The cleaned values as the services take them (an empty birth date is left out)."""
        values = {
            name: self.cleaned_data[name]
            for name in PersonForm.base_fields
            if name in self.cleaned_data
        }
        for derived in ("birth_date", "sex"):  # from the identity number when left empty
            if not values.get(derived):
                values.pop(derived, None)
        return values


class PersonRegisterForm(PersonForm):
    id_type = forms.ChoiceField(
        label=_("Document"),
        choices=codes.IdType.choices,
        initial=codes.IdType.RESIDENT_ID,
        help_text=_(
            "Foreign nationals: their passport or other document, with birth date and sex."
        ),
    )
    id_number = forms.CharField(label=_("Identity or document number"), max_length=32)
    region_code = forms.RegexField(
        label=_("Grid code"),
        regex=GRID_CODE,
        widget=NUMBER,
        error_messages={"invalid": _("A grid code has 15 digits.")},
    )
    field_order = ["id_type", "id_number", "name", "region_code"]

    def __init__(self, *args: Any, scope: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.scope = scope
        sex = self.fields["sex"]
        assert isinstance(sex, forms.ChoiceField)
        sex.required = False
        sex.choices = blank_first(codes.Sex.choices, "—")
        sex.help_text = _("Leave empty to take it from the identity number.")

    def clean_id_number(self) -> str:
        return str(self.cleaned_data["id_number"]).strip().upper()

    def clean_region_code(self) -> str:
        code = str(self.cleaned_data["region_code"])
        if not self.scope.covers(code):
            raise forms.ValidationError(UNREACHABLE)
        return code


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def values(self) -> dict[str, Any]:
        values = super().values()
        values.pop("version", None)
        return values


class PersonCategoryForm(forms.Form):
    """The details of one category of person, with the fields `categories.CATEGORY_FIELDS`
    gives that kind; the values are checked again by the service."""

    starts_on = forms.DateField(label=_("Since"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for detail in CATEGORY_FIELDS[kind]:
            self.fields[detail.name] = detail_form_field(detail)
        self.order_fields([detail.name for detail in CATEGORY_FIELDS[kind]])

    def details(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"starts_on", "version"}
        }


def detail_form_field(detail: DetailField) -> forms.Field:
    if detail.kind == "choice" and detail.choices:
        return forms.ChoiceField(
            label=detail.label,
            choices=blank_first(detail.choices(), "—"),
            required=detail.required,
        )
    if detail.kind == "date":
        return forms.DateField(label=detail.label, required=detail.required)
    if detail.kind == "region":
        return forms.RegexField(
            label=detail.label,
            regex=r"^\d{6}$",
            required=False,
            widget=NUMBER,
            error_messages={"invalid": _("A division code has 6 digits.")},
        )
    return forms.CharField(label=detail.label, max_length=TEXT_MAX, required=detail.required)


class PersonCategoryEndForm(forms.Form):
    on = forms.DateField(label=_("Until"), initial=timezone.localdate)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")


class PersonTagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separated by commas, for example: 低保, 独居老人, 残疾人."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def tag_list(self) -> list[str]:
        return [tag for tag in TAG_SEPARATORS.split(self.cleaned_data["tags"]) if tag.strip()]


class PersonMoveForm(forms.Form):
    region_code = forms.RegexField(
        label=_("New grid code"),
        regex=GRID_CODE,
        widget=NUMBER,
        error_messages={"invalid": _("A grid code has 15 digits.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, scope: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.scope = scope

    def clean_region_code(self) -> str:
        code = str(self.cleaned_data["region_code"])
        if not self.scope.covers(code):
            raise forms.ValidationError(UNREACHABLE)
        return code


class PersonCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (PersonStatus.MOVED_OUT.value, PersonStatus.MOVED_OUT.label),
            (PersonStatus.DECEASED.value, PersonStatus.DECEASED.label),
        ],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("On"), initial=timezone.localdate)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class PersonMergeForm(forms.Form):
    """Two records of one person: the other one is named by its identity number (the usual
    cause of a duplicate is a mistyped number, so the two numbers differ)."""

    other_id_number = forms.CharField(label=_("Identity number of the other record"), max_length=18)
    survivor = forms.ChoiceField(
        label=_("Keep"),
        choices=[("this", _("this record")), ("other", _("the other record"))],
        widget=forms.RadioSelect,
        initial="this",
    )


class FullExportForm(forms.Form):
    """An export with personal data in full: why, in the privacy pages' terms."""

    file_format = forms.ChoiceField(
        label=_("File format"),
        choices=[("xlsx", _("Excel workbook (.xlsx)")), ("csv", _("CSV text (.csv)"))],
        widget=forms.RadioSelect,
        initial="xlsx",
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", _("Choose a purpose")), *Purpose.choices]
    )
    purpose_text = forms.CharField(
        label=_("What for, in a few words"),
        max_length=PURPOSE_TEXT_MAX,
        help_text=_("For example the case number, or the household you are visiting."),
    )
