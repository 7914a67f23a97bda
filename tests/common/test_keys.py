"""Fail closed (issue 9, finding 14): keys only from the environment outside DEBUG, nothing
written when settings load, key ids on every ciphertext and their rotation, private files,
and no generated password in a cookie."""

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection

from shegong.clients.models import Client
from shegong.common import crypto
from tests.accounts.test_accounts import create_account_in_the_ui
from tests.clients.factories import ClientFactory

ROOT = Path(__file__).resolve().parents[2]
KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run(var_dir, code=SETUP, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SHEGONG_SECRET_KEY", "SHEGONG_FIELD_KEY", "SHEGONG_DEBUG", "DATABASE_URL"}
    }
    base.update(
        DJANGO_SETTINGS_MODULE="shegong.config.settings",
        SHEGONG_VAR_DIR=str(var_dir),
        PYTHONPATH=str(ROOT / "src"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True
    )


def test_outside_debug_settings_refuse_to_start_without_keys(tmp_path):
    var = tmp_path / "var"
    result = run(var, SHEGONG_DEBUG="0")
    assert result.returncode != 0
    assert "SHEGONG_SECRET_KEY and SHEGONG_FIELD_KEY not set" in result.stderr
    assert not var.exists(), "settings wrote files on import"


def test_outside_debug_even_keys_left_in_var_are_not_used(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("s" * 50)
    (var / "field.key").write_text(KEY_A)
    result = run(var, SHEGONG_DEBUG="0", SHEGONG_SECRET_KEY="s" * 50)
    assert result.returncode != 0
    assert "SHEGONG_FIELD_KEY not set" in result.stderr


def test_a_field_key_of_the_wrong_size_is_refused(tmp_path):
    short = base64.b64encode(b"x" * 16).decode()
    result = run(tmp_path, SHEGONG_SECRET_KEY="s" * 50, SHEGONG_FIELD_KEY=short)
    assert result.returncode != 0
    assert "SHEGONG_FIELD_KEY must be 32 bytes" in result.stderr


def test_with_keys_in_the_environment_settings_start_and_write_nothing(tmp_path):
    var = tmp_path / "var"
    result = run(var, SHEGONG_SECRET_KEY="s" * 50, SHEGONG_FIELD_KEY=KEY_A)
    assert result.returncode == 0, result.stderr
    assert not var.exists(), "settings wrote files on import"


def test_in_debug_the_keys_come_from_the_explicit_devkeys_step(tmp_path):
    var = tmp_path / "var"
    assert run(var, SHEGONG_DEBUG="1").returncode != 0  # no step yet: no keys, nothing made
    assert not var.exists()
    prepare = "from shegong.config import devkeys; import sys; devkeys.prepare(sys.argv[-1])"
    subprocess.run(
        [sys.executable, "-c", prepare, str(var)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    result = run(var, SHEGONG_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_var_holds_private_files_only(tmp_path):
    var = tmp_path / "var"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SHEGONG_DEBUG"}},
        "SHEGONG_VAR_DIR": str(var),
        "SHEGONG_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "shegong.config.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    subprocess.run([sys.executable, "-m", "shegong.config.devkeys"], env=env, check=True)
    make_db = (
        "from django.db import connection; from django.core.cache import cache; "
        "connection.cursor().execute('CREATE TABLE t (x int)'); cache.set('k', 1)"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", make_db], cwd=ROOT, env=env, check=True
    )
    assert mode(var) == 0o700
    for name in ("secret_key", "field.key", "shegong.sqlite3"):
        assert mode(var / name) == 0o600, name
    for folder in ("media", "cache"):
        assert mode(var / folder) == 0o700, folder
    for path in (var / "cache").rglob("*"):
        assert mode(path) & 0o077 == 0, path


def test_uploads_are_stored_0600_in_0700_folders(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = FileSystemStorage()
    name = storage.save("records/2025/note.txt", ContentFile(b"personal"))
    assert mode(Path(storage.path(name))) == 0o600
    assert mode(tmp_path / "media" / "records") == 0o700
    assert mode(tmp_path / "media" / "records" / "2025") == 0o700


def test_every_ciphertext_carries_the_key_id(settings):
    settings.SHEGONG_FIELD_KEY = KEY_A
    blob = crypto.encrypt("500112199001011234")
    assert crypto.blob_key_id(blob) == crypto.key_id() == crypto.field_key(KEY_A).hex_id
    settings.SHEGONG_FIELD_KEY = KEY_B
    with pytest.raises(ValueError, match="encrypted under field key"):
        crypto.decrypt(blob)


def raw_blobs(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
        return [bytes(row[0]) for row in cursor.fetchall()]


@pytest.mark.django_db
def test_rotate_field_key_reencrypts_every_column_and_rekeys_the_lookups(settings, tmp_path):
    settings.SHEGONG_FIELD_KEY = KEY_A
    client = ClientFactory(
        id_number="500112194001010022", phone="13800001111", health_notes="高血压"
    )
    id_number = client.id_number
    client.health_notes = "高血压, 糖尿病"
    client.save()  # a second history row
    a, b = crypto.field_key(KEY_A), crypto.field_key(KEY_B)
    assert {crypto.blob_key_id(x) for x in raw_blobs("clients_client", "phone")} == {a.hex_id}

    key_file = tmp_path / "new.key"
    key_file.write_text(KEY_B)
    call_command("rotate_field_key", new_key_file=str(key_file), stdout=open(os.devnull, "w"))

    settings.SHEGONG_FIELD_KEY = KEY_B  # read back with B only
    for table in ("clients_client", "clients_historicalclient"):
        for column in ("id_number", "phone", "health_notes"):
            assert {crypto.blob_key_id(x) for x in raw_blobs(table, column)} <= {b.hex_id}
    fresh = Client.objects.get(pk=client.pk)
    assert (fresh.id_number, fresh.phone, fresh.health_notes) == (
        id_number,
        "13800001111",
        "高血压, 糖尿病",
    )
    assert fresh.history.earliest().health_notes == "高血压"
    assert fresh.phone_hash == crypto.lookup_hash("13800001111", b)
    assert fresh.id_number_hash == crypto.lookup_hash(id_number, b)
    assert Client.objects.filter(id_number_hash=crypto.lookup_hash(id_number)).count() == 1

    settings.SHEGONG_FIELD_KEY = KEY_A  # the old key reads nothing any more
    with pytest.raises(ValueError):
        Client.objects.get(pk=client.pk)


@pytest.mark.django_db
def test_rotate_field_key_refuses_the_current_key(settings, monkeypatch):
    from django.core.management.base import CommandError

    settings.SHEGONG_FIELD_KEY = KEY_A
    monkeypatch.setenv("SHEGONG_NEW_FIELD_KEY", KEY_A)
    with pytest.raises(CommandError, match="current key"):
        call_command("rotate_field_key")


def test_a_generated_first_password_never_travels_in_a_cookie(world, client):
    response = create_account_in_the_ui(world, client, "wangxx", "王")
    assert response.status_code == 302
    assert "messages" not in response.cookies
    shown = [m for m in client.get(response["Location"]).context["messages"]]
    assert any(m.level_tag == "warning" and "wangxx" in m.message for m in shown)
    assert "messages" not in client.cookies or not client.cookies["messages"].value
