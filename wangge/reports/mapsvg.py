"""A map of units coloured by their reporting state, drawn on the server as SVG: the units'
boundaries (WGS-84 GeoJSON) projected flat, simplified to the drawing's resolution; no tiles,
no script. Colours are presentation attributes (the CSP forbids inline styles); every text is
escaped; each unit links to its drill-down when it has one.
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy
import shapely
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 420  # a tall unit is drawn narrower, not taller
LEGEND_ROW = 22
FONT = 13


@dataclass(frozen=True)
class MapUnit:
    code: str
    label: str  # name and state, shown on hover
    colour: str
    link: str = ""


def project(
    geometries: dict[str, shapely.Geometry],
) -> tuple[dict[str, shapely.Geometry], float]:
    """Longitude scaled by the cosine of the middle latitude, latitude flipped, fitted to
    WIDTH; returns the projected shapes and the drawing's height."""
    bounds = shapely.total_bounds(list(geometries.values()))
    west, south, east, north = (float(value) for value in bounds)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squeeze, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = min(WIDTH / span_x, HEIGHT / span_y)
    height = span_y * scale

    def flat(coordinates: numpy.ndarray) -> numpy.ndarray:
        x = (coordinates[:, 0] - west) * squeeze * scale
        y = (north - coordinates[:, 1]) * scale
        return numpy.column_stack([x, y])

    projected = {code: shapely.transform(geometry, flat) for code, geometry in geometries.items()}
    return projected, height


def path_of(geometry: shapely.Geometry) -> str:
    """An SVG path (even-odd holes) of a projected polygon or multipolygon."""
    parts = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = " L".join(f"{x:.1f},{y:.1f}" for x, y in ring.coords[:-1])
            parts.append(f"M{points}Z")
    return "".join(parts)


def shapes_of(boundaries: dict[str, object]) -> dict[str, shapely.Geometry]:
    shapes = {}
    for code, boundary in boundaries.items():
        if not boundary:
            continue
        geometry = shapely.from_geojson(json.dumps(boundary))
        if not geometry.is_empty:
            shapes[code] = geometry
    return shapes


def legend(items: Sequence[tuple[str, str]], top: float) -> list[str]:
    parts: list[str] = []
    x, y = 0.0, top
    for colour, label in items:
        width = 18 + FONT * (len(label) + 1)
        if x + width > WIDTH:
            x, y = 0.0, y + LEGEND_ROW
        parts.append(format_html(
            '<rect x="{}" y="{}" width="12" height="12" fill="{}" stroke="#555"/>'
            '<text x="{}" y="{}" font-size="{}" fill="#333">{}</text>',
            f"{x:.1f}", f"{y:.1f}", colour, f"{x + 16:.1f}", f"{y + 11:.1f}", FONT, label,
        ))  # fmt: skip
        x += width
    return parts


def units_map(
    title: str,
    units: Sequence[MapUnit],
    boundaries: dict[str, object],
    key: Sequence[tuple[str, str]],
) -> SafeString | None:
    """The units' shapes filled with their colour, a key below; None when no unit has a
    boundary to draw."""
    shapes = shapes_of({unit.code: boundaries.get(unit.code) for unit in units})
    if not shapes:
        return None
    projected, height = project(shapes)
    tolerance = 0.6
    parts: list[str] = []
    for unit in units:
        shape = projected.get(unit.code)
        if shape is None:
            continue
        drawn = path_of(shapely.simplify(shape, tolerance, preserve_topology=True))
        element = format_html(
            '<path d="{}" fill="{}" fill-rule="evenodd" stroke="#fff" stroke-width="1" '
            'data-unit="{}"><title>{}</title></path>',
            drawn,
            unit.colour,
            unit.code,
            unit.label,
        )
        if unit.link:
            element = format_html('<a href="{}">{}</a>', unit.link, element)
        parts.append(element)
    rows = 1 + sum(FONT * (len(label) + 1) + 18 for _colour, label in key) // WIDTH
    parts += legend(key, height + 12)
    total = height + 20 + rows * LEGEND_ROW
    head = format_html(
        '<svg class="units-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="{}"><title>{}</title>',
        WIDTH,
        f"{total:.0f}",
        WIDTH,
        f"{total:.0f}",
        title,
        title,
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 - parts are escaped
