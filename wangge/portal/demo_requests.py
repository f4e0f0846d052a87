"""Demo requests raised on the portal by made-up residents (mobiles 1390000xxxx) in the demo
accounts' township 620502001: one new, one being handled, one closed so it can be rated.
Made through the same services as a real request; loading twice adds nothing."""

from dataclasses import dataclass

import shapely

from wangge.accounts.models import User
from wangge.cases import services as cases
from wangge.cases.models import Case
from wangge.cases.services import ActionInput
from wangge.cases.workflow import Action
from wangge.portal import services_requests as services
from wangge.portal.models import PortalRequest
from wangge.regions.models import Level, Region


@dataclass(frozen=True)
class DemoRequest:
    phone: str
    topic: str
    description: str
    name: str
    until: tuple[str, ...]  # the workflow steps staff take on it


STAFF_STEPS = (
    ("dispatcher", Action.REGISTER),
    ("dispatcher", Action.DISPATCH),
    ("cityhandler", Action.ACCEPT),
    ("cityhandler", Action.FEED_BACK),
    ("gridleader", Action.VERIFY),
)

REQUESTS = (
    DemoRequest("13900001001", "street_light", "小区门口的路灯晚上不亮，已经一周了", "", ()),
    DemoRequest(
        "13900001002", "posters", "单元门口和电线杆上贴满小广告", "李女士", ("register", "dispatch")
    ),
    DemoRequest(
        "13900001003",
        "rubbish",
        "巷子口垃圾堆了好几天，气味很大",
        "",
        ("register", "dispatch", "accept", "feed_back", "verify"),
    ),
)


def _point(index: int) -> tuple[float, float] | None:
    grids = list(
        Region.objects.filter(level=Level.GRID, code__startswith="620502001")
        .exclude(boundary=None)
        .order_by("code")[:3]
    )
    if not grids:
        return None
    shape = shapely.geometry.shape(grids[index % len(grids)].boundary)
    inner = shape.representative_point()
    return inner.x, inner.y


def _handled(case: Case, steps: tuple[str, ...], staff: dict[str, User]) -> None:
    city = staff["cityhandler"].memberships.filter(department__isnull=False).first()
    for username, action in STAFF_STEPS:
        if action.value not in steps:
            continue
        case.refresh_from_db()
        given = ActionInput(
            action,
            case.version,
            reason="已清理，并请环卫每日巡查" if action == Action.FEED_BACK else "",
            lead_department_id=city.department_id if action == Action.DISPATCH and city else None,
        )
        case = cases.act(case.pk, staff[username], given)


def load() -> int:
    """Raise the demo requests not raised yet; returns how many were made."""
    names = {name for name, _ in STAFF_STEPS}
    staff = {user.username: user for user in User.objects.filter(username__in=names)}
    made = 0
    for index, demo in enumerate(REQUESTS):
        if PortalRequest.objects.filter(phone=demo.phone).exists():
            continue
        point = _point(index)
        if point is None or (demo.until and len(staff) < len(names)):
            continue
        portal_request = services.request_raise(
            phone=demo.phone,
            data=services.RequestInput(
                topic=demo.topic,
                description=demo.description,
                lon=point[0],
                lat=point[1],
                name=demo.name,
            ),
        )
        _handled(portal_request.case, demo.until, staff)
        made += 1
    return made
