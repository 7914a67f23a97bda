"""The default `make run` on SQLite under concurrent use (issue 9, finding 11).

A real server (``runserver``, threaded, as `make run` starts it) and the job worker on a
SQLite *file* in a fresh var/ directory: concurrent account creations and edits must all
succeed, none answering 500 "database is locked". An in-memory test database cannot show
this, so the test starts its own processes; on PostgreSQL it has nothing to prove.
"""

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
from knox.models import AuthToken
from shegong.access.models import Role
from shegong.network.models import UnitKind
from tests.access.factories import UserFactory
from tests.network.factories import UnitFactory, district

center = UnitFactory(kind=UnitKind.CENTER, division=district())
admin = UserFactory(username="sys", role=Role.SYSTEM_ADMIN, unit=center)
print(AuthToken.objects.create(user=admin)[1])
"""

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "sqlite").split(":", 1)[0] != "sqlite",
    reason="SQLite's locking only; PostgreSQL has row locks",
)


def fresh_env(var_dir: Path) -> dict:
    """The environment of `make run` on a fresh var/: SQLite there, keys given outright."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SHEGONG_DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="shegong.config.settings",
        SHEGONG_VAR_DIR=str(var_dir),
        SHEGONG_SECRET_KEY="live-sqlite-test-" + "k" * 50,
        SHEGONG_FIELD_KEY=base64.b64encode(b"\x07" * 32).decode(),
        SHEGONG_TASKS_BACKEND="database",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, token, method="GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Token {token}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError as exc:  # a timeout or a dropped connection counts as a failure too
        return 599, str(exc).encode()


@pytest.fixture(scope="module")
def live_sqlite(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    env = fresh_env(var_dir)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_divisions", "500112")
    token = manage(env, "shell", "-c", SETUP).stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.05"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield base, token, var_dir
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=10)


def test_concurrent_writes_with_the_worker_running_never_lock(live_sqlite):
    base, token, _var = live_sqlite
    district = "500112"
    statuses, lock = [], threading.Lock()

    def create_and_edit(n):
        status, body = call(
            base + "/api/v1/users/",
            token,
            "POST",
            {"username": f"u{n}", "display_name": f"用户{n}", "division": district},
        )
        results = [status]
        if status == 201:
            pk = json.loads(body)["id"]
            for i in range(4):
                results.append(
                    call(f"{base}/api/v1/users/{pk}/", token, "PATCH", {"email": f"{n}.{i}@x.cn"})[
                        0
                    ]
                )
        results.append(call(base + "/api/v1/users/?page_size=5", token)[0])
        with lock:
            statuses.extend(results)

    for round_ in range(2):
        threads = [
            threading.Thread(target=create_and_edit, args=(round_ * 100 + n,)) for n in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    errors = [s for s in statuses if s >= 500]
    assert not errors, f"{len(errors)} of {len(statuses)} requests failed: {sorted(set(errors))}"
    assert statuses.count(201) == 16
