"""The soak's data (``bench/soak.py``): Yubei as ``seed_demo`` seeds it (the demo network,
about a thousand clients with their visits, service records, cases and projects) plus the
soak's own accounts, built once into the PostgreSQL database ``<name>_soak_seed``. Each run
copies that database (``CREATE DATABASE … TEMPLATE``) into ``<name>_soak``, so every run
starts from the same rows whatever the previous run wrote.

The accounts hold service roles only (no administrator: those need a second factor):
station staff for the towns in the first part of the district and room workers for the
busiest rooms of the other towns, so that no two accounts share a client and the soak's
concurrent edits never race each other for one record (a 412 would count as an error).

    python -m bench.soak_data        # with DATABASE_URL set to the template database
"""

import sys
from dataclasses import dataclass, field

DISTRICT = "500112"
PASSWORD = "Soak-bench-2026!"  # the bench database's own accounts, nothing else
USERNAME = "soak{:02d}"
ACCOUNTS = 50
STATION_SHARE = 0.4  # of the accounts; the rest are room workers


def build() -> None:
    """Migrate, load the divisions, seed the demo and add the soak's accounts."""
    from django.core.management import call_command

    from shegong.demo.seed import seed_demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_divisions", DISTRICT, verbosity=0)
    # The seed's function, not the command: the command writes var/demo-password.txt.
    seed_demo(DISTRICT, password=PASSWORD)
    made = seed_accounts(ACCOUNTS)
    print(f"Seeded {DISTRICT} with the demo data and {made} soak accounts.")


def account_units(n: int) -> list[tuple[str, object]]:
    """(role, unit) for ``n`` accounts whose areas do not overlap."""
    from django.db.models import Count

    from shegong.access.models import Role
    from shegong.clients.models import Client
    from shegong.network.models import Unit, UnitKind

    stations = list(
        Unit.objects.filter(kind=UnitKind.STATION, division__parent__code=DISTRICT).order_by(
            "division_id"
        )
    )
    taken = stations[: round(n * STATION_SHARE)]
    taken_towns = {s.division_id for s in taken}
    clients = dict(
        Client.objects.filter(merged_into=None)
        .values_list("division_id")
        .annotate(n=Count("id"))
        .values_list("division_id", "n")
    )
    rooms = [
        r
        for r in Unit.objects.filter(kind=UnitKind.ROOM, division__code__startswith=DISTRICT)
        if r.division_id[:9] not in taken_towns and clients.get(r.division_id)
    ]
    rooms.sort(key=lambda r: (-clients[r.division_id], r.division_id))
    return [(Role.STATION_STAFF, s) for s in taken] + [
        (Role.ROOM_WORKER, r) for r in rooms[: n - len(taken)]
    ]


def seed_accounts(n: int) -> int:
    from shegong.access import services
    from shegong.access.models import User

    made = 0
    for i, (role, unit) in enumerate(account_units(n), start=1):
        username = USERNAME.format(i)
        if User.objects.filter(username=username).exists():
            continue
        user, _password = services.user_create(
            actor=None,
            username=username,
            display_name=f"压测账号{i:02d}",
            division=unit.division,
            password=PASSWORD,
        )
        services.grant_add(user=user, role=role, unit=unit, actor=None)
        made += 1
    return made


@dataclass
class Persona:
    """One soak account and what it may touch: its unit, the clients and cases in scope."""

    username: str
    role: str
    unit: int
    clients: list[int]
    cases: list[int] = field(default_factory=list)


def personas() -> list[Persona]:
    from shegong.access.models import User
    from shegong.cases.selectors import cases_for
    from shegong.clients.selectors import clients_for

    out = []
    users = User.objects.filter(username__startswith="soak").order_by("username")
    for user in users:
        grant = user.grants.get()
        clients = list(clients_for(user).order_by("pk").values_list("pk", flat=True))
        cases = list(cases_for(user).order_by("pk").values_list("pk", flat=True))
        if clients:
            out.append(Persona(user.username, grant.role, grant.unit_id, clients, cases))
    return out


def counts() -> dict[str, int]:
    from shegong.cases.models import Case
    from shegong.clients.models import Client
    from shegong.network.models import Unit
    from shegong.records.models import ServiceRecord
    from shegong.visits.models import Visit

    return {
        "units": Unit.objects.count(),
        "clients": Client.objects.count(),
        "visits": Visit.objects.count(),
        "service records": ServiceRecord.objects.count(),
        "cases": Case.objects.count(),
    }


if __name__ == "__main__":
    from .database import setup_django

    setup_django(choose=False)
    build()
    sys.exit(0)
