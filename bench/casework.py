"""Casework benchmarks (issue 3): importing a 100,000-row roster, searching 200,000 clients
and listing overdue visits with 2,000,000 service records on the books.

The data (Yubei only: the district a district administrator searches) is synthetic and
deterministic, written with bulk_create (no history rows), and kept between runs; it is
detected by row counts. Clients carry real encrypted ID numbers and phones and their keyed
hashes, so search goes through the same columns as in production.
"""

import datetime
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection, transaction

CLIENTS = 200_000
RECORDS = 2_000_000
ROSTER_ROWS = 100_000
DISTRICT = "500112"
CLIENT_PREFIX = "基准"  # marks bench clients' addresses
SEED = 311
BATCH = 5_000
STATION_USER = "bench-station"


# --- data --------------------------------------------------------------------------------


def synthetic_id(i: int, seq_base: int = 0) -> str:
    """A distinct valid ID number per ``i`` (birth day and sequence from ``i``)."""
    from shegong.common.idcard import check_character

    birth = datetime.date(1930, 1, 1) + datetime.timedelta(days=i % 30_000)
    sequence = seq_base + i // 30_000
    first17 = f"{DISTRICT}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def phone_for(i: int) -> str:
    return f"139{i:08d}"


class Names:
    def __init__(self, rng):
        self.rng = rng
        self.initials: dict[str, str] = {}

    def person(self) -> tuple[str, str]:
        from shegong.clients.services import name_initials
        from shegong.demo.names import GIVEN, SURNAMES

        rng = self.rng
        name = rng.choice(SURNAMES) + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2]))
        )
        if name not in self.initials:
            self.initials[name] = name_initials(name)
        return name, self.initials[name]


def casework_counts() -> dict[str, int]:
    from shegong.clients.models import Client
    from shegong.records.models import ServiceRecord

    return {
        "clients": Client.objects.filter(division__code__startswith=DISTRICT).count(),
        "service records": ServiceRecord.objects.filter(
            unit__division__code__startswith=DISTRICT
        ).count(),
    }


def ensure_casework_data(*, clients=CLIENTS, records=RECORDS, out=print) -> dict:
    """Load the clients and service records unless they are there; return the users."""
    from shegong.access.models import Role, RoleGrant, User
    from shegong.network.models import Unit, UnitKind

    station = (
        Unit.objects.filter(kind=UnitKind.STATION, division__code__startswith=DISTRICT)
        .order_by("division_id")
        .first()
    )
    user, created = User.objects.get_or_create(
        username=STATION_USER, defaults={"display_name": "基准测试·街道", "division_id": DISTRICT}
    )
    if created:
        RoleGrant.objects.create(user=user, role=Role.STATION_STAFF, unit=station)
    users = {"district": User.objects.get(username="bench-district"), "station": user}
    if casework_counts() == {"clients": clients, "service records": records}:
        out(f"Casework data already loaded: {clients:,} clients, {records:,} service records.")
        return users
    started = time.perf_counter()
    _load(clients, records, users["district"], out)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    out(
        f"Loaded {clients:,} clients and {records:,} service records in "
        f"{time.perf_counter() - started:.0f} s."
    )
    return users


