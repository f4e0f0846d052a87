"""The only code that writes disputes: recording one, its sessions, outcome, agreement,
judicial confirmation, transfers, follow-up visits and the major-dispute listing.

A dispute is recorded by a mediator of a mediation body for a place the body covers: the
case is reported, registered, dispatched to the body and accepted in one transaction (the
service vouches for the registering and dispatching, which the mediator does by recording;
domain-facts §6.2: 小事不出村). Every write is one transaction that either happens whole or
not at all, is audited, and adds to the case's timeline. Bad input raises ValidationError
(field → message) and writes nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Department
from wangge.audit.services import record
from wangge.cases import access as case_access
from wangge.cases import photos
from wangge.cases import services as cases
from wangge.cases.categories_seed import SCALE, moj_category
from wangge.cases.models import Case, Category, Channel
from wangge.cases.workflow import Action, Relation, Status
from wangge.core.errors import EditConflict
from wangge.mediation import access
from wangge.mediation.models import (
    Agreement,
    Dispute,
    Entry,
    FollowUp,
    JudicialConfirmation,
    MediationBody,
    NoAgreementRoute,
    Outcome,
    Party,
    PartyRole,
    Performance,
    Ruling,
    Scale,
    Session,
    Transfer,
    TransferStatus,
)
from wangge.regions.models import Level, Region

# The case's extra field 调解方式 names the same three ways (categories_seed.DISPUTE_FIELDS).
MEDIATION_ENTRY: dict[str, str] = {
    Entry.ACTIVE: "主动调解",
    Entry.APPLICATION: "申请调解",
    Entry.REFERRED: "接受委托移送调解",
}
CONFIRMATION_WINDOW_DAYS = 30  # 人民调解法 art. 33 (domain-facts §6.3 [S])


@dataclass
class PartyInput:
    role: str
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    organisation: str = ""


@dataclass
class DisputeInput:
    body_id: int
    category_code: str
    grid_code: str
    address: str
    description: str
    title: str = ""
    scale: str = Scale.INDIVIDUAL
    people_involved: int = 2
    amount_yuan: int = 0
    entry: str = Entry.ACTIVE
    occurred_on: date | None = None
    parties: Sequence[PartyInput] = field(default_factory=list)


def _today(now: datetime) -> date:
    return timezone.localtime(now).date()


def _check_version(dispute: Dispute, version: int | None) -> None:
    if version is not None and dispute.version != version:
        raise EditConflict(
            _("Someone else changed this dispute meanwhile; reload it and try again.")
        )


def _locked(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update().select_related("case", "body").get(pk=dispute.pk)


def _bump(dispute: Dispute) -> None:
    Dispute.objects.filter(pk=dispute.pk).update(version=dispute.version + 1)
    dispute.version += 1


def _audit(
    actor: Any, action: str, dispute: Dispute, request: HttpRequest | None, **details: Any
) -> None:
    record(
        actor=actor,
        action=f"dispute.{action}",
        target=dispute.case,
        details={"number": dispute.case.number, **details},
        request=request,
        region_code=dispute.case.region_code,
    )


def _require_mediator(actor: Any, dispute: Dispute) -> None:
    if not access.mediates(actor, dispute):
        raise PermissionError(_("Only the mediators of the body that has the dispute may do this."))


# --- parties ---------------------------------------------------------------------------------


def _parties_checked(
    actor: Any, given: Sequence[PartyInput], errors: dict[str, str]
) -> list[Party]:
    from wangge.people.access import persons_visible_to

    parties = []
    for number, item in enumerate(given, start=1):
        name = item.name.strip()
        id_number = item.id_number.strip().upper()
        if not name and not id_number:
            continue
        if item.role not in PartyRole.values:
            errors["parties"] = _("Party %(n)d: choose the party's role.") % {"n": number}
            continue
        person = None
        if id_number:
            person = persons_visible_to(actor).filter(id_number=id_number).first()
            if person is None and not name:
                errors["parties"] = _(
                    "Party %(n)d: nobody with this identity number in your reach; give the name."
                ) % {"n": number}
                continue
        if len(name) > 64 or len(item.address) > 200 or len(item.phone) > 20:
            errors["parties"] = _("Party %(n)d: a value is too long.") % {"n": number}
            continue
        parties.append(
            Party(
                role=item.role,
                person=person,
                name=name or (person.name if person else ""),
                id_number=id_number,
                phone=item.phone.strip() or (person.mobile if person else ""),
                address=item.address.strip(),
                organisation=item.organisation.strip()[:100],
            )
        )
    if not errors.get("parties") and not parties:
        errors["parties"] = _("Name at least one party.")
    return parties


# --- recording ------------------------------------------------------------------------------


def record_dispute(
    actor: Any,
    data: DisputeInput,
    *,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Dispute:
    """Record a dispute as taken into mediation by the actor's body."""
    now = now or timezone.now()
    if not actor.has_perm(access.RECORD):
        raise PermissionError(_("You may not record disputes."))
    errors: dict[str, str] = {}
    body = next((b for b in access.bodies_of(actor) if b.pk == data.body_id), None)
    if body is None:
        errors["body"] = _("Choose a mediation body you belong to.")
    grid = Region.objects.filter(code=data.grid_code, level=Level.GRID).first()
    if grid is None:
        errors["grid"] = _("Choose an existing grid.")
    elif body is not None and not grid.code.startswith(body.department.region_id):
        errors["grid"] = _("This place is outside the area of your mediation body.")
    category = Category.objects.filter(code=data.category_code, kind="dispute").first()
    if category is None or not category.leaf or not category.active:
        errors["category"] = _("Choose a dispute class.")
    if data.scale not in Scale.values:
        errors["scale"] = _("Choose the scale.")
    if data.entry not in Entry.values:
        errors["entry"] = _("Choose how the dispute came to mediation.")
    if not 1 <= data.people_involved <= 100_000:
        errors["people_involved"] = _("Give the number of people involved (at least 1).")
    if not 0 <= data.amount_yuan <= 10**10:
        errors["amount"] = _("Give the amount in yuan (0 or more).")
    if data.occurred_on and data.occurred_on > _today(now):
        errors["occurred_on"] = _("The date cannot be in the future.")
    parties = _parties_checked(actor, data.parties, errors)
    if errors:
        raise ValidationError(errors)
    assert body is not None and category is not None and grid is not None
    report = cases.ReportInput(
        category_code=category.code,
        description=data.description,
        title=data.title,
        region_code=grid.code,
        address=data.address,
        channel=Channel.MEDIATION,
        extra={
            "people_involved": data.people_involved,
            "amount_involved": data.amount_yuan * 100,
            "scale": SCALE.choices[Scale.values.index(data.scale)],
            "mediation_entry": MEDIATION_ENTRY[data.entry],
        },
    )
    with transaction.atomic():
        case = cases.report(actor, report, request=request, now=now)
        dispatcher = Relation(dispatcher=True)
        for given in (
            cases.ActionInput(Action.REGISTER, 0),
            cases.ActionInput(Action.DISPATCH, 0, lead_department_id=body.department_id),
        ):
            given.version = case.version
            case = cases.act(case.pk, actor, given, request=request, now=now, vouched=dispatcher)
        case = cases.act(
            case.pk,
            actor,
            cases.ActionInput(Action.ACCEPT, case.version),
            request=request,
            now=now,
            vouched=Relation(lead_handler=True),
        )
        dispute = Dispute.objects.create(
            case=case,
            moj_category=moj_category(category.code),
            scale=data.scale,
            people_involved=data.people_involved,
            amount_fen=data.amount_yuan * 100,
            entry=data.entry,
            occurred_on=data.occurred_on,
            body=body,
            target_on=timezone.localtime(case.due_at).date()
            if case.due_at
            else _today(now) + timedelta(days=30),
        )
        dispute.mediators.add(actor)
        for party in parties:
            party.dispute = dispute
        Party.objects.bulk_create(parties)
        _audit(actor, "record", dispute, request, body=body.department.name)
    return dispute


