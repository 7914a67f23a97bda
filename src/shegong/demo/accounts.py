"""The demo accounts, one for each kind of user, all with the same password. Each seed
returns what it made as ``{username: what it is}`` for the command to print."""

from shegong.access import services as access_services
from shegong.access.models import Role, User
from shegong.network.models import Unit, UnitKind

from .context import Demo

STAFF_ACCOUNTS = [
    # username, display name, role, the unit it is granted on
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, "center"),
    ("secadmin", "安全管理员", Role.SECURITY_ADMIN, "center"),
    ("auditor", "审计管理员", Role.AUDIT_ADMIN, "center"),
    ("station", "镇街社工站演示账号", Role.STATION_STAFF, "station"),
    ("room", "村社区社工室演示账号", Role.ROOM_WORKER, "room"),
]


def seed_admin(demo: Demo, center, password: str) -> tuple[User, dict]:
    """``admin``, the district administrator at the centre; kept if it exists already."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin, _password = access_services.user_create(
            actor=None,
            username="admin",
            display_name="区民政局管理员",
            division=demo.district,
            password=password,
        )
    access_services.grant_add(user=admin, role=Role.DISTRICT_ADMIN, unit=center, actor=None)
    # The Django admin (configuration) is a role of its own, granted through the access
    # service like any other; nobody is a superuser.
    access_services.grant_add(user=admin, role=Role.CONFIG_ADMIN, unit=center, actor=None)
    return admin, {"admin": f"{Role.DISTRICT_ADMIN.label} · {Role.CONFIG_ADMIN.label}"}


def seed_staff_accounts(demo: Demo, center, password: str) -> dict:
    """The three administrators at the centre, the first station's staff and the staff of
    the first room under it."""
    station = (
        Unit.objects.filter(kind=UnitKind.STATION, division__parent=demo.district)
        .order_by("division_id")
        .first()
    )
    room = (
        Unit.objects.filter(kind=UnitKind.ROOM, division__code__startswith=station.division_id)
        .order_by("division_id")
        .first()
    )
    units = {"center": center, "station": station, "room": room}
    made = {}
    for username, display_name, role, kind in STAFF_ACCOUNTS:
        unit = units[kind]
        if account(unit.division, username, display_name, role, password, unit=unit):
            made[username] = f"{role.label} · {unit.name}"
    return made


def seed_project_accounts(demo: Demo, password: str, purchaser, agency) -> tuple[User, dict]:
    """The purchasing department's, the agency's and the evaluator's accounts; returns the
    evaluator, who scores the demo projects."""
    district = demo.district
    account(
        district, "buyer", "区民政局采购演示账号", Role.PURCHASER, password, purchaser=purchaser
    )
    account(district, "agency", "社工机构演示账号", Role.AGENCY_STAFF, password, agency=agency)
    account(district, "evaluator", "第三方评估演示账号", Role.EVALUATOR, password)
    evaluator = User.objects.get(username="evaluator")
    return evaluator, {
        "buyer": f"{Role.PURCHASER.label} · {purchaser.name}",
        "agency": f"{Role.AGENCY_STAFF.label} · {agency.name}",
        "evaluator": f"{Role.EVALUATOR.label}",
    }


def account(division, username, display_name, role, password, **grant) -> User | None:
    """An account in ``division`` holding ``role`` (on the unit, agency or purchaser of
    ``grant``); None if the username is taken already."""
    if User.objects.filter(username=username).exists():
        return None
    user, _password = access_services.user_create(
        actor=None,
        username=username,
        display_name=display_name,
        division=division,
        password=password,
    )
    access_services.grant_add(user=user, role=role, actor=None, **grant)
    return user


# The demo accounts that log in with a second factor (access.models.TWO_FACTOR_ROLES).
TWO_FACTOR_ACCOUNTS = ("admin", "sysadmin", "secadmin", "auditor")


def enrol_two_factor(key_hex: str, *, replace: bool) -> list[User]:
    """Give the demo administrators one authenticator secret (``key_hex``), so that one entry
    in an authenticator app logs in as any of them. Without ``replace``, an account that
    has an authenticator already (the one seeded before, or its own) keeps it."""
    enrolled = []
    for user in User.objects.filter(username__in=TWO_FACTOR_ACCOUNTS).order_by("username"):
        if not access_services.requires_two_factor(user):
            continue
        if replace or access_services.totp_device_of(user) is None:
            access_services.totp_enrol_with_key(user=user, key=key_hex)
        enrolled.append(user)
    return enrolled
