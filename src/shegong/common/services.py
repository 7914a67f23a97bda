def save_with_history(instance, *, actor, update_fields=None):
    """full_clean, record who made the change for django-simple-history, then save."""
    instance.full_clean()
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    instance.save(update_fields=update_fields)
    return instance
