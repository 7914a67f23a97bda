"""Resident ID numbers (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit
sequence (odd for men), and an ISO 7064 MOD 11-2 check character ('X' for 10)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"

    @property
    def area_code(self) -> str:
        return self.number[:6]


def check_character(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def parse_id_number(value: str) -> IdNumber:
    """The number's facts, or a ValidationError saying what is wrong with it."""
    number = normalize(value)
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise ValidationError(
            _("A resident ID number has 17 digits and a final digit or X."), code="format"
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("The birth date in the ID number is not a date."), code="birth"
        ) from exc
    if birth > timezone.localdate() or birth.year < 1870:
        raise ValidationError(_("The birth date in the ID number is not possible."), code="birth")
    if check_character(number[:17]) != number[17]:
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
