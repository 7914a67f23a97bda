"""On a phone (390 px): an overdue visit logged with a photo in four taps or fewer, and a
visit voided with a reason leaving the due computation while staying in its history."""

import datetime
import io
from pathlib import Path

from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from shegong.clients.models import Client
from shegong.clients.schedule import refresh_due
from shegong.visits.models import Visit
from tests.clients.factories import ClientFactory
from tests.conftest import VILLAGE_A1

from .pages import PHONE, log_in, zh_text

SHOTS = Path("/work/shots/D")


def camera_photo() -> bytes:
    image = Image.new("RGB", (2000, 1500), (90, 140, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (29.0, 43.0, 12.0), 3: "E", 4: (106.0, 37.0, 48.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def overdue_client(world, name):
    elder = ClientFactory(name=name, division=world.div[VILLAGE_A1], risk_tier="high")
    Client.objects.filter(pk=elder.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    elder.refresh_from_db()
    refresh_due(elder)
    return elder


def test_log_an_overdue_visit_with_a_photo_in_four_taps(live_server, live_world, open_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    world = live_world
    world.cw_a1.account = world.users.room_a1
    world.cw_a1.save()
    elder = overdue_client(world, "刘奶奶")
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "room_a1")  # lands on the home page: the workbench
    taps = 0
    # The workbench lists the overdue client with a link to log the visit.
    log_link = page.locator(f"a[href^='/clients/{elder.pk}/visits/new/']").first
    expect(log_link).to_be_visible()
    log_link.click()
    taps += 1
    expect(page.locator("#visit-form")).to_be_visible()
    page.screenshot(path=SHOTS / "visit-form-phone.png", full_page=True)
    # The camera: one tap on the photo input, the phone hands back the picture.
    page.locator("input[name=photos]").set_input_files(
        [{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}]
    )
    taps += 1
    page.get_by_role("button", name=zh_text("Save the visit")).click()
    taps += 1
    expect(page.locator(".alert-success")).to_have_text(zh_text("The visit has been recorded."))
    assert taps <= 4, taps
    visit = Visit.objects.get(client=elder)
    assert list(visit.workers.all()) == [world.cw_a1] and visit.latitude is None
    assert visit.photos.count() == 1
    elder.refresh_from_db()
    assert elder.next_visit_due > timezone.localdate()
    page.goto(f"{base}/visits/{visit.pk}/")
    expect(page.locator("#visit-photos img")).to_have_count(1)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#visit-photos img')].every(i => i.naturalWidth > 0)"
    )
    page.screenshot(path=SHOTS / "visit-with-thumbnails-phone.png", full_page=True)


def test_a_voided_visit_leaves_the_due_list_and_stays_in_history(
    live_server, live_world, open_page
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    world = live_world
    elder = overdue_client(world, "陈爷爷")
    from shegong.visits.services import visit_record

    visit = visit_record(
        client=elder,
        actor=world.users.room_a1,
        visited_on=timezone.localdate(),
        mode="phone",
        findings="误录：其实是邻居",
    )
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "room_a1")
    page.goto(f"{base}/visits/due/")
    item = page.locator("#due-list .list-group-item", has_text="陈爷爷")
    expect(item.locator(".state-behind")).to_have_count(0)  # visited today: not overdue
    page.goto(f"{base}/visits/{visit.pk}/")
    page.locator("textarea[name=reason]").fill("录错了对象")
    page.get_by_role("button", name=zh_text("Void this visit")).click()
    expect(page.locator("#void-notice")).to_contain_text("录错了对象")
    expect(page.locator("#visit-history")).to_contain_text("录错了对象")
    page.screenshot(path=SHOTS / "visit-voided-phone.png", full_page=True)
    page.goto(f"{base}/visits/due/")
    expect(item.locator(".state-behind")).to_have_count(1)  # overdue again
    elder.refresh_from_db()
    assert elder.last_visited_on is None and elder.next_visit_due < timezone.localdate()
    assert Visit.objects.filter(client=elder).count() == 0
    assert Visit.all_objects.get(client=elder).history.count() == 2
