"""What the API, the pages and the imports refuse (issue 9, finding 12): JSON nested too
deep (a 400, not a RecursionError), control characters, phones that are not phones,
unbounded free text, and roster values longer than their columns."""

import pytest

from shegong.clients.models import Client, Membership
from shegong.common.validators import validate_phone
from shegong.records.models import ServiceRecord
from tests.clients.test_clients import ID_1, make
from tests.clients.test_roster_import import HEADER, roster
from tests.conftest import VILLAGE_A1, api_for
from tests.network.test_unit_import import workbook
from tests.records.test_service_records import group_session, post_record

pytestmark = pytest.mark.django_db
DEEP = "[" * 10_000 + "]" * 10_000


def test_json_nested_ten_thousand_deep_is_a_400_on_post_and_patch(world):
    api = api_for(world.users.station_a)
    body = f'{{"name": "x", "division": "{VILLAGE_A1}", "id_missing_reason": {DEEP}}}'
    created = api.post("/api/v1/clients/", body, content_type="application/json")
    assert created.status_code == 400 and "detail" in created.json()
    person = make(world, name="张三丰", village=VILLAGE_A1)
    patched = api.patch(
        f"/api/v1/clients/{person.pk}/", f'{{"name": {DEEP}}}', content_type="application/json"
    )
    assert patched.status_code == 400
    shallow = api.patch(f"/api/v1/clients/{person.pk}/", {"name": "李四"}, format="json")
    assert shallow.status_code == 200


@pytest.mark.parametrize("name", ["张\x01三", "张\x1b[31m三", "张\t三", "张\n三", "张\x7f三"])
def test_control_characters_are_refused_on_the_field_by_the_api(world, name):
    api = api_for(world.users.station_a)
    body = {"name": name, "division": VILLAGE_A1, "id_missing_reason": "暂未提供"}
    response = api.post("/api/v1/clients/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == ["name"]
    assert not Client.objects.exists()


def test_control_characters_are_a_form_error_on_the_client_page(world, client):
    client.force_login(world.users.room_a1)
    data = {"division": VILLAGE_A1, "id_number": ID_1, "risk_tier": "general"}
    response = client.post("/clients/new/", {**data, "name": "张\x01三"})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    notes = client.post("/clients/new/", {**data, "name": "张三", "health_notes": "高\x0b血压"})
    assert notes.context["form"].errors["health_notes"]
    assert not Client.objects.exists()
    ok = client.post("/clients/new/", {**data, "name": "张三", "health_notes": "高血压\n\t糖尿病"})
    assert ok.status_code == 302  # multi-line text keeps its line breaks and tabs


@pytest.mark.parametrize(
    "phone", ["13812345678", "+86 13812345678", "023-67800000", "02367800000", "023-67800000-123"]
)
def test_phone_formats_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["1", "12345678901", "电话", "023-6780", "13812345678; drop"])
def test_a_bad_phone_is_a_400_naming_the_field(world, phone):
    api = api_for(world.users.station_a)
    body = {"name": "张三", "division": VILLAGE_A1, "id_missing_reason": "无", "phone": phone}
    response = api.post("/api/v1/clients/", body, format="json")
    assert response.status_code == 400 and "phone" in response.json()
    guardian = api.post(
        "/api/v1/clients/", {**body, "phone": "", "guardian_phone": phone}, format="json"
    )
    assert guardian.status_code == 400 and "guardian_phone" in guardian.json()
    unit = api_for(world.users.district).patch(
        f"/api/v1/units/{world.room_a1.pk}/", {"phone": phone}, format="json"
    )
    assert unit.status_code == 400 and "phone" in unit.json()


@pytest.mark.date_sensitive
def test_a_200_kb_note_is_refused(world, client):
    api = api_for(world.users.station_a)
    response = api.post(
        "/api/v1/service-records/",
        {**group_session(world.station_a), "notes": "记" * 200_000},
        format="json",
    )
    assert response.status_code == 400 and "notes" in response.json()
    just_over = api.post(
        "/api/v1/service-records/",
        {**group_session(world.station_a), "outcome": "好" * 2001},
        format="json",
    )
    assert just_over.status_code == 400 and "outcome" in just_over.json()
    client.force_login(world.users.room_a1)
    page = post_record(client, world, other_participants=3, outcome="好" * 2001)
    assert page.context["form"].errors["outcome"]
    assert not ServiceRecord.objects.exists()


def test_roster_import_applies_the_columns_lengths_and_rules(world, client):
    client.force_login(world.users.station_a)
    rows = roster(5)
    rows[0][0] = "长" * 301  # a 50-character column
    rows[1][5] = "源" * 101  # source: 100 characters
    rows[2][0] = "张\t三"
    header = [*HEADER, "phone", "address"]
    rows = [[*row, "", ""] for row in rows]
    rows[3][6] = "not a phone"
    rows[4][7] = "址" * 201  # address: 200 characters
    response = client.post("/clients/import/", {"file": workbook(rows, header=header)})
    assert response.status_code == 400
    errors = {(e.row, e.field) for e in response.context["report"].errors}
    assert errors == {(2, "姓名"), (3, "来源"), (4, "姓名"), (5, "phone"), (6, "address")}
    assert not Client.objects.exists() and not Membership.objects.exists()
