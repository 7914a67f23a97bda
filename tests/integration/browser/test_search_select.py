"""The service-record form on a phone (issue 10 item 3): searchable selects that find a
client by pinyin initials, the unit and today preselected, the items of the chosen field
only, the whole form within two phone screens."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.clients.factories import ClientFactory

from .pages import PHONE, SHOTS, log_in, zh_text

# Where the coordinator collects this helper's screenshots (if the folder can be made).
REVIEW_SHOTS = Path("/work/shots/C")


def shot(page, name):
    page.screenshot(path=SHOTS / name, full_page=True)
    try:
        REVIEW_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=REVIEW_SHOTS / name, full_page=True)
    except OSError:
        pass


def pick(page, select_id, typed, text):
    """Type into a searchable select and click the option showing ``text``."""
    control = page.locator(f"#{select_id}-ts-control")
    control.click()  # a tap: the select before it gives up its dropdown
    control.press_sequentially(typed)
    page.locator(f"#{select_id}-ts-dropdown .option", has_text=text).click()


@pytest.fixture
def patient_expect():
    """Assertions wait longer than Playwright's 5 s: the suite shares two cores."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def test_record_a_service_with_searchable_selects_on_a_phone(
    live_server, live_world, open_page, patient_expect
):
    from shegong.records.models import ServiceField, ServiceRecord

    elder = ClientFactory(name="张三丰", id_missing_reason="暂未提供")
    ClientFactory(name="张无忌", id_missing_reason="暂未提供")
    elderly = ServiceField.objects.get(code="elderly")
    item = elderly.items.first()
    other_item = ServiceField.objects.get(code="children").items.first()
    base = live_server.url
    page = open_page(**PHONE)
    page.set_default_timeout(30_000)  # two shared cores: typing waits on the server
    page.set_default_navigation_timeout(60_000)
    log_in(page, base, "room_a1")
    page.goto(f"{base}/service-records/new/")
    # The room worker's only unit and today are there already.
    expect(page.locator("#id_unit")).to_have_value(str(live_world.room_a1.pk))
    expect(page.locator("#id_served_on")).not_to_have_value("")
    # No field chosen: no items; the elderly field: its items only.
    expect(page.locator(f"input[name=items][value='{item.pk}']")).to_be_hidden()
    page.locator("#id_method").select_option("visit")
    page.locator("#id_field").select_option(str(elderly.pk))
    expect(page.locator(f"input[name=items][value='{other_item.pk}']")).to_be_hidden()
    page.locator(f"input[name=items][value='{item.pk}']").check()
    pick(page, "id_clients", "zsf", "张三丰")
    expect(page.locator("#id_clients-ts-dropdown .option", has_text="张无忌")).to_have_count(0)
    pick(page, "id_workers", "李", "李网格")
    page.locator("textarea[name=notes]").fill("上门探访，协助联系送餐")
    page.locator("#id_notes").click()  # close the dropdown before measuring
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2 * PHONE["viewport"]["height"], height
    shot(page, "service-record-form-phone.png")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_have_text(zh_text("The service has been recorded."))
    record = ServiceRecord.objects.get()
    assert list(record.clients.all()) == [elder]
    assert list(record.workers.all()) == [live_world.cw_a1]
    assert record.unit == live_world.room_a1 and list(record.items.all()) == [item]
