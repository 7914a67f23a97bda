"""Two-factor login in a real browser: an administrator without an authenticator enrols
(QR code and key on the page, no script), keeps its recovery codes, then logs in again with
a code, and once with a recovery code."""

import re
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .pages import SHOTS, enter_second_factor, submit_login


def code_from_key(key_text: str) -> str:
    key = key_text.replace(" ", "")
    return f"{TOTP(b32decode(key + '=' * (-len(key) % 8))).token():06d}"


def test_enrol_then_log_in_with_a_code(live_server, live_world, open_page):
    base = live_server.url
    auditor = live_world.users.auditor
    page = open_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    submit_login(page, base, "auditor", PASSWORD)
    expect(page).to_have_url(re.compile(r"/login/two-factor/setup/"))
    # Nothing else is reachable half-logged-in.
    page.goto(f"{base}/audit/")
    expect(page).to_have_url(re.compile(r"/login/two-factor/setup/\?next=%2Faudit%2F"))
    expect(page.locator("#otp-qr svg")).to_be_visible()
    page.screenshot(path=SHOTS / "two-factor-setup.png", full_page=True)
    key = page.locator("#otp-key").inner_text()
    page.locator("#id_otp").fill(code_from_key(key))
    page.locator("form:has(#id_otp) button[type=submit]").click()

    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text().strip()
    page.screenshot(path=SHOTS / "two-factor-recovery-codes.png", full_page=True)
    page.locator("main a.btn-primary").click()
    expect(page).to_have_url(f"{base}/audit/")
    # The CSP let the page render without a violation (no inline script, QR as inline SVG).
    assert not [e for e in errors if "Content Security Policy" in e]

    page.locator("nav form[action='/logout/'] button").click()
    submit_login(page, base, "auditor", PASSWORD)
    auditor.refresh_from_db()
    enter_second_factor(page, base, auditor)
    expect(page).to_have_url(f"{base}/")

    # A recovery code instead of the phone: good once.
    page.locator("nav form[action='/logout/'] button").click()
    submit_login(page, base, "auditor", PASSWORD)
    page.locator("#id_otp").fill(recovery)
    page.locator("form:has(#id_otp) button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")
    page.locator("nav form[action='/logout/'] button").click()
    submit_login(page, base, "auditor", PASSWORD)
    page.locator("#id_otp").fill(recovery)
    page.locator("form:has(#id_otp) button[type=submit]").click()
    expect(page.locator("[data-field=otp]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/two-factor/"))
