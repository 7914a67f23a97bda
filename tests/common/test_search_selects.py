"""Searchable selects (issue 10 item 3): the scoped choices endpoints behind them, the
widgets that render only what is chosen, the defaults, and forms that refuse an id outside
the user's scope on that field."""

import re

import pytest
from django.db.models import Q
from django.utils.timezone import localdate

from shegong.divisions.models import Division, Level
from shegong.people.models import Worker
from shegong.records.models import ServiceField, ServiceItem, ServiceRecord
from tests.clients.test_clients import ID_1, make
from tests.conftest import OTHER_TOWN, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, api_for

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/choices/"
WORKERS = "/api/v1/workers/choices/"
UNITS = "/api/v1/units/choices/"
VILLAGES = "/api/v1/divisions/choices/"


def other_village():
    return Division.objects.filter(code__startswith=OTHER_TOWN, level=Level.VILLAGE).first()


@pytest.fixture
def people(world):
    """A client at each scope edge: room A1's village, its sibling A2, town B, another
    district."""
    return {
        "a1": make(world, name="张三丰", village=VILLAGE_A1),
        "a2": make(world, name="张无忌", village=VILLAGE_A2),
        "b1": make(world, name="张翠山", village=VILLAGE_B1),
        "x": make(world, name="张松溪", village=other_village().code),
    }


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["text"].split(" · ")[0] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("room_a1", {"张三丰"}),
        ("station_a", {"张三丰", "张无忌"}),
        ("station_b", {"张翠山"}),
        ("district", {"张三丰", "张无忌", "张翠山"}),
        ("sysadmin", set()),
        ("nobody", set()),
    ],
)
def test_client_choices_are_the_personas_own(world, people, persona, seen):
    """Room worker: own village only; station: own town; another district: never."""
    assert names(api_for(getattr(world.users, persona)).get(CLIENTS, {"q": "张"})) == seen


def test_client_choices_by_pinyin_initials_and_village_show_name_and_village(world, people):
    api = api_for(world.users.station_a)
    found = api.get(CLIENTS, {"q": "zsf"}).json()
    assert found["more"] is False and len(found["results"]) == 1
    assert found["results"][0]["id"] == str(people["a1"].pk)
    assert found["results"][0]["text"] == "张三丰 · " + world.div[VILLAGE_A1].name
    assert names(api.get(CLIENTS, {"q": "ZW"})) == {"张无忌"}
    village = Division.objects.get(code=VILLAGE_A2).name
    assert names(api.get(CLIENTS, {"q": village[:3]})) == {"张无忌"}


def test_client_choices_never_search_by_number(world):
    """An ID or phone number (or a piece of one) finds nothing here, and the answer holds
    nothing sensitive."""
    held = make(world, name="赵敏", number=ID_1, phone="13812345678")
    api = api_for(world.users.district)
    for q in (ID_1, ID_1[-6:], "13812345678", "1381"):
        assert api.get(CLIENTS, {"q": q}).json()["results"] == []
    body = api.get(CLIENTS, {"q": "赵"}).content.decode()
    assert str(held.pk) in body and ID_1 not in body and "1381" not in body


def test_choices_are_capped_at_twenty(world):
    for i in range(23):
        make(world, name=f"王{i:02d}", village=VILLAGE_A1)
    answer = api_for(world.users.room_a1).get(CLIENTS, {"q": "王"}).json()
    assert len(answer["results"]) == 20 and answer["more"] is True
    assert api_for(world.users.room_a1).get(CLIENTS, {"q": "王2"}).json()["more"] is False


def test_choices_within_a_place(world, people):
    api = api_for(world.users.district)
    assert names(api.get(CLIENTS, {"q": "张", "within": VILLAGE_A2})) == {"张无忌"}
    assert api.get(CLIENTS, {"within": "abc"}).status_code == 400


def test_bad_queries_are_400_not_500(world):
    api = api_for(world.users.district)
    assert api.get(CLIENTS, {"q": "张" * 51}).status_code == 400
    assert api.get(WORKERS, {"q": "a\x00b"}).status_code == 400


def test_choices_need_a_login_and_work_with_the_session(world, people, client):
    assert client.get(CLIENTS, {"q": "张"}).status_code in (401, 403)
    client.force_login(world.users.room_a1)
    assert names(client.get(CLIENTS, {"q": "张"})) == {"张三丰"}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("room_a1", {"李网格"}),
        ("station_a", {"张社工", "李网格", "王调解"}),
        ("station_b", {"赵社区"}),
        ("district", {"张社工", "李网格", "王调解", "赵社区"}),
        ("nobody", set()),
    ],
)
def test_worker_choices_are_scoped(world, persona, seen):
    api = api_for(getattr(world.users, persona))
    found = {r["text"].split(" · ")[0] for r in api.get(WORKERS).json()["results"]}
    # Other workers of the world's scope may exist; the other district's never shows.
    assert seen <= found and "渝中社工" not in found
    if persona == "room_a1":
        assert found == seen


