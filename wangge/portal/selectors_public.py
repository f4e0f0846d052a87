"""What the public sees of residents' requests: only published requests in public categories,
placed by village (never the address), with the moderated text; and a map of the district's
townships with the requests as dots at their village's centre, drawn on the server."""

from dataclasses import dataclass

import shapely
from django.db.models import Q, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wangge.cases.models import Attachment, Case, CaseEvent
from wangge.cases.workflow import Status
from wangge.portal.models import Moderation, PortalRequest
from wangge.regions.models import Region
from wangge.reports.mapsvg import WIDTH, path_of, project, shapes_of

CLOSED_STATUSES = (Status.CLOSED.value, Status.CANCELLED.value)


def published() -> QuerySet[PortalRequest]:
    return PortalRequest.objects.filter(
        moderation=Moderation.PUBLISHED, case__category__public=True
    ).select_related("case__category", "case__lead_department")


def filtered(township: str = "", category: str = "", state: str = "") -> QuerySet[PortalRequest]:
    found = published()
    if township:
        found = found.filter(case__region_code__startswith=township)
    if category:
        found = found.filter(case__category_code=category)
    if state == "open":
        found = found.exclude(case__status__in=CLOSED_STATUSES)
    elif state == "closed":
        found = found.filter(case__status__in=CLOSED_STATUSES)
    return found.order_by("-created_at", "-pk")


def townships() -> list[Region]:
    return list(Region.objects.filter(level="township").order_by("code"))


def public_categories() -> list[tuple[str, str]]:
    rows = published().values_list("case__category_code", "case__category__name").distinct()
    return sorted(set(rows))


def place_names(codes: set[str]) -> dict[str, str]:
    """Region code → "township · village" for the villages and townships of `codes`."""
    wanted = {code[:9] for code in codes} | {code[:12] for code in codes if len(code) >= 12}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    places = {}
    for code in codes:
        parts = [names.get(code[:9], ""), names.get(code[:12], "") if len(code) >= 12 else ""]
        places[code] = " · ".join(part for part in parts if part)
    return places


def public_request(case_number: str) -> PortalRequest | None:
    return published().filter(case__number=case_number).first()


def public_events(case: Case) -> list[CaseEvent]:
    return list(case.events.filter(public=True).order_by("at", "id"))


def public_photos(item: PortalRequest) -> list[Attachment]:
    if not item.photos_public:
        return []
    return list(item.case.attachments.filter(stage="report").order_by("id"))


@dataclass(frozen=True)
class Dot:
    lon: float
    lat: float
    label: str
    link: str
    closed: bool


def dots_for(items: list[PortalRequest], links: dict[int, str]) -> list[Dot]:
    """One dot per request at the centre of its village (else its township): never the
    exact place, which could identify a home."""
    codes = {item.case.region_code for item in items}
    wanted = {code[:12] for code in codes} | {code[:9] for code in codes}
    centres: dict[str, tuple[float, float]] = {
        code: (float(lon or 0), float(lat or 0))
        for code, lon, lat in Region.objects.filter(code__in=wanted)
        .filter(~Q(centre_lon=None), ~Q(centre_lat=None))
        .values_list("code", "centre_lon", "centre_lat")
    }
    dots = []
    for item in items:
        code = item.case.region_code
        centre = centres.get(code[:12]) or centres.get(code[:9])
        if centre is None:
            continue
        dots.append(
            Dot(
                centre[0],
                centre[1],
                f"{item.case.number} {item.case.category.name}",
                links[item.pk],
                item.case.status in CLOSED_STATUSES,
            )
        )
    return dots


def requests_map(dots: list[Dot]) -> SafeString | None:
    """The townships' outlines and the requests as dots; None without boundaries."""
    boundaries = dict(
        Region.objects.filter(level="township")
        .exclude(boundary=None)
        .values_list("code", "boundary")
    )
    shapes = shapes_of(boundaries)
    if not shapes:
        return None
    geometries = dict(shapes)
    for index, dot in enumerate(dots):
        geometries[f"dot{index}"] = shapely.Point(dot.lon, dot.lat)
    projected, height = project(geometries)
    parts: list[str] = []
    for code in shapes:
        parts.append(
            format_html(
                '<path d="{}" fill="#eef3f8" fill-rule="evenodd" stroke="#7a8a9a" '
                'stroke-width="1"/>',
                path_of(shapely.simplify(projected[code], 0.6, preserve_topology=True)),
            )
        )
    for index, dot in enumerate(dots):
        point = projected[f"dot{index}"]
        parts.append(
            format_html(
                '<a href="{}"><circle cx="{}" cy="{}" r="6" fill="{}" stroke="#fff" '
                'stroke-width="1.5"><title>{}</title></circle></a>',
                dot.link,
                f"{point.x:.1f}",
                f"{point.y:.1f}",
                "#4a7f3c" if dot.closed else "#c0392b",
                dot.label,
            )
        )
    title = _("Map of published requests")
    head = format_html(
        '<svg class="requests-map" xmlns="http://www.w3.org/2000/svg" viewBox="-8 -8 {} {}" '
        'role="img" aria-label="{}"><title>{}</title>',
        WIDTH + 16,
        f"{height + 16:.0f}",
        title,
        title,
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 - parts are escaped
