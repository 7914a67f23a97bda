"""Finding 15: an ID or phone number typed into the client search never reaches a URL
(server logs, history, Referer), however it is typed; names stay searchable by GET."""

import unicodedata

import pytest

from tests.clients.test_clients import ID_1, make
from tests.conftest import api_for

pytestmark = pytest.mark.django_db

TYPED = [
    "138 1234 5678",  # spaces, as read off a card
    "138-1234-5678",
    "１３８１２３４５６７８",  # full-width
    "+86 138 1234 5678",
    ID_1[:6] + " " + ID_1[6:],
    ID_1.lower()[:10],  # part of a number is still a number
]


@pytest.fixture
def zsf(world):
    return make(world, number=ID_1, phone="13812345678")


@pytest.mark.parametrize("typed", TYPED)
def test_a_typed_number_waits_in_the_session_not_in_the_url(world, client, zsf, typed):
    client.force_login(world.users.district)
    response = client.post("/clients/", {"q": typed, "risk": "general"}, follow=True)
    assert response.status_code == 200
    for url, _status in response.redirect_chain:
        assert "q=" not in url and "held=1" in url
    digits = "".join(c for c in unicodedata.normalize("NFKC", typed) if c.isdigit())
    assert digits[:4] not in response.request["QUERY_STRING"]
    body = response.content.decode()
    assert typed not in body and "13812345678" not in body
    if typed.startswith(("138", "１", "+86")) or len(digits) == 18:
        assert [c.pk for c in response.context["page"].object_list] == [zsf.pk]
    # Paging and the page's own links carry no number either.
    assert client.get("/clients/?held=1&page=1").context["params"]["q"] == typed.strip()


@pytest.mark.parametrize("typed", TYPED)
def test_a_number_in_a_url_is_dropped_not_honoured(world, client, zsf, typed):
    client.force_login(world.users.district)
    response = client.get("/clients/", {"q": typed, "risk": "general"})
    assert response.status_code == 302 and response.url == "/clients/?risk=general"


def test_a_landline_is_found_however_its_dash_was_typed(world, client):
    home = make(world, name="王五", phone="023-67800000", id_missing_reason="无")
    client.force_login(world.users.district)
    for typed in ("023 6780 0000", "02367800000", "023-67800000"):
        response = client.post("/clients/", {"q": typed}, follow=True)
        assert [c.pk for c in response.context["page"].object_list] == [home.pk], typed


def test_names_and_initials_stay_plain_gets(world, client, zsf):
    client.force_login(world.users.district)
    for typed in ("张三丰", "zsf"):
        response = client.post("/clients/", {"q": typed})
        assert response.status_code == 302 and "q=" in response.url
        assert [c.pk for c in client.get(response.url).context["page"].object_list] == [zsf.pk]
    # A new name search forgets the held number.
    client.post("/clients/", {"q": "138 1234 5678"})
    client.post("/clients/", {"q": "李"})
    assert client.get("/clients/?held=1").context["params"]["q"] == ""


def test_the_api_refuses_a_spaced_phone_in_its_query_string(world, zsf):
    api = api_for(world.users.district)
    refused = api.get("/api/v1/clients/", {"q": "138 1234 5678"})
    assert refused.status_code == 400 and "q" in refused.json()
    assert "13812345678" not in refused.content.decode()
    found = api.post("/api/v1/clients/search/", {"q": "138 1234 5678"}, format="json")
    assert [c["id"] for c in found.json()["results"]] == [zsf.pk]


def test_the_session_holds_the_number_encrypted(world, client, zsf):
    from django.contrib.sessions.models import Session

    client.force_login(world.users.district)
    client.post("/clients/", {"q": "13812345678"})
    raw = "".join(s.session_data for s in Session.objects.all())
    decoded = "".join(str(s.get_decoded()) for s in Session.objects.all())
    assert "13812345678" not in raw and "13812345678" not in decoded
    found = client.get("/clients/?held=1")
    assert [c.pk for c in found.context["page"].object_list] == [zsf.pk]
    # The page says whose results these are, without echoing the number.
    assert "号码不会出现在地址栏中" in found.content.decode()
    assert "13812345678" not in found.content.decode()
    session = client.session
    session["clients:held-search"] = "not a ciphertext"
    session.save()
    assert client.get("/clients/?held=1").context["params"]["q"] == ""
