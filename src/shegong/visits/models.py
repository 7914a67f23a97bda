from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.clients.models import RiskTier
from shegong.common.models import ScopedQuerySet


class VisitPolicy(models.Model):
    """How often clients must be visited. A client follows the strictest policy matching
    its risk tier or any of its current target groups (REQUIREMENTS, visit frequency tiers:
    high risk weekly, key monthly, general quarterly). Edited by the district."""

    risk_tier = models.CharField(
        _("risk tier"),
        max_length=16,
        choices=RiskTier.choices,
        blank=True,
        help_text=_("Empty: any risk tier."),
    )
    group = models.ForeignKey(
        "clients.TargetGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("target group"),
        help_text=_("Empty: any target group."),
    )
    interval = models.PositiveSmallIntegerField(_("interval"))
    working_days = models.BooleanField(
        _("count working days"),
        default=False,
        help_text=_("Count the interval in working days (public holidays skipped)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit policy")
        verbose_name_plural = _("visit policies")

    def __str__(self):
        unit = _("working days") if self.working_days else _("days")
        who = self.get_risk_tier_display() or (self.group.name if self.group else _("all"))
        return f"{who}: {self.interval} {unit}"


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
