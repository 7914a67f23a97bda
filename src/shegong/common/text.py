"""Control characters: what no stored text may hold, and how an export shows one that is.

Free text may carry a tab or a line break (multi-line notes); nothing else below U+0020,
DEL or the C1 range (U+0080–U+009F) is ever typed by a person. Such a character breaks
exports (Excel's XML refuses most of them), terminals and logs, so input refuses them
(``validators``) and exports replace any already stored (``exports``)."""

import re

# Every control character except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Every control character: what a single-line value (a name, a phone) refuses.
LINE_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


def without_control_characters(text: str) -> str:
    """``text`` with each control character (other than tab and line breaks) shown as
    U+FFFD, so the reader sees that something was there."""
    return CONTROL_CHARACTERS.sub(REPLACEMENT, text)
