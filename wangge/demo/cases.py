"""Synthetic cases for the demo district, made through the case services (so every one has
its honest timeline, rollups and audit entries) at moments over the last weeks.

They lie in the demo accounts' village, reported by `gridworker`, registered and dispatched
by `dispatcher`, handled by `cityhandler` (city management) or `handler` (the police station),
verified by `gridleader` and rated by the reporter; the newest stop earlier in the flow so
every queue has work in it. Some take too long, so the sweep raises supervision on them.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import shapely
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import Department, User
from wangge.cases import services
from wangge.cases.models import Category
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.workflow import Action
from wangge.regions.models import Level, Region

PROBLEMS = [
    ("E0102", "城管", "路边垃圾堆积，有异味"),
    ("E0104", "城管", "人行道路面有大片油污"),
    ("E0101", "城管", "小区内私搭乱建彩钢房"),
    ("C0101", "城管", "上水井盖缺失，有人踩空风险"),
    ("C0105", "城管", "路灯井盖松动，车辆经过声响很大"),
    ("E0201", "城管", "电线杆上贴满非法小广告"),
    ("S0301", "派出所", "小区围墙护栏损坏，外人可随意进出"),
    ("H0101", "派出所", "楼道堆放杂物，堵塞消防通道"),
]


@dataclass(frozen=True)
class Cast:
    reporter: User
    dispatcher: User
    verifier: User
    city: User
    police: User
    city_unit: Department
    police_unit: Department


def _cast() -> Cast | None:
    users = {user.username: user for user in User.objects.filter(is_demo=True)}
    needed = ("gridworker", "dispatcher", "gridleader", "cityhandler", "handler")
    if any(name not in users for name in needed):
        return None
    police = users["handler"].memberships.filter(department__isnull=False).first()
    city = users["cityhandler"].memberships.filter(department__isnull=False).first()
    if police is None or city is None or police.department is None or city.department is None:
        return None
    return Cast(
        users["gridworker"],
        users["dispatcher"],
        users["gridleader"],
        users["cityhandler"],
        users["handler"],
        city.department,
        police.department,
    )


def _point_in(region: Region, rng: random.Random) -> tuple[float, float]:
    shape = shapely.geometry.shape(region.boundary)
    min_x, min_y, max_x, max_y = shape.bounds
    for _ in range(50):
        point = shapely.Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if shape.contains(point):
            return point.x, point.y
    inner = shape.representative_point()
    return inner.x, inner.y


def demo_cases_load(count: int = 60, *, seed: int = 620502, now: datetime | None = None) -> int:
    """Create `count` cases over the last 45 days; returns how many were made."""
    cast = _cast()
    if cast is None:
        return 0
    village = cast.verifier.memberships.filter(region__isnull=False).first()
    if village is None:
        return 0
    grids = list(Region.objects.filter(parent_id=village.region_id, level=Level.GRID))
    known = set(Category.objects.filter(leaf=True).values_list("code", flat=True))
    problems = [problem for problem in PROBLEMS if problem[0] in known]
    if not grids or not problems:
        return 0
    rng = random.Random(seed)
    now = now or timezone.now()
    made = 0
    with transaction.atomic():
        for index in range(count):
            age = timedelta(days=45) * (1 - index / count) + timedelta(minutes=rng.randrange(600))
            # The newest eight stop one step further each: work waiting in every queue.
            steps = max(0, index - (count - 8)) if index >= count - 8 else 99
            _one(cast, rng, rng.choice(grids), rng.choice(problems), now - age, now, steps)
            made += 1
        services.sweep(now)
    return made


def _one(
    cast: Cast,
    rng: random.Random,
    grid: Region,
    problem: tuple[str, str, str],
    start: datetime,
    now: datetime,
    steps: int,
) -> None:
    code, owner, text = problem
    lon, lat = _point_in(grid, rng)
    case = services.report(cast.reporter, ReportInput(code, text, lon=lon, lat=lat), now=start)
    at = start
    unit, handler = (
        (cast.city_unit, cast.city) if owner == "城管" else (cast.police_unit, cast.police)
    )

    def step(actor: User, action: str, later: timedelta, **given: object) -> bool:
        nonlocal at, case, steps
        at = at + later
        if at >= now or steps <= 0:
            return False
        steps -= 1
        case = services.act(case.pk, actor, ActionInput(action, case.version, **given), now=at)  # type: ignore[arg-type]
        return True

    minutes = timedelta(minutes=1)
    if not step(cast.dispatcher, Action.REGISTER, minutes * rng.randrange(5, 90)):
        return
    if rng.random() < 0.05 and steps > 10:
        step(cast.dispatcher, Action.CANCEL, minutes * 5, reason="经核实不属实")
        return
    if not step(
        cast.dispatcher, Action.DISPATCH, minutes * rng.randrange(5, 60), lead_department_id=unit.pk
    ):
        return
    if not step(handler, Action.ACCEPT, minutes * rng.randrange(20, 600)):
        return
    days = rng.choice([0.3, 0.5, 1, 2, 3, 4, 6, 9, 12])
    if not step(handler, Action.FEED_BACK, timedelta(days=days), reason="已到现场处置完毕"):
        return
    if rng.random() < 0.15:
        if not step(cast.verifier, Action.REWORK, timedelta(hours=3), reason="现场复查仍未解决"):
            return
        if not step(handler, Action.FEED_BACK, timedelta(days=1), reason="已再次处置"):
            return
    if not step(cast.verifier, Action.VERIFY, timedelta(hours=rng.randrange(1, 20))):
        return
    if rng.random() < 0.7:
        rating = rng.choice([5, 5, 5, 4, 4, 3, 2])
        step(cast.reporter, Action.RATE, timedelta(hours=rng.randrange(1, 48)), rating=rating)