def test_worker_choices_leave_out_inactive_workers(world):
    Worker.objects.filter(pk=world.cw_a2.pk).update(is_active=False)
    found = api_for(world.users.station_a).get(WORKERS, {"q": "王调解"}).json()["results"]
    assert found == []


def test_unit_and_village_choices_are_scoped(world):
    room = api_for(world.users.room_a1)
    assert [r["id"] for r in room.get(UNITS).json()["results"]] == [str(world.room_a1.pk)]
    assert [r["id"] for r in room.get(VILLAGES).json()["results"]] == [VILLAGE_A1]
    station = api_for(world.users.station_a).get(UNITS, {"q": "社区"}).json()["results"]
    assert {r["id"] for r in station} == {str(world.room_a1.pk), str(world.room_a2.pk)}
    villages = api_for(world.users.station_a).get(VILLAGES, {"q": "龙昌"}).json()["results"]
    assert [v["id"] for v in villages] == [VILLAGE_A2] and "·" in villages[0]["text"]
    far = api_for(world.users.district).get(UNITS, {"q": "渝中"}).json()["results"]
    assert far == []


# ---- forms --------------------------------------------------------------------------------


def record_data(world, **overrides):
    elderly = ServiceField.objects.get(code="elderly")
    data = {
        "unit": world.room_a1.pk,
        "served_on": str(localdate()),
        "duration_minutes": 45,
        "method": "visit",
        "field": elderly.pk,
        "items": [elderly.items.first().pk],
        "other_participants": 0,
    }
    return data | overrides


@pytest.mark.date_sensitive
@pytest.mark.parametrize("field", ["clients", "workers", "unit"])
def test_an_out_of_scope_id_is_an_error_on_its_field(world, people, client, field):
    client.force_login(world.users.room_a1)
    outside = {
        "clients": {"clients": [people["a2"].pk]},
        "workers": {"workers": [world.cw_b1.pk], "clients": [people["a1"].pk]},
        "unit": {"unit": world.room_a2.pk, "clients": [people["a1"].pk]},
    }[field]
    response = client.post("/service-records/new/", record_data(world, **outside))
    assert response.status_code == 200 and not ServiceRecord.objects.exists()
    assert set(response.context["form"].errors) == {field}
    # The page names no one the user may not see, even as the refused choice.
    assert "张无忌" not in response.content.decode()


def test_the_form_lists_only_what_is_chosen(world, people, client):
    """No client, worker or unit list in the page: a few kilobytes, not a district."""
    for i in range(30):
        make(world, name=f"孙{i:02d}", village=VILLAGE_A1)
    client.force_login(world.users.station_a)
    page = client.get("/service-records/new/").content.decode()
    assert "孙00" not in page and "张三丰" not in page and "王调解" not in page
    assert 'data-search-url="/api/v1/clients/choices/"' in page
    assert 'data-search-url="/api/v1/workers/choices/"' in page
    assert 'data-search-url="/api/v1/units/choices/"' in page


@pytest.mark.date_sensitive
def test_a_failed_form_keeps_the_chosen_clients_with_their_village(world, people, client):
    client.force_login(world.users.room_a1)
    response = client.post(
        "/service-records/new/", record_data(world, clients=[people["a1"].pk], duration_minutes=0)
    )
    assert response.status_code == 200
    chosen = re.search(
        rf'<option value="{people["a1"].pk}" selected>([^<]*)</option>', response.content.decode()
    )
    assert chosen and chosen.group(1) == "张三丰 · " + world.div[VILLAGE_A1].name


def test_service_items_carry_their_field(world, client):
    client.force_login(world.users.room_a1)
    page = client.get("/service-records/new/").content.decode()
    item = ServiceItem.objects.filter(is_active=True).first()
    assert re.search(rf'value="{item.pk}"[^>]*data-parent="{item.field_id}"', page) or (
        re.search(rf'data-parent="{item.field_id}"[^>]*value="{item.pk}"', page)
    )
    assert 'data-depends-on="id_field"' in page


@pytest.mark.date_sensitive
def test_an_item_of_another_field_is_still_refused(world, people, client):
    client.force_login(world.users.room_a1)
    children = ServiceItem.objects.filter(field__code="children").first()
    response = client.post(
        "/service-records/new/",
        record_data(world, items=[children.pk], clients=[people["a1"].pk]),
    )
    assert response.status_code == 200 and "items" in response.context["form"].errors


