"""The clients API: masked by default, reveal logged, scoped (404 out of scope), 400s."""

import pytest

from shegong.audit.models import AccessLog
from shegong.clients.models import Client
from tests.clients.test_clients import ID_1, ID_2, make
from tests.conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return {
        "a1": make(world, name="张三丰", village=VILLAGE_A1, number=ID_1, phone="13812345678"),
        "a2": make(world, name="王五", village=VILLAGE_A2, number=ID_2),
        "b1": make(world, name="赵六", village=VILLAGE_B1),
    }


VISIBLE = {
    "district": {"a1", "a2", "b1"},
    "station_a": {"a1", "a2"},
    "room_a1": {"a1"},
    "station_b": {"b1"},
    "sysadmin": set(),
    "auditor": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("persona", list(VISIBLE))
def test_clients_are_scoped(world, people, persona):
    api = api_for(getattr(world.users, persona))
    listed = {c["id"] for c in api.get("/api/v1/clients/").json()["results"]}
    assert listed == {people[k].pk for k in VISIBLE[persona]}
    for key, client in people.items():
        expected = 200 if key in VISIBLE[persona] else 404
        assert api.get(f"/api/v1/clients/{client.pk}/").status_code == expected
        reveal = api.post(
            f"/api/v1/clients/{client.pk}/reveal/", {"field": "phone", "reason": "回访"}
        )
        assert reveal.status_code == (404 if expected == 404 else reveal.status_code)


def test_responses_are_masked_and_never_hold_the_clear_values(world, people):
    body = api_for(world.users.district).get(f"/api/v1/clients/{people['a1'].pk}/")
    text = body.content.decode()
    assert ID_1 not in text and "13812345678" not in text
    data = body.json()
    assert data["id_number_masked"] == ID_1[:6] + "********" + ID_1[-4:]
    assert data["phone_masked"] == "138****5678"
    api = api_for(world.users.district)
    refused = api.get("/api/v1/clients/?q=13812345678")
    assert refused.status_code == 400 and "q" in refused.json()
    found = api.post("/api/v1/clients/search/", {"q": "13812345678"})
    assert [c["id"] for c in found.json()["results"]] == [people["a1"].pk]
    assert ID_1.encode() not in found.content and b"13812345678" not in found.content


def test_reveal_returns_the_value_and_writes_the_log(world, people):
    api = api_for(world.users.room_a1)
    no_reason = api.post(f"/api/v1/clients/{people['a1'].pk}/reveal/", {"field": "id_number"})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    response = api.post(
        f"/api/v1/clients/{people['a1'].pk}/reveal/", {"field": "id_number", "reason": "复核"}
    )
    assert response.json() == {"field": "id_number", "value": ID_1}
    assert AccessLog.objects.filter(user=world.users.room_a1, fields="id_number").count() == 1
    # Agency staff may read clients in scope but never reveal.
    assert (
        api_for(world.users.agency)
        .post(f"/api/v1/clients/{people['b1'].pk}/reveal/", {"field": "phone", "reason": "x"})
        .status_code
        == 403
    )


def test_create_validates_and_refuses_duplicates(world, people):
    api = api_for(world.users.station_a)
    bad = api.post(
        "/api/v1/clients/",
        {"name": "新人", "division": VILLAGE_A1, "id_number": ID_1[:-1] + "9"},
        format="json",
    )
    assert bad.status_code == 400 and "id_number" in bad.json()
    duplicate = api.post(
        "/api/v1/clients/",
        {"name": "新人", "division": VILLAGE_A2, "id_number": ID_1},
        format="json",
    )
    assert duplicate.status_code == 400 and "id_number" in duplicate.json()
    outside = api.post(
        "/api/v1/clients/",
        {"name": "新人", "division": VILLAGE_B1, "id_missing_reason": "无"},
        format="json",
    )
    assert outside.status_code == 400 and "division" in outside.json()
    ok = api.post(
        "/api/v1/clients/",
        {
            "name": "新人",
            "division": VILLAGE_A2,
            "id_missing_reason": "暂未提供",
            "groups": ["liushou_laonian"],
            "living_situation": "alone",
            "risk_tier": "high",
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["memberships"][0]["group"] == "liushou_laonian"
    assert Client.objects.count() == 4


def test_blank_sensitive_field_in_an_update_keeps_the_value(world, people):
    api = api_for(world.users.district)
    response = api.patch(
        f"/api/v1/clients/{people['a1'].pk}/", {"phone": "", "address": "新地址"}, format="json"
    )
    assert response.status_code == 200
    people["a1"].refresh_from_db()
    assert people["a1"].phone == "13812345678" and people["a1"].address == "新地址"
