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


class PasswordHistoryValidator:
    """GB/T 22239: a new password is none of the account's last ``SHEGONG_PASSWORD_HISTORY``
    passwords (its current one included); they are kept as hashes only."""

    def __init__(self, count=None):
        self.count = count

    def _count(self) -> int:
        from django.conf import settings

        return self.count if self.count is not None else settings.SHEGONG_PASSWORD_HISTORY

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        count = self._count()
        if user is None or user.pk is None or count <= 0:
            return
        hashes = list(user.password_history.values_list("password", flat=True)[:count])
        # The current password, read from the row (the instance may hold the new one already):
        # accounts older than the history table have it nowhere else.
        current = type(user).objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current and current not in hashes:
            hashes.insert(0, current)
        if any(check_password(password, encoded) for encoded in hashes[:count]):
            raise ValidationError(
                _("This password was used recently; choose one not among your last %(count)d.")
                % {"count": count},
                code="password_reused",
            )

    def get_help_text(self):
        return _("None of your last %(count)d passwords.") % {"count": self._count()}
