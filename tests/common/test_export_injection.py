"""Exports are inert: a value a spreadsheet would take for a formula is a text cell, a
stored control character is shown instead of breaking the file (issue 9, finding 7)."""

import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from shegong.clients.models import Client
from shegong.common.exports import append_row, table_workbook
from shegong.common.imports import Column, read_rows
from shegong.records.models import ServiceRecord
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1
from tests.records.test_service_records import media as media  # noqa: F401  (fixture)
from tests.records.test_service_records import post_record

FORMULAS = ["=1+1", "\t=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(1,1)", " =1+1", "\n=1+1"]


def cells(content: bytes):
    return list(load_workbook(BytesIO(content)).active.iter_rows())


def test_a_formula_like_string_is_a_quoted_text_cell_and_reads_back_unchanged():
    today = datetime.date(2024, 6, 30)
    content = table_workbook("t", ["a", "b", "c"], [[text, 3, today] for text in FORMULAS])
    rows = cells(content)[2:]
    for row, text in zip(rows, FORMULAS, strict=True):
        cell, number, date = row
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True)
        assert number.data_type == "n" and number.value == 3  # numbers stay numbers
        assert date.is_date and date.value.date() == today
    # Our own import reads the value as it was written.
    upload = BytesIO(content)
    upload.name, upload.size = "x.xlsx", len(content)
    rows = read_rows(upload, [Column("a", "t")])  # the title row is the first header
    assert [values["a"] for _n, values in rows[1:]] == FORMULAS


def test_control_characters_are_shown_not_fatal():
    wb = Workbook()
    append_row(wb.active, ["a\x01b", "line\nbreak", 1.5, None, True])
    assert [c.value for c in wb.active[1]] == ["a\ufffdb", "line\nbreak", 1.5, None, True]


@pytest.mark.django_db
def test_client_export_writes_names_as_text_never_as_formulas(world, client):
    make(world, name="=1+1", village=VILLAGE_A1)
    make(world, name="@SUM(1)", village=VILLAGE_A1)
    Client.objects.filter(name="@SUM(1)").update(name="\t=cmd")  # as an old record may hold
    client.force_login(world.users.room_a1)
    response = client.get("/clients/", {"export": "xlsx"})
    assert response.status_code == 200
    names = {row[0].value: row[0] for row in cells(response.content)[2:]}
    assert set(names) == {"=1+1", "\t=cmd"}
    for cell in names.values():
        assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.django_db
def test_a_stored_control_character_does_not_break_the_client_export(world, client):
    make(world, name="张三丰", village=VILLAGE_A1, phone="13812345678")
    Client.objects.update(name="张\x01三丰", phone="138\x0112345678")  # bypassing validation
    client.force_login(world.users.room_a1)
    response = client.get("/clients/", {"export": "xlsx"})
    assert response.status_code == 200
    assert cells(response.content)[2][0].value == "张\ufffd三丰"


@pytest.mark.django_db
@pytest.mark.date_sensitive
def test_ledger_export_writes_outcomes_as_text(world, client):
    client.force_login(world.users.room_a1)
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    assert post_record(client, world, clients=[elder.pk]).status_code == 302
    ServiceRecord.objects.update(outcome='=HYPERLINK("http://x.example","点击")')
    response = client.get("/service-records/", {"export": "xlsx"})
    outcome = cells(response.content)[2][9]
    assert outcome.data_type == "s" and outcome.value.startswith("=HYPERLINK")
