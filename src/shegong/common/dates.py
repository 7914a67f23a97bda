import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def parse_as_of(value: str | None, field: str = "as_of") -> datetime.date:
    """The report date from a query parameter; today when absent, a 400 when malformed."""
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from exc
