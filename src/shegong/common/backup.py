"""Backups and restores: the database (PostgreSQL's custom-format dump, or SQLite's online
backup API), the uploaded files (a tar of ``MEDIA_ROOT``) and a manifest, in one private
directory (0700, files 0600). ``manage.py backup`` and ``manage.py restore`` call this.

A backup never holds a key: the manifest names the field key by its id only
(``crypto.key_id()``), and the media archive skips the key and password files of a
development ``var/`` should ``MEDIA_ROOT`` ever contain them, and the uploads of queued
imports (transient, ID numbers in clear). Restoring refuses a backup made under another
field key (its encrypted columns could not be read), from another database vendor, with
migrations this code does not know, or damaged (checksums); and it replaces a database or
media folder that holds anything only when forced.

PostgreSQL's tools get the credentials in the environment (``PGPASSWORD`` and friends),
never on their command line; ``SHEGONG_PG_BIN`` names their folder when ``PATH`` has the
wrong version (pg_dump must be at least the server's version).
"""

import contextlib
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from shegong.common import crypto
from shegong.common.jobs import UPLOAD_DIR

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# Files of a development var/ that hold keys or passwords: never archived, wherever they are.
SECRET_NAMES = {"secret_key", "field.key", "demo-password.txt", "demo-otp.txt"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class MediaSummary:
    files: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)


# -- files -----------------------------------------------------------------------------------


def private_directory(path: Path) -> Path:
    """``path`` as an empty directory readable by this account only (0700)."""
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise BackupError(f"{path} exists and is not a directory.")
        if any(path.iterdir()):
            raise BackupError(f"{path} is not empty; give a new or empty directory.")
    else:
        path.mkdir(parents=True, mode=0o700)
    path.chmod(0o700)
    return path


def private_file(path: Path):
    """A new file opened for binary writing, created 0600 whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


# -- PostgreSQL ------------------------------------------------------------------------------

# Django's settings_dict keys and libpq connection options -> libpq environment variables.
PG_ENV = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
}


def pg_env(settings_dict: dict) -> dict[str, str]:
    """The environment for pg_dump / pg_restore / psql: this process's, minus any PG*
    variable of its own, plus the connection's settings (the password among them)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, var in PG_ENV.items():
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    for key, var in PG_OPTION_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(key)
        if isinstance(value, str | int) and value != "":
            env[var] = str(value)
    return env


def pg_tool(name: str) -> str:
    folder = os.environ.get("SHEGONG_PG_BIN")
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(
            f"{name} not found: install PostgreSQL's client tools or set SHEGONG_PG_BIN to "
            "their folder."
        )
    return path


def _failed(tool: str, stderr: bytes | str) -> BackupError:
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
    return BackupError(f"{tool} failed: {text.strip()[-2000:]}")


def dump_postgresql(connection, path: Path) -> None:
    """``pg_dump --format=custom`` of the connection's database into a new 0600 file."""
    with private_file(path) as out:
        result = subprocess.run(
            [pg_tool("pg_dump"), "--format=custom", "--no-password"],
            stdout=out,
            stderr=subprocess.PIPE,
            env=pg_env(connection.settings_dict),
            check=False,
        )
    if result.returncode != 0:
        raise _failed("pg_dump", result.stderr)


def pg_relations(connection) -> list[tuple[str, str]]:
    """(kind, qualified name) of the tables, views and sequences in the current schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
             ORDER BY 2
            """
        )
        return cursor.fetchall()


def _drop_statements(relations) -> str:
    kinds = [
        ("DROP VIEW", {"v"}),
        ("DROP MATERIALIZED VIEW", {"m"}),
        ("DROP FOREIGN TABLE", {"f"}),
        ("DROP TABLE", {"r", "p"}),
        ("DROP SEQUENCE", {"S"}),
    ]
    lines = []
    for statement, relkinds in kinds:
        names = [name for kind, name in relations if kind in relkinds]
        if names:
            lines.append(f"{statement} IF EXISTS {', '.join(names)} CASCADE;")
    return "\n".join(lines) + "\n"


