from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def save_with_history(instance, *, actor, update_fields=None):
    """full_clean, record who made the change for django-simple-history, then save."""
    instance.full_clean()
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    instance.save(update_fields=update_fields)
    return instance


def model_update(instance, *, data: dict, actor):
    """Set the given fields and save only those that changed. Returns the changed names."""
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, data[name])
    if changed:
        save_with_history(instance, actor=actor)
    return changed


def ensure_in_scope(actor, division_code: str, field: str = "division"):
    from shegong.access.scoping import in_scope

    if actor is not None and not in_scope(actor, division_code):
        raise ValidationError({field: _("This is outside your area.")})


def ensure(condition: bool, message: str):
    if not condition:
        raise PermissionDenied(message)
