"""The residents' portal: one-time codes that prove a mobile number, rate-limit counters, the
request a resident raised (a case in the engine, with its tracking code and its public
moderation), public notices (公示), and hearings and consultations (听证、征求意见、专家论证)
with their registrations and moderated comments.

A resident has no account: a verified mobile number, held in the session for a while
(`portal.session`), is what lets them act on their own requests. Mobile numbers are stored
in full (the staff who handle a request may need to call back) and shown masked everywhere.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeCode(models.Model):
    """A code sent to a mobile number. Only its keyed hash is kept; it expires, allows a few
    attempts, and is used once."""

    phone = models.CharField(_("mobile number"), max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.created_at:%Y-%m-%d %H:%M}"


class ThrottleHit(models.Model):
    """One counted attempt under a rate-limit key (a mobile number or an address and what was
    tried); counted over a sliding window in the database, so every server process agrees."""

    key = models.CharField(max_length=96)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="portal_throttle_key_at")]

    def __str__(self) -> str:
        return f"{self.key} {self.at}"


class Moderation(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    WITHHELD = "withheld", _("not published")


class PortalRequest(models.Model):
    """A request a resident raised on the portal: the case it became, the code they follow
    it by, and what of it may be shown publicly once a moderator has checked it."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="portal_request"
    )
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    phone = models.CharField(_("mobile number"), max_length=11, db_index=True)
    created_at = models.DateTimeField(_("raised at"))
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    moderation = models.CharField(
        _("public display"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.PENDING,
        db_index=True,
    )
    # The text shown publicly: the resident's words with personal data taken out by the
    # moderator. Photos are shown publicly only when the moderator says they may be.
    public_text = models.TextField(_("public text"), max_length=4000, blank=True)
    photos_public = models.BooleanField(_("photos may be shown"), default=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("moderator's note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("portal request")
        verbose_name_plural = _("portal requests")
        ordering = ["-created_at"]
        permissions = [
            ("moderate_portal", "Moderate what residents submit before it is public"),
            ("publish_portal", "Publish notices and hearings on the portal"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class Document(models.Model):
    """A file attached to a notice or a hearing (PDF or image, checked by its content)."""

    file = models.FileField(upload_to="portal/%Y/%m/")
    name = models.CharField(_("document name"), max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class NoticeKind(models.TextChoices):
    WELFARE = "welfare", _("welfare and assistance (e.g. subsistence allowance)")
    POLICY = "policy", _("policy")
    PLANNING = "planning", _("planning and projects")
    FINANCE = "finance", _("village affairs and finances")
    OTHER = "other", _("other")


class Notice(models.Model):
    """A public notice (公示) shown from its first to its last day (a 7-day welfare notice,
    say), with documents and, where it lists people, entries whose names and identity
    numbers are always shown masked."""

    region_code = models.CharField(_("issued for"), max_length=15, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=20000)
    issuer = models.CharField(_("issued by"), max_length=120)
    starts_on = models.DateField(_("shown from"))
    ends_on = models.DateField(_("shown until"))
    objections_to = models.CharField(_("objections to"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="portal_notice_dates")]

    def __str__(self) -> str:
        return self.title


class NoticeDocument(Document):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="documents")


class NoticeEntry(models.Model):
    """One listed person of a notice (a recipient of an allowance, say); shown masked."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("identity number"), max_length=32, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["notice_id", "position"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.position}"


class HearingKind(models.TextChoices):
    HEARING = "hearing", _("public hearing (听证)")
    CONSULTATION = "consultation", _("public consultation (征求意见)")
    EXPERT_REVIEW = "expert", _("expert review (专家论证)")


class Hearing(models.Model):
    """A hearing or consultation: the announcement with its agenda and documents, seats to
    register for with a verified mobile, a window for written comments (published after
    moderation), then the minutes, the expert review where one was held, and what was
    decided and why, which stays public afterwards."""

    region_code = models.CharField(_("held for"), max_length=15, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=HearingKind.choices)
    title = models.CharField(_("title"), max_length=120)
    agenda = models.TextField(_("agenda"), max_length=20000)
    organiser = models.CharField(_("organised by"), max_length=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("seats for residents"), default=0)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    comments_open_at = models.DateTimeField(_("comments open"), null=True, blank=True)
    comments_close_at = models.DateTimeField(_("comments close"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), max_length=40000, blank=True)
    expert_review = models.TextField(_("expert review"), max_length=20000, blank=True)
    outcome = models.TextField(_("what was decided"), max_length=20000, blank=True)
    reasons = models.TextField(_("why"), max_length=20000, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hearing or consultation")
        verbose_name_plural = _("hearings and consultations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class HearingDocument(Document):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="documents")


class HearingRegistration(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="registrations")
    phone = models.CharField(_("mobile number"), max_length=11)
    name = models.CharField(_("name"), max_length=64)
    created_at = models.DateTimeField(_("registered at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["hearing_id", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "phone"], name="portal_one_registration_per_phone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hearing_id} {self.created_at}"


class HearingComment(models.Model):
    """A written comment; public only once a moderator has published it. The name shown is
    the one the resident chose to sign with (optional); the mobile is never shown."""

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="comments")
    phone = models.CharField(_("mobile number"), max_length=11)
    signed_as = models.CharField(_("signed as"), max_length=32, blank=True)
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written at"))
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    moderation = models.CharField(
        _("public display"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.PENDING,
        db_index=True,
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("moderator's note"), max_length=200, blank=True)

    class Meta:
        ordering = ["hearing_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.hearing_id} {self.created_at}"
