"""What the browser tests share: Chromium's path and flags, the desktop and phone contexts,
the zh-hans text of a message, and signing in."""

import re
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


def fresh_code(user) -> str:
    """A code of ``user``'s authenticator that django-otp has not taken yet: each 30-second
    step's code logs in once, and the next step's is accepted too (tolerance 1)."""
    import time

    from shegong.access.services import totp_device_of
    from tests.conftest import otp_code

    device = totp_device_of(user)
    now = int((time.time() - device.t0) // device.step)
    return otp_code(user, step_offset=max(0, device.last_t + 1 - now))


def enter_second_factor(page, base_url, user):
    """On the second-factor page after the password, type the authenticator's code."""
    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/login/two-factor/"))
    page.locator("#id_otp").fill(fresh_code(user))
    page.locator("form:has(#id_otp) button[type=submit]").click()


def log_in(page, base_url, username):
    """Log in through the form; an administrator (accounts need two factors) also types the
    code of the authenticator it is enrolled with (enrolled here if it has none)."""
    from shegong.access.models import User
    from shegong.access.services import requires_two_factor, totp_device_of, totp_enrol_with_key

    user = User.objects.get(username=username)
    second_factor = requires_two_factor(user)
    if second_factor and totp_device_of(user) is None:
        totp_enrol_with_key(user=user)
    submit_login(page, base_url, username, PASSWORD)
    if second_factor:
        enter_second_factor(page, base_url, user)
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("nav.navbar")).to_be_visible()


def change_password(page, old, new):
    """Fill the change-password page (forced after a password somebody else set)."""
    page.locator("#id_old_password").fill(old)
    page.locator("#id_new_password").fill(new)
    page.locator("#id_new_password_again").fill(new)
    page.locator("form:has(#id_old_password) button[type=submit]").click()
