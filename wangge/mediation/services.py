"""The only code that writes disputes: recording one, its sessions, its outcome and
follow-up visits. The agreement and its judicial confirmation are in `services_agreement`,
transfers between bodies and the major-dispute listing in `services_transfer`.

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

from wangge.audit.services import record
from wangge.cases import services as cases
from wangge.cases.categories_seed import SCALE, moj_category
from wangge.cases.models import Category, Channel
from wangge.cases.workflow import Action, Relation, Status
from wangge.core.errors import EditConflict
from wangge.mediation import access
from wangge.mediation.models import (
    Dispute,
    Entry,
    FollowUp,
    NoAgreementRoute,
    Outcome,
    Party,
    PartyRole,
    Performance,
    Scale,
    Session,
)
from wangge.regions.models import Level, Region

# The case's extra field 调解方式 names the same three ways (categories_seed.DISPUTE_FIELDS).
MEDIATION_ENTRY: dict[str, str] = {
    Entry.ACTIVE: "主动调解",
    Entry.APPLICATION: "申请调解",
    Entry.REFERRED: "接受委托移送调解",
}


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


def today(now: datetime) -> date:
    return timezone.localtime(now).date()


def check_version(dispute: Dispute, version: int | None) -> None:
    if version is not None and dispute.version != version:
        raise EditConflict(
            _("Someone else changed this dispute meanwhile; reload it and try again.")
        )


def locked(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update().select_related("case", "body").get(pk=dispute.pk)


def bump(dispute: Dispute) -> None:
    Dispute.objects.filter(pk=dispute.pk).update(version=dispute.version + 1)
    dispute.version += 1


def audit(
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


def texts_checked(errors: dict[str, str], *fields: tuple[str, str, int]) -> None:
    """Each (name, value, most characters) must be given and not too long."""
    for name, value, most in fields:
        if not value.strip():
            errors[name] = _("This field is required.")
        elif len(value) > most:
            errors[name] = _("Too long (at most %(most)d characters).") % {"most": most}


def require_mediator(actor: Any, dispute: Dispute) -> None:
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
    if data.occurred_on and data.occurred_on > today(now):
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
            else today(now) + timedelta(days=30),
        )
        dispute.mediators.add(actor)
        for party in parties:
            party.dispute = dispute
        Party.objects.bulk_create(parties)
        audit(actor, "record", dispute, request, body=body.department.name)
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
    require_mediator(actor, dispute)
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Give the date of the session.")
    elif held_on > today(now):
        errors["held_on"] = _("The date cannot be in the future.")
    texts_checked(
        errors,
        ("place", place, 200),
        ("attendees", attendees, 500),
        ("summary", summary, 4000),
    )
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
        audit(actor, "session", dispute, request, held_on=str(held_on))
    return session


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
    require_mediator(actor, dispute)
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
        dispute = locked(dispute)
        check_version(dispute, version)
        case = dispute.case
        summary = note.strip() or str(Outcome(outcome).label)
        cases.act(
            case.pk,
            actor,
            cases.ActionInput(Action.FEED_BACK, case.version, reason=summary),
            request=request,
            now=now,
            via_record=True,
        )
        dispute.outcome = outcome
        dispute.outcome_route = route if outcome == Outcome.NO_AGREEMENT else ""
        dispute.outcome_note = note.strip()
        dispute.outcome_at = dispute.outcome_at if outcome == Outcome.AGREEMENT else now
        dispute.prevented_criminal = prevented_criminal
        dispute.prevented_group_petition = prevented_group_petition
        dispute.save()
        bump(dispute)
        audit(actor, "outcome", dispute, request, outcome=outcome, route=route)
    return dispute


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
    require_mediator(actor, dispute)
    errors = {}
    if dispute.outcome != Outcome.AGREEMENT:
        errors["performance"] = _("Follow-up visits check an agreement; there is none.")
    if visited_on is None or visited_on > today(now):
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
        audit(actor, "follow_up", dispute, request, performance=performance)
    return visit
