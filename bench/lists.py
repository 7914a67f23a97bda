"""Lists over HTTP (issue 10, item 12): gunicorn and PostgreSQL at 200,000 clients and
2,000,000 service records (``bench/casework_data.py``), each list next to a bare Django view
serving the same rows (``bench/floors.py``) from the same server in the same run.

    DATABASE_URL=postgres://… BENCH_ARGS="--only lists" make bench
    DATABASE_URL=postgres://… BENCH_ARGS="--only lists --record" make bench

Measured, each figure with its floor: the client list's first page and a deep page (the
keyset page after the 100,000th client, and numbered page 200: ``OFFSET 9,950``) as the
district's administrator, the overdue list of the district and of a station, and the
workbench (``GET /api/v1/workbench/``) of a room worker and of a station when the project
has one. At one client the figure and the floor alternate request by request; at ten
concurrent clients, ten threads alternate them for ``--lists-seconds`` seconds. Latency is
what the client saw (the load generator runs on the same machine). Targets: at one client
p95 ≤ 50 ms and ≤ 3× the floor's p95; at ten, ≤ 3× the floor's p95.
"""

import statistics
import threading
import time
from dataclasses import dataclass

WORKERS = 4
TARGET_MS = 50
TARGET_RATIO = 3


@dataclass
class Pair:
    name: str
    user: str  # key into the tokens
    figure: str
    floor: str


