"""Forms of the dispute pages: they parse; the services check and decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.cases.forms import category_choices
from wangge.mediation.models import (
    Entry,
    NoAgreementRoute,
    Outcome,
    PartyRole,
    Performance,
    Ruling,
    Scale,
)

PARTY_ROWS = 4
DATE = forms.DateInput(attrs={"type": "date"})


class RecordForm(forms.Form):
    body = forms.TypedChoiceField(label=_("Mediation body"), coerce=int)
    category = forms.CharField(label=_("Dispute class"), max_length=16, widget=forms.Select)
    grid = forms.ChoiceField(label=_("Grid"))
    address = forms.CharField(label=_("Address"), max_length=200)
    title = forms.CharField(label=_("Title (optional)"), max_length=100, required=False)
    description = forms.CharField(
        label=_("What the dispute is about"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    scale = forms.ChoiceField(label=_("Scale"), choices=Scale.choices)
    people_involved = forms.IntegerField(label=_("People involved"), min_value=1, initial=2)
    amount_yuan = forms.IntegerField(
        label=_("Amount involved (yuan)"), min_value=0, initial=0, required=False
    )
    entry = forms.ChoiceField(label=_("How it came to mediation"), choices=Entry.choices)
    occurred_on = forms.DateField(label=_("Occurred on"), required=False, widget=DATE)

    def __init__(self, *args: Any, bodies: list[Any], grids: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body_field: Any = self.fields["body"]
        body_field.choices = [(b.pk, b.department.name) for b in bodies]
        grid_field: Any = self.fields["grid"]
        grid_field.choices = [(g.code, f"{g.name} {g.code}") for g in grids]
        self.fields["category"].widget.choices = category_choices(("dispute",))
        for number in range(1, PARTY_ROWS + 1):
            required = number <= 1
            self.fields[f"party{number}_role"] = forms.ChoiceField(
                label=_("Party's role"),
                choices=PartyRole.choices,
                initial=PartyRole.APPLICANT if number == 1 else PartyRole.RESPONDENT,
            )
            self.fields[f"party{number}_name"] = forms.CharField(
                label=_("Name"), max_length=64, required=required
            )
            self.fields[f"party{number}_id_number"] = forms.CharField(
                label=_("Identity number (optional: links the register)"),
                max_length=32,
                required=False,
            )
            self.fields[f"party{number}_phone"] = forms.CharField(
                label=_("Phone"), max_length=20, required=False
            )
            self.fields[f"party{number}_address"] = forms.CharField(
                label=_("Address"), max_length=200, required=False
            )

    def party_rows(self) -> list[list[Any]]:
        return [
            [self[f"party{n}_{name}"] for name in ("role", "name", "id_number", "phone", "address")]
            for n in range(1, PARTY_ROWS + 1)
        ]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.CharField(label=_("Attendees"), max_length=500)
    summary = forms.CharField(
        label=_("What was said and agreed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    facts = forms.CharField(
        label=_("Facts and the dispute"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    terms = forms.CharField(
        label=_("Agreed rights and duties"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    performance = forms.CharField(
        label=_("Manner, place and time of performance"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount_yuan = forms.IntegerField(label=_("Amount agreed (yuan)"), min_value=0, initial=0)
    effective_on = forms.DateField(label=_("Signed on"), widget=DATE)


class ScanForm(forms.Form):
    scan = forms.FileField(label=_("Signed agreement (photo or scan)"), required=False)


class ConfirmationForm(forms.Form):
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)
    court = forms.CharField(label=_("Court"), max_length=100, initial="秦州区人民法院")


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(
        label=_("Ruling"), choices=[c for c in Ruling.choices if c[0]], widget=forms.RadioSelect
    )
    ruled_on = forms.DateField(label=_("Ruled on"), widget=DATE)
    ruling_number = forms.CharField(label=_("Ruling number"), max_length=60, required=False)


class TransferForm(forms.Form):
    to_body = forms.TypedChoiceField(label=_("Transfer to"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=1000)

    def __init__(self, *args: Any, bodies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_body_field: Any = self.fields["to_body"]
        to_body_field.choices = [
            (b.pk, f"{b.department.name} · {b.get_type_display()}") for b in bodies
        ]


class TransferAnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Accept")), ("no", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("Reason (needed to refuse)"), max_length=1000, required=False)


class OutcomeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in Outcome.choices if c[0]], widget=forms.RadioSelect
    )
    route = forms.ChoiceField(
        label=_("Without agreement, the parties were"),
        choices=NoAgreementRoute.choices,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    prevented_criminal = forms.BooleanField(
        label=_("Prevented from turning into a criminal case"), required=False
    )
    prevented_group_petition = forms.BooleanField(
        label=_("Prevented a group petition"), required=False
    )


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    performance = forms.ChoiceField(label=_("Performance"), choices=Performance.choices)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class MajorForm(forms.Form):
    leader = forms.TypedChoiceField(label=_("Responsible leader"), coerce=int)
    unit = forms.TypedChoiceField(label=_("Responsible unit"), coerce=int)
    reason = forms.CharField(label=_("Why it is major"), max_length=2000)

    def __init__(self, *args: Any, leaders: list[Any], units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leader_field: Any = self.fields["leader"]
        leader_field.choices = [(u.pk, u.name or u.username) for u in leaders]
        unit_field: Any = self.fields["unit"]
        unit_field.choices = [(d.pk, d.name) for d in units]
