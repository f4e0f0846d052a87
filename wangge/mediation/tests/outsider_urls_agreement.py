"""Scoped routes of the mediation agreement for the route-coverage test: name → (persona
fixture, url for a record outside the persona's scope). The dispute, with its agreement, lies
in the outsider's grid, far from the township dispatcher who asks for it."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone


def outsider_agreement(outsider: Any) -> int:
    from wangge.accounts.models import Department
    from wangge.cases import services
    from wangge.cases.services import ReportInput
    from wangge.mediation.models import Agreement, Dispute, MediationBody

    grid = outsider.memberships.get().region_id
    case = services.report(
        outsider, ReportInput("D0201", "外乡的纠纷", region_code=grid, address="外乡")
    )
    unit = Department.objects.create(
        code="outsider-mediation", name="外乡人民调解委员会", kind="justice", region_id=grid[:12]
    )
    dispute = Dispute.objects.create(
        case=case,
        moj_category="邻里",
        scale="01",
        entry="application",
        body=MediationBody.objects.create(department=unit, type="people"),
        target_on=datetime.date(2026, 6, 30),
    )
    Agreement.objects.create(
        dispute=dispute,
        number="外调〔2026〕1号",
        facts="事实",
        terms="条款",
        performance="履行",
        effective_on=datetime.date(2026, 5, 20),
        created_by=outsider,
        created_at=timezone.now(),
    )
    return case.pk


OUTSIDER_URLS: dict[str, Any] = {
    "mediation:agreement_print": (
        "dispatcher",
        lambda o: reverse("mediation:agreement_print", args=[outsider_agreement(o)]),
    ),
    "mediation:agreement_pdf": (
        "dispatcher",
        lambda o: reverse("mediation:agreement_pdf", args=[outsider_agreement(o)]),
    ),
}
