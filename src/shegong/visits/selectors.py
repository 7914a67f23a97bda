import datetime

from django.db.models import Count, Min
from django.utils import timezone

from shegong.access.scoping import scope_q
from shegong.clients.selectors import clients_for

from .models import Visit


def due_clients(user, *, within_days: int = 7, town: str = "", worker=None, today=None):
    """Clients in scope whose next visit is due within ``within_days`` (or overdue); for a
    ``worker``, those living where the worker is posted today (a room's villages, or a
    station's whole town)."""
    today = today or timezone.localdate()
    qs = clients_for(user).filter(next_visit_due__lte=today + datetime.timedelta(days=within_days))
    if town:
        qs = qs.filter(division__code__startswith=town)
    if worker is not None:
        codes = worker.assignments.active_on(today).values_list("unit__division_id", flat=True)
        qs = qs.filter(scope_q(list(codes), "division__code"))
    return qs.order_by("next_visit_due", "division_id", "id")


def overdue_by_village(user, *, today=None):
    """Villages in scope with clients whose visit is overdue: how many and since when, the
    most first. One grouped query over the overdue rows (``next_visit_due`` is indexed)."""
    today = today or timezone.localdate()
    return (
        clients_for(user)
        .filter(next_visit_due__lt=today)
        .values("division_id", "division__name")
        .annotate(overdue=Count("id"), since=Min("next_visit_due"))
        .order_by("-overdue", "division_id")
    )


def visits_for(user):
    return Visit.objects.visible_to(user).select_related("client", "client__division", "visitor")


def workers_with_postings(user):
    """Workers in scope posted somewhere today: the choices of the per-worker due list."""
    from shegong.people.models import Assignment, Worker

    posted = Assignment.objects.active_on(timezone.localdate())
    return (
        Worker.objects.visible_to(user)
        .filter(is_active=True, assignments__in=posted)
        .distinct()
        .order_by("name")
    )
