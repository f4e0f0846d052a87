"""The pages of report forms and submissions: the list (my reports; the forms, for
administrators), defining a form, filling in or declaring a zero report for a period, one
submission with the approver's decisions, and the approvals waiting. Each checks the
permission (403), then the unit (404), then parses and calls `definitions` or `submissions`."""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.routes import access
from wangge.reports import definitions, forms, periods, prefill, submissions
from wangge.reports.models import ReportForm, Submission, SubmissionState
from wangge.reports.submissions import APPROVE, SUBMIT, VIEW

DEFINE = definitions.DEFINE


def posted(request: HttpRequest) -> Any:
    """The posted fields, or None when the request is too big to read (too many fields or
    bytes): the caller answers with a clear message instead of a crash page."""
    try:
        return request.POST
    except (TooManyFieldsSent, RequestDataTooBig):
        return None


def too_big(request: HttpRequest) -> HttpResponse:
    text = _(
        "What you sent is too large (too many rows or fields). Send at most 1,000 table rows, "
        "or split the table."
    )
    return render(request, "reports/submit_too_big.html", {"text": text}, status=413)


# --- the list ---------------------------------------------------------------------------------


@access("permission", permission=VIEW, note="one's own units' reports; all forms for admins")
@login_required
def forms_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    rows = submissions.forms_to_submit(request.user, today) if request.user.has_perm(SUBMIT) else []
    context = {
        "rows": rows,
        "now": timezone.now(),
        "forms": ReportForm.objects.order_by("code") if request.user.has_perm(DEFINE) else None,
        "waiting": len(submissions.approvals_waiting(request.user)),
    }
    return render(request, "reports/form_list.html", context)


# --- defining a form --------------------------------------------------------------------------


def definition_input(form: forms.DefinitionForm, fields: Any, rules: Any) -> definitions.FormInput:
    data = form.cleaned_data
    return definitions.FormInput(
        code=data["code"],
        name=data["name"],
        description=data["description"],
        period_type=data["period_type"],
        unit_levels=list(data["unit_levels"]),
        deadline_working_days=data["deadline_working_days"],
        active=data["active"],
        fields=forms.fields_from_rows(fields),
        rules=forms.rules_from_rows(rules),
    )


def definition_page(request: HttpRequest, report_form: ReportForm | None) -> HttpResponse:
    if request.method == "POST":
        data = request.POST.copy()
        if report_form is not None:  # the code and period of a form with data stay
            data["code"], data["period_type"] = report_form.code, report_form.period_type
        form = forms.DefinitionForm(data)
        fields = forms.FieldRows(request.POST, prefix="fields")
        rules = forms.RuleRows(request.POST, prefix="rules")
        problems: list[str] = []
        status = 400
        if form.is_valid() and fields.is_valid() and rules.is_valid():
            try:
                saved = definition_save(request, form, fields, rules, report_form)
            except ValidationError as error:
                problems = [m for messages_ in error.message_dict.values() for m in messages_]
            except definitions.FormConflict as conflict:
                problems, status = [str(conflict)], 409
            else:
                messages.success(request, _("The form “%(name)s” is saved.") % {"name": saved.name})
                return redirect(reverse("reports:forms"))
        context = definition_context(report_form, form, fields, rules, problems)
        return render(request, "reports/form_edit.html", context, status=status)
    if report_form is None:
        form = forms.DefinitionForm()
        fields = forms.FieldRows(prefix="fields")
    else:
        form = forms.DefinitionForm(initial=forms.initial_of_form(report_form))
        fields = forms.FieldRows(prefix="fields", initial=forms.rows_of_fields(report_form))
    rules = forms.RuleRows(prefix="rules", initial=report_form.rules if report_form else None)
    context = definition_context(report_form, form, fields, rules, [])
    return render(request, "reports/form_edit.html", context)


def definition_save(
    request: HttpRequest, form: Any, fields: Any, rules: Any, report_form: ReportForm | None
) -> ReportForm:
    data = definition_input(form, fields, rules)
    if report_form is None:
        return definitions.reportform_create(actor=request.user, data=data, request=request)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    return definitions.reportform_update(
        actor=request.user, form=report_form, data=data, version=version, request=request
    )


