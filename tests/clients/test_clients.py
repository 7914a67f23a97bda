"""Clients: GB 11643 checks, encryption at rest, duplicates, search, reveal and its log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from shegong.audit.models import AccessLog
from shegong.clients import services
from shegong.clients.models import Client, TargetGroup
from shegong.clients.selectors import client_search, likely_duplicates
from tests.clients.factories import ClientFactory
from tests.conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1

pytestmark = pytest.mark.django_db

ID_1 = "500112194001010022"  # synthetic, valid check character, Yubei area code
ID_2 = "50011220150101003X"


def valid(number17: str) -> str:
    from shegong.common.idcard import check_character

    return number17 + check_character(number17)


def make(world, name="张三丰", village=VILLAGE_A1, number=None, **extra):
    """A client of ``village``, registered through the service (see ClientFactory)."""
    return ClientFactory(name=name, division=world.div[village], id_number=number or "", **extra)


def test_synthetic_numbers_are_valid():
    assert valid(ID_1[:17]) == ID_1 and valid(ID_2[:17]) == ID_2


def test_id_number_gives_birth_date_and_sex_and_is_encrypted_at_rest(world):
    client = make(world, number=ID_1, phone="13812345678", health_notes="高血压")
    client.refresh_from_db()
    assert client.id_number == ID_1 and str(client.birth_date) == "1940-01-01"
    assert client.sex == "F" and client.phone == "13812345678"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, health_notes FROM clients_client WHERE id = %s",
            [client.pk],
        )
        raw = b"".join(bytes(v) for v in cursor.fetchone())
    for clear in (ID_1, "13812345678", "高血压"):
        assert clear.encode() not in raw
    history = client.history.first()
    assert history.id_number == ID_1  # history rows are encrypted by the same field


def test_a_wrong_check_character_is_refused_on_the_field(world):
    with pytest.raises(ValidationError) as exc:
        make(world, number=ID_1[:-1] + "1")
    assert "id_number" in exc.value.message_dict
    assert not Client.objects.exists()


def test_no_id_needs_a_reason_and_no_village_is_invalid(world):
    with pytest.raises(ValidationError) as exc:
        services.client_create(actor=None, name="无名", division=world.div[VILLAGE_A1])
    assert "id_missing_reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            actor=None, name="镇上", division=world.div["500112002"], id_missing_reason="x"
        )
    assert "division" in exc.value.message_dict


def test_same_id_is_the_same_person(world):
    first = make(world, number=ID_1)
    with pytest.raises(ValidationError) as exc:
        make(world, name="另一个名字", village=VILLAGE_A2, number=ID_1)
    assert f"no. {first.pk}" in exc.value.message_dict["id_number"][0]
    # Someone who cannot see the first record is told it exists, not where or who.
    with pytest.raises(ValidationError) as exc:
        services.client_create(
            actor=world.users.station_b,
            name="x",
            division=world.div[VILLAGE_B1],
            id_number=ID_1,
        )
    message = exc.value.message_dict["id_number"][0]
    assert "already registered" in message and first.name not in message


def test_likely_duplicates_share_name_and_birth_date(world):
    a = make(world, name="李四", number=ID_1)
    b = make(world, name="李四", village=VILLAGE_B1)
    b.birth_date = a.birth_date
    b.save(update_fields=["birth_date"])
    assert list(likely_duplicates(world.users.district, a)) == [b]
    assert list(likely_duplicates(world.users.station_a, a)) == []  # B1 is out of scope


def test_search_by_initials_id_phone_and_group(world):
    zsf = make(world, number=ID_1, phone="13812345678")
    other = make(world, name="王五", village=VILLAGE_A2, number=ID_2)
    dibao = TargetGroup.objects.get(code="dibao")
    other.memberships.create(group=dibao, source="民政低保名册")
    user = world.users.district
    assert list(client_search(user, q="zsf")) == [zsf]
    assert list(client_search(user, q=ID_1)) == [zsf]
    assert list(client_search(user, q=ID_2.lower())) == [other]  # a lower-case x
    assert list(client_search(user, q="13812345678")) == [zsf]
    assert list(client_search(user, q="三丰")) == [zsf]
    assert list(client_search(user, group="dibao")) == [other]
    # Always within scope: room A1 does not find A2's client by ID.
    assert list(client_search(world.users.room_a1, q=ID_2)) == []


def test_reveal_needs_a_role_and_a_reason_and_is_logged(world):
    client = make(world, number=ID_1)
    with pytest.raises(ValidationError):
        services.client_reveal(
            client=client, field="id_number", reason="", actor=world.users.room_a1
        )
    with pytest.raises(PermissionDenied):
        services.client_reveal(
            client=client, field="id_number", reason="核对", actor=world.users.agency
        )
    assert not AccessLog.objects.exists()
    value = services.client_reveal(
        client=client, field="id_number", reason="办理低保复核", actor=world.users.room_a1
    )
    assert value == ID_1
    log = AccessLog.objects.get()
    assert (log.user, log.fields, log.reason, log.object_id) == (
        world.users.room_a1,
        "id_number",
        "办理低保复核",
        str(client.pk),
    )
    with pytest.raises(PermissionError):
        log.delete()
