"""Property-based API testing from the OpenAPI schema (schemathesis): whatever a client
sends, the API answers as its schema says — a documented status code, the documented
content type and a body matching the documented schema — and never with a server error.

Every operation of the schema is run (PUT, PATCH, DELETE and the step actions included),
each example twice: as the district administrator and as a station's staff, both signed
in (forced, as DRF's test client does: login and its second factor are tested elsewhere).
The world holds one row of each kind in both users' scope, and a path's ``{id}`` names
it, so the detail routes and the steps reach real rows rather than a 404.

Bounded to stay fast: a few derandomised examples per operation, no shrinking."""

import datetime
import itertools
from decimal import Decimal

import pytest
import schemathesis
from django.utils.timezone import localdate
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shegong.access.models import Role
from shegong.common.models import ImportJob
from shegong.config.wsgi import application
from shegong.purchasing import services as purchasing
from tests.activities.factories import ActivityFactory
from tests.cases.factories import CaseFactory
from tests.clients.factories import ClientFactory
from tests.conftest import TOWN_A, build_world, make_user
from tests.integration.openapi import SignedIn, connection_kept
from tests.purchasing.factories import (
    ProjectFactory,
    PurchaserFactory,
    assign_evaluation,
    some_targets,
)
from tests.records.factories import ServiceRecordFactory
from tests.referrals.factories import ReferralFactory
from tests.visits.factories import VisitFactory

pytestmark = pytest.mark.django_db

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": 5, "deterministic": True},
        # The coverage phase enumerates every boundary of every field (hundreds of
        # requests an operation); the fuzzing phase's examples cover positive and negative.
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_test_connection():
    with connection_kept():
        yield


def _projects(world):
    """A budgeted project and a contracted one with an assigned mid-term evaluation."""
    D = datetime.timedelta
    world.agency.credit_code = "52500112MJ12345673"
    world.agency.save()
    bureau = PurchaserFactory(name="渝北区民政局", kind="civil_affairs")
    buyer = make_user("buyer", Role.PURCHASER, purchaser=bureau)
    world.users.purchaser = buyer
    world.users.evaluator = make_user("evaluator", Role.EVALUATOR)
    budgeted = ProjectFactory(actor=buyer, purchaser=bureau)
    project = ProjectFactory(actor=buyer, purchaser=bureau, name="回兴街道社会工作站运营项目")
    project = purchasing.procurement_start(
        project=project, actor=buyer, method="consultation", started_on=localdate() - D(380)
    )
    project = purchasing.procurement_award(
        project=project, actor=buyer, agency=world.agency, awarded_on=localdate() - D(370)
    )
    project = purchasing.contract_sign(
        project=project,
        actor=buyer,
        contract_number="YBMZ-2025-017",
        contract_amount=Decimal("280000"),
        start_on=localdate() - D(365),
        end_on=localdate() + D(1),
        units=[world.station_a],
        commitments=[(world.station_a, 1)],
        instalments=[(40, "", None), (30, "mid", None), (30, "final", None)],
        targets=some_targets(),
    )
    evaluation = assign_evaluation(world, project)
    return bureau, [budgeted, project], evaluation


def build_rows(world):
    """One row of each kind that the API serves, in both users' scope, by path segment."""
    district, station = world.users.district, world.users.station_a
    client = ClientFactory(actor=station, name="王五")
    other = ClientFactory(actor=station, name="赵六")
    case = CaseFactory(actor=station, client=client, unit=world.station_a, case_worker=world.sw_a)
    visit = VisitFactory(actor=station, client=client)
    referral = ReferralFactory(
        actor=station, client=other, from_unit=world.station_a, to_unit=world.room_a1
    )
    record = ServiceRecordFactory(actor=station, unit=world.station_a, clients=[client])
    activity = ActivityFactory(
        actor=station, unit=world.station_a, leader=world.sw_a, members=[client]
    )
    bureau, projects, evaluation = _projects(world)
    jobs = [
        ImportJob.objects.create(kind="roster", original_name="名单.xlsx", created_by=user)
        for user in (district, station)
    ]
    return {
        "activities": [activity.pk],
        "agencies": [world.agency.pk],
        "cases": [case.pk],
        "clients": [client.pk, other.pk],
        "code": [TOWN_A],
        "evaluations": [evaluation.pk],
        "import-jobs": [job.pk for job in jobs],
        "projects": [project.pk for project in projects],
        "purchasers": [bureau.pk],
        "referrals": [referral.pk],
        "service-records": [record.pk],
        "units": [world.station_a.pk, world.room_a1.pk],
        "users": [station.pk],
        "visits": [visit.pk],
        "workers": [world.sw_a.pk, world.cw_a1.pk],
        "grant_id": [station.grants.get().pk],
    }


def point_at_rows(case, rows, turn: int) -> None:
    """Make the path's parameters name real rows (in turn, when there are several)."""
    params = case.path_parameters
    if not params:
        return
    resource = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    for name in params:
        choices = rows.get(resource if name == "id" else name)
        if choices:
            params[name] = choices[turn % len(choices)]


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The world and its rows, built once for the module inside a transaction that is
    rolled back after its last test (each test's own changes roll back with the test, in a
    savepoint of it): building them for each of some hundred operations would cost more
    than the requests."""
    from django.db import transaction
    from django.utils import translation

    with django_db_blocker.unblock(), translation.override("en"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            yield world, build_rows(world)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def rows(fuzz_world):
    return fuzz_world[1]


@pytest.fixture
def turns():
    """Counts an operation's examples (the same for each run), to take its rows in turn."""
    return itertools.count()


@pytest.fixture
def callers(fuzz_world):
    users = fuzz_world[0].users
    return [SignedIn(users.district), SignedIn(users.station_a)]


@schema.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, rows, callers, turns):
    point_at_rows(case, rows, next(turns))
    for app in callers:
        case.call_and_validate(app=app, checks=CHECKS)
