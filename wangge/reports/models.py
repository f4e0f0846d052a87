"""Periodic reports with real zero reports, sensitive-period daily reporting, special
major-situation reports, and early warning.

A `ReportForm` is defined by administrators as data: its fields, the rules between them, the
unit levels that must submit, the period type and the deadline. A unit's `Submission` for a
period is a draft, submitted, returned or approved; a zero report (零报告) is its own flag, an
explicit statement that there is nothing to report, distinct from a missing submission (no
row) and from a form of zeros. Approval by the level above locks the figures.

Sources: domain-facts §6.2 (cadence, zero reports, 过期录入), the issue text.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodType(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


class UnitLevel(models.TextChoices):
    """The unit levels a form asks to submit, by the length of their region code."""

    DISTRICT = "district", _("district")
    TOWNSHIP = "township", _("township or street")
    VILLAGE = "village", _("village or community")
    GRID = "grid", _("grid")


class ReportForm(models.Model):
    """A report form as data.

    `fields`: [{"name", "label", "type": number|text|choice|date|table, "required": bool,
    "help": str, "choices": [..] (choice), "columns": [{"name", "label", "type"}] (table),
    "prefill": a platform figure key or ""}].
    `rules`: [{"left": field, "op": "<=" | "<" | ">=" | ">" | "==" , "right": field or
    number, "message": str}].
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("form name"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    period_type = models.CharField(_("period"), max_length=10, choices=PeriodType.choices)
    unit_levels = models.JSONField(_("unit levels that submit"), default=list)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("working days after the period to submit"), default=3
    )
    fields = models.JSONField(_("fields"), default=list)
    rules = models.JSONField(_("rules"), default=list, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["code"]
        permissions = [
            ("define_reportform", _("Define report forms and sensitive periods")),
            ("submit_report", _("Submit the reports of one's unit")),
            ("approve_report", _("Approve, return and reopen the reports of the units below")),
            ("view_report_rollup", _("View report completeness and roll-ups")),
        ]

    def __str__(self) -> str:
        return self.name


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")


class Submission(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    region_code = models.CharField(_("unit"), max_length=15, db_index=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    zero = models.BooleanField(_("zero report"), default=False)
    values = models.JSONField(_("values"), default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    returned_reason = models.CharField(_("reason returned"), max_length=1000, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "region_code", "period_start"], name="submission_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["form", "period_start", "state"], name="submission_form_period")
        ]

    def __str__(self) -> str:
        return f"{self.form} {self.region_code} {self.period_start}"


class SensitivePeriod(models.Model):
    """A date range during which the assigned units submit a daily report (`form`, a daily
    form); `region_prefixes` empty means every unit of the form's levels."""

    name = models.CharField(_("period name"), max_length=100)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="sensitive_periods")
    region_prefixes = models.JSONField(_("units"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("sensitive period")
        verbose_name_plural = _("sensitive periods")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class SpecialReport(models.Model):
    """重大情况专项报告: filed by a unit at any time, it goes up the chain at once and each
    level above must acknowledge it; unacknowledged ones escalate."""

    region_code = models.CharField(_("unit"), max_length=15, db_index=True)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("what happened"), max_length=4000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("special report")
        verbose_name_plural = _("special reports")
        ordering = ["-filed_at"]
        permissions = [("file_specialreport", _("File special major-situation reports"))]

    def __str__(self) -> str:
        return self.title


class Acknowledgement(models.Model):
    """One level above the filing unit that must acknowledge a special report."""

    report = models.ForeignKey(
        SpecialReport, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    region_code = models.CharField(_("level"), max_length=15)
    due_at = models.DateTimeField(_("acknowledge by"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-region_code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "region_code"], name="acknowledge_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.region_code}"


class RuleKind(models.TextChoices):
    DISPUTE_SURGE = "dispute_surge", _("disputes above k times the 8-week median")
    OVERDUE_SHARE = "overdue_share", _("a category's overdue share above a threshold")
    MISSING_REPORTS = "missing_reports", _("a unit missing reports in a row")


class WarningRule(models.Model):
    """An early-warning rule as data: its kind and parameters (`params`, e.g. {"k": 2,
    "at_least": 3} for a surge). Warnings concern places, categories and units, never
    individuals."""

    name = models.CharField(_("rule name"), max_length=100)
    kind = models.CharField(_("rule kind"), max_length=20, choices=RuleKind.choices)
    params = models.JSONField(_("parameters"), default=dict)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        permissions = [("acknowledge_warning", _("Acknowledge early warnings and add notes"))]

    def __str__(self) -> str:
        return self.name


class WarningState(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    CLOSED = "closed", _("closed")


class EarlyWarning(models.Model):
    """One firing of a rule for a place (`region_code`), optionally a category, and a
    period; `link` is the query string of the case list behind it."""

    rule = models.ForeignKey(WarningRule, on_delete=models.PROTECT, related_name="warnings")
    region_code = models.CharField(_("place or unit"), max_length=15, db_index=True)
    category_code = models.CharField(_("category"), max_length=16, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.FloatField(_("value"))
    threshold = models.FloatField(_("threshold"))
    summary = models.CharField(_("what it says"), max_length=300)
    link = models.CharField(_("records behind it"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=14, choices=WarningState.choices, default=WarningState.OPEN
    )
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "region_code", "category_code", "period_start"],
                name="warning_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return self.summary


class WarningNote(models.Model):
    """A follow-up note on a warning."""

    warning = models.ForeignKey(EarlyWarning, on_delete=models.CASCADE, related_name="notes")
    text = models.CharField(_("note"), max_length=1000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("warning note")
        verbose_name_plural = _("warning notes")
        ordering = ["written_at"]

    def __str__(self) -> str:
        return self.text[:40]
