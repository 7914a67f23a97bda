"""The workbench (工作台, issue 10 item 1): each role's home page and ``/api/v1/workbench/``
show that role's tasks, only in the user's area, capped, with the menu's badges."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localdate

from shegong.access.models import Role
from shegong.cases import services as case_services
from shegong.clients.models import Client
from shegong.clients.services import risk_alert_raise
from shegong.cockpit.workbench import CAP, workbench_for
from tests.cases.factories import CaseFactory
from tests.clients.factories import ClientFactory
from tests.conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, api_for, make_user
from tests.records.factories import ServiceRecordFactory
from tests.referrals.factories import ReferralFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
DAY = datetime.timedelta(days=1)


def overdue_client(world, village, name, days=3, tier="general"):
    client = ClientFactory(name=name, division=world.div[village], risk_tier=tier)
    Client.objects.filter(pk=client.pk).update(next_visit_due=localdate() - days * DAY)
    return client


@pytest.fixture
def town(world):
    """Overdue clients, an alert, a case and referrals in room A1, its sibling A2 and town B."""
    users = world.users
    world.a1 = overdue_client(world, VILLAGE_A1, "甲一逾期", days=4, tier="key")
    world.a1_today = overdue_client(world, VILLAGE_A1, "甲一今日", days=0)
    world.a2 = overdue_client(world, VILLAGE_A2, "甲二逾期", days=2)
    world.b1 = overdue_client(world, VILLAGE_B1, "乙一逾期", days=9)
    for client in (world.a1, world.a2, world.b1):
        risk_alert_raise(client=client, actor=users.district, reason=f"{client.name}告警")
    world.case_a1 = CaseFactory(
        actor=users.room_a1, client=world.a1, unit=world.room_a1, case_worker=world.cw_a1
    )
    world.case_a2 = CaseFactory(
        actor=users.station_a, client=world.a2, unit=world.room_a2, case_worker=world.cw_a2
    )
    world.case_b1 = CaseFactory(
        actor=users.station_b, client=world.b1, unit=world.room_b1, case_worker=world.cw_b1
    )
    world.sent_a1 = ReferralFactory(
        actor=users.room_a1, client=world.a1, from_unit=world.room_a1, to_unit=world.station_a
    )
    world.sent_b1 = ReferralFactory(
        actor=users.station_b, client=world.b1, from_unit=world.room_b1, to_unit=world.station_b
    )
    ServiceRecordFactory(actor=users.room_a1, unit=world.room_a1, clients=[world.a1])
    return world


def keys(bench):
    return [s.key for s in bench.sections]


def names(bench, key):
    return [i.get("client") for i in bench.section(key).items]


def test_room_worker_sees_visits_cases_referrals_alerts_and_services_of_the_village(town):
    bench = workbench_for(town.users.room_a1)
    assert keys(bench) == ["visits_due", "cases", "referrals", "alerts"]
    visits = bench.section("visits_due").items
    assert [v["client"] for v in visits] == ["甲一逾期", "甲一今日"]
    assert visits[0]["days_overdue"] == 4 and visits[0]["risk_tier"] == "key"
    assert visits[1]["days_overdue"] == 0
    assert visits[0]["log_url"] == reverse("visits:visit-create", args=[town.a1.pk])
    assert names(bench, "cases") == ["甲一逾期"]
    referral = bench.section("referrals").items[0]
    assert (referral["client"], referral["direction"]) == ("甲一逾期", "out")
    assert referral["hours_left"] > 0 and not referral["overdue"]
    assert names(bench, "alerts") == ["甲一逾期"]
    assert bench.services["records"] == 1 and bench.services["minutes"] == 60
    assert not bench.summary and not bench.duties


def test_overdue_case_review_is_flagged(town):
    from shegong.cases.models import Case

    Case.objects.filter(pk=town.case_a1.pk).update(review_on=localdate() - DAY)
    item = workbench_for(town.users.room_a1).section("cases").items[0]
    assert item["review_overdue"] is True and item["review_on"] == localdate() - DAY


def test_station_sees_its_town_only(town):
    # Room A1's referral to station A is in the station's inbox.
    bench = workbench_for(town.users.station_a)
    assert keys(bench) == ["closures", "inbox", "overdue_by_village", "quiet_rooms", "alerts"]
    assert names(bench, "inbox") == ["甲一逾期"]
    assert bench.section("inbox").items[0]["direction"] == "in"
    villages = {i["village_code"]: i["overdue"] for i in bench.section("overdue_by_village").items}
    assert villages == {VILLAGE_A1: 1, VILLAGE_A2: 1}
    assert sorted(names(bench, "alerts")) == ["甲一逾期", "甲二逾期"]
    # Room A1 served this month; room A2 did not (and is not operating: not listed either).
    assert [i["unit"] for i in bench.section("quiet_rooms").items] == []


def test_station_sees_closures_awaiting_its_approval(town):
    users = town.users
    case = town.case_a2
    case_services.case_request_closure(case=case, actor=users.district, reason="moved", note="搬走")
    bench = workbench_for(users.station_a)
    assert names(bench, "closures") == ["甲二逾期"]
    assert names(workbench_for(users.station_b), "closures") == []


def test_quiet_rooms_are_operating_rooms_without_a_service_this_month(town):
    town.room_a2.operating_on = datetime.date(2022, 1, 1)
    town.room_a2.save(update_fields=["operating_on"])
    bench = workbench_for(town.users.station_a)
    assert [i["unit"] for i in bench.section("quiet_rooms").items] == [town.room_a2.name]


def test_lists_are_capped_with_a_more_link(world):
    for n in range(CAP + 2):
        overdue_client(world, VILLAGE_A1, f"甲一{n:02d}", days=1)
    section = workbench_for(world.users.room_a1).section("visits_due")
    assert len(section.items) == CAP and section.more
    assert section.more_url == reverse("visits:due-list")


def test_centre_has_a_summary_and_links_into_the_reports(town):
    bench = workbench_for(town.users.district)
    tiles = {t["key"]: t for t in bench.summary}
    assert tiles["overdue_visits"]["value"] == 3
    assert tiles["alerts"]["value"] == 3
    assert tiles["coverage"]["url"] == reverse("cockpit:coverage")
    assert "closures" in keys(bench) and "inbox" in keys(bench)


def test_administrators_get_their_duties_and_no_service_data(town):
    for user in (town.users.sysadmin, town.users.auditor):
        bench = workbench_for(user)
        assert not bench.sections and not bench.summary and bench.services is None
        assert bench.duties
    assert [d["key"] for d in workbench_for(town.users.auditor).duties] == ["audit"]


def test_a_user_without_a_role_gets_an_empty_workbench(world):
    bench = workbench_for(world.users.nobody)
    assert not bench.sections and not bench.summary and not bench.duties


# --- purchasing next steps ------------------------------------------------------------------


def test_purchaser_agency_and_evaluator_see_their_projects_next_steps(world):
    from tests.purchasing.factories import PurchaserFactory, assign_evaluation
    from tests.purchasing.test_purchasing import contracted

    world.agency.credit_code = "52500112MJ12345673"
    world.agency.save(update_fields=["credit_code"])
    bureau = PurchaserFactory(name="渝北区民政局", kind="civil_affairs")
    world.bureau = bureau
    world.users.purchaser = make_user("buyer", Role.PURCHASER, purchaser=bureau)
    agency_user = make_user("agency_a", Role.AGENCY_STAFF, agency=world.agency)
    evaluator = make_user("evaluator", Role.EVALUATOR)
    world.users.evaluator = evaluator
    project = contracted(world)
    assign_evaluation(world, project)

    buyer = workbench_for(world.users.purchaser).section("next_steps").items
    assert {s["kind"] for s in buyer} >= {"report", "instalment"}
    assert all(s["project_id"] == project.pk for s in buyer)
    agency = workbench_for(agency_user).section("next_steps").items
    assert "report" in {s["kind"] for s in agency}
    assert "instalment" not in {s["kind"] for s in agency}
    scored = workbench_for(evaluator).section("next_steps").items
    assert [s["kind"] for s in scored] == ["evaluation"]
    other = make_user("other_evaluator", Role.EVALUATOR)
    assert workbench_for(other).section("next_steps").items == []


# --- page and API -------------------------------------------------------------------------


def test_home_page_shows_the_room_workers_tasks_and_no_forbidden_menu_entry(town, client):
    client.force_login(town.users.room_a1)
    page = client.get("/").content.decode()
    assert "甲一逾期" in page and "甲二逾期" not in page and "乙一逾期" not in page
    assert reverse("visits:visit-create", args=[town.a1.pk]) in page
    assert reverse("cockpit:coverage") not in page  # 无权访问 for a room's scope
    assert client.get(reverse("api:docs")).status_code == 200  # the docs stay reachable


def test_station_menu_shows_badges_for_its_inbox_and_closures(town, client):
    client.force_login(town.users.station_a)
    page = client.get(reverse("clients:client-list")).content.decode()
    assert 'id="badge-inbox"' in page
    assert reverse("cockpit:coverage") in page


@pytest.mark.parametrize(
    "persona", ["district", "station_a", "room_a1", "station_b", "agency", "sysadmin", "auditor"]
)
def test_api_answers_every_persona_with_its_own_area(town, persona):
    response = api_for(getattr(town.users, persona)).get("/api/v1/workbench/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date"] == localdate().isoformat()
    text = response.content.decode()
    if persona in ("room_a1", "station_a"):
        assert "乙一逾期" not in text
    if persona == "room_a1":
        assert "甲二逾期" not in text
        assert body["visits_due"]["items"][0]["client_id"] == town.a1.pk
    if persona == "station_b":
        assert "甲一逾期" not in text and "甲二逾期" not in text


def test_api_for_a_user_without_a_role_is_empty_but_valid(world):
    response = api_for(world.users.nobody).get("/api/v1/workbench/")
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == [] and body["duties"] == [] and body["services"] is None
    assert "visits_due" not in body


def test_api_needs_a_login(client):
    assert client.get("/api/v1/workbench/").status_code in (401, 403)


def test_referral_past_its_deadline_is_marked(town):
    from shegong.referrals.models import Referral

    Referral.objects.filter(pk=town.sent_a1.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=2)
    )
    item = workbench_for(town.users.station_a).section("inbox").items[0]
    assert item["overdue"] and item["hours_left"] < 0
