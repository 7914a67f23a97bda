from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import RiskTier, ScopedByClientQuerySet
from shegong.common.fields import actor_link, creation_time, link
from shegong.common.models import Versioned, WithHistory


class VisitMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video")
    THIRD_PARTY = "third_party", _("through a third party")


class Visit(Versioned, WithHistory):
    history_division = "client__division__code"

    client = link("clients.Client", _("client"), related_name="visits")
    visited_on = models.DateField(_("visited on"))
    mode = models.CharField(
        _("mode"), max_length=16, choices=VisitMode.choices, default=VisitMode.IN_PERSON
    )
    visitor = actor_link(_("visited by"), related_name="visits")
    findings = models.TextField(_("findings"), blank=True)
    needs = models.TextField(_("needs found"), blank=True)
    risk_change = models.CharField(
        _("risk now"), max_length=16, choices=RiskTier.choices, blank=True
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_at = creation_time(_("recorded at"))

    objects = ScopedByClientQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        indexes = [models.Index(fields=["client", "-visited_on"])]

    def __str__(self):
        return f"{self.client} {self.visited_on}"