def restore_postgresql(connection, path: Path) -> None:
    """Drop what the current schema holds and load the dump, in one transaction: psql runs
    the drops, then pg_restore's script, and commits only when its input ends. If pg_restore
    fails, psql is killed before that (its transaction rolls back): nothing is changed."""
    drops = _drop_statements(pg_relations(connection))
    connection.close()
    env = pg_env(connection.settings_dict)
    psql_command = [
        pg_tool("psql"),
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--set=ON_ERROR_STOP=1",
        "--single-transaction",
        "--file=-",
    ]
    restore_command = [
        pg_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--file=-",
        str(path),
    ]
    with tempfile.TemporaryFile() as psql_errors, tempfile.TemporaryFile() as restore_errors:
        psql = subprocess.Popen(
            psql_command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=env,
        )
        try:
            psql.stdin.write(drops.encode())
            psql.stdin.flush()
            restored = (
                subprocess.run(
                    restore_command, stdout=psql.stdin, stderr=restore_errors, env=env
                ).returncode
                == 0
            )
        except BrokenPipeError:  # psql stopped at an error
            restored = False
        if restored:
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()  # the end of the input: psql commits
        else:
            psql.kill()  # before the end of the input: the transaction rolls back
        psql.wait()
        with contextlib.suppress(BrokenPipeError):
            psql.stdin.close()
        if psql.returncode != 0 and restored:
            psql_errors.seek(0)
            raise _failed("psql (nothing was changed)", psql_errors.read())
        if not restored:
            restore_errors.seek(0)
            psql_errors.seek(0)
            raise _failed(
                "pg_restore (nothing was changed)", restore_errors.read() + psql_errors.read()
            )


# -- SQLite ----------------------------------------------------------------------------------


def dump_sqlite(connection, path: Path) -> None:
    """SQLite's online backup API: a consistent copy while the server may be writing, as a
    single file (rollback journal, not WAL)."""
    if connection.in_atomic_block:
        # The backup would wait for this very connection's write lock, for ever.
        raise BackupError("Back up outside a transaction.")
    with private_file(path):
        pass
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    path.chmod(0o600)


def restore_sqlite(connection, path: Path) -> None:
    """Copy the backup over the live database through the online backup API: one step,
    which replaces every page (tables the backup lacks are gone afterwards)."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite restore failed: {exc}") from exc
    finally:
        source.close()
        connection.close()


# -- media -----------------------------------------------------------------------------------


def _never_archived(connection) -> set[Path]:
    """The key, password and database files, by resolved path."""
    var = Path(settings.VAR_DIR)
    paths = {var / name for name in SECRET_NAMES}
    if connection.vendor == "sqlite":
        db = Path(str(connection.settings_dict["NAME"]))
        paths |= {db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))}
    return {p.resolve() for p in paths}


def archive_media(root: Path, path: Path, connection) -> MediaSummary:
    """Every regular file under ``root`` into a tar: no links, no key or database file, no
    queued import's upload."""
    summary = MediaSummary()
    excluded = _never_archived(connection)
    with private_file(path) as out, tarfile.open(fileobj=out, mode="w") as tar:
        if not root.is_dir():
            return summary
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                file = Path(folder) / name
                rel = file.relative_to(root).as_posix()
                if file.is_symlink() or not file.is_file():
                    summary.skipped.append(rel)
                    continue
                if name in SECRET_NAMES or name.endswith(".key") or file.resolve() in excluded:
                    summary.skipped.append(rel)
                    continue
                if rel.startswith(f"{UPLOAD_DIR}/"):
                    # A queued import's upload: transient, and its ID numbers are in clear.
                    summary.skipped.append(rel)
                    continue
                info = tar.gettarinfo(str(file), arcname=rel)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mode = 0o600
                with open(file, "rb") as f:
                    tar.addfile(info, f)
                summary.files += 1
                summary.bytes += info.size
    return summary


def _private_tree(root: Path) -> None:
    root.chmod(0o700)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            (Path(folder) / name).chmod(0o700)
        for name in files:
            (Path(folder) / name).chmod(0o600)


def restore_media(archive: Path, root: Path) -> int:
    """Unpack beside ``root``, then swap the folders: ``root`` is the backup's afterwards."""
    root = Path(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=root.parent))
    try:
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
            tar.extractall(staging, members=members, filter="data")
        _private_tree(staging)
        if root.exists():
            old = Path(tempfile.mkdtemp(prefix=".media-old-", dir=root.parent))
            root.rename(old / "media")
            staging.rename(root)
            shutil.rmtree(old)
        else:
            staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sum(1 for m in members if m.isfile())


