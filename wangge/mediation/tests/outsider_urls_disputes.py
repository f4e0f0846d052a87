"""Scoped routes of the dispute pages for the route-coverage test: name → (persona fixture,
url for a record outside the persona's scope). The dispute is recorded by a mediator of the
outsider's township, far from the township dispatcher who asks for it."""

from typing import Any

from django.urls import reverse

OUTSIDE_GRID = "620502103200001"


def outsider_dispute(outsider: Any) -> int:
    from conftest import make_persona
    from wangge.accounts.models import Department
    from wangge.mediation.models import MediationBody
    from wangge.mediation.services import DisputeInput, PartyInput, record_dispute

    unit = Department.objects.get(code=f"justice-{OUTSIDE_GRID[:9]}")
    body, _ = MediationBody.objects.get_or_create(department=unit, defaults={"type": "people"})
    mediator = make_persona("t_outside_mediator", "mediator", department=unit)
    dispute = record_dispute(
        mediator,
        DisputeInput(
            body_id=body.pk,
            category_code="D0201",
            grid_code=OUTSIDE_GRID,
            address="外乡",
            description="外乡的纠纷",
            parties=[PartyInput("applicant", name="甲"), PartyInput("respondent", name="乙")],
        ),
    )
    return dispute.pk


def outsider_transfer(outsider: Any) -> int:
    from wangge.mediation.models import Dispute, MediationBody
    from wangge.mediation.services_transfer import offer_transfer

    dispute = Dispute.objects.get(pk=outsider_dispute(outsider))
    court = MediationBody.objects.get(department__code="court")
    mediator = dispute.mediators.get()
    return offer_transfer(mediator, dispute, to_body_id=court.pk, reason="司法调解").pk


OUTSIDER_URLS: dict[str, Any] = {
    "mediation:detail": (
        "dispatcher",
        lambda o: reverse("mediation:detail", args=[outsider_dispute(o)]),
    ),
    "mediation:step": (
        "dispatcher",
        lambda o: reverse("mediation:step", args=[outsider_dispute(o), "session"]),
    ),
    "mediation:transfer_answer": (
        "dispatcher",
        lambda o: reverse("mediation:transfer_answer", args=[outsider_transfer(o)]),
    ),
}
EXAMPLE_KWARGS = {"step": "session", "transfer_id": 1}
