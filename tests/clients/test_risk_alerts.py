"""Risk alerts (R3.2): a high-risk client stays on the station's and the centre's list
until someone records the action taken."""

import pytest

from shegong.clients import services
from shegong.clients.models import RiskAlert
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_B1
from tests.visits.factories import VisitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def test_high_risk_raises_one_open_alert(world):
    client = make(world, risk_tier="high")
    assert RiskAlert.objects.open().filter(client=client).count() == 1
    services.client_update(client=client, actor=None, address="x")
    VisitFactory(client=client, actor=world.users.room_a1, mode="in_person", risk_change="high")
    assert RiskAlert.objects.open().filter(client=client).count() == 1


def test_a_visit_that_finds_a_crisis_raises_an_alert(world):
    client = make(world, risk_tier="general")
    VisitFactory(
        client=client,
        actor=world.users.room_a1,
        mode="in_person",
        findings="老人跌倒后独自在家",
        risk_change="high",
    )
    alert = RiskAlert.objects.open().get(client=client)
    assert alert.reason == "老人跌倒后独自在家" and alert.raised_by == world.users.room_a1


def test_alert_lists_are_scoped_and_closing_needs_the_action(world, client):
    mine = make(world, name="甲", village=VILLAGE_A1, risk_tier="high")
    make(world, name="乙", village=VILLAGE_B1, risk_tier="high")
    client.force_login(world.users.station_a)
    page = client.get("/alerts/")
    assert [a.client for a in page.context["alerts"]] == [mine]
    assert page.context["open_alerts"] == 1
    centre = client.__class__()
    centre.force_login(world.users.district)
    assert len(centre.get("/alerts/").context["alerts"]) == 2
    alert = RiskAlert.objects.get(client=mine)
    other = RiskAlert.objects.exclude(pk=alert.pk).get()
    assert client.post(f"/alerts/{other.pk}/resolve/", {"action_taken": "xxxx"}).status_code == 404
    empty = client.post(f"/alerts/{alert.pk}/resolve/", {"action_taken": ""})
    assert empty.status_code == 400
    done = client.post(f"/alerts/{alert.pk}/resolve/", {"action_taken": "已联系家属并送医"})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_by == world.users.station_a and alert.action_taken == "已联系家属并送医"
    assert len(client.get("/alerts/").context["alerts"]) == 0
