"""Unified social credit codes (GB 32100-2015): 18 characters from a 31-character set
(digits and capitals without I, O, S, V, Z) — registration authority, organisation type,
6-digit division code, 9-character organisation code, and a check character (mod 31).

Social organisations registered with civil affairs start with ``5`` (``52`` for
private non-enterprise units such as most social work agencies)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PATTERN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalize(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> str:
    """The normalised code, or a ValidationError saying what is wrong."""
    code = normalize(value)
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="length")
    if not PATTERN.fullmatch(code):
        raise ValidationError(
            _("The code holds a character that is not allowed (I, O, S, V, Z or a symbol)."),
            code="charset",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character is wrong: the code has a typing error."), code="check"
        )
    return code
