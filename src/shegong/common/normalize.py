"""What a person typed for a code (ID number, credit code), in the form the checks read.

A Chinese input method in full-width mode types ``３７０１０２…`` or ``ｘ``; the code meant is
the ASCII one. Characters that carry a width compatibility mapping (the full-width and
half-width forms, the ideographic space) are folded by Unicode NFKC; whitespace of any
kind is dropped; ASCII letters are upper-cased. Nothing else is translated: a superscript
``²``, a circled ``①`` or an Arabic-Indic ``٣`` stays what it is, so the check that follows
refuses it instead of guessing which digit was meant."""

import unicodedata

WIDTH_TAGS = ("<wide>", "<narrow>")


def fold_width(char: str) -> str:
    if unicodedata.decomposition(char).startswith(WIDTH_TAGS):
        return unicodedata.normalize("NFKC", char)
    return char


def normalize_code(value: str | None) -> str:
    """Full-width forms folded to ASCII, whitespace removed, ASCII letters upper-cased."""
    folded = "".join(fold_width(c) for c in value or "")
    return "".join(c.upper() if c.isascii() else c for c in folded if not c.isspace())


def is_ascii_digits(text: str) -> bool:
    """Only 0-9 (``str.isdigit`` also accepts ``²`` and ``٣``, which ``int`` then trips on)."""
    return bool(text) and text.isascii() and text.isdigit()
