"""Issue 10 item 8: a roster import people can use — the village by name or code within the
importer's area, target-group aliases, the template's example row never imported, new people
told apart from known people who gained a group — and a lighter import: rows streamed and
written in batches, due dates refreshed in bulk."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from shegong.clients.imports import import_roster
from shegong.clients.models import Client, Membership, TargetGroup
from shegong.clients.schedule import refresh_due_bulk
from tests.clients.test_clients import ID_1, make
from tests.clients.test_roster_import import HEADER, post, roster, synthetic_id
from tests.conftest import VILLAGE_A1, VILLAGE_A2, api_for

pytestmark = pytest.mark.django_db


def errors_of(response):
    return [(e.row, e.field, e.message) for e in response.context["report"].errors]


def test_the_village_by_name_by_town_and_name_or_by_code(world, client):
    client.force_login(world.users.station_a)
    rows = roster(5)
    rows[0][2] = "五星路社区"
    rows[1][2] = "五星路社区居民委员会"
    rows[2][2] = "双龙湖街道 五星路社区"
    rows[3][2] = "龙昌街社区"
    rows[4][2] = VILLAGE_A1
    response = post(client, rows)
    assert response.status_code == 200 and response.context["report"].committed
    villages = list(Client.objects.order_by("name").values_list("division_id", flat=True))
    assert villages == [VILLAGE_A1, VILLAGE_A1, VILLAGE_A1, VILLAGE_A2, VILLAGE_A1]


def test_an_ambiguous_village_name_is_refused_naming_the_candidates_and_their_towns(world, client):
    client.force_login(world.users.district)
    rows = roster(2)
    rows[0][2] = "兴隆社区"  # one in 兴隆镇, one in 洛碛镇
    rows[1][2] = "洛碛镇兴隆社区"
    response = post(client, rows)
    assert response.status_code == 400
    [(row, field, message)] = errors_of(response)
    assert (row, field) == (2, "村（社区）区划代码")
    assert "兴隆镇兴隆社区（500112138001）" in message
    assert "洛碛镇兴隆社区（500112144003）" in message
    assert Client.objects.count() == 0
    rows[0][2] = "500112138001"
    assert post(client, rows).status_code == 200
    assert set(Client.objects.values_list("division_id", flat=True)) == {
        "500112138001",
        "500112144003",
    }


def test_a_village_outside_the_area_is_refused_by_name_and_by_code(world, client):
    client.force_login(world.users.station_a)  # 双龙湖街道 only
    rows = roster(3)
    rows[0][2] = "宝圣东路社区"  # 回兴街道
    rows[1][2] = "500112004001"
    rows[2][2] = "没有这个社区"
    response = post(client, rows)
    messages = {row: message for row, _field, message in errors_of(response)}
    assert messages == {
        2: "宝圣东路社区 超出您的管辖范围。",
        3: "超出您的管辖范围。",
        4: "您的管辖范围内没有名为“没有这个社区”的村（社区）。",
    }
    assert Client.objects.count() == 0


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("低保", "dibao"),
        ("农村低保", "dibao"),
        ("特困", "tekun"),
        ("五保户", "tekun"),
        ("留守儿童", "liushou_ertong"),
        ("困境儿童", "kunjing_ertong"),
        ("残疾人", "canji"),
        ("留守老人", "liushou_laonian"),
        ("tekun", "tekun"),
        ("最低生活保障对象", "dibao"),
    ],
)
def test_target_group_aliases(world, client, alias, code):
    client.force_login(world.users.station_a)
    rows = roster(1)
    rows[0][3] = alias
    assert post(client, rows).status_code == 200
    assert Membership.objects.get().group.code == code


def test_the_alias_table_is_the_groups_data(world, client):
    TargetGroup.objects.filter(code="kunjing_ertong").update(aliases="困境儿童、孤儿")
    client.force_login(world.users.station_a)
    rows = roster(2)
    rows[0][3] = "孤儿"
    rows[1][3] = "孤 儿?"
    response = post(client, rows)
    assert [(r, f) for r, f, _m in errors_of(response)] == [(3, "服务对象类别")]
    rows[1][3] = "孤儿"
    rows[1][1] = synthetic_id(7)
    assert post(client, rows).status_code == 200
    assert {m.group.code for m in Membership.objects.all()} == {"kunjing_ertong"}


def test_the_template_example_row_is_marked_and_never_imported(world, client):
    client.force_login(world.users.station_a)
    template = client.get("/clients/import/template.xlsx")
    wb = load_workbook(BytesIO(template.content))
    ws = wb.active
    assert ws["A2"].value.startswith("示例")  # the mark, whatever the example's name
    header = [c.value for c in ws[1]]
    # The example row as shipped stays; a real row goes below it.
    ws.append(["", "李四", synthetic_id(3), "五星路社区", "低保"])
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("名册.xlsx", buffer.getvalue())
    response = client.post("/clients/import/", {"file": upload, "dry_run": ""})
    report = response.context["report"]
    assert report.committed and report.total == 1 and report.examples == [2], (
        header,
        report.errors,
    )
    assert list(Client.objects.values_list("name", flat=True)) == ["李四"]
    assert "示例" in response.content.decode()


def test_a_row_marked_example_is_skipped_whatever_its_name(world, client):
    client.force_login(world.users.station_a)
    people = roster(3)
    rows = [["说明", *HEADER], ["示例", *people[0]]] + [["", *r] for r in people[1:]]
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("roster.xlsx", buffer.getvalue())
    response = client.post("/clients/import/", {"file": upload, "dry_run": ""})
    assert response.context["report"].examples == [2]
    assert sorted(Client.objects.values_list("name", flat=True)) == ["居民1", "居民2"]


def test_the_result_splits_new_people_from_known_people_who_gained_a_group(world, client):
    joined = make(world, name="张三丰", number=ID_1)
    already = make(world, name="李四光", number=synthetic_id(50))
    Membership.objects.create(client=already, group=TargetGroup.objects.get(code="dibao"))
    client.force_login(world.users.station_a)
    rows = roster(2) + [
        ["张三丰", ID_1, VILLAGE_A1, "低保", "", ""],
        ["李四光", synthetic_id(50), VILLAGE_A1, "低保", "", ""],
    ]
    response = post(client, rows)
    report = response.context["report"]
    assert {o.key: o.count for o in report.outcomes} == {"new": 2, "joined": 1, "unchanged": 1}
    page = response.content.decode()
    assert 'data-outcome="new"' in page and 'data-outcome="joined"' in page
    assert joined.memberships.get().group.code == "dibao"
    assert already.memberships.count() == 1
    # The API says the same.
    from tests.network.test_unit_import import workbook

    rows.append(["王五", synthetic_id(60), VILLAGE_A2, "特困", "", ""])
    answer = api_for(world.users.station_a).post(
        "/api/v1/clients/import/",
        {"file": workbook(rows, header=HEADER), "dry_run": True},
        format="multipart",
    )
    assert answer.status_code == 200
    assert {o["key"]: o["count"] for o in answer.json()["outcomes"]} == {
        "new": 1,
        "joined": 0,
        "unchanged": 4,
    }


def test_a_background_job_reports_the_split_on_its_page_and_in_its_workbook(
    world, client, small_inline_limit
):
    from shegong.common.models import ImportJob
    from tests.integration.test_pages import read_sheet

    make(world, name="张三丰", number=ID_1)
    client.force_login(world.users.station_a)
    rows = roster(8) + [["张三丰", ID_1, VILLAGE_A1, "低保", "", ""]]
    response = post(client, rows)
    job = ImportJob.objects.get()
    assert [o[0::2] for o in job.outcomes] == [["new", 8], ["joined", 1], ["unchanged", 0]]
    page = client.get(response.url).content.decode()
    assert 'data-outcome="joined"' in page
    download = client.get(response.url, {"export": "xlsx"})
    assert "filename*=utf-8''" in download["Content-Disposition"]
    sheet = read_sheet(download)
    assert sheet[0][0] == "导入报告"
    assert [r[1:] for r in sheet[2:]] == [
        ("新登记的人员", 8),
        ("已登记并新增类别的人员", 1),
        ("已在该类别中的人员", 0),
    ]


@pytest.fixture
def small_inline_limit(monkeypatch, settings, tmp_path):
    from shegong.common import jobs

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(jobs, "INLINE_ROWS", 5)
    return tmp_path


def test_the_importer_streams_its_rows_and_writes_in_batches(world):
    """A generator in: the importer never holds the sheet. By the time the third batch is
    read, the first two are in the database (in the import's transaction)."""
    seen_in_db = {}

    def rows():
        for i, row in enumerate(roster(25)):
            if i in (10, 20):
                seen_in_db[i] = Client.objects.count()
            yield i + 2, dict(zip(["name", "id_number", "division", "group"], row, strict=False))

    report = import_roster(rows(), actor=world.users.station_a, dry_run=False, batch_size=5)
    assert report.committed and report.total == 25
    assert seen_in_db == {10: 10, 20: 20}
    assert Client.objects.count() == 25


def test_a_bad_row_in_a_late_batch_rolls_back_the_earlier_batches(world):
    rows = [
        (i + 2, dict(zip(["name", "id_number", "division", "group"], row, strict=False)))
        for i, row in enumerate(roster(12))
    ]
    rows[11][1]["group"] = "不存在"
    report = import_roster(iter(rows), actor=world.users.station_a, dry_run=False, batch_size=5)
    assert [e.row for e in report.errors] == [13] and not report.committed
    assert Client.objects.count() == 0 and Membership.objects.count() == 0


def test_the_bulk_due_date_refresh_costs_the_same_queries_for_3_or_30_people(world):
    people = [make(world, name=f"居民{i}", number=synthetic_id(100 + i)) for i in range(30)]
    group = TargetGroup.objects.get(code="tekun")
    for person in people:
        Membership.objects.create(client=person, group=group)
    Client.objects.update(next_visit_due=None)

    def queries(clients):
        loaded = list(
            Client.objects.filter(pk__in=[c.pk for c in clients]).only(
                "pk", "risk_tier", "last_visited_on", "created_at"
            )
        )
        with CaptureQueriesContext(connection) as captured:
            refresh_due_bulk(loaded)
        return len(captured)

    assert queries(people[:3]) == queries(people) <= 3
    from shegong.clients.schedule import refresh_due

    expected = people[5]
    refresh_due(expected)
    assert Client.objects.get(pk=people[5].pk).next_visit_due == expected.next_visit_due
    assert Client.objects.filter(next_visit_due=None).count() == 0
