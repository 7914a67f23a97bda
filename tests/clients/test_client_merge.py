"""Merging a likely duplicate keeps every visit, group and history entry."""

import datetime

import pytest

from shegong.clients.models import Client, TargetGroup
from tests.clients.test_clients import ID_1, make
from tests.conftest import VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
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
