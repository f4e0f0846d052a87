"""Who may see and do what with disputes.

A dispute is seen by whoever sees its case (the place's posts, the units with a task on it)
and holds `mediation.view_dispute`; anyone else gets a 404, never a hint it exists. Its
mediators are the members of the mediation body that has it now.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from wangge.cases import access as case_access
from wangge.mediation.models import Dispute, MediationBody

VIEW = "mediation.view_dispute"
RECORD = "mediation.record_dispute"
SUBMIT_SCREENING = "mediation.submit_screening"
STATISTICS = "mediation.view_mediation_statistics"


def visible_disputes(user: Any) -> QuerySet[Dispute]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm(VIEW):
        return Dispute.objects.none()
    cases = case_access.visible_cases(user).values("pk")
    return Dispute.objects.filter(case_id__in=cases)


def dispute_or_404(user: Any, case_id: int) -> Dispute:
    """The dispute of case `case_id` if the user may see it, else 404."""
    found = (
        visible_disputes(user)
        .select_related("case", "case__category", "body__department", "agreement")
        .filter(case_id=case_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def bodies_of(user: Any) -> list[MediationBody]:
    """The mediation bodies the user is a member of (through department posts)."""
    units = case_access.department_ids(user)
    if not units:
        return []
    return list(
        MediationBody.objects.filter(department_id__in=units, active=True).select_related(
            "department"
        )
    )


def mediates(user: Any, dispute: Dispute) -> bool:
    """A member of the body that has the dispute now, who may record disputes."""
    return user.has_perm(RECORD) and dispute.body.department_id in case_access.department_ids(user)
