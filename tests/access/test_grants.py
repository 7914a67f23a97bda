"""A unit-scoped role is granted on a unit at its own level of the district."""

import pytest
from django.core.exceptions import ValidationError

from shegong.access import services
from shegong.access.models import Role
from tests.access.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "unit_name", "ok"),
    [
        (Role.DISTRICT_ADMIN, "center", True),
        (Role.DISTRICT_ADMIN, "station_a", False),
        (Role.STATION_STAFF, "station_a", True),
        (Role.STATION_STAFF, "room_a1", False),
        (Role.ROOM_WORKER, "room_a1", True),
        (Role.ROOM_WORKER, "center", False),
        (Role.AUDIT_ADMIN, "room_a1", False),
    ],
)
def test_a_role_is_granted_on_a_unit_of_its_level(world, role, unit_name, ok):
    user = UserFactory()
    unit = getattr(world, unit_name)
    if ok:
        assert services.grant_add(user=user, role=role, unit=unit, actor=None).unit == unit
    else:
        with pytest.raises(ValidationError) as refused:
            services.grant_add(user=user, role=role, unit=unit, actor=None)
        assert list(refused.value.message_dict) == ["unit"]
