"""Writes to accounts: creating them, granting roles, deactivating and unlocking."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.common.services import model_update, refuse_unknown, save_with_history
from shegong.divisions.codes import Level

from . import scoping
from .models import (
    PROTECTED_ROLES,
    ROLE_UNIT_LEVEL,
    SERVICE_ROLES,
    SYSTEM_ADMIN_GRANTABLE,
    UNIT_SCOPED_ROLES,
    Role,
    RoleGrant,
    User,
)


def generate_password() -> str:
    # Always mixes classes so it passes CharacterClassValidator.
    return "Sg-" + secrets.token_urlsafe(12) + "7a"


def _ensure_account_scope(actor, division_code: str | None, field: str = "division"):
    if actor is None:
        return
    if not division_code or not scoping.in_scope(actor, division_code, scoping.ACCOUNTS):
        raise ValidationError({field: _("This is outside the area whose accounts you manage.")})


def _district_prefixes(actor) -> set[str]:
    """The districts the actor administers (its district-administrator grants)."""
    return {
        g.unit.division_id
        for g in scoping.grants_of(actor)
        if g.role == Role.DISTRICT_ADMIN and g.unit_id
    }


def _ensure_may_touch(actor, user: User) -> None:
    """三员分立: a system administrator (without a district grant) leaves alone the accounts
    of the district, security and audit administrators, and nobody manages their own roles."""
    if actor is None or _district_prefixes(actor):
        return
    # Read from the table: an inactive account holds its grants still.
    if user.grants.filter(role__in=PROTECTED_ROLES).exists():
        raise PermissionDenied(
            _("A system administrator may not change a district, security or audit account.")
        )


def _ensure_may_grant(actor, user: User, role: str, unit, agency, purchaser) -> None:
    """Who may grant (or revoke) ``role`` on ``user``: never the user itself; service roles
    only a district administrator, inside its district; a system administrator only the
    roles without service data or security or audit power."""
    if actor is None:
        return
    if user.pk == actor.pk:
        raise PermissionDenied(_("You may not grant or revoke your own roles."))
    districts = _district_prefixes(actor)
    if not districts:
        if role not in SYSTEM_ADMIN_GRANTABLE or not scoping.has_role(actor, Role.SYSTEM_ADMIN):
            raise PermissionDenied(_("You may not grant or revoke this role."))
        _ensure_may_touch(actor, user)
        return
    if role not in SERVICE_ROLES:
        return

    def inside(code):
        return bool(code) and any(code.startswith(p) for p in districts)

    if not inside(user.division_id):
        raise ValidationError(
            {"role": _("Service roles are granted only to accounts of your district.")}
        )
    if unit is not None and not inside(unit.division_id):
        raise ValidationError({"unit": _("This is outside the area whose accounts you manage.")})
    if purchaser is not None and not inside(purchaser.division_id):
        raise ValidationError(
            {"purchaser": _("This is outside the area whose accounts you manage.")}
        )
    if agency is not None:
        # The agency operates a unit in the district, or delivers a project covering one.
        codes = set(agency.units.live().values_list("division_id", flat=True))
        codes |= set(agency.projects.delivering().values_list("units__division_id", flat=True))
        if not any(inside(code) for code in codes):
            raise ValidationError(
                {"agency": _("This agency neither operates nor serves a unit in your area.")}
            )


def _sync_config_flags(user: User, actor) -> None:
    """The Django admin (configuration) is open exactly to holders of the configuration
    role; nobody is a superuser. Saved with history, so the change is audited."""
    is_staff = user.grants.filter(role=Role.CONFIG_ADMIN).exists()
    if user.is_staff != is_staff or user.is_superuser:
        user.is_staff, user.is_superuser = is_staff, False
        save_with_history(user, actor=actor, update_fields=["is_staff", "is_superuser"])


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    display_name: str,
    division,
    password: str | None = None,
    email: str = "",
) -> tuple[User, str]:
    """Create an account; returns it with its initial password (generated if not given)."""
    _ensure_account_scope(actor, division.code if division else None)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, display_name=display_name, division=division, email=email)
    password = password or generate_password()
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    save_with_history(user, actor=actor)
    return user, password


@transaction.atomic
def user_update(*, user: User, actor, **data) -> list[str]:
    allowed = {"display_name", "email", "is_active", "division"}
    refuse_unknown(data, allowed)
    _ensure_may_touch(actor, user)
    if "division" in data:
        _ensure_account_scope(actor, data["division"].code if data["division"] else None)
    if data.get("is_active") is False and user.pk == getattr(actor, "pk", None):
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    return model_update(user, data, allowed=allowed, actor=actor)


@transaction.atomic
def user_set_password(*, user: User, password: str, actor) -> None:
    _ensure_may_touch(actor, user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def grant_add(*, user: User, role: str, actor, unit=None, agency=None, purchaser=None) -> RoleGrant:
    errors = {}
    if role not in Role.values:
        errors["role"] = [_("Unknown role.")]
    level = ROLE_UNIT_LEVEL.get(role)
    if role in UNIT_SCOPED_ROLES or level:
        if unit is None:
            errors["unit"] = [_("This role needs a unit.")]
        elif level and len(unit.division_id) != level:
            errors["unit"] = [_("This role must be granted on a %s.") % Level(level).label]
    if role == Role.AGENCY_STAFF and agency is None:
        errors["agency"] = [_("Agency staff need their agency.")]
    if role == Role.PURCHASER and purchaser is None:
        errors["purchaser"] = [_("A purchasing department's account needs its department.")]
    if errors:
        raise ValidationError(errors)
    if unit is not None:
        _ensure_account_scope(actor, unit.division_id, field="unit")
    if purchaser is not None:
        _ensure_account_scope(actor, purchaser.division_id, field="purchaser")
    _ensure_may_grant(actor, user, role, unit, agency, purchaser)
    same = {"unit": unit, "agency": agency, "purchaser": purchaser}
    if RoleGrant.objects.filter(user=user, role=role, **same).exists():
        raise ValidationError({"role": _("The account already holds this role.")})
    grant = RoleGrant(user=user, role=role, **same)
    save_with_history(grant, actor=actor)
    user.__dict__.pop("_shegong_grants", None)
    user.__dict__.pop("_shegong_scopes", None)
    if role == Role.CONFIG_ADMIN:
        _sync_config_flags(user, actor)
    return grant


@transaction.atomic
def grant_remove(*, grant: RoleGrant, actor) -> None:
    if grant.unit_id:
        _ensure_account_scope(actor, grant.unit.division_id, field="unit")
    _ensure_may_grant(actor, grant.user, grant.role, grant.unit, grant.agency, grant.purchaser)
    grant._history_user = actor
    grant.delete()
    for cached in ("_shegong_grants", "_shegong_scopes"):
        grant.user.__dict__.pop(cached, None)
    if grant.role == Role.CONFIG_ADMIN:
        _sync_config_flags(grant.user, actor)


def user_unlock(*, user: User, actor) -> int:
    from axes.utils import reset

    if not scoping.has_role(actor, Role.SECURITY_ADMIN):
        _ensure_may_touch(actor, user)
    return reset(username=user.username)
