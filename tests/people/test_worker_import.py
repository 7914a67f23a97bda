"""Importing the worker register from Excel: worker, certificate and posting per row."""

import pytest
from rest_framework.test import APIClient

from shegong.people.models import Assignment, Certificate, Worker
from tests.network.test_unit_import import workbook

pytestmark = pytest.mark.django_db

HEADER = [
    "姓名",
    "性别",
    "区划代码",
    "角色",
    "用工形式",
    "用人单位",
    "证书等级",
    "证书编号",
    "取得年份",
    "任职站点区划代码",
    "开始日期",
]


def row(name, **overrides):
    values = {
        "姓名": name,
        "性别": "女",
        "区划代码": "500112002001",
        "角色": "网格员、人民调解员",
        "用工形式": "专职",
        "用人单位": "五星路社区居委会",
        "证书等级": "助理社会工作师",
        "证书编号": f"N-{name}",
        "取得年份": 2021,
        "任职站点区划代码": "500112002001",
        "开始日期": "2023-03-01",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def upload(client, rows, dry_run=False):
    return client.post(
        "/workers/import/", {"file": workbook(rows, header=HEADER), "dry_run": dry_run or ""}
    )


def test_rows_become_workers_with_certificates_and_postings(world, client):
    client.force_login(world.users.station_a)
    response = upload(client, [row("甲"), row("乙", 证书等级="", 证书编号="", 取得年份="")])
    assert response.status_code == 302
    jia = Worker.objects.get(name="甲")
    assert jia.roles == ["grid_worker", "mediator"] and jia.gender == "F"
    assert jia.certificates.get().tier == "assistant"
    assert jia.assignments.get().unit == world.room_a1
    assert not Worker.objects.get(name="乙").certificates.exists()


def test_bad_rows_are_named_and_nothing_is_written(world, client):
    client.force_login(world.users.station_a)
    before = (Worker.objects.count(), Certificate.objects.count(), Assignment.objects.count())
    response = upload(
        client,
        [
            row("好"),
            row("坏角色", 角色="厨师"),
            row("缺年份", 取得年份=""),
            row("越界", 任职站点区划代码="500112004001"),  # room B1: not station A's
            row("外区", 区划代码="500103001003"),
        ],
    )
    assert response.status_code == 400
    errors = {(e.row, e.field) for e in response.context["report"].errors}
    assert errors == {(3, "角色"), (4, "取得年份"), (5, "任职站点区划代码"), (6, "区划代码")}
    after = (Worker.objects.count(), Certificate.objects.count(), Assignment.objects.count())
    assert after == before


def test_duplicate_certificate_number_in_the_same_file(world, client):
    client.force_login(world.users.district)
    response = upload(client, [row("一", 证书编号="SAME"), row("二", 证书编号="SAME")])
    assert response.status_code == 400
    assert [e.row for e in response.context["report"].errors] == [3]
    assert not Worker.objects.filter(name__in=["一", "二"]).exists()


def test_room_workers_cannot_import(world, client):
    client.force_login(world.users.room_a1)
    assert client.get("/workers/import/").status_code == 403
    assert client.get("/workers/import/template.xlsx").status_code == 403


def test_api_worker_import(world):
    api = APIClient()
    api.force_authenticate(world.users.district)
    response = api.post(
        "/api/v1/workers/import/",
        {"file": workbook([row("丙")], header=HEADER), "dry_run": False},
        format="multipart",
    )
    assert response.status_code == 200 and response.json()["created"] == 1
