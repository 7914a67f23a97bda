"""Login, lockout, idle logout and account management through the pages."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from shegong.access.models import Role, RoleGrant, User
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_login_page_is_chinese_by_default(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


def test_login_then_home(world, client):
    # A station's staff log in with the password alone (administrators: test_two_factor).
    response = login(client, "station_a", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_five_failures_lock_the_account(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "station_a", "wrong").status_code == 200
    # The fifth failure locks; then even the right password is refused.
    assert login(client, "station_a", "wrong").status_code == 429
    locked = login(client, "station_a", PASSWORD)
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    # Another account is not affected.
    assert login(client, "station_b", PASSWORD).status_code == 302


def test_administrator_unlocks_an_account(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "station_a", "wrong")
    admin = client.__class__()
    admin.force_login(world.users.district)
    assert admin.post(f"/accounts/{world.users.station_a.pk}/unlock/").status_code == 302
    assert login(client, "station_a", PASSWORD).status_code == 302


def test_idle_session_expires(world, client):
    assert settings.SESSION_COOKIE_AGE == 600 and settings.SESSION_SAVE_EVERY_REQUEST
    login(client, "station_a", PASSWORD)
    assert client.get("/units/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/units/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_anonymous_pages_redirect_to_login(client):
    for url in ("/", "/units/", "/coverage/", "/workers/", "/accounts/", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url


def create_account_in_the_ui(world, client, username, display_name):
    """The district administrator registers an account at station A with a generated
    first password, through the page."""
    client.force_login(world.users.district)
    return client.post(
        "/accounts/new/",
        {
            "username": username,
            "display_name": display_name,
            "email": "",
            "division": world.station_a.division_id,
            "password": "",
        },
    )


def test_district_creates_an_account_and_grants_a_role_in_the_ui(world, client):
    response = create_account_in_the_ui(world, client, "liuzz", "刘站长")
    assert response.status_code == 302
    user = User.objects.get(username="liuzz")
    response = client.post(
        f"/accounts/{user.pk}/grants/", {"role": "station_staff", "unit": world.station_a.pk}
    )
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=user, role="station_staff").exists()
    page = client.get(f"/accounts/{user.pk}/").content.decode()
    assert "liuzz" in page


def test_granting_a_role_on_the_wrong_kind_of_unit_is_a_form_error(world, client):
    client.force_login(world.users.district)
    target = world.users.nobody
    response = client.post(
        f"/accounts/{target.pk}/grants/", {"role": "room_worker", "unit": world.station_a.pk}
    )
    assert response.status_code == 400
    assert response.context["grant_form"].errors["unit"]
    assert not target.grants.exists()


def test_duplicate_username_is_a_form_error(world, client):
    client.force_login(world.users.district)
    response = client.post(
        "/accounts/new/",
        {"username": "station_a", "display_name": "x", "division": world.station_a.division_id},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_cannot_deactivate_yourself(world, client):
    client.force_login(world.users.district)
    response = client.post(
        f"/accounts/{world.users.district.pk}/edit/",
        {"display_name": "d", "email": "", "division": "500112"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["is_active"]


def test_system_administrator_sees_no_service_data(world, client):
    client.force_login(world.users.sysadmin)
    assert list(client.get("/units/").context["page"].object_list) == []
    assert client.get("/api/v1/units/").json()["count"] == 0
    assert client.get("/api/v1/workers/").json()["count"] == 0
    assert client.get("/coverage/").status_code == 403
    assert client.get("/accounts/").status_code == 200


def test_password_change_validates_complexity(world, client):
    client.force_login(world.users.district)
    response = client.post(
        f"/accounts/{world.users.room_a1.pk}/password/", {"password": "aaaaaaaaaaaa"}
    )
    assert response.status_code == 400
    assert response.context["password_form"].errors["password"]


def test_security_administrator_sees_failures_and_unlocks(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "room_a1", "wrong")
    security = client.__class__()
    security.force_login(make_user("secadmin", Role.SECURITY_ADMIN, world.center))
    page = security.get("/security/")
    assert page.status_code == 200
    rows = page.context["failures"]
    assert [(r["attempt"].username, r["locked"]) for r in rows] == [("room_a1", True)]
    # The security administrator manages no accounts and sees no service data.
    assert security.get("/accounts/").status_code == 403
    assert security.get("/api/v1/units/").json()["count"] == 0
    response = security.post(f"/security/{world.users.room_a1.pk}/unlock/")
    assert response.status_code == 302
    assert login(client, "room_a1", PASSWORD).status_code == 302


def test_security_page_is_for_security_and_district_administrators(world, client):
    for persona, status in [
        ("district", 200),
        ("sysadmin", 403),
        ("auditor", 403),
        ("station_a", 403),
    ]:
        client.force_login(getattr(world.users, persona))
        assert client.get("/security/").status_code == status, persona


def test_security_unlock_outside_scope_is_404(world, client):
    outsider = make_user("outsider", division=world.div["500103"])
    client.force_login(world.users.district)
    assert client.post(f"/security/{outsider.pk}/unlock/").status_code == 404


def test_audit_log_lists_logins_in_scope(world, client):
    make_user("outsider", division=world.div["500103"])
    login(client, "station_a", PASSWORD)
    login(client.__class__(), "outsider", PASSWORD)
    auditor = client.__class__()
    auditor.force_login(world.users.auditor)
    logins = auditor.get("/audit/logins/")
    usernames = {a.username for a in logins.context["logins"]}
    assert "station_a" in usernames and "outsider" not in usernames
    page = auditor.get("/audit/")
    assert {r["kind"] for r in page.context["rows"]} >= {"unit", "worker", "user", "rolegrant"}


def test_logging_in_records_the_time_without_a_history_row(world, client):
    user = world.users.station_a
    before = user.history.count()
    assert login(client, "station_a", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == before


def test_history_shows_labels_and_yes_no(world, client):
    from shegong.people.services import worker_update

    worker_update(
        worker=world.cw_a1, actor=world.users.district, employment="part_time", is_active=False
    )
    client.force_login(world.users.district)
    from django.utils import translation

    rows = client.get(f"/workers/{world.cw_a1.pk}/").context["history"]
    with translation.override("zh-hans"):
        changes = {c["field"]: (str(c["old"]), str(c["new"])) for c in rows[0]["changes"]}
    assert ("专职", "兼职") in changes.values()
    assert ("是", "否") in changes.values()


def test_account_page_history_shows_role_grants_and_revocations(world, client):
    from django.utils import translation

    client.force_login(world.users.district)
    client.post(
        f"/accounts/{world.users.nobody.pk}/grants/",
        {"role": "room_worker", "unit": world.room_a1.pk},
    )
    grant = world.users.nobody.grants.get()
    client.post(f"/accounts/{world.users.nobody.pk}/grants/{grant.pk}/revoke/")
    history = client.get(f"/accounts/{world.users.nobody.pk}/").context["history"]
    with translation.override("en"):
        actions = [(str(row["action"]), row.get("detail", "")) for row in history]
    assert actions[0][0] == "role revoked"
    assert actions[1][0] == "role granted" and world.room_a1.name in actions[1][1]
    assert history[0]["who"] == world.users.district


def test_grant_form_has_no_default_role(world, client):
    client.force_login(world.users.district)
    response = client.post(f"/accounts/{world.users.nobody.pk}/grants/", {"unit": ""})
    assert response.status_code == 400 and response.context["grant_form"].errors["role"]
