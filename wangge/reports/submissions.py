"""Submissions of report forms: a unit's draft, its submission or zero report, and the
decisions of the level above (approve: locked; return with a reason; reopen with a reason).

States: draft → submitted (or a zero report: submitted with `zero` and no values) → approved
(locked), or → returned → submitted again. An approved submission changes only after the
approver reopens it (back to returned). A submission after its due moment is accepted and
flagged late (the first submission decides). Every write is audited and checks the version
the writer read (a stale one is a conflict: nothing is written).

Selectors: the forms a user's units owe (`forms_to_submit`) and the submissions of the units
below waiting for a user's approval (`approvals_waiting`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.audit.services import record
from wangge.core.errors import EditConflict
from wangge.core.scope import scope_q, user_scope
from wangge.regions.models import Region
from wangge.reports import periods
from wangge.reports.models import ReportForm, Submission, SubmissionState

SUBMIT = "reports.submit_report"
VIEW = "reports.view_submission"
APPROVE = "reports.approve_report"
MAX_ROWS = 1000
MAX_TEXT = 2000
MAX_NUMBER = Decimal("1e12")
MAX_REASON = 1000
ZERO_STATEMENT = "本单位本期无情况可报"
OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
}
LOOKBACK_DAYS = {"daily": 14, "weekly": 35, "monthly": 100, "quarterly": 200, "yearly": 400}
EDITABLE = (SubmissionState.DRAFT, SubmissionState.RETURNED, SubmissionState.SUBMITTED)


class SubmissionConflict(EditConflict):
    pass


# --- values -----------------------------------------------------------------------------------


def number_of(text: str) -> int | float:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise ValueError
    return int(number) if number == number.to_integral_value() else float(number)


def value_checked(kind: str, raw: Any, choices: list[str] | None = None) -> Any:
    """One value of a field or table cell, or None when empty; ValueError when it is wrong."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if kind == "number":
        return number_of(text)
    if kind == "date":
        return datetime.date.fromisoformat(text).isoformat()
    if kind == "choice" and text not in (choices or []):
        raise ValueError
    if len(text) > MAX_TEXT:
        raise ValueError
    return text


def problem_of(kind: str, label: str) -> str:
    texts = {
        "number": _("%(label)s: enter a number (digits only, e.g. 12)."),
        "date": _("%(label)s: enter a date as YYYY-MM-DD."),
        "choice": _("%(label)s: choose one of the listed answers."),
    }
    text = texts.get(kind, _("%(label)s: the text is too long (at most 2,000 characters)."))
    return text % {"label": label}


def table_checked(each: dict[str, Any], raw: Any) -> list[dict[str, Any]]:
    """A table's rows; the count is checked before any row is read."""
    rows = raw if isinstance(raw, list) else []
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            {each["name"]: _("%(label)s: at most 1,000 rows.") % {"label": each["label"]}}
        )
    checked = []
    for number, row in enumerate(rows, start=1):
        row = row if isinstance(row, dict) else {}
        out: dict[str, Any] = {}
        for column in each["columns"]:
            try:
                out[column["name"]] = value_checked(column["type"], row.get(column["name"]))
            except ValueError:
                label = _("%(label)s row %(row)s, %(column)s") % {
                    "label": each["label"],
                    "row": number,
                    "column": column["label"],
                }
                raise ValidationError({each["name"]: problem_of(column["type"], label)}) from None
        if any(value is not None for value in out.values()):
            checked.append(out)
    return checked


