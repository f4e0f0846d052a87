"""Build the demo district: the real 秦州区 divisions and outline, derived boundaries and grids,
grid workers with synthetic names, and one sign-in per role that exists so far."""

import datetime
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from django.contrib.auth.hashers import make_password
from django.db import transaction

from wangge.accounts.models import Department, DepartmentKind, Membership, Role, User
from wangge.demo.geometry import TownshipSeed, VillageSeed, derive_district
from wangge.regions import services as region_services
from wangge.regions.models import GridAssignment, GridRole, Level, Region

if TYPE_CHECKING:
    from wangge.demo.population import PopulationSummary

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
    population: "PopulationSummary | None" = None


def district_loaded() -> bool:
    return Region.objects.filter(code=DISTRICT_CODE, boundary__isnull=False).exists()


def demo_district_load(
    *, seed: int = 620502, scale: str = "small", people: int | None = None
) -> DemoSummary:
    """Everything in one transaction: a failed load leaves nothing behind. The synthetic
    population is `scale` small (a few villages) or district (every grid, or `people`)."""
    # Imported here: the population module reuses this module's name parts.
    from wangge.demo.population import population_load

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
        create_departments()
        logins = create_logins(sorted(derived.grids)[0])
        population = population_load(scale=scale, people=people, seed=seed)
    return DemoSummary(
        townships=len(derived.townships),
        villages=len(derived.villages),
        grids=len(derived.grids),
        workers=workers,
        logins=logins,
        population=population,
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
    """A 网格长 per village (over all its grids) and a 专职网格员 per grid, each with the
    matching post (membership) and grid assignments."""
    unusable = make_password(None)
    users: list[User] = []
    posts: list[tuple[str, str, str]] = []  # username, role, region
    assignments: list[tuple[str, str, str]] = []  # grid, username, grid role
    villages_staffed: set[str] = set()
    for code in grid_codes:
        leader = f"v{code[:12]}"
        if code[:12] not in villages_staffed:
            villages_staffed.add(code[:12])
            users.append(
                User(
                    username=leader,
                    name=person_name(rng),
                    mobile=synthetic_mobile(rng),
                    password=unusable,
                )
            )
            posts.append((leader, Role.GRID_LEADER, code[:12]))
        worker = f"g{code}"
        users.append(
            User(
                username=worker,
                name=person_name(rng),
                mobile=synthetic_mobile(rng),
                password=unusable,
            )
        )
        posts.append((worker, Role.GRID_WORKER, code))
        assignments += [(code, leader, GridRole.LEADER), (code, worker, GridRole.FULL_TIME)]
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(
        User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id")
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=ids[name], role=role, region_id=region, starts_on=ASSIGNMENTS_START)
            for name, role, region in posts
        ],
        batch_size=1000,
    )
    GridAssignment.objects.bulk_create(
        [
            GridAssignment(grid_id=code, user_id=ids[name], role=role, starts_on=ASSIGNMENTS_START)
            for code, name, role in assignments
        ],
        batch_size=1000,
    )
    return len(users)


def synthetic_mobile(rng: random.Random) -> str:
    """A made-up number in the 199 range with 0000 in the middle, so that nobody mistakes
    demo data for a real person's."""
    return f"1990000{rng.randrange(10_000):04d}"


DEMO_USERNAMES = [
    "admin",
    "districtadmin",
    "leader",
    "auditor",
    "dispatcher",
    "handler",
    "cityhandler",
    "gridleader",
    "gridworker",
    "parttime",
    "mediator",
    "villagecadre",
    "villagecadre2",
    "townshipleader",
    "petitionofficer",
    "legalaid",
]


def create_logins(first_grid: str) -> list[DemoLogin]:
    """A sign-in for every role; all share the printed demo password."""
    password = make_password(DEMO_PASSWORD)
    User.objects.create(
        username="admin",
        name="系统管理员",
        password=password,
        is_staff=True,
        is_superuser=True,
        is_demo=True,
    )
    for old, new in ((f"g{first_grid}", "gridworker"), (f"v{first_grid[:12]}", "gridleader")):
        User.objects.filter(username=old).update(username=new, password=password, is_demo=True)
    part_time = User.objects.create(
        username="parttime", name="兼职网格员甲", password=password, is_demo=True
    )
    GridAssignment.objects.create(
        grid_id=first_grid, user=part_time, role=GridRole.PART_TIME, starts_on=ASSIGNMENTS_START
    )
    township = first_grid[:9]
    posts: list[tuple[User | str, str, str | None, str | None]] = [
        (part_time, Role.GRID_WORKER, first_grid, None),
        ("dispatcher", Role.DISPATCHER, township, None),
        ("handler", Role.DEPARTMENT_HANDLER, None, f"police-{township}"),
        ("cityhandler", Role.DEPARTMENT_HANDLER, None, "urban-management"),
        ("districtadmin", Role.DISTRICT_ADMIN, DISTRICT_CODE, None),
        ("leader", Role.LEADER, DISTRICT_CODE, None),
        ("auditor", Role.AUDITOR, DISTRICT_CODE, None),
        ("mediator", Role.MEDIATOR, None, f"mediation-{first_grid[:12]}"),
        ("villagecadre", Role.VILLAGE_CADRE, first_grid[:12], None),
        ("villagecadre2", Role.VILLAGE_CADRE, f"{first_grid[:9]}002", None),
        ("townshipleader", Role.LEADER, township, None),
        ("petitionofficer", Role.PETITION_OFFICER, DISTRICT_CODE, None),
        ("legalaid", Role.LEGAL_AID_OFFICER, DISTRICT_CODE, None),
    ]
    rng = random.Random(DISTRICT_CODE)
    for person, role, region, department in posts:
        user = (
            person
            if isinstance(person, User)
            else User.objects.create(
                username=person, name=person_name(rng), password=password, is_demo=True
            )
        )
        Membership.objects.create(
            user=user,
            role=role,
            region_id=region,
            department=Department.objects.get(code=department) if department else None,
            starts_on=ASSIGNMENTS_START,
        )
    return demo_logins()


