"""Remove audit and login records older than a date, never inside the retention
(SHEGONG_AUDIT_RETENTION_DAYS, at least 180 days). The chains stay verifiable."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shegong.audit.models import retention_days
from shegong.audit.services import audit_prune, retention_cutoff


class Command(BaseCommand):
    help = "Remove audit and login records older than --before (YYYY-MM-DD), past the retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            help="Remove records from before this day (default: the retention's cut-off).",
        )

    def handle(self, *args, **options):
        if options["before"]:
            try:
                day = datetime.date.fromisoformat(options["before"])
            except ValueError:
                raise CommandError("--before: give a date as YYYY-MM-DD.") from None
            before = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        else:
            before = retention_cutoff()
        try:
            removed = audit_prune(before=before)
        except ValidationError as exc:
            raise CommandError(
                f"Refused: records are kept {retention_days()} days; "
                f"nothing from after {retention_cutoff():%Y-%m-%d} may be removed."
            ) from exc
        for chain, count in removed.items():
            self.stdout.write(f"{chain}: {count} removed")
