"""Issue 10 item 7: every download has a Chinese name that says what it holds and when
(服务台账_五星路社区_2026-12-01.xlsx), sent as RFC 5987 ``filename*`` after an ASCII
fallback, and no two kinds of export share a name (there were two ``ledger.xlsx``)."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.http import HttpResponse
from django.utils import timezone

from shegong.common.exports import attachment, export_filename
from tests.audit.test_export_logging import EXPORTS, served, two_stations  # noqa: F401
from tests.conftest import TOWN_A

pytestmark = pytest.mark.django_db


def sent_name(response) -> str:
    header = response["Content-Disposition"]
    assert header.startswith("attachment; ")
    match = re.search(r"filename\*=utf-8''([^;]+)", header)
    assert match, header
    return unquote(match.group(1))


def test_the_name_says_what_and_when_and_is_safe():
    day = datetime.date(2026, 12, 1)
    assert (
        export_filename("服务台账", "五星路社区", day=day) == "服务台账_五星路社区_2026-12-01.xlsx"
    )
    assert (
        export_filename("a/b: c", None, "", "x;y", day=day, ext="pdf") == "a-b-c_x-y_2026-12-01.pdf"
    )


@pytest.mark.date_sensitive
def test_the_header_has_the_utf8_name_and_an_ascii_fallback():
    response = attachment(HttpResponse(b""), export_filename("服务台账"))
    header = response["Content-Disposition"]
    today = timezone.localdate().isoformat()
    assert header.startswith(f"attachment; filename=\"export_{today}.xlsx\"; filename*=utf-8''")
    assert sent_name(response) == f"服务台账_{today}.xlsx"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.date_sensitive
def test_every_export_has_its_own_chinese_dated_name(world, client, two_stations, served):  # noqa: F811
    client.force_login(two_stations)
    today = timezone.localdate().isoformat()
    names = {}
    for url, query, _type, _filters in EXPORTS:
        response = client.get(url, {**query, "export": "xlsx"})
        name = sent_name(response)
        assert name.endswith(".xlsx") and not name.isascii(), (url, name)
        names[url] = name
    assert len(set(names.values())) == len(names), names
    assert names["/service-records/"] == f"服务台账_{today}.xlsx"
    assert names["/coverage/"] == f"{names['/coverage/'].split('_')[0]}_2026-01-01.xlsx"
    assert all(n.endswith(f"_{today}.xlsx") for u, n in names.items() if u != "/coverage/")


@pytest.mark.date_sensitive
def test_a_filtered_export_names_the_place(world, client):
    client.force_login(world.users.district)
    query = {"metric": "rooms_established", "town": TOWN_A, "export": "xlsx"}
    assert "双龙湖街道" in sent_name(client.get("/coverage/details/", query))


@pytest.mark.date_sensitive
def test_the_import_templates_have_chinese_names(world, client):
    client.force_login(world.users.district)
    today = timezone.localdate().isoformat()
    for url, name in (
        ("/clients/import/template.xlsx", "名册导入模板"),
        ("/units/import/template.xlsx", "站点导入模板"),
        ("/workers/import/template.xlsx", "工作人员导入模板"),
    ):
        assert sent_name(client.get(url)) == f"{name}_{today}.xlsx"
