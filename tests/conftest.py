"""Shared fixtures: Yubei's divisions loaded once per test database, and a small world of
units, workers and named personas (after Healthchecks) to test scoping against."""

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from shegong.access.models import Role
from shegong.divisions.models import Division
from shegong.network.models import UnitKind
from tests.access.factories import PASSWORD as PASSWORD  # tests import it from here
from tests.access.factories import UserFactory
from tests.network.factories import AgencyFactory, UnitFactory
from tests.people.factories import WorkerFactory

TOWN_A, TOWN_B = "500112002", "500112004"
VILLAGE_A1, VILLAGE_A2, VILLAGE_B1 = "500112002001", "500112002002", "500112004001"
# Another district (渝中区), for scope edges outside the district.
OTHER_DISTRICT, OTHER_TOWN = "500103", "500103001"
D = datetime.date


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_divisions", "500112", verbosity=0)
        call_command("load_divisions", OTHER_DISTRICT, verbosity=0)


def ensure_divisions():
    """For transactional (browser) tests, whose flush empties the tables: the divisions and
    the catalogues the migrations seed."""
    import importlib

    from django.apps import apps

    for module, function in (
        ("records.migrations.0002_catalogue", "seed"),
        ("clients.migrations.0002_target_groups", "seed"),
        ("purchasing.migrations.0002_defaults", "seed"),
        ("purchasing.migrations.0005_refusing_nonsense", "scales"),
        ("clients.migrations.0003_visit_policies", "seed"),
        ("clients.migrations.0006_target_group_aliases", "seed"),
        ("notifications.migrations.0002_crisis_words", "seed"),
    ):
        getattr(importlib.import_module(f"shegong.{module}"), function)(apps, None)
    if not Division.objects.filter(code="500112").exists():
        call_command("load_divisions", "500112", verbosity=0)
        call_command("load_divisions", OTHER_DISTRICT, verbosity=0)


def make_user(username, role=None, unit=None, agency=None, division=None, purchaser=None):
    """An account (through the access services) with one role grant, if a role is given."""
    where = {"division": division} if division else {}
    return UserFactory(
        username=username, role=role, unit=unit, agency=agency, purchaser=purchaser, **where
    )


def build_units(div, agency, other_agency):
    """The centre, towns A and B with their stations and three rooms, and a station in
    another district. Dated so that coverage has something to count (see test_coverage)."""
    return SimpleNamespace(
        center=UnitFactory(
            kind=UnitKind.CENTER,
            division=div["500112"],
            name="渝北区社会工作指导中心",
            established_on=D(2021, 3, 1),
            operating_on=D(2021, 6, 1),
            agency=agency,
        ),
        station_a=UnitFactory(
            kind=UnitKind.STATION,
            division=div[TOWN_A],
            name="双龙湖街道社会工作站",
            established_on=D(2021, 6, 1),
            operating_on=D(2022, 3, 1),
            agency=agency,
        ),
        station_b=UnitFactory(
            kind=UnitKind.STATION,
            division=div[TOWN_B],
            name="回兴街道社会工作站",
            established_on=D(2022, 3, 1),
            agency=other_agency,
        ),
        room_a1=UnitFactory(
            division=div[VILLAGE_A1],
            name="五星路社区社会工作室",
            established_on=D(2021, 9, 1),
            operating_on=D(2022, 5, 1),
        ),
        room_a2=UnitFactory(
            division=div[VILLAGE_A2], name="龙昌街社区社会工作室", established_on=D(2021, 10, 1)
        ),
        room_b1=UnitFactory(
            division=div[VILLAGE_B1], name="回兴B1社会工作室", established_on=D(2022, 1, 10)
        ),
        other_station=UnitFactory(
            kind=UnitKind.STATION,
            division=div[OTHER_TOWN],
            name="渝中区某街道社会工作站",
            established_on=D(2021, 5, 1),
        ),
    )


