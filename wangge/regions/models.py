from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village or community")
    GRID = "grid", _("grid")


# The code is the path: each level adds digits to its parent's code.
CODE_LENGTHS: dict[str, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.GRID: 15,
}
LEVEL_BY_LENGTH: dict[int, str] = {length: level for level, length in CODE_LENGTHS.items()}

region_code_validator = RegexValidator(
    r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$",
    _("A region code has 2, 4, 6, 9, 12 or 15 digits."),
)


class Region(models.Model):
    """Every level of the division tree, grids included, keyed by its official code."""

    code = models.CharField(
        _("code"), max_length=15, primary_key=True, validators=[region_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    urban_rural_code = models.CharField(_("urban-rural code"), max_length=3, blank=True)
    # WGS-84 (≈ CGCS2000). The boundary is a GeoJSON Polygon or MultiPolygon geometry.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    centre_lon = models.FloatField(null=True, blank=True)
    centre_lat = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", code__regex=r"^\d{2}$")
                | Q(level="city", code__regex=r"^\d{4}$")
                | Q(level="county", code__regex=r"^\d{6}$")
                | Q(level="township", code__regex=r"^\d{9}$")
                | Q(level="village", code__regex=r"^\d{12}$")
                | Q(level="grid", code__regex=r"^\d{15}$"),
                name="region_code_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def statistical_code(self) -> str | None:
        """The 12-digit 统计用区划代码; grids have none of their own."""
        if self.level == Level.GRID:
            return None
        return self.code.ljust(12, "0")

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        if self.min_lon is None:
            return None
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)  # type: ignore[return-value]


class BoundaryVersion(models.Model):
    """One row whose number goes up whenever any boundary changes.

    Every process compares it with the version its in-memory point→grid index was built from,
    so an edit made in one process reaches the others without a restart.
    """

    version = models.PositiveBigIntegerField(default=0)
    # A fresh random stamp with every change: a version number alone could repeat when a
    # transaction that bumped it rolls back and another one bumps it again.
    stamp = models.CharField(max_length=32, default="initial")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"boundaries v{self.version}"


class GridRole(models.TextChoices):
    LEADER = "leader", _("grid leader")
    FULL_TIME = "full_time", _("full-time grid worker")
    PART_TIME = "part_time", _("part-time grid worker")


class GridAssignment(models.Model):
    """A named person responsible for a grid (定人、定岗、定责、包片区), for a period."""

    grid = models.ForeignKey(
        Region,
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"level": Level.GRID},
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.PROTECT,
        related_name="grid_assignments",
    )
    role = models.CharField(_("role"), max_length=10, choices=GridRole.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["grid_id", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="grid_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid_id} {self.get_role_display()} {self.user}"
