"""Agencies and units, registered through ``shegong.network.services`` as the pages do, so
every rule (level of the division, one live unit per division, a dated lifecycle) holds."""

import datetime

import factory
from factory.django import DjangoModelFactory

from shegong.divisions.models import Division
from shegong.network import services
from shegong.network.models import KIND_LEVEL, Agency, OperatingMode, Unit, UnitKind

DISTRICT = "500112"  # 渝北区, loaded once per test database (see conftest)
SUFFIX = {
    UnitKind.CENTER: "社会工作指导中心",
    UnitKind.STATION: "社会工作站",
    UnitKind.ROOM: "社会工作室",
}


def district() -> Division:
    return Division.objects.get(code=DISTRICT)


def free_division(kind: str) -> Division:
    """The first division in the district at the level ``kind`` sits on with no live unit."""
    taken = Unit.objects.live().values("division_id")
    return (
        Division.objects.active()
        .filter(level=KIND_LEVEL[kind], code__startswith=DISTRICT)
        .exclude(code__in=taken)
        .order_by("code")
        .first()
    )


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    actor = None
    name = factory.Sequence(lambda n: f"测试社工服务中心{n}")

    @classmethod
    def _create(cls, model_class, actor=None, **data):
        return services.agency_create(actor=actor, **data)


class UnitFactory(DjangoModelFactory):
    """A room by default, on the first free village; ``agency=`` makes it contracted."""

    class Meta:
        model = Unit

    actor = None
    kind = UnitKind.ROOM
    division = factory.LazyAttribute(lambda o: free_division(o.kind))
    name = factory.LazyAttribute(lambda o: o.division.name + SUFFIX[o.kind])
    established_on = datetime.date(2021, 1, 1)
    agency = None
    operating_mode = factory.Maybe(
        "agency",
        yes_declaration=OperatingMode.CONTRACTED,
        no_declaration=OperatingMode.SELF_RUN,
    )

    @classmethod
    def _create(cls, model_class, actor=None, **data):
        return services.unit_create(actor=actor, **data)
