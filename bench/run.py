"""Benchmarks: the coverage report over all of Chongqing and the scoped units API, each
next to a floor measured in the same run (see docs/benchmarks.md).

    make bench                                   # SQLite, var/bench.sqlite3
    DATABASE_URL=postgres://u:p@host/db make bench   # PostgreSQL, database db_bench
    BENCH_ARGS="--quick --record" make bench     # fewer runs; write docs/benchmarks.md

The benchmarks never touch the developer's database: SQLite runs use var/bench.sqlite3,
PostgreSQL runs use ``<name>_bench`` on the same server (created when missing).
"""

import argparse
import datetime
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
PG_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


# --- database selection (before Django reads its settings) ----------------------------------


def choose_database() -> None:
    """Point DATABASE_URL at the benchmark's own database."""
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme if url else "sqlite"
    if scheme.startswith("sqlite"):
        var = Path(os.environ.get("SHEGONG_VAR_DIR", ROOT / "var"))
        var.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
        return
    if scheme not in PG_SCHEMES:
        sys.exit(f"bench: DATABASE_URL scheme {scheme!r} is not supported (SQLite, PostgreSQL).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "shegong"
    bench_name = name if name.endswith("_bench") else f"{name}_bench"
    _create_pg_database(url, bench_name)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + bench_name))


def _create_pg_database(url: str, name: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        **{k: v for k, v in (cfg.get("OPTIONS") or {}).items() if isinstance(v, str)},
    }
    params = {k: v for k, v in params.items() if v is not None}
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created PostgreSQL database {name}.")
    except psycopg.Error as exc:
        sys.exit(
            f"bench: cannot create or reach database {name!r}: {exc}\n"
            "The role needs CREATEDB, or create the database by hand."
        )


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.config.settings")
    # Query logging under DEBUG would grow without bound and slow every query.
    os.environ["SHEGONG_DEBUG"] = "0"
    choose_database()
    import django

    django.setup()


# --- timing ------------------------------------------------------------------------------


@dataclass
class Samples:
    label: str
    ms: list[float]
    queries: int

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Result:
    name: str
    figure: Samples
    floor: Samples

    @property
    def ratio(self) -> float:
        return self.figure.median / self.floor.median


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def measure_pair(name, figure, floor, *, runs: int, warmup: int) -> Result:
    """Warm both up, then alternate them run by run (swapping which goes first) so drift
    and cache state affect both alike."""
    for _ in range(warmup):
        figure[1]()
        floor[1]()
    times: dict[int, list[float]] = {0: [], 1: []}
    fns = [figure[1], floor[1]]
    for i in range(runs):
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for which in order:
            started = time.perf_counter()
            fns[which]()
            times[which].append((time.perf_counter() - started) * 1000)
    return Result(
        name,
        Samples(figure[0], times[0], count_queries(figure[1])),
        Samples(floor[0], times[1], count_queries(floor[1])),
    )


# --- benchmarks --------------------------------------------------------------------------


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


def bench_coverage(users, runs, warmup) -> list[Result]:
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


def pg_setting(name: str) -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def bench_units_api(users, runs, warmup) -> list[Result]:
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


# --- reporting ---------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    head = (
        "| Benchmark | Figure | Median ms | p95 ms | Queries | Floor | Median ms | p95 ms "
        "| Queries | Ratio |"
    )
    lines = [head, "|" + "---|" * 10]
    for r in results:
        f, b = r.figure, r.floor
        lines.append(
            f"| {r.name} | {f.label} | {f.median:.1f} | {f.p95:.1f} | {f.queries} "
            f"| {b.label} | {b.median:.1f} | {b.p95:.1f} | {b.queries} | {r.ratio:.1f}× |"
        )
    return "\n".join(lines)


def machine() -> dict[str, str]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
        elif connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            db = connection.vendor
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    if connection.vendor == "postgresql":
        db += f" (jit={pg_setting('jit')})"
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "load average unknown"
    return {
        "load": load,
        "db": db,
        "vendor": connection.vendor,
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "django": django.get_version(),
        "commit": commit,
    }


