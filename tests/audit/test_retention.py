"""Audit and login records are kept at least 180 days: the prune refuses anything younger
(whatever the setting says), keeps the chains verifiable, and no admin page deletes them."""

import datetime
import io

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from shegong.audit.chain import verify
from shegong.audit.models import CHAINED_MODELS, AccessLog, LoginEvent, retention_days
from shegong.audit.services import export_logged

pytestmark = pytest.mark.django_db


def age(model, pk, days):
    """Move a row back in time (its chain to be rebuilt by the caller)."""
    at = timezone.now() - datetime.timedelta(days=days)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET at = %s WHERE id = %s", [at, pk])


@pytest.mark.parametrize("configured", [30, 179, 180])
def test_the_retention_is_never_under_180_days(settings, configured):
    settings.SHEGONG_AUDIT_RETENTION_DAYS = configured
    assert retention_days() == 180


def test_the_prune_refuses_anything_younger_than_the_retention(world, settings):
    settings.SHEGONG_AUDIT_RETENTION_DAYS = 30
    export_logged(user=world.users.district, object_type="client", rows=1)
    recent = (timezone.localdate() - datetime.timedelta(days=100)).isoformat()
    with pytest.raises(CommandError, match="180 days"):
        call_command("prune_audit", before=recent, stdout=io.StringIO())
    assert AccessLog.objects.count() == 1


def test_the_prune_removes_only_old_rows_and_the_chains_still_verify(world, client):
    # Rows written long ago: logged through the chain, then dated back by a year (the
    # chain is rebuilt so it holds, as if they had been written then).
    rows = [
        export_logged(user=world.users.district, object_type="client", rows=n) for n in range(4)
    ]
    client.force_login(world.users.station_a)  # a login record
    from shegong.audit.chain import rechain
    from shegong.audit.models import ChainHead

    for row in rows[:2]:
        age(AccessLog, row.pk, 400)
    rechain(AccessLog, ChainHead, "access", AccessLog.chain_fields)
    assert verify(AccessLog).broken is None
    out = io.StringIO()
    call_command("prune_audit", stdout=out)  # default: the retention's cut-off
    assert "access: 2 removed" in out.getvalue()
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {rows[2].pk, rows[3].pk}
    for model in CHAINED_MODELS:
        assert verify(model).broken is None, model
    call_command("verify_audit", stdout=io.StringIO())
    # New rows keep linking on.
    export_logged(user=world.users.district, object_type="client", rows=9)
    assert verify(AccessLog).broken is None
    # A row removed after the prune is still found.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE id = %s", [rows[2].pk])
    assert verify(AccessLog).broken is not None


def test_no_admin_page_changes_or_deletes_audit_records(world):
    for model in (AccessLog, LoginEvent):
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue  # not in the admin at all
        request = type("R", (), {"user": world.users.district})()
        assert not model_admin.has_delete_permission(request)
        assert not model_admin.has_change_permission(request)
