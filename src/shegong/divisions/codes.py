"""Division codes: what a statistical code says by its length and its prefix.

A code nests by prefix (区 500113 ⊃ 街道 500113002 ⊃ 社区 500113002001), and its length is
its level. Every cut of a code to the district or town above it, and every "is this division
inside that one", is asked here, in Python or in SQL, so the rule is written once.
"""

from django.db import models
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Levels of the statistical division code, by the length of the code."""

    PROVINCE = 2, _("province")
    CITY = 4, _("city")
    DISTRICT = 6, _("district")
    TOWN = 9, _("town / street")
    VILLAGE = 12, _("village / community")


# Where units, workers and accounts sit: the district, a town (street) or a village.
SERVICE_LEVELS = (Level.DISTRICT, Level.TOWN, Level.VILLAGE)


def district_of(code: str) -> str:
    """The code of the district a division lies in (a code above it comes back whole)."""
    return code[: Level.DISTRICT]


def town_of(code: str) -> str:
    """The code of the town a division lies in (a code above town level comes back whole)."""
    return code[: Level.TOWN]


def covers(prefix: str, code: str) -> bool:
    """Whether the division ``code`` is the division ``prefix`` or lies inside it."""
    return code.startswith(prefix)


def town_of_column(column: str) -> Substr:
    """``town_of`` in SQL, for annotating or grouping rows by the town of a code column."""
    return Substr(column, 1, Level.TOWN)


def _after_prefix(prefix: str) -> str | None:
    """The smallest digit string above every code starting with ``prefix`` (``500112`` →
    ``500113``, ``5009`` → ``501``); None when there is none (all nines)."""
    stem = prefix.rstrip("9")
    if not stem:
        return None
    return stem[:-1] + str(int(stem[-1]) + 1)


def code_prefix_q(field: str, prefix: str) -> models.Q:
    """``field`` (a division code column) starts with ``prefix``. A numeric prefix is also
    said as a range, ``prefix <= code < next``: a plain b-tree index serves a range in any
    collation and keeps its order for ORDER BY … LIMIT, where ``LIKE 'prefix%'`` needs a
    C collation or ``varchar_pattern_ops`` on PostgreSQL and case-sensitive LIKE on SQLite.
    The LIKE stays, so the answer is the same whatever the codes hold."""
    q = models.Q(**{f"{field}__startswith": prefix})
    if prefix.isdigit() and prefix.isascii():
        q &= models.Q(**{f"{field}__gte": prefix})
        upper = _after_prefix(prefix)
        if upper is not None:
            q &= models.Q(**{f"{field}__lt": upper})
    return q
