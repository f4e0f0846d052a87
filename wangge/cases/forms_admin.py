"""Forms of the case engine's administration pages: they parse; the services check."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import CalendarDayKind


class DayForm(forms.Form):
    day = forms.DateField(label=_("Date"), input_formats=["%Y-%m-%d"])
    kind = forms.ChoiceField(label=_("Kind of day"), choices=CalendarDayKind.choices)
    name = forms.CharField(label=_("Name (optional)"), max_length=40, required=False)


class DayRemoveForm(forms.Form):
    day = forms.DateField(input_formats=["%Y-%m-%d"])


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))


class HoursForm(forms.Form):
    periods = forms.CharField(
        label=_("Working hours"),
        max_length=100,
        help_text=_("For example 08:30-12:00,14:30-18:00"),
    )


class RuleForm(forms.Form):
    category_prefix = forms.CharField(
        label=_("Category code"),
        max_length=16,
        help_text=_("A category or a whole class, e.g. E0102 or E01"),
    )
    region_prefix = forms.CharField(
        label=_("Region code"),
        max_length=15,
        help_text=_("A township, village or grid, e.g. 620502001"),
    )
    department = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=())

    def __init__(self, *args: object, departments: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].choices = [("", "—"), *departments]  # type: ignore[attr-defined]


class RuleDeleteForm(forms.Form):
    rule = forms.IntegerField()
