"""Visit due dates across public holidays, recording a visit, and the due lists."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from shegong.clients.models import TargetGroup, VisitPolicy
from shegong.clients.schedule import next_due, refresh_all_due
from shegong.common.workdays import add_working_days
from shegong.visits import services
from shegong.visits.selectors import due_clients
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_B1

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.date


def test_working_days_skip_national_day_and_count_the_make_up_saturday():
    # 2025: 1–8 October are holidays; Saturday 11 October is a working day.
    assert add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)
    # Years chinese-calendar does not know yet fall back to Monday–Friday.
    assert add_working_days(D(2030, 1, 4), 1) == D(2030, 1, 7)


def test_high_risk_due_in_five_working_days_across_the_holiday(world):
    client = make(world, risk_tier="high")
    assert next_due(client, D(2025, 9, 30), today=D(2025, 9, 30)) == D(2025, 10, 14)
    client.risk_tier = "key"
    assert next_due(client, D(2025, 9, 30), today=D(2025, 9, 30)) == D(2025, 10, 30)


def test_the_strictest_matching_policy_wins(world):
    children = TargetGroup.objects.get(code="kunjing_ertong")
    VisitPolicy.objects.create(group=children, interval=14)
    client = make(world, risk_tier="general")
    assert next_due(client, D(2024, 3, 1)) == D(2024, 5, 30)  # quarterly
    client.memberships.create(group=children)
    assert next_due(client, D(2024, 3, 1)) == D(2024, 3, 15)
    membership = client.memberships.get()
    membership.end_on = D(2024, 1, 1)  # no longer in the group
    membership.save()
    assert next_due(client, D(2024, 3, 1), today=D(2024, 3, 1)) == D(2024, 5, 30)


def test_recording_a_visit_moves_the_due_date_and_the_risk(world):
    client = make(world, risk_tier="general")
    visit = services.visit_record(
        client=client,
        actor=world.users.room_a1,
        visited_on=D(2025, 9, 30),
        mode="in_person",
        findings="独居，情绪低落",
        risk_change="high",
        follow_up="一周内再访",
    )
    client.refresh_from_db()
    assert client.risk_tier == "high" and client.last_visited_on == D(2025, 9, 30)
    assert client.next_visit_due == D(2025, 10, 14)
    assert visit.visitor == world.users.room_a1
    # An earlier visit recorded late does not move the last visit back.
    services.visit_record(
        client=client, actor=world.users.room_a1, visited_on=D(2025, 9, 1), mode="phone"
    )
    client.refresh_from_db()
    assert client.last_visited_on == D(2025, 9, 30)


def test_future_visit_is_refused(world):
    client = make(world)
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            client=client,
            actor=world.users.room_a1,
            visited_on=localdate() + datetime.timedelta(days=1),
            mode="phone",
        )
    assert "visited_on" in exc.value.message_dict


def test_due_list_is_scoped(world):
    a1 = make(world, name="甲", village=VILLAGE_A1, risk_tier="high")
    b1 = make(world, name="乙", village=VILLAGE_B1, risk_tier="high")
    later = localdate() + datetime.timedelta(days=30)
    assert set(due_clients(world.users.district, today=later)) == {a1, b1}
    assert list(due_clients(world.users.room_a1, today=later)) == [a1]
    assert list(due_clients(world.users.station_b, today=later)) == [b1]
    assert list(due_clients(world.users.sysadmin, today=later)) == []


def test_visit_pages_and_api(world, client):
    from rest_framework.test import APIClient

    mine = make(world, name="甲", village=VILLAGE_A1, risk_tier="high")
    other = make(world, name="乙", village=VILLAGE_B1, risk_tier="high")
    client.force_login(world.users.room_a1)
    later = localdate()
    listed = client.get("/visits/due/", {"page": 1})
    assert listed.status_code == 200
    assert client.get(f"/clients/{other.pk}/visits/new/").status_code == 404
    future = client.post(
        f"/clients/{mine.pk}/visits/new/",
        {"visited_on": str(later + datetime.timedelta(days=3)), "mode": "in_person"},
    )
    assert future.status_code == 200 and future.context["form"].errors["visited_on"]
    done = client.post(
        f"/clients/{mine.pk}/visits/new/",
        {
            "visited_on": str(later),
            "mode": "phone",
            "findings": "电话问候，身体尚可",
            "next": "https://evil.example/",
        },
    )
    assert done.status_code == 302 and done.url == f"/clients/{mine.pk}/"
    mine.refresh_from_db()
    assert mine.last_visited_on == later and mine.next_visit_due > later
    api = APIClient()
    api.force_authenticate(world.users.room_a1)
    assert [v["client"] for v in api.get("/api/v1/visits/").json()["results"]] == [mine.pk]
    refused = api.post(
        "/api/v1/visits/", {"client": other.pk, "visited_on": str(later), "mode": "phone"}
    )
    assert refused.status_code == 400 and "client" in refused.json()
    agency = APIClient()
    agency.force_authenticate(world.users.agency)
    assert (
        agency.post(
            "/api/v1/visits/", {"client": other.pk, "visited_on": str(later), "mode": "phone"}
        ).status_code
        == 403
    )


def test_changing_the_policies_recomputes_due_dates(world):
    client = make(world, risk_tier="general")
    policy = VisitPolicy.objects.get(risk_tier="general", group=None)
    policy.interval = 10
    policy.save()
    assert refresh_all_due() >= 1
    client.refresh_from_db()
    from django.utils import timezone

    created = timezone.localtime(client.created_at).date()
    assert client.next_visit_due == created + datetime.timedelta(days=10)


def test_due_list_api_is_scoped_and_orders_the_most_overdue_first(world):
    import datetime

    from rest_framework.test import APIClient

    from shegong.clients.models import Client
    from tests.clients.test_clients import make
    from tests.conftest import VILLAGE_A1, VILLAGE_B1

    today = localdate()
    late = make(world, name="逾期老人", village=VILLAGE_A1)
    soon = make(world, name="将到期", village=VILLAGE_A1)
    other = make(world, name="回兴居民", village=VILLAGE_B1)
    Client.objects.filter(pk=late.pk).update(next_visit_due=today - datetime.timedelta(days=9))
    Client.objects.filter(pk=soon.pk).update(next_visit_due=today + datetime.timedelta(days=3))
    Client.objects.filter(pk=other.pk).update(next_visit_due=today - datetime.timedelta(days=30))
    api = APIClient()
    api.force_authenticate(world.users.room_a1)
    rows = api.get("/api/v1/visits/due/").json()["results"]
    assert [(r["name"], r["overdue"]) for r in rows] == [("逾期老人", True), ("将到期", False)]
    overdue = api.get("/api/v1/visits/due/", {"overdue": "true"}).json()["results"]
    assert [r["name"] for r in overdue] == ["逾期老人"]
    assert api.get("/api/v1/visits/due/", {"within_days": 999}).status_code == 400
    api.force_authenticate(world.users.district)
    names = [r["name"] for r in api.get("/api/v1/visits/due/").json()["results"]]
    assert names == ["回兴居民", "逾期老人", "将到期"]


def test_due_list_per_worker(world, client):

    from rest_framework.test import APIClient

    from shegong.clients.models import Client
    from tests.clients.test_clients import make
    from tests.conftest import VILLAGE_A1, VILLAGE_A2

    today = localdate()
    a1 = make(world, name="五星路老人", village=VILLAGE_A1)
    a2 = make(world, name="龙昌街老人", village=VILLAGE_A2)
    Client.objects.filter(pk__in=[a1.pk, a2.pk]).update(next_visit_due=today)
    api = APIClient()
    api.force_authenticate(world.users.station_a)
    names = lambda r: [c["name"] for c in r.json()["results"]]  # noqa: E731
    # 李网格 is posted at room A1; 张社工 at the station, so the whole town.
    assert names(api.get("/api/v1/visits/due/", {"worker": world.cw_a1.pk})) == ["五星路老人"]
    assert len(names(api.get("/api/v1/visits/due/", {"worker": world.sw_a.pk}))) == 2
    assert api.get("/api/v1/visits/due/", {"worker": world.cw_b1.pk}).status_code == 404
    client.force_login(world.users.station_a)
    page = client.get("/visits/due/", {"worker": world.cw_a2.pk})
    assert [c.name for c in page.context["page"]] == ["龙昌街老人"]
    assert world.cw_a1 in page.context["workers"] and world.cw_b1 not in page.context["workers"]
