"""Report form definitions: the field list and rules an administrator writes, checked before
anything is saved, and the services that create and change a form.

A field is {"name", "label", "type", "required", "help", "choices", "columns", "prefill"}; a
rule is {"left", "op", "right", "message"}. Names are slugs, unique in the form; a rule names
existing number fields (the right side may be a number instead). A form that already has
submissions may change its labels, help, choices added, rules and settings, but a field that
holds data may not be removed or change its type (nor a table column): the definition is
refused with the field named. There is no form versioning: keep it simple, refuse.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core.errors import EditConflict
from wangge.reports.models import PeriodType, ReportForm, UnitLevel
from wangge.reports.prefill import PREFILL_KEYS

DEFINE = "reports.define_reportform"
FIELD_TYPES = ("number", "text", "choice", "date", "table")
COLUMN_TYPES = ("number", "text", "date")
OPS = ("<=", "<", ">=", ">", "==")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS, MAX_COLUMNS, MAX_RULES, MAX_CHOICES = 60, 20, 30, 50
MAX_DEADLINE = 60


class FormConflict(EditConflict):
    pass


@dataclass
class FormInput:
    code: str
    name: str
    period_type: str
    unit_levels: list[str]
    deadline_working_days: int
    fields: list[dict[str, Any]]
    rules: list[dict[str, Any]] = field(default_factory=list)
    description: str = ""
    active: bool = True


# --- checking a definition --------------------------------------------------------------------


def text_of(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def column_checked(owner: str, column: Any, problems: list[str]) -> dict[str, str]:
    column = column if isinstance(column, dict) else {}
    name = str(column.get("name", "")).strip()
    kind = str(column.get("type", "")).strip()
    if not NAME.match(name):
        problems.append(
            _("Table %(field)s: column name “%(name)s” must be lower-case letters, digits or _.")
            % {"field": owner, "name": name}
        )
    if kind not in COLUMN_TYPES:
        problems.append(
            _("Table %(field)s: column %(name)s has an unknown type “%(type)s”.")
            % {"field": owner, "name": name, "type": kind}
        )
    return {"name": name, "label": text_of(column.get("label"), 100) or name, "type": kind}


def field_checked(raw: Any, problems: list[str]) -> dict[str, Any]:
    raw = raw if isinstance(raw, dict) else {}
    name = str(raw.get("name", "")).strip()
    kind = str(raw.get("type", "")).strip()
    checked: dict[str, Any] = {
        "name": name,
        "label": text_of(raw.get("label"), 100) or name,
        "type": kind,
        "required": bool(raw.get("required")),
        "help": text_of(raw.get("help"), 300),
        "prefill": str(raw.get("prefill") or "").strip(),
    }
    if not NAME.match(name):
        problems.append(
            _("Field name “%(name)s” must start with a letter and hold only a-z, 0-9 and _.")
            % {"name": name}
        )
    if kind not in FIELD_TYPES:
        problems.append(
            _("Field %(name)s has an unknown type “%(type)s”.") % {"name": name, "type": kind}
        )
    if kind == "choice":
        choices = [text_of(choice, 50) for choice in raw.get("choices") or []]
        checked["choices"] = [choice for choice in choices if choice]
        if not checked["choices"] or len(checked["choices"]) > MAX_CHOICES:
            problems.append(_("Choice field %(name)s needs 1 to 50 choices.") % {"name": name})
    if kind == "table":
        columns = raw.get("columns") or []
        if not columns or len(columns) > MAX_COLUMNS:
            problems.append(_("Table field %(name)s needs 1 to 20 columns.") % {"name": name})
        checked["columns"] = [column_checked(name, column, problems) for column in columns]
        names = [column["name"] for column in checked["columns"]]
        if len(set(names)) != len(names):
            problems.append(_("Table %(name)s: column names must be unique.") % {"name": name})
    if checked["prefill"]:
        if checked["prefill"] not in PREFILL_KEYS:
            problems.append(
                _("Field %(name)s: unknown platform figure “%(key)s”.")
                % {"name": name, "key": checked["prefill"]}
            )
        elif kind != "number":
            problems.append(
                _("Field %(name)s: only number fields can be prefilled.") % {"name": name}
            )
    return checked


def fields_checked(raw_fields: Any) -> list[dict[str, Any]]:
    """The field list, normalised; any problem raises with every problem named."""
    if not isinstance(raw_fields, list) or not raw_fields:
        raise ValidationError({"fields": _("A form needs at least one field.")})
    if len(raw_fields) > MAX_FIELDS:
        raise ValidationError({"fields": _("A form has at most 60 fields.")})
    problems: list[str] = []
    checked = [field_checked(raw, problems) for raw in raw_fields]
    seen: set[str] = set()
    for each in checked:
        if each["name"] in seen:
            problems.append(_("Field name %(name)s is used twice.") % {"name": each["name"]})
        seen.add(each["name"])
    if problems:
        raise ValidationError({"fields": problems})
    return checked


def side_of(value: Any) -> str | Decimal:
    """A rule's side: a field name, or a number."""
    text = str(value if value is not None else "").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def rules_checked(raw_rules: Any, fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules, each between existing number fields (or a number on the right)."""
    if not isinstance(raw_rules, list):
        raise ValidationError({"rules": _("The rules must be a list.")})
    if len(raw_rules) > MAX_RULES:
        raise ValidationError({"rules": _("A form has at most 30 rules.")})
    numbers = {each["name"] for each in fields if each["type"] == "number"}
    names = {each["name"] for each in fields}
    problems: list[str] = []
    checked = []
    for raw in raw_rules:
        raw = raw if isinstance(raw, dict) else {}
        left, op, right = str(raw.get("left", "")).strip(), raw.get("op"), side_of(raw.get("right"))
        for side in (left, right):
            if isinstance(side, Decimal):
                continue
            if side not in names:
                problems.append(
                    _("A rule refers to a field that does not exist: “%(name)s”.") % {"name": side}
                )
            elif side not in numbers:
                problems.append(
                    _("A rule compares numbers only: %(name)s is not a number field.")
                    % {"name": side}
                )
        if op not in OPS:
            problems.append(_("A rule has an unknown comparison “%(op)s”.") % {"op": op})
        message = text_of(raw.get("message"), 200)
        right_out: Any = str(right) if isinstance(right, Decimal) else right
        checked.append({"left": left, "op": op, "right": right_out, "message": message})
    if problems:
        raise ValidationError({"rules": problems})
    return checked


def settings_checked(data: FormInput) -> None:
    problems: dict[str, str] = {}
    if not NAME.match(data.code.replace("-", "_")):
        problems["code"] = _("The code must be lower-case letters, digits, - or _.")
    if not data.name.strip():
        problems["name"] = _("Give the form a name.")
    if data.period_type not in PeriodType.values:
        problems["period_type"] = _("Choose a period type.")
    if not data.unit_levels or any(level not in UnitLevel.values for level in data.unit_levels):
        problems["unit_levels"] = _("Choose the unit levels that submit.")
    if not 0 <= data.deadline_working_days <= MAX_DEADLINE:
        problems["deadline_working_days"] = _("The deadline is 0 to 60 working days.")
    if problems:
        raise ValidationError(problems)


def definition_checked(data: FormInput) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    settings_checked(data)
    fields = fields_checked(data.fields)
    return fields, rules_checked(data.rules, fields)


# --- changes to a form with data --------------------------------------------------------------


def shape_of(each: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    columns = tuple((c["name"], c["type"]) for c in each.get("columns") or [])
    return each["type"], columns


def fields_with_data(form: ReportForm) -> set[str]:
    names: set[str] = set()
    for values in form.submissions.exclude(values={}).values_list("values", flat=True):
        names.update(name for name, value in (values or {}).items() if value not in ("", [], None))
    return names


def changes_refused(form: ReportForm, fields: list[dict[str, Any]]) -> list[str]:
    """The fields holding data that the new definition removes or reshapes."""
    used = fields_with_data(form)
    if not used:
        return []
    new = {each["name"]: each for each in fields}
    problems = []
    for old in form.fields:
        name = old["name"]
        if name not in used:
            continue
        if name not in new:
            problems.append(
                _("Field %(name)s holds submitted data: it cannot be removed.") % {"name": name}
            )
            continue
        old_type, old_columns = shape_of(old)
        new_type, new_columns = shape_of(new[name])
        if old_type != new_type or not set(old_columns) <= set(new_columns):
            problems.append(
                _("Field %(name)s holds submitted data: its type and columns cannot change.")
                % {"name": name}
            )
        elif old_type == "choice" and not set(old["choices"]) <= set(new[name]["choices"]):
            problems.append(
                _("Field %(name)s holds submitted data: its choices can be added, not removed.")
                % {"name": name}
            )
    return problems


# --- services ---------------------------------------------------------------------------------


def reportform_create(
    *, actor: Any, data: FormInput, request: HttpRequest | None = None
) -> ReportForm:
    if not actor.has_perm(DEFINE):
        raise PermissionDenied
    fields, rules = definition_checked(data)
    with transaction.atomic():
        if ReportForm.objects.filter(code=data.code).exists():
            raise ValidationError({"code": _("A form with this code exists already.")})
        form = ReportForm.objects.create(
            code=data.code,
            name=data.name.strip(),
            description=data.description.strip(),
            period_type=data.period_type,
            unit_levels=list(data.unit_levels),
            deadline_working_days=data.deadline_working_days,
            fields=fields,
            rules=rules,
            active=data.active,
            created_by=actor,
            created_at=timezone.now(),
        )
        record(
            actor=actor,
            action="reports.reportform_create",
            target=form,
            details={"code": form.code, "fields": [f["name"] for f in fields]},
            request=request,
        )
    return form


def reportform_update(
    *,
    actor: Any,
    form: ReportForm,
    data: FormInput,
    version: int,
    request: HttpRequest | None = None,
) -> ReportForm:
    """Change a form; its code and period type stay (submissions are keyed by them)."""
    if not actor.has_perm(DEFINE):
        raise PermissionDenied
    data.code, data.period_type = form.code, form.period_type
    fields, rules = definition_checked(data)
    with transaction.atomic():
        current = ReportForm.objects.select_for_update().get(pk=form.pk)
        if current.version != version:
            raise FormConflict(
                _("Someone changed this form meanwhile: reload the page and change it again.")
            )
        refused = changes_refused(current, fields)
        if refused:
            raise ValidationError({"fields": refused})
        current.name = data.name.strip()
        current.description = data.description.strip()
        current.unit_levels = list(data.unit_levels)
        current.deadline_working_days = data.deadline_working_days
        current.fields, current.rules, current.active = fields, rules, data.active
        current.version += 1
        current.save()
        record(
            actor=actor,
            action="reports.reportform_update",
            target=current,
            details={"code": current.code, "version": current.version},
            request=request,
        )
    return current
