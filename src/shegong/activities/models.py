from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.common.fields import actor_link, creation_time, link
from shegong.common.models import Versioned, WithHistory
from shegong.network.models import ScopedByUnitQuerySet


class Kind(models.TextChoices):
    GROUP = "group", _("group work")
    COMMUNITY = "community", _("community activity")


class Status(models.TextChoices):
    """MZ/T 095-2017's stages: prepared (plan, recruitment) → under way (sessions) →
    ended and evaluated; or cancelled."""

    PLANNED = "planned", _("planned")
    RUNNING = "running", _("under way")
    EVALUATED = "evaluated", _("ended and evaluated")
    CANCELLED = "cancelled", _("cancelled")


class GoalsMet(models.TextChoices):
    FULLY = "fully", _("fully")
    PARTLY = "partly", _("partly")
    NOT = "not", _("not met")


class Activity(Versioned, WithHistory):
    """A group (小组) or a community activity (社区活动) run by a unit. Each session held is a
    service record linked here, so it counts in the ledger like any other service."""

    history_division = "unit__division__code"

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = link("network.Unit", _("unit"), related_name="activities")
    title = models.CharField(_("title"), max_length=100)
    field = link("records.ServiceField", _("service field"), related_name="+")
    target_groups = models.ManyToManyField(
        "clients.TargetGroup", blank=True, related_name="+", verbose_name=_("target groups")
    )
    leader = link("people.Worker", _("leader"), related_name="activities_led")
    needs = models.TextField(_("needs it answers"))
    goals = models.TextField(_("goals"))
    plan = models.TextField(_("plan of sessions"), blank=True)
    planned_sessions = models.PositiveSmallIntegerField(_("planned sessions"), default=1)
    start_on = models.DateField(_("start date"))
    members = models.ManyToManyField(
        "clients.Client", blank=True, related_name="activities", verbose_name=_("members")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    goals_met = models.CharField(_("goals met"), max_length=8, choices=GoalsMet.choices, blank=True)
    satisfaction = models.DecimalField(
        _("average satisfaction (1–5)"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_by = actor_link()
    created_at = creation_time()

    objects = ScopedByUnitQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = _("group or community activity")
        verbose_name_plural = _("groups and community activities")

    def __str__(self):
        return self.title
