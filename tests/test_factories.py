"""The factories build through the services: each object comes out as the pages would make
it (rules checked, history written, derived fields filled), with sensible defaults."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from shegong.access.models import Role
from shegong.network.models import OperatingMode, UnitKind, UnitStatus
from tests.access.factories import PASSWORD, UserFactory
from tests.activities.factories import ActivityFactory
from tests.cases.factories import CaseFactory
from tests.clients.factories import ClientFactory
from tests.network.factories import AgencyFactory, UnitFactory
from tests.people.factories import WorkerFactory
from tests.purchasing.factories import ProjectFactory, PurchaserFactory
from tests.records.factories import ServiceRecordFactory
from tests.referrals.factories import ReferralFactory
from tests.visits.factories import VisitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def test_network_people_and_accounts(db):
    agency = AgencyFactory()
    assert agency.history.count() == 1
    room = UnitFactory()  # the first village without a live unit
    assert room.kind == UnitKind.ROOM and room.division.level == 12
    assert room.status == UnitStatus.ESTABLISHED and room.status_changes.count() == 1
    assert UnitFactory().division_id != room.division_id
    station = UnitFactory(kind=UnitKind.STATION, agency=agency)
    assert station.division.level == 9 and station.operating_mode == OperatingMode.CONTRACTED
    with pytest.raises(ValidationError):  # still one live unit per division
        UnitFactory(division=room.division)
    worker = WorkerFactory(unit=room, certificate=("assistant", "A-0009", 2022))
    assert worker.division == room.division and worker.history.count() == 1
    assert worker.assignments.get().unit == room and worker.certificates.count() == 1
    user = UserFactory(role=Role.ROOM_WORKER, unit=room)
    assert user.check_password(PASSWORD) and user.division == room.division
    assert user.grants.get().unit == room
    assert not UserFactory().grants.exists()


def test_clients_and_their_services(world):
    client = ClientFactory(risk_tier="high")
    assert client.name_initials == "zsf" and client.next_visit_due is not None
    assert client.alerts.filter(resolved_at__isnull=True).count() == 1
    visit = VisitFactory(client=client, actor=world.users.room_a1)
    assert visit.visited_on == localdate() and visit.visitor == world.users.room_a1
    record = ServiceRecordFactory(actor=world.users.room_a1, unit=world.room_a1, clients=[client])
    assert record.served_on == localdate() and record.field.code == "elderly"
    case = CaseFactory(
        actor=world.users.room_a1, client=client, unit=world.room_a1, case_worker=world.cw_a1
    )
    assert case.events.get().kind == "opened" and case.opened_on == localdate()
    referral = ReferralFactory(
        actor=world.users.room_a1,
        client=client,
        from_unit=world.room_a1,
        to_unit=world.station_a,
    )
    assert referral.status == "pending" and referral.consent_checked
    group = ActivityFactory(
        actor=world.users.station_a, unit=world.station_a, leader=world.sw_a, members=[client]
    )
    assert group.start_on < localdate() and group.history.count() == 1


def test_purchasing(world):
    purchaser = PurchaserFactory()
    buyer = UserFactory(role=Role.PURCHASER, purchaser=purchaser)
    project = ProjectFactory(actor=buyer, purchaser=purchaser)
    assert project.division_id == "500112" and project.created_by == buyer
    assert project.history.count() == 1
