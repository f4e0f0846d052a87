"""Forms of the notice and hearing pages; the rules that span fields live in the services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.portal.models import HearingKind, NoticeKind


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> Any:
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


def datetime_field(label: Any, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class RegionChoiceMixin:
    def set_regions(self, regions: list[tuple[str, str]]) -> None:
        field = self.fields["region_code"]  # type: ignore[attr-defined]
        field.choices = regions


class NoticeForm(RegionChoiceMixin, forms.Form):
    region_code = forms.ChoiceField(label=_("Issued for"))
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea)
    issuer = forms.CharField(label=_("Issued by"), max_length=120)
    starts_on = forms.DateField(label=_("First day shown"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day shown"), widget=DateInput())
    objections_to = forms.CharField(label=_("Objections to"), max_length=200, required=False)
    entries = forms.CharField(
        label=_("Listed people, one per line: name,identity number,detail"),
        max_length=200000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=200)


class NoticeSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("all kinds")), *NoticeKind.choices], required=False
    )
    township = forms.ChoiceField(label=_("Township"), required=False)


class HearingForm(RegionChoiceMixin, forms.Form):
    region_code = forms.ChoiceField(label=_("Held for"))
    kind = forms.ChoiceField(label=_("Kind"), choices=HearingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    agenda = forms.CharField(
        label=_("Announcement and agenda"), max_length=20000, widget=forms.Textarea
    )
    organiser = forms.CharField(label=_("Organised by"), max_length=120)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    held_at = datetime_field(_("Held at"))
    seats = forms.IntegerField(
        label=_("Seats for residents"), min_value=0, max_value=10000, initial=0
    )
    registration_closes_at = datetime_field(_("Registration closes"))
    comments_open_at = datetime_field(_("Comments open"))
    comments_close_at = datetime_field(_("Comments close"))


class HearingResultsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    minutes = forms.CharField(
        label=_("Minutes"), max_length=40000, required=False, widget=forms.Textarea
    )
    expert_review = forms.CharField(
        label=_("Expert review"), max_length=20000, required=False, widget=forms.Textarea
    )
    outcome = forms.CharField(
        label=_("What was decided"), max_length=20000, required=False, widget=forms.Textarea
    )
    reasons = forms.CharField(
        label=_("Why"), max_length=20000, required=False, widget=forms.Textarea
    )


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=64)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    signed_as = forms.CharField(label=_("Signed as (optional)"), max_length=32, required=False)


class ModerateForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
