"""Coverage and compliance figures against hand-computed expectations on the small world.

World (see conftest): town A (18 villages) has station A (est. 2021-06-01, operating
2022-03-01, social worker from 2021-07-01), room A1 (est. 2021-09-01, operating 2022-05-01,
assistant-certified worker since 2020) and room A2 (est. 2021-10-01, uncertified mediator).
Town B (17 villages) has station B (est. 2022-03-01, no social worker) and room B1
(est. 2022-01-10, worker certified in 2023).
"""

import datetime

import pytest

from shegong.cockpit.coverage import coverage_drilldown, coverage_report
from shegong.divisions.models import Division
from shegong.network.models import UnitStatus
from tests.conftest import TOWN_A, TOWN_B, D

pytestmark = pytest.mark.django_db


def town(report, code):
    return next(t for t in report.towns if t.code == code)


def test_figures_per_town_today(world):
    report = coverage_report(world.users.district, D(2024, 6, 30))
    a, b = town(report, TOWN_A), town(report, TOWN_B)
    villages_a = Division.objects.filter(code__startswith=TOWN_A, level=12).count()
    assert (a.villages, a.station_established, a.station_operating) == (villages_a, 1, 1)
    assert (a.station_social_worker, a.rooms_established, a.rooms_operating) == (1, 2, 1)
    assert (a.rooms_certified, a.rooms_uncertified, a.units_operating) == (1, 1, 2)
    assert (b.station_established, b.station_operating, b.station_social_worker) == (1, 0, 0)
    assert (b.rooms_established, b.rooms_certified) == (1, 1)  # certified in 2023
    assert len(report.towns) == 30
    assert report.total.station_established == 2
    assert report.total.villages == 412
    assert report.center_established and report.center_operating


def test_figures_at_an_earlier_date(world):
    report = coverage_report(world.users.district, D(2021, 12, 31))
    a, b = town(report, TOWN_A), town(report, TOWN_B)
    assert (a.station_established, a.station_operating, a.rooms_established) == (1, 0, 2)
    assert (b.station_established, b.rooms_established) == (0, 0)
    # B1's worker was certified in 2023, so not yet in 2022.
    b_2022 = town(coverage_report(world.users.district, D(2022, 12, 31)), TOWN_B)
    assert (b_2022.rooms_established, b_2022.rooms_certified) == (1, 0)


def test_milestones_are_behind_where_coverage_is_incomplete(world):
    report = coverage_report(world.users.district, D(2024, 1, 31))
    states = {m["key"]: m["state"] for m in report.milestones}
    assert states == {"coverage": "behind", "operating": "behind"}
    assert town(report, TOWN_A).milestones["coverage"] == "behind"  # 2 of 18 rooms
    early = coverage_report(world.users.district, D(2021, 6, 30))
    assert {m["state"] for m in early.milestones} == {"not_yet_due"} or all(
        m["state"] == "on_track" for m in early.milestones
    )


def test_milestone_met_late_when_reached_after_the_due_date(world):
    # A town with one village would be too convenient; check the state function directly.
    from shegong.cockpit.coverage import _milestone_state

    due = D(2021, 12, 31)
    assert _milestone_state(True, True, D(2024, 1, 1), due) == "met"
    assert _milestone_state(False, True, D(2024, 1, 1), due) == "late"
    assert _milestone_state(False, False, D(2024, 1, 1), due) == "behind"
    assert _milestone_state(False, False, D(2021, 6, 1), due) == "on_track"


def test_closed_unit_no_longer_counts_after_closing(world):
    from shegong.network.services import unit_transition

    unit_transition(
        unit=world.room_a2, to_status=UnitStatus.CLOSED, effective_on=D(2023, 1, 1), actor=None
    )
    assert (
        town(coverage_report(world.users.district, D(2022, 12, 31)), TOWN_A).rooms_established == 2
    )
    assert town(coverage_report(world.users.district, D(2023, 1, 1)), TOWN_A).rooms_established == 1


def test_ended_posting_removes_the_social_worker(world):
    from shegong.people.services import assignment_end

    assignment_end(assignment=world.sw_a.assignments.get(), end_on=D(2023, 1, 1), actor=None)
    assert (
        town(coverage_report(world.users.district, D(2023, 1, 1)), TOWN_A).station_social_worker
        == 1
    )
    assert (
        town(coverage_report(world.users.district, D(2023, 1, 2)), TOWN_A).station_social_worker
        == 0
    )


def test_every_figure_drills_down_to_its_units(world):
    user, day = world.users.district, D(2024, 6, 30)
    report = coverage_report(user, day)
    a = town(report, TOWN_A)
    pairs = {
        "rooms_established": a.rooms_established,
        "rooms_operating": a.rooms_operating,
        "rooms_certified": a.rooms_certified,
        "rooms_uncertified": a.rooms_uncertified,
        "stations_established": a.station_established,
        "stations_operating": a.station_operating,
        "units_operating": a.units_operating,
        "villages": a.villages,
        "villages_without_room": a.villages - a.rooms_established,
    }
    for metric, figure in pairs.items():
        assert coverage_drilldown(user, day, metric, TOWN_A).count() == figure, metric
    assert list(coverage_drilldown(user, day, "rooms_uncertified", TOWN_A)) == [world.room_a2]
    assert list(coverage_drilldown(user, day, "stations_without_social_worker")) == [
        world.station_b
    ]
    assert coverage_drilldown(user, day, "rooms_established").count() == (
        report.total.rooms_established
    )


def test_station_sees_only_its_town(world):
    report = coverage_report(world.users.station_a, datetime.date(2024, 6, 30))
    assert [t.code for t in report.towns] == [TOWN_A]
    assert report.total.rooms_established == 2


def test_roles_without_data_scope_see_no_towns(world):
    for user in (world.users.sysadmin, world.users.auditor, world.users.nobody):
        assert coverage_report(user, D(2024, 6, 30)).towns == []
