"""What is due, computed and sent by `manage.py send_reminders` (issue 10 item 10): each
reminder to the right people, names masked, once a day, and a daily digest per person."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from shegong.cases import services as case_services
from shegong.clients.models import Client
from shegong.notifications.models import Kind, Notification
from shegong.reminders.services import send_reminders
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1
from tests.referrals.factories import ReferralFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def _kinds(user):
    return set(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_reminders_reach_the_people_responsible(world, settings):
    settings.SHEGONG_DIGEST_HOUR = 0
    today = timezone.localdate()
    high = make(world, name="张三丰", village=VILLAGE_A1, risk_tier="high")
    Client.objects.filter(pk=high.pk).update(next_visit_due=today - datetime.timedelta(days=3))
    referred = make(world, name="李四", village=VILLAGE_A1)
    referral = ReferralFactory(
        client=referred,
        actor=world.users.room_a1,
        from_unit=world.room_a1,
        to_unit=world.station_a,
        urgency="urgent",
    )
    type(referral).objects.filter(pk=referral.pk).update(
        due_at=timezone.now() + datetime.timedelta(hours=3)
    )
    closing = make(world, name="王小明", village=VILLAGE_A1)
    case = CaseFactory(
        client=closing, actor=world.users.room_a1, unit=world.room_a1, case_worker=world.cw_a1
    )
    case_services.case_request_closure(case=case, actor=world.users.room_a1, reason="withdrew")

    counts = send_reminders()
    assert counts["notifications"] >= 3

    room, station = world.users.room_a1, world.users.station_a
    assert Kind.OVERDUE_VISIT in _kinds(room)
    overdue = Notification.objects.get(user=room, kind=Kind.OVERDUE_VISIT)
    assert "张*丰" in overdue.body and "张三丰" not in overdue.body and "3" in overdue.body
    referral_note = Notification.objects.get(user=station, kind=Kind.REFERRAL_DUE)
    assert referral_note.title.endswith("李*") and referral_note.url == f"/referrals/{referral.pk}/"
    closure = Notification.objects.get(user=station, kind=Kind.CLOSURE)
    assert "王*明" in closure.title
    # The one who asked for the closure is not asked to approve it; the other town hears nothing.
    assert not Notification.objects.filter(user=room, kind=Kind.CLOSURE).exists()
    assert not Notification.objects.filter(user=world.users.station_b).exists()
    # Each person's digest counts their reminders.
    digest = Notification.objects.get(user=station, kind=Kind.DIGEST)
    assert digest.body.count("\n") == 1

    # Run again the same day: nothing new.
    before = Notification.objects.count()
    again = send_reminders()
    assert again["notifications"] == 0 and again["digests"] == 0
    assert Notification.objects.count() == before


def test_no_digest_before_its_hour(world, settings):
    settings.SHEGONG_DIGEST_HOUR = 24  # never today
    high = make(world, village=VILLAGE_A1, risk_tier="high")
    Client.objects.filter(pk=high.pk).update(
        next_visit_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    send_reminders()
    assert Notification.objects.filter(kind=Kind.OVERDUE_VISIT).exists()
    assert not Notification.objects.filter(kind=Kind.DIGEST).exists()


def test_the_command_runs_and_can_queue(world):
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "notifications=0" in out.getvalue()
    out = io.StringIO()
    call_command("send_reminders", "--queue", stdout=out)
    assert out.getvalue().startswith("queued")
