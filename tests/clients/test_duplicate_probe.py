"""Finding 15: registering a client or importing a roster must not tell a room, unlogged,
whether an ID number is registered anywhere in the district. Inside the user's area the
refusal names the record; outside it, a neutral refusal (no person, unit or place) and an
access-log row for the auditor, on the page, the API and the import (dry run or not)."""

import pytest
from django.core.exceptions import ValidationError

from shegong.audit.models import AccessLog
from shegong.clients import services
from shegong.clients.models import Client
from tests.clients.test_clients import ID_1, make
from tests.clients.test_roster_import import HEADER
from tests.conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, api_for
from tests.network.test_unit_import import workbook

pytestmark = pytest.mark.django_db

NAMES = ("张三丰", "五星路", "双龙湖", VILLAGE_A1, "500112002", "no. ")


@pytest.fixture
def registered(world):
    return make(world, number=ID_1)  # in village A1 (town A)


def probes():
    return list(AccessLog.objects.filter(action=AccessLog.Action.LOOKUP))


def assert_neutral(message: str):
    message = str(message)
    assert "already registered" in message or "已登记" in message
    for name in NAMES:
        assert name not in message, name


def assert_one_probe(user, registered):
    (row,) = probes()
    assert row.user == user and row.object_type == "client"
    assert row.object_id == str(registered.pk) and row.fields == "id_number"
    assert ID_1 not in f"{row.reason}{row.fields}"


def test_inside_the_area_the_refusal_names_the_record_and_logs_nothing(world, registered):
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            actor=world.users.station_a, name="x", division=world.div[VILLAGE_A2], id_number=ID_1
        )
    assert f"no. {registered.pk}" in exc.value.message_dict["id_number"][0]
    assert probes() == []


def test_outside_the_area_the_service_refuses_neutrally_and_logs(world, registered):
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            actor=world.users.station_b, name="x", division=world.div[VILLAGE_B1], id_number=ID_1
        )
    assert_neutral(exc.value.message_dict["id_number"][0])
    assert_one_probe(world.users.station_b, registered)
    assert Client.objects.count() == 1


def test_an_edit_to_a_number_registered_elsewhere_is_logged_too(world, registered):
    mine = make(world, name="赵六", village=VILLAGE_B1)
    with pytest.raises(ValidationError) as exc:
        services.client_update(client=mine, actor=world.users.station_b, id_number=ID_1)
    assert_neutral(exc.value.message_dict["id_number"][0])
    assert_one_probe(world.users.station_b, registered)


def test_the_page_refuses_neutrally_and_logs(world, client, registered):
    client.force_login(world.users.station_b)
    response = client.post(
        "/clients/new/",
        {"name": "新人", "division": VILLAGE_B1, "id_number": ID_1, "risk_tier": "general"},
    )
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["form"].errors
    assert list(errors) == ["id_number"]
    assert_neutral(errors["id_number"][0])
    assert_one_probe(world.users.station_b, registered)


def test_the_api_refuses_neutrally_and_logs(world, registered):
    response = api_for(world.users.station_b).post(
        "/api/v1/clients/",
        {"name": "新人", "division": VILLAGE_B1, "id_number": ID_1},
        format="json",
    )
    assert response.status_code == 400
    assert_neutral(response.json()["id_number"][0])
    assert_one_probe(world.users.station_b, registered)


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_import_page_refuses_neutrally_and_logs(world, client, registered, dry_run):
    client.force_login(world.users.station_b)
    rows = [["新人", ID_1, VILLAGE_B1, "最低生活保障对象", "", ""]]
    response = client.post(
        "/clients/import/", {"file": workbook(rows, header=HEADER), "dry_run": dry_run or ""}
    )
    (error,) = response.context["report"].errors
    assert error.row == 2 and error.field == "身份证号"
    assert_neutral(error.message)
    assert_one_probe(world.users.station_b, registered)
    assert Client.objects.count() == 1


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_import_api_refuses_neutrally_and_logs(world, registered, dry_run):
    rows = [["新人", ID_1, VILLAGE_B1, "最低生活保障对象", "", ""]]
    response = api_for(world.users.station_b).post(
        "/api/v1/clients/import/",
        {"file": workbook(rows, header=HEADER), "dry_run": "true" if dry_run else "false"},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.content.decode()
    for name in NAMES:
        assert name not in body
    assert_one_probe(world.users.station_b, registered)


def test_an_in_scope_import_row_gains_the_group_and_logs_nothing(world, client, registered):
    client.force_login(world.users.station_a)
    rows = [["张三丰", ID_1, VILLAGE_A1, "特困人员", "", ""]]
    response = client.post("/clients/import/", {"file": workbook(rows, header=HEADER)})
    assert response.status_code == 200 and response.context["report"].committed
    assert probes() == []
