"""The stations' casework: cases at every stage, their services, and group and community
activities."""

import datetime

from shegong.access.models import Role, RoleGrant
from shegong.activities import services as activity_services
from shegong.activities.models import Kind as ActivityKind
from shegong.cases import services as case_services
from shegong.clients.models import Client
from shegong.network.models import UnitKind
from shegong.people.models import Assignment
from shegong.records.models import Method, ServiceField
from shegong.records.services import service_record_create

from .context import Demo

PROBLEMS = [
    # presenting problem, goals of the plan
    ("独居老人近期跌倒，情绪低落，子女在外务工", ["安装扶手等适老化改造", "每周电话问候一次"]),
    ("留守儿童学业下滑，与祖辈沟通困难", ["每两周学业辅导一次", "改善隔代沟通"]),
    ("低保家庭主要劳动力患病，经济压力大", ["链接临时救助", "协助申请医疗救助"]),
]
CASE_STATIONS = 6  # cases in the first six stations, five each
ACTIVITY_STATIONS = 8  # a group and a community activity in the first eight


def station_staff(demo: Demo):
    """Each operating station with a worker posted there today and an account to act as:
    the station's own, else the district administrator's."""
    fallback = RoleGrant.objects.filter(role=Role.DISTRICT_ADMIN).select_related("user").first()
    stations = demo.units(UnitKind.STATION)
    for station in stations:
        posting = Assignment.objects.active_on(demo.today).filter(unit=station).first()
        grant = RoleGrant.objects.filter(role=Role.STATION_STAFF, unit=station).first()
        if posting:
            yield station, posting.worker, (grant or fallback).user


def seed_cases(demo: Demo, funding) -> None:
    """Five cases in each of the first stations, one at each stage from intake to closed;
    closing is approved by the centre."""
    approver = RoleGrant.objects.filter(role=Role.DISTRICT_ADMIN).select_related("user").first()
    fields = list(ServiceField.objects.filter(code__in=["elderly", "children", "assistance"]))
    for s_index, (station, worker, actor) in enumerate(station_staff(demo)):
        if s_index >= CASE_STATIONS:
            break
        clients = Client.objects.filter(
            division__code__startswith=station.division_id, merged_into=None
        ).order_by("risk_tier", "id")[:5]
        for c_index, client in enumerate(clients):
            staff = (station, worker, actor, approver)
            _case(demo, staff, client, c_index, fields[c_index % len(fields)], funding)


def _case(demo: Demo, staff, client, c_index, field, funding) -> None:
    """A case taken as far as its place in the station's five: left at intake, waiting for
    its plan, in intervention, evaluated, closed."""
    rng, today = demo.rng, demo.today
    station, worker, actor, approver = staff
    problem, goals = PROBLEMS[c_index % len(PROBLEMS)]
    opened = today - datetime.timedelta(days=rng.randint(60, 300))
    case = case_services.case_open(
        actor=actor,
        client=client,
        unit=station,
        case_worker=worker,
        opened_on=opened,
        source=rng.choice(["visit", "referral", "self", "roster"]),
        presenting_problem=problem,
    )
    if c_index == 0:
        return  # left at intake
    case = case_services.case_assess(
        case=case,
        actor=actor,
        needs=[field],
        risk_tier=client.risk_tier,
        assessment="与服务对象及家属面谈，评估其生活照料与情绪支持需求",
        assessed_on=opened + datetime.timedelta(days=3),
    )
    if c_index == 1:
        return  # waiting for its plan
    case = case_services.case_plan(
        case=case,
        actor=actor,
        goals=goals,
        plan="个案辅导结合资源链接，每月复核",
        planned_items=list(field.items.all()[:2]),
        review_on=opened + datetime.timedelta(days=90),
    )
    _case_services(demo, case, client, field, staff, funding)
    if c_index == 2:
        return  # in intervention
    case = case_services.case_evaluate(
        case=case,
        actor=actor,
        evaluation="服务对象生活状况改善，支持网络建立",
        evaluated_on=today - datetime.timedelta(days=5),
        goals_met={g.pk for g in case.goals.all()[: 2 if c_index == 4 else 1]},
        satisfaction=rng.choice([4, 5]),
    )
    can_approve = approver and approver.user_id != actor.pk
    if c_index == 4 and not can_approve:
        return  # evaluated: nobody else here to approve its closure
    case = case_services.case_request_closure(case=case, actor=actor, reason="goals_met")
    if c_index == 4:
        case_services.case_decide_closure(case=case, actor=approver.user, approve=True)


