"""Client pages: masked everywhere, reveal by POST with a reason, forms with field errors."""

import pytest

from shegong.audit.models import AccessLog
from shegong.clients.models import Client
from tests.clients.test_clients import ID_1, make
from tests.conftest import VILLAGE_A1, VILLAGE_B1

pytestmark = pytest.mark.django_db


@pytest.fixture
def zsf(world):
    return make(world, number=ID_1, phone="13812345678", health_notes="糖尿病")


def test_pages_never_show_clear_values(world, client, zsf):
    client.force_login(world.users.district)
    urls = ["/clients/", f"/clients/{zsf.pk}/", f"/clients/{zsf.pk}/edit/", "/clients/?q=zsf"]
    pages = [client.get(url) for url in urls]
    pages.append(client.post("/clients/", {"q": ID_1}, follow=True))
    for page in pages:
        body = page.content.decode()
        for clear in (ID_1, "13812345678", "糖尿病"):
            assert clear not in body, (page.request["PATH_INFO"], clear)
    assert "138****5678" in pages[3].content.decode()


def test_search_by_id_or_phone_posts_and_never_enters_a_url(world, client, zsf):
    client.force_login(world.users.district)
    posted = client.post("/clients/", {"q": "13812345678"})
    assert posted.status_code == 302 and posted.url == "/clients/?held=1"
    found = client.get(posted.url)
    assert [c.pk for c in found.context["page"].object_list] == [zsf.pk]
    # A name search is turned into a GET, so it can be paged and bookmarked.
    named = client.post("/clients/", {"q": "zsf"})
    assert named.status_code == 302 and named.url == "/clients/?q=zsf"
    # An ID number typed into a URL is not acted upon: the list without it.
    ignored = client.get("/clients/", {"q": ID_1})
    assert ignored.status_code == 302 and ignored.url == "/clients/"


def test_reveal_by_post_shows_once_and_logs(world, client, zsf):
    client.force_login(world.users.room_a1)
    refused = client.post(f"/clients/{zsf.pk}/", {"field": "health_notes", "reason": ""})
    assert refused.status_code == 400 and not AccessLog.objects.exists()
    shown = client.post(
        f"/clients/{zsf.pk}/", {"field": "health_notes", "reason": "上门前了解病情"}
    )
    assert shown.status_code == 200 and "糖尿病" in shown.content.decode()
    assert AccessLog.objects.get().reason == "上门前了解病情"
    assert "糖尿病" not in client.get(f"/clients/{zsf.pk}/").content.decode()


def test_room_worker_gets_404_for_the_next_village(world, client):
    other = make(world, name="邻村居民", village=VILLAGE_B1)
    client.force_login(world.users.room_a1)
    assert client.get(f"/clients/{other.pk}/").status_code == 404
    assert (
        client.post(f"/clients/{other.pk}/", {"field": "phone", "reason": "x"}).status_code == 404
    )
    assert client.get(f"/clients/{other.pk}/edit/").status_code == 404


def test_register_and_edit_keep_blank_sensitive_fields(world, client):
    client.force_login(world.users.room_a1)
    bad = client.post(
        "/clients/new/",
        {
            "name": "新对象",
            "division": VILLAGE_A1,
            "id_number": ID_1[:-1] + "9",
            "risk_tier": "general",
        },
    )
    assert bad.status_code == 200 and bad.context["form"].errors["id_number"]
    ok = client.post(
        "/clients/new/",
        {
            "name": "新对象",
            "division": VILLAGE_A1,
            "id_number": ID_1,
            "phone": "13900001111",
            "risk_tier": "high",
            "living_situation": "alone",
            "groups": [],
        },
    )
    assert ok.status_code == 302, ok.context["form"].errors
    created = Client.objects.get(name="新对象")
    edited = client.post(
        f"/clients/{created.pk}/edit/",
        {
            "name": "新对象",
            "division": VILLAGE_A1,
            "id_number": "",
            "phone": "",
            "risk_tier": "key",
            "address": "五星路 1 号",
        },
    )
    assert edited.status_code == 302, edited.context["form"].errors
    created.refresh_from_db()
    assert (created.id_number, created.phone, created.risk_tier) == (ID_1, "13900001111", "key")
    history = client.get(f"/clients/{created.pk}/").context["history"]
    assert all("13900001111" not in str(c) for row in history for c in row["changes"])


def test_agency_staff_read_but_cannot_reveal_or_edit(world, client):
    other = make(world, name="回兴居民", village=VILLAGE_B1, phone="13700000000")
    client.force_login(world.users.agency)
    page = client.get(f"/clients/{other.pk}/")
    assert page.status_code == 200 and not page.context["can_reveal"]
    assert (
        client.post(f"/clients/{other.pk}/", {"field": "phone", "reason": "x"}).status_code == 403
    )
    assert client.get("/clients/new/").status_code == 403


def test_export_is_masked_scoped_and_logged(world, client, zsf):
    from tests.integration.test_pages import read_sheet

    make(world, name="回兴人", village=VILLAGE_B1)
    client.force_login(world.users.room_a1)
    rows = read_sheet(client.get("/clients/", {"export": "xlsx"}))
    assert [r[0] for r in rows[2:]] == ["张三丰"]
    flat = " ".join(str(v) for r in rows for v in r)
    assert ID_1 not in flat and "13812345678" not in flat and "138****5678" in flat
    log = AccessLog.objects.get()
    assert (log.action, log.user) == ("export", world.users.room_a1)
