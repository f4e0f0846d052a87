"""The portal's request forms: raising a request, looking one up, and the answer once it is
closed. Shapes and lengths only; the rules are in `services_requests`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.portal.topics import TOPICS


def topic_choices() -> list[tuple[str, Any]]:
    return [("", _("— choose —"))] + [(topic.key, topic.label) for topic in TOPICS]


class RaiseForm(forms.Form):
    topic = forms.ChoiceField(label=_("What is it about?"), choices=topic_choices)
    description = forms.CharField(
        label=_("What is wrong, exactly?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
        error_messages={"required": _("Describe the problem.")},
    )
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    village = forms.CharField(label=_("Village or community"), required=False, max_length=12)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"maxlength": 200, "autocomplete": "street-address"}),
    )
    name = forms.CharField(
        label=_("Your name (optional, never shown publicly)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"maxlength": 32, "autocomplete": "name"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lon, lat = data.get("lon"), data.get("lat")
        if (lon is None) != (lat is None):
            self.add_error("lon", _("The map point is incomplete; put the pin again."))
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("Mobile number used for the request"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}
        ),
    )


class RateForm(forms.Form):
    fixed = forms.TypedChoiceField(
        label=_("Is it really fixed?"),
        choices=[("yes", _("Yes, it is fixed")), ("no", _("No, it is not fixed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you? (1 = not at all, 5 = very)"),
        choices=[(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("What is still not fixed? (needed when it is not fixed)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )
