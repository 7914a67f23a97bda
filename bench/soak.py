"""Soak (issue 9): 50 clients at once for 10 minutes against gunicorn and PostgreSQL, mixing
reads and writes as the district's workers do, next to a floor served by the same server in
the same run. It passes with no error and flat memory.

    DATABASE_URL=postgres://… BENCH_ARGS="--only soak" make bench
    DATABASE_URL=postgres://… SOAK_SECONDS=30 BENCH_ARGS="--only soak" make bench

Each client is a signed-in station or room worker (``bench/soak_data.py``) with a browser
session (the login page) and an API token (``POST /api/v1/auth/token/``), looping without
pause over a weighted mix: the client list and a client's page, a case's page, the API's
client list and detail, a PATCH of a client (``If-Match`` from the detail's ``ETag``), a
visit and a service record created through the API — and the floor, a signed-in request
that does nothing (``bench.floors.signed_in``), drawn in the same mix so it waits in the
same queue. Every answer other than the expected status is an error, as is a refused
connection, a time-out, a gunicorn worker restarted or a line of the server's error log.
The gunicorn workers' resident memory is sampled throughout and reported at the start,
middle and end of the measured window (after a warm-up); ``--max-requests`` is not set,
so a leak would show.
"""

import argparse
import math
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .database import PG_SCHEMES, ROOT, pg_admin
from .soak_report import FLOOR, MIX, Outcome, Tally, print_report, record

# A worker reaches its working size after some hundreds of requests (caches, the allocator's
# arenas): the warm-up lets it, so that growth in the window is growth that goes on.
DEFAULTS = {"seconds": 600, "clients": 50, "workers": 4, "warmup": 120}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The soak's options (also on ``make bench``'s command line)."""
    parser.add_argument(
        "--soak-seconds",
        type=int,
        default=int(os.environ.get("SOAK_SECONDS", DEFAULTS["seconds"])),
        help="soak: measured seconds (SOAK_SECONDS; default 600)",
    )
    parser.add_argument(
        "--soak-clients", type=int, default=DEFAULTS["clients"], help="soak: clients (50)"
    )
    parser.add_argument(
        "--soak-workers", type=int, default=DEFAULTS["workers"], help="soak: gunicorn workers (4)"
    )
    parser.add_argument(
        "--soak-warmup",
        type=int,
        help="soak: seconds of load before the measured window (120; less for short runs)",
    )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.soak", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--reload", action="store_true", help="re-seed the template database")
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    args, _others = parser.parse_known_args(argv)  # make bench's own options pass through
    if args.soak_warmup is None:
        args.soak_warmup = min(DEFAULTS["warmup"], max(5, args.soak_seconds // 5))
    return args


# -- the databases -----------------------------------------------------------------------------


def soak_urls(url: str) -> tuple[str, str]:
    """(template URL, working copy URL) beside DATABASE_URL's database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "shegong"
    name = name.removesuffix("_bench")
    return tuple(
        urlunsplit(parts._replace(path=f"/{name}{suffix}")) for suffix in ("_soak_seed", "_soak")
    )


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def prepare_databases(url: str, reload: bool) -> str:
    """Build the template if missing (or ``reload``), copy it afresh; the copy's URL."""
    from psycopg import sql

    template_url, work_url = soak_urls(url)
    template, work = _name(template_url), _name(work_url)
    with pg_admin(url) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if reload or not exists.fetchone():
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(template)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
            print(f"Seeding {template} (seed_demo and the soak's accounts; once)…", flush=True)
            seeded = subprocess.run(
                [sys.executable, "-m", "bench.soak_data"],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": template_url},
            )
            if seeded.returncode != 0:  # no half-seeded template for the next run
                admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(template)))
                sys.exit("soak: seeding the template database failed (above).")
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(work))
        )
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(work), sql.Identifier(template)
            )
        )
    return work_url


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The access log names the request's action (the X-Soak header: index in MIX, and 1 when
# inside the measured window) and its time in the worker (microseconds), waiting excluded.
ACCESS_FORMAT = "%({x-soak}i)s %(s)s %(D)s"


@dataclass
class Server:
    """gunicorn as the README deploys it (sync workers), its error output and Django's
    log in ``var/soak-gunicorn.log``, its access log in ``var/soak-access.log``."""

    process: subprocess.Popen
    base: str
    log: Path
    access: Path

    @classmethod
    def start(cls, workers: int, timeout: int = 30) -> "Server":
        port = free_port()
        var = Path(os.environ.get("SHEGONG_VAR_DIR", ROOT / "var"))
        log, access = var / "soak-gunicorn.log", var / "soak-access.log"
        log.unlink(missing_ok=True)
        access.unlink(missing_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.soak_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
            "SHEGONG_DEBUG": "0",
            "SHEGONG_TASKS_BACKEND": "immediate",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "shegong.config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--timeout={timeout}",
            "--log-level=warning",
            "--error-logfile=-",
            f"--access-logfile={access}",
            f"--access-logformat={ACCESS_FORMAT}",
        ]
        with open(log, "ab") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        server = cls(process, f"http://127.0.0.1:{port}", log, access)
        server.wait_ready(max(120, 4 * timeout))
        return server

    def wait_ready(self, timeout=120) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"soak: gunicorn exited ({self.process.returncode}); see {self.log}")
            try:
                if requests.get(self.base + "/login/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        sys.exit(f"soak: gunicorn did not answer within {timeout} s; see {self.log}")

    def workers(self) -> list[int]:
        """The worker processes: the master's children."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def error_lines(self) -> list[str]:
        if not self.log.exists():
            return []
        return [line for line in self.log.read_text().splitlines() if line.strip()]

    def times(self) -> dict[str, list[float]]:
        """Milliseconds in the worker for each action, requests inside the window only."""
        names = [name for name, _weight in MIX]
        out = defaultdict(list)
        for line in self.access.read_text().splitlines():
            tag, _status, micros = line.split()
            index, _sep, counted = tag.partition(":")
            if counted == "1":
                out[names[int(index)]].append(int(micros) / 1000)
        return out

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- the clients -------------------------------------------------------------------------------


class Window:
    """The measured window: requests started inside it count."""

    def __init__(self):
        self.start = self.end = math.inf

    def open(self, start: float, seconds: int) -> None:
        self.start, self.end = start, start + seconds

    def counts(self, t: float) -> bool:
        return self.start <= t < self.end


class Client(threading.Thread):
    """One worker at a browser and an API client, looping over the mix until the end."""

    def __init__(self, n, persona, patch_targets, base, window, ready, stop_at):
        super().__init__(daemon=True, name=f"soak-{n}")
        self.rng = random.Random(n)
        self.persona, self.patch_targets = persona, patch_targets
        self.base, self.window, self.ready, self.stop_at = base, window, ready, stop_at
        self.tally = Tally()
        self.failed = None
        self.actions = {
            "client list (page)": self.client_list_page,
            "client page": self.client_page,
            "case page": self.case_page,
            "API client list": self.api_client_list,
            "API client detail": self.api_client_detail,
            "API PATCH client": self.api_patch_client,
            "API visit create": self.api_visit,
            "API service record create": self.api_service_record,
            FLOOR: self.floor,
        }
        self.names = [name for name, _w in MIX]
        self.index = {name: i for i, name in enumerate(self.names)}
        self.weights = [w for _n, w in MIX]

    # sign-in ------------------------------------------------------------------------------

    def sign_in(self) -> None:
        import requests

        from .soak_data import PASSWORD

        self.page = requests.Session()
        self.page.get(self.base + "/login/", timeout=60).raise_for_status()
        response = self.page.post(
            self.base + "/login/",
            data={
                "username": self.persona.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.page.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
            timeout=60,
        )
        if response.status_code != 302 or "sessionid" not in self.page.cookies:
            raise RuntimeError(f"login of {self.persona.username}: {response.status_code}")
        self.api = requests.Session()
        response = self.api.post(
            self.base + "/api/v1/auth/token/",
            json={"username": self.persona.username, "password": PASSWORD},
            timeout=60,
        )
        token = response.json().get("token") if response.ok else None
        if not token:
            raise RuntimeError(
                f"token of {self.persona.username}: {response.status_code} {response.text[:200]}"
            )
        self.api.headers["Authorization"] = f"Token {token}"

    # requests ------------------------------------------------------------------------------

    def call(self, name, session, method, path, expect, **kwargs):
        started = time.monotonic()
        counted = self.window.counts(started)
        try:
            headers = {**kwargs.pop("headers", {}), "X-Soak": f"{self.index[name]}:{counted:d}"}
            response = session.request(
                method, self.base + path, timeout=60, headers=headers, **kwargs
            )
            status = response.status_code
        except Exception as exc:  # a refused connection or a time-out is an error too
            response, status = None, type(exc).__name__
        elapsed = (time.monotonic() - started) * 1000
        if counted:
            if status == expect:
                self.tally.ms[name].append(elapsed)
            else:
                self.tally.errors[(name, str(status))] += 1
                if len(self.tally.examples) < 5:
                    body = response.text[:300] if response is not None else ""
                    self.tally.examples.append(f"{name} {method} {path} -> {status} {body}")
        return response if status == expect else None

    def client_id(self) -> int:
        return self.rng.choice(self.persona.clients)

    def client_list_page(self):
        self.call("client list (page)", self.page, "GET", "/clients/", 200)

    def client_page(self):
        self.call("client page", self.page, "GET", f"/clients/{self.client_id()}/", 200)

    def case_page(self):
        cases = self.persona.cases
        path = f"/cases/{self.rng.choice(cases)}/" if cases else "/cases/"
        self.call("case page", self.page, "GET", path, 200)

    def api_client_list(self):
        self.call("API client list", self.api, "GET", "/api/v1/clients/", 200)

    def api_client_detail(self, pk=None):
        path = f"/api/v1/clients/{pk or self.client_id()}/"
        return self.call("API client detail", self.api, "GET", path, 200)

    def api_patch_client(self):
        pk = self.rng.choice(self.patch_targets)
        current = self.api_client_detail(pk)
        if current is None:
            return
        headers = {"If-Match": current.headers["ETag"]} if "ETag" in current.headers else {}
        body = {
            "address": f"压测路{self.rng.randint(1, 999)}号",
            "phone": f"139{self.rng.randint(0, 99_999_999):08d}",
        }
        path = f"/api/v1/clients/{pk}/"
        self.call("API PATCH client", self.api, "PATCH", path, 200, json=body, headers=headers)

    def today(self) -> str:
        from django.utils import timezone

        return timezone.localdate().isoformat()

    def api_visit(self):
        body = {
            "client": self.client_id(),
            "visited_on": self.today(),
            "mode": self.rng.choice(["in_person", "phone"]),
            "findings": "压测：情况稳定",
        }
        self.call("API visit create", self.api, "POST", "/api/v1/visits/", 201, json=body)

    def api_service_record(self):
        body = {
            "unit": self.persona.unit,
            "served_on": self.today(),
            "duration_minutes": 30,
            "method": "visit",
            "field": "elderly",
            "clients": [self.client_id()],
        }
        path = "/api/v1/service-records/"
        self.call("API service record create", self.api, "POST", path, 201, json=body)

    def floor(self):
        self.call(FLOOR, self.page, "GET", "/bench/signed-in/", 200)

    def run(self):
        try:
            self.sign_in()
        except Exception as exc:
            self.failed = f"{self.persona.username}: {exc}"
            return
        finally:
            self.ready.wait()
        while time.monotonic() < self.stop_at[0]:
            name = self.rng.choices(self.names, self.weights)[0]
            self.actions[name]()


# -- the run -----------------------------------------------------------------------------------


def patch_targets(personas, n) -> list[list[int]]:
    """Client ``i`` plays ``personas[i % len]``; clients sharing an account split its
    clients between them, so no two PATCH one record."""
    sharing = Counter(i % len(personas) for i in range(n))
    out = []
    for i in range(n):
        persona = personas[i % len(personas)]
        k, j = sharing[i % len(personas)], i // len(personas)
        out.append(persona.clients[j::k] or persona.clients)
    return out


def sample_memory(server, samples, stop):
    while not stop.is_set():
        samples.append((time.monotonic(), {pid: rss_kb(pid) for pid in server.workers()}))
        stop.wait(2)


def nearest(samples, t) -> dict[int, int]:
    return min(samples, key=lambda s: abs(s[0] - t))[1]


def soak(args, personas, counts) -> Outcome:
    server = Server.start(args.soak_workers)
    try:
        initial_workers = server.workers()
        window, ready = Window(), threading.Barrier(args.soak_clients + 1)
        stop_at = [math.inf]
        targets = patch_targets(personas, args.soak_clients)
        clients = [
            Client(i, personas[i % len(personas)], targets[i], server.base, window, ready, stop_at)
            for i in range(args.soak_clients)
        ]
        print(f"Signing in {len(clients)} clients…", flush=True)
        for client in clients:
            client.start()
        ready.wait()
        now = time.monotonic()
        window.open(now + args.soak_warmup, args.soak_seconds)
        stop_at[0] = window.end
        samples, stop = [], threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(server, samples, stop))
        sampler.start()
        print(f"Warming up {args.soak_warmup} s, then measuring {args.soak_seconds} s…", flush=True)
        for client in clients:
            client.join()
        stop.set()
        sampler.join()
        final_workers = server.workers()
    finally:
        server.stop()
    tally = Tally()
    for client in clients:
        tally.add(client.tally)
    memory = {
        "start": nearest(samples, window.start),
        "middle": nearest(samples, (window.start + window.end) / 2),
        "end": nearest(samples, window.end),
    }
    # All workers together at each tenth of the window, to show the trend.
    tenths = [window.start + args.soak_seconds * i / 10 for i in range(11)]
    return Outcome(
        seconds=args.soak_seconds,
        clients=args.soak_clients,
        workers=args.soak_workers,
        warmup=args.soak_warmup,
        tally=tally,
        in_worker=server.times(),
        memory=memory,
        trend=[sum(nearest(samples, t).values()) for t in tenths],
        restarted=initial_workers != final_workers,
        server_errors=server.error_lines(),
        signin_failures=[c.failed for c in clients if c.failed],
        counts=counts,
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in PG_SCHEMES:
        print(
            "Soak: skipped, it runs on PostgreSQL "
            "(DATABASE_URL=postgres://… BENCH_ARGS='--only soak' make bench)."
        )
        return 0
    os.environ["DATABASE_URL"] = prepare_databases(url, args.reload)
    from .database import setup_django

    setup_django(choose=False)
    from django.core.management import call_command

    from . import soak_data

    call_command("migrate", interactive=False, verbosity=0)
    personas = soak_data.personas()
    if not personas:
        sys.exit("soak: the soak accounts are missing; run again with --reload.")
    counts = soak_data.counts()
    print(
        f"Soak database {_name(os.environ['DATABASE_URL'])}: "
        + ", ".join(f"{n:,} {w}" for w, n in counts.items())
        + f"; {len(personas)} accounts.",
        flush=True,
    )
    from django.db import connection

    connection.close()  # the clients' threads use none; the server has its own
    outcome = soak(args, personas, counts)
    print_report(outcome)
    if args.record:
        from .report import machine

        record(outcome, machine())
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    sys.exit(main())
