"""What may go into a message: names masked (张*丰), and never a number that could be an
ID number, a phone or a bank account, whatever the caller passed."""

import re

# 15/18-digit ID numbers (last may be X), bank accounts, phones: any run of 7 or more
# digits, and a mobile number written in groups (138 1234 5678, 138-1234-5678).
_LONG_NUMBER = re.compile(
    r"(?<![0-9])(?:[0-9]{7,}[0-9Xx]?|1[3-9][0-9][- ][0-9]{4}[- ][0-9]{4})(?![0-9])"
)


def mask_name(name: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜; a Latin name keeps its first letter."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def scrub(text: str) -> str:
    """The text with any long run of digits replaced by ***."""
    return _LONG_NUMBER.sub("***", text or "")
