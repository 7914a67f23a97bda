"""Importing the unit register from Excel: all rows or none, every bad row named."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from shegong.common.imports import read_rows, run_import
from shegong.network.imports import import_unit_row, unit_columns
from shegong.network.models import Unit, UnitStatusChange

pytestmark = pytest.mark.django_db

HEADER = [
    "区划代码",
    "名称",
    "运营方式",
    "运营机构",
    "设立日期",
    "运营起始日期",
    "共用场地",
    "个案咨询室",
]


def workbook(rows, header=HEADER) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("units.xlsx", buffer.getvalue())


def villages(world, n, town="500112007"):
    return sorted(code for code in world.div if code.startswith(town) and len(code) == 12)[:n]


def good_rows(world, n):
    return [
        [
            code,
            f"第{i}社会工作室",
            "自主运营",
            "",
            "2022-03-01",
            "2022-09-01",
            "儿童之家、养老服务点",
            "是",
        ]
        for i, code in enumerate(villages(world, n))
    ]


def post(client, rows, dry_run):
    return client.post("/units/import/", {"file": workbook(rows), "dry_run": dry_run or ""})


def test_valid_rows_are_imported_with_their_lifecycle(world, client):
    client.force_login(world.users.district)
    rows = good_rows(world, 4)
    response = post(client, rows, dry_run=False)
    assert response.status_code == 302
    imported = Unit.objects.filter(division_id__in=[r[0] for r in rows])
    assert imported.count() == 4
    unit = imported.first()
    assert unit.kind == "room" and unit.status == "operating" and unit.has_casework_room
    assert unit.shared_facilities == ["children_home", "elderly_care_point"]
    assert unit.status_changes.count() == 2
    assert unit.history.first().history_user == world.users.district


def test_one_bad_row_writes_nothing_and_is_named(world, client):
    client.force_login(world.users.district)
    rows = good_rows(world, 5)
    rows[2][0] = "500112007"  # a town code: a valid station row among the bad ones
    rows[3][4] = "2022-13-01"  # not a date
    rows[4][6] = "游泳池"  # not a facility
    before = (Unit.objects.count(), UnitStatusChange.objects.count())
    response = post(client, rows, dry_run=False)
    assert response.status_code == 400
    errors = [(e.row, e.field) for e in response.context["report"].errors]
    assert (5, "设立日期") in errors and (6, "共用场地") in errors
    assert all(row in {4, 5, 6} for row, _f in errors)
    assert (Unit.objects.count(), UnitStatusChange.objects.count()) == before


def test_dry_run_checks_everything_and_writes_nothing(world, client):
    client.force_login(world.users.district)
    before = Unit.objects.count()
    response = post(client, good_rows(world, 3), dry_run=True)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok and report.total == 3 and not report.committed
    assert Unit.objects.count() == before


def test_rows_break_the_same_rules_as_the_form(world):
    """A second live unit, another district, an unknown agency, an empty code and name."""
    from django.utils import translation

    with translation.override("zh-hans"):
        columns = unit_columns()
    rows = read_rows(
        workbook(
            [
                ["500112002001", "重复的工作室", "", "", "", "", "", ""],
                ["500112007", "镇级站", "", "", "", "", "", ""],  # a station: fine
                ["500103001003", "越界", "", "", "", "", "", ""],
                ["500112007002", "机构", "购买服务（机构运营）", "不存在的机构", "", "", "", ""],
                ["", "", "", "", "", "", "", "有"],
            ]
        ),
        columns,
    )
    report = run_import(
        rows, lambda v: import_unit_row(v, actor=world.users.district), columns, dry_run=False
    )
    by_row = {}
    for error in report.errors:
        by_row.setdefault(error.row, set()).add(error.field)
    assert by_row == {2: {"区划代码"}, 4: {"区划代码"}, 5: {"运营机构"}, 6: {"区划代码", "名称"}}
    assert not report.committed and report.created == 0
    assert not Unit.objects.filter(name="镇级站").exists()


def test_template_round_trip(world, client):
    client.force_login(world.users.district)
    response = client.get("/units/import/template.xlsx")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    header = [c.value for c in wb.active[1]]
    assert header[0] == "说明" and header[1:3] == ["区划代码", "名称"] and len(wb.sheetnames) == 2
    # The example row is marked in its first column and never imported; the same values
    # on an unmarked row below it are (pointed at a village with no room yet).
    example = [c.value for c in wb.active[2]]
    assert example[0].startswith("示例")
    wb.active.append(["", villages(world, 1)[0], *example[2:]])
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("filled.xlsx", buffer.getvalue())
    before = Unit.objects.count()
    response = client.post("/units/import/", {"file": upload, "dry_run": ""})
    assert response.status_code == 302, response.context["report"].errors
    assert Unit.objects.count() == before + 1


def test_not_a_workbook_is_a_form_error(world, client):
    client.force_login(world.users.district)
    upload = SimpleUploadedFile("units.xlsx", b"not a spreadsheet")
    response = client.post("/units/import/", {"file": upload, "dry_run": "on"})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    missing = client.post(
        "/units/import/", {"file": workbook([["x"]], header=["名字"]), "dry_run": "on"}
    )
    assert "区划代码" in missing.context["form"].errors["file"][0]


def test_import_is_for_district_administrators(world, client):
    client.force_login(world.users.station_a)
    assert client.get("/units/import/").status_code == 403
    api = APIClient()
    api.force_authenticate(world.users.station_a)
    response = api.post("/api/v1/units/import/", {"file": workbook(good_rows(world, 1))})
    assert response.status_code == 403


def test_api_import_reports_rows(world):
    api = APIClient()
    api.force_authenticate(world.users.district)
    rows = good_rows(world, 2)
    checked = api.post("/api/v1/units/import/", {"file": workbook(rows)}, format="multipart")
    assert checked.status_code == 200
    assert checked.json() | {"errors": []} == {
        "total": 2,
        "created": 0,
        "dry_run": True,
        "committed": False,
        "errors": [],
        "outcomes": [],
        "examples": [],
    }
    rows[1][5] = "2020-01-01"  # operating before established
    bad = api.post(
        "/api/v1/units/import/", {"file": workbook(rows), "dry_run": False}, format="multipart"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["row"] == 3
    done = api.post(
        "/api/v1/units/import/",
        {"file": workbook(good_rows(world, 2)), "dry_run": False},
        format="multipart",
    )
    assert done.status_code == 200 and done.json()["created"] == 2
