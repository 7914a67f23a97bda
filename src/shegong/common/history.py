"""Change history (django-simple-history) turned into rows a page can show."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def history_rows(instance, limit: int = 50, sensitive=()):
    """Newest first: when, who, what, and the fields that changed from the previous version."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    rows = []
    for index, record in enumerate(records[:limit]):
        changes = []
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field == "version":
                    continue  # every save takes the next one: not a change anyone made
                field = instance._meta.get_field(change.field)
                if change.field in sensitive:
                    # That it changed is history; what it says is for a logged reveal.
                    changes.append({"field": str(field.verbose_name), "old": "***", "new": "***"})
                    continue
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "old": _display(field, change.old),
                        "new": _display(field, change.new),
                    }
                )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user or _("system"),
                "action": ACTIONS.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return rows


def _display(field, value):
    """A stored value as a person reads it: choices by label, booleans as yes / no."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value
