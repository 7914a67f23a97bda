"""Finding 8: the change log covers every history table (found, not listed), filters by
user, record type, dates and action, pages in SQL with no cap, exports, and has an API for
the auditor alone, each limited to the divisions it audits."""

import datetime
import re

import pytest
from django.utils import timezone

from shegong.access.models import Role
from shegong.access.scoping import scope_q
from shegong.audit.registry import (
    history_key,
    history_models,
    history_sources,
    undeclared_history_models,
)
from shegong.network.models import UnitKind
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import OTHER_DISTRICT, VILLAGE_A1, api_for, make_user
from tests.integration.test_pages import read_sheet
from tests.network.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_every_history_model_declares_its_division():
    assert undeclared_history_models() == []


def test_the_discovery_finds_every_history_table_and_each_division_path_works():
    from simple_history.models import registered_models

    found = set(history_models())
    assert found == set(registered_models.values())
    # The tables the old hand-kept list missed are there.
    keys = {history_key(model) for model in found}
    assert keys >= {
        "cases.case",
        "visits.visit",
        "referrals.referral",
        "records.servicerecord",
        "purchasing.project",
        "purchasing.instalment",
        "purchasing.evaluation",
        "clients.consent",
        "clients.client",
        "access.user",
    }
    for model, _label, field in history_sources():
        # A wrong lookup path raises FieldError here.
        list(model.history.filter(scope_q(("500112",), field)).values("history_id")[:1])


@pytest.fixture
def other_auditor(world):
    """The audit administrator of another district (渝中区)."""
    centre = UnitFactory(
        kind=UnitKind.CENTER, division=world.div[OTHER_DISTRICT], name="渝中区社会工作指导中心"
    )
    return make_user("other_auditor", Role.AUDIT_ADMIN, centre)


def open_case(world):
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    return CaseFactory(
        client=elder, actor=world.users.room_a1, unit=world.room_a1, case_worker=world.cw_a1
    )


def test_a_case_change_is_in_the_log_with_who_and_what(world, client):
    case = open_case(world)
    client.force_login(world.users.auditor)
    page = client.get("/audit/", {"type": "cases.case"})
    assert page.status_code == 200
    (row,) = page.context["rows"]
    assert (row["type"], row["object_id"], row["username"]) == (
        "cases.case",
        str(case.pk),
        "room_a1",
    )
    assert row["action_code"] == "+"


def test_the_auditor_reads_which_record_changed_never_the_clients_name(world, client):
    case = open_case(world)
    client.force_login(world.users.auditor)
    page = client.get("/audit/")
    assert "刘奶奶" not in page.content.decode()
    rows = {r["type"]: r for r in page.context["rows"]}
    assert rows["clients.client"]["object"] == "" and rows["cases.case"]["object"] == ""
    assert rows["cases.case"]["object_id"] == str(case.pk)
    api = api_for(world.users.auditor).get("/api/v1/audit/changes/")
    assert "刘奶奶" not in api.content.decode()
    # Records that are nobody's personal file keep their name.
    assert rows["network.unit"]["object"] or rows["access.user"]["object"]


def test_filters_by_user_type_dates_and_action(world, client):
    open_case(world)
    world.room_a1.name = "五星路社区工作室（新）"
    world.room_a1.save()
    client.force_login(world.users.auditor)

    def rows(**query):
        return client.get("/audit/", query).context["rows"]

    assert {r["username"] for r in rows(user="room_a1")} == {"room_a1"}
    assert {r["type"] for r in rows(type="clients.client")} == {"clients.client"}
    assert {r["action_code"] for r in rows(action="changed")} == {"~"}
    today = timezone.localdate()
    assert rows(start=today.isoformat(), end=today.isoformat())
    tomorrow = today + datetime.timedelta(days=1)
    assert rows(start=tomorrow.isoformat()) == []
    assert rows(end=(today - datetime.timedelta(days=1)).isoformat()) == []


def test_a_bad_filter_is_a_field_error_not_a_500(world, client):
    client.force_login(world.users.auditor)
    page = client.get("/audit/", {"start": "2026-13-45", "type": "nope.nope"})
    assert page.status_code == 400
    assert set(page.context["form"].errors) == {"start", "type"}
    assert (
        api_for(world.users.auditor)
        .get("/api/v1/audit/changes/", {"start": "not a date"})
        .status_code
        == 400
    )


