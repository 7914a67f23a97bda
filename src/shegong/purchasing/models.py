"""Government purchase of social work services (R4.2, R4.3): who buys, with which money,
from which agency, for which units and services; how the work is evaluated and paid."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.access.querysets import ScopedQuerySet
from shegong.common.fields import actor_link, belongs_to, creation_time, link, optional_link
from shegong.common.models import Versioned, WithHistory


class PurchaserKind(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs bureau")
    HEALTH = "health", _("health commission")
    POLITICAL_LEGAL = "political_legal", _("political and legal affairs committee")
    PROPAGANDA = "propaganda", _("propaganda department")
    WOMEN = "women", _("women's federation")
    TOWN = "town", _("town or street government")
    OTHER = "other", _("other department")


class Purchaser(Versioned, WithHistory):
    """A purchasing body: "whoever uses the service buys it" (R4.2)."""

    history_division = "division__code"

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PurchaserKind.choices)
    division = link(
        "divisions.Division",
        _("division"),
        related_name="+",
        help_text=_("The district for a district department, the town for a town."),
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "name"]
        verbose_name = _("purchaser")
        verbose_name_plural = _("purchasers")

    def __str__(self):
        return self.name


class FundingSource(models.TextChoices):
    DEPARTMENT_BUDGET = "department_budget", _("department budget")
    ASSISTANCE_FUND = "assistance_fund", _("social assistance service funds")
    LOTTERY = "lottery", _("welfare lottery public-welfare fund")
    CHARITY = "charity", _("charity special fund")
    TOWN_FUNDS = "town_funds", _("town funds")
    SOCIAL_CAPITAL = "social_capital", _("social capital")


class ProcurementMethod(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("public tender")
    CONSULTATION = "consultation", _("competitive consultation")
    NEGOTIATION = "negotiation", _("competitive negotiation")
    SINGLE_SOURCE = "single_source", _("single source")
    INQUIRY = "inquiry", _("inquiry")


class Stage(models.TextChoices):
    """R4.3: budget approved → procurement → contract (execution) → closed."""

    BUDGETED = "budgeted", _("budget approved")
    PROCURING = "procuring", _("in procurement")
    CONTRACTED = "contracted", _("under contract")
    CLOSED = "closed", pgettext_lazy("project stage", "closed")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀 excellent")
    GOOD = "good", _("良好 good")
    FAIR = "fair", _("一般 fair")
    POOR = "poor", _("较差 poor")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        from shegong.access.scoping import project_q

        return self.filter(project_q(user)).distinct()

    def delivering(self):
        """Projects whose contract is signed and running: services may be recorded on them."""
        return self.filter(stage=Stage.CONTRACTED)


class Project(Versioned):
    history_division = "purchaser__division__code"

    purchaser = link(Purchaser, _("purchaser"), related_name="projects")
    # The purchaser's division, kept here so the district's scope applies without a join.
    division = link("divisions.Division", related_name="+", editable=False)
    name = models.CharField(_("project name"), max_length=150)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices
    )
    budget_amount = models.DecimalField(
        _("approved budget (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    budget_approved_on = models.DateField(_("budget approved on"))
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.BUDGETED, db_index=True
    )
    # Procurement
    procurement_method = models.CharField(
        _("procurement method"), max_length=16, choices=ProcurementMethod.choices, blank=True
    )
    procurement_started_on = models.DateField(_("procurement announced on"), null=True, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    agency = optional_link("network.Agency", _("winning agency"), related_name="projects")
    # Contract
    contract_number = models.CharField(_("contract number"), max_length=50, blank=True)
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    start_on = models.DateField(_("service period from"), null=True, blank=True)
    end_on = models.DateField(_("service period to"), null=True, blank=True)
    units = models.ManyToManyField(
        "network.Unit", blank=True, related_name="projects", verbose_name=_("covered units")
    )
    fields = models.ManyToManyField(
        "records.ServiceField", blank=True, related_name="+", verbose_name=_("service fields")
    )
    target_groups = models.ManyToManyField(
        "clients.TargetGroup", blank=True, related_name="+", verbose_name=_("target groups")
    )
    # Closure
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Ended before its service period ran out: when and why (the final evaluation and the
    # closure need the period ended or this reason).
    terminated_on = models.DateField(_("ended early on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for ending early"), max_length=300, blank=True)
    final_grade = models.CharField(
        _("final grade"), max_length=10, choices=Grade.choices, blank=True
    )
    final_score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_by = actor_link(null=True)
    created_at = creation_time()
    history = HistoricalRecords(excluded_fields=["division"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-budget_approved_on", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name


class StaffingCommitment(WithHistory):
    """A contract's promise, e.g. one full-time social worker at each covered station."""

    history_division = "project__division__code"

    project = belongs_to(Project, related_name="commitments")
    unit = link("network.Unit", _("unit"), related_name="+")
    role = models.CharField(_("role"), max_length=32, default="social_worker")
    full_time = models.PositiveSmallIntegerField(_("full-time workers"), default=1)

    class Meta:
        ordering = ["unit__division_id"]
        verbose_name = _("staffing commitment")
        verbose_name_plural = _("staffing commitments")
        constraints = [
            models.UniqueConstraint(fields=["project", "unit", "role"], name="one_commitment")
        ]

    def __str__(self):
        return f"{self.unit} × {self.full_time}"


class ProgressReport(WithHistory):
    history_division = "project__division__code"
    project = belongs_to(Project, related_name="reports")
    month = models.DateField(_("month"))  # the first day of the month
    summary = models.TextField(_("summary"))
    problems = models.TextField(_("problems and next steps"), blank=True)
    submitted_by = actor_link()
    submitted_at = creation_time()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("monthly progress report")
        verbose_name_plural = _("monthly progress reports")
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="one_report")]

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m}"


