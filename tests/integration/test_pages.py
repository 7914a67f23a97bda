"""Page flows that write: forms show field errors and write nothing; changes show up in
the object's history."""

import pytest

from shegong.network.models import Unit
from tests.conftest import TOWN_A

pytestmark = pytest.mark.django_db


def test_unit_form_room_on_town_code_shows_field_error(world, client):
    client.force_login(world.users.district)
    before = Unit.objects.count()
    response = client.post(
        "/units/new/",
        {
            "kind": "room",
            "division": TOWN_A,
            "status": "planned",
            "name": "错误",
            "operating_mode": "self_run",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["division"]
    assert Unit.objects.count() == before


def test_unit_edit_shows_in_history(world, client):
    client.force_login(world.users.district)
    response = client.post(
        f"/units/{world.room_a1.pk}/edit/",
        {
            "name": world.room_a1.name,
            "operating_mode": "self_run",
            "address": "新地址 8 号",
            "opening_hours": "9-17",
            "phone": "",
            "shared_facilities": ["children_home"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(f"/units/{world.room_a1.pk}/").content.decode()
    assert "新地址 8 号" in page
    history = client.get(f"/units/{world.room_a1.pk}/").context["history"]
    assert history[0]["who"] == world.users.district
    assert any(c["new"] == "新地址 8 号" for c in history[0]["changes"])


def test_unit_transition_page(world, client):
    client.force_login(world.users.district)
    response = client.post(
        f"/units/{world.room_a2.pk}/status/",
        {"status": "demonstration", "effective_on": "2023-01-01"},
    )
    assert response.status_code == 200 and response.context["form"].errors["status"]
    response = client.post(
        f"/units/{world.room_a2.pk}/status/",
        {"status": "operating", "effective_on": "2023-01-01", "note": "验收通过"},
    )
    assert response.status_code == 302
    world.room_a2.refresh_from_db()
    assert world.room_a2.status == "operating"


def test_worker_forms(world, client):
    client.force_login(world.users.station_a)
    response = client.post(
        "/workers/new/",
        {
            "name": "新网格员",
            "gender": "F",
            "division": "500112002001",
            "roles": ["grid_worker"],
            "employment": "full_time",
            "employer_name": "五星路社区",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    worker = world.cw_a1.__class__.objects.get(name="新网格员")
    response = client.post(
        f"/workers/{worker.pk}/assignments/",
        {"unit": world.room_b1.pk, "start_on": "2024-01-01"},
    )
    assert response.status_code == 400  # room B1 is not a choice for station A
    response = client.post(
        f"/workers/{worker.pk}/assignments/", {"unit": world.room_a1.pk, "start_on": "2024-01-01"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/workers/{worker.pk}/certificates/", {"tier": "assistant", "number": "", "year": 2023}
    )
    assert response.status_code == 400 and response.context["certificate_form"].errors["number"]
    page = client.get(f"/workers/{worker.pk}/")
    assert "五星路社区社会工作室" in page.content.decode()
    assert page.context["history"]


def test_coverage_page_export_is_a_workbook(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(world.users.district)
    response = client.get("/coverage/", {"as_of": "2024-06-30", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    town_a = next(r for r in rows if r[0] == TOWN_A)
    assert town_a[6] == 2  # rooms established
    assert rows[-1][5] == 412  # total villages


def test_coverage_page_bad_date_falls_back_with_a_message(world, client):
    client.force_login(world.users.district)
    response = client.get("/coverage/", {"as_of": "not-a-date"})
    assert response.status_code == 200 and response.context["date_error"]


def test_drilldown_unknown_metric_is_404(world, client):
    client.force_login(world.users.district)
    assert client.get("/coverage/details/", {"metric": "nope"}).status_code == 404


def test_error_pages_are_in_chinese_and_reveal_nothing(world, client):
    client.force_login(world.users.room_a1)
    page = client.get(f"/units/{world.room_b1.pk}/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "不存在" in body and world.room_b1.name not in body
    denied = client.get("/accounts/")
    assert denied.status_code == 403 and "无权" in denied.content.decode()


def read_sheet(response):
    from io import BytesIO

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_unit_and_worker_lists_export_what_the_user_sees(world, client):
    client.force_login(world.users.station_a)
    units = read_sheet(client.get("/units/", {"export": "xlsx"}))
    assert sorted(r[2] for r in units[2:]) == sorted(
        [world.station_a.name, world.room_a1.name, world.room_a2.name]
    )
    workers = read_sheet(client.get("/workers/", {"export": "xlsx", "certified": "yes"}))
    assert [r[0] for r in workers[2:]] == ["李网格"]
    assert "A-0001" in workers[2][7] and world.room_a1.name in workers[2][8]


def test_drilldown_exports_its_units(world, client):
    client.force_login(world.users.district)
    rows = read_sheet(
        client.get(
            "/coverage/details/",
            {"metric": "rooms_uncertified", "as_of": "2024-06-30", "export": "xlsx"},
        )
    )
    assert [r[2] for r in rows[2:]] == [world.room_a2.name]


def test_unit_list_filters_by_town_within_scope(world, client):
    client.force_login(world.users.district)
    page = client.get("/units/", {"town": "500112004"})
    assert {u.name for u in page.context["page"].object_list} == {
        world.station_b.name,
        world.room_b1.name,
    }
    assert len(page.context["towns"]) == 30
    client.force_login(world.users.station_a)
    page = client.get("/units/", {"town": "500112004"})
    assert list(page.context["page"].object_list) == []
    assert [t.code for t in page.context["towns"]] == [TOWN_A]


def test_every_coverage_figure_links_to_a_drilldown_that_lists_as_many(world, client):
    """Follow each figure link on the coverage page; the list behind it has that many rows."""
    import re

    client.force_login(world.users.district)
    html = client.get("/coverage/", {"as_of": "2024-06-30"}).content.decode()
    links = re.findall(r'<a href="(/coverage/details/\?[^"]+)">(\d+)</a>', html)
    assert len(links) > 100
    for href, figure in links:
        page = client.get(href.replace("&amp;", "&"))
        assert page.context["page"].paginator.count == int(figure), href


def test_configuration_admin_pages_load(world, client):
    from shegong.access.services import grant_add

    # Configuration is its own role, not a superuser flag (issue 9, finding 2).
    grant_add(user=world.users.district, role="config_admin", unit=world.center, actor=None)
    world.users.district.refresh_from_db()
    client.force_login(world.users.district)
    for url in (
        "/admin/records/servicefield/",
        "/admin/clients/targetgroup/",
        "/admin/clients/visitpolicy/",
        "/admin/network/agency/",
        "/admin/divisions/division/",
    ):
        assert client.get(url).status_code == 200, url
