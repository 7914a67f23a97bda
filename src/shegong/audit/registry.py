"""Which history tables the change log reads. Each app registers its own models (in its
``AppConfig.ready``), so the audit app never imports a domain app."""

_SOURCES: list[tuple] = []


def register_history(model, label, division_field: str) -> None:
    """Show ``model``'s history in the change log; ``division_field`` is the lookup path to
    the division code that decides which auditors see a row."""
    if all(existing is not model for existing, _label, _field in _SOURCES):
        _SOURCES.append((model, label, division_field))


def history_sources() -> list[tuple]:
    """``(model, label, division_field)`` for every registered model, in registration order."""
    return list(_SOURCES)
