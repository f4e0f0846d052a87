"""Grants of a timed full view of one record's personal data, and the purposes they serve."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

# A purpose code says which kind of work; the text says which piece of work, so that an
# auditor can check it against a case or a visit.
PURPOSE_TEXT_MIN = 4
PURPOSE_TEXT_MAX = 200


class Purpose(models.TextChoices):
    """Why someone needs to see personal data in full."""

    CASE_HANDLING = "case_handling", _("case handling")
    VERIFICATION = "verification", _("verification")
    ASSISTANCE_VISIT = "assistance_visit", _("assistance visit")
    DISPUTE_MEDIATION = "dispute_mediation", _("dispute mediation")
    EMERGENCY_RESPONSE = "emergency_response", _("emergency response")
    OTHER = "other", _("other")


class UnmaskGrant(models.Model):
    """One person may see one record's personal data in full until `expires_at`.

    Written only by `services.unmask_grant`, together with an audit entry; the audit entry,
    not this row, is the record of who read what (it cannot be changed afterwards).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="unmask_grants",
    )
    # The model label and primary key, as in the audit log's target_type and target_id.
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target id"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    purpose_text = models.CharField(_("purpose in words"), max_length=PURPOSE_TEXT_MAX)
    granted_at = models.DateTimeField(_("granted at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("unmask grant")
        verbose_name_plural = _("unmask grants")
        default_permissions = ("view",)
        permissions = [
            ("unmask_personal", _("Can see personal data in full, for a stated purpose")),
            ("view_reads", _("Can see who read a person's data in full")),
        ]
        indexes = [
            # A person's live grants are few and read together (once a request).
            models.Index(fields=["user", "expires_at"], name="privacy_grant_user_live"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="privacy_grant_expires_after_granted",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose__in=Purpose.values),
                name="privacy_grant_purpose_known",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("purpose_text"), PURPOSE_TEXT_MIN),
                name="privacy_grant_purpose_text_long_enough",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.target_type} {self.target_id} {self.purpose}"


# The audit action of every grant; the who-read page lists these entries.
UNMASK_ACTION = "personal.unmask"