def values_checked(form: ReportForm, raw: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """The values of the form's fields, typed; `complete` also asks for the required fields
    and the rules. Every problem is named; nothing is kept when one is found."""
    values: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for each in form.fields:
        name = each["name"]
        try:
            if each["type"] == "table":
                values[name] = table_checked(each, raw.get(name))
            else:
                values[name] = value_checked(each["type"], raw.get(name), each.get("choices"))
        except ValidationError as error:
            problems.setdefault(name, []).extend(error.message_dict[name])
        except ValueError:
            problems.setdefault(name, []).append(problem_of(each["type"], each["label"]))
        missing = values.get(name) in (None, []) and name not in problems
        if complete and each.get("required") and missing:
            problems[name] = [_("%(label)s: this is required.") % {"label": each["label"]}]
    if complete and not problems:
        problems = rules_broken(form, values)
    if problems:
        raise ValidationError(problems)
    return {name: value for name, value in values.items() if value not in (None, [])}


def rules_broken(form: ReportForm, values: dict[str, Any]) -> dict[str, list[str]]:
    labels = {each["name"]: each["label"] for each in form.fields}
    problems: dict[str, list[str]] = {}
    for rule in form.rules:
        left = values.get(rule["left"])
        right_name = rule["right"] if rule["right"] in labels else None
        right = values.get(right_name) if right_name else Decimal(str(rule["right"]))
        if left is None or right is None:
            continue
        if OPS[rule["op"]](Decimal(str(left)), Decimal(str(right))):
            continue
        message = rule.get("message") or _("%(left)s must be %(op)s %(right)s.") % {
            "left": labels[rule["left"]],
            "op": rule["op"],
            "right": labels.get(rule["right"], rule["right"]),
        }
        problems.setdefault(rule["left"], []).append(message)
    return problems


# --- units and periods ------------------------------------------------------------------------


def unit_fits(form: ReportForm, unit_code: str) -> bool:
    return any(len(unit_code) == periods.unit_length(level) for level in form.unit_levels)


def unit_get_for(user: Any, form: ReportForm | None, unit_code: str) -> Region:
    """A unit the user submits for (404 out of scope or not a unit of the form's levels)."""
    if not user_scope(user).covers(unit_code):
        raise Http404
    region = Region.objects.filter(code=unit_code).first()
    if region is None or (form is not None and not unit_fits(form, unit_code)):
        raise Http404
    return region


def period_checked(
    form: ReportForm, unit_code: str, start: datetime.date, today: datetime.date
) -> periods.Period:
    period = periods.period_starting(form.period_type, start)
    if period is None:
        raise ValidationError({"period": _("No period of this form starts on that day.")})
    if not periods.is_open(period, today):
        raise ValidationError(
            {
                "period": _("This period is not open yet: it can be submitted from %(day)s on.")
                % {"day": period.end.isoformat()}
            }
        )
    if not periods.owes(form, unit_code, period):
        raise ValidationError({"period": _("This unit does not owe this form for that period.")})
    return period


def locked_error() -> ValidationError:
    return ValidationError(
        {"state": _("This report is approved and locked: ask the approver to reopen it.")}
    )


def stale() -> SubmissionConflict:
    return SubmissionConflict(
        _("This report was changed meanwhile: reload the page and make your change again.")
    )


# --- the unit's writes ------------------------------------------------------------------------


@dataclass
class Write:
    form: ReportForm
    unit_code: str
    period_start: datetime.date
    version: int  # the version read; 0 when there was no submission yet


def submission_locked_for(write: Write, period: periods.Period) -> Submission:
    """The submission row, locked for the write; a new one when there is none."""
    found = (
        Submission.objects.select_for_update()
        .filter(form=write.form, region_code=write.unit_code, period_start=period.start)
        .first()
    )
    if found is None:
        if write.version:
            raise stale()
        return Submission(
            form=write.form,
            region_code=write.unit_code,
            period_start=period.start,
            period_end=period.end,
            due_at=periods.due_at(write.form, period),
            version=0,
        )
    if found.version != write.version:
        raise stale()
    if found.state == SubmissionState.APPROVED:
        raise locked_error()
    return found


def unit_write(
    *,
    actor: Any,
    write: Write,
    values: dict[str, Any],
    state: str,
    zero: bool,
    now: datetime.datetime | None,
    request: HttpRequest | None,
) -> Submission:
    now = now or timezone.now()
    if not actor.has_perm(SUBMIT) or not user_scope(actor).covers(write.unit_code):
        raise PermissionDenied
    if not unit_fits(write.form, write.unit_code):
        raise ValidationError({"unit": _("This unit is not of a level that submits this form.")})
    period = period_checked(
        write.form, write.unit_code, write.period_start, timezone.localdate(now)
    )
    try:
        with transaction.atomic():
            submission = submission_locked_for(write, period)
            was = submission.state if submission.pk else ""
            if state == SubmissionState.DRAFT and was == SubmissionState.SUBMITTED:
                raise ValidationError(
                    {"state": _("This report is submitted: correct it by submitting again.")}
                )
            submission.values, submission.zero, submission.state = values, zero, state
            if state == SubmissionState.SUBMITTED:
                if submission.submitted_at is None:
                    submission.late = now > submission.due_at
                submission.submitted_by, submission.submitted_at = actor, now
            submission.version += 1
            submission.save()
            record(
                actor=actor,
                action="reports.submission_zero" if zero else f"reports.submission_{state}",
                target=submission,
                details=write_details(submission, was, actor),
                request=request,
                region_code=write.unit_code,
            )
    except IntegrityError:
        raise stale() from None
    return submission


def write_details(submission: Submission, was: str, actor: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "form": submission.form.code,
        "period": submission.period_start.isoformat(),
        "from": was,
        "to": submission.state,
        "late": submission.late,
    }
    if submission.zero:
        details["statement"] = ZERO_STATEMENT
        details["signed_by"] = actor.name or actor.username
    return details


def submission_draft_save(
    *,
    actor: Any,
    write: Write,
    raw: dict[str, Any],
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Submission:
    """Keep what was typed so far (types checked; required fields and rules not yet)."""
    values = values_checked(write.form, raw, complete=False)
    return unit_write(
        actor=actor,
        write=write,
        values=values,
        state=SubmissionState.DRAFT,
        zero=False,
        now=now,
        request=request,
    )


def submission_submit(
    *,
    actor: Any,
    write: Write,
    raw: dict[str, Any],
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Submission:
    values = values_checked(write.form, raw, complete=True)
    return unit_write(
        actor=actor,
        write=write,
        values=values,
        state=SubmissionState.SUBMITTED,
        zero=False,
        now=now,
        request=request,
    )


def submission_zero_declare(
    *,
    actor: Any,
    write: Write,
    statement: bool,
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Submission:
    """A zero report: the signed statement that the unit has nothing to report this period;
    it keeps no values (it is not a form of zeros)."""
    if not statement:
        raise ValidationError(
            {"statement": _("Tick the statement to declare a zero report for this period.")}
        )
    return unit_write(
        actor=actor,
        write=write,
        values={},
        state=SubmissionState.SUBMITTED,
        zero=True,
        now=now,
        request=request,
    )


# --- the approver's decisions -----------------------------------------------------------------


def own_units(user: Any) -> frozenset[str]:
    return user_scope(user).region_codes


def may_approve(user: Any, unit_code: str) -> bool:
    """The units below the user's posts, never the user's own unit."""
    scope = user_scope(user)
    return user.has_perm(APPROVE) and scope.covers(unit_code) and unit_code not in own_units(user)


def decision(
    *,
    actor: Any,
    submission_id: int,
    version: int,
    allowed_from: str,
    to: str,
    reason: str,
    request: HttpRequest | None,
) -> Submission:
    reason = reason.strip()
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update().select_related("form").get(pk=submission_id)
        )
        if not may_approve(actor, submission.region_code):
            raise PermissionDenied
        if submission.version != version:
            raise stale()
        if submission.state != allowed_from:
            raise ValidationError({"state": state_refusal(submission.state, to)})
        if to == SubmissionState.APPROVED and submission.submitted_by_id == actor.pk:
            raise ValidationError(
                {"state": _("You submitted this report yourself: another approver approves it.")}
            )
        if to != SubmissionState.APPROVED and not reason:
            raise ValidationError({"reason": _("Give a reason.")})
        if len(reason) > MAX_REASON:
            raise ValidationError(
                {"reason": _("The reason is too long (at most 1,000 characters).")}
            )
        now = timezone.now()
        was = submission.state
        submission.state = to
        if to == SubmissionState.APPROVED:
            submission.approved_by, submission.approved_at = actor, now
        else:
            submission.returned_reason = reason
            submission.approved_by, submission.approved_at = None, None
        submission.version += 1
        submission.save()
        record(
            actor=actor,
            action=f"reports.submission_{'reopen' if was == SubmissionState.APPROVED else to}",
            target=submission,
            details={"from": was, "to": to, "reason": reason, "form": submission.form.code},
            request=request,
            region_code=submission.region_code,
        )
    return submission


def state_refusal(state: str, to: str) -> str:
    if state == SubmissionState.APPROVED:
        return str(locked_error().messages[0])
    if to == SubmissionState.RETURNED and state != SubmissionState.SUBMITTED:
        return _("Only an approved report can be reopened; only a submitted one returned.")
    return _("Only a submitted report can be approved or returned.")


def submission_approve(
    *, actor: Any, submission_id: int, version: int, request: HttpRequest | None = None
) -> Submission:
    return decision(
        actor=actor,
        submission_id=submission_id,
        version=version,
        allowed_from=SubmissionState.SUBMITTED,
        to=SubmissionState.APPROVED,
        reason="",
        request=request,
    )


def submission_return(
    *,
    actor: Any,
    submission_id: int,
    version: int,
    reason: str,
    request: HttpRequest | None = None,
) -> Submission:
    return decision(
        actor=actor,
        submission_id=submission_id,
        version=version,
        allowed_from=SubmissionState.SUBMITTED,
        to=SubmissionState.RETURNED,
        reason=reason,
        request=request,
    )


def submission_reopen(
    *,
    actor: Any,
    submission_id: int,
    version: int,
    reason: str,
    request: HttpRequest | None = None,
) -> Submission:
    """The approver unlocks an approved report, with a reason: it goes back to the unit."""
    return decision(
        actor=actor,
        submission_id=submission_id,
        version=version,
        allowed_from=SubmissionState.APPROVED,
        to=SubmissionState.RETURNED,
        reason=reason,
        request=request,
    )


# --- selectors --------------------------------------------------------------------------------


def submission_get_for(user: Any, submission_id: int) -> Submission:
    """A submission of a unit in the user's scope; else 404."""
    submission = (
        Submission.objects.select_related("form", "submitted_by", "approved_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not user_scope(user).covers(submission.region_code):
        raise Http404
    return submission


def units_of(user: Any) -> list[str]:
    """The units of the user's posts (a district post: the district's own code)."""
    scope = user_scope(user)
    if scope.unlimited and not scope.region_codes:
        return [settings.WANGGE_ROOT_REGION]
    return sorted(scope.region_codes)


@dataclass
class ToSubmit:
    form: ReportForm
    unit: Region
    period: periods.Period
    submission: Submission | None
    due_at: datetime.datetime

    @property
    def state(self) -> str:
        if self.submission is None:
            return "missing"
        if self.submission.zero and self.submission.state != SubmissionState.DRAFT:
            return "zero"
        return str(self.submission.state)


def forms_to_submit(user: Any, today: datetime.date, per_form: int = 4) -> list[ToSubmit]:
    """For each active form and each unit of the user's posts that submits it: the latest
    open periods owed, with their submission (or none)."""
    forms = list(ReportForm.objects.filter(active=True).order_by("code"))
    codes = units_of(user)
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    wanted: list[tuple[ReportForm, Region, periods.Period]] = []
    for form in forms:
        first = today - datetime.timedelta(days=LOOKBACK_DAYS.get(form.period_type, 35))
        for code in codes:
            if code not in regions or not unit_fits(form, code):
                continue
            owed = periods.periods_owed(form, code, first, today)
            shown = [p for p in owed if periods.is_open(p, today)][-per_form:]
            wanted += [(form, regions[code], period) for period in reversed(shown)]
    found = {
        (s.form_id, s.region_code, s.period_start): s
        for s in Submission.objects.filter(
            form__in=forms, region_code__in=codes, period_start__gte=today - datetime.timedelta(400)
        )
    }
    return [
        ToSubmit(
            form, unit, period, found.get((form.pk, unit.code, period.start)), due(form, period)
        )
        for form, unit, period in wanted
    ]


def due(form: ReportForm, period: periods.Period) -> datetime.datetime:
    return periods.due_at(form, period)


def approvals_waiting(user: Any, limit: int = 500) -> list[Submission]:
    """Submitted reports of the units below the user's posts, oldest period first."""
    if not user.has_perm(APPROVE):
        return []
    scope = user_scope(user)
    rows = list(
        Submission.objects.filter(scope_q(scope), state=SubmissionState.SUBMITTED)
        .exclude(region_code__in=own_units(user))
        .select_related("form", "submitted_by")
        .order_by("form__code", "period_start", "region_code")[:limit]
    )
    names = dict(
        Region.objects.filter(code__in={row.region_code for row in rows}).values_list(
            "code", "name"
        )
    )
    for row in rows:
        row.unit_name = names.get(row.region_code, row.region_code)  # type: ignore[attr-defined]
    return rows
