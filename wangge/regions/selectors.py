"""Reads of regions, boundaries and grid staffing."""

import datetime
import json
from dataclasses import dataclass

import shapely
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wangge.regions.locate import boundary_version
from wangge.regions.models import CODE_LENGTHS, GridAssignment, GridRole, Level, Region

# Simplification tolerance per layer, in degrees (1e-4 ≈ 10 m): enough for a district map.
SIMPLIFY_DEGREES: dict[str, float] = {
    Level.TOWNSHIP: 3e-4,
    Level.VILLAGE: 1.5e-4,
    Level.GRID: 5e-5,
}


@dataclass(frozen=True)
class ChildSummary:
    region: Region
    child_count: int
    grid_count: int
    worker_count: int


def region_get(code: str) -> Region:
    return Region.objects.get(code=code)


def region_ancestors(region: Region) -> list[Region]:
    """The chain from the top of the tree down to the region's parent: one query."""
    prefixes = [region.code[:length] for length in sorted(CODE_LENGTHS.values())]
    codes = [prefix for prefix in prefixes if len(prefix) < len(region.code)]
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def region_children(code: str) -> QuerySet[Region]:
    return (
        Region.objects.filter(parent_id=code)
        .annotate(child_count=Count("children"))
        .order_by("code")
    )


def region_children_summaries(region: Region) -> list[ChildSummary]:
    """Children with how many children, grids and grid workers each holds: three queries."""
    children = list(region_children(region.code))
    if not children:
        return []
    length = len(children[0].code)
    grids = grid_counts_by_prefix(region.code, length)
    workers = worker_counts_by_prefix(region.code, length)
    return [
        ChildSummary(
            region=child,
            child_count=child.child_count,  # type: ignore[attr-defined]
            grid_count=1 if child.level == Level.GRID else grids.get(child.code, 0),
            worker_count=workers.get(child.code, 0),
        )
        for child in children
    ]


def grid_counts_by_prefix(code: str, length: int) -> dict[str, int]:
    rows = (
        Region.objects.filter(level=Level.GRID, code__startswith=code)
        .annotate(prefix=Substr("code", 1, length))
        .values("prefix")
        .annotate(total=Count("code"))
    )
    return {row["prefix"]: row["total"] for row in rows}


def active_assignments(on: datetime.date | None = None) -> QuerySet[GridAssignment]:
    day = on or timezone.localdate()
    return GridAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day
    )


def worker_counts_by_prefix(code: str, length: int) -> dict[str, int]:
    rows = (
        active_assignments()
        .filter(grid__code__startswith=code)
        .annotate(prefix=Substr("grid_id", 1, length))
        .values("prefix")
        .annotate(total=Count("user_id", distinct=True))
    )
    return {row["prefix"]: row["total"] for row in rows}


ROLE_ORDER = {role: rank for rank, role in enumerate(GridRole.values)}


def grid_workers(grid_code: str) -> list[GridAssignment]:
    """Current workers of a grid, the grid leader first."""
    assignments = active_assignments().filter(grid_id=grid_code).select_related("user")
    return sorted(assignments, key=lambda a: (ROLE_ORDER[a.role], a.starts_on, a.user.name))


def region_search(query: str, *, limit: int = 20) -> list[Region]:
    """By code prefix when the query is digits, otherwise by a part of the name;
    higher levels first."""
    query = query.strip()
    if not query:
        return []
    matches = (
        Region.objects.filter(code__startswith=query)
        if query.isdigit()
        else Region.objects.filter(name__contains=query)
    )
    return list(matches.order_by(Length("code"), "code")[:limit])


def region_boundary_feature(region: Region) -> dict[str, object] | None:
    if region.boundary is None:
        return None
    return {
        "type": "Feature",
        "properties": {"code": region.code, "name": region.name, "level": region.level},
        "bbox": list(region.bbox or ()),
        "geometry": region.boundary,
    }


def layer_feature_collection(code: str, level: str) -> dict[str, object]:
    """Boundaries of every region of `level` under `code`, simplified together.

    Coverage simplification keeps shared edges shared, so the map shows no slivers; the
    result is cached per boundary version, so edits show at once and repeats cost nothing.
    """
    key = f"regions:layer:{code}:{level}:{boundary_version()}"
    cached = cache.get(key)
    if cached is None:
        cached = build_layer(code, level)
        cache.set(key, cached, timeout=None)
    return cached  # type: ignore[no-any-return]


def build_layer(code: str, level: str) -> dict[str, object]:
    rows = list(
        Region.objects.filter(code__startswith=code, level=level, boundary__isnull=False)
        .order_by("code")
        .values_list("code", "name", "boundary")
    )
    shapes = [shapely.from_geojson(json.dumps(boundary)) for _, _, boundary in rows]
    tolerance = SIMPLIFY_DEGREES.get(level, 0)
    if shapes and tolerance:
        shapes = list(shapely.coverage_simplify(shapes, tolerance))
    features = [
        {
            "type": "Feature",
            "properties": {"code": row_code, "name": name},
            "geometry": json.loads(shapely.to_geojson(shapely.set_precision(shape, 1e-6))),
        }
        for (row_code, name, _), shape in zip(rows, shapes, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
