"""Forms of the report pages: a form definition as rows (no JSON to write), and the values of
a submission read from the posted fields."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.reports.definitions import FIELD_TYPES, OPS
from wangge.reports.models import PeriodType, ReportForm, UnitLevel
from wangge.reports.prefill import PREFILL_KEYS
from wangge.reports.submissions import MAX_ROWS

SEPARATORS = re.compile(r"[,，、;；\n]+")
TYPE_LABELS = {
    "number": gettext_lazy("number"),
    "text": gettext_lazy("text"),
    "choice": gettext_lazy("choice"),
    "date": gettext_lazy("date"),
    "table": gettext_lazy("table of rows"),
}


class DefinitionForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code (letters, digits, -)"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Form name"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=2000, required=False, widget=forms.Textarea
    )
    period_type = forms.ChoiceField(label=gettext_lazy("Period"), choices=PeriodType.choices)
    unit_levels = forms.MultipleChoiceField(
        label=gettext_lazy("Unit levels that submit"),
        choices=UnitLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline_working_days = forms.IntegerField(
        label=gettext_lazy("Deadline: working days after the period"),
        min_value=0,
        max_value=60,
        initial=3,
    )
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)


class FieldRowForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Field name (a-z, 0-9, _)"), required=False)
    label = forms.CharField(label=gettext_lazy("Label"), max_length=100, required=False)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"), choices=[(k, TYPE_LABELS[k]) for k in FIELD_TYPES]
    )
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    help = forms.CharField(label=gettext_lazy("Help text"), max_length=300, required=False)
    choices = forms.CharField(
        label=gettext_lazy("Choices, separated by commas"), max_length=2000, required=False
    )
    columns = forms.CharField(
        label=gettext_lazy("Table columns: name:label:type, separated by commas"),
        max_length=2000,
        required=False,
    )
    prefill = forms.ChoiceField(
        label=gettext_lazy("Prefill from the platform"),
        required=False,
        choices=[("", "—"), *PREFILL_KEYS.items()],
    )


class RuleRowForm(forms.Form):
    left = forms.CharField(label=gettext_lazy("Field"), max_length=40, required=False)
    op = forms.ChoiceField(label=gettext_lazy("Comparison"), choices=[(op, op) for op in OPS])
    right = forms.CharField(label=gettext_lazy("Field or number"), max_length=40, required=False)
    message = forms.CharField(
        label=gettext_lazy("Message when broken"), max_length=200, required=False
    )


FieldRows = forms.formset_factory(FieldRowForm, extra=3, max_num=60, absolute_max=60)
RuleRows = forms.formset_factory(RuleRowForm, extra=2, max_num=30, absolute_max=30)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


def columns_of(text: str) -> list[dict[str, str]]:
    columns = []
    for part in split_list(text):
        name, label, kind = (re.split(r"[:：]", part) + ["", "", ""])[:3]
        columns.append(
            {
                "name": name.strip(),
                "label": label.strip() or name.strip(),
                "type": kind.strip() or "text",
            }
        )
    return columns


def fields_from_rows(rows: Any) -> list[dict[str, Any]]:
    """The field list from the rows that name a field (empty rows are left out)."""
    fields = []
    for data in rows.cleaned_data:
        if not data or not data.get("name", "").strip():
            continue
        each = {key: data.get(key) for key in ("name", "label", "type", "required", "help")}
        each["prefill"] = data.get("prefill") or ""
        if data["type"] == "choice":
            each["choices"] = split_list(data.get("choices", ""))
        if data["type"] == "table":
            each["columns"] = columns_of(data.get("columns", ""))
        fields.append(each)
    return fields


def rules_from_rows(rows: Any) -> list[dict[str, Any]]:
    return [
        {key: data.get(key, "") for key in ("left", "op", "right", "message")}
        for data in rows.cleaned_data
        if data and data.get("left", "").strip()
    ]


def rows_of_fields(form: ReportForm) -> list[dict[str, Any]]:
    rows = []
    for each in form.fields:
        row = dict(each)
        row["choices"] = ", ".join(each.get("choices") or [])
        row["columns"] = ", ".join(
            f"{c['name']}:{c['label']}:{c['type']}" for c in each.get("columns") or []
        )
        rows.append(row)
    return rows


def initial_of_form(form: ReportForm) -> dict[str, Any]:
    names = ("code", "name", "description", "period_type", "unit_levels")
    initial = {name: getattr(form, name) for name in names}
    initial.update(deadline_working_days=form.deadline_working_days, active=form.active)
    return initial


# --- a submission's values --------------------------------------------------------------------


def table_rows_posted(post: Any, each: dict[str, Any]) -> list[dict[str, str]]:
    """A table's rows as posted; the row count is checked before any row is read."""
    name = each["name"]
    try:
        count = int(post.get(f"t-{name}-rows", "0"))
    except ValueError:
        count = 0
    if count > MAX_ROWS:
        raise ValidationError(
            {name: _("%(label)s: at most 1,000 rows.") % {"label": each["label"]}}
        )
    return [
        {
            column["name"]: post.get(f"t-{name}-{row}-{column['name']}", "")
            for column in each["columns"]
        }
        for row in range(max(count, 0))
    ]


def values_posted(form: ReportForm, post: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for each in form.fields:
        if each["type"] == "table":
            raw[each["name"]] = table_rows_posted(post, each)
        else:
            raw[each["name"]] = post.get(f"f-{each['name']}", "")
    return raw
