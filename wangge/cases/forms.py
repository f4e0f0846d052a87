"""Forms of the case pages: they parse; the services check and decide."""

from collections import defaultdict
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import Category, Channel
from wangge.cases.workflow import STATUS_LABELS, Status

CRS_CHOICES = [
    ("wgs84", _("WGS-84 (device GPS)")),
    ("gcj02", _("GCJ-02 (Amap, Tencent)")),
    ("bd09", _("BD-09 (Baidu)")),
]


def category_choices(kinds: tuple[str, ...] = ()) -> list[Any]:
    """Leaves grouped under their top-level class, for a <select> with optgroups."""
    categories = Category.objects.filter(active=True).only("code", "name", "leaf")
    if kinds:
        categories = categories.filter(kind__in=kinds)
    names = {}
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for category in categories.order_by("code"):
        names[category.code] = category.name
        if category.leaf:
            top = category.code[:3]
            parent = category.code[:-2]
            label = category.name
            if parent != top and parent in names:
                label = f"{names[parent]} · {category.name}"
            groups[top].append((category.code, label))
    return [("", "—")] + [
        (f"{top} {names.get(top, '')}", options) for top, options in sorted(groups.items())
    ]


class ReportForm(forms.Form):
    # Checked by the service (its message names the problem), so a plain field with a list.
    category = forms.CharField(label=_("Kind of problem"), max_length=16, widget=forms.Select)
    description = forms.CharField(
        label=_("What is the problem?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=200, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    crs = forms.ChoiceField(label=_("Coordinate system"), choices=CRS_CHOICES, initial="wgs84")
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    confirm_new = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = category_choices()


class IntakeForm(ReportForm):
    """A dispatcher's phone-in report: the caller, and a grid when there is no map point."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.PHONE, Channel.PHONE.label),
            (Channel.HOTLINE, Channel.HOTLINE.label),
            (Channel.DEPARTMENT, Channel.DEPARTMENT.label),
        ],
    )
    region_code = forms.CharField(label=_("Grid code"), max_length=15, required=False)
    reporter_name = forms.CharField(label=_("Caller's name"), max_length=64, required=False)
    reporter_phone = forms.CharField(label=_("Caller's phone"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or title"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("open", _("Any open status"))]
        + [(status.value, STATUS_LABELS[status]) for status in Status],
    )
    category = forms.RegexField(
        label=_("Category code"), regex=r"^[A-Z][0-9]*$", required=False, max_length=16
    )
    region = forms.RegexField(label=_("Region code"), regex=r"^[0-9]{6,15}$", required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
