"""The mediation agreement (调解协议书), its signed scan, and judicial confirmation (司法确认).
Same rules as `services`: one transaction per write, audited, on the timeline."""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases import photos
from wangge.cases import services as cases
from wangge.cases.workflow import Status
from wangge.mediation.models import (
    Agreement,
    Dispute,
    JudicialConfirmation,
    NoAgreementRoute,
    Outcome,
    Ruling,
)
from wangge.mediation.services import (
    audit,
    bump,
    check_version,
    locked,
    require_mediator,
    texts_checked,
    today,
)

CONFIRMATION_WINDOW_DAYS = 30  # 人民调解法 art. 33 (domain-facts §6.3 [S])


def make_agreement(
    actor: Any,
    dispute: Dispute,
    *,
    facts: str,
    terms: str,
    performance: str,
    amount_yuan: int,
    effective_on: date | None,
    version: int | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Agreement:
    """The written agreement (调解协议书): needs two parties at least, the facts, the terms
    and how they are performed. Recording it sets the outcome to agreement reached."""
    now = now or timezone.now()
    require_mediator(actor, dispute)
    errors = {}
    if dispute.parties.count() < 2:
        errors["parties"] = _("An agreement needs at least two parties; add them first.")
    texts_checked(
        errors,
        ("facts", facts, 4000),
        ("terms", terms, 4000),
        ("performance", performance, 2000),
    )
    if effective_on is None:
        errors["effective_on"] = _("Give the date it was signed.")
    elif effective_on > today(now):
        errors["effective_on"] = _("The date cannot be in the future.")
    if not 0 <= amount_yuan <= 10**10:
        errors["amount"] = _("Give the amount in yuan (0 or more).")
    if hasattr(dispute, "agreement"):
        errors["facts"] = _("This dispute has its agreement already.")
    if dispute.case.status != Status.HANDLING:
        errors["facts"] = _("The dispute is not being mediated now.")
    if errors:
        raise ValidationError(errors)
    assert effective_on is not None
    with transaction.atomic():
        dispute = locked(dispute)
        check_version(dispute, version)
        agreement = Agreement.objects.create(
            dispute=dispute,
            number=_("(%(year)d) Mediation No. %(serial)s")
            % {"year": effective_on.year, "serial": dispute.case.number[-6:]},
            facts=facts.strip(),
            terms=terms.strip(),
            performance=performance.strip(),
            amount_fen=amount_yuan * 100,
            effective_on=effective_on,
            created_by=actor,
            created_at=now,
        )
        dispute.outcome = Outcome.AGREEMENT
        dispute.outcome_route = NoAgreementRoute.NONE
        dispute.outcome_at = now
        dispute.save(update_fields=["outcome", "outcome_route", "outcome_at"])
        bump(dispute)
        cases.timeline_add(
            dispute.case, actor, "mediation_agreement", agreement.number, public=True, now=now
        )
        audit(actor, "agreement", dispute, request, agreement=agreement.number)
    return agreement


def attach_signed_scan(
    actor: Any,
    dispute: Dispute,
    upload: Any,
    *,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Agreement:
    """The signed and sealed agreement, scanned or photographed (JPEG, PNG or WebP)."""
    now = now or timezone.now()
    require_mediator(actor, dispute)
    agreement = getattr(dispute, "agreement", None)
    if agreement is None:
        raise ValidationError({"scan": _("Record the agreement first.")})
    if upload is None:
        raise ValidationError({"scan": _("Choose the scanned file.")})
    try:
        checked = photos.checked_all([upload])
    except ValidationError as error:
        raise ValidationError({"scan": error.messages[0]}) from error
    with transaction.atomic():
        event = cases.timeline_add(dispute.case, actor, "agreement_scan", "", now=now)
        photos.store(dispute.case, checked, event=event, actor=actor, stage="signed")
        agreement.signed_scan = dispute.case.attachments.filter(event=event).first()
        agreement.save(update_fields=["signed_scan"])
        audit(actor, "agreement_scan", dispute, request)
    return agreement


# --- judicial confirmation -------------------------------------------------------------------


def confirmation_deadline(agreement: Agreement) -> date:
    return agreement.effective_on + timedelta(days=CONFIRMATION_WINDOW_DAYS)


def apply_for_confirmation(
    actor: Any,
    dispute: Dispute,
    *,
    applied_on: date | None,
    court: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> JudicialConfirmation:
    """The parties' joint application to the court, within 30 days of the agreement."""
    now = now or timezone.now()
    require_mediator(actor, dispute)
    agreement = getattr(dispute, "agreement", None)
    errors = {}
    if agreement is None:
        raise ValidationError({"applied_on": _("There is no agreement to confirm.")})
    if hasattr(agreement, "confirmation"):
        errors["applied_on"] = _("The application is recorded already.")
    if applied_on is None:
        errors["applied_on"] = _("Give the date of the application.")
    elif applied_on > today(now):
        errors["applied_on"] = _("The date cannot be in the future.")
    elif applied_on < agreement.effective_on:
        errors["applied_on"] = _("The application cannot come before the agreement.")
    elif applied_on > confirmation_deadline(agreement):
        errors["applied_on"] = _(
            "Too late: judicial confirmation must be applied for within 30 days of the "
            "agreement, by %(date)s."
        ) % {"date": confirmation_deadline(agreement).isoformat()}
    if not court.strip() or len(court) > 100:
        errors["court"] = _("Name the court.")
    if errors:
        raise ValidationError(errors)
    assert applied_on is not None
    with transaction.atomic():
        confirmation = JudicialConfirmation.objects.create(
            agreement=agreement, applied_on=applied_on, court=court.strip(), recorded_by=actor
        )
        cases.timeline_add(
            dispute.case, actor, "confirmation_applied", court.strip(), public=True, now=now
        )
        audit(actor, "confirmation_applied", dispute, request, court=court.strip())
    return confirmation


def record_ruling(
    actor: Any,
    dispute: Dispute,
    *,
    ruling: str,
    ruled_on: date | None,
    ruling_number: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> JudicialConfirmation:
    now = now or timezone.now()
    require_mediator(actor, dispute)
    agreement = getattr(dispute, "agreement", None)
    confirmation = getattr(agreement, "confirmation", None) if agreement else None
    if confirmation is None:
        raise ValidationError({"ruling": _("Record the application first.")})
    errors = {}
    if ruling not in {Ruling.CONFIRMED, Ruling.REJECTED}:
        errors["ruling"] = _("Choose the court's ruling.")
    if ruled_on is None or ruled_on < confirmation.applied_on or ruled_on > today(now):
        errors["ruled_on"] = _("Give the date of the ruling (after the application).")
    if len(ruling_number) > 60:
        errors["ruling_number"] = _("Too long (at most %(most)d characters).") % {"most": 60}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        confirmation.ruling = ruling
        confirmation.ruled_on = ruled_on
        confirmation.ruling_number = ruling_number.strip()
        confirmation.save()
        cases.timeline_add(
            dispute.case,
            actor,
            "confirmation_ruled",
            str(Ruling(ruling).label),
            public=True,
            now=now,
        )
        audit(actor, "confirmation_ruled", dispute, request, ruling=ruling)
    return confirmation
