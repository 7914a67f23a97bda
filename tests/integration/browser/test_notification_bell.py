"""The notification centre on a phone (issue 10 item 10): the bell with its unread count
in the navigation bar, the list, and marking read; a crisis-word alert for review on the
alert list. Screenshots in /work/shots/J/."""

import datetime
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from shegong.clients.models import Client
from shegong.reminders.services import send_reminders
from tests.clients.factories import ClientFactory
from tests.conftest import VILLAGE_A1
from tests.referrals.factories import ReferralFactory
from tests.visits.factories import VisitFactory

from .pages import DESKTOP, PHONE, log_in

SHOTS = Path("/work/shots/J")


def test_the_bell_counts_and_the_centre_lists_on_a_phone(
    live_server, live_world, open_page, settings
):
    from shegong.divisions.models import Division

    settings.SHEGONG_DIGEST_HOUR = 24  # no digest: the counts below are the reminders

    world, village = live_world, Division.objects.get(code=VILLAGE_A1)
    high = ClientFactory(name="张三丰", division=village, risk_tier="high", id_missing_reason="x")
    Client.objects.filter(pk=high.pk).update(
        next_visit_due=timezone.localdate() - datetime.timedelta(days=4)
    )
    referred = ClientFactory(name="李小红", division=village, id_missing_reason="x")
    referral = ReferralFactory(
        client=referred,
        actor=world.users.room_a1,
        from_unit=world.room_a1,
        to_unit=world.station_a,
        urgency="urgent",
    )
    type(referral).objects.filter(pk=referral.pk).update(
        due_at=timezone.now() + datetime.timedelta(hours=2)
    )
    VisitFactory(client=referred, actor=world.users.room_a1, findings="她说活着没意思，想自杀")
    send_reminders(deliver=False)

    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "station_a")
    bell = page.locator("#notification-bell")
    expect(bell).to_be_visible()  # outside the collapsed menu, on a phone
    expect(bell.locator(".badge")).to_have_text("2")
    page.screenshot(path=str(SHOTS / "bell-phone.png"))
    bell.click()
    expect(page.locator("#notifications .list-group-item")).to_have_count(2)
    expect(page.locator("#notifications")).to_contain_text("李*红")
    expect(page.locator("#notifications")).not_to_contain_text("李小红")
    page.screenshot(path=str(SHOTS / "notifications-phone.png"), full_page=True)
    page.locator("#notifications .list-group-item").first.get_by_role(
        "button", name="标为已读"
    ).click()
    expect(page.locator("#notification-bell .badge")).to_have_text("1")
    page.goto(f"{base}/alerts/")
    expect(page.locator("#alerts")).to_contain_text("自杀")
    expect(page.get_by_role("button", name="排除")).to_be_visible()
    page.screenshot(path=str(SHOTS / "alerts-review-phone.png"), full_page=True)

    desk = open_page(**DESKTOP)
    log_in(desk, base, "room_a1")
    expect(desk.locator("#notification-bell .badge")).to_have_text("1")
    desk.goto(f"{base}/notifications/")
    desk.screenshot(path=str(SHOTS / "notifications-desktop.png"), full_page=True)
