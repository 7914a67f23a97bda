from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shegong.access.models import Role
from shegong.access.scoping import grants_of, scope_q, unit_ids
from shegong.divisions.codes import town_of
from shegong.people.models import Assignment, Worker

from .models import Case, Stage


def cases_for(user):
    return Case.objects.visible_to(user).select_related(
        "client", "unit", "case_worker", "supervisor"
    )


def case_get(user, pk) -> Case:
    return get_object_or_404(
        cases_for(user).prefetch_related("needs", "planned_items", "goals"), pk=pk
    )


def eligible_case_workers(units, day=None):
    """Workers who may carry a case held by one of ``units`` on ``day`` (today if not given):
    active, and posted that day to the unit or anywhere in its town — a station's social
    worker may carry a room's case. The one rule: the open and reassign forms offer these,
    and case_open / case_reassign (the API's way in too) accept no one else."""
    towns = {town_of(unit.division_id) for unit in units}
    postings = Assignment.objects.active_on(day or timezone.localdate()).filter(
        scope_q(towns, "unit__division__code")
    )
    return Worker.objects.filter(is_active=True, assignments__in=postings).distinct()


def may_carry_case(worker, unit, day=None) -> bool:
    return eligible_case_workers([unit], day).filter(pk=worker.pk).exists()


def awaiting_approval(user):
    """Closures this user may approve: their stations' areas, or all for the centre."""
    qs = cases_for(user).filter(stage=Stage.CLOSING).exclude(closure_requested_by=user)
    grants = grants_of(user)
    if any(g.role == Role.DISTRICT_ADMIN for g in grants):
        return qs
    areas = Q(supervisor=user)
    for g in grants:
        if g.role == Role.STATION_STAFF and g.unit_id:
            areas |= Q(unit__division__code__startswith=g.unit.division_id)
    return qs.filter(areas)


def open_cases_of(user):
    """The user's own open cases: held by a unit they work in, opened by them or under their
    supervision; the nearest review date first (cases without one last)."""
    mine = Q(unit_id__in=unit_ids(user)) | Q(created_by=user) | Q(supervisor=user)
    return (
        cases_for(user)
        .open()
        .filter(mine)
        .order_by(F("review_on").asc(nulls_last=True), "opened_on", "id")
    )


def timeline(case):
    """Steps and the services given, in date order."""
    rows = [
        {"at": e.on, "kind": "event", "label": e.get_kind_display(), "note": e.note, "who": e.actor}
        for e in case.events.select_related("actor")
    ]
    for record in case.service_records.select_related("field").order_by("served_on"):
        rows.append(
            {
                "at": record.served_on,
                "kind": "service",
                "label": f"{record.get_method_display()} · {record.field.name}",
                "note": record.outcome,
                "record": record,
            }
        )
    return sorted(rows, key=lambda r: r["at"])  # stable: steps stay in the order taken
