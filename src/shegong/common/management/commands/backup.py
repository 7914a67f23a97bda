"""Back up the database and the uploaded files into a new private directory.

    manage.py backup /backups/shegong-2026-12-01

PostgreSQL: ``pg_dump --format=custom`` (credentials from DATABASES, passed to pg_dump in
its environment). SQLite: the online backup API, safe while the server runs. Plus a tar of
MEDIA_ROOT and manifest.json (time, vendor, applied migrations, the field key's id and
checksums). The directory is 0700, its files 0600. The field key is never in a backup:
keep it, and the secret key, apart from the backups (README, "Backup and restore").
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from shegong.common import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (no keys) into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a new or empty directory for the backup")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args, directory, database, **options):
        try:
            manifest = backup.create(directory, connections[database])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = manifest["media"]
        self.stdout.write(
            f"Database: {manifest['database']['vendor']}, "
            f"{len(manifest['migrations'])} migrations applied."
        )
        self.stdout.write(f"Media: {media['files']} files, {media['bytes']} bytes.")
        if manifest["skipped"]:
            self.stdout.write(
                f"Left out of the media archive (links, keys, database files): "
                f"{', '.join(manifest['skipped'])}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {directory} under field key {manifest['field_key_id']}. "
                "Restoring it needs that field key, which is not in the backup."
            )
        )
