"""The only code that writes petitions: registration, routing, acceptance or objection,
extension, the written opinion, closing, and the requests for review and re-review.

Every step is an action of the case engine (`cases.services.act`); this module adds what the
信访工作条例 asks besides, in the same transaction. The petitions office is not a case
dispatcher: it acts with `vouched=Relation(dispatcher=True)` once this module has checked that
the actor holds `petitions.route_petition` over the place. The receiving unit's handler acts
by the relation the engine computes. Errors are `ValidationError` (by field), the engine's
`WorkflowError` or `CaseConflict`; nothing is written then.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.cases import calendar
from wangge.cases import services as engine
from wangge.cases.access import covers
from wangge.cases.deadlines import calendar_days, limit_end
from wangge.cases.models import Case, Channel
from wangge.cases.services import ActionInput, ReportInput
from wangge.cases.workflow import Action, Relation, Status, WorkflowError
from wangge.petitions.models import (
    MAX_REPRESENTATIVES,
    Decision,
    Form,
    MatterKind,
    Petition,
    Representative,
    Stage,
)

ROUTE = "petitions.route_petition"
VIEW = "petitions.view_petition"
OFFICE = Relation(dispatcher=True)
REVIEW_WINDOW = calendar_days(30)  # 信访工作条例 arts. 35, 36

CATEGORY_OF_KIND = {
    MatterKind.SUGGESTION: "P0101",
    MatterKind.ACCUSATION: "P0102",
    MatterKind.APPEAL: "P0103",
}
CATEGORY_OF_STAGE = {Stage.REVIEW: "P02", Stage.RE_REVIEW: "P03"}

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,18}[0-9]$")
ID_NUMBER = re.compile(r"^(\d{15}|\d{17}[0-9Xx])$")


@dataclass
class RepresentativeInput:
    name: str
    id_number: str = ""
    phone: str = ""


@dataclass
class PetitionInput:
    form: str
    matter_kind: str
    petitioner_name: str
    request: str
    region_code: str = ""
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    petitioner_id_number: str = ""
    petitioner_phone: str = ""
    petitioner_address: str = ""
    group: bool = False
    people_count: int = 1
    representatives: list[RepresentativeInput] = field(default_factory=list)


# --- who may act as the petitions office ----------------------------------------------------


def routes(actor: Any, case: Case) -> bool:
    """The actor acts for the petitions office over the case's place."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.has_perm(ROUTE)
        and covers(actor, case.region_code)
    )


def _office_only(actor: Any, case: Case) -> None:
    if not routes(actor, case):
        raise WorkflowError("not_your_action", _("Only the petitions office may do this."))


# --- registration ---------------------------------------------------------------------------


