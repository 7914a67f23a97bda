"""Roster import (低保 / 特困 / 留守 lists): all or nothing, the bad row named, nobody twice."""

import datetime

import pytest

from shegong.clients.models import Client, Membership
from shegong.common.idcard import check_character
from tests.clients.test_clients import ID_1, make
from tests.conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.network.test_unit_import import workbook

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "身份证号", "村（社区）区划代码", "服务对象类别", "认定日期", "来源"]


def synthetic_id(n: int) -> str:
    birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=n * 7)
    first17 = f"500112{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + check_character(first17)


def roster(n, village=VILLAGE_A1):
    return [
        [f"居民{i}", synthetic_id(i), village, "最低生活保障对象", "2020-03-01", "低保名册"]
        for i in range(n)
    ]


def post(client, rows, dry_run=False):
    return client.post(
        "/clients/import/", {"file": workbook(rows, header=HEADER), "dry_run": dry_run or ""}
    )


def test_a_thousand_rows_with_one_bad_row_write_nothing_and_name_it(world, client):
    client.force_login(world.users.station_a)
    rows = roster(1000)
    rows[636][1] = rows[636][1][:-1] + ("0" if rows[636][1][-1] != "0" else "1")
    response = post(client, rows)
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.field) for e in errors] == [(638, "身份证号")]
    assert Client.objects.count() == 0 and Membership.objects.count() == 0


def test_valid_roster_registers_people_with_the_group(world, client):
    client.force_login(world.users.station_a)
    response = post(client, roster(20))
    assert response.status_code == 200 and response.context["report"].committed
    assert Client.objects.count() == 20
    membership = Membership.objects.select_related("group").first()
    assert (membership.group.code, str(membership.start_on), membership.source) == (
        "dibao",
        "2020-03-01",
        "低保名册",
    )


def test_known_people_gain_the_group_instead_of_a_second_record(world, client):
    known = make(world, name="张三丰", number=ID_1)
    client.force_login(world.users.station_a)
    rows = [["张三丰", ID_1, VILLAGE_A1, "特困人员", "", "特困名册"]] + roster(2, VILLAGE_A2)
    assert post(client, rows).status_code == 200
    assert Client.objects.filter(name="张三丰").count() == 1
    assert known.memberships.get().group.code == "tekun"
    # Re-importing the same roster adds nothing.
    assert post(client, rows).status_code == 200
    assert Membership.objects.count() == 3


def test_rows_naming_the_same_person_twice_or_out_of_scope_are_refused(world, client):
    client.force_login(world.users.station_a)
    rows = roster(3)
    rows.append(list(rows[0]))
    rows.append(["外村人", synthetic_id(99), VILLAGE_B1, "残疾人", "", ""])
    rows.append(["未知", synthetic_id(98), VILLAGE_A1, "不存在的类别", "", ""])
    response = post(client, rows)
    errors = {(e.row, e.field) for e in response.context["report"].errors}
    assert errors == {(5, "身份证号"), (6, "村（社区）区划代码"), (7, "服务对象类别")}
    assert Client.objects.count() == 0


def test_bulk_rows_get_due_dates_history_and_encryption(world, client):
    from django.db import connection

    client.force_login(world.users.station_a)
    assert post(client, roster(3)).status_code == 200
    person = Client.objects.get(name="居民1")
    assert person.next_visit_due is not None and person.birth_date is not None
    assert person.history.get().history_user == world.users.station_a
    assert Membership.objects.get(client=person).history.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM clients_client WHERE id = %s", [person.pk])
        raw = cursor.fetchone()[0]
    assert synthetic_id(1) not in str(bytes(raw) if isinstance(raw, memoryview) else raw)


@pytest.fixture
def small_inline_limit(monkeypatch, settings, tmp_path):
    from shegong.common import jobs

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(jobs, "INLINE_ROWS", 5)
    return tmp_path


def test_a_large_roster_runs_as_a_background_job(world, client, small_inline_limit):
    from shegong.common.models import ImportJob

    client.force_login(world.users.station_a)
    response = post(client, roster(12))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/imports/{job.pk}/"
    assert (job.status, job.total, job.created, job.dry_run) == ("succeeded", 12, 12, False)
    assert Client.objects.count() == 12
    assert not list((small_inline_limit / "imports").iterdir())  # the upload is gone
    page = client.get(response.url)
    assert page.status_code == 200 and "12" in page.content.decode()
    client.force_login(world.users.station_b)
    assert client.get(response.url).status_code == 404


def test_a_background_check_names_bad_rows_and_writes_nothing(world, client, small_inline_limit):
    from shegong.common.models import ImportJob
    from tests.integration.test_pages import read_sheet

    client.force_login(world.users.station_a)
    rows = roster(10)
    rows[7][2] = "500112999999"
    response = post(client, rows, dry_run=True)
    job = ImportJob.objects.get()
    assert (job.status, job.error_count, job.errors[0][:2]) == (
        "failed",
        1,
        [9, "村（社区）区划代码"],
    )
    assert Client.objects.count() == 0
    sheet = read_sheet(client.get(response.url, {"export": "xlsx"}))
    assert sheet[2][0] == 9


def test_the_database_queue_and_its_worker(
    world, client, small_inline_limit, settings, monkeypatch
):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # The worker closes stale connections between tasks; inside the test's transaction
    # that would close the test's own connection (PostgreSQL), so keep it open.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    from shegong.common.models import ImportJob

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(world.users.station_a)
    post(client, roster(8))
    assert ImportJob.objects.get().status == "queued" and Client.objects.count() == 0
    progress = client.get(f"/imports/{ImportJob.objects.get().pk}/", HTTP_HX_REQUEST="true")
    assert b"hx-trigger" in progress.content
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert ImportJob.objects.get().status == "succeeded" and Client.objects.count() == 8


def test_roster_import_over_the_api_inline_and_as_a_job(world, small_inline_limit):
    from rest_framework.test import APIClient

    from tests.network.test_unit_import import workbook as make_workbook

    api = APIClient()
    api.force_authenticate(world.users.station_a)
    rows = roster(3)
    rows[1][3] = "不存在"
    bad = api.post("/api/v1/clients/import/", {"file": make_workbook(rows, header=HEADER)})
    assert bad.status_code == 400 and bad.json()["errors"][0]["row"] == 3
    ok = api.post(
        "/api/v1/clients/import/",
        {"file": make_workbook(roster(3), header=HEADER), "dry_run": False},
    )
    assert ok.status_code == 200 and ok.json()["created"] == 3
    job = api.post(
        "/api/v1/clients/import/",
        {"file": make_workbook(roster(9, VILLAGE_A2), header=HEADER), "dry_run": False},
    )
    assert job.status_code == 202, job.json()
    polled = api.get(f"/api/v1/import-jobs/{job.json()['id']}/").json()
    assert (polled["status"], polled["created"], polled["processed"]) == ("succeeded", 9, 9)
    other = APIClient()
    other.force_authenticate(world.users.district)  # even the centre: a job is its owner's
    assert other.get(f"/api/v1/import-jobs/{job.json()['id']}/").status_code == 404
    assert Client.objects.count() == 9  # the first three were already registered
