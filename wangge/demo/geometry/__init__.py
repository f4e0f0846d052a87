"""Derive plausible township, village and grid polygons for the demo district.

The statistical division list gives names, codes and a few centre points, but no boundaries
below the district outline. This module invents them, deterministically, so that every level
tiles its parent *exactly*: the grids of a village cover the village, the villages cover their
township, the townships cover the district, with no gap and no overlap.

Exactness is the hard part. Intersecting Voronoi cells with a parent polygon rounds the points
where a cell edge crosses the parent boundary to the precision grid, which moves them off the
parent's edge, so the children no longer add up to the parent. Instead, every cut line that
reaches the parent boundary is ended on a nearby boundary vertex, all cut lines and the
boundary are noded together once (snap-rounding to ``GRID_SIZE``), and the children are unions
of the resulting faces. The parent boundary therefore keeps its exact vertices, and siblings
share identical edges. Internal edges are densified, so that the next level down finds
vertices to end its own cuts on. (Only where no vertex is near a crossing is the crossing
rounded instead, moving the boundary there by under one grid cell; with the demo data this
never happens.)

Pure geometry: no Django, no database. Coordinates are (lon, lat) degrees in any CRS.
"""

from wangge.demo.geometry.district import (
    CORE_RADIUS,
    PUSH_OUT,
    TOWN_CENTRE_CODE,
    URBAN_CODES,
    DerivedDistrict,
    TownshipSeed,
    VillageSeed,
    derive_district,
    grid_count_for,
    load_seeds,
)
from wangge.demo.geometry.partition import GRID_SIZE, partition

__all__ = [
    "CORE_RADIUS",
    "GRID_SIZE",
    "PUSH_OUT",
    "TOWN_CENTRE_CODE",
    "URBAN_CODES",
    "DerivedDistrict",
    "TownshipSeed",
    "VillageSeed",
    "derive_district",
    "grid_count_for",
    "load_seeds",
    "partition",
]