@dataclass
class Timings:
    ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.ms)
        return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def bench_users(cw_users) -> dict:
    """The district administrator, the casework station account and a room worker of the
    room with the most clients; each with an API token (made here: the administrator's
    second factor is the login's business, not the benchmark's)."""
    from django.db.models import Count

    from shegong.access.models import Role, RoleGrant, User
    from shegong.access.services import token_create
    from shegong.clients.models import Client
    from shegong.network.models import Unit, UnitKind

    room_user, created = User.objects.get_or_create(
        username="bench-room", defaults={"display_name": "基准测试·社区", "division_id": "500112"}
    )
    if created:
        busiest = (
            Client.objects.filter(division__code__startswith="500112")
            .values("division_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()["division_id"]
        )
        room = Unit.objects.get(kind=UnitKind.ROOM, division_id=busiest, closed_on=None)
        RoleGrant.objects.create(user=room_user, role=Role.ROOM_WORKER, unit=room)
    users = {"district": cw_users["district"], "station": cw_users["station"], "room": room_user}
    return {key: token_create(user=user)[1] for key, user in users.items()}


def deep_anchor(user) -> int:
    from shegong.clients.selectors import clients_for

    ids = clients_for(user).order_by("division_id", "name", "id").values_list("id", flat=True)
    return ids[100_000 - 1]


def pairs(cw_users, has_workbench: bool) -> list[Pair]:
    anchor = deep_anchor(cw_users["district"])
    out = [
        Pair(
            "client list, first page (district)", "district", "/api/v1/clients/", "/bench/clients/"
        ),
        Pair(
            "client list, keyset page after 100,000 (district)",
            "district",
            f"/api/v1/clients/?after={anchor}",
            f"/bench/clients/?after={anchor}",
        ),
        Pair(
            "client list, page 200 (offset 9,950; district)",
            "district",
            "/api/v1/clients/?page=200",
            "/bench/clients/?page=200",
        ),
        Pair(
            "overdue list (district)",
            "district",
            "/api/v1/visits/due/?overdue=true",
            "/bench/overdue/",
        ),
        Pair(
            "overdue list (station)",
            "station",
            "/api/v1/visits/due/?overdue=true",
            "/bench/overdue/",
        ),
    ]
    if has_workbench:
        out += [
            Pair("workbench (room worker)", "room", "/api/v1/workbench/", "/bench/overdue/"),
            Pair("workbench (station)", "station", "/api/v1/workbench/", "/bench/overdue/"),
        ]
    return out


def _session(token):
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    session.headers["Accept"] = "application/json"
    return session


def _get(session, url) -> float:
    started = time.perf_counter()
    response = session.get(url, timeout=60)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
    return elapsed


def one_client(base, token, pair, runs, warmup) -> tuple[Timings, Timings]:
    session = _session(token)
    fig, flo = base + pair.figure, base + pair.floor
    for _ in range(warmup):
        _get(session, fig)
        _get(session, flo)
    out = {0: [], 1: []}
    for i in range(runs):
        order = ((0, fig), (1, flo)) if i % 2 == 0 else ((1, flo), (0, fig))
        for which, url in order:
            out[which].append(_get(session, url))
    return Timings(out[0]), Timings(out[1])


def concurrent(base, token, pair, clients, seconds) -> tuple[Timings, Timings]:
    out = {0: [], 1: []}
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    errors = []

    def loop(n):
        session = _session(token)
        urls = [(0, base + pair.figure), (1, base + pair.floor)]
        if n % 2:
            urls.reverse()
        try:
            while time.monotonic() < stop:
                for which, url in urls:
                    ms = _get(session, url)
                    with lock:
                        out[which].append(ms)
        except Exception as exc:  # reported after the run
            errors.append(str(exc))

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return Timings(out[0]), Timings(out[1])


def verdict(one, ten) -> str:
    (f1, b1), (f10, b10) = one, ten
    ok = f1.p95 <= TARGET_MS and f1.p95 <= TARGET_RATIO * b1.p95
    ok = ok and f10.p95 <= TARGET_RATIO * b10.p95
    return "pass" if ok else "FAIL"


def run(args, cw_users) -> list[str]:
    """Start gunicorn, measure every pair, return the table's lines."""
    from django.db import connection

    from .soak import Server

    tokens = bench_users(cw_users)
    has_workbench = _has_workbench()
    todo = pairs(cw_users, has_workbench)
    connection.close()
    # A cold worker's first request imports every view (PDF, jieba…): on a busy shared
    # machine that can pass gunicorn's default 30 s, so the timeout is longer here.
    server = Server.start(WORKERS, timeout=300)
    rows = []
    try:
        for pair in todo:
            token = tokens[pair.user]
            one = one_client(server.base, token, pair, args.lists_runs, 10)
            ten = concurrent(server.base, token, pair, 10, args.lists_seconds)
            rows.append((pair, one, ten))
            print(_row(pair, one, ten), flush=True)
    finally:
        server.stop()
    return _table(rows, has_workbench)


def _has_workbench() -> bool:
    from django.urls import NoReverseMatch, Resolver404, resolve

    try:
        resolve("/api/v1/workbench/")
    except (Resolver404, NoReverseMatch):
        return False
    return True


HEADER = (
    "| List | 1 client: p50 / p95 ms | floor p50 / p95 ms | p95 ÷ floor | "
    "10 concurrent: p50 / p95 ms | floor p50 / p95 ms | p95 ÷ floor | Target |\n"
    "|---|---|---|---|---|---|---|---|"
)


def _row(pair, one, ten) -> str:
    (f1, b1), (f10, b10) = one, ten
    return (
        f"| {pair.name} | {f1.p50:.1f} / {f1.p95:.1f} | {b1.p50:.1f} / {b1.p95:.1f} | "
        f"{f1.p95 / b1.p95:.1f}× | {f10.p50:.1f} / {f10.p95:.1f} | "
        f"{b10.p50:.1f} / {b10.p95:.1f} | {f10.p95 / b10.p95:.1f}× | {verdict(one, ten)} |"
    )


def _table(rows, has_workbench) -> list[str]:
    lines = [HEADER, *(_row(*r) for r in rows)]
    if not has_workbench:
        lines += [
            "",
            "The project has no `/api/v1/workbench/` yet: the workbench rows are left out.",
        ]
    return lines


def main(args) -> int:
    """``--only lists``: PostgreSQL only (the figures are gunicorn's and PostgreSQL's)."""
    import datetime
    import os

    from django.core.management import call_command
    from django.db import connection

    from . import casework_data
    from .data import ensure_data
    from .report import machine, write_section

    if connection.vendor != "postgresql":
        print("Lists over HTTP: skipped, they run on PostgreSQL (DATABASE_URL=postgres://…).")
        return 0
    call_command("migrate", interactive=False, verbosity=0)
    ensure_data()
    if args.lists_as_loaded:
        # Measure whatever casework data the database holds (e.g. while a load goes on).
        from shegong.access.models import User

        cw_users = {
            "district": User.objects.get(username="bench-district"),
            "station": User.objects.get(username=casework_data.STATION_USER),
        }
    else:
        cw_users = casework_data.ensure_casework_data(
            clients=args.clients or casework_data.CLIENTS,
            records=args.records or casework_data.RECORDS,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_client")
    load_before = os.getloadavg()
    lines = run(args, cw_users)
    info = machine()
    counts = casework_data.casework_counts()
    head = [
        f"### Lists over HTTP — {info['db']}, gunicorn ({WORKERS} sync workers) — "
        f"{datetime.date.today().isoformat()}",
        "",
        f"- Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}, "
        f"Django {info['django']}, commit {info['commit']}; load average "
        f"{' '.join(f'{x:.2f}' for x in load_before)} at the start, {info['load']} at the "
        "end (other work shares the machine: the floors, measured alongside, carry the same "
        "load)",
        f"- Data: {counts['clients']:,} clients, {counts['service records']:,} service records "
        "(Yubei); the district administrator sees all of them",
        f"- Runs: {args.lists_runs} requests each at one client (figure and floor alternate, "
        f"after 10 warm-up), then 10 clients for {args.lists_seconds} s alternating them; "
        "client-side latency, the load generator on the same machine",
        "- Command: `DATABASE_URL=postgres://shegong:shegong@127.0.0.1:5432/shegong "
        'BENCH_ARGS="--only lists --record" make bench`',
        "",
    ]
    print("\n".join(head + lines))
    if args.record:
        write_section(f"{info['vendor']}:lists", head + lines)
    return 0
