"""Casework data (issue 3): 200,000 clients and 2,000,000 service records in Yubei.

The data (Yubei only: the district a district administrator searches) is synthetic and
deterministic, written with bulk_create (no history rows), and kept between runs; it is
detected by row counts. Clients carry real encrypted ID numbers and phones and their keyed
hashes, so search goes through the same columns as in production.
"""

import datetime
import random
import time

from django.db import connection, transaction

CLIENTS = 200_000
RECORDS = 2_000_000
DISTRICT = "500112"
CLIENT_PREFIX = "基准"  # marks bench clients' addresses
SEED = 311
BATCH = 5_000
STATION_USER = "bench-station"
TIERS = ["high"] * 5 + ["key"] * 20 + ["general"] * 75


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
    from shegong.network.models import Unit, UnitKind

    rng = random.Random(SEED)
    today = datetime.date.today()
    _clear()
    rooms, stations = (
        list(
            Unit.objects.filter(kind=kind, division__code__startswith=DISTRICT).values_list(
                "pk", "division_id"
            )
        )
        for kind in (UnitKind.ROOM, UnitKind.STATION)
    )
    villages = sorted({code for _pk, code in rooms})
    by_village = _load_clients(n_clients, villages, rng, today, out)
    units = [(pk, [v for v in villages if v.startswith(code)]) for pk, code in rooms + stations]
    units = [(pk, vs) for pk, vs in units if vs]
    _load_records(n_records, units, by_village, actor, rng, today, out)


def _clear() -> None:
    """Remove the district's clients and service records (a reload, or other sizes)."""
    from shegong.clients.models import Client, Membership
    from shegong.records.models import ServiceRecord

    with transaction.atomic():
        ServiceRecord.clients.through.objects.filter(
            servicerecord__unit__division__code__startswith=DISTRICT
        ).delete()
        ServiceRecord.objects.filter(unit__division__code__startswith=DISTRICT).delete()
        Membership.objects.filter(client__division__code__startswith=DISTRICT).delete()
        Client.objects.filter(division__code__startswith=DISTRICT).delete()


def _client(i: int, names: Names, villages: list[str], rng, today):
    from shegong.clients.models import Client
    from shegong.common.crypto import lookup_hash

    name, initials = names.person()
    number, phone = synthetic_id(i), phone_for(i)
    return Client(
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
        risk_tier=rng.choice(TIERS),
        next_visit_due=today + datetime.timedelta(days=rng.randint(-60, 90)),
    )


def _load_clients(n_clients, villages, rng, today, out) -> dict[str, list[int]]:
    """Write the clients with one membership each; return client pks by village."""
    from shegong.clients.models import Client, Membership, TargetGroup

    names = Names(rng)
    groups = list(TargetGroup.objects.all())
    by_village: dict[str, list[int]] = {v: [] for v in villages}
    for start in range(0, n_clients, BATCH):
        batch = [
            _client(i, names, villages, rng, today)
            for i in range(start, min(start + BATCH, n_clients))
        ]
        with transaction.atomic():
            made = Client.objects.bulk_create(batch, batch_size=BATCH)
            Membership.objects.bulk_create(
                [Membership(client=c, group=rng.choice(groups)) for c in made], batch_size=BATCH
            )
        for client in made:
            by_village[client.division_id].append(client.pk)
        if start % 50_000 == 0:
            out(f"  clients {start + len(batch):,} / {n_clients:,}")
    return by_village


def _load_records(n_records, units, by_village, actor, rng, today, out) -> None:
    """Write the service records, nine in ten with a client of the unit's villages."""
    from shegong.records.models import Method, ServiceField, ServiceRecord

    fields = list(ServiceField.objects.prefetch_related("items"))
    methods = [m for m, _label in Method.choices]
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
