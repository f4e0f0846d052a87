"""Disputes and their mediation (矛盾纠纷大调处), on the case engine.

A dispute is a case of a `D…` category (GB/T 31000 矛盾纠纷 事件类型) running the "mediation"
workflow; `Dispute` holds what mediation adds to it: the parties, the sessions, the outcome,
the agreement and its judicial confirmation, transfers between people's, administrative and
judicial mediation (三调联动), follow-up visits, and the major-dispute listing. The case keeps
the number, the place (scope), the timeline, the deadlines and supervision.

Monthly screening (月排查): each village and township submits, per period, the disputes it
found or an explicit zero report (`Screening`).

Sources: domain-facts §6.1–6.3 and §4.3 (the GB/T 31000 dispute record).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MediationType(models.TextChoices):
    """三调联动: the three kinds of mediation a dispute moves between."""

    PEOPLE = "people", _("people's mediation")
    ADMINISTRATIVE = "administrative", _("administrative mediation")
    JUDICIAL = "judicial", _("judicial mediation")


class MediationBody(models.Model):
    """A unit that mediates: a people's mediation committee, an administrative body, a court.
    It is a department of the case engine (tasks go to it); this says how it mediates."""

    department = models.OneToOneField(
        "accounts.Department",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="mediation_body",
    )
    type = models.CharField(_("mediation type"), max_length=16, choices=MediationType.choices)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("mediation body")
        verbose_name_plural = _("mediation bodies")
        ordering = ["department__region_id", "department__code"]

    def __str__(self) -> str:
        return self.department.name


class Scale(models.TextChoices):
    """GB/T 31000 事件规模 (矛盾纠纷), domain-facts §4.4 [C]."""

    INDIVIDUAL = "01", _("individual")
    GROUP = "02", _("group")
    MAJOR_GROUP = "03", _("major group")


class Entry(models.TextChoices):
    """How the dispute came to mediation, domain-facts §6.1(a) [S]."""

    ACTIVE = "active", _("mediated on our own initiative")
    APPLICATION = "application", _("on a party's application")
    REFERRED = "referred", _("referred by another body")


class Outcome(models.TextChoices):
    OPEN = "", _("not yet")
    AGREEMENT = "agreement", _("agreement reached")
    NO_AGREEMENT = "no_agreement", _("no agreement")


class NoAgreementRoute(models.TextChoices):
    """Without agreement, the parties are told to sue or go to the competent body (§6.3)."""

    NONE = "", _("—")
    COURT = "court", _("guided to the court")
    COMPETENT_BODY = "competent_body", _("transferred to the competent body")


class Dispute(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="dispute", primary_key=True
    )
    # The Ministry of Justice statistics category (15), derived from the GB/T 31000 subclass.
    moj_category = models.CharField(_("MoJ statistics category"), max_length=16)
    scale = models.CharField(_("scale"), max_length=2, choices=Scale.choices)
    people_involved = models.PositiveIntegerField(_("people involved"), default=2)
    amount_fen = models.BigIntegerField(_("amount involved (fen)"), default=0)
    entry = models.CharField(_("how it came to mediation"), max_length=12, choices=Entry.choices)
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True)
    body = models.ForeignKey(
        MediationBody,
        verbose_name=_("mediation body"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mediators"), related_name="disputes_mediated"
    )
    # The one-month target (人民调解工作若干规定 art. 33, §6.3 [S]).
    target_on = models.DateField(_("to be settled by"))
    outcome = models.CharField(
        _("outcome"), max_length=14, choices=Outcome.choices, blank=True, default=""
    )
    outcome_route = models.CharField(
        _("without agreement"),
        max_length=16,
        choices=NoAgreementRoute.choices,
        blank=True,
        default="",
    )
    outcome_note = models.TextField(_("outcome"), max_length=2000, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    # What the MoJ table counts besides the outcome (§6.1(a) [S]).
    prevented_criminal = models.BooleanField(
        _("prevented from turning into a criminal case"), default=False
    )
    prevented_group_petition = models.BooleanField(_("prevented a group petition"), default=False)
    # 重大矛盾纠纷: listed (挂牌) with a responsible leader and unit until closed (销号).
    major = models.BooleanField(_("major dispute"), default=False)
    major_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="major_disputes_led",
    )
    major_unit = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="major_disputes",
    )
    major_since = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        permissions = [
            ("record_dispute", _("Record disputes and mediate them")),
            ("submit_screening", _("Submit the dispute screening of one's unit")),
            ("view_mediation_statistics", _("View mediation statistics")),
        ]

    def __str__(self) -> str:
        return str(self.case)


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    RESPONDENT = "respondent", _("respondent")
    THIRD_PARTY = "third_party", _("third party")


class Party(models.Model):
    """A party: a person of the register (linked, not copied) or one entered by name."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person in the register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_parties",
    )
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("identity number"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One mediation session (调解记录)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.CharField(_("attendees"), max_length=500)
    summary = models.TextField(_("summary"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


class Agreement(models.Model):
    """The written mediation agreement (调解协议书, §6.3 [S]): the parties (from the dispute),
    the facts and dispute, the agreed rights and duties, and how, where and when it is
    performed. `effective_on` starts the 30-day judicial-confirmation window."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="agreement")
    number = models.CharField(_("agreement number"), max_length=40)
    facts = models.TextField(_("facts and the dispute"), max_length=4000)
    terms = models.TextField(_("agreed rights and duties"), max_length=4000)
    performance = models.TextField(_("manner, place and time of performance"), max_length=2000)
    amount_fen = models.BigIntegerField(_("amount agreed (fen)"), default=0)
    effective_on = models.DateField(_("signed and in effect on"))
    signed_scan = models.ForeignKey(
        "cases.Attachment",
        verbose_name=_("signed scan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self) -> str:
        return str(self.number)


class Ruling(models.TextChoices):
    PENDING = "", _("waiting for the court")
    CONFIRMED = "confirmed", _("confirmed valid")
    REJECTED = "rejected", _("not confirmed")


class JudicialConfirmation(models.Model):
    """司法确认 (人民调解法 art. 33, §6.3 [S]): applied for jointly within 30 days."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="confirmation"
    )
    applied_on = models.DateField(_("applied on"))
    court = models.CharField(_("court"), max_length=100)
    ruling = models.CharField(
        _("ruling"), max_length=10, choices=Ruling.choices, blank=True, default=""
    )
    ruled_on = models.DateField(_("ruled on"), null=True, blank=True)
    ruling_number = models.CharField(_("ruling number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("judicial confirmation")
        verbose_name_plural = _("judicial confirmations")

    def __str__(self) -> str:
        return f"{self.court} {self.applied_on}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")


class Transfer(models.Model):
    """A dispute offered to another mediation body (三调联动), accepted or refused with a
    reason; both bodies see the trail."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="transfers")
    from_body = models.ForeignKey(MediationBody, on_delete=models.PROTECT, related_name="+")
    to_body = models.ForeignKey(
        MediationBody, on_delete=models.PROTECT, related_name="transfers_in"
    )
    reason = models.CharField(_("reason"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    answer = models.CharField(_("answer"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_body} → {self.to_body}"


class Performance(models.TextChoices):
    FULL = "full", _("performed in full")
    PARTLY = "partly", _("partly performed")
    NOT = "not", _("not performed")


class FollowUp(models.Model):
    """A return visit (回访) on how the agreement is being performed."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    performance = models.CharField(_("performance"), max_length=8, choices=Performance.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.performance}"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    HALF_MONTHLY = "half_monthly", _("every half month")


class ScreeningSettings(models.Model):
    """The district's screening rules (one row): villages' cadence, and how many days after
    a period ends its report is due."""

    district_code = models.CharField(max_length=6, unique=True)
    village_cadence = models.CharField(
        _("villages screen"), max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    due_days = models.PositiveSmallIntegerField(_("days after the period to submit"), default=5)

    class Meta:
        verbose_name = _("screening settings")
        verbose_name_plural = _("screening settings")

    def __str__(self) -> str:
        return str(self.district_code)


class Screening(models.Model):
    """One unit's screening report for one period: the disputes it found, or an explicit zero
    report (nothing found), distinct from not having reported at all (no row)."""

    region_code = models.CharField(_("unit"), max_length=12, db_index=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    zero = models.BooleanField(_("zero report"), default=False)
    disputes = models.ManyToManyField("cases.Case", related_name="screenings", blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    late = models.BooleanField(_("late"), default=False)
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("dispute screening")
        verbose_name_plural = _("dispute screenings")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "period_start"], name="screening_once_per_period"
            )
        ]
        ordering = ["-period_start", "region_code"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period_start}"
