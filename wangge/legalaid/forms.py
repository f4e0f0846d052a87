"""Forms of the legal aid pages: they parse; the services check and decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.legalaid.models import Hardship, MatterKind, Status
from wangge.legalaid.selectors import OVERDUE


class ReceiveForm(forms.Form):
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=64)
    applicant_id_number = forms.CharField(
        label=_("Identity number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    region_code = forms.CharField(
        label=_("Village or community"), max_length=15, widget=forms.Select
    )
    matter_kind = forms.ChoiceField(
        label=_("Kind of matter"), choices=[("", "—"), *MatterKind.choices]
    )
    matter = forms.CharField(
        label=_("The matter"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    hardship = forms.ChoiceField(
        label=_("Evidence of hardship"), choices=[("", "—"), *Hardship.choices]
    )
    hardship_note = forms.CharField(label=_("About the evidence"), max_length=1000, required=False)
    dispute_number = forms.CharField(
        label=_("Related dispute case number"), max_length=24, required=False
    )

    def __init__(self, *args: Any, places: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].widget.choices = places


class DecideForm(forms.Form):
    grant = forms.ChoiceField(
        label=_("Grant or refuse"),
        choices=[("yes", _("Grant legal aid")), ("no", _("Refuse legal aid"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required when refusing)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(forms.Form):
    provider = forms.CharField(label=_("Lawyer and firm"), max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of the aid"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), (OVERDUE, _("Decision overdue")), *Status.choices],
    )
