from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from .models import Assignment, Worker


def workers_for(user):
    return Worker.objects.visible_to(user).select_related("division", "employer_agency")


def worker_get(user, pk) -> Worker:
    """The worker if in the user's scope; missing and out-of-scope both 404."""
    return get_object_or_404(
        workers_for(user).prefetch_related(
            "certificates",
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit")),
        ),
        pk=pk,
    )


def worker_search(user, *, q="", role="", certified="", division="", unit=""):
    qs = workers_for(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employer_name__icontains=q))
    if role:
        qs = qs.filter(roles__icontains=f'"{role}"')
    if certified == "yes":
        qs = qs.filter(certificates__isnull=False).distinct()
    elif certified == "no":
        qs = qs.filter(certificates__isnull=True)
    if division:
        qs = qs.filter(division__code__startswith=division)
    if unit:
        qs = qs.filter(assignments__unit_id=unit, assignments__end_on__isnull=True).distinct()
    return qs


def assignment_get(user, worker, pk) -> Assignment:
    return get_object_or_404(worker.assignments.all(), pk=pk)


def worker_choices(user, q: str = "", within: str = ""):
    """Active workers for a searchable select: by name or the place they belong to."""
    qs = workers_for(user).filter(is_active=True)
    if within:
        qs = qs.filter(division__code__startswith=within)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(division__name__icontains=q))
    return qs.order_by("name", "pk")


def worker_of(user):
    """The worker record linked to this account, if any (what a form preselects)."""
    return getattr(user, "worker", None) if getattr(user, "is_authenticated", False) else None
