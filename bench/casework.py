"""Casework benchmarks (issue 3): searching 200,000 clients and listing overdue visits with
2,000,000 service records on the books, each next to the bare indexed SQL. The data is in
``bench/casework_data.py``, the roster import in ``bench/roster.py``.
"""

import datetime
import json
import random

from django.db import connection

from .casework_data import DISTRICT


def _api(path, user, *, method="get", data=None):
    from django.conf import settings
    from django.test import RequestFactory
    from django.urls import resolve
    from rest_framework.test import force_authenticate

    factory = RequestFactory(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    view = resolve(path.split("?")[0]).func

    def call():
        if method == "post":
            request = factory.post(path, data=json.dumps(data), content_type="application/json")
        else:
            request = factory.get(path, HTTP_ACCEPT="application/json")
        user.__dict__.pop("_shegong_grants", None)
        user.__dict__.pop("_shegong_scopes", None)
        force_authenticate(request, user=user)
        response = view(request)
        response.render()
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return json.loads(response.content)

    return call


def _bare(sql, params, count_sql, count_params):
    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute(count_sql, count_params)
            return rows, cursor.fetchone()[0]

    return call


CLIENT_COLUMNS = (
    "c.id, c.name, c.name_initials, c.division_id, c.address, c.id_number, c.phone, "
    "c.health_notes, c.birth_date, c.sex, c.risk_tier, c.next_visit_due"
)


def _search_floor(where: str, params: list, prefix: str):
    """The indexed query the search needs: the first page in order, and the count."""
    base = (
        f"FROM clients_client c WHERE c.division_id LIKE %s AND c.merged_into_id IS NULL "
        f"AND {where}"
    )
    return _bare(
        f"SELECT {CLIENT_COLUMNS} {base} ORDER BY c.division_id, c.name, c.id LIMIT 50",
        [prefix + "%", *params],
        f"SELECT COUNT(*) {base}",
        [prefix + "%", *params],
    )


def search_cases(users, rng) -> list[tuple[str, object, object, object]]:
    """(name, figure, floor, check) for each kind of search a worker types."""
    from shegong.clients.models import Client
    from shegong.common.crypto import lookup_hash

    district = users["district"]
    sample = list(
        Client.objects.filter(division__code__startswith=DISTRICT)
        .order_by("?")
        .values_list("pk", "name", "name_initials")[:200]
    )
    pk, name, initials = sample[0]
    number = Client.objects.get(pk=pk).id_number
    phone = Client.objects.get(pk=pk).phone
    surname = name[0]
    cases = [
        (
            f"search by pinyin initials '{initials[:2]}'",
            {"q": initials[:2]},
            ("c.name_initials LIKE %s", [initials[:2] + "%"]),
        ),
        (
            "search by exact ID number (keyed hash)",
            {"q": number},
            ("c.id_number_hash = %s", [lookup_hash(number)]),
        ),
        (
            "search by phone (keyed hash)",
            {"q": phone},
            ("c.phone_hash = %s", [lookup_hash(phone)]),
        ),
        (
            f"search by name '{surname}' (substring)",
            {"q": surname},
            ("UPPER(c.name) LIKE UPPER(%s)", [f"%{surname}%"]),
        ),
    ]
    out = []
    for label, body, (where, params) in cases:
        figure = _api("/api/v1/clients/search/", district, method="post", data=body)
        floor = _search_floor(where, params, DISTRICT)
        out.append((label, figure, floor))
    return out


def overdue_cases(users) -> list:
    from django.utils import timezone

    today = timezone.localdate()
    out = []
    for who, user in (("district (Yubei)", users["district"]), ("station", users["station"])):
        prefix = user.grants.get().unit.division_id
        base = (
            "FROM clients_client c WHERE c.division_id LIKE %s AND c.merged_into_id IS NULL "
            "AND c.next_visit_due <= %s"
        )
        params = [prefix + "%", today - datetime.timedelta(days=1)]
        floor = _bare(
            f"SELECT c.id, c.name, c.division_id, c.risk_tier, c.living_situation, "
            f"c.last_visited_on, c.next_visit_due {base} "
            f"ORDER BY c.next_visit_due, c.division_id, c.id LIMIT 50",
            params,
            f"SELECT COUNT(*) {base}",
            params,
        )
        figure = _api("/api/v1/visits/due/?overdue=true", user)
        out.append((f"overdue visits, {who}", figure, floor))
    return out


def bench_search_and_overdue(users, runs, warmup, measure_pair) -> list:
    rng = random.Random(7)
    results = []
    for name, figure, floor in search_cases(users, rng) + overdue_cases(users):
        api_body, (rows, count) = figure(), floor()
        assert api_body["count"] == count, (name, api_body["count"], count)
        assert [r["id"] for r in api_body["results"]] == [r[0] for r in rows], name
        print(f"{name}: {count:,} matches; the floor returns the same first {len(rows)} rows.")
        results.append(
            measure_pair(
                name,
                ("API (view called directly)", figure),
                ("bare indexed SQL", floor),
                runs=runs,
                warmup=warmup,
            )
        )
    return results
