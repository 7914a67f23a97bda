"""Casework (MZ/T 094-2017): every step legal and illegal, the supervisor's approval,
the API and the pages, all scoped."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localdate

from shegong.cases import services
from shegong.cases.models import Case, CaseEvent, Stage
from shegong.records.models import ServiceItem
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_B1, api_for
from tests.records.factories import ServiceRecordFactory, service_field
from tests.referrals.factories import ReferralFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.fixture
def elder(world):
    return make(world, name="刘奶奶", village=VILLAGE_A1)


def open_case(world, client, **overrides):
    """Room A1 opens a case for ``client`` with its grid worker, today, after a visit."""
    data = {"actor": world.users.room_a1, "unit": world.room_a1, "case_worker": world.cw_a1}
    return CaseFactory(client=client, **{**data, **overrides})


def elderly():
    return service_field("elderly")


def serve(world, case):
    return ServiceRecordFactory(
        actor=world.users.room_a1,
        unit=world.room_a1,
        method="casework",
        clients=[case.client],
        case=case,
    )


def through_plan(world, case):
    actor = world.users.room_a1
    case = services.case_assess(
        case=case,
        actor=actor,
        needs=[elderly()],
        risk_tier="key",
        assessment="跌倒风险高，缺少照料",
        assessed_on=localdate(),
    )
    return services.case_plan(
        case=case,
        actor=actor,
        goals=["安装扶手", "每周电话问候"],
        plan="链接适老化改造资源",
        planned_items=list(elderly().items.all()[:1]),
        review_on=localdate() + datetime.timedelta(days=30),
    )


def test_the_whole_way_from_intake_to_an_approved_closure(world, elder):
    case = open_case(world, elder)
    assert case.stage == Stage.INTAKE and case.number.startswith(f"GA{localdate():%Y}-")
    case = through_plan(world, case)
    assert case.stage == Stage.INTERVENTION and case.goals.count() == 2
    serve(world, case)
    first_goal = case.goals.first()
    case = services.case_evaluate(
        case=case,
        actor=world.users.room_a1,
        evaluation="扶手已安装，情绪稳定",
        evaluated_on=localdate(),
        goals_met={first_goal.pk},
        satisfaction=5,
    )
    assert case.stage == Stage.EVALUATION and case.goals_met == 1
    case = services.case_request_closure(case=case, actor=world.users.room_a1, reason="goals_met")
    assert case.stage == Stage.CLOSING
    case = services.case_decide_closure(case=case, actor=world.users.station_a, approve=True)
    assert case.stage == Stage.CLOSED and case.closed_by == world.users.station_a
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["opened", "assessed", "planned", "evaluated", "closure_requested", "closed"]
    # A closed case takes no more services and no more steps.
    with pytest.raises(ValidationError) as exc:
        serve(world, case)
    assert "case" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.case_request_closure(case=case, actor=world.users.room_a1, reason="other")


@pytest.mark.parametrize(
    "stage, step",
    [
        (Stage.INTAKE, "plan"),
        (Stage.INTAKE, "evaluate"),
        (Stage.PLANNING, "evaluate"),
        (Stage.INTAKE, "approve_closure"),
        (Stage.INTERVENTION, "approve_closure"),
        (Stage.CLOSED, "assess"),
        (Stage.CLOSED, "request_closure"),
        (Stage.CLOSING, "plan"),
    ],
)
def test_illegal_steps_are_refused_with_the_stage(world, elder, stage, step):
    case = open_case(world, elder)
    Case.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()
    calls = {
        "plan": lambda: services.case_plan(
            case=case,
            actor=world.users.room_a1,
            goals=["x"],
            plan="",
            planned_items=[],
            review_on=localdate(),
        ),
        "evaluate": lambda: services.case_evaluate(
            case=case,
            actor=world.users.room_a1,
            evaluation="评估内容",
            evaluated_on=localdate(),
            goals_met=set(),
        ),
        "approve_closure": lambda: services.case_decide_closure(
            case=case, actor=world.users.station_a, approve=True
        ),
        "assess": lambda: services.case_assess(
            case=case,
            actor=world.users.room_a1,
            needs=[elderly()],
            risk_tier="general",
            assessment="再次评估",
            assessed_on=localdate(),
        ),
        "request_closure": lambda: services.case_request_closure(
            case=case, actor=world.users.room_a1, reason="moved"
        ),
    }
    with pytest.raises(ValidationError) as exc:
        calls[step]()
    assert "stage" in exc.value.message_dict


def test_evaluation_needs_a_service_given_under_the_case(world, elder):
    case = through_plan(world, open_case(world, elder))
    with pytest.raises(ValidationError) as exc:
        services.case_evaluate(
            case=case,
            actor=world.users.room_a1,
            evaluation="评估内容",
            evaluated_on=localdate(),
            goals_met=set(),
        )
    assert "Record at least one service" in str(exc.value)


def test_closing_with_goals_met_needs_an_evaluation_but_early_closure_does_not(world, elder):
    case = open_case(world, elder)
    with pytest.raises(ValidationError) as exc:
        services.case_request_closure(case=case, actor=world.users.room_a1, reason="goals_met")
    assert "reason" in exc.value.message_dict
    case = services.case_request_closure(case=case, actor=world.users.room_a1, reason="moved")
    assert case.stage == Stage.CLOSING and case.stage_before_closing == Stage.INTAKE


def test_the_requester_cannot_approve_and_a_send_back_restores_the_stage(world, elder):
    case = through_plan(world, open_case(world, elder, actor=world.users.station_a))
    case = services.case_request_closure(case=case, actor=world.users.station_a, reason="withdrew")
    with pytest.raises(PermissionDenied):
        services.case_decide_closure(case=case, actor=world.users.station_a, approve=True)
    with pytest.raises(PermissionDenied):  # a room worker is no supervisor
        services.case_decide_closure(case=case, actor=world.users.room_a1, approve=True)
    with pytest.raises(PermissionDenied):  # nor is another town's station
        services.case_decide_closure(case=case, actor=world.users.station_b, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.case_decide_closure(case=case, actor=world.users.district, approve=False)
    assert "note" in exc.value.message_dict
    case = services.case_decide_closure(
        case=case, actor=world.users.district, approve=False, note="请先完成家访评估"
    )
    assert case.stage == Stage.INTERVENTION and case.closure_reason == ""
    assert case.events.last().kind == CaseEvent.Kind.CLOSURE_REJECTED


def test_opening_rules(world, elder):
    other = make(world, name="回兴居民", village=VILLAGE_B1)
    with pytest.raises(ValidationError) as exc:
        open_case(world, other)
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        open_case(world, elder, case_worker=world.cw_b1)
    assert "case_worker" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        open_case(world, elder, unit=world.center, actor=world.users.district)
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        open_case(
            world, elder, opened_on=localdate() + datetime.timedelta(days=1), presenting_problem=""
        )
    assert {"opened_on", "presenting_problem"} <= set(exc.value.message_dict)
    first = open_case(world, elder)
    with pytest.raises(ValidationError) as exc:
        open_case(
            world, elder, actor=world.users.station_a, unit=world.station_a, case_worker=world.sw_a
        )
    assert first.number in str(exc.value.message_dict["client"])
    # The station's worker may run a case for a room's client at the station.
    services.case_request_closure(
        case=first, actor=world.users.room_a1, reason="other", note="测试"
    )
    services.case_decide_closure(case=first, actor=world.users.station_a, approve=True)
    open_case(
        world, elder, actor=world.users.station_a, unit=world.station_a, case_worker=world.sw_a
    )


def test_api_walks_the_case_and_is_scoped(world, elder):
    room = api_for(world.users.room_a1)
    opened = room.post(
        "/api/v1/cases/",
        {
            "client": elder.pk,
            "unit": world.room_a1.pk,
            "case_worker": world.cw_a1.pk,
            "opened_on": str(localdate()),
            "source": "visit",
            "presenting_problem": "独居老人，需要照料",
        },
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    pk = opened.json()["id"]
    bad = room.post(f"/api/v1/cases/{pk}/assess/", {"needs": [], "risk_tier": "x"}, format="json")
    assert bad.status_code == 400 and {"risk_tier", "assessment"} <= set(bad.json())
    early = room.post(
        f"/api/v1/cases/{pk}/plan/",
        {"goals": ["目标"], "review_on": str(localdate())},
        format="json",
    )
    assert early.status_code == 400 and "stage" in early.json()
    assessed = room.post(
        f"/api/v1/cases/{pk}/assess/",
        {
            "needs": ["elderly"],
            "risk_tier": "key",
            "assessment": "需要生活照料",
            "assessed_on": str(localdate()),
        },
        format="json",
    )
    assert assessed.status_code == 200 and assessed.json()["stage"] == "planning"
    planned = room.post(
        f"/api/v1/cases/{pk}/plan/",
        {
            "goals": ["每周探访一次"],
            "review_on": str(localdate() + datetime.timedelta(days=14)),
            "planned_items": [ServiceItem.objects.filter(field__code="elderly").first().pk],
        },
        format="json",
    )
    assert planned.status_code == 200 and planned.json()["goals"][0]["text"] == "每周探访一次"
    record = room.post(
        "/api/v1/service-records/",
        {
            "unit": world.room_a1.pk,
            "served_on": str(localdate()),
            "duration_minutes": 30,
            "method": "casework",
            "field": "elderly",
            "clients": [elder.pk],
            "case": pk,
        },
        format="json",
    )
    assert record.status_code == 201 and record.json()["case"] == pk
    closing = room.post(f"/api/v1/cases/{pk}/request-closure/", {"reason": "moved"}, format="json")
    assert closing.status_code == 200 and closing.json()["stage"] == "closing"
    assert room.post(f"/api/v1/cases/{pk}/decide-closure/", {"approve": True}).status_code == 403
    station = api_for(world.users.station_a)
    done = station.post(f"/api/v1/cases/{pk}/decide-closure/", {"approve": True})
    assert done.status_code == 200 and done.json()["stage"] == "closed"
    # Scope: the next town sees nothing and gets 404, the centre sees it.
    other = api_for(world.users.station_b)
    assert other.get("/api/v1/cases/").json()["results"] == []
    assert other.get(f"/api/v1/cases/{pk}/").status_code == 404
    assert other.post(f"/api/v1/cases/{pk}/assess/", {}).status_code == 404
    assert [
        c["id"] for c in api_for(world.users.district).get("/api/v1/cases/").json()["results"]
    ] == [pk]
    assert api_for(world.users.sysadmin).get("/api/v1/cases/").json()["results"] == []


def test_pages_open_a_case_record_a_service_and_approve(world, elder, client):
    client.force_login(world.users.room_a1)
    page = client.get(f"/clients/{elder.pk}/open-case/")
    assert page.status_code == 200
    bad = client.post(f"/clients/{elder.pk}/open-case/", {"unit": world.room_a1.pk})
    assert bad.status_code == 200 and "presenting_problem" in bad.context["form"].errors
    response = client.post(
        f"/clients/{elder.pk}/open-case/",
        {
            "unit": world.room_a1.pk,
            "case_worker": world.cw_a1.pk,
            "opened_on": str(localdate()),
            "source": "visit",
            "presenting_problem": "独居，需要照料",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    early = client.post(f"/cases/{case.pk}/evaluate/", {"evaluation": "x"})
    assert early.status_code == 302 and Case.objects.get().stage == Stage.INTAKE
    missing = client.post(f"/cases/{case.pk}/assess/", {"risk_tier": "key"})
    assert missing.status_code == 400 and "needs" in missing.context["forms"]["assess"].errors
    client.post(
        f"/cases/{case.pk}/assess/",
        {
            "needs": [elderly().pk],
            "risk_tier": "key",
            "assessment": "需要照料",
            "assessed_on": str(localdate()),
        },
    )
    client.post(
        f"/cases/{case.pk}/plan/",
        {"goals": "安装扶手\n每周电话", "review_on": str(localdate() + datetime.timedelta(days=7))},
    )
    assert Case.objects.get().stage == Stage.INTERVENTION
    form = client.get(f"/cases/{case.pk}/record-service/").context["form"]
    assert form.initial["case"] == case.pk and form.initial["clients"] == [elder.pk]
    client.post(f"/cases/{case.pk}/request_closure/", {"reason": "withdrew"})
    detail = client.get(f"/cases/{case.pk}/")
    assert "approve_closure" in detail.context["forms"] and not detail.context["can_approve"]
    client.force_login(world.users.station_a)
    listing = client.get("/cases/")
    assert [c.pk for c in listing.context["awaiting"]] == [case.pk]
    client.post(f"/cases/{case.pk}/approve_closure/", {"note": ""})
    assert Case.objects.get().stage == Stage.CLOSED
    assert client.get("/cases/", {"stage": "closed"}).context["page"].object_list[0] == case
    client.force_login(world.users.station_b)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/assess/").status_code == 404


def test_an_accepted_referral_moves_the_case_and_the_station_assigns_its_worker(world, elder):
    from shegong.referrals import services as referrals

    case = open_case(world, elder)
    room = {"actor": world.users.room_a1, "client": elder, "from_unit": world.room_a1}
    outside = ReferralFactory(
        **room, external_kind="hospital", external_name="区人民医院", reason="需要就医评估"
    )
    referrals.referral_transition(referral=outside, to_status="accepted", actor=world.users.room_a1)
    assert Case.objects.get().unit == world.room_a1  # an outside body takes no case
    up = ReferralFactory(**room, to_unit=world.station_a, reason="需要专业社工介入")
    referrals.referral_transition(referral=up, to_status="accepted", actor=world.users.station_a)
    case.refresh_from_db()
    assert case.unit == world.station_a and case.referral == up
    assert case.events.last().kind == CaseEvent.Kind.TRANSFERRED
    with pytest.raises(PermissionDenied):  # the room no longer holds it
        services.case_reassign(case=case, actor=world.users.room_a1, case_worker=world.cw_a1)
    with pytest.raises(ValidationError) as exc:
        services.case_reassign(case=case, actor=world.users.station_a, case_worker=world.cw_b1)
    assert "case_worker" in exc.value.message_dict
    case = services.case_reassign(case=case, actor=world.users.station_a, case_worker=world.sw_a)
    assert case.case_worker == world.sw_a
    assert case.events.last().kind == CaseEvent.Kind.REASSIGNED


def test_the_timeline_orders_steps_by_the_day_they_took_effect(world, elder):
    from shegong.cases.selectors import timeline

    case = open_case(world, elder, opened_on=localdate() - datetime.timedelta(days=10))
    case = services.case_assess(
        case=case,
        actor=world.users.room_a1,
        needs=[elderly()],
        risk_tier="key",
        assessment="需要照料",
        assessed_on=localdate() - datetime.timedelta(days=9),
    )
    ServiceRecordFactory(
        actor=world.users.room_a1,
        unit=world.room_a1,
        served_on=localdate() - datetime.timedelta(days=5),
        duration_minutes=30,
        clients=[elder],
        case=case,
    )
    through_plan(world, case)  # assessed again and planned today
    kinds = [row["kind"] == "service" or row["label"] for row in timeline(case)]
    assert kinds == [
        "case opened",
        "assessment recorded",
        True,
        "assessment recorded",
        "plan recorded",
    ]
