"""Transfers between people's, administrative and judicial mediation (三调联动), and the
major-dispute listing (挂牌销号). Same rules as `services`."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Department
from wangge.cases import access as case_access
from wangge.cases import services as cases
from wangge.cases.workflow import Action, Relation, Status
from wangge.mediation import access
from wangge.mediation.models import (
    Dispute,
    MediationBody,
    Transfer,
    TransferStatus,
)
from wangge.mediation.services import audit, bump, locked, require_mediator

# --- 三调联动 ----------------------------------------------------------------------------------


def offer_transfer(
    actor: Any,
    dispute: Dispute,
    *,
    to_body_id: int | None,
    reason: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Transfer:
    """Offer the dispute to another mediation body; it stays with this one until the other
    accepts."""
    now = now or timezone.now()
    require_mediator(actor, dispute)
    errors = {}
    target = (
        MediationBody.objects.filter(pk=to_body_id, active=True)
        .select_related("department")
        .first()
        if to_body_id
        else None
    )
    if target is None:
        errors["to_body"] = _("Choose an existing mediation body.")
    elif target.pk == dispute.body_id:
        errors["to_body"] = _("The dispute is with this body already.")
    if not reason.strip() or len(reason) > 1000:
        errors["reason"] = _("Give the reason (at most 1,000 characters).")
    if dispute.transfers.filter(status=TransferStatus.PENDING).exists():
        errors["to_body"] = _("A transfer is waiting for an answer already.")
    if dispute.case.status != Status.HANDLING:
        errors["to_body"] = _("The dispute is not being mediated now.")
    if errors:
        raise ValidationError(errors)
    assert target is not None
    with transaction.atomic():
        transfer = Transfer.objects.create(
            dispute=dispute,
            from_body=dispute.body,
            to_body=target,
            reason=reason.strip(),
            created_by=actor,
            created_at=now,
        )
        cases.timeline_add(
            dispute.case,
            actor,
            "transfer_offered",
            f"{target.department.name}: {reason.strip()}",
            now=now,
        )
        audit(actor, "transfer_offered", dispute, request, to=target.department.name)
    return transfer


def answer_transfer(
    actor: Any,
    transfer: Transfer,
    *,
    accept: bool,
    answer: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Transfer:
    """The receiving body accepts (the dispute and its case move to it) or refuses (with
    its reason; the dispute stays where it was)."""
    now = now or timezone.now()
    if transfer.to_body.department_id not in case_access.department_ids(actor) or not (
        actor.has_perm(access.RECORD) or actor.has_perm(case_access.HANDLE)
    ):
        raise PermissionError(_("Only the receiving body may answer."))
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError({"answer": _("This transfer has been answered already.")})
    if not accept and not answer.strip():
        raise ValidationError({"answer": _("Give the reason for refusing.")})
    if len(answer) > 1000:
        raise ValidationError(
            {"answer": _("Too long (at most %(most)d characters).") % {"most": 1000}}
        )
    with transaction.atomic():
        dispute = locked(transfer.dispute)
        transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.REFUSED
        transfer.answer = answer.strip()
        transfer.answered_by = actor
        transfer.answered_at = now
        transfer.save()
        if accept:
            case = dispute.case
            cases.act(
                case.pk,
                actor,
                cases.ActionInput(
                    Action.TRANSFER,
                    case.version,
                    reason=transfer.reason,
                    lead_department_id=transfer.to_body.department_id,
                ),
                request=request,
                now=now,
                vouched=Relation(system=True),
            )
            dispute.body = transfer.to_body
            dispute.save(update_fields=["body"])
            dispute.mediators.add(actor)
            bump(dispute)
        else:
            cases.timeline_add(
                dispute.case,
                actor,
                "transfer_refused",
                f"{transfer.to_body.department.name}: {answer.strip()}",
                now=now,
            )
        audit(
            actor,
            "transfer_accepted" if accept else "transfer_refused",
            dispute,
            request,
            to=transfer.to_body.department.name,
        )
    return transfer


# --- 重大矛盾纠纷: listed until closed -------------------------------------------------------


def list_as_major(
    actor: Any,
    dispute: Dispute,
    *,
    leader_id: int | None,
    unit_id: int | None,
    reason: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Dispute:
    """List the dispute as major (挂牌) with a responsible leader and unit; it stays on the
    leaders' list until it is closed and taken off (销号)."""
    from wangge.accounts.models import User

    now = now or timezone.now()
    errors = {}
    leader = User.objects.filter(pk=leader_id, is_active=True).first() if leader_id else None
    if leader is None:
        errors["leader"] = _("Choose the responsible leader.")
    unit = Department.objects.filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        errors["unit"] = _("Choose the responsible unit.")
    if not reason.strip() or len(reason) > 2000:
        errors["reason"] = _("Give the reason for listing (at most 2,000 characters).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        dispute = locked(dispute)
        case = dispute.case
        cases.act(
            case.pk,
            actor,
            cases.ActionInput(Action.LIST, case.version, reason=reason.strip()),
            request=request,
            now=now,
        )
        dispute.major = True
        dispute.major_leader = leader
        dispute.major_unit = unit
        dispute.major_since = now
        dispute.save(update_fields=["major", "major_leader", "major_unit", "major_since"])
        bump(dispute)
        audit(actor, "major", dispute, request, leader=str(leader), unit=str(unit))
    return dispute
