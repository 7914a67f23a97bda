from django.core.management.base import BaseCommand

from shegong.reminders.services import send_reminders, send_reminders_task


class Command(BaseCommand):
    help = (
        "Compute today's reminders (overdue high-risk visits, referral deadlines within 4 "
        "hours, closures awaiting approval, case reviews due, progress reports due, the daily "
        "digest), notify in-app and send through each unit's channels, retrying failed "
        "deliveries. Idempotent within a day: run it from cron or a systemd timer every 15 "
        "minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the run for the background worker (db_worker) instead of running it now.",
        )

    def handle(self, *args, queue=False, **options):
        if queue:
            result = send_reminders_task.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        counts = send_reminders()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
