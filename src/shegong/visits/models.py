from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import RiskTier, ScopedByClientQuerySet
from shegong.common.fields import actor_link, belongs_to, creation_time, link
from shegong.common.models import Versioned, Voidable, WithHistory, live_manager


class VisitMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video")
    THIRD_PARTY = "third_party", _("through a third party")


class Visit(Versioned, Voidable, WithHistory):
    history_division = "client__division__code"

    client = link("clients.Client", _("client"), related_name="visits")
    visited_on = models.DateField(_("visited on"))
    mode = models.CharField(
        _("mode"), max_length=16, choices=VisitMode.choices, default=VisitMode.IN_PERSON
    )
    # The account that recorded the visit; ``workers`` are the people who went.
    visitor = actor_link(_("recorded by"), related_name="visits")
    workers = models.ManyToManyField(
        "people.Worker", blank=True, related_name="visits", verbose_name=_("workers who went")
    )
    findings = models.TextField(_("findings"), blank=True)
    needs = models.TextField(_("needs found"), blank=True)
    risk_change = models.CharField(
        _("risk now"), max_length=16, choices=RiskTier.choices, blank=True
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_at = creation_time(_("recorded at"))
    # A check-in location, only if the worker chose to record it (never in URLs or logs).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_accuracy = models.PositiveIntegerField(
        _("location accuracy (m)"), null=True, blank=True
    )

    objects = live_manager(ScopedByClientQuerySet)  # voided visits count nowhere
    all_objects = ScopedByClientQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        indexes = [models.Index(fields=["client", "-visited_on"])]

    def __str__(self):
        return f"{self.client} {self.visited_on}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("visits:visit-detail", args=[self.pk])


class VisitPhoto(models.Model):
    """A photo taken at the visit, or the client's signature: checked, resized and stripped
    of EXIF on upload (``common.uploads``), with a thumbnail for the visit's page."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        SIGNATURE = "signature", _("client's signature")

    visit = belongs_to(Visit, _("home visit"), related_name="photos")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField(_("file"), upload_to="visits/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="visits/%Y/%m/thumbs/", blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = actor_link(_("uploaded by"))
    uploaded_at = creation_time(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self):
        return self.file.name
