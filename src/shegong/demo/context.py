"""What every step of the demo seed shares."""

import datetime
import random
from dataclasses import dataclass, field

from shegong.divisions.models import Division
from shegong.network.models import Unit

from .names import Names


@dataclass
class Demo:
    """The district being seeded, its one random source (seeded with the district code, so
    a run is deterministic), the day the seed runs in the district's time zone, and the
    certificate numbers handed out so far."""

    district: Division
    rng: random.Random
    today: datetime.date
    names: Names = field(init=False)
    certificates: int = 0

    def __post_init__(self):
        self.names = Names(self.rng)

    def units(self, kind, *, since: str = "operating_on"):
        """The district's units of ``kind`` that have a date in ``since`` (operating, or
        established), in code order."""
        return Unit.objects.filter(
            kind=kind,
            division__code__startswith=self.district.code,
            **{f"{since}__isnull": False},
        ).order_by("division_id")