class EvaluationKind(models.TextChoices):
    MID = "mid", _("mid-term evaluation")
    FINAL = "final", _("final evaluation")


class Instalment(Versioned, WithHistory):
    """A share of the contract amount, payable once its condition is met; an evaluation's
    grade sets how much of it is payable (``GradeRule``)."""

    history_division = "project__division__code"

    project = belongs_to(Project, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("instalment"))
    share = models.DecimalField(
        _("share of the contract (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    after = models.CharField(
        _("payable after"),
        max_length=8,
        choices=[("", _("signing")), *EvaluationKind.choices],
        blank=True,
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("paid (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    withheld_note = models.CharField(_("why less was paid"), max_length=200, blank=True)
    # Paid beyond the advance while delivery lagged the time elapsed: the purchaser's reason.
    override_reason = models.CharField(
        _("reason for paying although delivery lags"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="one_number")]

    def __str__(self):
        return f"{self.project} #{self.number}"

    @property
    def amount(self) -> Decimal:
        return (self.project.contract_amount or 0) * self.share / 100


class GradeRule(WithHistory):
    """District configuration: the score that earns a grade, and the share of an
    instalment the grade makes payable."""

    history_division = "history_user__division__code"  # district configuration

    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, unique=True)
    min_score = models.DecimalField(_("from score"), max_digits=5, decimal_places=2)
    payable_share = models.DecimalField(
        _("payable share of an instalment (%)"), max_digits=5, decimal_places=2
    )

    class Meta:
        ordering = ["-min_score"]
        verbose_name = _("grade rule")
        verbose_name_plural = _("grade rules")

    def __str__(self):
        return self.get_grade_display()


class Dimension(models.TextChoices):
    """R4.3's four dimensions, plus finance."""

    SUPERVISION = "supervision", _("administrative supervision")
    EFFECTIVENESS = "effectiveness", _("service effectiveness")
    MANAGEMENT = "management", _("project management")
    IMPACT = "impact", _("social impact")
    FINANCE = "finance", _("finance")


class Criterion(WithHistory):
    """One line of the district's evaluation sheet; its weight is its full marks (the
    active criteria add up to 100)."""

    history_division = "history_user__division__code"  # district configuration

    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(_("full marks"), max_digits=5, decimal_places=2)
    indicator = models.CharField(
        _("evidence from indicator"),
        max_length=32,
        blank=True,
        help_text=_("The computed indicator shown to the evaluator as evidence."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")

    def __str__(self):
        return self.name


class Evaluation(Versioned, WithHistory):
    history_division = "project__division__code"

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("assigned to the evaluator")
        SUBMITTED = "submitted", _("submitted")

    project = belongs_to(Project, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=8, choices=EvaluationKind.choices)
    evaluator = actor_link(_("evaluator"), related_name="evaluations")
    evaluator_body = models.CharField(
        _("evaluating body"), max_length=100, help_text=_("A third party or a department.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED
    )
    comments = models.TextField(_("overall comments"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    agency_response = models.TextField(_("the agency's response"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "kind"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="one_evaluation_per_kind")
        ]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()}"


class Score(WithHistory):
    history_division = "evaluation__project__division__code"
    evaluation = belongs_to(Evaluation, related_name="scores")
    criterion = link(Criterion, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_score")
        ]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class Evidence(models.Model):
    evaluation = belongs_to(Evaluation, related_name="evidence")
    file = models.FileField(_("file"), upload_to="evaluations/%Y/%m/")
    size = models.PositiveIntegerField()
    uploaded_by = actor_link()
    uploaded_at = creation_time()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.file.name


class Metric(models.TextChoices):
    """Figures computed live from the records (``indicators.py``)."""

    CLIENTS_SERVED = "clients_served", _("clients served")
    SERVICES = "services", _("services given")
    SERVICE_HOURS = "service_hours", _("service hours")
    VISITS = "visits", _("home visits")
    CASES_OPENED = "cases_opened", _("cases opened")
    CASES_CLOSED_MET = "cases_closed_met", _("cases closed with goals met")
    GROUP_SESSIONS = "group_sessions", _("group sessions")
    COMMUNITY_ACTIVITIES = "community_activities", _("community activities")
    REFERRALS_COMPLETED = "referrals_completed", _("referrals completed")
    SATISFACTION = "satisfaction", _("average case satisfaction (1–5)")


class IndicatorTemplate(models.Model):
    """The district's library of indicators, each computed by a metric."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices)
    target_group = optional_link(
        "clients.TargetGroup", _("only this target group"), related_name="+"
    )
    unit_label = models.CharField(_("unit of measure"), max_length=10, default="人次")
    default_weight = models.DecimalField(_("default weight"), max_digits=5, decimal_places=2)
    # The range a target may take on this indicator's scale (a satisfaction score 1–5, a
    # percentage 0–100, a count from 0); a target must also be positive.
    target_min = models.DecimalField(
        _("lowest target"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    target_max = models.DecimalField(
        _("highest target"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no upper limit (a count)."),
    )
    whole_number = models.BooleanField(
        _("whole numbers only"), default=True, help_text=_("A count: no fractions.")
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator template")
        verbose_name_plural = _("indicator templates")

    def __str__(self):
        return self.name


class ProjectIndicator(Versioned, WithHistory):
    history_division = "project__division__code"
    project = belongs_to(Project, related_name="indicators")
    template = link(IndicatorTemplate, related_name="+")
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["id"]
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")
        constraints = [
            models.UniqueConstraint(fields=["project", "template"], name="one_indicator")
        ]

    def __str__(self):
        return f"{self.project}: {self.template}"
