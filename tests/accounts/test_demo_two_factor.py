"""`make run` keeps working for a newcomer: seed_demo enrols the demo administrators with
one TOTP secret, prints it and keeps it (and otpauth URIs) in var/demo-otp.txt, 0600."""

import re
import stat

import pytest
from django.core.management import call_command

from shegong.access.models import User
from shegong.access.services import totp_device_of

pytestmark = [pytest.mark.django_db, pytest.mark.real_login]


def test_seed_demo_enrols_the_administrators(capsys, settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "500103")
    out = capsys.readouterr().out
    secret = re.search(r"TOTP secret ([A-Z2-7]+)", out).group(1)
    path = tmp_path / "demo-otp.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert f"secret: {secret}" in text
    for username in ("admin", "sysadmin", "secadmin", "auditor"):
        assert f"uri {username}: otpauth://totp/" in text
        user = User.objects.get(username=username)
        assert totp_device_of(user) is not None
        assert not user.must_change_password
    # Staff without administrator roles have no second factor.
    assert totp_device_of(User.objects.get(username="station")) is None

    # The printed code (manage.py demo_otp) completes the login.
    password = (tmp_path / "demo-password.txt").read_text().strip()
    assert client.post("/login/", {"username": "admin", "password": password}).status_code == 302
    assert client.get("/clients/").url.startswith("/login/two-factor/")
    call_command("demo_otp")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    assert client.post("/login/two-factor/", {"otp": code}).status_code == 302
    assert client.get("/clients/").status_code == 200

    # Seeding again keeps the secret the newcomer's app holds.
    call_command("seed_demo", "500103")
    assert f"secret: {secret}" in path.read_text()