# --- mediating ------------------------------------------------------------------------------


def add_session(
    actor: Any,
    dispute: Dispute,
    *,
    held_on: date | None,
    place: str,
    attendees: str,
    summary: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Session:
    now = now or timezone.now()
    _require_mediator(actor, dispute)
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Give the date of the session.")
    elif held_on > _today(now):
        errors["held_on"] = _("The date cannot be in the future.")
    for name, value, most in (
        ("place", place, 200),
        ("attendees", attendees, 500),
        ("summary", summary, 4000),
    ):
        if not value.strip():
            errors[name] = _("This field is required.")
        elif len(value) > most:
            errors[name] = _("Too long (at most %(most)d characters).") % {"most": most}
    if dispute.case.status not in {Status.HANDLING, Status.DISPATCHED}:
        errors["held_on"] = _("The dispute is not being mediated now.")
    if errors:
        raise ValidationError(errors)
    assert held_on is not None
    with transaction.atomic():
        session = Session.objects.create(
            dispute=dispute,
            held_on=held_on,
            place=place.strip(),
            attendees=attendees.strip(),
            summary=summary.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        dispute.mediators.add(actor)
        cases.timeline_add(
            dispute.case,
            actor,
            "mediation_session",
            f"{held_on:%Y-%m-%d} {place.strip()}",
            data={"session": session.pk},
            now=now,
        )
        _audit(actor, "session", dispute, request, held_on=str(held_on))
    return session


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
    _require_mediator(actor, dispute)
    errors = {}
    if dispute.parties.count() < 2:
        errors["parties"] = _("An agreement needs at least two parties; add them first.")
    for name, value, most in (
        ("facts", facts, 4000),
        ("terms", terms, 4000),
        ("performance", performance, 2000),
    ):
        if not value.strip():
            errors[name] = _("This field is required.")
        elif len(value) > most:
            errors[name] = _("Too long (at most %(most)d characters).") % {"most": most}
    if effective_on is None:
        errors["effective_on"] = _("Give the date it was signed.")
    elif effective_on > _today(now):
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
        dispute = _locked(dispute)
        _check_version(dispute, version)
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
        _bump(dispute)
        cases.timeline_add(
            dispute.case, actor, "mediation_agreement", agreement.number, public=True, now=now
        )
        _audit(actor, "agreement", dispute, request, agreement=agreement.number)
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
    _require_mediator(actor, dispute)
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
        photos.store(dispute.case, checked, event=event, actor=actor, stage="agreement")
        agreement.signed_scan = dispute.case.attachments.filter(event=event).first()
        agreement.save(update_fields=["signed_scan"])
        _audit(actor, "agreement_scan", dispute, request)
    return agreement


def record_outcome(
    actor: Any,
    dispute: Dispute,
    *,
    outcome: str,
    route: str = "",
    note: str = "",
    prevented_criminal: bool = False,
    prevented_group_petition: bool = False,
    version: int | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Dispute:
    """The mediation's end, reported as done for the township to check (feed back): an
    agreement (which must be recorded first), or none (then guided to the court or
    transferred to the competent body, §6.3)."""
    now = now or timezone.now()
    _require_mediator(actor, dispute)
    errors = {}
    if outcome == Outcome.AGREEMENT and not hasattr(dispute, "agreement"):
        errors["outcome"] = _("Record the agreement first.")
    elif outcome == Outcome.NO_AGREEMENT and route not in {
        NoAgreementRoute.COURT,
        NoAgreementRoute.COMPETENT_BODY,
    }:
        errors["route"] = _("Say where the parties were guided.")
    elif outcome not in {Outcome.AGREEMENT, Outcome.NO_AGREEMENT}:
        errors["outcome"] = _("Choose the outcome.")
    if len(note) > 2000:
        errors["note"] = _("Too long (at most %(most)d characters).") % {"most": 2000}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        dispute = _locked(dispute)
        _check_version(dispute, version)
        case = dispute.case
        summary = note.strip() or str(Outcome(outcome).label)
        cases.act(
            case.pk,
            actor,
            cases.ActionInput(Action.FEED_BACK, case.version, reason=summary),
            request=request,
            now=now,
        )
        dispute.outcome = outcome
        dispute.outcome_route = route if outcome == Outcome.NO_AGREEMENT else ""
        dispute.outcome_note = note.strip()
        dispute.outcome_at = dispute.outcome_at if outcome == Outcome.AGREEMENT else now
        dispute.prevented_criminal = prevented_criminal
        dispute.prevented_group_petition = prevented_group_petition
        dispute.save()
        _bump(dispute)
        _audit(actor, "outcome", dispute, request, outcome=outcome, route=route)
    return dispute


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
    _require_mediator(actor, dispute)
    agreement = getattr(dispute, "agreement", None)
    errors = {}
    if agreement is None:
        raise ValidationError({"applied_on": _("There is no agreement to confirm.")})
    if hasattr(agreement, "confirmation"):
        errors["applied_on"] = _("The application is recorded already.")
    if applied_on is None:
        errors["applied_on"] = _("Give the date of the application.")
    elif applied_on > _today(now):
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
        _audit(actor, "confirmation_applied", dispute, request, court=court.strip())
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
    _require_mediator(actor, dispute)
    agreement = getattr(dispute, "agreement", None)
    confirmation = getattr(agreement, "confirmation", None) if agreement else None
    if confirmation is None:
        raise ValidationError({"ruling": _("Record the application first.")})
    errors = {}
    if ruling not in {Ruling.CONFIRMED, Ruling.REJECTED}:
        errors["ruling"] = _("Choose the court's ruling.")
    if ruled_on is None or ruled_on < confirmation.applied_on or ruled_on > _today(now):
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
        _audit(actor, "confirmation_ruled", dispute, request, ruling=ruling)
    return confirmation


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
    _require_mediator(actor, dispute)
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
        _audit(actor, "transfer_offered", dispute, request, to=target.department.name)
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
        dispute = _locked(transfer.dispute)
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
            _bump(dispute)
        else:
            cases.timeline_add(
                dispute.case,
                actor,
                "transfer_refused",
                f"{transfer.to_body.department.name}: {answer.strip()}",
                now=now,
            )
        _audit(
            actor,
            "transfer_accepted" if accept else "transfer_refused",
            dispute,
            request,
            to=transfer.to_body.department.name,
        )
    return transfer


def transfers_waiting_for(user: Any) -> list[Transfer]:
    """Transfers offered to the user's bodies and not answered yet."""
    units = case_access.department_ids(user)
    return list(
        Transfer.objects.filter(status=TransferStatus.PENDING, to_body__department_id__in=units)
        .select_related("dispute__case", "from_body__department", "to_body__department")
        .order_by("created_at")
    )


# --- after the agreement ---------------------------------------------------------------------


def add_follow_up(
    actor: Any,
    dispute: Dispute,
    *,
    visited_on: date | None,
    performance: str,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> FollowUp:
    now = now or timezone.now()
    _require_mediator(actor, dispute)
    errors = {}
    if dispute.outcome != Outcome.AGREEMENT:
        errors["performance"] = _("Follow-up visits check an agreement; there is none.")
    if visited_on is None or visited_on > _today(now):
        errors["visited_on"] = _("Give the date of the visit (not in the future).")
    if performance not in Performance.values:
        errors["performance"] = _("Choose how the agreement is being performed.")
    if len(note) > 1000:
        errors["note"] = _("Too long (at most %(most)d characters).") % {"most": 1000}
    if errors:
        raise ValidationError(errors)
    assert visited_on is not None
    with transaction.atomic():
        visit = FollowUp.objects.create(
            dispute=dispute,
            visited_on=visited_on,
            performance=performance,
            note=note.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        cases.timeline_add(
            dispute.case,
            actor,
            "follow_up",
            str(Performance(performance).label),
            public=True,
            now=now,
        )
        _audit(actor, "follow_up", dispute, request, performance=performance)
    return visit


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
        dispute = _locked(dispute)
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
        _bump(dispute)
        _audit(actor, "major", dispute, request, leader=str(leader), unit=str(unit))
    return dispute


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


def case_of(dispute: Dispute) -> Case:
    return dispute.case
