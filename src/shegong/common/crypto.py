"""Sensitive fields at rest: AES-256-GCM with a key kept outside the database, and a keyed
hash (HMAC-SHA256) for exact look-up and duplicate detection without decrypting.

The key is ``settings.SHEGONG_FIELD_KEY`` (base64 of 32 bytes): the environment's in
production, var/field.key in a development checkout (settings refuse to start without one).
Each ciphertext carries the key's id, so a value is never read with the wrong key, and
``manage.py rotate_field_key`` re-encrypts every column (and re-keys the look-up hashes
registered with ``register_lookup``) under a new key. Back the key up apart from the
database: without it the encrypted columns cannot be read.
"""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models

LEGACY = b"\x01"  # version, nonce, ciphertext: written before keys had ids
VERSION = b"\x02"  # version, 4-byte key id, nonce, ciphertext
KEY_ID_BYTES = 4


@dataclass(frozen=True)
class FieldKey:
    id: bytes
    enc: bytes
    mac: bytes

    @property
    def hex_id(self) -> str:
        return self.id.hex()


def field_key(raw: str | bytes) -> FieldKey:
    """The working keys derived from one base64-encoded 32-byte secret."""
    key = base64.b64decode(raw)
    if len(key) != 32:
        raise ValueError("SHEGONG_FIELD_KEY must be 32 bytes, base64-encoded")
    # Separate keys for encryption and hashing, and a public id, derived from the one secret.
    derive = lambda label: hmac.new(key, label, hashlib.sha256).digest()  # noqa: E731
    return FieldKey(
        id=derive(b"shegong-field-key-id")[:KEY_ID_BYTES],
        enc=derive(b"shegong-field-encryption"),
        mac=derive(b"shegong-field-lookup"),
    )


def generate_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@lru_cache(maxsize=1)
def current_key() -> FieldKey:
    return field_key(settings.SHEGONG_FIELD_KEY)


def key_id() -> str:
    """The current field key's id (hex): safe to show, log and store with a backup."""
    return current_key().hex_id


def _forget_key(setting, **kwargs):
    if setting == "SHEGONG_FIELD_KEY":
        current_key.cache_clear()


setting_changed.connect(_forget_key)


def encrypt(text: str, key: FieldKey | None = None) -> bytes:
    key = key or current_key()
    nonce = secrets.token_bytes(12)
    return VERSION + key.id + nonce + AESGCM(key.enc).encrypt(nonce, text.encode(), None)


def blob_key_id(blob: bytes) -> str | None:
    """The id of the key a ciphertext was written with (None for a legacy one)."""
    blob = bytes(blob)
    return blob[1 : 1 + KEY_ID_BYTES].hex() if blob[:1] == VERSION else None


def decrypt(blob: bytes, key: FieldKey | None = None) -> str:
    key = key or current_key()
    blob = bytes(blob)
    if blob[:1] == LEGACY:
        return AESGCM(key.enc).decrypt(blob[1:13], blob[13:], None).decode()
    if blob[:1] != VERSION:
        raise ValueError("unknown encrypted-field version")
    kid, rest = blob[1 : 1 + KEY_ID_BYTES], blob[1 + KEY_ID_BYTES :]
    if kid != key.id:
        raise ValueError(
            f"value encrypted under field key {kid.hex()}, this server has {key.hex_id}"
        )
    return AESGCM(key.enc).decrypt(rest[:12], rest[12:], None).decode()


def lookup_hash(text: str, key: FieldKey | None = None) -> str:
    return hmac.new((key or current_key()).mac, text.encode(), hashlib.sha256).hexdigest()


# Keyed-hash columns to recompute when the key changes: (model, clear field, hash field,
# value when the clear field is empty).
LOOKUPS: list[tuple[type[models.Model], str, str, str | None]] = []


def register_lookup(model, source: str, hash_field: str, empty: str | None = "") -> None:
    """Declare that ``hash_field`` holds ``lookup_hash(source.strip())``, or ``empty`` when
    the source is empty (called from the apps' ready())."""
    LOOKUPS.append((model, source, hash_field, empty))


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
