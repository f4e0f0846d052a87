"""Valid people for tests: identity numbers of the district with the right check character."""

import datetime
import itertools
from typing import Any

from wangge.core.ids import identity_check_character
from wangge.people import services
from wangge.people.models import Person

SERIAL = itertools.count(100)


def identity_number(
    born: datetime.date = datetime.date(1980, 5, 17), *, male: bool = True, area: str = "620502"
) -> str:
    serial = (next(SERIAL) * 2) % 1000 + (1 if male else 0)
    first17 = f"{area}{born:%Y%m%d}{serial:03d}"
    return first17 + identity_check_character(first17)


def person_registered(
    *, actor: Any = None, region_code: str = "620502001001001", name: str = "张伟", **values: Any
) -> Person:
    return services.person_register(
        actor=actor,
        id_number=values.pop("id_number", None) or identity_number(),
        region_code=region_code,
        values={"name": name, **values},
    )