def build_workers(div, agency, units):
    """A social worker at station A, a certified grid worker in room A1, an uncertified
    mediator in room A2, a worker certified in 2023 in room B1, and one in another district."""
    return SimpleNamespace(
        sw_a=WorkerFactory(
            name="张社工",
            employer_agency=agency,
            unit=units.station_a,
            posted_on=D(2021, 7, 1),
        ),
        cw_a1=WorkerFactory(
            name="李网格",
            roles=["grid_worker"],
            employer_name="五星路社区居委会",
            certificate=("assistant", "A-0001", 2020),
            unit=units.room_a1,
            posted_on=D(2021, 9, 1),
        ),
        cw_a2=WorkerFactory(
            name="王调解",
            roles=["mediator"],
            employer_name="龙昌街社区居委会",
            unit=units.room_a2,
            posted_on=D(2021, 10, 1),
        ),
        cw_b1=WorkerFactory(
            name="赵社区",
            roles=["community_worker"],
            employer_name="回兴社区",
            certificate=("worker", "W-0001", 2023),
            unit=units.room_b1,
            posted_on=D(2022, 1, 10),
        ),
        other_worker=WorkerFactory(
            name="渝中社工", division=div[OTHER_TOWN], employer_name="渝中区民政局"
        ),
    )


def build_users(units, other_agency):
    """The personas, one per role; ``nobody`` holds none."""
    return SimpleNamespace(
        district=make_user("district", Role.DISTRICT_ADMIN, units.center),
        station_a=make_user("station_a", Role.STATION_STAFF, units.station_a),
        room_a1=make_user("room_a1", Role.ROOM_WORKER, units.room_a1),
        station_b=make_user("station_b", Role.STATION_STAFF, units.station_b),
        agency=make_user("agency_staff", Role.AGENCY_STAFF, agency=other_agency),
        sysadmin=make_user("sysadmin", Role.SYSTEM_ADMIN, units.center),
        auditor=make_user("auditor", Role.AUDIT_ADMIN, units.center),
        nobody=make_user("nobody"),
    )


def build_world():
    div = {d.code: d for d in Division.objects.filter(code__startswith="5001")}
    agency = AgencyFactory(name="测试社工服务中心")
    other_agency = AgencyFactory(name="另一家社工服务中心")
    units = build_units(div, agency, other_agency)
    workers = build_workers(div, agency, units)
    return SimpleNamespace(
        div=div,
        agency=agency,
        other_agency=other_agency,
        **vars(units),
        **vars(workers),
        users=build_users(units, other_agency),
    )


@pytest.fixture
def world(db):
    return build_world()


def api_for(user):
    """An API client signed in as ``user``."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def api(client):
    from rest_framework.test import APIClient

    return APIClient()


def otp_code(user, *, step_offset: int = 0) -> str:
    """The code the account's authenticator shows now (``step_offset`` 30-second steps on:
    django-otp takes each step's code once, and accepts the next step's too)."""
    import time

    from django_otp.oath import TOTP

    from shegong.access.services import totp_device_of

    device = totp_device_of(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + step_offset * device.step
    return f"{totp.token():0{device.digits}d}"


def verify_second_factor(client, user):
    """Mark ``client``'s session as having passed the second factor (django-otp keeps the
    device in the session), enrolling ``user`` with an authenticator if it has none."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from shegong.access.services import totp_device_of, totp_enrol_with_key

    device = totp_device_of(user) or totp_enrol_with_key(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def second_factor_on_force_login(request, monkeypatch):
    """``client.force_login(user)`` signs in with both factors, as most tests mean: the
    administrators' pages need a second factor (accounts.middleware). Tests of that
    enforcement mark themselves ``@pytest.mark.real_login`` to get the plain Django login."""
    if request.node.get_closest_marker("real_login"):
        yield
        return
    from django.test import Client

    plain = Client.force_login

    def force_login(self, user, backend=None):
        plain(self, user, backend)
        if user.pk is not None:
            verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    yield


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English; pages choose their language per request."""
    from django.utils import translation

    with translation.override("en"):
        yield


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="HH:MM",
        help="run every test with the clock moved to HH:MM UTC today, ticking, and the "
        "machine's own zone set to UTC (time-machine). 16:00-24:00 UTC is already tomorrow "
        "in the district (Asia/Shanghai), so a date taken from anything but "
        "timezone.localdate() shows up as a failure.",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """With --clock, each test (setup, call and teardown, fixtures included) runs at that time
    of day. Per test rather than once per session, so it holds in every xdist worker."""
    clock = item.config.getoption("--clock")
    if not clock:
        return (yield)
    import time_machine

    hour, minute = (int(part) for part in clock.split(":"))
    utc = zoneinfo.ZoneInfo("UTC")  # a ZoneInfo: time-machine also sets TZ, so date.today() is UTC
    destination = datetime.datetime.now(utc).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )
    with time_machine.travel(destination, tick=True):
        return (yield)


def pytest_configure(config):
    from django.conf import settings

    # Hashing at production strength costs ~0.3 s an account; tests make many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background jobs run inside the test; progress stays in this process.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
