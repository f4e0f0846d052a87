from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.core.routes import access
from wangge.regions import selectors
from wangge.regions.models import Region


def map_labels() -> dict[str, str]:
    """Words the map script shows, translated here so the script holds no language."""
    return {
        "townships": _("Townships and streets"),
        "villages": _("Villages and communities"),
        "grids": _("Grids"),
        "code": _("Code"),
        "township": _("Township"),
        "village": _("Village or community"),
        "workers": _("Grid workers"),
        "noWorkers": _("No grid worker assigned."),
        "noResults": _("No region matches."),
        "loading": _("Loading…"),
        "failed": _("Could not load the map data. Please try again."),
        "regionPage": _("Region page"),
        "notInGrid": _("This point is not inside any grid."),
    }


@access("signed_in")
@login_required
def region_map(request: HttpRequest) -> HttpResponse:
    root = settings.WANGGE_ROOT_REGION
    focus = request.GET.get("focus", "")
    return render(
        request,
        "regions/map.html",
        {
            "root_code": root,
            "focus": focus if focus.isdigit() else "",
            "api_base": reverse("api:api-root"),
            "region_url": reverse("regions:detail", args=["0"])[:-2],
            "tile_url": settings.WANGGE_TILE_URL,
            "tile_attribution": settings.WANGGE_TILE_ATTRIBUTION,
            "labels": map_labels(),
        },
    )


@access("signed_in")
@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = selectors.region_get(code)
    except Region.DoesNotExist:
        raise Http404(_("There is no region with code %(code)s.") % {"code": code}) from None
    return render(
        request,
        "regions/region.html",
        {
            "region": region,
            "ancestors": selectors.region_ancestors(region),
            "children": selectors.region_children_summaries(region),
            "workers": selectors.grid_workers(region.code) if region.level == "grid" else [],
            "people_counts": people_counts(request.user, region.code),
        },
    )


def people_counts(user: Any, region_code: str) -> list[tuple[str, str, int]]:
    """(category, label, count) of the people within the user's reach under the region, for
    users who may view people; empty for the others."""
    from wangge.people import access, selectors  # people depends on regions, not back
    from wangge.people.models import CategoryKind

    if not user.has_perm(access.VIEW_PERSON):
        return []
    counts = selectors.persons_count_by_category(access.persons_visible_to(user), region_code)
    return [(kind, str(label), counts.get(kind, 0)) for kind, label in CategoryKind.choices]
