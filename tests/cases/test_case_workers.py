"""Who may carry a case: one rule for the open and reassign forms and the services."""

import datetime

import pytest

from shegong.cases.forms import CaseOpenForm
from shegong.cases.selectors import eligible_case_workers, may_carry_case
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1

pytestmark = pytest.mark.django_db


def test_a_room_case_may_go_to_anyone_posted_in_its_town(world):
    eligible = set(eligible_case_workers([world.room_a1]))
    # the room's own worker, the station's social worker, another room of the same town
    assert eligible == {world.cw_a1, world.sw_a, world.cw_a2}
    assert not may_carry_case(world.cw_b1, world.room_a1)
    assert not may_carry_case(world.other_worker, world.room_a1)


def test_an_ended_posting_or_an_inactive_worker_does_not_count(world):
    posting = world.cw_a2.assignments.get()
    posting.end_on = datetime.date(2024, 1, 31)
    posting.save()
    assert may_carry_case(world.cw_a2, world.room_a1, datetime.date(2024, 1, 31))
    assert not may_carry_case(world.cw_a2, world.room_a1, datetime.date(2024, 2, 1))
    world.sw_a.is_active = False
    world.sw_a.save()
    assert not may_carry_case(world.sw_a, world.room_a1)


def test_the_open_form_offers_the_workers_the_service_accepts(world):
    client = make(world, name="刘老人", village=VILLAGE_A1)
    form = CaseOpenForm(user=world.users.station_a, client=client)
    offered = set(form.fields["case_worker"].queryset)
    assert offered == set(eligible_case_workers(form.fields["unit"].queryset))
    assert world.cw_b1 not in offered