def test_paging_reaches_every_change_past_the_old_200_cap(world, client):
    unit = world.room_a1
    for n in range(230):
        unit.address = f"地址 {n}"
        unit.save()
    client.force_login(world.users.auditor)
    first = client.get("/audit/", {"type": "network.unit"})
    total = first.context["page"].paginator.count
    assert total > 230
    last = client.get(
        "/audit/", {"type": "network.unit", "page": first.context["page"].paginator.num_pages}
    )
    seen = {r["id"] for r in first.context["rows"]} | {r["id"] for r in last.context["rows"]}
    assert len(seen) == len(first.context["rows"]) + len(last.context["rows"])
    # Newest first across pages.
    assert first.context["rows"][0]["when"] >= last.context["rows"][-1]["when"]
    api = api_for(world.users.auditor).get("/api/v1/audit/changes/", {"type": "network.unit"})
    assert api.json()["count"] == total and len(api.json()["results"]) == 50


def test_the_export_carries_every_filtered_change(world, client):
    open_case(world)
    client.force_login(world.users.auditor)
    response = client.get("/audit/", {"type": "cases.case", "export": "xlsx"})
    sheet = read_sheet(response)
    assert "no-store" in response["Cache-Control"]
    assert len(sheet) == 3 and sheet[2][1] == "room_a1"


def test_an_auditor_of_another_district_sees_nothing_of_this_one(world, client, other_auditor):
    open_case(world)
    client.force_login(world.users.district)
    client.get("/clients/", {"export": "xlsx"})  # an access in this district
    client.force_login(other_auditor)
    # Only its own district's rows: its account, grant and centre, the worker there.
    rows = client.get("/audit/").context["rows"]
    assert {r["type"] for r in rows} <= {
        "access.user",
        "access.rolegrant",
        "network.unit",
        "people.worker",
    }
    assert {r["object"] for r in rows if r["type"] == "people.worker"} <= {"渝中社工"}
    assert {r["object"] for r in rows if r["type"] == "network.unit"} <= {
        "渝中区社会工作指导中心",
        "渝中区某街道社会工作站",
    }
    api = api_for(other_auditor)
    assert api.get("/api/v1/audit/changes/", {"type": "cases.case"}).json()["results"] == []
    assert api.get("/api/v1/audit/changes/", {"type": "clients.client"}).json()["results"] == []
    assert api.get("/api/v1/audit/accesses/").json()["results"] == []
    logins = api.get("/api/v1/audit/logins/").json()["results"]
    assert {e["username"] for e in logins} <= {"other_auditor"}
    # …while this district's auditor sees them.
    mine = api_for(world.users.auditor)
    assert mine.get("/api/v1/audit/changes/", {"type": "cases.case"}).json()["count"] == 1
    (access,) = mine.get("/api/v1/audit/accesses/").json()["results"]
    assert (access["username"], access["object_type"]) == ("district", "client")
    assert "district" in {
        e["username"] for e in mine.get("/api/v1/audit/logins/").json()["results"]
    }


@pytest.mark.parametrize("persona", ["sysadmin", "station_a", "room_a1", "agency", "nobody"])
def test_only_auditors_reach_the_logs(world, client, persona):
    user = getattr(world.users, persona)
    client.force_login(user)
    api = api_for(user)
    for path in ("/audit/", "/audit/accesses/", "/audit/logins/"):
        assert client.get(path).status_code == 403, path
    for kind in ("changes", "accesses", "logins"):
        assert api.get(f"/api/v1/audit/{kind}/").status_code == 403, kind


def test_the_api_is_read_only(world):
    api = api_for(world.users.auditor)
    for kind in ("changes", "accesses", "logins"):
        assert api.post(f"/api/v1/audit/{kind}/", {}).status_code == 405
        assert api.delete(f"/api/v1/audit/{kind}/").status_code == 405


def test_the_api_is_documented(world):
    schema = api_for(world.users.auditor).get("/api/v1/schema/", {"format": "json"}).json()
    for kind in ("changes", "accesses", "logins"):
        operation = schema["paths"][f"/api/v1/audit/{kind}/"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"user", "start", "end", "page"} <= names, kind


def test_the_page_title_is_plain_text(world, client):
    open_case(world)
    client.force_login(world.users.auditor)
    for path in ("/audit/", "/audit/accesses/", "/audit/logins/"):
        html = client.get(path).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title and ">" not in title, path
