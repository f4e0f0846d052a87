"""The case engine's records: categories, cases, their tasks and timeline, attachments, the
work calendar, dispatch rules, notifications and the daily rollups behind the statistics.

A case belongs to the grid it is in (`region_code`, the scope key). Its `version` is the
optimistic lock: every transition names the version it was taken on, and a stale one is a
conflict. The timeline (`CaseEvent`) is append-only: rows are added, never changed.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.cases.categories_seed import CategoryKind
from wangge.cases.workflow import STATUS_LABELS, Status, SupervisionLevel

STATUS_CHOICES = [(status.value, STATUS_LABELS[status]) for status in Status]
KIND_CHOICES = [
    (CategoryKind.EVENT.value, _("event")),
    (CategoryKind.COMPONENT.value, _("component")),
    (CategoryKind.DISPUTE.value, _("dispute")),
    (CategoryKind.HAZARD.value, _("safety hazard")),
    (CategoryKind.SITUATION.value, _("social situation")),
    (CategoryKind.REQUEST.value, _("public-service request")),
    (CategoryKind.PETITION.value, _("petition")),
]


class Category(models.Model):
    """One node of the category tree (seeded from `categories_seed`, editable afterwards).

    `limits` holds the step limits as data: {step: {"amount", "unit", "starts_at",
    "yellow": {"amount", "unit"} | None, "red": … | None}}; empty means the defaults.
    """

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES)
    department_kind = models.CharField(_("default handling department"), max_length=20)
    limits = models.JSONField(_("time limits"), default=dict, blank=True)
    on_site_verification = models.BooleanField(_("verified on site"), default=True)
    public = models.BooleanField(_("may be shown publicly"), default=False)
    extra_fields = models.JSONField(_("extra fields"), default=list, blank=True)
    leaf = models.BooleanField(_("can be chosen"), default=True)
    active = models.BooleanField(_("in use"), default=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    certainty = models.CharField(_("certainty"), max_length=1, blank=True)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# Labels of timeline entries that other apps write besides the workflow's actions (a
# mediation session, an agreement …): each app adds its own in `AppConfig.ready`.
EVENT_LABELS: dict[str, Any] = {}


class Channel(models.TextChoices):
    PATROL = "patrol", _("grid worker on patrol")
    PHONE = "phone", _("phone call to the centre")
    HOTLINE = "hotline", _("12345 hotline")
    DEPARTMENT = "department", _("passed on by a department")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311 client")
    PORTAL = "portal", _("residents' portal")
    MEDIATION = "mediation", _("recorded by a mediation body")
    PETITION = "petition", _("letters and visits office")


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=24, unique=True)
    workflow = models.CharField(max_length=32, default="urban_management")
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases"
    )
    # Denormalised for scoping by category (departments) and for statistics.
    category_code = models.CharField(max_length=16, db_index=True)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=4000)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True)
    lat = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True)
    region_code = models.CharField(_("grid"), max_length=15, db_index=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_reported",
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=64, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES)
    urgent = models.BooleanField(_("urgent"), default=False)
    supervision = models.SmallIntegerField(_("supervision"), default=SupervisionLevel.NONE)
    listed = models.BooleanField(_("listed for the leaders"), default=False)
    listed_at = models.DateTimeField(null=True, blank=True)
    # The running step: which one, when its clock started, and when it is due / yellow / red.
    step = models.CharField(max_length=16, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    yellow_at = models.DateTimeField(null=True, blank=True)
    red_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"))
    registered_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    fed_back_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Whether the handling was finished by its due moment (set when it is fed back).
    on_time = models.BooleanField(null=True)
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_cases",
    )
    rework_count = models.PositiveSmallIntegerField(default=0)
    extension_count = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True)
    extra = models.JSONField(_("extra fields"), default=dict, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["region_code", "status"], name="case_region_status"),
            models.Index(fields=["category_code", "reported_at"], name="case_category_reported"),
            models.Index(fields=["reported_at"], name="case_reported"),
            models.Index(fields=["due_at"], name="case_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="case_rating_1_to_5",
            ),
        ]
        permissions = [
            ("report_case", "Report cases"),
            ("dispatch_case", "Register and dispatch cases"),
            ("handle_case", "Handle cases of one's unit"),
            ("verify_case", "Verify and close cases"),
            ("supervise_case", "Supervise and list cases"),
            ("administer_cases", "Administer the case engine"),
            ("view_case_statistics", "View case statistics"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseNumber(models.Model):
    """The last number given per district and year: `620502-2026` → 123 gives
    `620502-2026-000123`. Taken by an UPDATE inside the creating transaction, so two
    concurrent reports never get the same number."""

    prefix = models.CharField(max_length=16, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last}"


class TaskStatus(models.TextChoices):
    DISPATCHED = "dispatched", _("waiting to be accepted")
    HANDLING = "handling", _("being handled")
    FED_BACK = "fed_back", _("reported as done")
    SENT_BACK = "sent_back", _("sent back")
    DECLINED = "declined", _("declined")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Task(models.Model):
    """A unit's part of a case: the lead unit's, or an assisting unit's, with its deadline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    lead = models.BooleanField(_("lead unit"), default=True)
    instructions = models.CharField(_("instructions"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.DISPATCHED
    )
    dispatched_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    send_back_until = models.DateTimeField(null=True, blank=True)
    extensions_used = models.PositiveSmallIntegerField(default=0)
    extensions_allowed = models.PositiveSmallIntegerField(default=1)
    extension_pending = models.BooleanField(default=False)
    extension_days = models.PositiveSmallIntegerField(null=True, blank=True)  # requested
    extended_days = models.PositiveSmallIntegerField(default=0)  # granted, in the limit's days
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["case_id", "-lead", "id"]
        indexes = [models.Index(fields=["department", "status"], name="task_department_status")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.department_id}"


class AppendOnly(Exception):
    pass


class CaseEvent(models.Model):
    """One row of a case's timeline: every transition, comment, dispatch, extension,
    supervision and rating. Never changed or deleted (`save` refuses an update)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Shown on the residents' tracking page (internal notes are not).
    public = models.BooleanField(default=True)
    # The case's version after this event: a stale action is told the events since.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case_id", "at", "id"]
        indexes = [models.Index(fields=["action", "at"], name="caseevent_action_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnly("A case's timeline is append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("A case's timeline is append-only.")

    def get_label(self) -> str:
        """The action as people read it."""
        from wangge.cases.workflow import ACTIONS

        labels = {**{spec.code: spec.label for spec in ACTIONS}, **EVENT_LABELS}
        if self.action == "join":
            return str(_("Another report joined"))
        if self.action.startswith("supervise_") and self.actor_id is None:
            return str(_("%(label)s, raised automatically")) % {"label": labels[self.action]}
        return str(labels.get(self.action, self.action))


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"cases/{instance.case_id}/{instance.sha256[:16]}.{instance.extension}"


class Attachment(models.Model):
    """A photo (or other image) of a case; `stage` says whether it shows the problem or
    the result."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    sha256 = models.CharField(max_length=64)
    stage = models.CharField(max_length=8, default="report")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.sha256[:12]}"


