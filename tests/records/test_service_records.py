"""Service records: the rules, attachments checked by type and content, the scoped ledger."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate
from rest_framework.test import APIClient

from shegong.records.models import Attachment, ServiceField, ServiceItem, ServiceRecord
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_B1
from tests.integration.test_pages import read_sheet

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_record(client, world, **overrides):
    elderly = ServiceField.objects.get(code="elderly")
    data = {
        "unit": world.room_a1.pk,
        "served_on": str(localdate()),
        "duration_minutes": 45,
        "method": "visit",
        "field": elderly.pk,
        "items": [elderly.items.first().pk],
        "clients": [],
        "other_participants": 0,
        "notes": "",
        "outcome": "情绪好转",
    }
    data.update(overrides)
    return client.post("/service-records/new/", data)


def test_record_a_service_and_see_it_in_the_ledger(world, client):
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    client.force_login(world.users.room_a1)
    response = post_record(client, world, clients=[elder.pk], workers=[world.cw_a1.pk])
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert list(record.clients.all()) == [elder] and record.created_by == world.users.room_a1
    rows = read_sheet(client.get("/service-records/", {"export": "xlsx"}))
    assert rows[2][5] == "刘奶奶" and rows[2][9] == "情绪好转"


def test_rules_are_form_errors(world, client):
    outsider = make(world, name="回兴居民", village=VILLAGE_B1)
    client.force_login(world.users.district)
    nobody = post_record(client, world)
    assert nobody.status_code == 200 and nobody.context["form"].errors["clients"]
    wrong_area = post_record(client, world, clients=[outsider.pk])
    assert "回兴居民" in str(wrong_area.context["form"].errors["clients"])
    children_item = ServiceItem.objects.filter(field__code="children").first()
    wrong_item = post_record(client, world, other_participants=12, items=[children_item.pk])
    assert wrong_item.context["form"].errors["items"]
    future = post_record(
        client,
        world,
        other_participants=3,
        served_on=str(localdate() + datetime.timedelta(days=1)),
    )
    assert future.context["form"].errors["served_on"]
    assert ServiceRecord.objects.count() == 0


def test_attachments_are_checked_by_extension_content_and_size(world, client):
    client.force_login(world.users.room_a1)
    post_record(client, world, other_participants=8)
    record = ServiceRecord.objects.get()
    url = f"/service-records/{record.pk}/attachments/"
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a png")
    assert client.post(url, {"file": fake, "kind": "photo"}).status_code == 400
    exe = SimpleUploadedFile("virus.exe", b"MZ")
    assert client.post(url, {"file": exe, "kind": "other"}).status_code == 400
    ok = SimpleUploadedFile("photo.png", PNG)
    assert client.post(url, {"file": ok, "kind": "photo"}).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.size == len(PNG) and attachment.file.read() == PNG


def test_ledger_and_api_are_scoped(world, client):
    client.force_login(world.users.room_a1)
    post_record(client, world, other_participants=8)
    record = ServiceRecord.objects.get()
    other = client.__class__()
    other.force_login(world.users.station_b)
    assert list(other.get("/service-records/").context["page"].object_list) == []
    assert other.get(f"/service-records/{record.pk}/").status_code == 404
    api = APIClient()
    api.force_authenticate(world.users.station_a)
    assert [r["id"] for r in api.get("/api/v1/service-records/").json()["results"]] == [record.pk]
    created = api.post(
        "/api/v1/service-records/",
        group_session(world.station_a),
        format="json",
    )
    assert created.status_code == 201, created.json()
    wrong = api.post(
        "/api/v1/service-records/",
        group_session(world.station_b),
        format="json",
    )
    assert wrong.status_code == 400 and "unit" in wrong.json()


def test_attachments_download_only_within_scope(world, client):
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    client.force_login(world.users.room_a1)
    post_record(client, world, clients=[elder.pk])
    record = ServiceRecord.objects.get()
    client.post(
        f"/service-records/{record.pk}/attachments/",
        {"file": SimpleUploadedFile("visit.png", PNG), "kind": "photo"},
    )
    attachment = Attachment.objects.get()
    url = f"/service-records/{record.pk}/attachments/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    client.force_login(world.users.station_b)
    assert client.get(url).status_code == 404


def group_session(unit):
    """A 90-minute children's group session at ``unit`` today, with 15 participants."""
    return {
        "unit": unit.pk,
        "served_on": str(localdate()),
        "duration_minutes": 90,
        "method": "group",
        "field": "children",
        "other_participants": 15,
    }
