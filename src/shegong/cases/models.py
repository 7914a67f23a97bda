from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.clients.models import RiskTier, ScopedByClientQuerySet
from shegong.common.fields import actor_link, belongs_to, creation_time, link, optional_link
from shegong.common.models import Versioned, WithHistory


class Stage(models.TextChoices):
    """MZ/T 094-2017: 接案 → 预估 → 计划 → 介入 → 评估 → 结案. The stage is the step the
    case is in now; closing waits for the station supervisor."""

    INTAKE = "intake", _("intake")
    PLANNING = "planning", _("assessed, plan due")
    INTERVENTION = "intervention", _("intervention")
    EVALUATION = "evaluation", _("evaluated")
    CLOSING = "closing", _("closure awaiting approval")
    CLOSED = "closed", pgettext_lazy("case stage", "closed")


OPEN_STAGES = (Stage.INTAKE, Stage.PLANNING, Stage.INTERVENTION, Stage.EVALUATION)


class Source(models.TextChoices):
    VISIT = "visit", _("found on a visit")
    SELF = "self", _("the client or family asked")
    REFERRAL = "referral", _("referred")
    ROSTER = "roster", _("from a roster or outreach")
    DEPARTMENT = "department", _("a department or community asked")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("goals met")
    CLIENT_WITHDREW = "withdrew", _("the client withdrew")
    MOVED = "moved", _("the client moved away")
    DIED = "died", _("the client died")
    TRANSFERRED = "transferred", _("transferred to another service")
    OTHER = "other", _("other")


class CaseQuerySet(ScopedByClientQuerySet):
    def open(self):
        return self.exclude(stage=Stage.CLOSED)

    def taking_services(self):
        """Open cases not waiting on their closure: services may still be recorded under them."""
        return self.open().exclude(stage=Stage.CLOSING)


class Case(Versioned, WithHistory):
    """One client's casework at a room or station, from intake to an approved closure."""

    history_division = "unit__division__code"

    client = link("clients.Client", _("client"), related_name="cases")
    unit = link("network.Unit", _("unit"), related_name="cases")
    case_worker = link("people.Worker", _("case worker"), related_name="cases")
    supervisor = actor_link(_("supervisor"), optional=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.INTAKE, db_index=True
    )
    # Intake (接案)
    opened_on = models.DateField(_("opened on"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    presenting_problem = models.TextField(_("presenting problem"))
    referral = optional_link(
        "referrals.Referral", _("from referral"), related_name="+", on_delete=models.SET_NULL
    )
    # Assessment (预估)
    needs = models.ManyToManyField(
        "records.ServiceField", blank=True, related_name="+", verbose_name=_("needs")
    )
    risk_tier = models.CharField(
        _("risk tier"), max_length=16, choices=RiskTier.choices, blank=True
    )
    assessment = models.TextField(_("assessment"), blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    # Plan (计划)
    plan = models.TextField(_("plan"), blank=True)
    planned_items = models.ManyToManyField(
        "records.ServiceItem", blank=True, related_name="+", verbose_name=_("planned services")
    )
    review_on = models.DateField(_("review date"), null=True, blank=True)
    # Evaluation (评估)
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("client satisfaction (1–5)"), null=True, blank=True
    )
    # Closure (结案)
    closure_reason = models.CharField(
        _("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField(_("closure note"), blank=True)
    closure_requested_by = actor_link(_("closure requested by"), optional=True)
    stage_before_closing = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    closed_by = actor_link(_("closure approved by"), optional=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = actor_link()
    created_at = creation_time()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        return f"{self.number} {self.client}"

    @property
    def number(self) -> str:
        return f"GA{self.opened_on:%Y}-{self.pk:06d}" if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    @property
    def goals_met(self) -> int:
        return sum(1 for g in self.goals.all() if g.met)


class CaseGoal(Versioned, WithHistory):
    history_division = "case__unit__division__code"

    case = belongs_to(Case, related_name="goals")
    text = models.CharField(_("goal"), max_length=200)
    met = models.BooleanField(_("met"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.text


class CaseEvent(models.Model):
    """The case's timeline: one row per step taken, who and when, append-only."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("case opened")
        ASSESSED = "assessed", _("assessment recorded")
        PLANNED = "planned", _("plan recorded")
        EVALUATED = "evaluated", _("evaluation recorded")
        CLOSURE_REQUESTED = "closure_requested", _("closure requested")
        CLOSURE_REJECTED = "closure_rejected", _("closure sent back")
        CLOSED = "closed", _("closure approved")
        TRANSFERRED = "transferred", _("moved to another unit by referral")
        REASSIGNED = "reassigned", _("case worker changed")

    case = belongs_to(Case, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = actor_link(null=True)
    # The day the step took effect (an assessment dated last week, entered today), which
    # orders the timeline among the services; ``at`` is when it was entered.
    on = models.DateField(_("on"), default=timezone.localdate)
    at = creation_time(_("at"))

    class Meta:
        ordering = ["on", "at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case_id} {self.kind}"