def record(results, info, counts_line, runs_line, extra="", group=None) -> None:
    """Replace this vendor's section (a partial run, ``--only``, has a section of its own)."""
    today = datetime.date.today().isoformat()
    tag = info["vendor"] + (f":{group}" if group else "")
    start, end = f"<!-- bench:{tag} -->", f"<!-- /bench:{tag} -->"
    section = "\n".join(
        [
            start,
            f"### {info['db']}{f' — {group} only' if group else ''} — {today}",
            "",
            f"- Machine: {info['cpus']} CPUs ({info['cpu']}), {info['os']}, "
            f"Python {info['python']}, Django {info['django']}, commit {info['commit']}; "
            f"{info['load']} at the end of the run",
            f"- Data: {counts_line}",
            f"- Runs: {runs_line}",
            "",
            table(results),
            *(["", extra] if extra else []),
            end,
        ]
    )
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n\n## Results\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text)
    print(f"Recorded in {DOCS.relative_to(ROOT)}.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--reload", action="store_true", help="regenerate the data")
    parser.add_argument("--runs", type=int, help="repetitions per benchmark (overrides)")
    parser.add_argument("--clients", type=int, help="casework: clients (default 200,000)")
    parser.add_argument("--records", type=int, help="casework: service records (2,000,000)")
    parser.add_argument("--import-runs", type=int, help="roster imports of each kind (3)")
    parser.add_argument(
        "--only",
        choices=["network", "casework", "purchasing"],
        help="run one group of benchmarks",
    )
    args = parser.parse_args(argv)

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from .data import db_counts, ensure_data

    db = connection.settings_dict
    print(f"Benchmark database: {connection.vendor} {db['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    users = ensure_data(reload=args.reload)
    translation.activate("zh-hans")

    coverage_runs, coverage_warmup = (5, 1) if args.quick else (15, 2)
    api_runs, api_warmup = (30, 5) if args.quick else (200, 20)
    if args.runs:
        coverage_runs = api_runs = args.runs
    results, extra = [], ""
    if args.only in (None, "network"):
        results += bench_coverage(users, coverage_runs, coverage_warmup)
        results += bench_units_api(users, api_runs, api_warmup)
    if args.only != "network":
        from . import casework

        cw_users = casework.ensure_casework_data(
            clients=args.clients or casework.CLIENTS, records=args.records or casework.RECORDS
        )
        if args.only != "purchasing":
            results += casework.bench_search_and_overdue(
                cw_users, api_runs, api_warmup, measure_pair
            )
            import_runs = args.import_runs or (1 if args.quick else 3)
            extra = casework.import_table(*casework.bench_import(import_runs))
        if args.only != "casework":
            from . import purchasing

            board_runs = args.runs or (3 if args.quick else 9)
            results += purchasing.bench_board(cw_users, board_runs, 1, measure_pair)

    info = machine()
    counts = db_counts()
    if args.only != "network":
        counts |= casework.casework_counts()
    counts_line = ", ".join(f"{n:,} {what}" for what, n in counts.items())
    runs = []
    if args.only in (None, "network"):
        runs.append(
            f"coverage {coverage_runs} (+{coverage_warmup} warm-up), API {api_runs} "
            f"(+{api_warmup} warm-up)"
        )
    if args.only in (None, "casework"):
        runs.append(
            f"search and overdue {api_runs} (+{api_warmup} warm-up), roster import "
            f"{import_runs} each in a fresh process"
        )
    if args.only in (None, "purchasing"):
        runs.append(f"indicator board {board_runs} (+1 warm-up)")
    runs_line = "; ".join(runs) + "; figure and floor alternate"
    print()
    print(
        f"{info['db']} · {info['cpus']} CPUs · {info['load']} · Python {info['python']} · "
        f"Django {info['django']} · {runs_line}"
    )
    print(table(results))
    print()
    if extra:
        print(extra)
        print()
    print("Ratio = figure median / floor median; both measured in this run.")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("Warning: the machine was busy during the run (see the load average); expect noise.")
    if args.record:
        record(results, info, counts_line, runs_line, extra, group=args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