def _checked(data: PetitionInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.form not in Form.values:
        errors["form"] = _("Choose the form of the petition.")
    if data.matter_kind not in MatterKind.values:
        errors["matter_kind"] = _("Choose the kind of matter.")
    if not data.petitioner_name.strip():
        errors["petitioner_name"] = _("Give the petitioner's name.")
    elif len(data.petitioner_name.strip()) > 64:
        errors["petitioner_name"] = _("The name is too long (at most 64 characters).")
    if not data.request.strip():
        errors["request"] = _("Write down the request.")
    elif len(data.request.strip()) > 4000:
        errors["request"] = _("The request is too long (at most 4,000 characters).")
    if len(data.petitioner_address) > 200:
        errors["petitioner_address"] = _("The address is too long (at most 200 characters).")
    if data.petitioner_phone.strip() and not PHONE.match(data.petitioner_phone.strip()):
        errors["petitioner_phone"] = _("Not a phone number.")
    if data.petitioner_id_number.strip() and not ID_NUMBER.match(data.petitioner_id_number.strip()):
        errors["petitioner_id_number"] = _("An identity number has 18 characters.")
    errors.update(_representatives_checked(data))
    return errors


def _representatives_checked(data: PetitionInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    given = data.representatives
    if len(given) > MAX_REPRESENTATIVES:
        errors["representatives"] = _(
            "A group visit sends at most %(most)d representatives (art. 20); %(given)d given."
        ) % {"most": MAX_REPRESENTATIVES, "given": len(given)}
    elif data.group and not given:
        errors["representatives"] = _("A group visit names its representatives (1 to 5).")
    elif not data.group and given:
        errors["representatives"] = _("Only a group visit has representatives.")
    elif any(not person.name.strip() or len(person.name.strip()) > 64 for person in given):
        errors["representatives"] = _("Give each representative's name.")
    elif any(
        (person.phone.strip() and not PHONE.match(person.phone.strip()))
        or (person.id_number.strip() and not ID_NUMBER.match(person.id_number.strip()))
        for person in given
    ):
        errors["representatives"] = _("A representative's phone or identity number is not valid.")
    if data.people_count < max(1, len(given)) or data.people_count > 100_000:
        errors["people_count"] = _("The number of petitioners is not valid.")
    return errors


def register_petition(actor: Any, data: PetitionInput, now: datetime | None = None) -> Petition:
    """Register a petition (登记): a case of P0101–P0103, registered at once, with the
    petitioner and the representatives of a group visit."""
    now = now or timezone.now()
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(ROUTE):
        raise WorkflowError("not_your_action", _("Only the petitions office may do this."))
    errors = _checked(data)
    if errors:
        raise ValidationError(errors)
    given = ReportInput(
        category_code=CATEGORY_OF_KIND[MatterKind(data.matter_kind)],
        description=data.request.strip(),
        lon=data.lon,
        lat=data.lat,
        region_code=data.region_code.strip(),
        address=data.address.strip(),
        channel=Channel.PETITION,
        reporter_name=data.petitioner_name.strip(),
        reporter_phone=data.petitioner_phone.strip(),
    )
    with transaction.atomic():
        case = engine.report(actor, given, register=False, now=now)
        if not covers(actor, case.region_code):
            raise ValidationError({"region_code": _("This place is outside your area.")})
        case = engine.act(
            case.pk, actor, ActionInput(Action.REGISTER, case.version), now=now, vouched=OFFICE
        )
        petition = Petition.objects.create(
            case=case,
            stage=Stage.INITIAL,
            form=data.form,
            matter_kind=data.matter_kind,
            group=data.group,
            people_count=data.people_count,
            petitioner_name=data.petitioner_name.strip(),
            petitioner_id_number=data.petitioner_id_number.strip().upper(),
            petitioner_phone=data.petitioner_phone.strip(),
            petitioner_address=data.petitioner_address.strip(),
            request=data.request.strip(),
            received_on=timezone.localtime(now).date(),
        )
        Representative.objects.bulk_create(
            Representative(
                petition=petition,
                name=person.name.strip(),
                id_number=person.id_number.strip().upper(),
                phone=person.phone.strip(),
            )
            for person in data.representatives
        )
        _audit(actor, "petition.register", petition, {"representatives": len(data.representatives)})
    return petition


def _audit(actor: Any, action: str, petition: Petition, details: dict[str, Any]) -> None:
    record(
        actor=actor,
        action=action,
        target=petition.case,
        details={"number": petition.case.number, "stage": petition.stage, **details},
        region_code=petition.case.region_code,
    )


def _petition(case: Case) -> Petition:
    petition = Petition.objects.select_for_update().filter(case_id=case.pk).first()
    if petition is None:
        raise WorkflowError("not_a_petition", _("This case is not a petition."))
    return petition


# --- the petitions office's steps ------------------------------------------------------------


def route(
    actor: Any, case: Case, department_id: int, *, version: int, now: datetime | None = None
) -> Case:
    """Route (转送/交办) the petition to the unit that handles it (15 days, art. 22)."""
    _office_only(actor, case)
    given = ActionInput(Action.DISPATCH, version, lead_department_id=department_id or None)
    if not department_id:
        raise ValidationError({"lead_department": _("Choose a unit from the list.")})
    return engine.act(case.pk, actor, given, now=now, vouched=OFFICE)


def approve_extension(actor: Any, case: Case, *, version: int, now: datetime | None = None) -> Case:
    """Grant the unit's request (once, at most 30 days, art. 34); the petitioner is told the
    reason with the extension notice (延期告知书) issued now."""
    now = now or timezone.now()
    _office_only(actor, case)
    with transaction.atomic():
        petition = _petition(case)
        case = engine.act(
            case.pk, actor, ActionInput(Action.APPROVE_EXTENSION, version), now=now, vouched=OFFICE
        )
        petition.extension_told_at = now
        petition.version += 1
        petition.save(update_fields=["extension_told_at", "version"])
        _audit(actor, "petition.extension_told", petition, {})
    return case


def refuse_extension(
    actor: Any, case: Case, reason: str, *, version: int, now: datetime | None = None
) -> Case:
    _office_only(actor, case)
    given = ActionInput(Action.REFUSE_EXTENSION, version, reason=reason)
    return engine.act(case.pk, actor, given, now=now, vouched=OFFICE)


def close(actor: Any, case: Case, *, version: int, now: datetime | None = None) -> Case:
    """Close the petition once the written opinion is out (办结)."""
    _office_only(actor, case)
    with transaction.atomic():
        petition = _petition(case)
        if petition.opinion_at is None:
            raise WorkflowError("no_opinion", _("The written opinion has not been issued yet."))
        return engine.act(
            case.pk, actor, ActionInput(Action.VERIFY, version), now=now, vouched=OFFICE
        )


# --- the receiving unit's steps -------------------------------------------------------------


def accept(
    actor: Any,
    case: Case,
    note: str,
    *,
    version: int,
    procedure: str = "",
    now: datetime | None = None,
) -> Case:
    """Accept the petition (受理) and issue the acceptance notice (受理告知书, art. 23)."""
    now = now or timezone.now()
    note, procedure = note.strip(), procedure.strip()
    if len(note) > 1000:
        raise ValidationError({"note": _("The text is too long (at most 1,000 characters).")})
    if len(procedure) > 200:
        raise ValidationError({"procedure": _("The text is too long (at most 200 characters).")})
    with transaction.atomic():
        petition = _petition(case)
        case = engine.act(
            case.pk,
            actor,
            ActionInput(Action.ACCEPT, version, reason=note),
            now=now,
            via_record=True,
        )
        petition.accepted = True
        petition.acceptance_note = note
        petition.acceptance_at = now
        petition.routed_to_procedure = procedure
        petition.version += 1
        petition.save()
        _audit(actor, "petition.accept", petition, {})
    return case


def object_to(
    actor: Any, case: Case, reason: str, *, version: int, now: datetime | None = None
) -> Case:
    """Object: the matter is not this unit's (5 working days, art. 23); it goes back to the
    petitions office to be routed again."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the matter is not your unit's.")})
    given = ActionInput(Action.SEND_BACK, version, reason=reason)
    return engine.act(case.pk, actor, given, now=now)


def request_extension(
    actor: Any,
    case: Case,
    days: int | None,
    reason: str,
    *,
    version: int,
    now: datetime | None = None,
) -> Case:
    """Ask for more time (once, at most 30 days); the reason is told to the petitioner."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the petitioner is told it.")})
    given = ActionInput(Action.REQUEST_EXTENSION, version, reason=reason, extension_days=days)
    return engine.act(case.pk, actor, given, now=now)


