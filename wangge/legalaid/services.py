"""The only code that writes legal aid applications: receive, decide, assign, close.

Each write runs in one transaction and appends an audit entry (personal data masked). The
later steps lock the row and compare the `version` the page was read at: a stale one is an
`EditConflict` and nothing is written. Bad input raises ValidationError (by field).

Receipt (法律援助法 2021 [R: recalled, not checked against the text]): the matters of art. 31
are `MatterKind`; the decision is due 7 calendar days after receipt (art. 43), counted on the
work calendar (a last day that is off moves to the next working day, see
`wangge.cases.deadlines`).
"""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.audit.services import record
from wangge.cases import calendar
from wangge.cases.deadlines import calendar_days, limit_end
from wangge.core import ids
from wangge.core.errors import EditConflict
from wangge.core.masking import mask_identity_number, mask_mobile
from wangge.legalaid import access, evidence
from wangge.legalaid.models import (
    Application,
    Evidence,
    Hardship,
    MatterKind,
    NumberCounter,
    Status,
)
from wangge.regions.models import Level, Region

DECISION_LIMIT = calendar_days(7)
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


@dataclass(frozen=True)
class ReceiveInput:
    applicant_name: str
    region_code: str
    matter_kind: str
    matter: str
    hardship: str
    applicant_id_number: str = ""
    applicant_phone: str = ""
    hardship_note: str = ""
    dispute_number: str = ""


# --- receipt ---------------------------------------------------------------------------------


