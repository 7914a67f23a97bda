import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """GB/T 22239 password complexity: letters and digits, and at least three classes of
    upper case, lower case, digits and symbols."""

    def validate(self, password, user=None):
        classes = sum(
            bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")
        )
        if classes < 3:
            raise ValidationError(
                _(
                    "The password must mix at least three of: lower-case letters, upper-case "
                    "letters, digits and symbols."
                ),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _(
            "Use at least three of: lower-case letters, upper-case letters, digits and symbols."
        )
