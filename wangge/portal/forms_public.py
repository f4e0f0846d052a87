"""Forms of the public request pages, the moderation of requests and "who read my data"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.portal.mydata import normalised


class ModerateRequestForm(forms.Form):
    public_text = forms.CharField(
        label=_("Text shown publicly"), required=False, max_length=4000, widget=forms.Textarea
    )
    photos_public = forms.BooleanField(label=_("The photos may be shown"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    seen_at = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class PublicFilterForm(forms.Form):
    township = forms.RegexField(regex=r"^\d{9}$", required=False)
    category = forms.RegexField(regex=r"^[0-9A-Za-z]{1,16}$", required=False)
    state = forms.ChoiceField(
        choices=[("", ""), ("open", "open"), ("closed", "closed")], required=False
    )


class MonthForm(forms.Form):
    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False)


class MyDataForm(forms.Form):
    id_number = forms.CharField(label=_("Your identity number"), max_length=32)

    def clean_id_number(self) -> str:
        value = normalised(self.cleaned_data["id_number"])
        if value is None:
            raise forms.ValidationError(
                _("An identity number has 18 characters: 17 digits and a digit or X.")
            )
        return value
