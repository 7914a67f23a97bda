import datetime

from django.db.models import Count, Min
from django.utils import timezone

from shegong.access.scoping import scope_q
from shegong.clients.selectors import clients_for
from shegong.divisions.codes import code_prefix_q

from .models import Visit


def due_clients(user, *, within_days: int = 7, town: str = "", worker=None, today=None):
    """Clients in scope whose next visit is due within ``within_days`` (or overdue); for a
    ``worker``, those living where the worker is posted today (a room's villages, or a
    station's whole town)."""
    today = today or timezone.localdate()
    qs = clients_for(user).filter(next_visit_due__lte=today + datetime.timedelta(days=within_days))
    if town:
        qs = qs.filter(code_prefix_q("division__code", town))
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
    """The visits that count (voided ones left out), in the user's scope."""
    return Visit.objects.visible_to(user).select_related("client", "client__division", "visitor")


def visits_all_for(user):
    """The visits in scope, voided ones included (read one by its id; never count these)."""
    return Visit.all_objects.visible_to(user).select_related(
        "client", "client__division", "visitor", "voided_by"
    )


def visit_get(user, pk) -> Visit:
    """One visit in scope, voided or not (its page shows why); 404 otherwise."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Visit.all_objects.visible_to(user)
        .select_related("client", "client__division", "visitor", "voided_by")
        .prefetch_related("workers"),
        pk=pk,
    )


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


def workers_for_visit(user, client):
    """Who may be named as having gone on a visit to ``client``: active workers in scope
    posted today to a unit whose area covers the client, and the recording account's own
    worker. Few enough to tick."""
    from django.db.models import Q

    from shegong.people.models import Assignment, Worker

    code = client.division_id
    covering = [code[:n] for n in (6, 9, 12) if n <= len(code)]
    posted = Assignment.objects.active_on(timezone.localdate()).filter(
        unit__division_id__in=covering
    )
    own = Q(account=user) if getattr(user, "pk", None) else Q(pk__in=[])
    return (
        Worker.objects.visible_to(user)
        .filter(is_active=True)
        .filter(Q(assignments__in=posted) | own)
        .distinct()
        .order_by("name")
    )
