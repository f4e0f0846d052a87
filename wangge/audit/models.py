from typing import Any, NoReturn, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.audit.chain import canonical_json

M = TypeVar("M", bound=models.Model)


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry or archive through the ORM.

    The database refuses too (triggers, see migrations 0002 and 0004); this error says it
    earlier and more clearly, before a query is sent.
    """


def refuse(what: str, things: str = "audit entries") -> NoReturn:
    raise AppendOnlyError(f"{things} are append-only: {what} is refused")


class AppendOnlyQuerySet(models.QuerySet[M]):
    things = "records"  # for the error message

    def update(self, **kwargs: Any) -> NoReturn:
        refuse("update()", self.things)

    def delete(self) -> NoReturn:  # type: ignore[override]
        refuse("delete()", self.things)


class AuditEntryQuerySet(AppendOnlyQuerySet["AuditEntry"]):
    things = "audit entries"


class AuditArchiveQuerySet(AppendOnlyQuerySet["AuditArchive"]):
    things = "audit archives"


class AuditEntry(models.Model):
    """One event in the hash chain: who did what to which record, when, from where and why.

    `hash` is SHA-256 over `prev_hash` and the canonical JSON of every other stored field
    except `id` (see `chain.py`), so changing, removing or inserting a row breaks the chain
    where it happened. Rows are written only by `services.record()`.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Snapshots, so the entry still reads right after a rename.
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=200, blank=True)
    region_code = models.CharField(_("region code"), max_length=15, blank=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        default_permissions = ("view",)
        permissions = [("export_auditentry", _("Can export audit entries"))]
        indexes = [
            # The log is read newest first; each filter with the id lets a page of 50 be
            # read from the end of one index.
            models.Index(fields=["actor_label", "id"], name="audit_actor_label_id"),
            models.Index(fields=["action", "id"], name="audit_action_id"),
            models.Index(fields=["target_type", "target_id", "id"], name="audit_target_id"),
            models.Index(fields=["at"], name="audit_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["hash"], name="audit_hash_unique"),
            # Two rows naming the same predecessor would be a fork: the database refuses it
            # even if a writer ever skipped the chain lock.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_prev_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.actor_label or '-'}"

    def save(self, *args: Any, **kwargs: Any) -> NoReturn:
        if self._state.adding:
            refuse("save() of a new entry (append with wangge.audit.services.record())")
        refuse("save() of an existing entry")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        refuse("delete()")

    @property
    def target_display(self) -> str:
        return self.target_label or (f"{self.target_type} {self.target_id}".strip())

    @property
    def details_display(self) -> str:
        """`key: value` pairs on one line for the log page, values other than text as JSON."""
        return "; ".join(
            f"{key}: {value if isinstance(value, str) else canonical_json(value)}"
            for key, value in sorted(self.details.items())
        )


class AuditArchive(models.Model):
    """A beginning of the chain moved to a file: which entries, where the file is, and the
    hashes that tie it to the chain before it and to the live entries after it.

    Written by `archives.entries_archive()` in the transaction that deletes those entries;
    never changed or removed (triggers, see migration 0004).
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("archived at"))
    before = models.DateTimeField(_("entries before"))
    first_id = models.BigIntegerField(_("first entry"))
    last_id = models.BigIntegerField(_("last entry"))
    rows = models.BigIntegerField(_("entries"))
    first_prev_hash = models.CharField(_("previous hash of the first entry"), max_length=64)
    last_hash = models.CharField(_("hash of the last entry"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=200, unique=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)

    objects = AuditArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit archive")
        verbose_name_plural = _("audit archives")
        ordering = ["-id"]
        default_permissions = ("view",)
        constraints = [
            # Archives chain like entries: each starts where the one before it ended.
            models.UniqueConstraint(fields=["first_prev_hash"], name="audit_archive_prev_unique"),
            models.UniqueConstraint(fields=["last_hash"], name="audit_archive_last_unique"),
            models.CheckConstraint(
                condition=models.Q(first_id__lte=models.F("last_id"), rows__gt=0),
                name="audit_archive_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.first_id}–{self.last_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            refuse("save() of an existing archive", "audit archives")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        refuse("delete()", "audit archives")


class DeletionPermit(models.Model):
    """Present only inside the archiving transaction: while a permit names an archive, the
    database lets the entries that archive holds be deleted, and no others."""

    archive = models.ForeignKey(AuditArchive, on_delete=models.PROTECT, related_name="+")

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"deletion permit for archive {self.archive_id}"
