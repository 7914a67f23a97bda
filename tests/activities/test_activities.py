"""Group work and community activities (MZ/T 095-2017): stages, sessions as service records,
participants, evaluation; API and pages scoped."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from shegong.activities import selectors, services
from shegong.activities.models import Activity, Status
from shegong.records.models import ServiceField, ServiceRecord
from tests.activities.factories import ActivityFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, api_for
from tests.integration.test_pages import read_sheet

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def week_ago():
    return localdate() - datetime.timedelta(days=7)


def plan_group(world, members=(), **overrides):
    """Station A's six-session children's group, led by its social worker, from a week ago."""
    data = {"actor": world.users.station_a, "unit": world.station_a, "leader": world.sw_a}
    return ActivityFactory(members=members, **{**data, **overrides})


def hold(world, group, served_on=None, duration_minutes=90, **extra):
    """Station A records a session of ``group`` (today, 90 minutes unless told)."""
    return services.session_add(
        activity=group,
        actor=world.users.station_a,
        served_on=served_on or localdate(),
        duration_minutes=duration_minutes,
        **extra,
    )


def evaluate(world, group, **extra):
    data = {"evaluation": "小组总结", "evaluated_on": localdate(), "goals_met": "fully"}
    return services.activity_evaluate(
        activity=group, actor=world.users.station_a, **{**data, **extra}
    )


def test_a_group_from_plan_through_sessions_to_evaluation(world):
    kids = [make(world, name=n, village=VILLAGE_A1) for n in ("小明", "小红")]
    stranger = make(world, name="小刚", village=VILLAGE_A2)
    group = plan_group(world, members=kids)
    assert group.status == Status.PLANNED
    with pytest.raises(ValidationError) as exc:  # only members attend a group
        hold(world, group, clients=[stranger])
    assert "小刚" in str(exc.value.message_dict["clients"])
    with pytest.raises(ValidationError) as exc:
        hold(world, group, served_on=week_ago() - datetime.timedelta(days=1), clients=kids)
    assert "served_on" in exc.value.message_dict
    with pytest.raises(ValidationError):  # nothing held yet: nothing to evaluate
        evaluate(world, group)
    record = hold(
        world, group, served_on=week_ago(), clients=kids, other_participants=1, notes="破冰"
    )
    assert record.method == "group" and record.unit == world.station_a
    assert list(record.workers.all()) == [world.sw_a]
    services.activity_enrol(activity=group, actor=world.users.station_a, members=[stranger])
    hold(world, group, clients=[kids[0], stranger])
    group.refresh_from_db()
    assert group.status == Status.RUNNING
    assert selectors.attendance(group) == {
        "sessions": 2,
        "attendances": 5,
        "registered_people": 3,
        "other_residents": 1,
    }
    with pytest.raises(ValidationError) as exc:
        evaluate(world, group, evaluated_on=week_ago(), satisfaction=6)
    assert {"evaluated_on", "satisfaction"} <= set(exc.value.message_dict)
    group = evaluate(world, group, evaluation="组员自信提升", goals_met="partly", satisfaction=4.5)
    assert group.status == Status.EVALUATED
    with pytest.raises(ValidationError):  # an ended group holds no more sessions
        hold(world, group, duration_minutes=60)
    with pytest.raises(ValidationError):
        services.activity_cancel(activity=group, actor=world.users.station_a, reason="取消")


def test_community_activity_counts_residents_and_members_must_live_in_the_area(world):
    outsider = make(world, name="回兴居民", village=VILLAGE_B1)
    with pytest.raises(ValidationError) as exc:
        plan_group(world, members=[outsider])
    assert "members" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        plan_group(world, actor=world.users.station_b)
    assert "unit" in exc.value.message_dict
    fair = plan_group(world, kind="community", title="重阳节敬老活动")
    neighbour = make(world, name="张爷爷", village=VILLAGE_A2)
    record = services.session_add(
        activity=fair,
        actor=world.users.station_a,
        served_on=localdate(),
        duration_minutes=120,
        clients=[neighbour],
        other_participants=80,
    )
    assert record.method == "community" and record.other_participants == 80
    cancelled = plan_group(world, title="取消的小组")
    with pytest.raises(ValidationError) as exc:
        services.activity_cancel(activity=cancelled, actor=world.users.station_a, reason="")
    assert "reason" in exc.value.message_dict
    services.activity_cancel(activity=cancelled, actor=world.users.station_a, reason="报名不足")
    assert Activity.objects.get(pk=cancelled.pk).status == Status.CANCELLED


def test_api_plans_records_sessions_and_is_scoped(world):
    kid = make(world, name="小明", village=VILLAGE_A1)
    station = api_for(world.users.station_a)
    bad = station.post("/api/v1/activities/", {"kind": "group", "field": "nope"}, format="json")
    assert bad.status_code == 400 and {"field", "unit", "title"} <= set(bad.json())
    made = station.post(
        "/api/v1/activities/",
        {
            "kind": "group",
            "unit": world.station_a.pk,
            "title": "亲子小组",
            "field": "children",
            "leader": world.sw_a.pk,
            "needs": "亲子沟通少",
            "goals": "改善亲子关系",
            "planned_sessions": 4,
            "start_on": str(week_ago()),
            "members": [kid.pk],
            "target_groups": ["liushou_ertong"],
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    session = station.post(
        f"/api/v1/activities/{pk}/sessions/",
        {"served_on": str(localdate()), "duration_minutes": 90, "clients": [kid.pk]},
        format="json",
    )
    assert session.status_code == 201 and session.json()["activity"] == pk
    got = station.get(f"/api/v1/activities/{pk}/").json()
    assert got["status"] == "running" and got["sessions"] == 1
    ended = station.post(
        f"/api/v1/activities/{pk}/evaluate/",
        {"evaluation": "亲子关系改善", "evaluated_on": str(localdate()), "goals_met": "fully"},
        format="json",
    )
    assert ended.status_code == 200 and ended.json()["status"] == "evaluated"
    again = station.post(f"/api/v1/activities/{pk}/cancel/", {"reason": "测试"})
    assert again.status_code == 400
    other = api_for(world.users.station_b)
    assert other.get("/api/v1/activities/").json()["results"] == []
    assert other.get(f"/api/v1/activities/{pk}/").status_code == 404
    assert other.post(f"/api/v1/activities/{pk}/sessions/", {}).status_code == 404
    room = api_for(world.users.room_a1)  # the station's activity is above the room's area
    assert room.get(f"/api/v1/activities/{pk}/").status_code == 404
    assert api_for(world.users.district).get(f"/api/v1/activities/{pk}/").status_code == 200


def test_pages_plan_a_group_enrol_and_record_a_session(world, client):
    kid = make(world, name="小明", village=VILLAGE_A1)
    client.force_login(world.users.station_a)
    children = ServiceField.objects.get(code="children")
    bad = client.post("/activities/new/", {"kind": "group", "unit": world.station_a.pk})
    assert bad.status_code == 200 and "title" in bad.context["form"].errors
    response = client.post(
        "/activities/new/",
        {
            "kind": "group",
            "unit": world.station_a.pk,
            "title": "成长小组",
            "field": children.pk,
            "leader": world.sw_a.pk,
            "needs": "缺少陪伴",
            "goals": "提升自信",
            "planned_sessions": 6,
            "start_on": str(week_ago()),
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == f"/activities/{activity.pk}/"
    assert (
        client.post(f"/activities/{activity.pk}/members/", {"members": [kid.pk]}).status_code == 302
    )
    bad_session = client.post(
        f"/activities/{activity.pk}/sessions/",
        {"served_on": str(localdate()), "duration_minutes": ""},
    )
    assert bad_session.status_code == 400
    assert "duration_minutes" in bad_session.context["session_form"].errors
    client.post(
        f"/activities/{activity.pk}/sessions/",
        {
            "served_on": str(localdate()),
            "duration_minutes": 90,
            "clients": [kid.pk],
            "other_participants": 2,
            "notes": "破冰游戏",
        },
    )
    page = client.get(f"/activities/{activity.pk}/")
    assert page.context["totals"]["attendances"] == 3
    assert ServiceRecord.objects.get().activity == activity
    rows = read_sheet(client.get("/activities/", {"export": "xlsx"}))
    assert rows[2][1] == "成长小组" and rows[2][7] == 1
    client.force_login(world.users.station_b)
    assert client.get(f"/activities/{activity.pk}/").status_code == 404
    assert client.post(f"/activities/{activity.pk}/sessions/", {}).status_code == 404
