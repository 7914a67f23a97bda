"""The agency's write services: one credit-code rule for every door, the district only,
a history row per change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.network import services

pytestmark = pytest.mark.django_db
CODE = "52500112MJ12345673"


def test_agency_create_normalises_the_code_and_records_the_actor(world):
    agency = services.agency_create(
        actor=world.users.district, name="新机构", credit_code=f" {CODE.lower()} "
    )
    assert agency.credit_code == CODE
    assert agency.history.get().history_user == world.users.district


@pytest.mark.parametrize(
    "data, field",
    [
        ({"credit_code": "52500112MJ12345674"}, "credit_code"),  # check character
        ({"credit_code": "52500112MJ1234567"}, "credit_code"),  # length
        ({"name": "另一家社工服务中心"}, "name"),  # the world's other agency
        ({"founded": "2020"}, "founded"),  # not a field of the register
    ],
)
def test_agency_update_refuses_on_the_field(world, data, field):
    with pytest.raises(ValidationError) as exc:
        services.agency_update(agency=world.agency, actor=world.users.district, **data)
    assert field in exc.value.message_dict


def test_a_credit_code_belongs_to_one_agency(world):
    services.agency_update(agency=world.agency, actor=world.users.district, credit_code=CODE)
    with pytest.raises(ValidationError) as exc:
        services.agency_create(actor=world.users.district, name="新机构", credit_code=CODE)
    assert list(exc.value.message_dict) == ["credit_code"]


def test_only_the_district_registers_agencies(world):
    with pytest.raises(PermissionDenied):
        services.agency_create(actor=world.users.station_a, name="新机构")
    with pytest.raises(PermissionDenied):
        services.agency_update(agency=world.agency, actor=world.users.station_a, name="x")
