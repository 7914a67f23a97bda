from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def save_with_history(instance, *, actor, update_fields=None):
    """full_clean, record who made the change for django-simple-history, then save."""
    instance.full_clean()
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    instance.save(update_fields=update_fields)
    return instance


def ensure_in_scope(actor, division_code: str, field: str = "division"):
    from shegong.access.scoping import in_scope

    if actor is not None and not in_scope(actor, division_code):
        raise ValidationError({field: _("This is outside your area.")})