def issue_opinion(
    actor: Any,
    case: Case,
    decision: str,
    facts: str,
    reasons: str,
    basis: str,
    *,
    version: int,
    now: datetime | None = None,
) -> Case:
    """The written opinion (信访处理意见书, art. 32): the decision with its facts, reasons
    and legal basis; the case is reported done."""
    now = now or timezone.now()
    errors = _opinion_checked(decision, facts, reasons, basis)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        petition = _petition(case)
        summary = f"{Decision(decision).label}：{reasons.strip()}"[:2000]
        case = engine.act(
            case.pk,
            actor,
            ActionInput(Action.FEED_BACK, version, reason=summary),
            now=now,
            via_record=True,
        )
        petition.decision = decision
        petition.opinion_facts = facts.strip()
        petition.opinion_reasons = reasons.strip()
        petition.opinion_basis = basis.strip()
        petition.opinion_at = now
        petition.opinion_by = actor
        petition.version += 1
        petition.save()
        _audit(actor, "petition.opinion", petition, {"decision": decision})
    return case


def _opinion_checked(decision: str, facts: str, reasons: str, basis: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose the decision: supported, explained or not supported.")
    for name, text, most in (("facts", facts, 4000), ("reasons", reasons, 4000)):
        if not text.strip():
            errors[name] = _("This part of the opinion is required.")
        elif len(text.strip()) > most:
            errors[name] = _("The text is too long (at most 4,000 characters).")
    if not basis.strip():
        errors["basis"] = _("Name the legal basis.")
    elif len(basis.strip()) > 2000:
        errors["basis"] = _("The text is too long (at most 2,000 characters).")
    return errors


# --- review and re-review --------------------------------------------------------------------


def review_until(petition: Petition) -> datetime | None:
    """The end of the 30 days to ask for the next stage, counted on the calendar."""
    if petition.opinion_at is None:
        return None
    return limit_end(REVIEW_WINDOW, petition.opinion_at, calendar.current())


def review_refusal(petition: Petition, now: datetime) -> str | None:
    """Why the next stage cannot be asked for now, or None."""
    if petition.stage == Stage.RE_REVIEW:
        return _(
            "The re-review has closed this matter: the same request is not accepted again "
            "(art. 36)."
        )
    if petition.case.status != Status.CLOSED or petition.opinion_at is None:
        return _("A review can be asked for only after the written opinion, once it is closed.")
    if Petition.objects.filter(previous=petition).exists():
        return _("The next stage has already been asked for.")
    until = review_until(petition)
    if until is not None and now > until:
        return _("The 30 days to ask for it ended on %(day)s.") % {
            "day": timezone.localtime(until).strftime("%Y-%m-%d")
        }
    return None


def request_review(
    actor: Any, petition: Petition, reason: str, now: datetime | None = None
) -> Petition:
    """The petitioner asks for a review (复查, art. 35) of a closed petition, or a re-review
    (复核, art. 36) of a closed review: a new case, registered, linked to this one."""
    now = now or timezone.now()
    _office_only(actor, petition.case)
    if not reason.strip():
        raise ValidationError({"reason": _("Write down why the petitioner asks for it.")})
    if len(reason.strip()) > 4000:
        raise ValidationError({"reason": _("The text is too long (at most 4,000 characters).")})
    stage = Stage.RE_REVIEW if petition.stage == Stage.REVIEW else Stage.REVIEW
    with transaction.atomic():
        previous = Petition.objects.select_for_update().get(pk=petition.pk)
        refusal = review_refusal(previous, now)
        if refusal:
            raise WorkflowError("review_refused", refusal)
        old = previous.case
        given = ReportInput(
            category_code=CATEGORY_OF_STAGE[stage],
            description=reason.strip(),
            title=f"{Stage(stage).label}：{_first(previous).case.title}"[:100],
            region_code=old.region_code,
            address=old.address or old.region_code,
            channel=old.channel,
            reporter_name=old.reporter_name,
            reporter_phone=old.reporter_phone,
        )
        case = engine.report(actor, given, register=False, now=now)
        case = engine.act(
            case.pk, actor, ActionInput(Action.REGISTER, case.version), now=now, vouched=OFFICE
        )
        created = _next_stage(previous, case, stage, reason.strip(), timezone.localdate(now))
        _audit(actor, f"petition.{stage}", created, {"previous": old.number})
    return created


def _first(petition: Petition) -> Petition:
    """The initial petition a review or re-review goes back to."""
    while petition.previous is not None:
        petition = petition.previous
    return petition


def _next_stage(previous: Petition, case: Case, stage: str, reason: str, day: date) -> Petition:
    created = Petition.objects.create(
        case=case,
        stage=stage,
        previous=previous,
        form=previous.form,
        matter_kind=previous.matter_kind,
        group=previous.group,
        people_count=previous.people_count,
        petitioner_name=previous.petitioner_name,
        petitioner_id_number=previous.petitioner_id_number,
        petitioner_phone=previous.petitioner_phone,
        petitioner_address=previous.petitioner_address,
        request=reason,
        received_on=day,
    )
    Representative.objects.bulk_create(
        Representative(petition=created, name=r.name, id_number=r.id_number, phone=r.phone)
        for r in previous.representatives.all()
    )
    return created
