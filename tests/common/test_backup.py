"""Backups (issue 9): ``manage.py backup`` and ``manage.py restore`` round-trip a populated
database and its uploads, encrypted columns read back under the same field key; a backup
holds no key; restoring is refused under another key id, from another vendor, from a damaged
backup, and over a database that holds anything unless forced.

The round trip backs up this test's database (committed: pg_dump is another session) and
restores it, through ``manage.py`` in a subprocess as an operator would, into a database of
its own: a new SQLite file, or a PostgreSQL database created and dropped here.
"""

import base64
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from shegong.clients.models import Client
from shegong.common import backup, crypto
from shegong.records.services import attachment_add
from tests.clients.factories import ClientFactory
from tests.conftest import build_world, ensure_divisions
from tests.records.factories import ServiceRecordFactory

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"backup-test-attachment"
ID_NUMBER = "500112194001010022"
OTHER_KEY = base64.b64encode(b"O" * 32).decode()
READ_BACK = """
import json
from shegong.clients.models import Client
from shegong.records.models import Attachment
client = Client.objects.get(name="备份测试")
attachment = Attachment.objects.get(record__clients=client)
print(json.dumps({
    "id_number": client.id_number, "phone": client.phone, "health_notes": client.health_notes,
    "history": [h.health_notes for h in client.history.order_by("history_id")],
    "file": attachment.file.name, "content": attachment.file.read().hex(),
}))
"""
ALTER = """
from shegong.clients.models import Client
from shegong.records.models import Attachment
Client.objects.filter(name="备份测试").update(health_notes=None)
for attachment in Attachment.objects.all():
    attachment.file.delete()
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module", autouse=True)
def restore_divisions(django_db_blocker):
    """The round trip commits and its flush empties every table: put the divisions back."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def populate():
    """A client with encrypted fields (and a second history row), served with a photo."""
    world = build_world()
    client = ClientFactory(
        name="备份测试", id_number=ID_NUMBER, phone="13800001111", health_notes="高血压"
    )
    client.health_notes = "高血压, 糖尿病"
    client.save()
    record = ServiceRecordFactory(unit=world.room_a1, clients=[client], actor=world.users.room_a1)
    attachment_add(
        record=record,
        upload=SimpleUploadedFile("visit.png", PNG),
        kind="photo",
        actor=world.users.room_a1,
    )
    return client


# -- a separate database to restore into ------------------------------------------------------


def pg_admin(settings_dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


@pytest.fixture
def target(tmp_path):
    """DATABASE_URL of an empty database of the same vendor, removed afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    from psycopg import sql

    sd = connection.settings_dict
    name = f"{sd['NAME']}_restore"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with pg_admin(sd) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    user = sd.get("USER") or ""
    password = f":{sd['PASSWORD']}" if sd.get("PASSWORD") else ""
    yield f"postgres://{user}{password}@{sd.get('HOST') or ''}:{sd.get('PORT') or 5432}/{name}"
    with pg_admin(sd) as admin:
        admin.execute(drop)


def manage(tmp_path, database_url, *args, **extra_env):
    """``manage.py`` as an operator runs it on the restoring server: production settings,
    the keys in the environment, its own var/ (so its own MEDIA_ROOT)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHEGONG_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="shegong.config.settings",
        DATABASE_URL=database_url,
        SHEGONG_VAR_DIR=str(tmp_path / "server-var"),
        SHEGONG_SECRET_KEY=django_settings.SECRET_KEY,
        SHEGONG_FIELD_KEY=django_settings.SHEGONG_FIELD_KEY,
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        **extra_env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def read_back(tmp_path, url) -> dict:
    result = manage(tmp_path, url, "shell", "-c", READ_BACK)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- what a backup holds, and the refusals ------------------------------------------------------


def key_material() -> dict[str, bytes]:
    raw = base64.b64decode(django_settings.SHEGONG_FIELD_KEY)
    key = crypto.current_key()
    return {
        "field key": raw,
        "field key (base64)": django_settings.SHEGONG_FIELD_KEY.encode(),
        "field key (hex)": raw.hex().encode(),
        "encryption key": key.enc,
        "look-up key": key.mac,
        "secret key": django_settings.SECRET_KEY.encode(),
    }


def readable_contents(directory: Path) -> dict[str, bytes]:
    """Each file's bytes, and a custom-format dump also as the SQL it holds (it is
    compressed, so a key in it would not show as such)."""
    contents = {p.name: p.read_bytes() for p in directory.iterdir()}
    if "database.dump" in contents:
        contents["database.sql"] = subprocess.run(
            ["pg_restore", "--file=-", str(directory / "database.dump")],
            capture_output=True,
            check=True,
        ).stdout
    return contents


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_no_key_and_what_cannot_be_restored_is_refused(tmp_path, media, settings):
    ensure_divisions()
    ClientFactory(name="备份测试", id_number=ID_NUMBER, phone="13800001111")
    media.mkdir(mode=0o700)
    (media / "note.txt").write_bytes(b"an upload")
    # A misplaced key file under MEDIA_ROOT, or a queued import's upload, is never archived.
    (media / "field.key").write_text(django_settings.SHEGONG_FIELD_KEY)
    (media / "imports").mkdir(mode=0o700)
    (media / "imports" / "queued.xlsx").write_bytes(ID_NUMBER.encode())
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir), stdout=io.StringIO())

    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["field_key_id"] == crypto.key_id()
    assert manifest["database"]["vendor"] == connection.vendor
    assert "clients.0001_initial" in manifest["migrations"]
    assert manifest["created_at"]
    assert manifest["media"]["files"] == 1
    with tarfile.open(backup_dir / "media.tar") as tar:
        assert tar.getnames() == ["note.txt"]
    for name, content in readable_contents(backup_dir).items():
        for what, needle in key_material().items():
            assert needle not in content, f"{what} found in {name}"

    # Refused before anything is touched: a database that holds something (unless forced),
    # another field key, another vendor, a damaged file; and a backup over an old one.
    with pytest.raises(CommandError, match="is not empty.*--force"):
        call_command("restore", str(backup_dir))
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(backup_dir))
    settings.SHEGONG_FIELD_KEY = OTHER_KEY
    with pytest.raises(CommandError, match="made under field key .* has id"):
        call_command("restore", str(backup_dir), "--force")
    settings.SHEGONG_FIELD_KEY = django_settings.SHEGONG_FIELD_KEY
    manifest["database"]["vendor"] = "mysql"
    (backup_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="backup is of a mysql database"):
        call_command("restore", str(backup_dir), "--force")
    with open(backup_dir / "media.tar", "r+b") as f:
        f.seek(600)
        f.write(b"X")
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(backup_dir), "--force")
    assert Client.objects.filter(name="备份测试").exists()


