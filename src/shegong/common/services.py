from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def save_with_history(instance, *, actor, update_fields=None):
    """full_clean, record who made the change for django-simple-history, then save."""
    instance.full_clean()
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    instance.save(update_fields=update_fields)
    return instance


def refuse_unknown(data, allowed) -> None:
    """A write names only fields it may change: any other is a field error."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({f: [_("This field cannot be changed here.")] for f in unknown})


def model_update(instance, data, *, allowed, actor, validate=None) -> list[str]:
    """Apply ``data`` to ``instance`` (the fields of ``allowed`` only): set those whose value
    differs, then ``validate(instance)`` and save with a history row. Returns the names of
    the fields that changed; nothing is saved when none did."""
    refuse_unknown(data, allowed)
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, data[name])
    if changed:
        if validate is not None:
            validate(instance)
        save_with_history(instance, actor=actor)
    return changed
