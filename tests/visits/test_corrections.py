"""Correct and void, never delete (issue 10 item 4); one record per submission; the workers
who went; evidence from the field (item 5): photos resized and stripped of EXIF, the
check-in location only when chosen, a signature, all through the checked-upload path."""

import base64
import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.timezone import localdate
from PIL import Image

from shegong.common.uploads import image_location
from shegong.records.models import ServiceRecord
from shegong.records.services import service_record_correct, service_record_void
from shegong.visits import services
from shegong.visits.models import Visit, VisitPhoto
from tests.clients.test_clients import make
from tests.conftest import api_for
from tests.records.factories import service_field

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def jpeg_with_gps(size=(2400, 1800)) -> bytes:
    """A camera photo: large, with a GPS position in its EXIF."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (29.0, 43.0, 12.0), 3: "E", 4: (106.0, 37.0, 48.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_bytes(size=(300, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def visit_of(world, client=None, actor=None, **extra):
    client = client or make(world, risk_tier="high")
    return services.visit_record(
        client=client,
        actor=actor or world.users.room_a1,
        visited_on=extra.pop("visited_on", localdate()),
        mode="in_person",
        **extra,
    )


def overdue_client(world, **extra):
    """A high-risk client registered a month ago and never visited: overdue."""
    from shegong.clients.models import Client
    from shegong.clients.schedule import refresh_due

    elder = make(world, risk_tier="high", **extra)
    Client.objects.filter(pk=elder.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    elder.refresh_from_db()
    refresh_due(elder)
    return elder


def age(visit, days):
    """The visit as if recorded ``days`` ago."""
    Visit.all_objects.filter(pk=visit.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=days)
    )
    visit.refresh_from_db()


def test_author_corrects_within_the_window_and_the_station_after(world, settings):
    settings.SHEGONG_CORRECTION_DAYS = 7
    visit = visit_of(world)
    corrected = services.visit_correct(
        visit=visit, actor=world.users.room_a1, findings="更正：独居，右腿不便"
    )
    assert corrected.findings == "更正：独居，右腿不便" and corrected.version == 2
    with pytest.raises(PermissionDenied):  # within the window, only the author
        services.visit_correct(visit=visit, actor=world.users.station_a, findings="x")
    age(visit, 8)
    with pytest.raises(PermissionDenied):  # after it, no longer the author
        services.visit_correct(visit=visit, actor=world.users.room_a1, findings="y")
    with pytest.raises(PermissionDenied):  # nor another town's station
        services.visit_correct(visit=visit, actor=world.users.station_b, findings="y")
    services.visit_correct(visit=visit, actor=world.users.station_a, findings="站点更正")
    visit.refresh_from_db()
    assert visit.findings == "站点更正"
    assert [h.findings for h in visit.history.order_by("history_id")][:2] == [
        "",
        "更正：独居，右腿不便",
    ]


def test_voiding_needs_a_reason_leaves_every_count_and_the_due_date_and_stays_in_history(
    world, client
):
    elder = overdue_client(world)
    due_before = elder.next_visit_due
    assert due_before < localdate()
    visit = visit_of(world, client=elder)
    elder.refresh_from_db()
    assert elder.last_visited_on == localdate() and elder.next_visit_due > due_before
    with pytest.raises(ValidationError) as exc:
        services.visit_void(visit=visit, actor=world.users.room_a1, reason=" ")
    assert "reason" in exc.value.message_dict
    services.visit_void(visit=visit, actor=world.users.room_a1, reason="录错了对象")
    elder.refresh_from_db()
    assert elder.last_visited_on is None and elder.next_visit_due == due_before
    assert elder.visits.count() == 0 and Visit.objects.count() == 0
    assert Visit.all_objects.get().void_reason == "录错了对象"
    assert [h.void_reason for h in visit.history.order_by("history_id")] == ["", "录错了对象"]
    with pytest.raises(ValidationError):  # once
        services.visit_void(visit=visit, actor=world.users.room_a1, reason="再作废一次")
    with pytest.raises(ValidationError):  # and not corrected after
        services.visit_correct(visit=visit, actor=world.users.room_a1, findings="z")
    client.force_login(world.users.room_a1)
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "录错了对象" in page
    from shegong.visits.selectors import due_clients

    assert elder in due_clients(world.users.room_a1, within_days=400)


def test_a_voided_service_record_counts_nowhere_and_a_correction_keeps_its_id(world, client):
    elder = make(world)
    record = ServiceRecord.objects.create(
        unit=world.room_a1,
        served_on=localdate(),
        duration_minutes=30,
        method="visit",
        field=service_field(),
        created_by=world.users.room_a1,
    )
    record.clients.set([elder])
    corrected = service_record_correct(
        record=record, actor=world.users.room_a1, duration_minutes=45
    )
    assert corrected.pk == record.pk and corrected.duration_minutes == 45
    with pytest.raises(ValidationError):
        service_record_void(record=record, actor=world.users.room_a1, reason="")
    service_record_void(record=record, actor=world.users.room_a1, reason="重复录入")
    assert elder.service_records.count() == 0 and ServiceRecord.objects.count() == 0
    client.force_login(world.users.room_a1)
    assert not list(client.get("/service-records/").context["page"].object_list)
    assert "重复录入" in client.get(f"/service-records/{record.pk}/").content.decode()
    history = ServiceRecord.all_objects.get().history.order_by("history_id")
    assert [h.duration_minutes for h in history] == [30, 45, 45]


def test_api_corrects_with_if_match_voids_and_replays_an_idempotent_create(world):
    elder = make(world)
    api = api_for(world.users.room_a1)
    body = {"client": elder.pk, "visited_on": str(localdate()), "mode": "phone"}
    first = api.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    again = api.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Visit.objects.count() == 1
    pk = first.json()["id"]
    url = f"/api/v1/visits/{pk}/"
    ok = api.patch(url, {"findings": "电话回访，已好转"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = api.patch(url, {"findings": "旧版本"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    refused = api.post(f"{url}void/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    voided = api.post(f"{url}void/", {"reason": "重复记录"}, format="json")
    assert voided.status_code == 200 and voided.json()["void_reason"] == "重复记录"
    assert api.get("/api/v1/visits/").json()["results"] == []
    assert api.get(url).json()["voided_at"]
    # Another town's station: not found.
    assert api_for(world.users.station_b).get(url).status_code == 404
    assert api_for(world.users.station_b).post(f"{url}void/", {"reason": "看看"}).status_code == 404


def test_service_record_api_void_and_patch(world):
    elder = make(world)
    api = api_for(world.users.room_a1)
    field = service_field()
    body = {
        "unit": world.room_a1.pk,
        "served_on": str(localdate()),
        "duration_minutes": 30,
        "method": "phone",
        "field": field.code,
        "clients": [elder.pk],
    }
    first = api.post("/api/v1/service-records/", body, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    again = api.post("/api/v1/service-records/", body, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    assert first.json()["id"] == again.json()["id"] and ServiceRecord.objects.count() == 1
    url = f"/api/v1/service-records/{first.json()['id']}/"
    assert api.patch(url, {"notes": "补记"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    assert api.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    assert api.post(f"{url}void/", {"reason": "录重了"}, format="json").status_code == 200
    assert api.get("/api/v1/service-records/").json()["results"] == []


def test_the_visit_form_posted_twice_makes_one_visit(world, client):
    elder = make(world)
    client.force_login(world.users.room_a1)
    url = f"/clients/{elder.pk}/visits/new/"
    page = client.get(url).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = {"visited_on": str(localdate()), "mode": "phone", "idempotency_key": key}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Visit.objects.count() == 1
    data["idempotency_key"] = "another-key"
    client.post(url, data)
    assert Visit.objects.count() == 2


def test_a_visit_names_the_accounts_worker_by_default(world, client):
    world.cw_a1.account = world.users.room_a1
    world.cw_a1.save()
    visit = visit_of(world)
    assert list(visit.workers.all()) == [world.cw_a1]
    client.force_login(world.users.room_a1)
    elder = make(world, name="王大爷")
    form = client.get(f"/clients/{elder.pk}/visits/new/").context["form"]
    assert form["workers"].initial == [world.cw_a1.pk]
    both = visit_of(world, workers=[world.cw_a1, world.sw_a])
    assert set(both.workers.all()) == {world.cw_a1, world.sw_a}
    assert both.visitor == world.users.room_a1


def test_photos_are_resized_and_stripped_of_location_unless_a_check_in_is_chosen(world, client):
    elder = make(world)
    client.force_login(world.users.room_a1)
    url = f"/clients/{elder.pk}/visits/new/"
    base = {"visited_on": str(localdate()), "mode": "in_person"}
    signature = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    response = client.post(
        url,
        {
            **base,
            "photos": [SimpleUploadedFile("IMG_1.jpg", jpeg_with_gps())],
            "signature": signature,
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.latitude is None
    photo = visit.photos.get(kind=VisitPhoto.Kind.PHOTO)
    assert image_location(photo.file) is None
    with Image.open(photo.file) as stored:
        assert max(stored.size) == 1600 and not stored.getexif()
    assert visit.photos.filter(kind=VisitPhoto.Kind.SIGNATURE).count() == 1
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert f"/visits/{visit.pk}/photo/?id={photo.pk}&amp;size=thumb" in page
    assert client.get(f"/visits/{visit.pk}/photo/?id={photo.pk}&size=thumb").status_code == 200

    client.post(
        url,
        {
            **base,
            "photos": [SimpleUploadedFile("IMG_2.jpg", jpeg_with_gps())],
            "record_location": "on",
            "latitude": "29.720000",
            "longitude": "106.630000",
            "location_accuracy": "12.4",
        },
    )
    checked_in = Visit.objects.exclude(pk=visit.pk).get()
    assert str(checked_in.latitude) == "29.720000" and checked_in.location_accuracy == 12
    kept = image_location(checked_in.photos.get().file)
    assert kept is not None and round(kept[0], 2) == 29.72

    # Another town's station sees neither the visit nor its photos.
    client.force_login(world.users.station_b)
    assert client.get(f"/visits/{visit.pk}/").status_code == 404
    assert client.get(f"/visits/{visit.pk}/photo/?id={photo.pk}").status_code == 404
    assert client.post(f"/visits/{visit.pk}/void/", {"reason": "看看"}).status_code == 404


def test_a_non_image_or_oversized_photo_is_refused_naming_the_field(world, client):
    elder = make(world)
    client.force_login(world.users.room_a1)
    url = f"/clients/{elder.pk}/visits/new/"
    base = {"visited_on": str(localdate()), "mode": "in_person"}
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a jpeg")
    response = client.post(url, {**base, "photos": [fake]})
    assert "photos" in response.context["form"].errors
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 1))
    response = client.post(url, {**base, "photos": [big]})
    assert "photos" in response.context["form"].errors
    pdf = SimpleUploadedFile("form.pdf", b"%PDF-1.4")
    response = client.post(url, {**base, "photos": [pdf]})
    assert "photos" in response.context["form"].errors
    assert Visit.all_objects.count() == 0 and VisitPhoto.objects.count() == 0


def test_correct_and_void_pages(world, client):
    elder = make(world)
    visit = visit_of(world, client=elder, findings="初次")
    client.force_login(world.users.room_a1)
    url = f"/visits/{visit.pk}/correct/"
    assert client.get(url).status_code == 200
    data = {"visited_on": str(localdate()), "mode": "phone", "findings": "更正后", "version": "1"}
    assert client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert visit.findings == "更正后" and visit.mode == "phone"
    stale = client.post(url, {**data, "findings": "旧页面"})  # the page showed version 1
    assert (
        stale.status_code == 200
        and "version" in str(stale.context["form"].errors)
        or (stale.status_code == 200 and stale.context["form"].non_field_errors())
    )
    visit.refresh_from_db()
    assert visit.findings == "更正后"
    # The station of another town may not; the station of this town only after the window.
    client.force_login(world.users.station_a)
    assert client.post(f"/visits/{visit.pk}/void/", {"reason": "站点作废"}).status_code == 302
    assert Visit.objects.filter(pk=visit.pk).exists()  # refused: flashed, not voided
    client.force_login(world.users.room_a1)
    assert client.post(f"/visits/{visit.pk}/void/", {"reason": ""}).status_code == 400
    assert client.post(f"/visits/{visit.pk}/void/", {"reason": "对象错了"}).status_code == 302
    assert not Visit.objects.filter(pk=visit.pk).exists()

    record = ServiceRecord.objects.create(
        unit=world.room_a1,
        served_on=localdate(),
        duration_minutes=30,
        method="visit",
        field=service_field(),
        created_by=world.users.room_a1,
        other_participants=3,
    )
    page = client.get(f"/service-records/{record.pk}/correct/")
    assert page.status_code == 200
    body = {
        "served_on": str(localdate()),
        "duration_minutes": "50",
        "method": "visit",
        "field": str(record.field_id),
        "other_participants": "3",
        "version": "1",
    }
    assert client.post(f"/service-records/{record.pk}/correct/", body).status_code == 302
    record.refresh_from_db()
    assert record.duration_minutes == 50
    void = client.post(f"/service-records/{record.pk}/void/", {"reason": "重复"})
    assert void.status_code == 302 and not ServiceRecord.objects.filter(pk=record.pk).exists()
