"""Something on every demo workbench (issue 10 item 1): the demo room's own cases (one
past its review date, one whose early closure waits for the station), its services this
month, and an evaluation assigned to the evaluator and not yet scored."""

import datetime

from django.core.exceptions import ValidationError

from shegong.access.models import Role, RoleGrant
from shegong.cases import services as case_services
from shegong.clients.models import Client
from shegong.people.models import Assignment
from shegong.purchasing import services as purchasing_services
from shegong.purchasing.models import Evaluation, Project, Stage
from shegong.records.models import Method, ServiceField
from shegong.records.services import service_record_create

from .context import Demo

DAY = datetime.timedelta(days=1)


def seed_room_work(demo: Demo, admin) -> None:
    grant = (
        RoleGrant.objects.filter(role=Role.ROOM_WORKER, user__username="room")
        .select_related("unit", "user")
        .first()
    )
    if grant is None:
        return
    room, actor = grant.unit, grant.user
    posting = Assignment.objects.active_on(demo.today).filter(unit=room).first()
    clients = list(
        Client.objects.filter(division_id=room.division_id, merged_into=None)
        .exclude(cases__isnull=False)
        .order_by("-risk_tier", "id")[:2]
    )
    if posting is None or not clients:
        return
    field = ServiceField.objects.get(code="elderly")
    today = demo.today
    for k, client in enumerate(clients):
        case = case_services.case_open(
            actor=actor,
            client=client,
            unit=room,
            case_worker=posting.worker,
            opened_on=today - (40 + 10 * k) * DAY,
            source="visit",
            presenting_problem="独居老人行动不便，近期情绪低落，子女少有探望",
        )
        case = case_services.case_assess(
            case=case,
            actor=actor,
            needs=[field],
            risk_tier=client.risk_tier,
            assessment="入户评估：日常照料与情绪支持需求明显",
            assessed_on=case.opened_on + 3 * DAY,
        )
        if k == 0:
            case_services.case_plan(
                case=case,
                actor=actor,
                goals=["每周电话问候一次", "链接助餐服务"],
                plan="个案辅导结合资源链接",
                planned_items=list(field.items.all()[:1]),
                review_on=today - 2 * DAY,  # past: the workbench flags it
            )
        else:
            case_services.case_request_closure(
                case=case, actor=actor, reason="moved", note="随子女迁居外区"
            )
    if len(clients) < 2:
        _closure_for_the_station(room, admin)
    served_on = max(today.replace(day=1), today - 2 * DAY)
    for minutes, method in ((45, Method.VISIT), (30, Method.PHONE)):
        service_record_create(
            actor=actor,
            unit=room,
            served_on=served_on,
            duration_minutes=minutes,
            method=method,
            field=field,
            clients=[clients[0]],
            workers=[posting.worker],
            notes="上门探访，了解近况",
        )


def _closure_for_the_station(room, admin) -> None:
    """A case of the room's town left at intake, its early closure asked for by the centre:
    the station approves it."""
    from shegong.cases.models import Case
    from shegong.cases.models import Stage as CaseStage

    town = room.division_id[:9]
    case = (
        Case.objects.filter(stage=CaseStage.INTAKE, unit__division__code__startswith=town)
        .order_by("pk")
        .first()
    )
    if case is not None:
        case_services.case_request_closure(
            case=case, actor=admin, reason="moved", note="随子女迁居外区"
        )


def seed_evaluation_to_score(demo: Demo, admin, evaluator) -> None:
    """A contracted project without a mid-term evaluation gets one, assigned and not scored."""
    project = (
        Project.objects.filter(stage=Stage.CONTRACTED)
        .exclude(evaluations__kind="mid")
        .order_by("start_on", "pk")
        .first()
    )
    if project is None or Evaluation.objects.filter(evaluator=evaluator, status="assigned"):
        return
    try:
        purchasing_services.evaluation_assign(
            project=project,
            actor=admin,
            kind="mid",
            evaluator=evaluator,
            evaluator_body="重庆市某社会工作评估中心",
        )
    except ValidationError:
        pass  # the project's rules refuse it today: the evaluator's list stays empty


def seed_workbench(demo: Demo, admin, evaluator) -> None:
    seed_room_work(demo, admin)
    seed_evaluation_to_score(demo, admin, evaluator)
