"""The notification centre: the bell's unread count, the page, mark-read, and the API
(own notifications only)."""

import pytest

from shegong.notifications.models import Kind, Notification
from shegong.notifications.services import Message, notify
from tests.conftest import api_for

pytestmark = pytest.mark.django_db


def _note(user, key="k1", title="转介待决定：张*丰"):
    return notify(
        Message(kind=Kind.REFERRAL_DUE, key=key, title=title, url="/referrals/", users=[user])
    )


def test_the_bell_counts_unread_and_the_page_lists_mine(world, client):
    me, other = world.users.room_a1, world.users.station_a
    _note(me)
    _note(me, key="k2", title="个案复查到期：李*")
    _note(other, key="k3", title="别人的")
    client.force_login(me)
    page = client.get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="notification-bell"' in html
    assert "张*丰" in html and "别人的" not in html
    assert [n.user for n in page.context["page"]] == [me, me]
    first = Notification.objects.filter(user=me).first()
    opened = client.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/referrals/"
    assert client.get("/notifications/").context["unread"] == 1
    theirs = Notification.objects.get(user=other)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.get(user=other).read_at is None


def test_same_reminder_is_not_sent_twice_a_day(world):
    me = world.users.room_a1
    assert len(_note(me)) == 1
    assert _note(me) == []
    assert Notification.objects.filter(user=me).count() == 1


def test_messages_never_carry_numbers(world):
    me = world.users.room_a1
    _note(me, title="张*丰 500112194001010028 电话 13812345678")
    title = Notification.objects.get(user=me).title
    assert "500112194001010028" not in title and "13812345678" not in title


def test_api_lists_and_marks_only_my_own(world):
    me, other = world.users.room_a1, world.users.station_a
    _note(me)
    _note(other, key="x")
    api = api_for(me)
    listed = api.get("/api/v1/notifications/").json()
    assert listed["count"] == 1 and listed["results"][0]["title"] == "转介待决定：张*丰"
    assert api.get("/api/v1/notifications/unread/").json() == {"unread": 1}
    theirs = Notification.objects.get(user=other)
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    mine = Notification.objects.get(user=me)
    assert api.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read_at"]
    assert api.get("/api/v1/notifications/?unread=1").json()["count"] == 0
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
