"""Passwords (issue 9, finding 10): everybody changes their own; a password set by somebody
else is changed at the first login; passwords expire; the last few are not used again."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.access import services
from shegong.access.models import PasswordHistory
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = "/account/password/"


def login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def change(client, old, new):
    return client.post(
        CHANGE, {"old_password": old, "new_password": new, "new_password_again": new}
    )


def test_self_service_change_through_the_page(world, client):
    login(client, "room_a1")
    page = client.get(CHANGE)
    assert page.status_code == 200 and 'name="old_password"' in page.content.decode()
    response = change(client, PASSWORD, "Fresh-Passw0rd!")
    assert response.status_code == 302 and response.url == "/"
    # Still logged in here; the new password logs in, the old one no longer does.
    assert client.get("/clients/").status_code == 200
    client.post("/logout/")
    assert login(client, "room_a1", PASSWORD).status_code == 200
    assert login(client, "room_a1", "Fresh-Passw0rd!").status_code == 302


def test_the_page_refuses_with_field_errors(world, client):
    login(client, "room_a1")
    wrong = change(client, "nope", "Fresh-Passw0rd!")
    assert wrong.status_code == 400 and 'data-field="old_password"' in wrong.content.decode()
    weak = change(client, PASSWORD, "short")
    assert weak.status_code == 400 and 'data-field="new_password"' in weak.content.decode()
    differ = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password": "Fresh-Passw0rd!",
            "new_password_again": "Other-Passw0rd!",
        },
    )
    assert differ.status_code == 400
    assert 'data-field="new_password_again"' in differ.content.decode()


def test_a_change_ends_the_other_sessions(world, client, django_user_model):
    from django.test import Client

    other = Client()
    login(other, "room_a1")
    login(client, "room_a1")
    change(client, PASSWORD, "Fresh-Passw0rd!")
    assert other.get("/clients/").status_code == 302
    assert client.get("/clients/").status_code == 200


def test_the_last_five_passwords_are_not_reused(world, settings):
    user = world.users.room_a1
    used = [PASSWORD] + [f"Round-{n}-Passw0rd!" for n in range(1, 6)]
    for old, new in zip(used, used[1:], strict=False):
        services.password_change(user=user, old_password=old, new_password=new)
    current = used[-1]
    # The current one and the four before it are refused; the sixth-last is allowed again.
    for recent in used[-settings.SHEGONG_PASSWORD_HISTORY :]:
        if recent == current:
            continue
        with pytest.raises(ValidationError) as refused:
            services.password_change(user=user, old_password=current, new_password=recent)
        assert "new_password" in refused.value.message_dict
    services.password_change(user=user, old_password=current, new_password=used[0])
    assert PasswordHistory.objects.filter(user=user).count() == settings.SHEGONG_PASSWORD_HISTORY
    # Kept as hashes only.
    assert not PasswordHistory.objects.filter(password__in=used).exists()


def test_an_administrators_reset_cannot_bring_back_a_recent_password(world):
    user = world.users.room_a1
    with pytest.raises(ValidationError) as refused:
        services.user_set_password(user=user, password=PASSWORD, actor=world.users.district)
    assert "password" in refused.value.message_dict


def test_a_generated_first_password_is_changed_at_the_first_login(world, client):
    account, password = services.user_create(
        actor=world.users.district,
        username="newcomer",
        display_name="n",
        division=world.room_a1.division,
    )
    assert account.must_change_password
    login(client, "newcomer", password)
    response = client.get("/clients/")
    assert response.status_code == 302 and response.url == f"{CHANGE}?next=%2Fclients%2F"
    assert client.get("/api/v1/units/").status_code == 403
    page = client.get(response.url)
    assert page.status_code == 200 and "alert-warning" in page.content.decode()
    done = client.post(
        CHANGE,
        {
            "old_password": password,
            "new_password": "Newcomer-Passw0rd!",
            "new_password_again": "Newcomer-Passw0rd!",
            "next": "/clients/",
        },
    )
    assert done.status_code == 302 and done.url == "/clients/"
    account.refresh_from_db()
    assert not account.must_change_password
    assert client.get("/").status_code == 200


def test_a_security_administrators_reset_must_be_changed(world, client):
    services.user_set_password(
        user=world.users.room_a1, password="Reset-Passw0rd!", actor=world.users.district
    )
    world.users.room_a1.refresh_from_db()
    assert world.users.room_a1.must_change_password
    login(client, "room_a1", "Reset-Passw0rd!")
    assert client.get("/clients/").url.startswith(CHANGE)


def test_an_expired_password_forces_a_change(world, client, settings):
    later = timezone.now() + datetime.timedelta(days=settings.SHEGONG_PASSWORD_MAX_AGE_DAYS + 1)
    with time_machine.travel(later):
        login(client, "room_a1")
        response = client.get("/clients/")
        assert response.status_code == 302 and response.url.startswith(CHANGE)
        change(client, PASSWORD, "Renewed-Passw0rd!")
        assert client.get("/clients/").status_code == 200


def test_expiry_can_be_switched_off(world, client, settings):
    settings.SHEGONG_PASSWORD_MAX_AGE_DAYS = 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1000)):
        login(client, "room_a1")
        assert client.get("/clients/").status_code == 200


def test_the_navigation_links_the_change_page(world, client):
    client.force_login(world.users.room_a1)
    assert f'href="{CHANGE}"' in client.get("/").content.decode()


def test_the_admins_password_form_leads_to_the_sites(world, client):
    client.force_login(world.users.district)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response.url == CHANGE
