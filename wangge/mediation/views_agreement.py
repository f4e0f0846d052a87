"""The mediation agreement of a dispute, as a print-ready page and as a PDF (audited)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core.routes import access
from wangge.mediation import agreement_doc
from wangge.mediation.access import VIEW, dispute_or_404
from wangge.mediation.models import Agreement, Dispute

PDF_ACTION = "mediation.agreement_pdf"
TEMPLATE = "mediation/agreement_print.html"


def dispute_for(request: HttpRequest, case_id: int) -> Dispute:
    """403 without the capability, 404 outside the user's reach."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    return dispute_or_404(request.user, case_id)


def agreement_of(dispute: Dispute) -> Agreement | None:
    try:
        return dispute.agreement
    except Agreement.DoesNotExist:
        return None


def missing(request: HttpRequest, dispute: Dispute) -> HttpResponse:
    context: dict[str, Any] = {"dispute": dispute, "agreement": None}
    context["message"] = _("This dispute has no mediation agreement yet.")
    return render(request, TEMPLATE, context, status=404)


@access("permission", permission=VIEW, scoped=True, note="a dispute within one's reach")
@login_required
def agreement_print(request: HttpRequest, case_id: int) -> HttpResponse:
    dispute = dispute_for(request, case_id)
    agreement = agreement_of(dispute)
    if agreement is None:
        return missing(request, dispute)
    context = {
        "dispute": dispute,
        "agreement": agreement,
        **agreement_doc.agreement_context(agreement),
    }
    return render(request, TEMPLATE, context)


@access("permission", permission=VIEW, scoped=True, note="a dispute within one's reach, audited")
@login_required
def agreement_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    dispute = dispute_for(request, case_id)
    agreement = agreement_of(dispute)
    if agreement is None:
        return missing(request, dispute)
    body = agreement_doc.render_pdf(agreement)
    record(
        actor=request.user,
        action=PDF_ACTION,
        target=agreement,
        details={"case": dispute.case.number, "agreement": agreement.number},
        request=request,
        region_code=dispute.case.region_code,
    )
    response = HttpResponse(body, content_type="application/pdf")
    name = f"mediation-agreement-{dispute.case.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
