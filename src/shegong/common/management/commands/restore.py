"""Restore a backup made by ``manage.py backup``: the database and the uploaded files.

    manage.py restore /backups/shegong-2026-12-01           # into an empty database
    manage.py restore /backups/shegong-2026-12-01 --force   # replace what is there

Stop the app servers and the worker first. Refused (nothing changed) when the backup's
field key id is not this server's, when the database vendor differs, when the backup has
migrations this code does not know, when a file does not match its checksum, and, without
--force, when the database or MEDIA_ROOT holds anything.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from shegong.common import backup


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a directory written by manage.py backup")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database or media folder that is not empty",
        )

    def handle(self, *args, directory, database, force, **options):
        try:
            manifest, files, notes = backup.restore(directory, connections[database], force=force)
        except backup.BackupError as exc:
            raise CommandError(f"Restore refused: {exc}") from exc
        for note in notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {manifest['database']['vendor']} database and {files} media "
                f"files from the backup of {manifest['created_at']} "
                f"(field key {manifest['field_key_id']})."
            )
        )
