"""A new deployment starts from `bootstrap_district`, never from a superuser."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from shegong.access.models import Role, User
from shegong.network.models import Unit, UnitKind
from tests.conftest import OTHER_DISTRICT

pytestmark = pytest.mark.django_db


def bootstrap(*args):
    out = io.StringIO()
    call_command("bootstrap_district", *args, stdout=out)
    return out.getvalue()


def test_registers_the_centre_and_its_district_administrator():
    printed = bootstrap(OTHER_DISTRICT, "--admin", "yzadmin", "--name", "渝中区民政局")
    center = Unit.objects.get(kind=UnitKind.CENTER, division_id=OTHER_DISTRICT)
    admin = User.objects.get(username="yzadmin")
    assert [(g.role, g.unit) for g in admin.grants.all()] == [(Role.DISTRICT_ADMIN, center)]
    assert not admin.is_superuser and not admin.is_staff
    password = re.search(r"First password .*: (\S+)", printed).group(1)
    assert admin.check_password(password)
    # Generated: changed at the first login, which also enrols an authenticator app.
    assert admin.must_change_password
    from shegong.access.services import requires_two_factor

    assert requires_two_factor(admin)


def test_keeps_an_existing_centre(world):
    bootstrap("500112", "--admin", "second")
    assert Unit.objects.filter(kind=UnitKind.CENTER, division_id="500112").count() == 1
    assert User.objects.get(username="second").grants.get().unit == world.center


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("500112002", "--admin", "x"), "not a loaded district"),
        (("999999", "--admin", "x"), "not a loaded district"),
    ],
)
def test_refuses_what_is_not_a_district(args, problem):
    with pytest.raises(CommandError, match=problem):
        bootstrap(*args)
    assert not User.objects.filter(username="x").exists()


def test_refuses_a_taken_username_and_writes_nothing():
    bootstrap(OTHER_DISTRICT, "--admin", "yzadmin")
    with pytest.raises(CommandError):
        bootstrap(OTHER_DISTRICT, "--admin", "YZADMIN")
    assert User.objects.filter(username__iexact="yzadmin").count() == 1
