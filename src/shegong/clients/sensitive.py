"""Sensitive client fields on the way in.

Their recorded values are never sent out to a form or an API client (that would be a reveal
without a reason or a log), so on an edit an untouched field arrives blank: blank means
"keep the recorded value". The page form and the API serializer both ask here.
"""

from .models import Client


def without_blank_sensitive(data: dict) -> dict:
    """``data`` for an update, without the sensitive fields that came in blank."""
    return {
        name: value
        for name, value in data.items()
        if not (name in Client.SENSITIVE_FIELDS and value in ("", None))
    }
