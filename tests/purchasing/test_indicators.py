"""A project's indicators (R4.3) computed from the records behind them: the figures equal
a hand count, and each figure drills down to the rows it counts."""

import datetime
import functools
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.timezone import localdate

from shegong.cases import services as cases
from shegong.clients.models import Membership, TargetGroup
from shegong.purchasing import indicators
from shegong.purchasing.models import (
    IndicatorTemplate,
    ProjectIndicator,
)
from shegong.referrals.models import Referral
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1
from tests.purchasing.test_purchasing import contracted, market  # noqa: F401
from tests.records.factories import ServiceRecordFactory, service_field

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def planned_case(world, client):
    """Station A opens, assesses and plans a case for ``client``, today."""
    actor = world.users.station_a
    case = CaseFactory(
        actor=actor,
        client=client,
        unit=world.station_a,
        case_worker=world.sw_a,
        presenting_problem="独居需要照料",
    )
    case = cases.case_assess(
        case=case,
        actor=actor,
        needs=[service_field("elderly")],
        risk_tier="key",
        assessment="需要照料",
        assessed_on=localdate(),
    )
    return cases.case_plan(
        case=case, actor=actor, goals=["每周探访"], plan="", planned_items=[], review_on=localdate()
    )


def close_with_goals_met(world, case):
    actor = world.users.station_a
    case = cases.case_evaluate(
        case=case,
        actor=actor,
        evaluation="目标达成",
        evaluated_on=localdate(),
        goals_met={case.goals.get().pk},
        satisfaction=4,
    )
    case = cases.case_request_closure(case=case, actor=actor, reason="goals_met")
    return cases.case_decide_closure(case=case, actor=world.users.district, approve=True)


@pytest.fixture
def delivered(market):  # noqa: F811 (the fixture imported above)
    """3 services under the project (2 visits of 60 and 30 minutes to two clients, one 低保;
    1 group session of 90 minutes with one of them), one outside it; a case served under the
    project and closed with its goals met; a completed referral; every indicator targeted 10."""
    world = market
    project = contracted(world)
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    child = make(world, name="小明", village=VILLAGE_A1)
    Membership.objects.create(client=elder, group=TargetGroup.objects.get(code="dibao"))
    serve = functools.partial(
        ServiceRecordFactory, actor=world.users.station_a, unit=world.station_a, project=project
    )
    case = planned_case(world, elder)
    serve(method="visit", duration_minutes=60, clients=[elder], case=case)
    serve(method="visit", duration_minutes=30, clients=[child])
    serve(method="group", duration_minutes=90, clients=[child])
    serve(method="visit", duration_minutes=45, clients=[elder], project=None)  # not the project's
    close_with_goals_met(world, case)
    Referral.objects.create(
        client=elder,
        from_unit=world.station_a,
        external_kind="hospital",
        reason="就医",
        consent_checked=True,
        due_at=timezone.now(),
        created_by=world.users.station_a,
        status="completed",
    )
    for template in IndicatorTemplate.objects.all():  # the contract's own target replaced
        ProjectIndicator.objects.update_or_create(
            project=project,
            template=template,
            defaults={"target": 10, "weight": template.default_weight},
        )
    return SimpleNamespace(project=project, elder=elder)


def test_indicators_equal_hand_computed_figures(delivered):
    [row] = indicators.board([delivered.project])
    got = {f.name: f.value for f in row.figures}
    assert got == {
        "服务对象人数": 2,
        "低保对象服务人数": 1,
        "留守儿童服务人数": 0,
        "走访探视次数": 2,
        "个案开案数": 1,
        "个案结案且目标达成数": 1,
        "小组活动节数": 1,
        "社区活动场次": 0,
        "转介完成数": 1,
        "服务时数": 3.0,
        "个案满意度": 4.0,
    }
    visits = next(f for f in row.figures if f.metric == "visits")
    assert visits.progress == 0.2
    assert row.per_10k(visits) == round(2 / 28, 2) and row.per_worker(visits) == 2.0
    # Weighted delivery: Σ weight × min(value / 10, 1) / Σ weight.
    weights = {t.name: float(t.default_weight) for t in IndicatorTemplate.objects.all()}
    expected = sum(weights[n] * min(v / 10, 1) for n, v in got.items()) / sum(weights.values())
    assert abs(row.delivery - expected) < 1e-9


def test_indicators_drill_down_to_what_they_count(delivered):
    project, elder = delivered.project, delivered.elder
    kind, behind = indicators.behind(project, "visits")
    assert kind == "records" and behind.count() == 2
    kind, behind = indicators.behind(
        project, "clients_served", group_id=elder.memberships.get().group_id
    )
    assert list(behind) == [elder]
    assert indicators.behind(project, "referrals_completed")[1].count() == 1


def test_a_referral_row_is_dated_on_the_districts_day(world):
    """Sent at 01:30 in Chongqing, which is still the day before in UTC."""
    from tests.referrals.factories import ReferralFactory

    client = make(world, name="刘奶奶", village=VILLAGE_A1)
    referral = ReferralFactory(
        actor=world.users.room_a1,
        client=client,
        from_unit=world.room_a1,
        to_unit=world.station_a,
    )
    sent = datetime.datetime(2025, 3, 1, 17, 30, tzinfo=datetime.UTC)
    Referral.objects.filter(pk=referral.pk).update(created_at=sent)
    rows = indicators.drill_rows(world.users.district, "referrals", Referral.objects.all())
    assert rows[0]["on"] == datetime.date(2025, 3, 2)
