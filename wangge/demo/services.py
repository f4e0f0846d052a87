"""Build the demo district: the real 秦州区 divisions and outline, derived boundaries and grids,
grid workers with synthetic names, and one sign-in per role that exists so far."""

import datetime
import json
import random
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.contrib.auth.hashers import make_password
from django.db import transaction

from wangge.accounts.models import User
from wangge.demo.geometry import TownshipSeed, VillageSeed, derive_district
from wangge.regions import services as region_services
from wangge.regions.models import GridAssignment, GridRole, Level, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISIONS_FILE = DATA_DIR / "divisions-620502.csv"
OUTLINE_FILE = DATA_DIR / "boundary-620502-gcj02.json"
DISTRICT_CODE = "620502"
DEMO_PASSWORD = "wangge-demo-2026"
ASSIGNMENTS_START = datetime.date(2026, 1, 1)

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷"
    "龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志斌宁波琴兰梅凤云文"
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


@dataclass(frozen=True)
class DemoSummary:
    townships: int
    villages: int
    grids: int
    workers: int
    logins: list[DemoLogin]


def district_loaded() -> bool:
    return Region.objects.filter(code=DISTRICT_CODE, boundary__isnull=False).exists()


def demo_district_load(*, seed: int = 620502) -> DemoSummary:
    """Everything in one transaction: a failed load leaves nothing behind."""
    with transaction.atomic():
        region_services.divisions_import(
            actor=None, text=DIVISIONS_FILE.read_text(encoding="utf-8"), crs="gcj02"
        )
        region_services.boundaries_import(
            actor=None,
            text=OUTLINE_FILE.read_text(encoding="utf-8"),
            crs="gcj02",
            code=DISTRICT_CODE,
        )
        derived = derive_from_database(seed)
        # The derivation adds vertices along the outline's long edges (on them, to the last
        # float bit); storing the townships' exact union as the outline keeps every level
        # comparing equal to the one above it.
        outline = shapely.coverage_union_all(list(derived.townships.values()))
        region_services.boundaries_set(
            actor=None,
            boundaries=[
                (DISTRICT_CODE, outline),
                *derived.townships.items(),
                *derived.villages.items(),
            ],
        )
        villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE)}
        region_services.grids_create(
            actor=None,
            grids=[
                (code, grid_name(villages[code[:12]].name, int(code[12:])), shape)
                for code, shape in sorted(derived.grids.items())
            ],
        )
        workers = staff_grids(sorted(derived.grids), random.Random(seed))
        logins = create_logins(sorted(derived.grids)[0])
    return DemoSummary(
        townships=len(derived.townships),
        villages=len(derived.villages),
        grids=len(derived.grids),
        workers=workers,
        logins=logins,
    )


def derive_from_database(seed: int):  # type: ignore[no-untyped-def]
    district = Region.objects.get(code=DISTRICT_CODE)
    outline = shapely.from_geojson(json.dumps(district.boundary))
    townships = [
        TownshipSeed(code=r.code, name=r.name, point=centre_of(r))
        for r in Region.objects.filter(parent_id=DISTRICT_CODE, level=Level.TOWNSHIP)
    ]
    villages = [
        VillageSeed(
            code=r.code,
            township_code=r.parent_id or "",
            name=r.name,
            urban_rural_code=r.urban_rural_code,
            point=centre_of(r),
        )
        for r in Region.objects.filter(code__startswith=DISTRICT_CODE, level=Level.VILLAGE)
    ]
    return derive_district(outline, townships, villages, seed=seed)


def centre_of(region: Region) -> tuple[float, float] | None:
    if region.centre_lon is None or region.centre_lat is None:
        return None
    return (region.centre_lon, region.centre_lat)


def short_village_name(name: str) -> str:
    """进步巷社区居委会 → 进步巷社区, 苏成村民委员会 → 苏成村."""
    for suffix, keep in (("村民委员会", "村"), ("居民委员会", ""), ("居委会", ""), ("委员会", "")):
        if name.endswith(suffix):
            return name[: -len(suffix)] + keep
    return name


def grid_name(village_name: str, number: int) -> str:
    return f"{short_village_name(village_name)}第{number}网格"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def staff_grids(grid_codes: list[str], rng: random.Random) -> int:
    """A 网格长 per village (over all its grids) and a 专职网格员 per grid."""
    unusable = make_password(None)
    users, assignments = [], []
    leaders: dict[str, User] = {}
    for code in grid_codes:
        village = code[:12]
        if village not in leaders:
            leaders[village] = User(
                username=f"v{village}", name=person_name(rng), password=unusable
            )
            users.append(leaders[village])
        worker = User(username=f"g{code}", name=person_name(rng), password=unusable)
        users.append(worker)
        assignments.append((code, leaders[village], GridRole.LEADER))
        assignments.append((code, worker, GridRole.FULL_TIME))
    User.objects.bulk_create(users, batch_size=1000)
    saved = {
        user.username: user
        for user in User.objects.filter(username__in=[u.username for u in users])
    }
    GridAssignment.objects.bulk_create(
        [
            GridAssignment(
                grid_id=code, user=saved[user.username], role=role, starts_on=ASSIGNMENTS_START
            )
            for code, user, role in assignments
        ],
        batch_size=1000,
    )
    return len(users)


def create_logins(first_grid: str) -> list[DemoLogin]:
    """Sign-ins for the roles that exist so far; all share the printed demo password."""
    password = make_password(DEMO_PASSWORD)
    User.objects.create(
        username="admin", name="系统管理员", password=password, is_staff=True, is_superuser=True
    )
    worker = User.objects.get(username=f"g{first_grid}")
    worker.username, worker.password = "gridworker", password
    worker.save(update_fields=["username", "password"])
    leader = User.objects.get(username=f"v{first_grid[:12]}")
    leader.username, leader.password = "gridleader", password
    leader.save(update_fields=["username", "password"])
    part_time = User.objects.create(username="parttime", name="兼职网格员甲", password=password)
    GridAssignment.objects.create(
        grid_id=first_grid, user=part_time, role=GridRole.PART_TIME, starts_on=ASSIGNMENTS_START
    )
    return demo_logins()


def demo_logins() -> list[DemoLogin]:
    """The demo sign-ins present in the database, with what each one is."""
    logins = []
    usernames = ["admin", "gridleader", "gridworker", "parttime"]
    for user in User.objects.filter(username__in=usernames).order_by("date_joined", "id"):
        grids = sorted(user.grid_assignments.values_list("grid_id", flat=True))
        if user.is_superuser:
            role = "system administrator"
        elif user.username == "gridleader":
            role = f"grid leader (网格长) of village {grids[0][:12]}, {len(grids)} grids"
        elif user.username == "parttime":
            role = f"part-time grid worker (兼职网格员) of grid {', '.join(grids)}"
        else:
            role = f"full-time grid worker (专职网格员) of grid {', '.join(grids)}"
        logins.append(DemoLogin(user.username, role))
    return logins
