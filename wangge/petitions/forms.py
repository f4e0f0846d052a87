"""Forms of the petition pages: they parse; the services check and decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.cases.workflow import STATUS_LABELS, Status
from wangge.petitions.models import MAX_REPRESENTATIVES, Decision, Form, MatterKind, Stage
from wangge.petitions.services import PetitionInput, RepresentativeInput

# One row more than allowed, so six given are refused with the rule instead of dropped.
REPRESENTATIVE_ROWS = MAX_REPRESENTATIVES + 1


class RegisterForm(forms.Form):
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    matter_kind = forms.ChoiceField(label=_("Kind of matter"), choices=MatterKind.choices)
    petitioner_name = forms.CharField(label=_("Petitioner"), max_length=64)
    petitioner_id_number = forms.CharField(
        label=_("Identity number"), max_length=32, required=False
    )
    petitioner_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    petitioner_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    request = forms.CharField(
        label=_("Request"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    region_code = forms.CharField(
        label=_("Grid of the place concerned"),
        max_length=15,
        help_text=_("The 15-digit code of the grid the matter is about."),
    )
    address = forms.CharField(label=_("Place concerned"), max_length=200)
    group = forms.BooleanField(label=_("Group visit"), required=False)
    people_count = forms.IntegerField(label=_("Number of petitioners"), min_value=1, initial=1)

    def petition_input(self, post: Any) -> PetitionInput:
        data = self.cleaned_data
        return PetitionInput(
            form=data["form"],
            matter_kind=data["matter_kind"],
            petitioner_name=data["petitioner_name"],
            request=data["request"],
            region_code=data["region_code"],
            address=data["address"],
            petitioner_id_number=data["petitioner_id_number"],
            petitioner_phone=data["petitioner_phone"],
            petitioner_address=data["petitioner_address"],
            group=data["group"],
            people_count=data["people_count"],
            representatives=representatives_given(post),
        )


def representatives_given(post: Any) -> list[RepresentativeInput]:
    """The rows of `rep_name_N`, `rep_id_number_N`, `rep_phone_N` with anything filled in."""
    found = []
    for row in range(1, REPRESENTATIVE_ROWS + 1):
        values = [
            post.get(f"rep_{name}_{row}", "").strip() for name in ("name", "id_number", "phone")
        ]
        if any(values):
            found.append(RepresentativeInput(*values))
    return found


class FilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", "—"), *Stage.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", "—")]
        + [(s.value, STATUS_LABELS[s]) for s in Status if s not in {Status.SUSPENDED}],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


DECISION_CHOICES = Decision.choices
