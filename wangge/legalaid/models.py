"""Legal aid applications (法律援助申请): applicant, matter, evidence of hardship, the
decision with its reason, the assigned provider, and the outcome.

The decision is due within 7 days of receipt (法律援助法 2021 art. 43 [R: recalled, not
checked against the text]).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("received, to be decided")
    GRANTED = "granted", _("granted, to be assigned")
    REFUSED = "refused", _("refused")
    ASSIGNED = "assigned", _("assigned to a provider")
    CLOSED = "closed", _("closed, outcome recorded")


class MatterKind(models.TextChoices):
    """The matters of 法律援助法 2021 art. 31 [R: recalled, not checked against the text]."""

    STATE_COMPENSATION = "state_compensation", _("state compensation")
    SOCIAL_INSURANCE = "social_insurance", _("social insurance benefits or social assistance")
    SURVIVOR_PENSION = "survivor_pension", _("survivors' pension (抚恤金)")
    MAINTENANCE = "maintenance", _("maintenance for parents, children or spouse")
    LABOUR = "labour", _("employment relationship or unpaid wages")
    LEGAL_CAPACITY = "legal_capacity", _("declaring a person without or of limited capacity")
    PERSONAL_INJURY = (
        "personal_injury",
        _("injury from a work, traffic, food or drug safety or medical accident"),
    )
    ENVIRONMENT = "environment", _("damage from pollution or ecological harm")
    OTHER = "other", _("other matter")


class Hardship(models.TextChoices):
    SUBSISTENCE = "subsistence", _("subsistence allowance or destitute support certificate")
    DISABILITY = "disability", _("disability certificate")
    DECLARATION = "declaration", _("signed declaration of financial hardship")
    OTHER = "other", _("other evidence")


class Application(models.Model):
    number = models.CharField(_("application number"), max_length=24, unique=True)
    region_code = models.CharField(_("place"), max_length=15, db_index=True)
    applicant = models.ForeignKey(
        "people.Person",
        verbose_name=_("applicant in the register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_aid_applications",
    )
    applicant_name = models.CharField(_("applicant"), max_length=64)
    applicant_id_number = models.CharField(_("identity number"), max_length=32, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    matter_kind = models.CharField(_("kind of matter"), max_length=24, choices=MatterKind.choices)
    matter = models.TextField(_("matter"), max_length=4000)
    hardship = models.CharField(_("evidence of hardship"), max_length=24, choices=Hardship.choices)
    hardship_note = models.CharField(_("about the hardship"), max_length=1000, blank=True)
    dispute = models.ForeignKey(
        "cases.Case",
        verbose_name=_("related dispute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_aid_applications",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("received"))
    decision_due_at = models.DateTimeField(_("decision due"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.CharField(_("reason for the decision"), max_length=1000, blank=True)
    provider = models.CharField(_("provider (lawyer and firm)"), max_length=100, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("legal aid application")
        verbose_name_plural = _("legal aid applications")
        ordering = ["-received_at"]
        permissions = [("handle_application", _("Decide and assign legal aid applications"))]

    def __str__(self) -> str:
        return self.number


class Evidence(models.Model):
    """A document proving hardship, checked like case photos (image) or a PDF."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="legalaid/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.name)


class NumberCounter(models.Model):
    """The last number given per district and year: `LA-620502-2026` → 12 gives
    `LA-620502-2026-0012`. Taken by an UPDATE inside the receiving transaction, so two
    concurrent receipts never get the same number."""

    prefix = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last}"
