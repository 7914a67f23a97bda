"""Unit rules: kind matches the division level, one live unit per division, a dated
lifecycle that only moves forward."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from shegong.network import services
from shegong.network.models import Unit, UnitKind, UnitStatus, UnitStatusChange
from tests.conftest import TOWN_A, VILLAGE_A1, D
from tests.network.factories import UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def errors_of(exc) -> dict:
    return exc.value.message_dict


def test_room_on_a_town_code_is_refused(world):
    before = Unit.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=None, kind=UnitKind.ROOM, division=world.div["500112007"], name="错误的工作室"
        )
    assert "village / community code" in errors_of(exc)["division"][0]
    assert Unit.objects.count() == before


def test_station_on_a_village_code_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=None, kind=UnitKind.STATION, division=world.div["500112007001"], name="错误"
        )
    assert "town / street code" in errors_of(exc)["division"][0]


def test_second_live_unit_on_a_division_is_refused_and_nothing_written(world):
    before = (Unit.objects.count(), UnitStatusChange.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=None,
            kind=UnitKind.ROOM,
            division=world.div[VILLAGE_A1],
            name="第二个工作室",
            established_on=D(2022, 1, 1),
        )
    assert "already has a live unit: 五星路社区社会工作室" in errors_of(exc)["division"][0]
    assert (Unit.objects.count(), UnitStatusChange.objects.count()) == before


def test_a_closed_unit_frees_its_division(world):
    services.unit_transition(
        unit=world.room_a1, to_status=UnitStatus.CLOSED, effective_on=D(2023, 1, 1), actor=None
    )
    new = UnitFactory(division=world.div[VILLAGE_A1], name="新工作室", established_on=D(2023, 2, 1))
    assert new.status == UnitStatus.ESTABLISHED


def test_database_constraint_backs_the_rule(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(kind=UnitKind.STATION, division=world.div[TOWN_A], name="绕过服务层")


def refused_room(world, code="500112002003", *, actor=None, **fields) -> dict:
    """The field errors of registering a room on ``code`` with ``fields``."""
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=actor, kind=UnitKind.ROOM, division=world.div[code], name="x", **fields
        )
    return errors_of(exc)


def test_contracted_unit_needs_an_agency(world):
    assert "agency" in refused_room(world, operating_mode="contracted")


def test_lifecycle_moves_one_step_at_a_time_and_keeps_history(world):
    room = world.room_a2
    assert services.allowed_transitions(room) == [UnitStatus.OPERATING, UnitStatus.CLOSED]
    with pytest.raises(ValidationError) as exc:
        services.unit_transition(
            unit=room,
            to_status=UnitStatus.DEMONSTRATION,
            effective_on=D(2023, 1, 1),
            actor=None,
        )
    assert "status" in errors_of(exc)
    services.unit_transition(
        unit=room, to_status=UnitStatus.OPERATING, effective_on=D(2022, 6, 1), actor=None
    )
    services.unit_transition(
        unit=room, to_status=UnitStatus.DEMONSTRATION, effective_on=D(2024, 6, 1), actor=None
    )
    room.refresh_from_db()
    assert (room.status, room.operating_on, room.demonstration_on) == (
        UnitStatus.DEMONSTRATION,
        D(2022, 6, 1),
        D(2024, 6, 1),
    )
    steps = list(room.status_changes.values_list("status", "effective_on"))
    assert steps == [
        ("established", D(2021, 10, 1)),
        ("operating", D(2022, 6, 1)),
        ("demonstration", D(2024, 6, 1)),
    ]
    assert room.history.count() >= 3


def test_lifecycle_dates_cannot_go_backwards_or_into_the_future(world):
    with pytest.raises(ValidationError) as exc:
        services.unit_transition(
            unit=world.room_a2,
            to_status=UnitStatus.OPERATING,
            effective_on=D(2021, 1, 1),
            actor=None,
        )
    assert "effective_on" in errors_of(exc)
    tomorrow = localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.unit_transition(
            unit=world.room_a2, to_status=UnitStatus.OPERATING, effective_on=tomorrow, actor=None
        )
    assert "effective_on" in errors_of(exc)


def test_create_with_out_of_order_dates_is_refused(world):
    dates = {"established_on": D(2022, 5, 1), "operating_on": D(2022, 1, 1)}
    assert "operating_on" in refused_room(world, **dates)


def test_closed_unit_cannot_transition(world):
    services.unit_transition(
        unit=world.room_b1, to_status=UnitStatus.CLOSED, effective_on=D(2023, 1, 1), actor=None
    )
    world.room_b1.refresh_from_db()
    assert services.allowed_transitions(world.room_b1) == []


def test_actor_cannot_register_outside_its_scope(world):
    assert "division" in refused_room(world, "500112004004", actor=world.users.station_a)


def test_update_records_who_changed_what(world):
    services.unit_update(unit=world.room_a1, actor=world.users.district, phone="023-12345678")
    latest = world.room_a1.history.first()
    assert latest.history_user == world.users.district
    assert latest.phone == "023-12345678"