def receive(
    *,
    actor: Any,
    data: ReceiveInput,
    evidence_files: list[Any] | tuple[Any, ...] = (),
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """Record an application received at the window; the decision falls due 7 days later."""
    if not actor.has_perm(access.HANDLE):
        raise PermissionDenied
    now = now or timezone.now()
    errors: dict[str, str] = {}
    fields = applicant_checked(data, errors) | matter_checked(data, errors)
    fields["region_code"] = place_checked(actor, data.region_code, errors)
    fields["dispute"] = dispute_checked(actor, data.dispute_number, errors)
    fields["applicant"] = registered_person(actor, fields["applicant_id_number"])
    try:
        documents = evidence.checked_all(list(evidence_files))
    except ValidationError as error:
        errors["evidence"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    application = Application(
        **fields,
        status=Status.RECEIVED,
        received_at=now,
        decision_due_at=limit_end(DECISION_LIMIT, now, calendar.current()),
        received_by=actor,
    )
    # The rows everyone shares (the district's number counter, the audit chain) come last,
    # so concurrent receipts wait for each other as briefly as possible.
    with transaction.atomic():
        application.number = f"pending-{uuid.uuid4().hex[:16]}"
        application.save()
        evidence_store(application, documents, actor=actor, now=now)
        application.number = next_number(application.region_code[:6], timezone.localtime(now).year)
        Application.objects.filter(pk=application.pk).update(number=application.number)
        record(
            actor=actor,
            action="legalaid.receive",
            target=application,
            details={
                "number": application.number,
                "matter_kind": application.matter_kind,
                "hardship": application.hardship,
                "evidence": len(documents),
                "applicant_id_number": mask_identity_number(application.applicant_id_number),
                "applicant_phone": mask_mobile(application.applicant_phone),
            },
            request=request,
            region_code=application.region_code,
        )
    return application


def registered_person(actor: Any, id_number: str) -> Any:
    """The applicant's record in the register, when the identity number is one in the
    officer's reach (linked, never copied); else none."""
    if not id_number:
        return None
    from wangge.people.access import persons_visible_to

    return persons_visible_to(actor).filter(id_number=id_number).first()


def applicant_checked(data: ReceiveInput, errors: dict[str, str]) -> dict[str, Any]:
    name = (data.applicant_name or "").strip()
    if not name:
        errors["applicant_name"] = _("Give the applicant's name.")
    elif len(name) > 64:
        errors["applicant_name"] = _("The name is too long (at most 64 characters).")
    number = (data.applicant_id_number or "").strip()
    if number:
        try:
            number = ids.parse_identity_number(number).number
        except ids.InvalidIdentifier as error:
            from wangge.people.services import identity_message

            errors["applicant_id_number"] = identity_message(error)
    phone = re.sub(r"\s", "", data.applicant_phone or "")
    if not phone:
        errors["applicant_phone"] = _("Give a phone number to reach the applicant.")
    elif not PHONE.match(phone):
        errors["applicant_phone"] = _("Not a mobile or landline number.")
    return {"applicant_name": name, "applicant_id_number": number, "applicant_phone": phone}


def matter_checked(data: ReceiveInput, errors: dict[str, str]) -> dict[str, Any]:
    if data.matter_kind not in MatterKind.values:
        errors["matter_kind"] = _("Choose the kind of matter from the list.")
    matter = (data.matter or "").strip()
    if not matter:
        errors["matter"] = _("Describe the matter.")
    elif len(matter) > 4000:
        errors["matter"] = _("The description is too long (at most 4,000 characters).")
    if data.hardship not in Hardship.values:
        errors["hardship"] = _("Choose the evidence of hardship from the list.")
    note = (data.hardship_note or "").strip()
    if data.hardship == Hardship.OTHER and not note:
        errors["hardship_note"] = _("Say what the other evidence is.")
    elif len(note) > 1000:
        errors["hardship_note"] = _("The note is too long (at most 1,000 characters).")
    return {
        "matter_kind": data.matter_kind,
        "matter": matter,
        "hardship": data.hardship,
        "hardship_note": note,
    }


def place_checked(actor: Any, region_code: str, errors: dict[str, str]) -> str:
    code = (region_code or "").strip()
    known = Region.objects.filter(code=code, level__in=[Level.VILLAGE, Level.GRID]).exists()
    if not known or not access.covers(actor, code):
        errors["region_code"] = _("Choose a village or grid within your reach.")
    return code


def dispute_checked(actor: Any, number: str, errors: dict[str, str]) -> Any:
    """The dispute case of that number, if the actor may see it; None when none is given."""
    from wangge.cases import access as case_access
    from wangge.cases.models import Case

    number = (number or "").strip()
    if not number:
        return None
    case = (
        case_access.visible_cases(actor, Case.objects.filter(kind="dispute"))
        .filter(number=number)
        .first()
    )
    if case is None:
        errors["dispute_number"] = _("No dispute case of that number within your reach.")
    return case


def next_number(district: str, year: int) -> str:
    """`LA-620502-2026-0012`; call inside the receiving transaction. The UPDATE locks the
    counter row until the transaction ends, so concurrent receipts take turns."""
    prefix = f"LA-{district}-{year}"
    counters = NumberCounter.objects.filter(prefix=prefix)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                NumberCounter.objects.create(prefix=prefix, last=1)
        except IntegrityError:  # created meanwhile by a concurrent receipt
            counters.update(last=F("last") + 1)
    last = counters.values_list("last", flat=True).get()
    return f"{prefix}-{last:04d}"


def evidence_store(
    application: Application, documents: list[evidence.Document], *, actor: Any, now: datetime
) -> None:
    for document in documents:
        row = Evidence(
            application=application,
            name=document.name,
            content_type=document.content_type,
            size=len(document.content),
            uploaded_by=actor,
            uploaded_at=now,
        )
        row.file.save(
            f"{document.sha256[:16]}.{document.extension}",
            ContentFile(document.content),
            save=False,
        )
        row.save()


# --- decision, assignment, closing --------------------------------------------------------


def decide(
    *,
    actor: Any,
    application: Application,
    grant: bool,
    reason: str,
    version: int,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """Grant or refuse; a refusal needs its reason (the applicant is told why)."""
    reason = (reason or "").strip()
    if not grant and not reason:
        raise ValidationError({"reason": _("Give the reason for refusing.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("The reason is too long (at most 1,000 characters).")})
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(actor, application, version, Status.RECEIVED)
        locked.status = Status.GRANTED if grant else Status.REFUSED
        locked.decided_at = now
        locked.decided_by = actor
        locked.decision_reason = reason
        fields = ["status", "decided_at", "decided_by", "decision_reason"]
        return _saved(actor, locked, fields, "legalaid.decide", {"grant": grant}, request)


def assign(
    *,
    actor: Any,
    application: Application,
    provider: str,
    version: int,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """Name the lawyer (and firm) who gives the aid; only a granted application."""
    provider = (provider or "").strip()
    if not provider:
        raise ValidationError({"provider": _("Name the lawyer and firm.")})
    if len(provider) > 100:
        raise ValidationError({"provider": _("Too long (at most 100 characters).")})
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(actor, application, version, Status.GRANTED)
        locked.status = Status.ASSIGNED
        locked.provider = provider
        locked.assigned_at = now
        fields = ["status", "provider", "assigned_at"]
        return _saved(actor, locked, fields, "legalaid.assign", {"provider": provider}, request)


def close(
    *,
    actor: Any,
    application: Application,
    outcome: str,
    version: int,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """Record how the matter ended; only an assigned application."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Describe the outcome.")})
    if len(outcome) > 2000:
        raise ValidationError({"outcome": _("Too long (at most 2,000 characters).")})
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(actor, application, version, Status.ASSIGNED)
        locked.status = Status.CLOSED
        locked.outcome = outcome
        locked.closed_at = now
        return _saved(
            actor, locked, ["status", "outcome", "closed_at"], "legalaid.close", {}, request
        )


STEP_REFUSED = {
    Status.RECEIVED: gettext_lazy("This application has already been decided."),
    Status.GRANTED: gettext_lazy(
        "Only a granted application that has no provider yet can be assigned."
    ),
    Status.ASSIGNED: gettext_lazy("Only an application assigned to a provider can be closed."),
}


def _locked(actor: Any, application: Application, version: int, expected: str) -> Application:
    """The row, locked, if it is still as the actor read it and in the expected status."""
    if not actor.has_perm(access.HANDLE):
        raise PermissionDenied
    queryset = Application.objects.all()
    if connection.features.has_select_for_update:
        queryset = queryset.select_for_update()
    locked = queryset.get(pk=application.pk)
    if locked.version != version:
        raise EditConflict(
            _("Someone else changed this application meanwhile; reload the page and try again.")
        )
    if locked.status != expected:
        raise ValidationError(str(STEP_REFUSED[Status(expected)]))
    return locked


def _saved(
    actor: Any,
    application: Application,
    fields: list[str],
    action: str,
    details: dict[str, Any],
    request: HttpRequest | None,
) -> Application:
    application.version += 1
    application.save(update_fields=[*fields, "version"])
    record(
        actor=actor,
        action=action,
        target=application,
        details={"number": application.number, "status": application.status, **details},
        request=request,
        region_code=application.region_code,
    )
    return application
