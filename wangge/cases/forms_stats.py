"""The statistics page's query: period, region and grouping, checked into `stats.Filters`."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.cases import stats
from wangge.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"})
LONGEST_CUSTOM_DAYS = 731
PERIOD_CHOICES = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
    ("custom", _("From … to …")),
]


class StatisticsForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES)
    on = forms.DateField(label=_("Containing the day"), required=False, widget=DATE)
    region = forms.CharField(label=_("Region code"), max_length=15, required=False)
    group = forms.ChoiceField(label=_("Group by"), choices=list(stats.GROUPINGS.items()))

    def __init__(self, data: Any, *, default_region: str) -> None:
        values = {
            "period": "month",
            "on": timezone.localdate().isoformat(),
            "group": "region",
            "region": default_region,
        }
        values.update({key: value for key, value in data.items() if value != ""})
        super().__init__(values)
        # `from` is a Python keyword: these two are added by name.
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=DATE)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=DATE)
        self.order_fields(["period", "on", "from", "to", "region", "group"])

    def clean_region(self) -> str:
        code = self.cleaned_data["region"].strip()
        if not Region.objects.filter(code=code).exists():
            raise forms.ValidationError(_("There is no region with this code."))
        if len(code) > stats.VILLAGE_LENGTH:
            raise forms.ValidationError(
                _("Statistics go down to villages and communities; choose one of those.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") != "custom":
            return data
        start, end = data.get("from"), data.get("to")
        if start is None or end is None:
            if not self.has_error("from") and not self.has_error("to"):
                self.add_error("from", _("Give both the first and the last day."))
        elif start > end:
            self.add_error("to", _("The last day comes before the first."))
        elif (end - start).days >= LONGEST_CUSTOM_DAYS:
            self.add_error("to", _("Choose at most two years."))
        return data

    def dates(self) -> tuple[datetime.date, datetime.date]:
        data = self.cleaned_data
        if data["period"] == "custom":
            return data["from"], data["to"]
        return stats.PERIODS[data["period"]](data.get("on") or timezone.localdate())

    def filters(self) -> stats.Filters:
        start, end = self.dates()
        return stats.Filters(start, end, self.cleaned_data["region"])
