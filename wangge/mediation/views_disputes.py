"""Dispute pages: the list, recording, one dispute with its mediation, transfers offered to
one's body, and the leaders' list of major disputes."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.accounts.models import Department, Role, User
from wangge.cases import services as cases
from wangge.cases.models import CaseEvent
from wangge.cases.services import CaseConflict
from wangge.cases.workflow import OPEN, STATUS_LABELS, Status, WorkflowError
from wangge.core.errors import EditConflict
from wangge.core.forms import errors_onto
from wangge.core.masking import mask_identity_number, mask_mobile
from wangge.core.routes import access as route
from wangge.mediation import access, forms, selectors, services
from wangge.mediation import services_agreement as agreements
from wangge.mediation import services_transfer as transfers
from wangge.mediation.models import Dispute, MediationBody, Transfer, TransferStatus
from wangge.regions.models import Level, Region


def _need(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


@route("permission", permission=access.VIEW, note="disputes within one's reach")
@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    _need(request, access.VIEW)
    disputes = selectors.disputes_of(request.user).order_by("-case__reported_at")
    state = request.GET.get("state", "open")
    if state == "open":
        disputes = disputes.filter(case__status__in=OPEN)
    elif state == "closed":
        disputes = disputes.filter(case__status=Status.CLOSED)
    if request.GET.get("major"):
        disputes = disputes.filter(major=True)
    page = Paginator(disputes, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "mediation/list.html",
        {
            "page": page,
            "state": state,
            "major": bool(request.GET.get("major")),
            "status_labels": STATUS_LABELS,
            "waiting": selectors.transfers_waiting_for(request.user),
            "can_record": request.user.has_perm(access.RECORD)
            and bool(access.bodies_of(request.user)),
        },
    )


@route("permission", permission=access.RECORD, note="a mediator records for their own body")
@login_required
def dispute_record(request: HttpRequest) -> HttpResponse:
    _need(request, access.RECORD)
    bodies = access.bodies_of(request.user)
    if not bodies:
        raise PermissionDenied
    prefixes = [body.department.region_id for body in bodies]
    grids = [
        grid
        for grid in Region.objects.filter(level=Level.GRID, code__startswith=prefixes[0][:6])
        .only("code", "name")
        .order_by("code")
        if any(grid.code.startswith(prefix) for prefix in prefixes)
    ]
    form = forms.RecordForm(request.POST or None, bodies=bodies, grids=grids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = [
            services.PartyInput(
                role=data[f"party{n}_role"],
                name=data[f"party{n}_name"],
                id_number=data[f"party{n}_id_number"],
                phone=data[f"party{n}_phone"],
                address=data[f"party{n}_address"],
            )
            for n in range(1, forms.PARTY_ROWS + 1)
        ]
        try:
            dispute = services.record_dispute(
                request.user,
                services.DisputeInput(
                    body_id=data["body"],
                    category_code=data["category"],
                    grid_code=data["grid"],
                    address=data["address"],
                    title=data["title"],
                    description=data["description"],
                    scale=data["scale"],
                    people_involved=data["people_involved"],
                    amount_yuan=data["amount_yuan"] or 0,
                    entry=data["entry"],
                    occurred_on=data["occurred_on"],
                    parties=parties,
                ),
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request, _("The dispute is recorded: %(number)s.") % {"number": dispute.case.number}
            )
            return redirect("mediation:detail", dispute.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/record.html", {"form": form}, status=status)


def _leaders_and_units(dispute: Dispute) -> tuple[list[User], list[Department]]:
    code = dispute.case.region_code
    prefixes = [code[:6], code[:9], code[:12]]
    leaders = list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.LEADER,
            memberships__region_id__in=prefixes,
        )
        .distinct()
        .order_by("username")
    )
    units = list(Department.objects.filter(region_id__in=prefixes).order_by("region_id", "code"))
    return leaders, units


def _context(request: HttpRequest, dispute: Dispute, **bound: Any) -> dict[str, Any]:
    user = request.user
    case = dispute.case
    mediates = access.mediates(user, dispute)
    running = case.status == Status.HANDLING
    agreement = getattr(dispute, "agreement", None)
    confirmation = getattr(agreement, "confirmation", None) if agreement else None
    relation = cases.access.relation(user, case)
    leaders, units = _leaders_and_units(dispute) if relation.leader else ([], [])
    others = MediationBody.objects.filter(active=True).exclude(pk=dispute.body_id)
    parties = [
        {
            "role": party.get_role_display(),
            "name": party.name,
            "id_number": mask_identity_number(party.id_number),
            "phone": mask_mobile(party.phone),
            "address": party.address,
            "in_register": party.person_id is not None,
        }
        for party in dispute.parties.all()
    ]
    forms_shown = {
        "session": mediates and running,
        "agreement": mediates and running and agreement is None,
        "scan": mediates and agreement is not None and agreement.signed_scan_id is None,
        "confirmation": mediates and agreement is not None and confirmation is None,
        "ruling": mediates and confirmation is not None and not confirmation.ruling,
        "transfer": mediates
        and running
        and not dispute.transfers.filter(status=TransferStatus.PENDING).exists(),
        "outcome": mediates and running,
        "follow_up": mediates and dispute.outcome == "agreement",
        "major": relation.leader and not dispute.major and case.status in OPEN,
    }
    context = {
        "dispute": dispute,
        "case": case,
        "status_label": STATUS_LABELS.get(Status(case.status), case.status),
        "parties": parties,
        "sessions": dispute.sessions.select_related("recorded_by"),
        "agreement": agreement,
        "confirmation": confirmation,
        "confirmation_deadline": agreements.confirmation_deadline(agreement) if agreement else None,
        "transfers": dispute.transfers.select_related(
            "from_body__department", "to_body__department", "created_by", "answered_by"
        ),
        "follow_ups": dispute.follow_ups.all(),
        "events": CaseEvent.objects.filter(case=case).order_by("at", "id"),
        "shown": forms_shown,
        "session_form": bound.get("session") or forms.SessionForm(),
        "agreement_form": bound.get("agreement")
        or forms.AgreementForm(initial={"version": dispute.version}),
        "scan_form": bound.get("scan") or forms.ScanForm(),
        "confirmation_form": bound.get("confirmation") or forms.ConfirmationForm(),
        "ruling_form": bound.get("ruling") or forms.RulingForm(),
        "transfer_form": bound.get("transfer") or forms.TransferForm(bodies=list(others)),
        "outcome_form": bound.get("outcome")
        or forms.OutcomeForm(initial={"version": dispute.version}),
        "follow_up_form": bound.get("follow_up") or forms.FollowUpForm(),
        "major_form": bound.get("major") or forms.MajorForm(leaders=leaders, units=units),
        "can_verify": "verify" in {str(a.code) for a in cases.available(case, user)},
        "error_step": next(iter(bound), ""),
    }
    return context


@route("permission", permission=access.VIEW, note="one dispute in one's reach", scoped=True)
@login_required
def dispute_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    _need(request, access.VIEW)
    dispute = access.dispute_or_404(request.user, case_id)
    return render(request, "mediation/detail.html", _context(request, dispute))


def _session(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    services.add_session(request.user, dispute, request=request, **form.cleaned_data)


def _agreement(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    agreements.make_agreement(request.user, dispute, request=request, **form.cleaned_data)


def _scan(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    agreements.attach_signed_scan(request.user, dispute, request.FILES.get("scan"), request=request)


def _confirmation(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    agreements.apply_for_confirmation(request.user, dispute, request=request, **form.cleaned_data)


def _ruling(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    agreements.record_ruling(request.user, dispute, request=request, **form.cleaned_data)


def _transfer(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    data = form.cleaned_data
    transfers.offer_transfer(
        request.user, dispute, to_body_id=data["to_body"], reason=data["reason"], request=request
    )


def _outcome(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    services.record_outcome(request.user, dispute, request=request, **form.cleaned_data)


def _follow_up(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    services.add_follow_up(request.user, dispute, request=request, **form.cleaned_data)


def _major(request: HttpRequest, dispute: Dispute, form: Any) -> None:
    data = form.cleaned_data
    transfers.list_as_major(
        request.user,
        dispute,
        leader_id=data["leader"],
        unit_id=data["unit"],
        reason=data["reason"],
        request=request,
    )


STEPS: dict[str, tuple[Callable[..., Any], Callable[..., None], Any]] = {
    "session": (forms.SessionForm, _session, _l("The session is recorded.")),
    "agreement": (forms.AgreementForm, _agreement, _l("The agreement is recorded.")),
    "scan": (forms.ScanForm, _scan, _l("The signed agreement is attached.")),
    "confirmation": (forms.ConfirmationForm, _confirmation, _l("The application is recorded.")),
    "ruling": (forms.RulingForm, _ruling, _l("The court's ruling is recorded.")),
    "transfer": (forms.TransferForm, _transfer, _l("The transfer is offered.")),
    "outcome": (forms.OutcomeForm, _outcome, _l("The outcome is reported to the township.")),
    "follow_up": (forms.FollowUpForm, _follow_up, _l("The visit is recorded.")),
    "major": (forms.MajorForm, _major, _l("The dispute is listed as major.")),
}


@route(
    "permission",
    permission=access.VIEW,
    note="a step of one dispute in one's reach; mediators and leaders only",
    scoped=True,
)
@login_required
def dispute_step(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    _need(request, access.VIEW)
    dispute = access.dispute_or_404(request.user, case_id)  # scope before method
    if step not in STEPS:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form_class, handler, done = STEPS[step]
    allowed = (
        cases.access.relation(request.user, dispute.case).leader
        if step == "major"
        else access.mediates(request.user, dispute)
    )
    if not allowed:
        raise PermissionDenied
    kwargs: dict[str, Any] = {}
    if step == "transfer":
        kwargs["bodies"] = list(MediationBody.objects.filter(active=True))
    if step == "major":
        leaders, units = _leaders_and_units(dispute)
        kwargs.update(leaders=leaders, units=units)
    form = form_class(request.POST, request.FILES, **kwargs)
    status = 400
    if form.is_valid():
        try:
            handler(request, dispute, form)
        except PermissionError as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            errors_onto(form, error)
        except (EditConflict, CaseConflict) as error:
            form.add_error(None, str(getattr(error, "message", error)))
            status = 409
        except WorkflowError as error:
            if error.code in {"not_allowed", "not_your_action"}:
                raise PermissionDenied(str(error.message)) from error
            form.add_error(None, str(error.message))
        else:
            messages.success(request, done)
            return redirect("mediation:detail", dispute.pk)
    dispute = access.dispute_or_404(request.user, case_id)
    return render(
        request, "mediation/detail.html", _context(request, dispute, **{step: form}), status=status
    )


def _transfer_for(request: HttpRequest, transfer_id: int) -> Transfer:
    units = cases.access.department_ids(request.user)
    transfer = (
        Transfer.objects.filter(pk=transfer_id, to_body__department_id__in=units)
        .select_related("dispute__case", "from_body__department", "to_body__department")
        .first()
    )
    if transfer is None:
        raise Http404
    return transfer


@route(
    "permission",
    permission=access.VIEW,
    note="a transfer offered to one of the user's mediation bodies",
    scoped=True,
)
@login_required
def transfer_answer(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The receiving body reads what it is offered and answers."""
    _need(request, access.VIEW)
    transfer = _transfer_for(request, transfer_id)
    form = forms.TransferAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                transfers.answer_transfer(
                    request.user,
                    transfer,
                    accept=form.cleaned_data["accept"],
                    answer=form.cleaned_data["answer"],
                    request=request,
                )
            except PermissionError as error:
                raise PermissionDenied(str(error)) from error
            except ValidationError as error:
                errors_onto(form, error)
            else:
                if transfer.status == TransferStatus.ACCEPTED:
                    messages.success(request, _("The dispute is now with your body."))
                    return redirect("mediation:detail", transfer.dispute_id)
                messages.success(request, _("The transfer is refused."))
                return redirect("mediation:list")
    dispute = transfer.dispute
    return render(
        request,
        "mediation/transfer.html",
        {
            "transfer": transfer,
            "dispute": dispute,
            "parties": [(party.get_role_display(), party.name) for party in dispute.parties.all()],
            "form": form,
        },
        status=status,
    )


@route("permission", permission=access.VIEW, note="the major disputes within one's reach")
@login_required
def major_list(request: HttpRequest) -> HttpResponse:
    """The leaders' page: major disputes on the list until closed and taken off."""
    _need(request, access.VIEW)
    return render(
        request,
        "mediation/major.html",
        {"disputes": selectors.major_disputes(request.user), "status_labels": STATUS_LABELS},
    )
