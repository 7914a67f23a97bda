"""Unified social credit codes (GB 32100-2015): 18 characters from a 31-character set
(digits and capitals without I, O, S, V, Z) — registration authority, organisation type,
6-digit division code, 9-character organisation code, and a check character (mod 31).

Social organisations registered with civil affairs start with ``5`` (``52`` for
private non-enterprise units such as most social work agencies).

The check character is python-stdnum's (``stdnum.cn.uscc``); the character rule is ours:
stdnum wants eight leading digits, but the authority and type may be letters (``N2…`` for
rural collective economic organisations, ``Y1…`` for others)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from .normalize import normalize_code

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
PATTERN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}", re.ASCII)


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (all from ``CHARSET``)."""
    return uscc.calc_check_digit(first17)


def normalize(value: str) -> str:
    """Full-width characters folded to ASCII, spaces dropped, upper case."""
    return normalize_code(value)


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
