"""Background work of notifications (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task


@task()
def deliver_notifications() -> dict:
    """Send the deliveries that are due (queued after a write that notified someone)."""
    from .services import deliver_due

    return deliver_due()
