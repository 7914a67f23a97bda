"""Referrals: every transition legal and illegal, who may decide, the adjacency rule."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.referrals import services
from shegong.referrals.models import Referral, Status
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_a1(world):
    return make(world, name="刘奶奶", village=VILLAGE_A1)


def refer(world, client, **overrides):
    """Room A1 refers ``client`` up to station A, consent checked."""
    data = {"actor": world.users.room_a1, "from_unit": world.room_a1, "to_unit": world.station_a}
    return ReferralFactory(client=client, **{**data, **overrides})


def test_a_room_refers_up_to_its_station(world, client_a1):
    referral = refer(world, client_a1)
    assert referral.status == Status.PENDING and referral.due_at > referral.created_at


@pytest.mark.parametrize(
    "target, ok",
    [("station_a", True), ("station_b", False), ("center", False), ("room_a2", False)],
)
def test_only_the_unit_above_or_below(world, client_a1, target, ok):
    if ok:
        refer(world, client_a1, to_unit=getattr(world, target))
    else:
        with pytest.raises(ValidationError) as exc:
            refer(world, client_a1, to_unit=getattr(world, target))
        assert "to_unit" in exc.value.message_dict


def test_downward_assignment_and_external_referral(world, client_a1):
    down = refer(
        world,
        client_a1,
        actor=world.users.station_a,
        from_unit=world.station_a,
        to_unit=world.room_a1,
    )
    assert down.to_unit == world.room_a1
    out = refer(
        world, client_a1, to_unit=None, external_kind="hospital", external_name="区人民医院"
    )
    assert out.to_unit is None


def test_consent_and_reason_are_required(world, client_a1):
    with pytest.raises(ValidationError) as exc:
        refer(world, client_a1, consent_checked=False, reason="")
    assert {"consent_checked", "reason"} <= set(exc.value.message_dict)


TARGETS = [Status.PENDING, Status.ACCEPTED, Status.DECLINED, Status.COMPLETED, Status.CANCELLED]


@pytest.mark.parametrize("start, target", list(itertools.product(TARGETS, TARGETS)))
def test_transition_matrix(world, client_a1, start, target):
    referral = refer(world, client_a1)
    Referral.objects.filter(pk=referral.pk).update(status=start)
    referral.refresh_from_db()  # a step compares the status it read with the stored one
    actor = world.users.room_a1 if target == Status.CANCELLED else world.users.station_a
    legal = target in services.TRANSITIONS.get(start, set())
    if legal:
        done = services.referral_transition(
            referral=referral, to_status=target, actor=actor, note="理由说明"
        )
        assert done.status == target
    else:
        with pytest.raises(ValidationError):
            services.referral_transition(referral=referral, to_status=target, actor=actor, note="x")
        assert Referral.objects.get(pk=referral.pk).status == start


def test_only_the_receiver_decides_and_only_the_sender_cancels(world, client_a1):
    referral = refer(world, client_a1)
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            referral=referral, to_status="accepted", actor=world.users.room_a1
        )
    with pytest.raises(PermissionDenied):
        services.referral_transition(
            referral=referral, to_status="cancelled", actor=world.users.station_a
        )
    with pytest.raises(ValidationError) as exc:
        services.referral_transition(
            referral=referral, to_status="declined", actor=world.users.station_a, note=""
        )
    assert "note" in exc.value.message_dict
    accepted = services.referral_transition(
        referral=referral, to_status="accepted", actor=world.users.station_a
    )
    assert accepted.decided_by == world.users.station_a
