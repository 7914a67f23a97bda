from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.access.querysets import ScopedQuerySet
from shegong.clients.models import RiskTier


class VisitMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video")
    THIRD_PARTY = "third_party", _("through a third party")


class VisitQuerySet(ScopedQuerySet):
    scope_field = "client__division__code"


class Visit(models.Model):
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("client"),
    )
    visited_on = models.DateField(_("visited on"))
    mode = models.CharField(
        _("mode"), max_length=16, choices=VisitMode.choices, default=VisitMode.IN_PERSON
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visited by"),
    )
    findings = models.TextField(_("findings"), blank=True)
    needs = models.TextField(_("needs found"), blank=True)
    risk_change = models.CharField(
        _("risk now"), max_length=16, choices=RiskTier.choices, blank=True
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        indexes = [models.Index(fields=["client", "-visited_on"])]

    def __str__(self):
        return f"{self.client} {self.visited_on}"
