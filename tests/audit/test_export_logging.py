"""Finding 8: every export of personal data lands in the access log with the reader's whole
scope (every prefix, not the first), the filters it applied and the rows it carried."""

import pytest

from shegong.access import services as access_services
from shegong.access.models import Role
from shegong.audit.models import AccessLog
from tests.activities.factories import ActivityFactory
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_B1, make_user
from tests.integration.test_pages import read_sheet
from tests.purchasing.factories import assign_evaluation
from tests.purchasing.test_purchasing import contracted, market  # noqa: F401 (a fixture)
from tests.records.factories import ServiceRecordFactory

pytestmark = pytest.mark.django_db

BOTH_TOWNS = "500112002 500112004"


@pytest.fixture
def two_stations(world):
    """Station staff of towns A and B: two scope prefixes."""
    user = make_user("two_stations", Role.STATION_STAFF, world.station_a)
    access_services.grant_add(user=user, role=Role.STATION_STAFF, unit=world.station_b, actor=None)
    return user


@pytest.fixture
def served(world):
    """A client in each town, a case, a service record and a group in town A."""
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    make(world, name="回兴人", village=VILLAGE_B1)
    CaseFactory(
        client=elder, actor=world.users.room_a1, unit=world.room_a1, case_worker=world.cw_a1
    )
    ServiceRecordFactory(actor=world.users.room_a1, unit=world.room_a1, clients=[elder])
    ActivityFactory(actor=world.users.station_a, unit=world.station_a, leader=world.sw_a)
    return elder


def the_export(user) -> AccessLog:
    (row,) = AccessLog.objects.filter(user=user, action=AccessLog.Action.EXPORT)
    return row


EXPORTS = [
    # (url, query, object type, filters logged)
    ("/clients/", {"group": "", "risk": "general"}, "client", {"risk": "general"}),
    ("/cases/", {"stage": ""}, "case", {}),
    ("/service-records/", {"method": "visit"}, "service_record", {"method": "visit"}),
    ("/activities/", {"kind": "group"}, "activity", {"kind": "group"}),
    ("/workers/", {"q": "张"}, "worker", {"q": "张"}),
    ("/units/", {"kind": "room"}, "unit", {"kind": "room"}),
    ("/projects/", {}, "project", {}),
    ("/projects/ledger/", {"by": "purchaser"}, "budget_ledger", {"by": "purchaser"}),
    (
        "/coverage/details/",
        {"metric": "rooms_established", "as_of": "2026-01-01"},
        "unit",
        {"metric": "rooms_established", "as_of": "2026-01-01"},
    ),
    ("/coverage/", {"as_of": "2026-01-01"}, "coverage", {"as_of": "2026-01-01"}),
]


@pytest.mark.parametrize(("url", "query", "object_type", "filters"), EXPORTS)
def test_every_export_is_logged_with_the_whole_scope_filters_and_rows(
    world, client, two_stations, served, url, query, object_type, filters
):
    client.force_login(two_stations)
    response = client.get(url, {**query, "export": "xlsx"})
    assert response.status_code == 200, url
    sheet = read_sheet(response)
    log = the_export(two_stations)
    assert log.object_type == object_type
    assert log.scope == BOTH_TOWNS  # both prefixes, not only the first
    assert log.division_code == "500112"  # the district that holds both
    for key, value in filters.items():
        assert log.filters[key] == value
    assert "export" not in log.filters and "page" not in log.filters
    if object_type != "coverage":  # the coverage sheet adds a total row
        assert log.rows == table_rows(sheet)
    assert log.rows is not None


def table_rows(sheet):
    """The rows under the column headings: after the title, or after the header block that
    purchasing exports open with (it ends at an empty line)."""
    blank = next((i for i, row in enumerate(sheet) if not any(row)), None)
    return len(sheet) - 2 if blank is None else len(sheet) - blank - 2


def test_the_client_export_counts_the_rows_it_carried(world, client, two_stations, served):
    client.force_login(two_stations)
    sheet = read_sheet(client.get("/clients/", {"export": "xlsx"}))
    names = {row[0] for row in sheet[2:]}
    assert names == {"刘奶奶", "回兴人"}
    assert the_export(two_stations).rows == 2


def test_the_evaluation_sheet_export_is_logged(market, client):  # noqa: F811 (the fixture)
    world = market
    evaluation = assign_evaluation(world, contracted(world))
    client.force_login(world.users.evaluator)
    response = client.get(f"/evaluations/{evaluation.pk}/", {"export": "xlsx"})
    assert response.status_code == 200
    log = the_export(world.users.evaluator)
    assert log.object_type == "evaluation"
    assert log.filters == {"evaluation": str(evaluation.pk), "project": str(evaluation.project_id)}
    # An evaluator reads no divisions: its account's division stands for its scope.
    assert log.scope == world.users.evaluator.division_id


def test_exports_of_the_audit_logs_are_logged_too(world, client):
    client.force_login(world.users.auditor)
    for url, object_type in (
        ("/audit/", "audit.change"),
        ("/audit/accesses/", "audit.access"),
        ("/audit/logins/", "audit.login"),
    ):
        assert client.get(url, {"export": "xlsx", "user": "district"}).status_code == 200
        log = AccessLog.objects.filter(user=world.users.auditor).order_by("-id").first()
        assert (log.object_type, log.filters) == (object_type, {"username": "district"})


def test_an_attachment_download_is_logged(world, client, served):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shegong.records.models import Attachment, ServiceRecord

    record = ServiceRecord.objects.get()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    client.force_login(world.users.room_a1)
    upload = SimpleUploadedFile("consent.png", png)
    client.post(f"/service-records/{record.pk}/attachments/", {"file": upload, "kind": "photo"})
    attachment = Attachment.objects.get()
    response = client.get(f"/service-records/{record.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    log = the_export(world.users.room_a1)
    assert (log.object_type, log.object_id, log.rows) == ("attachment", str(attachment.pk), 1)
    assert log.filters == {"service_record": str(record.pk)}
    assert log.scope == world.room_a1.division_id


def test_the_import_error_report_is_logged(world, client):
    from shegong.common.models import ImportJob

    job = ImportJob.objects.create(
        kind="roster",
        original_name="名单.xlsx",
        created_by=world.users.station_a,
        status=ImportJob.Status.FAILED,
        errors=[[3, "id_number", "This person is already registered: 张三 (no. 1)."]],
    )
    client.force_login(world.users.station_a)
    response = client.get(f"/imports/{job.pk}/", {"export": "xlsx"})
    assert response.status_code == 200
    log = the_export(world.users.station_a)
    assert (log.object_type, log.rows) == ("import_errors", 1)
    assert log.filters == {"import_job": str(job.pk), "kind": "roster"}
