"""A synthetic, deterministic population for the demo district: households in houses placed
inside their grids, registered, floating, left-behind and Hong Kong/Macau/Taiwan residents,
and the organisations of each grid.

Written with `bulk_create` in batches rather than through the register's services (which
write one person, with history and audit, at a time), but with every field those services
fill: search keys from `name_keys`, sex and birth date agreeing with the identity number,
`version` 1. Nobody here is real: names are drawn at random, mobiles are in fake ranges
with 0000 in the middle, identity numbers are generated with a valid check character.
"""

import random

from django.db import transaction

from wangge.demo.population.grids import (
    DISTRICT_PEOPLE,
    LOCAL_AREA,
    SMALL_PEOPLE,
    GridPlan,
    grid_plans,
    points_inside,
)
from wangge.demo.population.organisations import STREETS, organisations_for
from wangge.demo.population.residents import (
    FACTORY_BIRTH_DATE,
    IdentityIssuer,
    Member,
    floating_group,
    household_members,
    person_name,
    person_row,
    years_old,
)
from wangge.demo.population.writer import PopulationSummary, Writer
from wangge.people.models import House, Household

__all__ = [
    "DISTRICT_PEOPLE",
    "FACTORY_BIRTH_DATE",
    "LOCAL_AREA",
    "SMALL_PEOPLE",
    "PopulationSummary",
    "Writer",
    "population_load",
]


def population_load(
    *,
    scale: str = "small",
    people: int | None = None,
    seed: int = 620502,
    writer: "Writer | None" = None,
) -> PopulationSummary:
    """The population of `scale` (small: a few villages, ~3,000 people; district: every
    grid, ~650,000, or `people` in total)."""
    rng = random.Random(seed)
    plans = grid_plans(scale, people, rng)
    writer = writer or Writer()
    identities = IdentityIssuer(rng)
    with transaction.atomic():
        for plan in plans:
            grid_populate(plan, rng, identities, writer)
            writer.flush_if_full()
        writer.flush()
    return writer.summary


# --- one grid -------------------------------------------------------------------------


def grid_populate(
    plan: GridPlan, rng: random.Random, identities: IdentityIssuer, writer: Writer
) -> None:
    floating_share = {"urban": 0.14, "town": 0.08, "rural": 0.02}[plan.kind]
    groups: list[tuple[list[Member], bool]] = []
    placed = 0
    while placed < plan.people:
        floating = rng.random() < floating_share
        members = floating_group(plan.kind, rng) if floating else household_members(plan.kind, rng)
        groups.append((members, floating))
        placed += len(members)
    points = points_inside(plan.polygon, len(groups), rng)
    for number, ((members, floating), point) in enumerate(zip(groups, points, strict=True), 1):
        house = house_for(plan, number, point, floating, rng)
        writer.houses.append(house)
        household = None
        if not floating:
            writer.household_serial += 1
            household = Household(
                number=f"{writer.household_serial:09d}",
                address=house.address,
                region_code=plan.code,
                version=1,
            )
            writer.households.append(household)
            house.owner_name = members[0].name
        else:
            house.owner_name = person_name(rng)
        for index, member in enumerate(members):
            person = person_row(plan, member, house, household, floating, identities, rng)
            writer.people.append((person, house, household))
            if index == 0 and not floating:
                writer.owners.append((house, person))
            for kind, details in member.categories.items():
                writer.categories.append((person, kind, details))
            writer.tags += [(person, tag) for tag in tags_for(member, household is not None, rng)]
    writer.organisations += organisations_for(plan, rng, writer.credit_codes)


def tags_for(member: Member, registered: bool, rng: random.Random) -> list[str]:
    """Service labels a grid worker keeps, at rough national rates (the 低保 share of rural
    Gansu is higher than the cities')."""
    tags = []
    age = years_old(member.born)
    if registered and rng.random() < 0.04:
        tags.append("低保")
    if rng.random() < 0.025:
        tags.append("残疾人")
    if age >= 70 and rng.random() < 0.12:
        tags.append("空巢老人")
    if member.sex == "1" and 25 <= age < 70 and rng.random() < 0.015:
        tags.append("退役军人")
    return tags


def house_for(
    plan: GridPlan, number: int, point: tuple, floating: bool, rng: random.Random
) -> House:
    if plan.kind == "urban":
        address = (
            f"{plan.address_prefix}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
            f"{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元"
            f"{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
        )
        use = rng.choices(("01", "06"), (9, 1))[0]
    else:
        group = plan.code[-2:].lstrip("0") or "1"
        address = f"{plan.address_prefix}{group}组{number}号"
        use = "01"
    house = House(
        address=address,
        region_code=plan.code,
        lon=point[0],
        lat=point[1],
        building_use=use,
    )
    if floating:
        house.rented = True
        house.rental_use = rng.choices(("02", "01"), (4, 1))[0]
        house.management_class = rng.choices("ABC", (6, 3, 1))[0]
        house.hazard = rng.choices(("00", "01", "02", "03"), (85, 8, 4, 3))[0]
    house.version = 1
    return house
