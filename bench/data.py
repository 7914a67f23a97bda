"""Loading the synthetic network (planned in ``bench/plan.py``) and the measuring users.

"Already loaded" is decided by comparing row counts with the plan; the services are
bypassed (bulk_create), so no simple-history rows are written.
"""

import time

from django.db import transaction

from shegong.access.models import Role, RoleGrant, User
from shegong.divisions.models import Division
from shegong.divisions.services import BUNDLED_DIR, load_divisions, read_division_files
from shegong.network.models import Agency, Unit, UnitKind, UnitStatus, UnitStatusChange
from shegong.people.models import Assignment, Certificate, Worker

from .plan import (
    BATCH,
    DATA_END,
    DISTRICT,
    DISTRICT_USER,
    PROVINCE,
    PROVINCE_USER,
    D,
    Plan,
    Planner,
)

__all__ = ["DATA_END", "db_counts", "ensure_data"]


def db_counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "units": Unit.objects.count(),
        "status changes": UnitStatusChange.objects.count(),
        "workers": Worker.objects.count(),
        "certificates": Certificate.objects.count(),
        "assignments": Assignment.objects.count(),
    }


def bench_users(plan: Plan) -> dict[str, User]:
    """The two measuring accounts: a district administrator of Yubei (API benchmark) and a
    province-wide one (coverage benchmark)."""
    # The province-wide scope comes from a district_admin grant on a "centre" sitting on
    # the province code 50: scoping uses the unit's division code as the prefix, so this
    # user sees every unit of Chongqing. validate_unit would refuse a centre on a level-2
    # division (centres sit on 6-digit codes); bulk_create bypasses it. This one unit is
    # the only rule-breaking row, and it exists only for the measuring user.
    province_centre = Unit(
        kind=UnitKind.CENTER,
        division_id=PROVINCE,
        name="重庆市社会工作指导中心（基准测试）",
        status=UnitStatus.OPERATING,
        planned_on=D(2020, 6, 1),
        established_on=D(2020, 9, 1),
        operating_on=D(2021, 1, 1),
    )
    province_centre.save()
    province = User(username=PROVINCE_USER, display_name="基准测试·全市", division_id=PROVINCE)
    province.set_unusable_password()
    district = User(username=DISTRICT_USER, display_name="基准测试·渝北区", division_id=DISTRICT)
    district.set_unusable_password()
    User.objects.bulk_create([province, district])
    district_centre = Unit.objects.get(kind=UnitKind.CENTER, division_id=DISTRICT)
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=province, role=Role.DISTRICT_ADMIN, unit=province_centre),
            RoleGrant(user=district, role=Role.DISTRICT_ADMIN, unit=district_centre),
        ]
    )
    return {"province": province, "district": district}


def expected_counts(plan: Plan) -> dict[str, int]:
    counts = plan.counts()
    counts["units"] += 1  # the province-wide centre of the measuring user
    return counts


def ensure_data(*, reload: bool = False, out=print) -> dict[str, User]:
    """Load the divisions and the synthetic network unless the database already holds
    exactly this plan; return the measuring users."""
    from django.core.management import call_command

    divisions = read_division_files(BUNDLED_DIR, PROVINCE)
    plan = Planner(divisions).build()
    expected = expected_counts(plan)
    loaded = db_counts()
    have_users = User.objects.filter(username__in=[PROVINCE_USER, DISTRICT_USER]).count() == 2
    have_divisions = Division.objects.filter(code__startswith=PROVINCE).count() == len(divisions)
    if not reload and loaded == expected and have_users and have_divisions:
        out(f"Data already loaded: {_describe(len(divisions), expected)}.")
        return {
            "province": User.objects.get(username=PROVINCE_USER),
            "district": User.objects.get(username=DISTRICT_USER),
        }
    started = time.perf_counter()
    if any(loaded.values()) or User.objects.exists():
        out("Emptying the benchmark database (flush) before loading.")
        call_command("flush", interactive=False, verbosity=0)
    with transaction.atomic():
        load_divisions(BUNDLED_DIR, PROVINCE)
        Agency.objects.bulk_create(plan.agencies, batch_size=BATCH)
        Worker.objects.bulk_create(plan.workers, batch_size=BATCH)
        Certificate.objects.bulk_create(plan.certificates, batch_size=BATCH)
        Unit.objects.bulk_create(plan.units, batch_size=BATCH)
        UnitStatusChange.objects.bulk_create(plan.status_changes, batch_size=BATCH)
        Assignment.objects.bulk_create(plan.assignments, batch_size=BATCH)
        users = bench_users(plan)
    _analyze()
    out(f"Loaded {_describe(len(divisions), expected)} in {time.perf_counter() - started:.1f} s.")
    return users


def _analyze():
    """Refresh planner statistics, as a production database would have them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _describe(divisions: int, counts: dict[str, int]) -> str:
    return f"{divisions:,} divisions, " + ", ".join(f"{n:,} {what}" for what, n in counts.items())