def definition_context(
    report_form: ReportForm | None, form: Any, fields: Any, rules: Any, problems: list[str]
) -> dict[str, Any]:
    return {
        "report_form": report_form,
        "form": form,
        "fields": fields,
        "rules": rules,
        "problems": problems,
        "has_data": report_form is not None and report_form.submissions.exists(),
    }


@access("permission", permission=DEFINE, note="district-wide form definitions")
@login_required
def form_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(DEFINE):
        raise PermissionDenied
    return definition_page(request, None)


@access("permission", permission=DEFINE, note="district-wide form definitions")
@login_required
def form_edit(request: HttpRequest, form_code: str) -> HttpResponse:
    if not request.user.has_perm(DEFINE):
        raise PermissionDenied
    return definition_page(request, get_object_or_404(ReportForm, code=form_code))


# --- filling in a report ----------------------------------------------------------------------


def shown_values(
    report_form: ReportForm, unit_code: str, period: periods.Period, found: Any
) -> Any:
    """The values to show: the submission's, or for a new one the platform's figures."""
    if found is not None:
        return found.values
    wanted = [each for each in report_form.fields if each.get("prefill")]
    if not wanted:
        return {}
    figures = prefill.figures(unit_code, period)
    return {each["name"]: figures.get(each["prefill"]) for each in wanted}


def field_views(
    report_form: ReportForm, values: dict[str, Any], errors: dict[str, Any], blank_row: bool = True
) -> list[dict[str, Any]]:
    """Each field with its value (a table: its rows of (column, value), and an empty row to
    type in) and its problems."""
    views = []
    for each in report_form.fields:
        value = values.get(each["name"])
        view: dict[str, Any] = {"field": each, "errors": errors.get(each["name"], [])}
        if each["type"] == "table":
            rows = value if isinstance(value, list) else []
            rows = [*rows, {}] if blank_row and len(rows) < submissions.MAX_ROWS else rows
            view["rows"] = [
                [
                    (column, "" if row.get(column["name"]) is None else row.get(column["name"]))
                    for column in each["columns"]
                ]
                for row in rows
            ]
        else:
            view["value"] = "" if value is None else value
        views.append(view)
    return views


