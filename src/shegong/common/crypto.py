"""Sensitive fields at rest: AES-256-GCM with a key kept outside the database, and a keyed
hash (HMAC-SHA256) for exact look-up and duplicate detection without decrypting.

The key comes from ``SHEGONG_FIELD_KEY`` (base64 of 32 bytes) or, for a single-box
install, from ``var/field.key`` created on first use with mode 0600. Back it up apart from
the database: without it the encrypted columns cannot be read.
"""

import base64
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

VERSION = b"\x01"


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, bytes]:
    raw = os.environ.get("SHEGONG_FIELD_KEY")
    if raw:
        key = base64.b64decode(raw)
    else:
        path = Path(settings.VAR_DIR) / "field.key"
        if not path.exists():
            # Write aside, then link into place: link fails if another process got there
            # first, so every process ends up reading the one complete key.
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".field.key.{os.getpid()}.{secrets.token_hex(4)}")
            tmp.write_bytes(base64.b64encode(secrets.token_bytes(32)))
            tmp.chmod(0o600)
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        key = base64.b64decode(path.read_bytes())
    if len(key) != 32:
        raise ValueError("SHEGONG_FIELD_KEY must be 32 bytes, base64-encoded")
    # Separate keys for encryption and hashing, derived from the one secret.
    enc = hmac.new(key, b"shegong-field-encryption", hashlib.sha256).digest()
    mac = hmac.new(key, b"shegong-field-lookup", hashlib.sha256).digest()
    return enc, mac


def encrypt(text: str) -> bytes:
    nonce = secrets.token_bytes(12)
    return VERSION + nonce + AESGCM(_keys()[0]).encrypt(nonce, text.encode(), None)


def decrypt(blob: bytes) -> str:
    blob = bytes(blob)
    if blob[:1] != VERSION:
        raise ValueError("unknown encrypted-field version")
    return AESGCM(_keys()[0]).decrypt(blob[1:13], blob[13:], None).decode()


def lookup_hash(text: str) -> str:
    return hmac.new(_keys()[1], text.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.BinaryField):
    """Text stored as AES-GCM ciphertext; reads back as ``str``; empty is stored as NULL."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", True)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def to_python(self, value):
        if isinstance(value, bytes | memoryview):
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        if value in (None, ""):
            return None
        return encrypt(str(value))

    def value_to_string(self, obj):
        return ""  # never serialise the clear text (dumpdata, admin history)
