"""One reminder run: compute what is due, write it (in-app and queued deliveries), then
send what is due for delivery, retries included. Run by `manage.py send_reminders` from
cron or a systemd timer every 15 minutes (README), or queued as a task for db_worker."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from shegong.notifications.services import deliver_due, notify

from .compute import all_reminders, digests

log = logging.getLogger(__name__)


def send_reminders(now=None, *, deliver: bool = True) -> dict[str, int]:
    now = now or timezone.now()
    day = timezone.localdate(now)
    created = 0
    for message in all_reminders(now):
        if not message.users and message.unit_id is None:
            continue
        with transaction.atomic():
            created += len(notify(message, day=day))
    digested = 0
    for message in digests(now):
        with transaction.atomic():
            digested += len(notify(message, day=day))
    counts = {"notifications": created, "digests": digested}
    if deliver:
        counts.update(deliver_due(now))
    return counts


@task()
def send_reminders_task() -> dict:
    return send_reminders()
