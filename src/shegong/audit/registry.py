"""Which history tables the change log reads: every model with django-simple-history,
found at start-up, so the audit app never imports a domain app and no list is kept by hand.

Each such model declares ``history_division``: the lookup path, from its history table, to
the division code that decides which auditors see a row (``"unit__division__code"``), or
``"history_user__division__code"`` for a record that belongs to no division (the division
of the account that made the change). See ``common.models.WithHistory``. A model that does
not declare it is found all the same (``undeclared_history_models``: a test and a system
check fail on it) and audited by the changing account's division meanwhile."""

from django.apps import apps

ACTOR_DIVISION = "history_user__division__code"


def _has_history(model) -> bool:
    return bool(getattr(model._meta, "simple_history_manager_attribute", None))


def history_models() -> list:
    """Every model with a change history (not the history tables themselves), in app order."""
    return [
        model
        for model in apps.get_models()
        if _has_history(model) and not model.__name__.startswith("Historical")
    ]


def undeclared_history_models() -> list:
    return [model for model in history_models() if not hasattr(model, "history_division")]


def history_key(model) -> str:
    """The record type a change-log row is filtered by: ``app_label.model_name``."""
    return model._meta.label_lower


def history_sources() -> list[tuple]:
    """``(model, label, division_field)`` for every model with history."""
    return [
        (model, model._meta.verbose_name, getattr(model, "history_division", ACTOR_DIVISION))
        for model in history_models()
    ]


def history_source(key: str):
    """The ``(model, label, division_field)`` of record type ``key``, or None."""
    for source in history_sources():
        if history_key(source[0]) == key:
            return source
    return None
