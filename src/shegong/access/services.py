"""Writes to accounts: creating them, granting roles, deactivating and unlocking."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.common.services import model_update, refuse_unknown, save_with_history
from shegong.divisions.codes import Level

from . import scoping
from .models import ROLE_UNIT_LEVEL, UNIT_SCOPED_ROLES, Role, RoleGrant, User


def generate_password() -> str:
    # Always mixes classes so it passes CharacterClassValidator.
    return "Sg-" + secrets.token_urlsafe(12) + "7a"


def _ensure_account_scope(actor, division_code: str | None, field: str = "division"):
    if actor is None:
        return
    if not division_code or not scoping.in_scope(actor, division_code, scoping.ACCOUNTS):
        raise ValidationError({field: _("This is outside the area whose accounts you manage.")})


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
    if "division" in data:
        _ensure_account_scope(actor, data["division"].code if data["division"] else None)
    if data.get("is_active") is False and user.pk == getattr(actor, "pk", None):
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    return model_update(user, data, allowed=allowed, actor=actor)


@transaction.atomic
def user_set_password(*, user: User, password: str, actor) -> None:
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
    if (
        actor is not None
        and role == Role.DISTRICT_ADMIN
        and not scoping.has_role(actor, Role.DISTRICT_ADMIN, Role.SYSTEM_ADMIN)
    ):
        raise ValidationError({"role": _("You may not grant this role.")})
    same = {"unit": unit, "agency": agency, "purchaser": purchaser}
    if RoleGrant.objects.filter(user=user, role=role, **same).exists():
        raise ValidationError({"role": _("The account already holds this role.")})
    grant = RoleGrant(user=user, role=role, **same)
    save_with_history(grant, actor=actor)
    user.__dict__.pop("_shegong_grants", None)
    user.__dict__.pop("_shegong_scopes", None)
    return grant


@transaction.atomic
def grant_remove(*, grant: RoleGrant, actor) -> None:
    if grant.unit_id:
        _ensure_account_scope(actor, grant.unit.division_id, field="unit")
    grant._history_user = actor
    grant.delete()
    for cached in ("_shegong_grants", "_shegong_scopes"):
        grant.user.__dict__.pop(cached, None)


def user_unlock(*, user: User, actor) -> int:
    from axes.utils import reset

    return reset(username=user.username)
