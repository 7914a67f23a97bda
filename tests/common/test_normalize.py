"""Codes as people type them: full-width forms folded to ASCII, every other non-ASCII
character refused by the check (never a crash, never a second spelling of one number)."""

import pytest
from django.core.exceptions import ValidationError

from shegong.common.creditcode import validate_credit_code
from shegong.common.idcard import normalize, parse_id_number
from shegong.common.normalize import is_ascii_digits, normalize_code

FULL_WIDTH = str.maketrans("0123456789Xx ", "０１２３４５６７８９Ｘｘ\u3000")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ID = "11010519491231002X"


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("３７０１０２", "370102"),
        ("ａｂｃ　１２", "ABC12"),  # ideographic space dropped, letters upper-cased
        (" 1101 0519\t491231\u00a0002x\n", "11010519491231002X"),
        ("ｘ", "X"),
        ("", ""),
        (None, ""),
        # Not width forms: left as they are, for the check to refuse.
        ("12²", "12²"),
        ("①", "①"),
        ("٣٧", "٣٧"),
        ("𝟑", "𝟑"),  # mathematical bold digit
        ("ß", "ß"),  # no upper-casing into ASCII "SS"
        ("ﬀ", "ﬀ"),  # nor the ligature into "FF"
    ],
)
def test_normalize_code(typed, expected):
    assert normalize_code(typed) == expected


def test_ascii_digits_only():
    assert is_ascii_digits("0123456789")
    assert not any(is_ascii_digits(s) for s in ["", "12²", "٣٧", "３７", "12a", "12\n"])


def test_a_full_width_id_number_is_the_ascii_number():
    assert normalize(full_width(ID.lower())) == ID
    assert parse_id_number(full_width(ID)).number == ID
    assert parse_id_number(" ".join(full_width(ID))).number == ID


@pytest.mark.parametrize(
    "typed",
    [
        ID.translate(ARABIC_INDIC),  # Arabic-Indic digits, ASCII X
        ID[:16] + "²" + ID[17:],  # str.isdigit() is True, int() raises
        ID[:6] + "¹⁹⁴⁹" + ID[10:],
        ID[:-1] + "①",
        ID[:-1] + "ⅹ",  # small roman numeral ten, NFKC "x"
        ID[:-1] + "\u200b",
    ],
)
def test_other_digits_are_a_format_error(typed):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(typed)
    assert exc.value.code == "format"


CODE = "91110000600037341L"


def test_a_full_width_credit_code_is_the_ascii_code():
    assert validate_credit_code(full_width(CODE[:-1]) + "ｌ") == CODE
    assert validate_credit_code("９１１１　００００　６０００３７３４１Ｌ") == CODE


@pytest.mark.parametrize(
    "typed",
    [
        CODE[:7] + "²" + CODE[8:],  # a superscript among the division digits
        CODE[:2] + "١١٠٠٠٠" + CODE[8:],  # Arabic-Indic division digits
        CODE[:-1] + "ʟ",
        CODE[:-1] + "Ⅼ",  # roman numeral fifty
    ],
)
def test_other_characters_in_a_credit_code_are_a_charset_error(typed):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(typed)
    assert exc.value.code == "charset"


def test_letter_authority_codes_are_still_accepted():
    """stdnum wants eight leading digits; GB 32100 allows a letter authority and type."""
    from shegong.common.creditcode import check_character

    body = "N2500112MA5U0A0B0"
    assert validate_credit_code(body + check_character(body)) == body + check_character(body)
