"""Petitions (信访) on the case engine, to the limits of the 信访工作条例 (2022).

A petition is a case of a `P…` category running the "petition" workflow: the petitions office
registers and routes it (15 days), the receiving body accepts it and says so (15 days) or
objects (5 working days), handles it (60 days, once extended by at most 30), and issues the
written opinion; the office then closes it. A review (复查) and a re-review (复核) are new
cases, each linked to the one before (`previous`), answered within 30 days; after the
re-review the same request is closed. `Petition` holds what the regulation adds to the case.

Sources: domain-facts §6.4 [V].
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_REPRESENTATIVES = 5  # 信访工作条例 art. 20


class Form(models.TextChoices):
    """信访形式 (art. 17)."""

    ONLINE = "online", _("online")
    LETTER = "letter", _("letter")
    PHONE = "phone", _("phone")
    FAX = "fax", _("fax")
    VISIT = "visit", _("visit")


class MatterKind(models.TextChoices):
    """Arts. 29–31; the case's category (P0101–P0103) says the same."""

    SUGGESTION = "suggestion", _("suggestion or opinion")
    ACCUSATION = "accusation", _("accusation or complaint")
    APPEAL = "appeal", _("appeal or request")


class Stage(models.TextChoices):
    INITIAL = "initial", _("petition")
    REVIEW = "review", _("review (复查)")
    RE_REVIEW = "re_review", _("re-review (复核)")


class Decision(models.TextChoices):
    """The written opinion's decision (art. 32)."""

    SUPPORT = "support", _("supported")
    EXPLAIN = "explain", _("explained")
    NOT_SUPPORT = "not_support", _("not supported")


class Petition(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="petition", primary_key=True
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.INITIAL
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("reviewed petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_stage",
    )
    form = models.CharField(_("form"), max_length=8, choices=Form.choices)
    matter_kind = models.CharField(_("kind of matter"), max_length=12, choices=MatterKind.choices)
    group = models.BooleanField(_("group visit"), default=False)
    people_count = models.PositiveIntegerField(_("number of petitioners"), default=1)
    petitioner_name = models.CharField(_("petitioner"), max_length=64)
    petitioner_id_number = models.CharField(_("identity number"), max_length=32, blank=True)
    petitioner_phone = models.CharField(_("phone"), max_length=20, blank=True)
    petitioner_address = models.CharField(_("address"), max_length=200, blank=True)
    request = models.TextField(_("request"), max_length=4000)
    received_on = models.DateField(_("received on"))
    # Acceptance (art. 23): told to the petitioner within 15 days.
    accepted = models.BooleanField(_("accepted"), null=True)
    acceptance_note = models.CharField(_("acceptance note"), max_length=1000, blank=True)
    acceptance_at = models.DateTimeField(null=True, blank=True)
    # An appeal that has its own legal procedure is routed there (art. 31).
    routed_to_procedure = models.CharField(
        _("routed to another legal procedure"), max_length=200, blank=True
    )
    extension_told_at = models.DateTimeField(_("petitioner told of the extension"), null=True)
    # The written opinion (处理意见书, art. 32).
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, blank=True, default=""
    )
    opinion_facts = models.TextField(_("facts"), max_length=4000, blank=True)
    opinion_reasons = models.TextField(_("reasons"), max_length=4000, blank=True)
    opinion_basis = models.TextField(_("legal basis"), max_length=2000, blank=True)
    opinion_at = models.DateTimeField(_("opinion issued"), null=True, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        permissions = [("route_petition", _("Register, route and close petitions"))]

    def __str__(self) -> str:
        return str(self.case)


class Representative(models.Model):
    """A representative of a group visit (at most five, art. 20)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("identity number"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.name)
