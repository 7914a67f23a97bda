"""Two-factor login (issue 9, finding 10): district, system, security, audit and
configuration administrators reach no page before their second factor; they enrol an
authenticator (QR code drawn locally) and receive recovery codes, each good once."""

import re

import pytest
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken

from shegong.access import services
from shegong.access.models import Role
from tests.conftest import PASSWORD, otp_code

pytestmark = [pytest.mark.django_db, pytest.mark.real_login]

ADMIN_PAGES = ["/", "/accounts/", "/security/", "/audit/", "/clients/", "/admin/", "/units/"]


def login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def enrol(user):
    services.totp_enrol_with_key(user=user)


@pytest.mark.parametrize("persona", ["district", "sysadmin", "auditor"])
def test_administrators_reach_no_page_without_the_second_factor(world, client, persona):
    user = getattr(world.users, persona)
    enrol(user)
    assert login(client, persona).status_code == 302
    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/login/two-factor/"), path
    api = client.get("/api/v1/units/")
    assert api.status_code == 403


def test_force_login_is_half_a_login_for_an_administrator(world, client):
    """A session from the password alone (as force_login makes it) is not enough."""
    client.force_login(world.users.district)
    response = client.get("/clients/")
    assert response.status_code == 302
    assert response.url.startswith("/login/two-factor/setup/")


def test_security_and_configuration_administrators_need_it_too(world, client):
    secadmin = services.user_create(
        actor=None,
        username="secadmin",
        display_name="s",
        division=world.div["500112"],
        password=PASSWORD,
    )[0]
    services.grant_add(user=secadmin, role=Role.SECURITY_ADMIN, unit=world.center, actor=None)
    assert services.requires_two_factor(secadmin)
    services.grant_add(
        user=world.users.station_a, role=Role.CONFIG_ADMIN, unit=world.center, actor=None
    )
    world.users.station_a.refresh_from_db()
    assert services.requires_two_factor(world.users.station_a)
    assert not services.requires_two_factor(world.users.room_a1)


def test_the_django_admin_requires_the_second_factor(world, client):
    user = world.users.district
    services.grant_add(user=user, role=Role.CONFIG_ADMIN, unit=world.center, actor=None)
    user.refresh_from_db()
    enrol(user)
    login(client, "district")
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/login/two-factor/")
    assert client.post("/login/two-factor/", {"otp": otp_code(user)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_code_opens_the_pages_and_next_is_kept(world, client):
    user = world.users.district
    enrol(user)
    login(client, "district")
    response = client.get("/clients/")
    assert response.url == "/login/two-factor/?next=%2Fclients%2F"
    wrong = client.post("/login/two-factor/", {"otp": "000000", "next": "/clients/"})
    assert wrong.status_code == 400
    assert 'name="next" value="/clients/"' in wrong.content.decode()
    user.totpdevice_set.update(throttling_failure_count=0)
    right = client.post("/login/two-factor/", {"otp": otp_code(user), "next": "/clients/"})
    assert right.status_code == 302 and right.url == "/clients/"
    assert client.get("/clients/").status_code == 200


def test_the_half_logged_in_navigation_shows_no_section(world, client):
    enrol(world.users.district)
    login(client, "district")
    page = client.get("/login/two-factor/").content.decode()
    assert 'href="/clients/"' not in page and 'href="/accounts/"' not in page
    assert "badge bg-danger" not in page


def test_other_roles_need_no_second_factor(world, client):
    login(client, "station_a")
    assert client.get("/clients/").status_code == 200


def test_enrolment_shows_a_local_qr_code_then_recovery_codes(world, client):
    user = world.users.district
    login(client, "district")
    response = client.get("/")
    assert response.url.startswith("/login/two-factor/setup/")
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org", ""
    )
    key = re.search(r'id="otp-key">([A-Z2-7 ]+)<', html).group(1)
    device = services.totp_device_of(user, confirmed=False)
    assert key.replace(" ", "") in device.config_url
    # The same secret on a reload, until confirmed.
    assert key in client.get("/login/two-factor/setup/").content.decode()
    assert client.get("/clients/").status_code == 302
    wrong = client.post("/login/two-factor/setup/", {"otp": "000000"})
    assert wrong.status_code == 400 and services.totp_device_of(user) is None
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    from django_otp.oath import TOTP

    code = f"{TOTP(device.bin_key).token():06d}"
    done = client.post("/login/two-factor/setup/", {"otp": code})
    assert done.status_code == 200
    codes = re.findall(r'<li class="col-6">(\w+)</li>', done.content.decode())
    assert len(codes) == 10
    assert client.get("/clients/").status_code == 200
    # Shown once: the codes are nowhere on later pages.
    assert codes[0] not in client.get("/login/two-factor/setup/").content.decode()


def test_a_recovery_code_works_once(world, client):
    user = world.users.auditor
    device = services.totp_enrol_start(user=user)
    from django_otp.oath import TOTP

    codes = services.totp_enrol_confirm(
        user=user, device=device, token=f"{TOTP(device.bin_key).token():06d}"
    )
    login(client, "auditor")
    response = client.post("/login/two-factor/", {"otp": codes[0]})
    assert response.status_code == 302
    assert client.get("/audit/").status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post("/logout/")
    login(client, "auditor")
    again = client.post("/login/two-factor/", {"otp": codes[0]})
    assert again.status_code == 400
    assert client.get("/audit/").status_code == 302


def test_wrong_codes_count_towards_the_lockout(world, client):
    user = world.users.sysadmin
    enrol(user)
    login(client, "sysadmin")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        user.totpdevice_set.update(throttling_failure_count=0)
        client.post("/login/two-factor/", {"otp": "000000"})
    # Locked: the half-finished login ended and the password alone is refused now.
    assert client.get("/accounts/").url.startswith("/login/")
    assert login(client, "sysadmin").status_code == 429


def test_the_content_security_policy_allows_the_qr_code(world, client):
    login(client, "district")
    response = client.get("/login/two-factor/setup/")
    policy = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "<script" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


def security_admin(world):
    user = services.user_create(
        actor=None,
        username="secadmin",
        display_name="s",
        division=world.div["500112"],
        password=PASSWORD,
    )[0]
    services.grant_add(user=user, role=Role.SECURITY_ADMIN, unit=world.center, actor=None)
    return user


def test_a_security_administrator_resets_a_lost_second_factor(world, client):
    from tests.conftest import verify_second_factor

    secadmin = security_admin(world)
    district = world.users.district
    enrol(district)
    client.force_login(secadmin)
    verify_second_factor(client, secadmin)
    page = client.get("/security/").content.decode()
    assert 'id="two-factor-accounts"' in page and "district" in page
    response = client.post(f"/security/{district.pk}/two-factor/reset/")
    assert response.status_code == 302
    assert services.totp_device_of(district) is None
    assert district.history.filter(history_change_reason="two-factor reset").exists()
    # The next login enrols again.
    other = client.__class__()
    login(other, "district")
    assert other.get("/").url.startswith("/login/two-factor/setup/")
    # Nobody resets their own, and other administrators may not reset at all.
    assert client.post(f"/security/{secadmin.pk}/two-factor/reset/").status_code == 403
    sysadmin = client.__class__()
    sysadmin.force_login(world.users.sysadmin)
    verify_second_factor(sysadmin, world.users.sysadmin)
    assert sysadmin.post(f"/security/{district.pk}/two-factor/reset/").status_code == 403
