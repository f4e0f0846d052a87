"""Writes of a person's categories (with their details, `categories.py`) and tags: the same
conventions as `services` (one transaction, the version checked, a `Change` row and an audit
entry through `services.saved`)."""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wangge.core.errors import EditConflict
from wangge.people.categories import details_checked
from wangge.people.models import Person, PersonCategory, PersonStatus, PersonTag
from wangge.people.services import locked, saved

TAG_MAX = 20
TAGS_PER_PERSON = 20


def person_category_set(
    *,
    actor: Any,
    person: Person,
    kind: str,
    details: Mapping[str, Any],
    starts_on: datetime.date | None,
    version: int | None,
    request: HttpRequest | None = None,
) -> Person:
    """Add a category to a person, or change the details of their current one."""
    checked = details_checked(kind, details)
    with transaction.atomic():
        current = locked(person, version)
        if current.status != PersonStatus.ACTIVE:
            raise EditConflict(_("This person is no longer active here."))
        category = current.categories.filter(kind=kind, ends_on__isnull=True).first()
        if category is None:
            category = PersonCategory(person=current, kind=kind)
            action = "category_added"
        else:
            action = "category_changed"
        old = dict(category.details)
        category.details = checked
        category.starts_on = starts_on
        category.save()
        changes: dict[str, Any] = {"category": kind}
        for name in sorted(set(old) | set(checked)):
            if old.get(name, "") != checked.get(name, ""):
                changes[name] = [old.get(name, ""), checked.get(name, "")]
        return saved(actor, current, action, changes, request)


def person_category_end(
    *,
    actor: Any,
    person: Person,
    kind: str,
    on: datetime.date,
    version: int | None,
    request: HttpRequest | None = None,
) -> Person:
    """The person is no longer in this category from `on` (the record of it stays)."""
    with transaction.atomic():
        current = locked(person, version)
        category = current.categories.filter(kind=kind, ends_on__isnull=True).first()
        if category is None:
            raise EditConflict(_("This person is not in this category now."))
        if category.starts_on and on < category.starts_on:
            raise ValidationError({"on": _("This date is before the category began.")})
        category.ends_on = on
        category.save(update_fields=["ends_on"])
        changes = {"category": kind, "on": on.isoformat()}
        return saved(actor, current, "category_ended", changes, request)


def tags_clean(tags: Sequence[str]) -> list[str]:
    """Tags as stored: trimmed, without blanks and repeats, in the order given."""
    cleaned: list[str] = []
    for tag in tags:
        name = " ".join(str(tag).split())
        if name and name not in cleaned:
            cleaned.append(name)
    too_long = [name for name in cleaned if len(name) > TAG_MAX]
    if too_long:
        raise ValidationError(
            {
                "tags": _("A tag has at most %(count)d characters: %(tag)s")
                % {"count": TAG_MAX, "tag": too_long[0]}
            }
        )
    if len(cleaned) > TAGS_PER_PERSON:
        raise ValidationError(
            {"tags": _("At most %(count)d tags on one person.") % {"count": TAGS_PER_PERSON}}
        )
    return cleaned


def person_tags_set(
    *,
    actor: Any,
    person: Person,
    tags: Sequence[str],
    version: int | None,
    request: HttpRequest | None = None,
) -> Person:
    """Replace the person's tags; the history keeps the old and the new list."""
    wanted = tags_clean(tags)
    with transaction.atomic():
        current = locked(person, version)
        old = list(current.tags.order_by("id").values_list("name", flat=True))
        if set(old) == set(wanted):
            return current
        current.tags.exclude(name__in=wanted).delete()
        PersonTag.objects.bulk_create(
            [PersonTag(person=current, name=name) for name in wanted if name not in old]
        )
        changes = {"tags": ["、".join(old), "、".join(wanted)]}
        return saved(actor, current, "tags_set", changes, request)
