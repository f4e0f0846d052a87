"""The sensitive-period pages: the list, declaring one, and a day's obligations with the
missing list. Each checks the permission (403), then the place (404), then calls
`sensitive`."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.core.forms import errors_onto
from wangge.core.routes import access
from wangge.reports import sensitive
from wangge.reports.models import PeriodType, ReportForm
from wangge.reports.sensitive import DEFINE, ROLLUP


class AnyFormField(forms.TypedChoiceField):
    """A form id as a number: whether it names a daily form is the service's decision, so its
    message (not "select a valid choice") is what the person reads."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()


class SensitiveForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the period"), max_length=100)
    starts_on = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    form = AnyFormField(label=gettext_lazy("Daily report form"), coerce=int)
    units = forms.CharField(
        label=gettext_lazy("Units (region codes; empty: every unit that submits the form)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["form"]
        assert isinstance(field, AnyFormField)
        daily = ReportForm.objects.filter(active=True, period_type=PeriodType.DAILY)
        field.choices = [("", "—")] + [(each.pk, f"{each.name} ({each.code})") for each in daily]


@access("permission", permission=ROLLUP, note="periods concerning one's area")
@login_required
def sensitive_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(ROLLUP):
        raise PermissionDenied
    today = timezone.localdate()
    context = {
        "periods": sensitive.sensitive_periods_visible_to(request.user),
        "today": today,
        "can_define": request.user.has_perm(DEFINE),
    }
    return render(request, "reports/sensitive_list.html", context)


@access("permission", permission=DEFINE, note="the units named are checked against one's area")
@login_required
def sensitive_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(DEFINE):
        raise PermissionDenied
    if request.method != "POST":
        today = timezone.localdate().isoformat()
        form = SensitiveForm(initial={"starts_on": today, "ends_on": today})
        return render(request, "reports/sensitive_new.html", {"form": form})
    form = SensitiveForm(request.POST)
    if form.is_valid():
        data = sensitive.SensitiveInput(
            name=form.cleaned_data["name"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            form_id=form.cleaned_data["form"],
            region_prefixes=sensitive.prefixes_parsed(form.cleaned_data["units"]),
        )
        try:
            declared = sensitive.sensitive_period_create(
                actor=request.user, data=data, request=request
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request,
                _("Sensitive period “%(name)s” declared: the units owe a daily report.")
                % {"name": declared.name},
            )
            return redirect(reverse("reports:sensitive_list"))
    return render(request, "reports/sensitive_new.html", {"form": form}, status=400)


def day_url(parent_code: str, day: datetime.date) -> str:
    query = urlencode({"parent": parent_code, "day": day.isoformat()})
    return reverse("reports:sensitive_day") + "?" + query


@access("permission", permission=ROLLUP, scoped=True, note="a unit within one's area")
@login_required
def sensitive_day(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(ROLLUP):
        raise PermissionDenied
    parents = sensitive.parents_of(request.user)
    code = request.GET.get("parent") or (parents[0] if parents else "")
    if not code:
        return render(request, "reports/sensitive_day.html", {"no_unit": True})
    parent = sensitive.parent_or_404(request.user, code)
    given = request.GET.get("day", "")
    try:
        day = datetime.date.fromisoformat(given) if given else timezone.localdate()
    except ValueError:
        problem = {"parent": parent, "day_error": _("Choose a day (YYYY-MM-DD).")}
        return render(request, "reports/sensitive_day.html", problem, status=400)
    one = datetime.timedelta(days=1)
    context = {
        "parent": parent,
        "day": day,
        "tables": sensitive.day_tables(parent, day, timezone.now()),
        "previous": day_url(parent.code, day - one),
        "next": day_url(parent.code, day + one),
    }
    return render(request, "reports/sensitive_day.html", context)
