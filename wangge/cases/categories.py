"""The category tree in the database: seeding it from `categories_seed`, and reading a
category's time limits back into the `deadlines` types."""

from typing import Any

from django.db import transaction

from wangge.cases.categories_seed import CATEGORIES, CategorySeed, leaves
from wangge.cases.deadlines import (
    DEFAULT_LIMITS,
    CategoryLimits,
    Limit,
    LimitUnit,
    StepLimit,
)
from wangge.cases.models import Category


def limit_json(limit: Limit | None) -> dict[str, Any] | None:
    return None if limit is None else {"amount": limit.amount, "unit": str(limit.unit)}


def limits_json(limits: CategoryLimits | None) -> dict[str, Any]:
    if limits is None:
        return {}
    return {
        name: {
            **(limit_json(step.limit) or {}),
            "starts_at": str(step.starts_at),
            "yellow": limit_json(step.yellow_after),
            "red": limit_json(step.red_after),
        }
        for name, step in limits.steps.items()
    }


def _limit(data: dict[str, Any] | None) -> Limit | None:
    if not data:
        return None
    return Limit(int(data["amount"]), LimitUnit(data["unit"]))


def limits_of(category: Category) -> CategoryLimits:
    """The category's own limits, or the nearest ancestor's, or the defaults."""
    data = category.limits
    node = category
    while not data and node.parent_id is not None:
        node = node.parent  # type: ignore[assignment]
        data = node.limits
    if not data:
        return DEFAULT_LIMITS
    steps = {}
    for name, step in data.items():
        limit = _limit(step)
        assert limit is not None
        steps[name] = StepLimit(
            limit,
            starts_at=step["starts_at"],
            yellow_after=_limit(step.get("yellow")),
            red_after=_limit(step.get("red")),
        )
    return CategoryLimits(steps)


def _row(seed: CategorySeed, leaf: bool) -> dict[str, Any]:
    return {
        "name": seed.name,
        "kind": str(seed.kind),
        "department_kind": seed.department_kind,
        "limits": limits_json(seed.limits),
        "on_site_verification": seed.on_site_verification,
        "public": seed.public,
        "extra_fields": [
            {"name": f.name, "label": f.label, "type": f.type, "choices": list(f.choices)}
            for f in seed.extra_fields
        ],
        "leaf": leaf,
        "source": seed.source[:200],
        "certainty": str(seed.certainty),
    }


def seed() -> int:
    """Create the seeded categories that are missing (by code); what a district changed or
    added is kept. Returns the number created."""
    leaf_codes = {item.code for item in leaves()}
    with transaction.atomic():
        by_code = {category.code: category for category in Category.objects.all()}
        created = 0
        for item in CATEGORIES:  # sorted by code: parents come first
            if item.code in by_code:
                continue
            values = _row(item, item.code in leaf_codes)
            parent = by_code.get(item.parent_code) if item.parent_code else None
            by_code[item.code] = Category.objects.create(code=item.code, parent=parent, **values)
            created += 1
    return created