# -- the round trip (last: its flush empties the tables) --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_populated_database_round_trips_with_its_uploads(tmp_path, media, target):
    ensure_divisions()
    populate()
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir), stdout=io.StringIO())

    assert mode(backup_dir) == 0o700
    assert {p.name for p in backup_dir.iterdir()} == {
        "manifest.json",
        "media.tar",
        "database.dump" if connection.vendor == "postgresql" else "database.sqlite3",
    }
    assert all(mode(p) == 0o600 for p in backup_dir.iterdir())

    restored = manage(tmp_path, target, "restore", str(backup_dir))
    assert restored.returncode == 0, restored.stderr
    expected = {
        "id_number": ID_NUMBER,
        "phone": "13800001111",
        "health_notes": "高血压, 糖尿病",
        "history": ["高血压", "高血压, 糖尿病"],
        "content": PNG.hex(),
    }
    values = read_back(tmp_path, target)
    assert {k: values[k] for k in expected} == expected
    uploaded = tmp_path / "server-var" / "media" / values["file"]
    assert mode(uploaded) == 0o600 and mode(uploaded.parent) == 0o700

    # The restored server changes; a second restore is refused, then forced, and undoes it.
    assert manage(tmp_path, target, "shell", "-c", ALTER).returncode == 0
    refused = manage(tmp_path, target, "restore", str(backup_dir))
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    forced = manage(tmp_path, target, "restore", str(backup_dir), "--force")
    assert forced.returncode == 0, forced.stderr
    assert {k: read_back(tmp_path, target)[k] for k in expected} == expected

    if connection.vendor == "postgresql":
        # A pg_restore that dies half-way: psql has run the drops and some of the script,
        # and is killed before it commits. The database is as it was.
        broken = tmp_path / "broken-pg-bin"
        broken.mkdir()
        (broken / "psql").symlink_to(shutil.which("psql"))
        (broken / "pg_restore").write_text("#!/bin/sh\necho 'CREATE TABLE half (x int);'\nexit 1\n")
        (broken / "pg_restore").chmod(0o700)
        failed = manage(
            tmp_path, target, "restore", str(backup_dir), "--force", SHEGONG_PG_BIN=str(broken)
        )
        assert failed.returncode != 0 and "nothing was changed" in failed.stderr
        assert {k: read_back(tmp_path, target)[k] for k in expected} == expected


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_partial_files(tmp_path, media, monkeypatch):
    def disk_full(*args):
        raise OSError("No space left on device")

    monkeypatch.setattr(backup, "archive_media", disk_full)
    with pytest.raises((CommandError, OSError)):
        call_command("backup", str(tmp_path / "backup"))
    assert list((tmp_path / "backup").iterdir()) == []