@pytest.mark.date_sensitive
def test_defaults_the_only_unit_today_and_the_worker_themself(world, client):
    if not hasattr(Worker, "account"):
        pytest.skip("workers are not linked to accounts yet")
    Worker.objects.filter(pk=world.cw_a1.pk).update(account=world.users.room_a1)
    client.force_login(world.users.room_a1)
    form = client.get("/service-records/new/").context["form"]
    assert form.initial["unit"] == world.room_a1.pk
    assert form.initial["workers"] == [world.cw_a1.pk]
    assert form["served_on"].value() == localdate()
    page = client.get("/service-records/new/").content.decode()
    assert f'<option value="{world.room_a1.pk}" selected>{world.room_a1.name}</option>' in page
    assert f'<option value="{world.cw_a1.pk}" selected>李网格 · ' in page


def test_a_station_worker_gets_their_station_preselected(world, client):
    client.force_login(world.users.station_a)
    form = client.get("/service-records/new/").context["form"]
    assert form.initial["unit"] == world.station_a.pk


def test_the_centre_gets_its_own_unit(world, client):
    """The district administrator holds a grant on the centre only: that is its unit."""
    client.force_login(world.users.district)
    form = client.get("/service-records/new/").context["form"]
    assert form.initial["unit"] == world.center.pk


def test_client_form_preselects_a_room_workers_village(world, client):
    client.force_login(world.users.room_a1)
    form = client.get("/clients/new/").context["form"]
    assert form.initial["division"] == VILLAGE_A1
    client.force_login(world.users.station_a)
    assert not client.get("/clients/new/").context["form"].initial.get("division")


def test_client_form_refuses_a_village_outside_scope_on_the_field(world, client):
    client.force_login(world.users.room_a1)
    response = client.post(
        "/clients/new/",
        {"name": "测试", "division": VILLAGE_A2, "id_missing_reason": "暂未提供"},
    )
    assert "division" in response.context["form"].errors


def test_activity_form_searches_unit_and_leader(world, client):
    client.force_login(world.users.room_a1)
    response = client.get("/activities/new/")
    page = response.content.decode()
    assert 'data-search-url="/api/v1/workers/choices/"' in page
    assert response.context["form"].initial["unit"] == world.room_a1.pk


def test_unit_head_is_searched_within_the_units_area(world, client):
    client.force_login(world.users.district)
    page = client.get(f"/units/{world.room_a1.pk}/edit/").content.decode()
    assert f'data-search-params="within={VILLAGE_A1}"' in page


def test_due_list_worker_filter_is_a_search(world, client):
    client.force_login(world.users.station_a)
    page = client.get("/visits/due/", {"worker": world.cw_a1.pk}).content.decode()
    assert 'name="worker"' in page and 'data-search-url="/api/v1/workers/choices/"' in page
    assert f'<option value="{world.cw_a1.pk}" selected>李网格 · ' in page
    assert "王调解" not in page


def test_choices_are_in_the_openapi_schema(world, client):
    client.force_login(world.users.district)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path in (CLIENTS, WORKERS, UNITS, VILLAGES):
        assert path in schema["paths"], path


def test_contract_units_are_searched_through_the_project(world, client):
    """The purchaser sees no unit register, but finds its project's units; nobody else's."""
    from shegong.access.models import Role
    from shegong.purchasing.api.choices import coverable_units
    from tests.conftest import make_user
    from tests.purchasing.factories import PurchaserFactory
    from tests.purchasing.test_purchasing import new_project

    world.bureau = PurchaserFactory(name="渝北区民政局", kind="civil_affairs")
    world.users.purchaser = make_user("buyer", Role.PURCHASER, purchaser=world.bureau)
    project = new_project(world)
    client.force_login(world.users.purchaser)
    url = f"/api/v1/projects/{project.pk}/unit-choices/"
    found = {r["id"] for r in client.get(url, {"q": "社区"}).json()["results"]}
    named = Q(name__contains="社区") | Q(division__name__contains="社区")
    expected = coverable_units(project).filter(named)
    assert found == {str(u.pk) for u in expected} and found
    assert str(world.center.pk) not in {r["id"] for r in client.get(url).json()["results"]}
    client.force_login(world.users.room_a1)
    assert client.get(url).status_code == 404


@pytest.mark.date_sensitive
def test_the_correction_form_searches_clients_and_workers(world, people, client):
    from tests.records.factories import ServiceRecordFactory

    record = ServiceRecordFactory(
        actor=world.users.room_a1,
        unit=world.room_a1,
        clients=[people["a1"]],
        workers=[world.cw_a1],
        field=ServiceField.objects.get(code="elderly"),
    )
    client.force_login(world.users.room_a1)
    page = client.get(f"/service-records/{record.pk}/correct/").content.decode()
    assert 'data-search-url="/api/v1/clients/choices/"' in page
    assert f'<option value="{people["a1"].pk}" selected>张三丰 · ' in page
    assert f'<option value="{world.cw_a1.pk}" selected>李网格 · ' in page
