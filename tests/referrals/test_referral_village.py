"""Finding 15: a station's referral down to a room of a village that is not the client's
was accepted and then stuck (the room never sees the client). It is refused on ``to_unit``
by the service, the API and the page; down to the client's own room it goes through."""

import pytest
from django.core.exceptions import ValidationError

from shegong.referrals.models import Referral
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_A2, api_for
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def elder_a2(world):
    """A client of village A2: station A's area, room A2's village, not room A1's."""
    return make(world, name="刘奶奶", village=VILLAGE_A2)


def test_the_service_refuses_a_room_of_another_village(world, elder_a2):
    with pytest.raises(ValidationError) as exc:
        ReferralFactory(
            actor=world.users.station_a,
            client=elder_a2,
            from_unit=world.station_a,
            to_unit=world.room_a1,
        )
    assert list(exc.value.message_dict) == ["to_unit"]
    assert not Referral.objects.exists()
    ok = ReferralFactory(
        actor=world.users.station_a,
        client=elder_a2,
        from_unit=world.station_a,
        to_unit=world.room_a2,
    )
    assert ok.to_unit == world.room_a2


def test_up_to_the_station_and_the_centre_still_go(world):
    elder = make(world, name="王爷爷", village=VILLAGE_A1)
    up = ReferralFactory(
        actor=world.users.station_a, client=elder, from_unit=world.station_a, to_unit=world.center
    )
    assert up.to_unit == world.center


def test_the_api_refuses_it_on_to_unit(world, elder_a2):
    response = api_for(world.users.station_a).post(
        "/api/v1/referrals/",
        {
            "client": elder_a2.pk,
            "from_unit": world.station_a.pk,
            "to_unit": world.room_a1.pk,
            "reason": "需要入户探访",
            "consent_checked": True,
        },
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["to_unit"]
    assert not Referral.objects.exists()


def test_the_page_neither_offers_nor_accepts_it(world, client, elder_a2):
    client.force_login(world.users.station_a)
    url = f"/clients/{elder_a2.pk}/refer/"
    offered = client.get(url).context["form"].fields["to_unit"].queryset
    assert world.room_a1 not in offered and world.room_a2 in offered
    response = client.post(
        url,
        {
            "from_unit": world.station_a.pk,
            "to_unit": world.room_a1.pk,
            "reason": "需要入户探访",
            "urgency": "normal",
            "consent_checked": "on",
        },
    )
    assert list(response.context["form"].errors) == ["to_unit"]
    assert not Referral.objects.exists()
