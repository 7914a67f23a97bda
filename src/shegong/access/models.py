from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """Account roles (ARCHITECTURE "Roles"). Each grant ties one role to one unit."""

    DISTRICT_ADMIN = "district_admin", _("district administrator")
    STATION_STAFF = "station_staff", _("station head / social worker")
    ROOM_WORKER = "room_worker", _("room worker")
    AGENCY_STAFF = "agency_staff", _("agency staff")
    PURCHASER = "purchaser", _("purchasing department")
    EVALUATOR = "evaluator", _("evaluator")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")


# Roles whose scope is the division of the unit they are granted on.
UNIT_SCOPED_ROLES = {Role.DISTRICT_ADMIN, Role.STATION_STAFF, Role.ROOM_WORKER}
# 等保 三员分立: these see users, settings or logs, never client data.
ADMINISTRATOR_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
# Which unit kind each unit-scoped role must be granted on.
ROLE_UNIT_KIND = {
    Role.DISTRICT_ADMIN: "center",
    Role.STATION_STAFF: "station",
    Role.ROOM_WORKER: "room",
    Role.SYSTEM_ADMIN: "center",
    Role.SECURITY_ADMIN: "center",
    Role.AUDIT_ADMIN: "center",
}


class User(AbstractUser):
    """An account. Its home division decides which administrators may manage it."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    division = models.ForeignKey(
        "divisions.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home division"),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.display_name or self.username


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="grants", verbose_name=_("account")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "network.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("unit"),
    )
    agency = models.ForeignKey(
        "network.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("agency"),
    )
    purchaser = models.ForeignKey(
        "purchasing.Purchaser",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("purchaser"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "agency", "purchaser"], name="unique_role_grant"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} @ {self.unit or self.agency or self.purchaser or '-'}"
