"""Network benchmarks: the coverage report over all of Chongqing and the scoped units API,
each next to its floor (``bench/floors.py``)."""

from .database import pg_setting
from .timing import measure_pair


def fresh(user):
    """Forget the grants cached on the user object, as a new request would."""
    user.__dict__.pop("_shegong_grants", None)
    return user


def check_coverage(user, as_of, days):
    """The floor must compute what the report shows: same towns, same figures, every date."""
    from shegong.cockpit.coverage import _rows_at, coverage_report

    from .floors import FIGURES, coverage_floor, totals

    report = coverage_report(fresh(user), as_of)
    floor = coverage_floor("50", days)
    fields = ["villages", *FIGURES]
    assert totals(floor["by_day"][as_of]) == {k: getattr(report.total, k) for k in fields}, (
        "floor totals differ from the report's",
        totals(floor["by_day"][as_of]),
        report.total,
    )
    assert (report.center_established, report.center_operating) == (
        floor["center_established"],
        floor["center_operating"],
    )
    for day in days:
        rows = _rows_at(fresh(user), day)
        assert set(rows) == set(floor["by_day"][day]), day
        for code, row in rows.items():
            got = {k: getattr(row, k) for k in fields}
            assert got == floor["by_day"][day][code], (day, code, got, floor["by_day"][day][code])
    return report


def bench_coverage(users, runs, warmup) -> list:
    from django.db import connection

    from shegong.cockpit.coverage import MILESTONES, _rows_at, coverage_report

    from .data import DATA_END
    from .floors import coverage_floor

    user, as_of = users["province"], DATA_END
    days = [as_of, *(due for _key, due, _label in MILESTONES if as_of >= due)]
    report = check_coverage(user, as_of, days)
    print(
        f"Coverage at {as_of}: {report.towns_count:,} towns, {report.total.villages:,} villages, "
        f"{report.total.station_established:,} stations and {report.total.rooms_established:,} "
        f"rooms established; floor agrees on every town at {', '.join(map(str, days))}."
    )
    results = [
        measure_pair(
            f"coverage_report, all Chongqing ({len(days)} dates)",
            ("coverage_report", lambda: coverage_report(fresh(user), as_of)),
            ("bare SQL", lambda: coverage_floor("50", days)),
            runs=runs,
            warmup=warmup,
        ),
        measure_pair(
            "coverage figures at one date (_rows_at)",
            ("_rows_at", lambda: _rows_at(fresh(user), as_of)),
            ("bare SQL", lambda: coverage_floor("50", [as_of])),
            runs=runs,
            warmup=warmup,
        ),
    ]
    if pg_setting("jit") == "on":
        # The province-wide statements are costed above jit_optimize_above_cost, so
        # PostgreSQL spends most of their time compiling them; show what is left without.
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        try:
            results.append(
                measure_pair(
                    f"coverage_report, all Chongqing ({len(days)} dates), session jit=off",
                    ("coverage_report", lambda: coverage_report(fresh(user), as_of)),
                    ("bare SQL", lambda: coverage_floor("50", days)),
                    runs=runs,
                    warmup=warmup,
                )
            )
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET jit")
    return results


def bench_units_api(users, runs, warmup) -> list:
    import json

    from django.conf import settings
    from django.test import Client, RequestFactory, override_settings
    from django.urls import resolve
    from rest_framework.test import force_authenticate

    from .floors import bare_units

    user = users["district"]
    results = []
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

        def api():
            response = client.get("/api/v1/units/", HTTP_ACCEPT="application/json")
            assert response.status_code == 200, response.status_code
            return response

        def bare():
            response = client.get("/bench/units/")
            assert response.status_code == 200, response.status_code
            return response

        api_body, bare_body = json.loads(api().content), json.loads(bare().content)
        api_ids = [row["id"] for row in api_body["results"]]
        assert len(api_ids) == 50, len(api_ids)
        assert api_ids == [row["id"] for row in bare_body["results"]], "different rows"
        assert all(row["division"].startswith("500112") for row in api_body["results"])
        print(
            f"Units API as a Yubei district administrator: {api_body['count']:,} units in "
            f"scope, page of {len(api_ids)}; the floor returns the same {len(api_ids)} rows."
        )
        results.append(
            measure_pair(
                "units API list, test Client (full stack)",
                ("GET /api/v1/units/", api),
                ("bare JsonResponse view", bare),
                runs=runs,
                warmup=warmup,
            )
        )

        factory = RequestFactory(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        api_view = resolve("/api/v1/units/").func

        def api_direct():
            request = factory.get("/api/v1/units/", HTTP_ACCEPT="application/json")
            force_authenticate(request, user=fresh(user))
            response = api_view(request)
            response.render()
            assert response.status_code == 200
            return response

        def bare_direct():
            request = factory.get("/bench/units/")
            request.user = fresh(user)
            response = bare_units(request)
            assert response.status_code == 200
            return response

        assert [r["id"] for r in json.loads(api_direct().content)["results"]] == api_ids
        assert [r["id"] for r in json.loads(bare_direct().content)["results"]] == api_ids
        results.append(
            measure_pair(
                "units API list, view called directly",
                ("UnitViewSet list", api_direct),
                ("bare JsonResponse view", bare_direct),
                runs=runs,
                warmup=warmup,
            )
        )
    return results
