"""Writes to accounts: creating them, granting roles, deactivating and unlocking, their
passwords, API tokens and second factors."""

import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.common.services import model_update, refuse_unknown, save_with_history
from shegong.divisions.codes import Level

from . import scoping
from .models import (
    PROTECTED_ROLES,
    ROLE_UNIT_LEVEL,
    SERVICE_ROLES,
    SYSTEM_ADMIN_GRANTABLE,
    TWO_FACTOR_ROLES,
    UNIT_SCOPED_ROLES,
    PasswordHistory,
    Role,
    RoleGrant,
    User,
)

# Recovery codes given at enrolment in two factors, each good for one login.
RECOVERY_CODE_COUNT = 10


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

    def inside(code):
        return bool(code) and any(code.startswith(p) for p in districts)

    if not inside(user.division_id):
        # A district appoints its own security and audit administrators, never another's.
        raise ValidationError({"role": _("Roles are granted only to accounts of your district.")})
    if role not in SERVICE_ROLES:
        return
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
        # Posted to a unit: one the agency operates or one a project it delivers covers.
        if unit is not None and not (
            agency.units.filter(pk=unit.pk).exists()
            or agency.projects.delivering().filter(units=unit).exists()
        ):
            raise ValidationError(
                {"unit": _("The agency neither operates this unit nor serves it by a project.")}
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
    # A password somebody else knows (generated, or chosen by the administrator) is changed
    # at the first login; the seed and the tests (no actor) set the user's own.
    must_change = password is None or actor is not None
    password = password or generate_password()
    _validate_new_password(user, password)
    user.set_password(password)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now()
    save_with_history(user, actor=actor)
    _remember_password(user)
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
    changed = model_update(user, data, allowed=allowed, actor=actor)
    if "is_active" in changed and not user.is_active:
        # A deactivated account keeps no way in: its API tokens go with it.
        tokens_revoke(user=user)
    return changed


def _validate_new_password(user: User, password: str, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _remember_password(user: User) -> None:
    """Keep the new hash among the account's last passwords, and only as many as checked."""
    from django.conf import settings

    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(settings.SHEGONG_PASSWORD_HISTORY, 1)
    stale = user.password_history.values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def _password_store(user: User, password: str, *, actor, must_change: bool, field: str) -> None:
    """Validate (history included), set, remember, and revoke every API token: a password
    change ends the sessions of the old one (Django's session hash) and its tokens."""
    _validate_new_password(user, password, field)
    user.set_password(password)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now()
    save_with_history(
        user,
        actor=actor,
        update_fields=["password", "must_change_password", "password_changed_at"],
    )
    _remember_password(user)
    tokens_revoke(user=user)


@transaction.atomic
def user_set_password(*, user: User, password: str, actor) -> None:
    """An administrator's reset (or the seed's, without actor): the account must change the
    password at its next login, since somebody else knows it."""
    _ensure_may_touch(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    must_change = actor is not None and actor.pk != user.pk
    _password_store(user, password, actor=actor, must_change=must_change, field="password")


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Self-service change: the current password proves it is the account's owner."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("The new password must differ.")})
    _password_store(locked, new_password, actor=locked, must_change=False, field="new_password")
    user.password = locked.password
    user.must_change_password = False
    user.password_changed_at = locked.password_changed_at


def password_expired(user: User) -> bool:
    """True when the account must choose a new password before going on: one set by
    somebody else, or older than SHEGONG_PASSWORD_MAX_AGE_DAYS."""
    from django.conf import settings

    if user.must_change_password:
        return True
    days = settings.SHEGONG_PASSWORD_MAX_AGE_DAYS
    changed = user.password_changed_at or user.date_joined
    return bool(days) and changed is not None and timezone.now() - changed > timedelta(days=days)


# --- API tokens (django-rest-knox: the token's hash is stored, never the token) ---


@transaction.atomic
def token_create(*, user: User):
    """A new API token for ``user``; returns (the stored row, the token to hand over once)."""
    from knox.models import AuthToken
    from knox.settings import knox_settings

    return AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)


def tokens_revoke(*, user: User, token=None) -> int:
    """Delete ``token`` (a stored AuthToken), or every token of ``user``; returns how many."""
    from knox.models import AuthToken

    tokens = AuthToken.objects.filter(user=user)
    if token is not None:
        tokens = tokens.filter(pk=token.pk)
    count, _deleted = tokens.delete()
    return count


# --- Two factors (django-otp: a TOTP device, and a static device of recovery codes) ---


def requires_two_factor(user) -> bool:
    """Administrators (district, system, security, audit, configuration) and anybody who may
    enter the Django admin log in with a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or scoping.has_role(user, *TWO_FACTOR_ROLES)


def totp_device_of(user: User, *, confirmed: bool = True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


@transaction.atomic
def totp_enrol_start(*, user: User):
    """The unconfirmed authenticator the enrolment page shows (kept across reloads, so the
    scanned QR code stays valid until confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User.objects.select_for_update().filter(pk=user.pk).first()
    device = totp_device_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: User, device, token: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns fresh recovery codes (the only
    time they are readable). Earlier devices of the account are replaced."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User.objects.select_for_update().filter(pk=user.pk).first()
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"otp": _("Start the enrolment again.")})
    if not device.verify_token((token or "").strip()):
        raise ValidationError({"otp": _("The code is wrong or has expired.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    return codes


@transaction.atomic
def totp_enrol_with_key(*, user: User, key: str | None = None):
    """Enrol ``user`` directly with a known TOTP secret (hex), confirmed, for the demo and
    for scripts; returns the device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    options = {"key": key} if key else {}
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True, **options)


def otp_verify(*, user: User, token: str):
    """The device (authenticator or recovery codes) that accepts ``token``, else None. A
    recovery code is used up; wrong codes slow the device down (django-otp throttling)."""
    from django_otp import match_token

    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    return match_token(user, token)


@transaction.atomic
def two_factor_reset(*, user: User, actor) -> int:
    """A security administrator removes the account's authenticator and recovery codes (a
    lost phone): the account enrols again at its next login, and its API tokens end. The
    account's history records who did it. Returns how many devices went."""
    from django_otp import devices_for_user

    if actor is not None:
        if not scoping.has_role(actor, Role.SECURITY_ADMIN):
            raise PermissionDenied(_("Only a security administrator resets a second factor."))
        if actor.pk == user.pk:
            raise PermissionDenied(_("You may not reset your own second factor."))
    user = User.objects.select_for_update().get(pk=user.pk)
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    tokens_revoke(user=user)
    user._change_reason = "two-factor reset"
    save_with_history(user, actor=actor, update_fields=["must_change_password"])
    return len(devices)


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
    if role in TWO_FACTOR_ROLES:
        # Tokens issued on the password alone must not carry an administrator's power.
        tokens_revoke(user=user)
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
