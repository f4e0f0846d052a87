"""A register record's history as its page shows it: each change's action in words, each
field by its label, codes by their names, old → new. One reader for people, houses,
households and organisations."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from wangge.people.categories import CATEGORY_FIELDS
from wangge.people.models import CategoryKind, Change, Organisation, Person

LENGTH = 100
Naming = Callable[[Any], str]


def history_of(record: Model) -> QuerySet[Change]:
    """The record's changes, newest first, with who made them."""
    kind = str(record._meta.model_name)
    return Change.objects.filter(record_type=kind, record_id=record.pk).select_related("actor")


def history_rows(record: Model) -> list[dict[str, Any]]:
    return [history_row(change, type(record)) for change in history_of(record)[:LENGTH]]


def history_row(change: Change, model: type[Model]) -> dict[str, Any]:
    kind = str(change.changes.get("category", ""))
    fields = []
    for name, value in change.changes.items():
        label, named = field_naming(model, name, kind)
        parts = value if isinstance(value, list) else [value]
        fields.append((label, " → ".join(named(part) for part in parts)))
    action = action_labels().get(change.action, change.action)
    return {"at": change.at, "actor": change.actor, "action": action, "fields": fields}


def action_labels() -> dict[str, str]:
    return {
        "registered": _("registered"),
        "imported": _("imported"),
        "updated": _("updated"),
        "moved": _("moved to another grid"),
        "moved_out": _("moved out"),
        "deceased": _("deceased"),
        "merged": _("merged into another record"),
        "merged_in": _("took in a duplicate record"),
        "category_added": _("category added"),
        "category_changed": _("category details changed"),
        "category_ended": _("category ended"),
        "tags_set": _("tags changed"),
        "resident_added": _("resident added"),
        "resident_removed": _("resident removed"),
        "member_added": _("member added"),
        "member_removed": _("member removed"),
    }


def field_naming(model: type[Model], name: str, kind: str) -> tuple[str, Naming]:
    """The label of a changed field and how to name its values (a code by its name)."""
    if name == "category":
        return _("Category"), coded(dict(CategoryKind.choices))
    details = {detail.name: detail for detail in CATEGORY_FIELDS.get(kind, ())}
    if name in details:
        detail = details[name]
        return str(detail.label), coded(dict(detail.choices()) if detail.choices else {})
    others = {
        "on": _("On"),
        "tags": _("Tags"),
        "resident": _("resident"),
        "member": _("member"),
    }
    if name in others:
        return others[name], coded({})
    if model is Organisation and name == "name":
        return _("Organisation name"), coded({})
    field_model = Person if name == "relation_to_head" else model
    try:
        field = field_model._meta.get_field(name)
    except FieldDoesNotExist:
        return name, coded({})
    choices = {str(code): str(label) for code, label in (getattr(field, "choices", None) or [])}
    return str(getattr(field, "verbose_name", name)), coded(choices)


def coded(names: dict[Any, Any]) -> Naming:
    """How a stored value reads: the name of a code, yes or no, a dash for empty."""

    def named(value: Any) -> str:
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if value in (None, ""):
            return "—"
        return str(names.get(str(value), value))

    return named
