"""等保 三员分立 in ``access.services``: nobody grants themselves a role; the system
administrator grants only the system and configuration roles and leaves the district,
security and audit administrators' accounts alone; service roles come from a district
administrator, inside its district; agency staff only for an agency serving that district."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.access import services
from shegong.access.models import Role
from tests.conftest import api_for, make_user
from tests.network.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["district_admin", "room_worker", "audit_admin", "system_admin"])
def test_system_administrator_cannot_grant_itself_a_role_through_the_api(world, role):
    me = world.users.sysadmin
    unit = world.room_a1 if role == "room_worker" else world.center
    response = api_for(me).post(f"/api/v1/users/{me.pk}/grants/", {"role": role, "unit": unit.pk})
    assert response.status_code == 403
    assert set(me.grants.values_list("role", flat=True)) == {Role.SYSTEM_ADMIN}


def test_system_administrator_cannot_grant_itself_a_role_on_the_page(world, client):
    me = world.users.sysadmin
    client.force_login(me)
    response = client.post(
        f"/accounts/{me.pk}/grants/", {"role": "district_admin", "unit": world.center.pk}
    )
    assert response.status_code == 403
    assert not me.grants.filter(role=Role.DISTRICT_ADMIN).exists()


def test_district_administrator_cannot_grant_itself_a_role(world):
    me = world.users.district
    with pytest.raises(PermissionDenied):
        services.grant_add(user=me, role=Role.AUDIT_ADMIN, unit=world.center, actor=me)


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        ("district_admin", "center"),
        ("security_admin", "center"),
        ("audit_admin", "center"),
        ("station_staff", "station_a"),
        ("room_worker", "room_a1"),
    ],
)
def test_system_administrator_grants_no_service_security_or_audit_role(world, role, unit):
    response = api_for(world.users.sysadmin).post(
        f"/api/v1/users/{world.users.nobody.pk}/grants/",
        {"role": role, "unit": getattr(world, unit).pk},
    )
    assert response.status_code == 403
    assert not world.users.nobody.grants.exists()


def test_system_administrator_grants_the_configuration_role(world):
    grant = services.grant_add(
        user=world.users.nobody,
        role=Role.CONFIG_ADMIN,
        unit=world.center,
        actor=world.users.sysadmin,
    )
    world.users.nobody.refresh_from_db()
    assert world.users.nobody.is_staff and not world.users.nobody.is_superuser
    services.grant_remove(grant=grant, actor=world.users.sysadmin)
    world.users.nobody.refresh_from_db()
    assert not world.users.nobody.is_staff


@pytest.mark.parametrize("target", ["auditor", "district"])
def test_system_administrator_cannot_reset_a_protected_password(world, target):
    account = getattr(world.users, target)
    response = api_for(world.users.sysadmin).patch(
        f"/api/v1/users/{account.pk}/", {"password": "New-Passw0rd!x"}, format="json"
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.check_password("Test-Passw0rd!")


def test_system_administrator_cannot_reset_the_auditor_password_on_the_page(world, client):
    client.force_login(world.users.sysadmin)
    response = client.post(
        f"/accounts/{world.users.auditor.pk}/password/", {"password": "New-Passw0rd!x"}
    )
    assert response.status_code == 403


def test_system_administrator_cannot_deactivate_the_auditor(world, client):
    auditor = world.users.auditor
    response = api_for(world.users.sysadmin).patch(
        f"/api/v1/users/{auditor.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 403
    client.force_login(world.users.sysadmin)
    page = client.post(
        f"/accounts/{auditor.pk}/edit/",
        {"display_name": "x", "email": "", "division": auditor.division_id},
    )
    assert page.status_code == 403
    auditor.refresh_from_db()
    assert auditor.is_active and auditor.display_name == "auditor"


def test_system_administrator_cannot_revoke_the_auditor_role(world):
    grant = world.users.auditor.grants.get()
    response = api_for(world.users.sysadmin).delete(
        f"/api/v1/users/{world.users.auditor.pk}/grants/{grant.pk}/"
    )
    assert response.status_code == 403
    assert world.users.auditor.grants.exists()


def test_system_administrator_still_manages_ordinary_accounts(world):
    nobody = world.users.nobody
    services.user_update(user=nobody, actor=world.users.sysadmin, display_name="新名字")
    services.user_set_password(user=nobody, password="New-Passw0rd!x", actor=world.users.sysadmin)
    nobody.refresh_from_db()
    assert nobody.display_name == "新名字" and nobody.check_password("New-Passw0rd!x")


def test_district_administrator_grants_no_service_role_outside_its_district(world):
    outsider = make_user("outsider", division=world.div["500103"])
    with pytest.raises(ValidationError) as refused:
        services.grant_add(user=outsider, role=Role.EVALUATOR, actor=world.users.district)
    assert "role" in refused.value.message_dict
    assert not outsider.grants.exists()


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])
def test_district_administrator_appoints_no_administrator_of_another_district(world, role):
    outsider = make_user("outsider", division=world.div["500103"])
    with pytest.raises(ValidationError) as refused:
        services.grant_add(user=outsider, role=role, unit=world.center, actor=world.users.district)
    assert "role" in refused.value.message_dict
    assert not outsider.grants.exists()


def test_agency_staff_grant_needs_an_agency_serving_the_granters_area(world):
    stranger = AgencyFactory(name="区外社工机构")
    response = api_for(world.users.district).post(
        f"/api/v1/users/{world.users.nobody.pk}/grants/",
        {"role": "agency_staff", "agency": stranger.pk},
    )
    assert response.status_code == 400 and "agency" in response.json()
    # The agency operating the centre and station A is in the district: granted.
    response = api_for(world.users.district).post(
        f"/api/v1/users/{world.users.nobody.pk}/grants/",
        {"role": "agency_staff", "agency": world.agency.pk},
    )
    assert response.status_code == 201


def test_agency_staff_are_posted_only_to_a_unit_their_agency_serves(world):
    # world.agency operates the centre and station A; station B is the other agency's.
    refused = api_for(world.users.district).post(
        f"/api/v1/users/{world.users.nobody.pk}/grants/",
        {"role": "agency_staff", "agency": world.agency.pk, "unit": world.station_b.pk},
    )
    assert refused.status_code == 400 and "unit" in refused.json()
    granted = api_for(world.users.district).post(
        f"/api/v1/users/{world.users.nobody.pk}/grants/",
        {"role": "agency_staff", "agency": world.agency.pk, "unit": world.station_a.pk},
    )
    assert granted.status_code == 201
