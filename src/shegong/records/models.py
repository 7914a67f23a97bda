from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.common.fields import actor_link, belongs_to, creation_time, link, optional_link
from shegong.common.models import Versioned, Voidable, WithHistory, live_manager
from shegong.network.models import ScopedByUnitQuerySet


class ServiceField(models.Model):
    """A service field of R3.1–R3.6 (seeded; the district may add)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order"]
        verbose_name = _("service field")
        verbose_name_plural = _("service fields")

    def __str__(self):
        return self.name


class ServiceItem(models.Model):
    field = link(ServiceField, _("field"), related_name="items")
    name = models.CharField(_("name"), max_length=50)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["field__order", "order", "id"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        constraints = [
            models.UniqueConstraint(fields=["field", "name"], name="unique_item_per_field")
        ]

    def __str__(self):
        return self.name


class Method(models.TextChoices):
    CASEWORK = "casework", _("casework")
    GROUP = "group", _("group work")
    COMMUNITY = "community", _("community activity")
    VISIT = "visit", _("home visit")
    PHONE = "phone", _("phone")
    ACCOMPANIED = "accompanied", _("accompanied visit")
    RESOURCE = "resource", _("resource linking")


class ServiceRecord(Versioned, Voidable, WithHistory):
    """One service given, with or without a case: the line of the station's ledger (台账)."""

    history_division = "unit__division__code"

    unit = link("network.Unit", _("unit"), related_name="service_records")
    served_on = models.DateField(_("served on"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    field = link(ServiceField, _("service field"), related_name="records")
    items = models.ManyToManyField(ServiceItem, blank=True, verbose_name=_("service items"))
    clients = models.ManyToManyField(
        "clients.Client", blank=True, related_name="service_records", verbose_name=_("clients")
    )
    other_participants = models.PositiveIntegerField(_("other participants"), default=0)
    workers = models.ManyToManyField(
        "people.Worker", blank=True, related_name="service_records", verbose_name=_("workers")
    )
    case = optional_link("cases.Case", _("case"), related_name="service_records")
    activity = optional_link(
        "activities.Activity", _("group or activity"), related_name="service_records"
    )
    project = optional_link(
        "purchasing.Project", _("funding project"), related_name="service_records"
    )
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = actor_link(_("recorded by"))
    created_at = creation_time(_("recorded at"))

    objects = live_manager(ScopedByUnitQuerySet)  # voided records count nowhere
    all_objects = ScopedByUnitQuerySet.as_manager()

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        indexes = [models.Index(fields=["unit", "-served_on"])]

    def __str__(self):
        return f"{self.unit} {self.served_on} {self.get_method_display()}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        SIGNED_FORM = "signed_form", _("signed form")
        OTHER = "other", _("other")

    record = belongs_to(ServiceRecord, _("service record"), related_name="attachments")
    file = models.FileField(_("file"), upload_to="records/%Y/%m/")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PHOTO)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = actor_link(_("uploaded by"))
    uploaded_at = creation_time(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.file.name
