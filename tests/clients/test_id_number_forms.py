"""Every door that takes a resident ID number (API create and update, the register page,
the roster import) reads a full-width number as the ASCII one — the same person, the same
keyed hash — and answers other digits (Arabic-Indic, superscript) with a field error."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from shegong.clients.models import Client, Membership
from shegong.common.crypto import lookup_hash
from tests.clients.test_clients import ID_1, ID_2, make
from tests.clients.test_roster_import import HEADER, roster
from tests.conftest import VILLAGE_A1, VILLAGE_A2, api_for
from tests.network.test_unit_import import workbook

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# ID_2 ends in an ASCII X: before, Arabic-Indic digits with it passed and made a new person.
ARABIC = ID_2.translate(ARABIC_INDIC)
FULL = ID_2.translate(FULL_WIDTH)
# '²' passes str.isdigit(); the sequence digit used to reach int() and raise (a 500).
SUPERSCRIPT = ID_2[:16] + "²" + ID_2[17:]


def in_chinese(message: str, **values) -> str:
    """The message as a page or the API shows it (the default language)."""
    with translation.override("zh-hans"):
        return gettext(message) % values if values else gettext(message)


FORMAT = "A resident ID number has 17 digits and a final digit or X."
KNOWN = "This person is already registered: %(name)s (no. %(id)s)."


def register(api, number, village=VILLAGE_A1):
    return api.post(
        "/api/v1/clients/",
        {"name": "新人", "division": village, "id_number": number},
        format="json",
    )


def test_api_stores_a_full_width_number_as_ascii(world):
    response = register(api_for(world.users.station_a), FULL)
    assert response.status_code == 201, response.json()
    created = Client.objects.get()
    assert (created.id_number, created.id_number_hash) == (ID_2, lookup_hash(ID_2))
    assert str(created.birth_date) == "2015-01-01" and created.sex == "M"


@pytest.mark.parametrize("number", [ARABIC, SUPERSCRIPT], ids=["arabic-indic", "superscript"])
def test_api_refuses_other_digits_on_the_field(world, number):
    response = register(api_for(world.users.station_a), number)
    assert response.status_code == 400
    assert response.json()["id_number"] == [in_chinese(FORMAT)]
    assert Client.objects.count() == 0


def test_api_knows_a_full_width_number_as_the_registered_person(world):
    known = make(world, number=ID_1)
    response = register(api_for(world.users.station_a), ID_1.translate(FULL_WIDTH), VILLAGE_A2)
    assert response.status_code == 400
    assert response.json()["id_number"] == [in_chinese(KNOWN, name=known.name, id=known.pk)]
    assert list(Client.objects.all()) == [known]


def test_api_update_normalises_and_refuses_the_same_way(world):
    person = make(world, number=ID_2)
    api = api_for(world.users.station_a)
    same = api.patch(f"/api/v1/clients/{person.pk}/", {"id_number": FULL}, format="json")
    assert same.status_code == 200, same.json()
    for number in (ARABIC, SUPERSCRIPT):
        bad = api.patch(f"/api/v1/clients/{person.pk}/", {"id_number": number}, format="json")
        assert bad.status_code == 400 and "id_number" in bad.json()
    person.refresh_from_db()
    assert (person.id_number, person.id_number_hash) == (ID_2, lookup_hash(ID_2))


def post_page(client, number):
    return client.post(
        "/clients/new/",
        {"name": "新对象", "division": VILLAGE_A1, "id_number": number, "risk_tier": "general"},
    )


def test_register_page_takes_full_width_and_refuses_other_digits(world, client):
    client.force_login(world.users.room_a1)
    for number in (ARABIC, SUPERSCRIPT):
        bad = post_page(client, number)
        assert bad.status_code == 200
        assert bad.context["form"].errors["id_number"] == [in_chinese(FORMAT)]
    ok = post_page(client, FULL)
    assert ok.status_code == 302, ok.context["form"].errors
    created = Client.objects.get()
    assert created.id_number == ID_2
    twice = post_page(client, ID_2)
    known = in_chinese(KNOWN, name=created.name, id=created.pk)
    assert twice.context["form"].errors["id_number"] == [known]


def import_rows(client, rows):
    return client.post("/clients/import/", {"file": workbook(rows, header=HEADER), "dry_run": ""})


def test_roster_import_names_the_rows_with_other_digits(world, client):
    client.force_login(world.users.station_a)
    rows = roster(4)
    rows[1][1] = rows[1][1].translate(ARABIC_INDIC)
    rows[2][1] = rows[2][1][:16] + "²" + rows[2][1][17:]
    response = import_rows(client, rows)
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.field) for e in errors] == [(3, "身份证号"), (4, "身份证号")]
    assert Client.objects.count() == 0


def test_roster_import_knows_full_width_numbers(world, client):
    known = make(world, name="张三丰", number=ID_1)
    client.force_login(world.users.station_a)
    rows = [["张三丰", ID_1.translate(FULL_WIDTH), VILLAGE_A1, "特困人员", "", "特困名册"]]
    assert import_rows(client, rows).status_code == 200  # the result page
    assert Client.objects.count() == 1 and known.memberships.get().group.code == "tekun"
    twice = roster(1) + roster(1)
    twice[1][1] = twice[1][1].translate(FULL_WIDTH)
    response = import_rows(client, twice)
    assert [(e.row, e.field) for e in response.context["report"].errors] == [(3, "身份证号")]
    assert Client.objects.count() == 1 and Membership.objects.count() == 1
