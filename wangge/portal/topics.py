"""What a resident can raise, in their own words: each topic is one leaf category of the case
engine (`cases.categories_seed`), so the request is dispatched by the same rules as a grid
worker's report. Emergency topics are not requests: choosing one tells the resident to call
110, 119 or 120 now, and nothing is saved."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Topic:
    key: str
    label: str | Promise
    category_code: str
    # The number to call now, for an emergency (nothing is submitted then).
    call: str = ""

    @property
    def emergency(self) -> bool:
        return bool(self.call)


TOPICS: tuple[Topic, ...] = (
    Topic("rubbish", _("Rubbish left lying around"), "E0102"),
    Topic("dirty_road", _("Dirty road or pavement"), "E0104"),
    Topic("bins", _("Broken or overflowing rubbish bin"), "C0304"),
    Topic("toilet", _("Public toilet dirty or broken"), "C0301"),
    Topic("illegal_building", _("Illegal building or shed"), "E0101"),
    Topic("posters", _("Illegal posters and small adverts"), "E0201"),
    Topic("street_stalls", _("Stalls blocking the street"), "E0504"),
    Topic("parking", _("Cars parked in the way"), "E0508"),
    Topic("construction_noise", _("Construction noise"), "E0301"),
    Topic("dust", _("Dust from a building site"), "E0303"),
    Topic("waterlogging", _("Water standing on the road"), "E0403"),
    Topic("sewer", _("Blocked or broken drain"), "E0406"),
    Topic("water_pipe", _("Burst water pipe"), "E040101"),
    Topic("road_collapse", _("Hole or subsidence in the road"), "E0402"),
    Topic("manhole", _("Manhole cover missing or loose"), "C0115"),
    Topic("street_light", _("Street light broken"), "C0122"),
    Topic("trees", _("Street tree damaged or dangerous"), "C0402"),
    Topic("other", _("Something else in public space"), "E06"),
    # Emergencies: never a request.
    Topic("fire", _("Fire (call 119)"), "E0404", call="119"),
    Topic("danger", _("Someone is in danger (call 110)"), "E0405", call="110"),
    Topic("illness", _("Sudden illness or injury (call 120)"), "E0405", call="120"),
    Topic("crime", _("A crime happening now (call 110)"), "H02", call="110"),
)

BY_KEY = {topic.key: topic for topic in TOPICS}


def topic_get(key: str) -> Topic | None:
    return BY_KEY.get((key or "").strip())


def topic_of_category(code: str) -> Topic | None:
    return next((t for t in TOPICS if t.category_code == code and not t.emergency), None)
