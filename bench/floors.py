"""Floors: the least work that yields the same answer, to put each figure in proportion.

``coverage_floor`` is hand-written aggregate SQL computing the per-town figures of the
coverage report with the report's own definitions (one ``GROUP BY substr(division_id, 1, 9)``
statement with conditional counts and two EXISTS subqueries per date). The SQL is plain
enough to run unchanged on SQLite and PostgreSQL.

``bare_units`` is a plain Django view: the same scoped, ordered first page of units as
``GET /api/v1/units/``, read with ``.values()`` and returned as a JsonResponse.

``signed_in`` is the soak's floor (``bench/soak.py``): the least a signed-in request costs on
the same gunicorn, through the same middleware (the session read and saved, the user
loaded), with no work of its own.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from shegong.cockpit.coverage import FIGURES
from shegong.divisions.models import Division, Level
from shegong.network.models import Unit
from shegong.network.services import DETAIL_FIELDS
from shegong.people.models import Assignment, Certificate, Worker


def _sql():
    q = connection.ops.quote_name
    unit, division = q(Unit._meta.db_table), q(Division._meta.db_table)
    assignment, worker = q(Assignment._meta.db_table), q(Worker._meta.db_table)
    certificate = q(Certificate._meta.db_table)
    tiers = ", ".join(["%s"] * len(settings.SHEGONG_CERTIFIED_TIERS))
    live = "(u.closed_on IS NULL OR u.closed_on > %s)"
    est = f"u.established_on <= %s AND {live}"
    op = f"u.operating_on <= %s AND {live}"
    posted = "a.unit_id = u.id AND a.start_on <= %s AND (a.end_on IS NULL OR a.end_on >= %s)"
    social_worker = (
        f"EXISTS (SELECT 1 FROM {assignment} a JOIN {worker} w ON w.id = a.worker_id "
        f"WHERE {posted} AND CAST(w.roles AS TEXT) LIKE '%%\"social_worker\"%%')"
    )
    certified = (
        f"EXISTS (SELECT 1 FROM {assignment} a JOIN {certificate} c ON c.worker_id = a.worker_id "
        f"WHERE {posted} AND c.year <= %s AND c.tier IN ({tiers}))"
    )
    units = f"""
        SELECT substr(u.division_id, 1, 9) AS town,
               COUNT(CASE WHEN u.kind = 'station' AND {est} THEN 1 END),
               COUNT(CASE WHEN u.kind = 'station' AND {op} THEN 1 END),
               COUNT(CASE WHEN u.kind = 'station' AND {est} AND {social_worker} THEN 1 END),
               COUNT(CASE WHEN u.kind = 'room' AND {est} THEN 1 END),
               COUNT(CASE WHEN u.kind = 'room' AND {op} THEN 1 END),
               COUNT(CASE WHEN u.kind = 'room' AND {est} AND {certified} THEN 1 END)
          FROM {unit} u
         WHERE u.kind IN ('station', 'room') AND u.established_on <= %s
           AND u.division_id LIKE %s
         GROUP BY substr(u.division_id, 1, 9)
    """
    towns = f"""
        SELECT code, name FROM {division}
         WHERE level = %s AND is_active = %s AND code LIKE %s
    """
    villages = f"""
        SELECT substr(code, 1, 9), COUNT(*) FROM {division}
         WHERE level = %s AND is_active = %s AND code LIKE %s
         GROUP BY substr(code, 1, 9)
    """
    centres = f"""
        SELECT COUNT(CASE WHEN {est} THEN 1 END), COUNT(CASE WHEN {op} THEN 1 END)
          FROM {unit} u
         WHERE u.kind = 'center' AND u.division_id LIKE %s
    """
    return towns, villages, units, centres


def _unit_params(day: datetime.date, like: str) -> list:
    tiers = list(settings.SHEGONG_CERTIFIED_TIERS)
    est, op = [day, day], [day, day]
    posted = [day, day]
    return [
        *est,
        *op,
        *est,
        *posted,
        *est,
        *op,
        *est,
        *posted,
        day.year,
        *tiers,
        day,
        like,
    ]


def coverage_floor(prefix: str, days: list[datetime.date]) -> dict:
    """Per-town figures at each of ``days`` for the towns under ``prefix``, plus whether
    a centre is established / operating on the first day."""
    towns_sql, villages_sql, units_sql, centres_sql = _sql()
    like = prefix + "%"
    with connection.cursor() as cursor:
        cursor.execute(towns_sql, [Level.TOWN, True, like])
        names = dict(cursor.fetchall())
        cursor.execute(villages_sql, [Level.VILLAGE, True, like])
        villages = dict(cursor.fetchall())
        by_day = {}
        for day in days:
            rows = {
                code: {"villages": villages.get(code, 0), **dict.fromkeys(FIGURES, 0)}
                for code in names
            }
            cursor.execute(units_sql, _unit_params(day, like))
            for town, *figures in cursor.fetchall():
                if town in rows:
                    rows[town].update(zip(FIGURES, figures, strict=True))
            by_day[day] = rows
        cursor.execute(centres_sql, [days[0], days[0], days[0], days[0], like])
        centre_established, centre_operating = cursor.fetchone()
    return {
        "names": names,
        "by_day": by_day,
        "center_established": centre_established > 0,
        "center_operating": centre_operating > 0,
    }


def totals(rows: dict) -> dict[str, int]:
    keys = ["villages", *FIGURES]
    return {key: sum(row[key] for row in rows.values()) for key in keys}


# The columns the units API returns: the register's identity and lifecycle, then its details.
UNIT_VALUES = [
    "id",
    "kind",
    "division",
    "division__name",
    "status",
    "planned_on",
    "established_on",
    "operating_on",
    "demonstration_on",
    "closed_on",
    *DETAIL_FIELDS,
]


def bare_units(request):
    """The floor of the units list: the same first 50 rows in scope, as plain JSON."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "not authenticated"}, status=403)
    rows = list(Unit.objects.visible_to(request.user).values(*UNIT_VALUES)[:50])
    return JsonResponse({"results": rows})


