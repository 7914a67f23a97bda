"""API tokens (issue 9, finding 9): stored hashed (django-rest-knox), expiring, revoked by
logout, by a password change (any path) and by deactivation; administrators need ``otp``."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from shegong.access import services
from tests.conftest import PASSWORD, api_for, otp_code

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def token_for(username, password=PASSWORD, **extra):
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": password, **extra}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_the_token_is_stored_only_as_a_hash(world):
    body = token_for("station_a")
    token = body["token"]
    stored = AuthToken.objects.get(user=world.users.station_a)
    # The row keeps a digest and a short lookup prefix, never the token itself.
    assert token not in {stored.digest, stored.token_key}
    assert len(stored.token_key) < len(token)
    assert not AuthToken.objects.filter(digest=token).exists()
    assert with_token(token).get("/api/v1/units/").status_code == 200


def test_the_token_expires(world, settings):
    body = token_for("station_a")
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert abs((expiry - timezone.now()) - ttl) < datetime.timedelta(minutes=1)
    with time_machine.travel(timezone.now() + ttl + datetime.timedelta(minutes=1)):
        assert with_token(body["token"]).get("/api/v1/units/").status_code == 401
    assert not AuthToken.objects.filter(user=world.users.station_a).exists()


def test_logout_revokes_the_presented_token_only(world):
    first, second = token_for("station_a")["token"], token_for("station_a")["token"]
    assert with_token(first).post("/api/v1/auth/logout/").status_code == 204
    assert with_token(first).get("/api/v1/units/").status_code == 401
    assert with_token(second).get("/api/v1/units/").status_code == 200


def test_logout_all_revokes_every_token(world):
    first, second = token_for("station_a")["token"], token_for("station_a")["token"]
    response = with_token(first).post("/api/v1/auth/logout-all/")
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert with_token(second).get("/api/v1/units/").status_code == 401


def test_an_administrators_reset_revokes_the_tokens(world):
    token = token_for("station_a")["token"]
    services.user_set_password(
        user=world.users.station_a, password="Another-Passw0rd!", actor=world.users.district
    )
    assert with_token(token).get("/api/v1/units/").status_code == 401


def test_a_self_service_change_revokes_the_tokens(world):
    token = token_for("station_a")["token"]
    other = token_for("station_a")["token"]
    response = with_token(token).post(
        "/api/v1/auth/password/",
        {"old_password": PASSWORD, "new_password": "Another-Passw0rd!"},
        format="json",
    )
    assert response.status_code == 204
    assert with_token(token).get("/api/v1/units/").status_code == 401
    assert with_token(other).get("/api/v1/units/").status_code == 401
    token_for("station_a", "Another-Passw0rd!")


def test_deactivation_revokes_the_tokens(world):
    token_for("station_a")
    response = api_for(world.users.district).patch(
        f"/api/v1/users/{world.users.station_a.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert not AuthToken.objects.filter(user=world.users.station_a).exists()


def test_administrators_need_a_second_factor_for_a_token(world):
    district = world.users.district
    # No authenticator yet: enrol on the website first.
    refused = APIClient().post(
        TOKEN_URL, {"username": "district", "password": PASSWORD}, format="json"
    )
    assert refused.status_code == 400 and "otp" in refused.json()
    services.totp_enrol_with_key(user=district)
    for otp in ("", "000000"):
        refused = APIClient().post(
            TOKEN_URL, {"username": "district", "password": PASSWORD, "otp": otp}, format="json"
        )
        assert refused.status_code == 400 and "otp" in refused.json()
        assert "token" not in refused.json()
        # A missing code is asked for; a wrong one is called wrong.
        wrong = "验证码错误" in refused.json()["otp"][0]
        assert wrong == (otp != "")
    assert not AuthToken.objects.filter(user=district).exists()
    district.totpdevice_set.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    body = token_for("district", otp=otp_code(district))
    assert with_token(body["token"]).get("/api/v1/units/").status_code == 200


def test_wrong_second_factors_lock_the_account(world, settings):
    services.totp_enrol_with_key(user=world.users.auditor)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        APIClient().post(
            TOKEN_URL, {"username": "auditor", "password": PASSWORD, "otp": "000000"}, format="json"
        )
    world.users.auditor.totpdevice_set.update(throttling_failure_count=0)
    locked = APIClient().post(
        TOKEN_URL,
        {"username": "auditor", "password": PASSWORD, "otp": otp_code(world.users.auditor)},
        format="json",
    )
    assert locked.status_code in {400, 403, 429}
    assert "token" not in locked.json()


def test_a_token_whose_password_must_change_serves_only_the_change(world):
    services.user_set_password(
        user=world.users.station_a, password="Reset-Passw0rd!", actor=world.users.district
    )
    body = token_for("station_a", "Reset-Passw0rd!")
    assert body["password_change_required"] is True
    client = with_token(body["token"])
    assert client.get("/api/v1/units/").status_code == 403
    response = client.post(
        "/api/v1/auth/password/",
        {"old_password": "Reset-Passw0rd!", "new_password": "Mine-Passw0rd!"},
        format="json",
    )
    assert response.status_code == 204
    body = token_for("station_a", "Mine-Passw0rd!")
    assert body["password_change_required"] is False
    assert with_token(body["token"]).get("/api/v1/units/").status_code == 200


def test_password_api_refuses_with_field_errors(world):
    client = with_token(token_for("station_a")["token"])
    wrong = client.post(
        "/api/v1/auth/password/",
        {"old_password": "nope", "new_password": "Mine-Passw0rd!"},
        format="json",
    )
    assert wrong.status_code == 400 and "old_password" in wrong.json()
    weak = client.post(
        "/api/v1/auth/password/", {"old_password": PASSWORD, "new_password": "1234"}, format="json"
    )
    assert weak.status_code == 400 and "new_password" in weak.json()


def test_the_schema_documents_the_auth_endpoints(world):
    text = api_for(world.users.station_a).get("/api/v1/schema/").content.decode()
    for path in ("/api/v1/auth/token/", "/api/v1/auth/logout/", "/api/v1/auth/logout-all/"):
        assert path in text
    assert "/api/v1/auth/password/" in text and "otp" in text


def test_no_admin_page_shows_a_token_or_a_secret(world, client):
    from django.contrib import admin

    registered = {m._meta.label for m in admin.site._registry}
    assert not registered & {
        "knox.AuthToken",
        "otp_totp.TOTPDevice",
        "otp_static.StaticDevice",
        "authtoken.Token",
    }


def test_becoming_an_administrator_revokes_tokens_got_without_a_second_factor(world):
    from shegong.access.models import Role

    token = token_for("station_a")["token"]
    services.grant_add(
        user=world.users.station_a, role=Role.SYSTEM_ADMIN, unit=world.center, actor=None
    )
    assert with_token(token).get("/api/v1/units/").status_code == 401


def test_a_password_set_by_any_path_revokes_the_tokens(world):
    """`manage.py changepassword` and the like go around the services."""
    token = token_for("station_a")["token"]
    user = world.users.station_a
    user.set_password("Console-Passw0rd!")
    user.save()
    assert with_token(token).get("/api/v1/units/").status_code == 401


def test_api_logins_and_logouts_are_in_the_login_records(world):
    from shegong.audit.chain import verify
    from shegong.audit.models import LoginEvent

    token = token_for("station_a")["token"]
    assert with_token(token).post("/api/v1/auth/logout/").status_code == 204
    kinds = list(
        LoginEvent.objects.filter(username="station_a")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == [LoginEvent.Kind.LOGIN, LoginEvent.Kind.LOGOUT]
    assert verify(LoginEvent).broken is None
