from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.access.querysets import ScopedQuerySet
from shegong.common.fields import actor_link, belongs_to, creation_time, link, optional_link
from shegong.common.models import Versioned, WithHistory


class Agency(Versioned, WithHistory):
    """A professional social work service agency: the contractor of purchased services.
    Its record across projects is read from the projects it won (``purchasing``)."""

    history_division = "history_user__division__code"  # no division of its own: the changer's

    name = models.CharField(_("name"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("GB 32100: 18 characters; social work agencies usually start with 52."),
    )
    registration_authority = models.CharField(
        _("registered with"), max_length=100, blank=True, help_text=_("e.g. 渝北区民政局")
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="unique_agency_credit_code",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # The rules are the service's; full_clean (the services', the admin's) reaches them here.
        from .services import validate_agency

        validate_agency(self)


class UnitKind(models.TextChoices):
    CENTER = "center", _("guidance centre")
    STATION = "station", _("social work station")
    ROOM = "room", _("social work room")


class UnitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ESTABLISHED = "established", _("established")
    OPERATING = "operating", _("operating")
    DEMONSTRATION = "demonstration", _("demonstration")
    CLOSED = "closed", _("closed")


# The forward lifecycle; "closed" may follow any step.
LIFECYCLE = [
    UnitStatus.PLANNED,
    UnitStatus.ESTABLISHED,
    UnitStatus.OPERATING,
    UnitStatus.DEMONSTRATION,
]
STATUS_DATE_FIELD = {
    UnitStatus.PLANNED: "planned_on",
    UnitStatus.ESTABLISHED: "established_on",
    UnitStatus.OPERATING: "operating_on",
    UnitStatus.DEMONSTRATION: "demonstration_on",
    UnitStatus.CLOSED: "closed_on",
}


class OperatingMode(models.TextChoices):
    CONTRACTED = "contracted", _("contracted agency")
    SELF_RUN = "self_run", _("self-run")


class Facility(models.TextChoices):
    """Facilities a unit shares its venue with (R2.2, R2.6, R2.9)."""

    INCUBATION_BASE = "incubation_base", _("social organisation incubation base")
    BUREAU_OFFICE = "bureau_office", _("civil-affairs bureau office")
    PUBLIC_SERVICE_CENTER = "public_service_center", _("public service centre")
    VERIFICATION_POST = "verification_post", _("assistance verification post")
    ELDERLY_CARE_CENTER = "elderly_care_center", _("elderly-care service centre")
    CIVILISATION_INSTITUTE = "civilisation_institute", _("civilisation-practice institute")
    PSYCHOLOGY_STATION = "psychology_station", _("social psychology service station")
    GOVERNANCE_CENTER = "governance_center", _("comprehensive-governance centre")
    CIVIL_AFFAIRS_OFFICE = "civil_affairs_office", _("town civil-affairs office")
    CHILDREN_HOME = "children_home", _("children's home")
    MARRIAGE_COUNSELLING = "marriage_counselling", _("marriage counselling room")
    CIVILISATION_STATION = "civilisation_station", _("civilisation-practice station")
    ELDERLY_CARE_POINT = "elderly_care_point", _("elderly-care point")
    CONVENIENCE_CENTER = "convenience_center", _("convenience service centre")


# Which division level each kind of unit sits on.
KIND_LEVEL = {UnitKind.CENTER: 6, UnitKind.STATION: 9, UnitKind.ROOM: 12}


class ScopedByUnitQuerySet(ScopedQuerySet):
    """Records of a unit (services, activities): seen where their unit's division is."""

    scope_field = "unit__division__code"


class UnitQuerySet(ScopedQuerySet):
    def live(self):
        return self.filter(closed_on__isnull=True)

    def established_on_date(self, day):
        return self.filter(established_on__lte=day).exclude(closed_on__lte=day)

    def operating_on_date(self, day):
        return self.filter(operating_on__lte=day).exclude(closed_on__lte=day)


class Unit(Versioned, WithHistory):
    """A service point of the three-level system: the centre, a station or a room."""

    history_division = "division__code"

    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    division = link("divisions.Division", _("division"), related_name="units")
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.PLANNED
    )
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    operating_on = models.DateField(_("operating since"), null=True, blank=True)
    demonstration_on = models.DateField(_("demonstration since"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    operating_mode = models.CharField(
        _("operating mode"),
        max_length=16,
        choices=OperatingMode.choices,
        default=OperatingMode.SELF_RUN,
    )
    agency = optional_link(Agency, _("operating agency"), related_name="units")
    head = optional_link(
        "people.Worker", _("head"), related_name="headed_units", on_delete=models.SET_NULL
    )
    deputy_head = optional_link(
        "people.Worker",
        _("deputy head"),
        related_name="deputy_headed_units",
        on_delete=models.SET_NULL,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    has_casework_room = models.BooleanField(_("casework consultation room"), default=False)
    has_group_room = models.BooleanField(_("group activity room"), default=False)
    shared_facilities = models.JSONField(_("shares venue with"), default=list, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["division_id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["division"],
                condition=models.Q(closed_on__isnull=True),
                name="one_live_unit_per_division",
                violation_error_message=_("This division already has a live unit."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "division"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("network:unit-detail", args=[self.pk])

    def shared_facility_labels(self):
        labels = dict(Facility.choices)
        return [labels.get(code, code) for code in self.shared_facilities]


class UnitStatusChange(models.Model):
    """One dated step of a unit's lifecycle, kept as its history."""

    unit = belongs_to(Unit, _("unit"), related_name="status_changes")
    status = models.CharField(_("status"), max_length=16, choices=UnitStatus.choices)
    effective_on = models.DateField(_("effective on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = actor_link(_("recorded by"), optional=True, on_delete=models.SET_NULL)
    recorded_at = creation_time(_("recorded at"))

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.unit} {self.status} {self.effective_on}"
