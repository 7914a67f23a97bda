"""The demo administrators' second factor, kept in var/demo-otp.txt (0600) next to
var/demo-password.txt: the TOTP secret (base32, to type into an authenticator app) and an
otpauth:// URI per account. ``manage.py demo_otp`` prints the current code from it."""

import secrets
import stat
from base64 import b32decode, b32encode
from pathlib import Path

from django.conf import settings

from shegong.access.services import totp_device_of

from .accounts import enrol_two_factor

FILE_NAME = "demo-otp.txt"


def otp_file() -> Path:
    return Path(settings.VAR_DIR) / FILE_NAME


def read_secret() -> str | None:
    """The base32 secret recorded in var/demo-otp.txt, if any."""
    path = otp_file()
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        if line.startswith("secret:"):
            return line.split(":", 1)[1].strip()
    return None


def _hex(secret_b32: str) -> str:
    padded = secret_b32 + "=" * (-len(secret_b32) % 8)
    return b32decode(padded).hex()


def seed_two_factor() -> tuple[str, list]:
    """Enrol the demo administrators with the recorded secret (a new one the first time, or
    when the file is gone) and rewrite the file; returns (secret, accounts enrolled)."""
    secret = read_secret()
    replace = secret is None
    if replace:
        secret = b32encode(secrets.token_bytes(20)).decode().rstrip("=")
    users = enrol_two_factor(_hex(secret), replace=replace)
    if not users:
        return secret, []
    lines = [
        "# Second factor of the demo administrators (shegong `make run`): add the secret",
        "# to an authenticator app (time-based, 6 digits, 30 s), or scan an otpauth URI as",
        "# a QR code; `manage.py demo_otp` prints the current code.",
        f"secret: {secret}",
        *(f"uri {user.username}: {totp_device_of(user).config_url}" for user in users),
    ]
    path = otp_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return secret, users


def current_code() -> str | None:
    """The code the recorded secret gives now."""
    from django_otp.oath import totp

    secret = read_secret()
    if secret is None:
        return None
    return f"{totp(bytes.fromhex(_hex(secret))):06d}"
