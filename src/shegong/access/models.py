from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.common.fields import belongs_to, optional_link
from shegong.common.models import Versioned, WithHistory
from shegong.divisions.codes import Level


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
    CONFIG_ADMIN = "config_admin", _("configuration administrator")


# Roles whose scope is the division of the unit they are granted on.
UNIT_SCOPED_ROLES = {Role.DISTRICT_ADMIN, Role.STATION_STAFF, Role.ROOM_WORKER}
# 等保 三员分立: these see users, settings or logs, never client data.
ADMINISTRATOR_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.CONFIG_ADMIN}
# Roles that carry service data: granted only by a district administrator, within its district.
SERVICE_ROLES = {
    Role.DISTRICT_ADMIN,
    Role.STATION_STAFF,
    Role.ROOM_WORKER,
    Role.AGENCY_STAFF,
    Role.PURCHASER,
    Role.EVALUATOR,
}
# The only roles a system administrator may grant: no service data, no security or audit power.
SYSTEM_ADMIN_GRANTABLE = {Role.SYSTEM_ADMIN, Role.CONFIG_ADMIN}
# Accounts a system administrator may not touch (edit, reset, deactivate, grant or revoke on).
PROTECTED_ROLES = {Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
# Roles whose holders log in with a second factor (TOTP or a recovery code): the district,
# system, security and audit administrators and the configuration role (the Django admin).
TWO_FACTOR_ROLES = {
    Role.DISTRICT_ADMIN,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
    Role.CONFIG_ADMIN,
}
# The division level of the unit each role is granted on: the centre sits at the district,
# a station at a town, a room at a village (the network app maps levels to unit kinds).
ROLE_UNIT_LEVEL = {
    Role.DISTRICT_ADMIN: Level.DISTRICT,
    Role.STATION_STAFF: Level.TOWN,
    Role.ROOM_WORKER: Level.VILLAGE,
    Role.SYSTEM_ADMIN: Level.DISTRICT,
    Role.SECURITY_ADMIN: Level.DISTRICT,
    Role.AUDIT_ADMIN: Level.DISTRICT,
    Role.CONFIG_ADMIN: Level.DISTRICT,
}


class User(Versioned, AbstractUser):
    """An account. Its home division decides which administrators may manage it."""

    version_ignores = ("last_login",)  # signing in is no edit of the account

    history_division = "division__code"

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    division = optional_link("divisions.Division", _("home division"), related_name="+")
    # Set when somebody else chose the password (generated, or an administrator's reset):
    # the account changes it before anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # Whatever path set a new password (the services, `manage.py changepassword`), the
        # API tokens of the old one end with it.
        password_set = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_set:
            from knox.models import AuthToken

            AuthToken.objects.filter(user=self).delete()


class RoleGrant(WithHistory):
    history_division = "user__division__code"

    user = belongs_to(User, _("account"), related_name="grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = optional_link("network.Unit", _("unit"), related_name="grants")
    agency = optional_link("network.Agency", _("agency"), related_name="grants")
    purchaser = optional_link("purchasing.Purchaser", _("purchaser"), related_name="grants")

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


class PasswordHistory(models.Model):
    """A hash of a password an account had, so that the last few are not used again."""

    user = belongs_to(User, _("account"), related_name="password_history")
    password = models.CharField(_("password"), max_length=128)
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"
