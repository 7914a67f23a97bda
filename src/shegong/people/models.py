from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.access.querysets import ScopedQuerySet
from shegong.common.fields import belongs_to, link, optional_link
from shegong.common.models import Versioned, WithHistory


class WorkerRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("social worker")
    COMMUNITY_WORKER = "community_worker", _("community worker")
    MEDIATOR = "mediator", _("people's mediator")
    GRID_WORKER = "grid_worker", _("grid worker")
    VERIFICATION_OFFICER = "verification_officer", _("verification officer")
    ELDERLY_CARE_ADVISOR = "elderly_care_advisor", _("elderly-care advisor")
    CHILD_SUPERVISOR = "child_supervisor", _("child supervisor")
    AGENCY_STAFF = "agency_staff", _("agency staff")


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("full-time")
    PART_TIME = "part_time", _("part-time")


class CertificateTier(models.TextChoices):
    WORKER = "worker", _("social work practitioner (社会工作员)")
    ASSISTANT = "assistant", _("assistant social worker (助理社会工作师)")
    INTERMEDIATE = "intermediate", _("social worker (社会工作师)")
    SENIOR = "senior", _("senior social worker (高级社会工作师)")


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Worker(Versioned, WithHistory):
    """A person who works in the system. Scoped by the division they belong to."""

    history_division = "division__code"

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    division = link("divisions.Division", _("division"), related_name="workers")
    roles = models.JSONField(_("roles"), default=list)
    employment = models.CharField(
        _("employment"), max_length=16, choices=Employment.choices, default=Employment.FULL_TIME
    )
    employer_agency = optional_link("network.Agency", _("employing agency"), related_name="staff")
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The worker's own login, if they have one: what a visit they record names by default.
    account = models.OneToOneField(
        "access.User",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worker",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "name"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("people:worker-detail", args=[self.pk])

    def role_labels(self):
        labels = dict(WorkerRole.choices)
        return [labels.get(code, code) for code in self.roles]

    @property
    def employer(self):
        return self.employer_agency.name if self.employer_agency else self.employer_name


class Certificate(WithHistory):
    history_division = "worker__division__code"

    worker = belongs_to(Worker, _("worker"), related_name="certificates")
    tier = models.CharField(_("tier"), max_length=16, choices=CertificateTier.choices)
    number = models.CharField(_("certificate number"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year obtained"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["tier", "number"], name="unique_certificate_number")
        ]

    def __str__(self):
        return f"{self.get_tier_display()} {self.number}"


class AssignmentQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(start_on__lte=day).exclude(end_on__lt=day)


class Assignment(WithHistory):
    """A worker posted to a unit from ``start_on`` to ``end_on`` (inclusive, open if empty)."""

    history_division = "unit__division__code"

    worker = belongs_to(Worker, _("worker"), related_name="assignments")
    unit = link("network.Unit", _("unit"), related_name="assignments")
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["unit", "start_on"])]

    def __str__(self):
        return f"{self.worker} → {self.unit}"
