"""Merging a likely duplicate keeps every visit, group and history entry, and leaves
nothing on the hidden record: every relation to Client moves, each row with a history row."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from shegong.clients import services
from shegong.clients.models import Client, TargetGroup
from tests.activities.factories import ActivityFactory
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import ID_1, make
from tests.conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.records.factories import ServiceRecordFactory
from tests.referrals.factories import ReferralFactory
from tests.visits.factories import VisitFactory

pytestmark = pytest.mark.django_db


def twins(world, second_village=VILLAGE_A2):
    keep = make(world, name="李四", number=ID_1, phone="13800000000")
    drop = make(world, name="李四", village=second_village, health_notes="高血压")
    Client.objects.filter(pk=drop.pk).update(birth_date=keep.birth_date)
    drop.refresh_from_db()
    drop.memberships.create(group=TargetGroup.objects.get(code="tekun"), source="特困名册")
    VisitFactory(
        client=drop,
        actor=world.users.district,
        visited_on=datetime.date(2025, 6, 1),
        mode="in_person",
    )
    return keep, drop


def test_merge_moves_everything_and_keeps_the_duplicate_out_of_lists(world, client):
    keep, drop = twins(world)
    client.force_login(world.users.station_a)
    page = client.get(f"/clients/{keep.pk}/")
    assert list(page.context["duplicates"]) == [drop]
    response = client.post(f"/clients/{keep.pk}/merge/{drop.pk}/")
    assert response.status_code == 302
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert drop.merged_into == keep
    assert keep.visits.count() == 1 and keep.memberships.get().group.code == "tekun"
    assert keep.health_notes == "高血压" and keep.last_visited_on == datetime.date(2025, 6, 1)
    assert drop.history.count() >= 2  # the merged record keeps its history
    listed = {c.pk for c in client.get("/clients/").context["page"].object_list}
    assert keep.pk in listed and drop.pk not in listed
    assert client.get(f"/clients/{drop.pk}/").status_code == 404


def test_merge_refused_across_scope_or_between_two_ids(world, client):
    keep, drop = twins(world, second_village=VILLAGE_B1)
    client.force_login(world.users.station_a)
    assert client.post(f"/clients/{keep.pk}/merge/{drop.pk}/").status_code == 404
    other = make(world, name="王五", village=VILLAGE_A1, number="50011220150101003X")
    response = client.post(f"/clients/{keep.pk}/merge/{other.pk}/", follow=True)
    assert (
        "different people" in str(list(response.context["messages"]))
        or Client.objects.get(pk=other.pk).merged_into is None
    )
    assert Client.objects.get(pk=other.pk).merged_into is None


def open_case(world, client):
    return CaseFactory(
        client=client, actor=world.users.room_a1, unit=world.room_a1, case_worker=world.cw_a1
    )


def related_rows(world, drop):
    """One row of every relation to Client, on ``drop``, by accessor name."""
    users = world.users
    merged_earlier = make(world, name="李四", id_missing_reason="重复登记")
    Client.objects.filter(pk=merged_earlier.pk).update(merged_into=drop)
    return {
        "merged": merged_earlier,
        "memberships": drop.memberships.get(),
        "consents": services.consent_add(
            client=drop,
            given_by="李大",
            relation="parent",
            purpose="建档与服务",
            given_on=localdate(),
            actor=users.station_a,
        ),
        "alerts": services.risk_alert_raise(client=drop, actor=users.station_a, reason="独居"),
        "household": services.household_add(
            client=drop, actor=users.station_a, name="李大", relation="儿子"
        ),
        "visits": drop.visits.get(),
        "referrals": ReferralFactory(
            actor=users.room_a1, client=drop, from_unit=world.room_a1, to_unit=world.station_a
        ),
        "cases": open_case(world, drop),
        "activities": ActivityFactory(
            actor=users.station_a, unit=world.station_a, leader=world.sw_a, members=[drop]
        ),
        "service_records": ServiceRecordFactory(
            actor=users.room_a1, unit=world.room_a1, clients=[drop]
        ),
    }


@pytest.mark.date_sensitive
def test_merge_leaves_nothing_on_the_hidden_record_and_writes_history(world):
    keep, drop = twins(world, second_village=VILLAGE_A1)
    rows = related_rows(world, drop)
    relations = {r.get_accessor_name(): r for r in Client._meta.related_objects}
    # A new relation to Client must be added here (and is then moved by the merge).
    assert set(rows) == set(relations)
    actor = world.users.station_a
    services.client_merge(keep=keep, drop=drop, actor=actor)
    for accessor, relation in relations.items():
        model, name = relation.related_model, relation.field.name
        assert not model._base_manager.filter(**{name: drop}).exists(), accessor
        row = model._base_manager.get(pk=rows[accessor].pk)
        if relation.many_to_many:
            assert keep in getattr(row, name).all(), accessor
        else:
            assert getattr(row, name) == keep, accessor
        latest = row.history.first()
        assert latest.history_user == actor, accessor
        assert f"client {drop.pk} merged into client {keep.pk}" in latest.history_change_reason
    assert keep.cases.open().count() == 1  # the open case followed the person
    drop.refresh_from_db()
    assert drop.merged_into == keep and drop.history.first().history_user == actor


@pytest.mark.date_sensitive
def test_two_open_cases_are_refused_and_nothing_moves(world, client):
    keep, drop = twins(world, second_village=VILLAGE_A1)
    open_case(world, keep)
    case = open_case(world, drop)
    with pytest.raises(ValidationError) as exc:
        services.client_merge(keep=keep, drop=drop, actor=world.users.station_a)
    assert list(exc.value.message_dict) == ["drop"]
    client.force_login(world.users.station_a)
    response = client.post(f"/clients/{keep.pk}/merge/{drop.pk}/", follow=True)
    assert "个案" in str(list(response.context["messages"]))  # the page speaks zh-hans
    drop.refresh_from_db()
    case.refresh_from_db()
    assert drop.merged_into is None and case.client == drop
    assert drop.visits.count() == 1 and drop.memberships.count() == 1