def _case_services(demo: Demo, case, client, field, staff, funding) -> None:
    """Two to five services a fortnight apart from the case's opening."""
    rng = demo.rng
    station, worker, actor, _approver = staff
    for k in range(rng.randint(2, 5)):
        served_on = min(demo.today, case.opened_on + datetime.timedelta(days=10 + 14 * k))
        service_record_create(
            actor=actor,
            unit=station,
            served_on=served_on,
            duration_minutes=rng.choice([45, 60, 90]),
            method=rng.choice([Method.CASEWORK, Method.VISIT, Method.RESOURCE]),
            field=field,
            items=list(field.items.all()[:1]),
            clients=[client],
            workers=[worker],
            outcome=rng.choice(["情绪好转", "已链接资源", "家属配合良好"]),
            case=case,
            project=funding.project_for(station, served_on),
        )


def seed_activities(demo: Demo) -> None:
    """A children's or elderly people's group and a community activity at each of the
    first stations."""
    fields = {f.code: f for f in ServiceField.objects.all()}
    for s_index, (station, worker, actor) in enumerate(station_staff(demo)):
        if s_index >= ACTIVITY_STATIONS:
            break
        start = demo.today - datetime.timedelta(days=demo.rng.randint(40, 200))
        members = list(
            Client.objects.filter(division__code__startswith=station.division_id, merged_into=None)[
                :8
            ]
        )
        children = s_index % 2 == 1
        _group(demo, station, worker, actor, start, members, fields, children=children)
        _community_activity(demo, station, worker, actor, start, members, fields)


def _group(demo: Demo, station, worker, actor, start, members, fields, *, children) -> None:
    """A six-session group; evaluated once all six are held."""
    rng, today = demo.rng, demo.today
    group = activity_services.activity_create(
        actor=actor,
        kind=ActivityKind.GROUP,
        unit=station,
        title="“快乐成长”留守儿童成长小组" if children else "“乐龄同行”老年互助小组",
        field=fields["children" if children else "elderly"],
        leader=worker,
        needs="服务对象缺少陪伴与同伴支持",
        goals="增强组员的自信与互助，建立同伴支持网络",
        plan="共六节：破冰、认识自我、沟通技巧、互助实践、成果展示、告别",
        planned_sessions=6,
        start_on=start,
        members=members,
    )
    held = rng.randint(1, 6)
    for k in range(held):
        activity_services.session_add(
            activity=group,
            actor=actor,
            served_on=min(today, start + datetime.timedelta(days=7 * k)),
            duration_minutes=90,
            clients=rng.sample(members, k=min(len(members), rng.randint(4, 8))),
            notes=f"第{k + 1}节",
        )
    if held == 6:
        activity_services.activity_evaluate(
            activity=group,
            actor=actor,
            evaluation="组员之间建立起互助关系，满意度较高",
            evaluated_on=today,
            goals_met=rng.choice(["fully", "partly"]),
            satisfaction=4.5,
        )


def _community_activity(demo: Demo, station, worker, actor, start, members, fields) -> None:
    """A one-day community event with many residents besides two clients."""
    rng = demo.rng
    fair = activity_services.activity_create(
        actor=actor,
        kind=ActivityKind.COMMUNITY,
        unit=station,
        title=rng.choice(["重阳节敬老文艺汇演", "社区邻里节", "防诈骗宣传进社区"]),
        field=fields["governance"],
        leader=worker,
        needs="社区居民参与不足，邻里关系疏远",
        goals="动员居民参与，增进邻里互助",
        start_on=start,
    )
    activity_services.session_add(
        activity=fair,
        actor=actor,
        served_on=start,
        duration_minutes=150,
        clients=members[:2],
        other_participants=rng.randint(40, 150),
    )
