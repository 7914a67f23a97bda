"""Roster import (低保 / 特困 / 留守 lists): all or nothing, the bad row named, nobody twice."""

import datetime

import pytest

from shegong.clients.models import Client, Membership
from shegong.common.idcard import check_character

from .conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from .test_clients import ID_1, make
from .test_unit_import import workbook

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
    assert response.status_code == 302
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
    assert post(client, rows).status_code == 302
    assert Client.objects.filter(name="张三丰").count() == 1
    assert known.memberships.get().group.code == "tekun"
    # Re-importing the same roster adds nothing.
    assert post(client, rows).status_code == 302
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
