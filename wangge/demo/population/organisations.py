"""The demo's companies, sole traders and social organisations, with valid credit codes."""

import random

from wangge.core.ids import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    organisation_code_check_character,
)
from wangge.demo.population.grids import LOCAL_AREA, GridPlan
from wangge.demo.population.residents import person_name, synthetic_mobile
from wangge.demo.services import SURNAMES
from wangge.people import codes
from wangge.people.models import Organisation

STREETS = (
    "民主路",
    "解放路",
    "建设路",
    "人民路",
    "青年北路",
    "成纪大道",
    "岷山路",
    "藉河路",
)
SHOPS = ("面馆", "超市", "五金店", "药店", "理发店", "蔬菜店", "小吃店", "修理部")
COMPANIES = ("商贸", "建筑工程", "农业科技", "物流", "餐饮管理", "果业", "电子科技")
SOCIETIES = ("书法协会", "老年人协会", "志愿者协会", "商会", "养老服务中心", "幼儿园")


ORGANISATION_KINDS = {
    # kind: (registration authority + organisation type of GB 32100, weight)
    codes.OrganisationKind.INDIVIDUAL: ("92", 10),
    codes.OrganisationKind.DOMESTIC: ("91", 4),
    codes.OrganisationKind.COOPERATIVE: ("93", 1),
    codes.OrganisationKind.SOCIAL_GROUP: ("51", 1),
    codes.OrganisationKind.PRIVATE_NON_ENTERPRISE: ("52", 1),
}
CODE_BODY = [c for c in CREDIT_CODE_ALPHABET if c.isdigit() or c in "ABCDEFGHJKLMNPQRTUWXY"]


def organisations_for(plan: GridPlan, rng: random.Random, issued: set[str]) -> list[Organisation]:
    per_person = {"urban": 1 / 60, "town": 1 / 80, "rural": 1 / 200}[plan.kind]
    count = int(plan.people * per_person + rng.random())
    kinds = list(ORGANISATION_KINDS)
    weights = [ORGANISATION_KINDS[kind][1] for kind in kinds]
    organisations = []
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        key_unit = kind == codes.OrganisationKind.DOMESTIC and rng.random() < 0.1
        organisations.append(
            Organisation(
                credit_code=credit_code(ORGANISATION_KINDS[kind][0], rng, issued),
                name=organisation_name(kind, plan, rng),
                kind=kind,
                legal_representative=person_name(rng),
                representative_mobile=synthetic_mobile(rng),
                address=f"{plan.address_prefix}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                region_code=plan.code,
                employees=rng.randint(1, 5) if kind == "03" else rng.randint(3, 120),
                key_unit=key_unit,
                attention=rng.choice(("01", "02")) if key_unit else "",
                version=1,
            )
        )
    return organisations


def credit_code(prefix: str, rng: random.Random, issued: set[str]) -> str:
    """A unified social credit code of the district, with valid check characters, not
    issued before in this run."""
    while True:
        body = "MA" + "".join(rng.choice(CODE_BODY) for _ in range(6))
        organisation = body + organisation_code_check_character(body)
        if organisation not in issued:
            issued.add(organisation)
            first17 = f"{prefix}{LOCAL_AREA}{organisation}"
            return first17 + credit_code_check_character(first17)


def organisation_name(kind: str, plan: GridPlan, rng: random.Random) -> str:
    place = plan.village
    if kind == codes.OrganisationKind.INDIVIDUAL:
        return f"秦州区{rng.choice(SURNAMES)}记{rng.choice(SHOPS)}"
    if kind == codes.OrganisationKind.DOMESTIC:
        return f"天水{place}{rng.choice(COMPANIES)}有限公司"
    if kind == codes.OrganisationKind.COOPERATIVE:
        return f"天水市秦州区{place}种养殖农民专业合作社"
    return f"天水市秦州区{place}{rng.choice(SOCIETIES)}"
