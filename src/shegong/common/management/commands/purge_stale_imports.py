"""Delete the uploads of background imports that waited too long for the worker.

    manage.py purge_stale_imports

A queued import's file holds ID numbers in clear. One older than
SHEGONG_IMPORT_MAX_WAIT_HOURS (24) that the worker never finished is deleted and its job
marked failed, saying why; so is any upload under imports/ no unfinished job names. The
worker also does this before each import and every new upload does it; run this from cron
(or a systemd timer) too, so a machine whose worker is down keeps nothing.
"""

from django.core.management.base import BaseCommand

from shegong.common.jobs import purge_stale_imports


class Command(BaseCommand):
    help = "Delete the uploads of background imports that waited too long for the worker."

    def handle(self, *args, **options):
        failed = purge_stale_imports()
        if options["verbosity"]:
            self.stdout.write(f"{failed} stale import(s) cancelled and their files deleted.")
