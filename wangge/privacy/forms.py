from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.privacy.models import PURPOSE_TEXT_MAX, Purpose


class UnmaskForm(forms.Form):
    """The purpose of a full view; the rules on it are checked by services.purpose_checked."""

    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", _("Choose a purpose"))] + Purpose.choices
    )
    purpose_text = forms.CharField(
        label=_("What for, in a few words"),
        max_length=PURPOSE_TEXT_MAX,
        help_text=_("For example the case number, or the household you are visiting."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
