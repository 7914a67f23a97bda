"""Division codes: the district and town a code lies in, containment, service levels."""

import pytest

from shegong.divisions.codes import SERVICE_LEVELS, Level, covers, district_of, town_of
from shegong.divisions.models import Division

VILLAGE, TOWN, DISTRICT = "500112002001", "500112002", "500112"


def test_a_village_lies_in_its_town_and_district():
    assert town_of(VILLAGE) == TOWN
    assert district_of(VILLAGE) == DISTRICT
    assert district_of(TOWN) == DISTRICT


def test_a_code_above_the_cut_comes_back_whole():
    assert town_of(DISTRICT) == DISTRICT
    assert town_of(TOWN) == TOWN
    assert district_of(DISTRICT) == DISTRICT


def test_covers_is_the_same_division_or_one_inside_it():
    assert covers(DISTRICT, VILLAGE)
    assert covers(TOWN, TOWN)
    assert not covers(VILLAGE, TOWN)
    assert not covers("500113", VILLAGE)


@pytest.mark.django_db
def test_service_levels_are_active_district_town_and_village_divisions():
    levels = set(Division.objects.service_levels().values_list("level", flat=True))
    assert levels == set(SERVICE_LEVELS) == {Level.DISTRICT, Level.TOWN, Level.VILLAGE}
    Division.objects.filter(code=VILLAGE).update(is_active=False)
    assert not Division.objects.service_levels().filter(code=VILLAGE).exists()
    assert not Division.objects.at_level(Level.VILLAGE).filter(code=VILLAGE).exists()
    assert Division.objects.at_level(Level.TOWN).filter(code=TOWN).exists()
