"""Reading disputes: the lists of the pages."""

from typing import Any

from wangge.cases import access as case_access
from wangge.mediation import access
from wangge.mediation.models import Transfer, TransferStatus


def transfers_waiting_for(user: Any) -> list[Transfer]:
    """Transfers offered to the user's bodies and not answered yet."""
    units = case_access.department_ids(user)
    return list(
        Transfer.objects.filter(status=TransferStatus.PENDING, to_body__department_id__in=units)
        .select_related("dispute__case", "from_body__department", "to_body__department")
        .order_by("created_at")
    )


def major_disputes(user: Any) -> Any:
    """The leaders' page: major disputes still listed (open, or closed and not yet taken
    off), oldest first."""
    return (
        access.visible_disputes(user)
        .filter(major=True, case__listed=True)
        .select_related("case", "major_leader", "major_unit", "body__department")
        .order_by("major_since")
    )


def disputes_of(user: Any) -> Any:
    return access.visible_disputes(user).select_related(
        "case", "case__category", "body__department"
    )
