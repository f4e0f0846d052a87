"""The screening forms: a unit's report for a period, and the quarterly report's query."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import Case


class AnyCaseField(forms.TypedMultipleChoiceField):
    """Case ids as numbers; whether they may be listed is the service's decision, so its
    message (not "select a valid choice") is what the person reads."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()


class SubmissionForm(forms.Form):
    zero = forms.BooleanField(
        label=_("Zero report: no disputes were found in this period"), required=False
    )
    disputes = AnyCaseField(
        label=_("Disputes found in this period"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this report is complete and true."),
        error_messages={"required": _("Please confirm the report before you submit it.")},
    )

    def __init__(self, *args: Any, cases: list[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["disputes"]
        assert isinstance(field, AnyCaseField)
        field.choices = [(case.pk, f"{case.number} {case.title}") for case in cases]


class QuarterForm(forms.Form):
    region = forms.CharField(label=_("Region code"), max_length=12)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(n, str(n)) for n in (1, 2, 3, 4)]
    )
