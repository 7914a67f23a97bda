"""The workbench on a phone (issue 10 item 1) and sessions that do not lose work (item 6):
the idle warning with its countdown and "stay logged in", and a form's draft kept through
an idle logout (sensitive fields never kept)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.clients.factories import ClientFactory
from tests.conftest import PASSWORD

from .pages import PHONE, log_in, zh_text

SHOTS = Path("/work/shots/A")


def test_room_worker_home_shows_an_overdue_visit_and_only_openable_menu_entries(
    live_server, live_world, open_page
):
    from shegong.clients.models import Client

    elder = ClientFactory(name="刘奶奶", id_missing_reason="暂未提供", risk_tier="high")
    Client.objects.filter(pk=elder.pk).update(next_visit_due="2024-01-01")
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "room_a1")
    item = page.locator("#wb-visits_due .list-group-item", has_text="刘奶奶")
    expect(item.locator(".state-behind")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "test-room-workbench-phone.png", full_page=True)
    page.locator("nav .navbar-toggler").click()
    nav = page.locator("nav")
    expect(nav.locator("a[href='/coverage/']")).to_have_count(0)  # 无权访问 for a room
    expect(nav.locator("a[href='/api/v1/docs/']")).to_have_count(0)
    expect(nav.locator("a[href='/referrals/']")).to_be_visible()
    item.get_by_role("link", name=zh_text("Record a visit")).click()
    expect(page).to_have_url(re.compile(rf"/clients/{elder.pk}/visits/new/"))


@pytest.fixture
def short_session(settings):
    """Sessions that end after 20 idle seconds: the warning shows from the 10th."""
    settings.SESSION_COOKIE_AGE = 20


def test_idle_warning_counts_down_and_stay_logged_in_refreshes(
    live_server, live_world, open_page, short_session
):
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "room_a1")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_visible(timeout=15_000)
    expect(warning).to_contain_text(re.compile(r"\d+"))
    page.screenshot(path=SHOTS / "test-idle-warning-phone.png")
    page.locator("#idle-stay").click()
    expect(warning).to_have_count(0)
    # Refreshed: past the first deadline the page is still there, and still logged in.
    page.wait_for_timeout(12_000)
    expect(page).to_have_url(f"{base}/")
    page.locator("#idle-stay").click()
    page.goto(f"{base}/clients/")
    expect(page).to_have_url(f"{base}/clients/")


def test_a_draft_survives_an_idle_logout_without_its_sensitive_fields(
    live_server, live_world, open_page, short_session
):
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "room_a1")
    page.goto(f"{base}/clients/new/")
    page.locator("input[name=name]").fill("草稿老人")
    page.locator("input[name=address]").fill("五星路12号")
    page.locator("input[name=phone]").fill("13800138000")
    page.locator("input[name=id_number]").fill("500112194901010011")
    # The session runs out: the page goes to the login page, which comes back here.
    expect(page).to_have_url(re.compile(r"/login/\?next=%2Fclients%2Fnew%2F"), timeout=30_000)
    stored = page.evaluate("JSON.stringify(window.localStorage)")
    assert "五星路12号" in stored
    assert "13800138000" not in stored and "500112194901010011" not in stored
    # Log in on the page it went to (which keeps ?next=).
    page.locator("#id_username").fill("room_a1")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    expect(page).to_have_url(f"{base}/clients/new/")
    expect(page.locator(".draft-restored")).to_have_text(
        re.compile(re.escape(zh_text("A draft you had not submitted has been restored.")))
    )
    expect(page.locator("input[name=name]")).to_have_value("草稿老人")
    expect(page.locator("input[name=address]")).to_have_value("五星路12号")
    expect(page.locator("input[name=phone]")).to_have_value("")
    page.screenshot(path=SHOTS / "test-draft-restored-phone.png", full_page=True)
    # Discarded, it does not come back.
    page.locator(".draft-restored button").click()
    expect(page.locator("input[name=name]")).to_have_value("")
    page.reload()
    expect(page.locator(".draft-restored")).to_have_count(0)
