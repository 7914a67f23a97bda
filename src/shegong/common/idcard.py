"""Resident ID numbers (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit
sequence (odd for men), and an ISO 7064 MOD 11-2 check character ('X' for 10).

The arithmetic is python-stdnum's (``stdnum.cn.ric``); the rules and messages are ours.
Its ``validate`` is not used whole: it also refuses an area code that did not exist in the
birth year (a Yubei number, 500112, of anyone born before 1997) or that it does not know."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from .normalize import is_ascii_digits, normalize_code


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"

    @property
    def area_code(self) -> str:
        return self.number[:6]


def check_character(first17: str) -> str:
    """The check character for 17 ASCII digits."""
    return ric.calc_check_digit(first17 + "?")  # stdnum reads all but the last character


def normalize(value: str) -> str:
    """Full-width digits and x folded to ASCII, spaces dropped, upper case; the form that is
    validated, stored and hashed (one person, one hash, however the number was typed)."""
    return normalize_code(value)


def parse_id_number(value: str) -> IdNumber:
    """The number's facts, or a ValidationError saying what is wrong with it."""
    number = normalize(value)
    if (
        len(number) != 18
        or not is_ascii_digits(number[:17])
        or not (is_ascii_digits(number[17]) or number[17] == "X")
    ):
        raise ValidationError(
            _("A resident ID number has 17 digits and a final digit or X."), code="format"
        )
    try:
        birth = ric.get_birth_date(number)
    except StdnumError as exc:
        raise ValidationError(
            _("The birth date in the ID number is not a date."), code="birth"
        ) from exc
    if birth > timezone.localdate() or birth.year < 1870:
        raise ValidationError(_("The birth date in the ID number is not possible."), code="birth")
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(
            _("The check character of the ID number is wrong; please check each digit."),
            code="check",
        )
    return IdNumber(number=number, birth_date=birth, sex="M" if int(number[16]) % 2 else "F")


def mask_id_number(number: str) -> str:
    """Area code and last four kept, the birth date hidden: 500112********002X."""
    number = normalize(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else "****"


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "****" if digits else ""
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