def _load(n_clients, n_records, actor, out) -> None:
    from shegong.clients.models import Client, Membership, TargetGroup
    from shegong.common.crypto import lookup_hash
    from shegong.network.models import Unit, UnitKind
    from shegong.records.models import Method, ServiceField, ServiceRecord

    rng = random.Random(SEED)
    names = Names(rng)
    today = datetime.date.today()
    with transaction.atomic():
        ServiceRecord.clients.through.objects.filter(
            servicerecord__unit__division__code__startswith=DISTRICT
        ).delete()
        ServiceRecord.objects.filter(unit__division__code__startswith=DISTRICT).delete()
        Membership.objects.filter(client__division__code__startswith=DISTRICT).delete()
        Client.objects.filter(division__code__startswith=DISTRICT).delete()
    rooms = list(
        Unit.objects.filter(kind=UnitKind.ROOM, division__code__startswith=DISTRICT).values_list(
            "pk", "division_id"
        )
    )
    stations = list(
        Unit.objects.filter(kind=UnitKind.STATION, division__code__startswith=DISTRICT).values_list(
            "pk", "division_id"
        )
    )
    villages = sorted({code for _pk, code in rooms})
    groups = list(TargetGroup.objects.all())
    tiers = ["high"] * 5 + ["key"] * 20 + ["general"] * 75
    by_village: dict[str, list[int]] = {v: [] for v in villages}
    for start in range(0, n_clients, BATCH):
        batch = []
        for i in range(start, min(start + BATCH, n_clients)):
            name, initials = names.person()
            number, phone = synthetic_id(i), phone_for(i)
            batch.append(
                Client(
                    name=name,
                    name_initials=initials,
                    division_id=villages[i % len(villages)],
                    address=f"{CLIENT_PREFIX}{i}号",
                    id_number=number,
                    id_number_hash=lookup_hash(number),
                    birth_date=datetime.date(1930, 1, 1) + datetime.timedelta(days=i % 30_000),
                    sex="M" if (i // 30_000) % 2 else "F",
                    phone=phone,
                    phone_hash=lookup_hash(phone),
                    risk_tier=rng.choice(tiers),
                    next_visit_due=today + datetime.timedelta(days=rng.randint(-60, 90)),
                )
            )
        with transaction.atomic():
            made = Client.objects.bulk_create(batch, batch_size=BATCH)
            Membership.objects.bulk_create(
                [Membership(client=c, group=rng.choice(groups)) for c in made], batch_size=BATCH
            )
        for client in made:
            by_village[client.division_id].append(client.pk)
        if start % 50_000 == 0:
            out(f"  clients {start + len(batch):,} / {n_clients:,}")
    fields = list(ServiceField.objects.prefetch_related("items"))
    methods = [m for m, _label in Method.choices]
    units = [(pk, [v for v in villages if v.startswith(code)]) for pk, code in rooms + stations]
    units = [(pk, vs) for pk, vs in units if vs]
    through = ServiceRecord.clients.through
    for start in range(0, n_records, BATCH):
        size = min(BATCH, n_records - start)
        picks, batch = [], []
        for _ in range(size):
            unit_pk, unit_villages = rng.choice(units)
            village = rng.choice(unit_villages)
            client_pk = rng.choice(by_village[village]) if rng.random() < 0.9 else None
            field = rng.choice(fields)
            batch.append(
                ServiceRecord(
                    unit_id=unit_pk,
                    served_on=today - datetime.timedelta(days=rng.randint(0, 3 * 365)),
                    duration_minutes=rng.choice([30, 45, 60, 90]),
                    method=rng.choice(methods),
                    field=field,
                    other_participants=0 if client_pk else rng.randint(5, 60),
                    created_by=actor,
                )
            )
            picks.append(client_pk)
        with transaction.atomic():
            made = ServiceRecord.objects.bulk_create(batch, batch_size=BATCH)
            through.objects.bulk_create(
                [
                    through(servicerecord_id=r.pk, client_id=c)
                    for r, c in zip(made, picks, strict=True)
                    if c
                ],
                batch_size=BATCH,
            )
        if start % 250_000 == 0:
            out(f"  service records {start + size:,} / {n_records:,}")


# --- search and the overdue list ----------------------------------------------------------


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


# --- the roster import -------------------------------------------------------------------


def roster_file(rows=ROSTER_ROWS) -> Path:
    """A 100,000-row roster in the district's usual layout, written once. One row in ten
    names a person already registered (they gain the group instead)."""
    from openpyxl import Workbook

    from shegong.divisions.models import Division, Level

    var = Path(os.environ.get("SHEGONG_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
    path = var / f"bench-roster-{rows}.xlsx"
    if path.exists():
        return path
    rng = random.Random(SEED + 1)
    names = Names(rng)
    villages = list(
        Division.objects.filter(code__startswith=DISTRICT, level=Level.VILLAGE).values_list(
            "code", flat=True
        )
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("低保名册")
    ws.append(["姓名", "身份证号", "村（社区）区划代码", "服务对象类别", "认定日期", "来源"])
    for i in range(rows):
        number = synthetic_id(i) if i % 10 == 0 else synthetic_id(i, seq_base=500)
        ws.append(
            [
                names.person()[0],
                number,
                rng.choice(villages),
                "最低生活保障对象",
                "2023-03-01",
                "区民政局低保名册",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def import_once(kind: str, path: str) -> dict:
    """One import in this (fresh) process, rolled back: seconds and peak memory."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from python_calamine import CalamineWorkbook

    from shegong.access.models import User
    from shegong.clients.imports import import_roster, roster_columns
    from shegong.clients.models import Client, Membership, TargetGroup
    from shegong.common.imports import JOB_MAX_ROWS, read_rows

    actor = User.objects.get(username="bench-district")
    group = TargetGroup.objects.get(code="dibao")
    data = Path(path).read_bytes()
    baseline = _rss_mb()
    started = time.perf_counter()
    with transaction.atomic():
        if kind == "figure":
            upload = SimpleUploadedFile(Path(path).name, data)
            rows = read_rows(upload, roster_columns(), limit=JOB_MAX_ROWS, max_bytes=None)
            report = import_roster(rows, actor=actor, dry_run=False)
            assert report.committed and report.created == len(rows), report.errors[:5]
            n = len(rows)
        else:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            rows = sheet.to_python()[1:]
            made = Client.objects.bulk_create(
                [Client(name=r[0], name_initials="", division_id=str(r[2])) for r in rows],
                batch_size=BATCH,
            )
            Membership.objects.bulk_create(
                [Membership(client=c, group=group) for c in made], batch_size=BATCH
            )
            n = len(rows)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "rows": n, "peak_mb": peak, "baseline_mb": baseline}


def bench_import(runs: int, out=print) -> list[dict]:
    """Figure and floor alternate, each run in a fresh process so its peak memory is its
    own."""
    path = roster_file()
    out(f"Roster file {path.name}: {path.stat().st_size / 2**20:.1f} MB, {ROSTER_ROWS:,} rows.")
    samples: dict[str, list[dict]] = {"figure": [], "floor": []}
    for i in range(runs):
        for kind in ("figure", "floor") if i % 2 == 0 else ("floor", "figure"):
            done = subprocess.run(
                [sys.executable, "-m", "bench.casework", "import", kind, str(path)],
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
                env=os.environ.copy(),
            )
            if done.returncode:
                raise RuntimeError(done.stderr[-3000:])
            samples[kind].append(json.loads(done.stdout.strip().splitlines()[-1]))
            out(f"  {kind}: {samples[kind][-1]['seconds']:.1f} s")
    return [samples["figure"], samples["floor"]]


def import_table(figure: list[dict], floor: list[dict]) -> str:
    import statistics

    def row(label, samples):
        seconds = statistics.median(s["seconds"] for s in samples)
        rows = samples[0]["rows"]
        peak = max(s["peak_mb"] for s in samples)
        grown = max(s["peak_mb"] - s["baseline_mb"] for s in samples)
        return (
            seconds,
            f"| {label} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} "
            f"| {peak:.0f} | {grown:.0f} |",
        )

    f_seconds, f_line = row(
        "import_roster (check, encrypt, history, memberships, due dates)", figure
    )
    b_seconds, b_line = row("floor: calamine read + bulk_create of clients and memberships", floor)
    return "\n".join(
        [
            "| Roster import | Rows | Median s | Rows/s | Peak RSS MB | Grown MB |",
            "|---|---|---|---|---|---|",
            f_line,
            b_line,
            f"| ratio (figure ÷ floor) | | {f_seconds / b_seconds:.1f}× | | | |",
        ]
    )


if __name__ == "__main__":
    # python -m bench.casework import figure|floor <path>: one measured import.
    from bench.run import setup_django

    setup_django()
    print(json.dumps(import_once(sys.argv[2], sys.argv[3])))
