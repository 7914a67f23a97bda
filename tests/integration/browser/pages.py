"""What the browser tests share: Chromium's path and flags, the desktop and phone contexts,
the zh-hans text of a message, and signing in."""

from pathlib import Path

from django.utils import translation
from playwright.sync_api import expect

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path("/tmp/shots")
# Users in Chongqing browse in Chinese; Django maps zh-CN to zh-hans.
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}
TIMEOUT_MS = 10_000
EMPTY_TOWN = "500112007"  # 鸳鸯街道: no unit in the world, so the level is the only fault


def zh_text(message):
    """What a zh-hans page shows for ``message``, translated or not."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def submit_login(page, base_url, username, password):
    page.goto(f"{base_url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form:has(#id_password) button[type=submit]").click()


def log_in(page, base_url, username):
    submit_login(page, base_url, username, PASSWORD)
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("nav.navbar")).to_be_visible()