def demo_logins() -> list[DemoLogin]:
    """The demo sign-ins present in the database, with the posts each one holds."""
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    logins = []
    for username in DEMO_USERNAMES:
        if username not in users:
            continue
        posts = Membership.objects.filter(user=users[username]).select_related(
            "region", "department"
        )
        described = [f"{p.get_role_display()} · {p.region or p.department}" for p in posts]
        if users[username].is_superuser:
            described.append("superuser (系统管理员)")
        logins.append(DemoLogin(username, "; ".join(described)))
    return logins


DISTRICT_DEPARTMENTS = [
    ("civil-affairs", "秦州区民政局", DepartmentKind.CIVIL_AFFAIRS),
    ("emergency", "秦州区应急管理局", DepartmentKind.EMERGENCY),
    ("urban-management", "秦州区城市管理综合执法局", DepartmentKind.URBAN_MANAGEMENT),
    ("health", "秦州区卫生健康局", DepartmentKind.HEALTH),
    ("education", "秦州区教育局", DepartmentKind.EDUCATION),
    ("human-resources", "秦州区人力资源和社会保障局", DepartmentKind.HUMAN_RESOURCES),
    ("housing", "秦州区住房和城乡建设局", DepartmentKind.HOUSING),
    ("petitions", "秦州区信访局", DepartmentKind.PETITIONS),
    ("court", "秦州区人民法院", DepartmentKind.COURT),
    ("legal-aid", "秦州区法律援助中心", DepartmentKind.LEGAL_AID),
]


def create_departments() -> int:
    """District bureaus, and a police station and a judicial office in every township.
    The case categories each handles arrive with the case engine."""
    departments = [
        Department(code=code, name=name, kind=kind, region_id=DISTRICT_CODE)
        for code, name, kind in DISTRICT_DEPARTMENTS
    ]
    for township in Region.objects.filter(parent_id=DISTRICT_CODE, level=Level.TOWNSHIP):
        short = township.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        departments.append(
            Department(
                code=f"police-{township.code}",
                name=f"{short}派出所",
                kind=DepartmentKind.POLICE,
                region_id=township.code,
            )
        )
        departments.append(
            Department(
                code=f"justice-{township.code}",
                name=f"{short}司法所",
                kind=DepartmentKind.JUSTICE,
                region_id=township.code,
            )
        )
    first_township = min(
        Region.objects.filter(parent_id=DISTRICT_CODE, level=Level.TOWNSHIP).values_list(
            "code", flat=True
        ),
        default=None,
    )
    for village in Region.objects.filter(parent_id=first_township, level=Level.VILLAGE):
        departments.append(
            Department(
                code=f"mediation-{village.code}",
                name=f"{short_village_name(village.name)}人民调解委员会",
                kind=DepartmentKind.JUSTICE,
                region_id=village.code,
                category_codes=["D"],
            )
        )
    Department.objects.bulk_create(departments)
    mediation_bodies_create()
    return len(departments)


def mediation_bodies_create() -> int:
    """Which units mediate, and how (三调联动): village committees and the townships'
    judicial offices (people's mediation), police stations and the labour bureau
    (administrative), the court (judicial)."""
    from wangge.mediation.models import MediationBody, MediationType

    kinds = {
        "mediation-": MediationType.PEOPLE,
        "justice-": MediationType.PEOPLE,
        "police-": MediationType.ADMINISTRATIVE,
        "human-resources": MediationType.ADMINISTRATIVE,
        "court": MediationType.JUDICIAL,
    }
    bodies = [
        MediationBody(department=unit, type=kind)
        for unit in Department.objects.all()
        for prefix, kind in kinds.items()
        if unit.code.startswith(prefix)
    ]
    MediationBody.objects.bulk_create(bodies)
    return len(bodies)
