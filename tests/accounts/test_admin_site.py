"""The Django admin is configuration only: reached through the config_admin role (never a
superuser), showing no API token and deleting no log."""

import random

import pytest
from axes.models import AccessLog
from django.contrib import admin
from django.utils import timezone

from shegong.access import services
from shegong.access.models import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def config_admin(world):
    user = world.users.district
    services.grant_add(user=user, role=Role.CONFIG_ADMIN, unit=world.center, actor=None)
    user.refresh_from_db()
    return user


def test_the_demo_administrator_is_not_a_superuser(world):
    from shegong.demo.accounts import seed_admin
    from shegong.demo.context import Demo

    demo = Demo(world.div["500112"], random.Random(1), timezone.localdate())
    admin_user, _made = seed_admin(demo, world.center, PASSWORD)
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert admin_user.is_staff
    assert set(admin_user.grants.values_list("role", flat=True)) == {
        Role.DISTRICT_ADMIN,
        Role.CONFIG_ADMIN,
    }


def test_the_token_admin_is_gone_for_everyone(world, client):
    user = config_admin(world)
    user.is_superuser = True  # even a superuser made by hand sees no token
    user.save()
    client.force_login(user)
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert client.get("/admin/authtoken/token/").status_code == 404


def test_login_records_cannot_be_deleted_in_the_admin(world, client):
    user = config_admin(world)
    user.is_superuser = True
    user.save()
    log = AccessLog.objects.create(username="station_a", ip_address="127.0.0.1")
    client.force_login(user)
    client.post(f"/admin/axes/accesslog/{log.pk}/delete/", {"post": "yes"})
    assert AccessLog.objects.filter(pk=log.pk).exists()
    for model, model_admin in admin.site._registry.items():
        log_like = model._meta.app_label in {"axes", "audit"} or model.__name__.startswith(
            "Historical"
        )
        if log_like:
            request = type("R", (), {"user": user})()
            assert not model_admin.has_delete_permission(request), model
            assert not model_admin.has_change_permission(request), model


def test_configuration_administrator_reaches_only_configuration(world, client):
    client.force_login(config_admin(world))
    assert client.get("/admin/clients/targetgroup/").status_code == 200
    assert client.get("/admin/axes/accesslog/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_the_district_administrator_alone_has_no_admin(world, client):
    client.force_login(world.users.district)
    response = client.get("/admin/clients/targetgroup/")
    assert response.status_code == 302 and "/admin/login/" in response.url
