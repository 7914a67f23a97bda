"""Referrals through the API and the pages: scoped, the inbox, decisions by the receiver."""

import pytest

from shegong.referrals.models import Referral
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_B1, api_for

pytestmark = pytest.mark.django_db


def test_room_refers_up_and_the_station_accepts(world):
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    room = api_for(world.users.room_a1)
    sent = room.post(
        "/api/v1/referrals/",
        {
            "client": elder.pk,
            "from_unit": world.room_a1.pk,
            "to_unit": world.station_a.pk,
            "reason": "需要心理疏导",
            "urgency": "urgent",
            "consent_checked": True,
        },
        format="json",
    )
    assert sent.status_code == 201, sent.json()
    pk = sent.json()["id"]
    station = api_for(world.users.station_a)
    assert [r["id"] for r in station.get("/api/v1/referrals/inbox/").json()["results"]] == [pk]
    assert room.get("/api/v1/referrals/inbox/").json()["results"] == []
    refused = room.post(f"/api/v1/referrals/{pk}/transition/", {"status": "accepted"})
    assert refused.status_code == 403
    ok = station.post(f"/api/v1/referrals/{pk}/transition/", {"status": "accepted"})
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    illegal = station.post(f"/api/v1/referrals/{pk}/transition/", {"status": "pending"})
    assert illegal.status_code == 400


def test_referrals_are_scoped(world):
    other = make(world, name="回兴居民", village=VILLAGE_B1)
    referral = api_for(world.users.station_b).post(
        "/api/v1/referrals/",
        {
            "client": other.pk,
            "from_unit": world.station_b.pk,
            "to_unit": world.room_b1.pk,
            "reason": "派单：入户核查",
            "consent_checked": True,
        },
        format="json",
    )
    assert referral.status_code == 201, referral.json()
    pk = referral.json()["id"]
    assert api_for(world.users.room_a1).get(f"/api/v1/referrals/{pk}/").status_code == 404
    assert api_for(world.users.district).get(f"/api/v1/referrals/{pk}/").status_code == 200
    wrong = api_for(world.users.station_a).post(
        "/api/v1/referrals/",
        {
            "client": other.pk,
            "from_unit": world.station_a.pk,
            "to_unit": world.center.pk,
            "reason": "越界",
            "consent_checked": True,
        },
        format="json",
    )
    assert wrong.status_code == 400 and "client" in wrong.json()


def test_referral_pages(world, client):
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    client.force_login(world.users.room_a1)
    form = client.get(f"/clients/{elder.pk}/refer/")
    assert [u.pk for u in form.context["form"].fields["to_unit"].queryset] == [world.station_a.pk]
    sent = client.post(
        f"/clients/{elder.pk}/refer/",
        {
            "from_unit": world.room_a1.pk,
            "to_unit": world.station_a.pk,
            "reason": "需要心理疏导",
            "urgency": "normal",
            "consent_checked": "on",
        },
    )
    assert sent.status_code == 302
    referral = Referral.objects.get()
    station = client.__class__()
    station.force_login(world.users.station_a)
    assert [r.pk for r in station.get("/referrals/").context["inbox"]] == [referral.pk]
    declined = station.post(f"/referrals/{referral.pk}/declined/", {"note": ""})
    assert declined.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "pending"  # a decline needs its reason
    station.post(f"/referrals/{referral.pk}/declined/", {"note": "已由社区跟进"})
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.decision_note == "已由社区跟进"


def test_only_sender_sees_cancel_and_only_receiver_sees_decisions(world, client):
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    from shegong.referrals.services import referral_create

    referral = referral_create(
        actor=world.users.room_a1,
        client=elder,
        from_unit=world.room_a1,
        to_unit=world.station_a,
        reason="需要心理疏导",
        consent_checked=True,
    )
    for persona, decide, cancel in [
        ("room_a1", False, True),
        ("station_a", True, False),
        ("district", False, False),
    ]:
        client.force_login(getattr(world.users, persona))
        page = client.get(f"/referrals/{referral.pk}/")
        assert (page.context["can_decide"], page.context["can_cancel"]) == (decide, cancel)
