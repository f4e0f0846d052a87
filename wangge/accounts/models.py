from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number starting with 1.")
)


class User(AbstractUser):
    """A person who signs in. Chinese names do not split into first and last, so one field."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField(_("name"), max_length=64, blank=True)
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[mobile_validator]
    )

    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set when an administrator sets the password; cleared when the user changes it."
        ),
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts share a published password and are exempt from changing it."),
    )
    # The second factor (TOTP). The secret is stored as it is, not hashed: the server must
    # compute the same codes as the phone. See docs/configuration.md.
    totp_secret = models.CharField(_("authenticator secret"), max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(_("authenticator set up at"), null=True, blank=True)
    totp_last_step = models.BigIntegerField(
        _("last accepted code time step"),
        null=True,
        blank=True,
        help_text=_("A code is accepted once: later codes must come from a later time step."),
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(totp_confirmed_at__isnull=True) | ~Q(totp_secret=""),
                name="user_totp_confirmed_has_secret",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class Role(models.TextChoices):
    """The posts people hold; what each may do is in `wangge.accounts.roles`."""

    GRID_WORKER = "grid_worker", _("grid worker")
    GRID_LEADER = "grid_leader", _("grid leader")
    VILLAGE_CADRE = "village_cadre", _("village or community cadre")
    DISPATCHER = "dispatcher", _("township service centre dispatcher")
    DEPARTMENT_HANDLER = "department_handler", _("department handler")
    MEDIATOR = "mediator", _("people's mediator")
    PETITION_OFFICER = "petition_officer", _("letters and visits officer")
    LEGAL_AID_OFFICER = "legal_aid_officer", _("legal aid officer")
    DISTRICT_ADMIN = "district_admin", _("district administrator")
    LEADER = "leader", _("leader")
    AUDITOR = "auditor", _("auditor")
    SYSTEM_ADMIN = "system_admin", _("system administrator")


class DepartmentKind(models.TextChoices):
    POLICE = "police", _("police station")
    JUSTICE = "justice", _("judicial office")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs")
    EMERGENCY = "emergency", _("emergency management and work safety")
    URBAN_MANAGEMENT = "urban_management", _("urban management")
    HEALTH = "health", _("health")
    EDUCATION = "education", _("education")
    HUMAN_RESOURCES = "human_resources", _("human resources and social security")
    HOUSING = "housing", _("housing and construction")
    PETITIONS = "petitions", _("letters and visits")
    COURT = "court", _("court")
    LEGAL_AID = "legal_aid", _("legal aid centre")
    OTHER = "other", _("other")


class Department(models.Model):
    """A unit that handles matters of some categories anywhere in the region it covers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region covered"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    category_codes = models.JSONField(_("case categories handled"), default=list, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region_id", "code"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's post in one unit (a region or a department), for a period.

    The unit gives the scope, the role gives the capabilities; a person may hold several.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, department__isnull=True)
                | Q(region__isnull=True, department__isnull=False),
                name="membership_has_one_unit",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.region_id or self.department}"


class SignInFailure(models.Model):
    """A failed sign-in, kept only as a counter for lockout (the audit log keeps the record)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.at:%Y-%m-%d %H:%M}"
