"""The register's records. Each carries `region_code` (the grid it belongs to: the scope key),
a `version` for conflict detection, and its history in `Change` rows.

Personal data (identity number, mobile, detailed addresses) is stored in full and shown
masked by default; full views go through `wangge.privacy` (see `privacy.py`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.people import codes


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("living here")
    MOVED_OUT = "moved_out", _("moved out")
    DECEASED = "deceased", _("deceased")
    MERGED = "merged", _("merged into another record")


class Household(models.Model):
    """户: a household registered at an address, with its number (户号)."""

    number = models.CharField(_("household number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200)
    region_code = models.CharField(_("grid"), max_length=15, db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.number or self.address


class House(models.Model):
    """实有房屋: a building or dwelling, where it is, what it is used for, who owns it; for a
    rented house, the rental use, hazards and management class."""

    address = models.CharField(_("address"), max_length=200)
    region_code = models.CharField(_("grid"), max_length=15, db_index=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    building_use = models.CharField(
        _("building use"), max_length=2, choices=codes.BuildingUse.choices
    )
    owner = models.ForeignKey(
        "Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="houses_owned",
    )
    owner_name = models.CharField(_("owner name"), max_length=64, blank=True)
    rented = models.BooleanField(_("rented out"), default=False)
    rental_use = models.CharField(
        _("rental use"), max_length=2, choices=codes.RentalUse.choices, blank=True
    )
    hazard = models.CharField(
        _("hazard"), max_length=2, choices=codes.HazardType.choices, default=codes.HazardType.NONE
    )
    management_class = models.CharField(
        _("management class"), max_length=1, choices=codes.ManagementClass.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        constraints = [
            models.CheckConstraint(
                condition=Q(rented=True) | Q(rental_use=""), name="house_rental_use_if_rented"
            ),
        ]

    def __str__(self) -> str:
        return self.address


class Person(models.Model):
    """One base record per person (GB/T 31000 person block), keyed by the identity number."""

    id_type = models.CharField(
        _("document"), max_length=3, choices=codes.IdType.choices, default=codes.IdType.RESIDENT_ID
    )
    # The GB 11643 number for document 111; another document's number as printed on it.
    id_number = models.CharField(_("identity number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    former_names = models.CharField(_("former names"), max_length=128, blank=True)
    # Search keys, written by the services: full pinyin and initials without separators.
    name_pinyin = models.CharField(max_length=255, db_index=True, editable=False)
    name_initials = models.CharField(max_length=64, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=codes.Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(
        _("ethnicity"), max_length=3, choices=codes.Ethnicity.choices, blank=True
    )
    native_place_code = models.CharField(_("native place"), max_length=6, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=2, choices=codes.MaritalStatus.choices, blank=True
    )
    political_status = models.CharField(
        _("political status"), max_length=2, choices=codes.PoliticalStatus.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=2, choices=codes.Education.choices, blank=True
    )
    religion = models.CharField(_("religion"), max_length=32, blank=True)
    occupation = models.CharField(_("occupation"), max_length=64, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    registered_region_code = models.CharField(_("registered residence"), max_length=12, blank=True)
    registered_address = models.CharField(_("registered address"), max_length=200, blank=True)
    current_address = models.CharField(_("current address"), max_length=200, blank=True)
    region_code = models.CharField(_("grid"), max_length=15, db_index=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation_to_head = models.CharField(
        _("relation to the head"), max_length=2, choices=codes.Relation.choices, blank=True
    )
    house = models.ForeignKey(
        House,
        verbose_name=_("house lived in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [
            ("export_person", _("Can export lists of people")),
            ("merge_person", _("Can merge duplicate records of people")),
        ]
        indexes = [
            models.Index(fields=["region_code", "status"], name="person_region_status"),
            models.Index(fields=["mobile"], name="person_mobile"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonTag(models.Model):
    """A label the grid worker keeps on a person for the services they need (低保, 独居老人,
    残疾人…): visible on the record and in its history, searchable, never hidden."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=20)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(fields=["name", "person"], name="person_tag_once"),
        ]

    def __str__(self) -> str:
        return self.name


class CategoryKind(models.TextChoices):
    REGISTERED = "registered", _("registered resident")
    FLOATING = "floating", _("floating resident")
    LEFT_BEHIND = "left_behind", _("left-behind person")
    FOREIGN = "foreign", _("foreign national")


class PersonCategory(models.Model):
    """One of the person's categories (人口类型); a person may be in several. The fields of
    each kind (GB/T 31000 §4.3) are in `details`, checked by `services.CATEGORY_FIELDS`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="categories")
    kind = models.CharField(_("category"), max_length=12, choices=CategoryKind.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    starts_on = models.DateField(_("since"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("person category")
        verbose_name_plural = _("person categories")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(ends_on__isnull=True),
                name="person_category_one_current_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"


class Organisation(models.Model):
    """A company, sole trader or social organisation in a grid."""

    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=2, choices=codes.OrganisationKind.choices)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    representative_mobile = models.CharField(
        _("representative's mobile"), max_length=20, blank=True
    )
    address = models.CharField(_("address"), max_length=200)
    region_code = models.CharField(_("grid"), max_length=15, db_index=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    key_unit = models.BooleanField(_("key unit"), default=False)
    attention = models.CharField(
        _("attention"), max_length=2, choices=codes.Attention.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="organisation_credit_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Change(models.Model):
    """A record's history: who changed what, from what to what (personal values masked in
    `changes` for display; the audit trail holds who did it, tamper-evidently)."""

    record_type = models.CharField(max_length=32)
    record_id = models.BigIntegerField()
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    changes = models.JSONField(default=dict)
    region_code = models.CharField(max_length=15)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [models.Index(fields=["record_type", "record_id", "at"], name="change_record")]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} {self.action}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """One upload of a register file, imported in the background: its progress, its result
    and, when rows were refused, the workbook that lists them."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    path = models.CharField(max_length=500)
    encoding = models.CharField(max_length=8, default="auto")
    policy = models.CharField(max_length=8, default="stop")
    partial = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    stage = models.CharField(max_length=16, blank=True)
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error_workbook = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return self.file_name
