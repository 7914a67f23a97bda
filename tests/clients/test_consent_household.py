"""Consent records (PIPL art. 31: a guardian's for under-14s) and household members."""

import datetime

import pytest
from django.utils.timezone import localdate

from tests.clients.test_clients import make, valid
from tests.conftest import VILLAGE_A1, VILLAGE_B1

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def child_id() -> str:
    birth = localdate() - datetime.timedelta(days=365 * 9)
    return valid(f"500112{birth:%Y%m%d}123")


def test_a_child_needs_the_guardian_and_cannot_consent_alone(world, client):
    child = make(world, name="小明", number=child_id())
    client.force_login(world.users.room_a1)
    page = client.get(f"/clients/{child.pk}/")
    assert page.context["needs_guardian_consent"]
    today = str(localdate())
    alone = client.post(
        f"/clients/{child.pk}/consents/",
        {"given_by": "小明", "relation": "本人", "purpose": "建档与走访", "given_on": today},
    )
    assert alone.status_code == 400 and alone.context["consent_form"].errors["relation"]
    ok = client.post(
        f"/clients/{child.pk}/consents/",
        {"given_by": "王奶奶", "relation": "祖母", "purpose": "建档与走访", "given_on": today},
    )
    assert ok.status_code == 302
    assert not client.get(f"/clients/{child.pk}/").context["needs_guardian_consent"]


def test_household_members_are_added_in_scope(world, client):
    mine = make(world, name="甲", village=VILLAGE_A1)
    other = make(world, name="乙", village=VILLAGE_B1)
    client.force_login(world.users.room_a1)
    data = {"name": "甲之子", "relation": "儿子", "birth_year": 1975}
    assert client.post(f"/clients/{mine.pk}/household/", data).status_code == 302
    assert [m.name for m in mine.household.all()] == ["甲之子"]
    assert not mine.household.get().lives_with_client
    assert client.post(f"/clients/{other.pk}/household/", data).status_code == 404
    missing = client.post(f"/clients/{mine.pk}/household/", {"name": "", "relation": ""})
    assert missing.status_code == 400
