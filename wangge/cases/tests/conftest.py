"""Case personas on top of the shared ones: the district's urban-management bureau with a
handler, a second unit to send back to, and a point inside grid A."""

import pytest

from conftest import GRID_A, make_persona
from wangge.accounts.models import Department
from wangge.regions.models import Region

URBAN_CATEGORY = "E0102"  # 暴露垃圾: an urban-management event, handled from dispatch


def point_in(code: str) -> tuple[float, float]:
    """A WGS-84 point inside the region (its boundary's representative point)."""
    import shapely

    region = Region.objects.get(code=code)
    point = shapely.geometry.shape(region.boundary).representative_point()
    return point.x, point.y


@pytest.fixture
def grid_point(db) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    return point_in(GRID_A)


@pytest.fixture
def urban_unit(db) -> Department:  # type: ignore[no-untyped-def]
    return Department.objects.get(code="urban-management")


@pytest.fixture
def urban_handler(urban_unit):  # type: ignore[no-untyped-def]
    return make_persona("um_handler", "department_handler", department=urban_unit)


@pytest.fixture
def housing_handler(db):  # type: ignore[no-untyped-def]
    return make_persona(
        "housing_handler", "department_handler", department=Department.objects.get(code="housing")
    )