def signed_in(request):
    """The soak's floor: a signed-in request that does nothing more."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "not authenticated"}, status=403)
    return JsonResponse({"user": request.user.pk})


# -- the lists over HTTP (issue 10, item 12; bench/lists.py) ---------------------------------
# Each floor authenticates as the API does (the same knox token), then reads the same rows
# from the same scoped SQL with ``.values()`` and returns them as plain JSON: no DRF, no
# serializer, no count, no decryption, no masking.

CLIENT_VALUES = ["id", "name", "division_id", "division__name", "risk_tier", "next_visit_due"]
DUE_VALUES = [
    "id",
    "name",
    "division_id",
    "risk_tier",
    "living_situation",
    "last_visited_on",
    "next_visit_due",
]


def _token_user(request):
    from knox.auth import TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed

    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        found = None
    return found[0] if found else None


def bare_clients(request):
    """The client list's floor: the same 50 rows (``?after=<id>``: after that row, on the
    same keyset; ``?page=n``: the same offset)."""
    from shegong.clients.selectors import clients_for
    from shegong.common.paging import after, parse_after

    user = _token_user(request)
    if user is None:
        return JsonResponse({"detail": "not authenticated"}, status=401)
    rows = clients_for(user).order_by("division_id", "name", "id")
    anchor = parse_after(request.GET.get("after"))
    if anchor is not None:
        rows = after(rows, anchor)
    start = (int(request.GET.get("page", "1")) - 1) * 50
    return JsonResponse({"results": list(rows.values(*CLIENT_VALUES)[start : start + 50])})


def bare_overdue(request):
    """The overdue list's floor: the same 50 clients, most overdue first."""
    from django.utils import timezone

    from shegong.clients.selectors import clients_for

    user = _token_user(request)
    if user is None:
        return JsonResponse({"detail": "not authenticated"}, status=401)
    rows = (
        clients_for(user)
        .filter(next_visit_due__lt=timezone.localdate())
        .order_by("next_visit_due", "division_id", "id")
    )
    return JsonResponse({"results": list(rows.values(*DUE_VALUES)[:50])})
