import datetime

from django.utils import timezone

from shegong.clients.selectors import clients_for

from .models import Visit


def due_clients(user, *, within_days: int = 7, town: str = "", today=None):
    """Clients in scope whose next visit is due within ``within_days`` (or overdue)."""
    today = today or timezone.localdate()
    qs = clients_for(user).filter(next_visit_due__lte=today + datetime.timedelta(days=within_days))
    if town:
        qs = qs.filter(division__code__startswith=town)
    return qs.order_by("next_visit_due", "division_id", "id")


def visits_for(user):
    return Visit.objects.visible_to(user).select_related("client", "client__division", "visitor")