def submit_context(
    request: HttpRequest,
    report_form: ReportForm,
    unit: Any,
    period: periods.Period,
    found: Submission | None,
    values: dict[str, Any] | None = None,
    errors: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if values is None:
        values = shown_values(report_form, unit.code, period, found)
    errors = errors or {}
    return {
        "report_form": report_form,
        "unit": unit,
        "period": period,
        "due": periods.due_at(report_form, period),
        "now": timezone.now(),
        "submission": found,
        "locked": found is not None and found.state == SubmissionState.APPROVED,
        "field_views": field_views(report_form, values, errors),
        "problems": [
            m
            for name, ms in errors.items()
            if name not in {f["name"] for f in report_form.fields}
            for m in ms
        ],
        "zero_statement": submissions.ZERO_STATEMENT,
        "version": found.version if found else 0,
        "prefilled": found is None and any(f.get("prefill") for f in report_form.fields),
    }


def day_of(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@access("permission", permission=SUBMIT, scoped=True, note="a unit of one's posts")
@login_required
def submit_page(
    request: HttpRequest, form_code: str, unit_code: str, period_start: str
) -> HttpResponse:
    if not request.user.has_perm(SUBMIT):
        raise PermissionDenied
    submissions.unit_get_for(request.user, None, unit_code)  # scope first: 404
    report_form = get_object_or_404(ReportForm, code=form_code)
    unit = submissions.unit_get_for(request.user, report_form, unit_code)
    start = day_of(period_start)
    try:
        if start is None:
            raise ValidationError({"period": _("No period of this form starts on that day.")})
        period = submissions.period_checked(report_form, unit.code, start, timezone.localdate())
    except ValidationError as error:
        problem = {"report_form": report_form, "unit": unit, "period_error": error.messages}
        return render(request, "reports/submit.html", problem, status=400)
    found = Submission.objects.filter(
        form=report_form, region_code=unit.code, period_start=period.start
    ).first()
    if request.method == "POST":
        return submit_post(request, report_form, unit, period, found)
    return render(
        request, "reports/submit.html", submit_context(request, report_form, unit, period, found)
    )


def submit_post(
    request: HttpRequest, report_form: ReportForm, unit: Any, period: periods.Period, found: Any
) -> HttpResponse:
    post = posted(request)
    if post is None:
        return too_big(request)
    action = post.get("action", "")
    try:
        version = int(post.get("version", "0"))
    except ValueError:
        version = -1
    write = submissions.Write(report_form, unit.code, period.start, version)
    raw: dict[str, Any] = {}
    try:
        if action == "zero":
            saved = submissions.submission_zero_declare(
                actor=request.user,
                write=write,
                statement=post.get("statement") == "on",
                request=request,
            )
        else:
            raw = forms.values_posted(report_form, post)
            service = (
                submissions.submission_submit
                if action == "submit"
                else submissions.submission_draft_save
            )
            saved = service(actor=request.user, write=write, raw=raw, request=request)
    except ValidationError as error:
        context = submit_context(
            request, report_form, unit, period, found, raw or None, error.message_dict
        )
        return render(request, "reports/submit.html", context, status=400)
    except submissions.SubmissionConflict as conflict:
        context = submit_context(
            request, report_form, unit, period, found, raw or None, {"state": [str(conflict)]}
        )
        return render(request, "reports/submit.html", context, status=409)
    messages.success(request, saved_text(saved))
    return redirect(request.path)


def saved_text(saved: Submission) -> str:
    if saved.state == SubmissionState.DRAFT:
        return _("The draft is saved. It is not submitted yet.")
    text = _("Zero report submitted.") if saved.zero else _("The report is submitted.")
    if saved.late:
        text = _("%(text)s It was submitted after the due moment and is marked late.") % {
            "text": text
        }
    return text


# --- one submission, and the approver's decisions ---------------------------------------------


@access("permission", permission=VIEW, scoped=True, note="POST: approve, return, reopen")
@login_required
def submission_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    submission = submissions.submission_get_for(request.user, submission_id)
    if request.method == "POST":
        return decision_post(request, submission)
    return render(request, "reports/submission.html", submission_view_context(request, submission))


def submission_view_context(
    request: HttpRequest, submission: Submission, problems: list[str] | None = None
) -> dict[str, Any]:
    from wangge.regions.models import Region

    unit = Region.objects.filter(code=submission.region_code).first()
    return {
        "submission": submission,
        "unit": unit,
        "field_views": field_views(submission.form, submission.values, {}, blank_row=False),
        "may_approve": submissions.may_approve(request.user, submission.region_code),
        "may_submit": request.user.has_perm(SUBMIT)
        and submission.region_code in submissions.units_of(request.user),
        "problems": problems or [],
        "zero_statement": submissions.ZERO_STATEMENT,
    }


DECISIONS: dict[str, Callable[..., Submission]] = {
    "approve": submissions.submission_approve,
    "return": submissions.submission_return,
    "reopen": submissions.submission_reopen,
}


def decision_post(request: HttpRequest, submission: Submission) -> HttpResponse:
    if not submissions.may_approve(request.user, submission.region_code):
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action not in DECISIONS:
        return render_problem(request, submission, _("Choose what to do."), 400)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    arguments: dict[str, Any] = {
        "actor": request.user,
        "submission_id": submission.pk,
        "version": version,
        "request": request,
    }
    if action != "approve":
        arguments["reason"] = request.POST.get("reason", "")
    try:
        done = DECISIONS[action](**arguments)
    except ValidationError as error:
        return render_problem(request, submission, " ".join(error.messages), 400)
    except submissions.SubmissionConflict as conflict:
        return render_problem(request, submission, str(conflict), 409)
    texts: dict[str, str] = {
        SubmissionState.APPROVED: _("Approved: the report is locked."),
        SubmissionState.RETURNED: _("The report is returned to the unit with your reason."),
    }
    messages.success(request, texts.get(done.state, _("Saved.")))
    if request.POST.get("next") == "approvals":
        return redirect(reverse("reports:approvals"))
    return redirect(reverse("reports:submission", args=[done.pk]))


def render_problem(
    request: HttpRequest, submission: Submission, text: str, status: int
) -> HttpResponse:
    context = submission_view_context(request, submission, [text])
    return render(request, "reports/submission.html", context, status=status)


@access("permission", permission=APPROVE, note="the units below one's posts")
@login_required
def approvals_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(APPROVE):
        raise PermissionDenied
    rows = submissions.approvals_waiting(request.user)
    return render(request, "reports/approvals.html", {"rows": rows})
