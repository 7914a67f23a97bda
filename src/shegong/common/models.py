from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.common.fields import actor_link, creation_time


class WithHistory(models.Model):
    """A record whose every change is kept (django-simple-history): ``record.history``
    holds who changed what and when, and its page shows it (``common.history``).

    A model that leaves fields out of its history (a hash, a password) declares its own
    ``history = HistoricalRecords(excluded_fields=[...])`` instead.

    Every model with history (this base or its own ``HistoricalRecords``) also declares
    ``history_division``: the lookup path, from its history table, to the division code
    that decides which auditors see its changes in the change log (``audit.registry``
    finds the models itself; a test fails on one without it), e.g.
    ``history_division = "project__division__code"``. A record of no division (an agency, a
    visit policy) says ``"history_user__division__code"``: the changer's division."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """An editable record's version: 1 when created, one more on every save, read from the
    row as stored (locked) so two writers never give out the same number. The API answers
    it as the ``ETag`` and honours ``If-Match`` against it (``common.viewsets``); an edit
    page carries it as a hidden field (``common.forms.VersionedForm``). A write that names
    a version no longer current is refused (``common.services.VersionConflict``)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Columns whose own saves (``update_fields`` naming only them) are no edit of the record.
    version_ignores: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from django.db import transaction

        from .services import check_expected_version, saved_version

        update_fields = kwargs.get("update_fields")
        if (
            self._state.adding
            or self.pk is None
            or update_fields is not None
            and set(update_fields) <= set(self.version_ignores)
        ):
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            stored = (
                type(self)
                ._base_manager.using(kwargs.get("using") or self._state.db)
                .select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored is not None:
                check_expected_version(self, stored)
                self.version = stored + 1
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "version"}
            super().save(*args, **kwargs)
            saved_version(self)


class Voidable(models.Model):
    """A record that is corrected or voided, never deleted (visits, service records).

    A voided record stays (with its history and the reason, shown on its page) but leaves
    every list and count: its model's default manager (``live_manager``) leaves it out, so
    reverse relations (``client.visits``) do too; ``all_objects`` still finds it."""

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    voided_by = actor_link(_("voided by"), optional=True, editable=False)
    void_reason = models.TextField(_("reason for voiding"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


def live_manager(queryset_class):
    """The default manager of a ``Voidable`` model: its ``queryset_class`` less voided rows."""

    class LiveManager(models.Manager.from_queryset(queryset_class)):
        def get_queryset(self):
            return super().get_queryset().filter(voided_at=None)

    LiveManager.__name__ = f"Live{queryset_class.__name__}Manager"
    return LiveManager()


class IdempotencyKey(models.Model):
    """A create that has been done once: the same account posting the same key again (a
    double tap, a retried request) is answered with the record first created, not a second
    one (``common.services.once``). Kept a few days (housekeeping may prune older ones)."""

    user = actor_link(on_delete=models.CASCADE)
    key = models.CharField(max_length=64)
    model = models.CharField(max_length=100)  # "app_label.ModelName"
    object_id = models.PositiveBigIntegerField()
    created_at = creation_time()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")
        ]

    def __str__(self):
        return self.key


class ImportJob(models.Model):
    """A large Excel import run in the background: the file waits in storage until the
    worker takes it, and is deleted once the import has run (it holds ID numbers)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("finished")
        FAILED = "failed", _("finished with errors")

    kind = models.CharField(_("kind"), max_length=32)
    file_name = models.CharField(max_length=200, blank=True)
    original_name = models.CharField(_("file"), max_length=200)
    dry_run = models.BooleanField(_("check only"), default=True)
    language = models.CharField(max_length=16, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("imported"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(default=list)  # [[row, column, message]], the first 10,000
    # What the rows did, by kind ([[key, label, count]]: new people, known people who gained
    # a group…), and the rows skipped as the template's example.
    outcomes = models.JSONField(default=list)
    examples = models.JSONField(default=list)
    message = models.CharField(max_length=300, blank=True)  # a whole-file problem
    created_by = actor_link(on_delete=models.CASCADE)
    created_at = creation_time()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.kind} {self.original_name}"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