def media_is_empty(root: Path) -> bool:
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


# -- migrations and emptiness ------------------------------------------------------------------


def applied_migrations(connection) -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def database_is_empty(connection) -> bool:
    if connection.vendor == "postgresql":
        return not pg_relations(connection)
    return not connection.introspection.table_names()


# -- backup and restore --------------------------------------------------------------------------


def create(directory: Path, connection) -> dict:
    """Write a backup of ``connection``'s database and of MEDIA_ROOT into ``directory``
    (new or empty); returns the manifest. A failed backup leaves the directory empty."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    if _is_within(Path(directory), Path(settings.MEDIA_ROOT)):
        raise BackupError("The backup directory must not be inside MEDIA_ROOT.")
    directory = private_directory(Path(directory))
    try:
        return _write(directory, connection)
    except BaseException:
        for path in directory.iterdir():
            path.unlink()
        raise


def _write(directory: Path, connection) -> dict:
    vendor = connection.vendor
    database_file = directory / DATABASE_FILES[vendor]
    if vendor == "postgresql":
        dump_postgresql(connection, database_file)
    else:
        dump_sqlite(connection, database_file)
    media = archive_media(Path(settings.MEDIA_ROOT), directory / MEDIA, connection)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database": {"vendor": vendor, "file": database_file.name},
        "field_key_id": crypto.key_id(),
        "migrations": applied_migrations(connection),
        "media": {"file": MEDIA, "files": media.files, "bytes": media.bytes},
        "checksums": {name: sha256(directory / name) for name in (database_file.name, MEDIA)},
    }
    # Written last: a directory without a manifest is an unfinished backup.
    with private_file(directory / MANIFEST) as out:
        out.write(json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n")
    manifest["skipped"] = media.skipped
    return manifest


def read_manifest(directory: Path) -> dict:
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} not found: not a backup directory, or an unfinished backup.")
    try:
        manifest = json.loads(path.read_text())
    except ValueError as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, digest in manifest.get("checksums", {}).items():
        file = directory / name
        if not file.is_file():
            raise BackupError(f"{file} is missing.")
        if sha256(file) != digest:
            raise BackupError(f"{file} does not match its checksum: the backup is damaged.")
    return manifest


def check_restorable(manifest: dict, connection, *, force: bool) -> list[str]:
    """Refuse what cannot be restored here; returns notes for the operator."""
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"The backup is of a {vendor} database; this server uses {connection.vendor}."
        )
    if manifest["field_key_id"] != crypto.key_id():
        raise BackupError(
            f"The backup was made under field key {manifest['field_key_id']}; this server's "
            f"SHEGONG_FIELD_KEY has id {crypto.key_id()}. Its encrypted columns could not be "
            "read: start the restore with the field key the backup was made under."
        )
    backup_migrations = set(manifest["migrations"])
    unknown = sorted(backup_migrations - known_migrations())
    if unknown:
        raise BackupError(
            "The backup has migrations this code does not know (restore it with the version "
            f"that made it): {', '.join(unknown[:10])}"
        )
    notes = []
    if not force:
        if not database_is_empty(connection):
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} is not empty; restoring "
                "replaces all of it. Run again with --force to do so."
            )
        if not media_is_empty(Path(settings.MEDIA_ROOT)):
            raise BackupError(
                f"MEDIA_ROOT ({settings.MEDIA_ROOT}) holds files; restoring replaces them. "
                "Run again with --force to do so."
            )
    pending = known_migrations() - backup_migrations
    if pending:
        notes.append(
            f"This code has {len(pending)} migration(s) the backup predates: run "
            "manage.py migrate after the restore."
        )
    return notes


def restore(directory: Path, connection, *, force: bool = False) -> tuple[dict, int, list]:
    """Restore the database and the media of the backup in ``directory``; returns the
    manifest, the number of media files and the operator's notes."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    notes = check_restorable(manifest, connection, force=force)
    database_file = directory / manifest["database"]["file"]
    if connection.vendor == "postgresql":
        restore_postgresql(connection, database_file)
    else:
        restore_sqlite(connection, database_file)
    files = restore_media(directory / manifest["media"]["file"], Path(settings.MEDIA_ROOT))
    return manifest, files, notes
