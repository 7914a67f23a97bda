"""GB 11643 resident ID numbers and the masking of sensitive values."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shegong.common.idcard import check_character, mask_id_number, mask_phone, parse_id_number

# Published examples with correct check characters.
VALID = [
    ("11010519491231002X", datetime.date(1949, 12, 31), "F"),
    ("440524188001010014", datetime.date(1880, 1, 1), "M"),
    ("11010119900307803X", datetime.date(1990, 3, 7), "M"),
]


@pytest.mark.parametrize("number, birth, sex", VALID)
def test_valid_numbers_give_birth_date_and_sex(number, birth, sex):
    parsed = parse_id_number(number)
    assert (parsed.birth_date, parsed.sex, parsed.area_code) == (birth, sex, number[:6])


def test_lower_case_x_and_spaces_are_accepted():
    assert parse_id_number(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    "number, code",
    [
        ("110105194912310021", "check"),  # last character changed
        ("11010519491231003X", "check"),  # a sequence digit changed
        ("11010519491331002X", "birth"),  # month 13
        ("11010520990101002X", "birth"),  # born in the future
        ("1101051949123100", "format"),  # too short
        ("11010519491231002Y", "format"),
        ("", "format"),
    ],
)
def test_malformed_numbers_are_refused_with_the_reason(number, code):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(number)
    assert exc.value.code == code


def test_check_character_covers_x():
    assert check_character("11010519491231002") == "X"


def test_masks():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""
