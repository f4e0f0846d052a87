"""The only code that writes regions, boundaries and grid staffing."""

import datetime
import json
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from wangge.accounts.models import User
from wangge.audit.services import record
from wangge.core.errors import ImportFailed, ImportProblem
from wangge.regions.importers import (
    GRID_SIZE,
    DivisionRow,
    parse_boundary_geojson,
    parse_division_csv,
)
from wangge.regions.models import (
    CODE_LENGTHS,
    BoundaryVersion,
    GridAssignment,
    GridRole,
    Level,
    Region,
)


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


def boundary_version_bump() -> None:
    """Tell every process that boundaries changed; runs in the caller's transaction."""
    stamp = uuid.uuid4().hex
    updated = BoundaryVersion.objects.filter(pk=1).update(version=F("version") + 1, stamp=stamp)
    if not updated:
        BoundaryVersion.objects.update_or_create(pk=1, defaults={"version": 1, "stamp": stamp})


def divisions_import(*, actor: User | None, text: str, crs: str | None) -> ImportSummary:
    """Create or update regions from a statistical division list; all or nothing."""
    rows = parse_division_csv(text, crs=crs)
    with transaction.atomic():
        ancestors = missing_ancestors(rows)
        existing = set(
            Region.objects.filter(code__in=[row.code for row in rows]).values_list(
                "code", flat=True
            )
        )
        for region in ancestors:
            region.save()
        for row in sorted(rows, key=lambda row: len(row.code)):
            region_upsert_from_row(row)
        summary = ImportSummary(
            created=len(rows) - len(existing) + len(ancestors), updated=len(existing)
        )
        record(
            actor=actor,
            action="regions.divisions_imported",
            details={"created": summary.created, "updated": summary.updated},
            region_code=common_prefix([row.code for row in rows]),
        )
    return summary


def common_prefix(codes: Sequence[str]) -> str:
    """The deepest region code that all of these lie in ("" when none): the audit region."""
    prefix = os.path.commonprefix(list(codes)) if codes else ""
    for length in sorted(CODE_LENGTHS.values(), reverse=True):
        if len(prefix) >= length:
            return prefix[:length]
    return ""


def missing_ancestors(rows: Sequence[DivisionRow]) -> list[Region]:
    """Province and city rows that the file names only in its name columns."""
    in_file = {row.code for row in rows}
    needed: dict[str, Region] = {}
    problems = []
    for row in rows:
        parent = row.parent_code
        if parent is None or parent in in_file or parent in needed:
            continue
        if Region.objects.filter(code=parent).exists():
            continue
        names = {2: row.province_name, 4: row.city_name}
        if len(parent) in names and names[len(parent)]:
            needed.update(ancestor_chain(parent, names))
        else:
            problems.append(ImportProblem(f"parent region {parent} is unknown", line=row.line))
    if problems:
        raise ImportFailed(problems)
    return sorted(needed.values(), key=lambda region: len(region.code))


def ancestor_chain(code: str, names: dict[int, str]) -> dict[str, Region]:
    chain = {}
    for length, level in ((2, Level.PROVINCE), (4, Level.CITY)):
        if (
            length <= len(code)
            and names[length]
            and not Region.objects.filter(code=code[:length]).exists()
        ):
            parent_id = code[:2] if length == 4 else None
            chain[code[:length]] = Region(
                code=code[:length], name=names[length], level=level, parent_id=parent_id
            )
    return chain


def region_upsert_from_row(row: DivisionRow) -> None:
    centre = {"centre_lon": row.centre[0], "centre_lat": row.centre[1]} if row.centre else {}
    Region.objects.update_or_create(
        code=row.code,
        defaults={
            "name": row.name,
            "level": row.level,
            "parent_id": row.parent_code,
            "urban_rural_code": row.urban_rural_code,
            **centre,
        },
    )


def boundaries_import(*, actor: User | None, text: str, crs: str, code: str | None = None) -> int:
    """Set region boundaries from GeoJSON; every feature must name an existing region."""
    features = parse_boundary_geojson(text, crs=crs, code=code)
    known = set(
        Region.objects.filter(code__in=[f.code for f in features]).values_list("code", flat=True)
    )
    problems = [
        ImportProblem(f"region {feature.code} does not exist", feature=feature.number)
        for feature in features
        if feature.code not in known
    ]
    if problems:
        raise ImportFailed(problems)
    with transaction.atomic():
        boundaries_set(actor=actor, boundaries=[(f.code, f.geometry) for f in features])
    return len(features)


@dataclass(frozen=True)
class StoredBoundary:
    """The stored form of a boundary: GeoJSON, its bbox, and a point surely inside it."""

    geojson: dict[str, object]
    bbox: tuple[float, float, float, float]
    label: tuple[float, float]

    @classmethod
    def of(cls, geometry: BaseGeometry) -> "StoredBoundary":
        geometry = shapely.set_precision(geometry, GRID_SIZE)
        label = shapely.point_on_surface(geometry)
        return cls(
            geojson=json.loads(shapely.to_geojson(geometry)),
            bbox=tuple(geometry.bounds),  # type: ignore[arg-type]
            label=(label.x, label.y),
        )

    def apply(self, region: Region) -> None:
        region.boundary = self.geojson
        region.min_lon, region.min_lat, region.max_lon, region.max_lat = self.bbox
        if region.centre_lon is None or region.centre_lat is None:
            region.centre_lon, region.centre_lat = self.label


def boundaries_set(*, actor: User | None, boundaries: Iterable[tuple[str, BaseGeometry]]) -> None:
    """Write boundaries of existing regions; a region without a centre gets the label point."""
    codes: list[str] = []
    with transaction.atomic():
        for code, geometry in boundaries:
            if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
                raise ValidationError(
                    _("The boundary of %(code)s must be a polygon.") % {"code": code}
                )
            region = Region.objects.select_for_update().get(code=code)
            StoredBoundary.of(geometry).apply(region)
            region.save()
            codes.append(code)
        boundary_version_bump()
        record(
            actor=actor,
            action="regions.boundaries_set",
            details={"regions": len(codes), "first": codes[:1]},
            region_code=common_prefix(codes),
        )


def grids_create(
    *, actor: User | None, grids: Sequence[tuple[str, str, BaseGeometry]]
) -> list[Region]:
    """Create grids (code, name, boundary) under existing villages in one batch."""
    with transaction.atomic():
        regions = []
        for code, name, geometry in grids:
            region = Region(code=code, name=name, level=Level.GRID, parent_id=code[:12])
            StoredBoundary.of(geometry).apply(region)
            region.full_clean(validate_unique=False, validate_constraints=False)
            regions.append(region)
        created = Region.objects.bulk_create(regions, batch_size=500)
        boundary_version_bump()
        record(
            actor=actor,
            action="regions.grids_created",
            details={"grids": len(created)},
            region_code=common_prefix([region.code for region in created]),
        )
    return created


def grid_assign(
    *,
    actor: User | None,
    grid: Region,
    user: User,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> GridAssignment:
    if grid.level != Level.GRID:
        raise ValidationError(_("Grid workers can only be assigned to grids."))
    if role not in GridRole.values:
        raise ValidationError(_("Unknown grid role."))
    assignment = GridAssignment(
        grid=grid, user=user, role=role, starts_on=starts_on, ends_on=ends_on
    )
    assignment.full_clean()
    with transaction.atomic():
        assignment.save()
        record(
            actor=actor,
            action="regions.grid_assigned",
            target=user,
            details={"grid": grid.code, "role": role, "starts_on": starts_on.isoformat()},
            request=request,
            region_code=grid.code,
        )
    return assignment
