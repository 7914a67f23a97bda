"""Re-encrypt every encrypted column (history tables included) under a new field key and
recompute the keyed look-up hashes, in one transaction.

    SHEGONG_NEW_FIELD_KEY=<base64> manage.py rotate_field_key      # or --new-key-file PATH
    manage.py rotate_field_key --generate-into PATH                # a fresh key, 0600

Stop the app servers and the worker first; afterwards set SHEGONG_FIELD_KEY to the new key
and start them again. A development checkout's var/field.key is replaced in place.
"""

import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from shegong.common import crypto


def encrypted_columns():
    """(model, [field, ...]) for every model, historical ones too, with encrypted fields."""
    for model in apps.get_models():
        fields = [
            f for f in model._meta.concrete_fields if isinstance(f, crypto.EncryptedTextField)
        ]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column under a new field key (key rotation)."

    def add_arguments(self, parser):
        parser.add_argument("--new-key-file", help="file holding the new key (base64)")
        parser.add_argument(
            "--generate-into", help="write a freshly generated key to this file and use it"
        )

    def handle(self, *args, new_key_file=None, generate_into=None, **options):
        raw = self._new_key(new_key_file, generate_into)
        try:
            new = crypto.field_key(raw)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        old = crypto.current_key()
        if new.id == old.id:
            raise CommandError("The new key is the current key.")
        counts = self._rotate(old, new)
        self._replace_dev_key(raw)
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Field key {old.hex_id} -> {new.hex_id}. Set SHEGONG_FIELD_KEY to the new key "
                "before starting the servers; keep the old one until a backup under the new "
                "key exists."
            )
        )

    def _new_key(self, new_key_file, generate_into):
        if generate_into:
            path = Path(generate_into)
            if path.exists():
                raise CommandError(f"{path} exists; choose a new file.")
            raw = crypto.generate_key()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(raw + "\n")
            return raw
        if new_key_file:
            return Path(new_key_file).read_text().strip()
        raw = os.environ.get("SHEGONG_NEW_FIELD_KEY", "").strip()
        if not raw:
            raise CommandError(
                "Give the new key: SHEGONG_NEW_FIELD_KEY, --new-key-file or --generate-into."
            )
        return raw

    @transaction.atomic
    def _rotate(self, old, new) -> dict[str, int]:
        quote = connection.ops.quote_name
        counts = {}
        with connection.cursor() as cursor:
            for model, fields in encrypted_columns():
                table, pk = model._meta.db_table, model._meta.pk.column
                columns = ", ".join(quote(f.column) for f in fields)
                cursor.execute(f"SELECT {quote(pk)}, {columns} FROM {quote(table)}")
                rows = cursor.fetchall()
                assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
                update = f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s"
                for pk_value, *blobs in rows:
                    values = [
                        None if b is None else crypto.encrypt(crypto.decrypt(b, old), new)
                        for b in blobs
                    ]
                    cursor.execute(update, [*values, pk_value])
                counts[table] = len(rows)
            for model, source, hash_field, empty in crypto.LOOKUPS:
                table, pk = model._meta.db_table, model._meta.pk.column
                source_col = model._meta.get_field(source).column
                hash_col = model._meta.get_field(hash_field).column
                cursor.execute(f"SELECT {quote(pk)}, {quote(source_col)} FROM {quote(table)}")
                update = f"UPDATE {quote(table)} SET {quote(hash_col)} = %s WHERE {quote(pk)} = %s"
                for pk_value, blob in cursor.fetchall():
                    text = crypto.decrypt(blob, new) if blob is not None else ""
                    digest = crypto.lookup_hash(text.strip(), new) if text else empty
                    cursor.execute(update, [digest, pk_value])
        return counts

    def _replace_dev_key(self, raw):
        """A development checkout reads var/field.key: put the new key there."""
        path = Path(settings.VAR_DIR) / "field.key"
        if settings.DEBUG and not os.environ.get("SHEGONG_FIELD_KEY") and path.exists():
            tmp = path.with_name(f".{path.name}.new")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(raw)
            tmp.replace(path)
            self.stdout.write(f"Wrote the new key to {path}.")
