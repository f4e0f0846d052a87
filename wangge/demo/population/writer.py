"""Rows collected per grid and written in batches with `bulk_create`."""

from dataclasses import dataclass, field

from django.db import connection

from wangge.people.models import (
    House,
    Household,
    Organisation,
    Person,
    PersonCategory,
    PersonTag,
)

BATCH = 2_000


@dataclass
class PopulationSummary:
    people: int = 0
    households: int = 0
    houses: int = 0
    organisations: int = 0
    categories: dict[str, int] = field(default_factory=dict)


class Writer:
    """Collects rows and writes them in batches; houses and households first, since people
    point to them."""

    def __init__(self) -> None:
        self.houses: list[House] = []
        self.households: list[Household] = []
        self.people: list[tuple[Person, House, Household | None]] = []
        self.categories: list[tuple[Person, str, dict[str, object]]] = []
        self.organisations: list[Organisation] = []
        self.owners: list[tuple[House, Person]] = []
        self.tags: list[tuple[Person, str]] = []
        self.summary = PopulationSummary()
        self.household_serial = 0
        self.credit_codes: set[str] = set()

    def flush_if_full(self) -> None:
        if len(self.people) >= BATCH * 5:
            self.flush()

    def flush(self) -> None:
        self.write()
        summary = self.summary
        summary.people += len(self.people)
        summary.households += len(self.households)
        summary.houses += len(self.houses)
        summary.organisations += len(self.organisations)
        for _, kind, _ in self.categories:
            summary.categories[kind] = summary.categories.get(kind, 0) + 1
        self.houses, self.households, self.people = [], [], []
        self.categories, self.organisations = [], []
        self.owners, self.tags = [], []

    def write(self) -> None:
        House.objects.bulk_create(self.houses, batch_size=BATCH)
        Household.objects.bulk_create(self.households, batch_size=BATCH)
        for person, house, household in self.people:
            person.house_id = house.pk
            person.household_id = household.pk if household else None
        Person.objects.bulk_create([row[0] for row in self.people], batch_size=BATCH)
        PersonCategory.objects.bulk_create(
            [
                PersonCategory(person_id=p.pk, kind=k, **category_dates(d))
                for p, k, d in self.categories
            ],
            batch_size=BATCH,
        )
        Organisation.objects.bulk_create(self.organisations, batch_size=BATCH)
        PersonTag.objects.bulk_create(
            [PersonTag(person_id=person.pk, name=name) for person, name in self.tags],
            batch_size=BATCH,
        )
        self.owners_link()

    def owners_link(self) -> None:
        """Houses point to their owners, who are written after them (people point to houses)."""
        table = House._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET owner_id = %s WHERE id = %s",  # noqa: S608 (model's table)
                [(person.pk, house.pk) for house, person in self.owners],
            )


def category_dates(details: dict[str, object]) -> dict[str, object]:
    starts_on = details.pop("_starts_on", None)
    return {"details": details, "starts_on": starts_on}