class DispatchRule(models.Model):
    """Category (prefix) in region (prefix) → department. The most specific rule wins:
    the longest region prefix, then the longest category prefix."""

    category_prefix = models.CharField(_("category code (prefix)"), max_length=16)
    region_prefix = models.CharField(_("region code (prefix)"), max_length=15)
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("unit"), on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        constraints = [
            models.UniqueConstraint(
                fields=["category_prefix", "region_prefix"], name="dispatch_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_prefix}@{self.region_prefix}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday (no work)")
    WORKDAY = "workday", _("adjusted working day (调休上班)")


class CalendarDay(models.Model):
    """A day that differs from the normal week: a holiday on a weekday, or a weekend day
    worked in exchange (调休)."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class CalendarYear(models.Model):
    """A year of the calendar: confirmed once an administrator has checked it against the
    State Council's notice; until then deadlines in it are provisional."""

    year = models.PositiveSmallIntegerField(unique=True)
    confirmed = models.BooleanField(default=False)
    source = models.CharField(max_length=100, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkingHours(models.Model):
    """The working periods of a working day, as "08:30-12:00,14:30-18:00" (one row)."""

    periods = models.CharField(max_length=100, default="08:30-12:00,14:30-18:00")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.periods


class Notification(models.Model):
    """An in-app message to one person; the outbound channel and the daily digest read these."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24)
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.message


class DailyRollup(models.Model):
    """Counts per day, village (or township), category and lead unit, kept current by the
    services as events happen, so the statistics read rollups instead of history."""

    day = models.DateField()
    region_code = models.CharField(max_length=12)
    category_code = models.CharField(max_length=16)
    department_id = models.IntegerField(default=0)  # 0: no lead unit yet
    reported = models.IntegerField(default=0)
    registered = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    extended = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "region_code", "category_code", "department_id"],
                name="rollup_unique",
            )
        ]
        indexes = [models.Index(fields=["day", "region_code"], name="rollup_day_region")]

    def __str__(self) -> str:
        return f"{self.day} {self.region_code} {self.category_code}"


class ApiClient(models.Model):
    """A system allowed to file cases through Open311 (an `api_key`): the key is stored as a
    SHA-256 hash, and cases it files are reported in the name of its account."""

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_clients"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name
