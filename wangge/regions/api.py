"""Region data: public for now (the access issue decides who may read what)."""

import math
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from wangge.core.api import ApiError, ErrorOut
from wangge.core.routes import access
from wangge.regions import selectors
from wangge.regions.locate import grid_for_point
from wangge.regions.models import Level, Region

router = Router(tags=["regions"])


class RegionRef(Schema):
    code: str
    name: str
    level: str


class Point(Schema):
    lon: float
    lat: float


class WorkerOut(Schema):
    name: str
    role: str
    role_display: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    level_display: str
    statistical_code: str | None
    parent_code: str | None
    urban_rural_code: str
    centre: Point | None
    bbox: list[float] | None
    parents: list[RegionRef]
    children_count: int
    workers: list[WorkerOut]


class ChildOut(Schema):
    code: str
    name: str
    level: str
    children_count: int


class LocateOut(Schema):
    code: str
    name: str
    parents: list[RegionRef]


def region_or_404(code: str) -> Region:
    try:
        return selectors.region_get(code)
    except Region.DoesNotExist:
        raise ApiError(
            404, "not_found", _("There is no region with code %(code)s.") % {"code": code}
        ) from None


def region_out(region: Region) -> dict[str, Any]:
    workers = selectors.grid_workers(region.code) if region.level == Level.GRID else []
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "level_display": region.get_level_display(),
        "statistical_code": region.statistical_code,
        "parent_code": region.parent_id,
        "urban_rural_code": region.urban_rural_code,
        "centre": {"lon": region.centre_lon, "lat": region.centre_lat}
        if region.centre_lon is not None
        else None,
        "bbox": list(region.bbox) if region.bbox else None,
        "parents": [ref(parent) for parent in selectors.region_ancestors(region)],
        "children_count": region.children.count(),
        "workers": [
            {"name": a.user.name, "role": a.role, "role_display": a.get_role_display()}
            for a in workers
        ],
    }


def ref(region: Region) -> dict[str, str]:
    return {"code": region.code, "name": region.name, "level": region.level}


@router.get("/regions", response=list[RegionRef], summary="Search regions by code or name")
@access("public", note="region data is public geography")
def search_regions(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=50),
    limit: int = Query(20, ge=1, le=100),
) -> list[dict[str, str]]:
    return [ref(region) for region in selectors.region_search(q, limit=limit)]


@router.get("/regions/{code}", response={200: RegionOut, 404: ErrorOut}, summary="One region")
@access("public", note="region data is public geography")
def get_region(request: HttpRequest, code: str) -> Any:
    return region_out(region_or_404(code))


@router.get(
    "/regions/{code}/children",
    response={200: list[ChildOut], 404: ErrorOut},
    summary="The region's children",
)
@access("public", note="region data is public geography")
@paginate(LimitOffsetPagination)
def list_children(request: HttpRequest, code: str) -> Any:
    region_or_404(code)
    return [
        {
            "code": child.code,
            "name": child.name,
            "level": child.level,
            "children_count": child.child_count,  # type: ignore[attr-defined]
        }
        for child in selectors.region_children(code)
    ]


@router.get(
    "/regions/{code}/boundary",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="The region's boundary as a GeoJSON Feature (WGS-84)",
)
@access("public", note="region data is public geography")
def get_boundary(request: HttpRequest, code: str) -> Any:
    feature = selectors.region_boundary_feature(region_or_404(code))
    if feature is None:
        raise ApiError(404, "no_boundary", _("Region %(code)s has no boundary.") % {"code": code})
    return feature


@router.get(
    "/regions/{code}/layer",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Simplified boundaries of every region of one level under this one (for maps)",
)
@access("public", note="region data is public geography")
def get_layer(
    request: HttpRequest,
    code: str,
    level: Literal["township", "village", "grid"] = Query(...),
) -> Any:
    region_or_404(code)
    return selectors.layer_feature_collection(code, level)


@router.get(
    "/locate",
    response={200: LocateOut, 404: ErrorOut, 422: ErrorOut},
    summary="The grid containing a point",
)
@access("public", note="region data is public geography")
def locate(
    request: HttpRequest,
    lon: float = Query(..., ge=-180, le=180, description="longitude"),
    lat: float = Query(..., ge=-90, le=90, description="latitude"),
    crs: Literal["wgs84", "gcj02", "bd09"] = Query("wgs84"),
) -> Any:
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ApiError(422, "invalid", _("Coordinates must be finite numbers."))
    code = grid_for_point(lon, lat, crs=crs)
    if code is None:
        raise ApiError(404, "not_in_grid", not_in_grid_message(lon, lat))
    grid = selectors.region_get(code)
    return {
        "code": grid.code,
        "name": grid.name,
        "parents": [ref(parent) for parent in selectors.region_ancestors(grid)],
    }


def not_in_grid_message(lon: float, lat: float) -> str:
    from django.conf import settings

    return _("The point %(lon)s, %(lat)s is not inside any grid of %(root)s.") % {
        "lon": lon,
        "lat": lat,
        "root": settings.WANGGE_ROOT_REGION,
    }
