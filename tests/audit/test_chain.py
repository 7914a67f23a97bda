"""The access and login records form hash chains that ``manage.py verify_audit`` checks: an
edit or a deletion, even straight in the database, is found and named; the ORM refuses both;
logins, logouts and failed attempts are recorded (the password never)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shegong.audit.chain import verify
from shegong.audit.models import AccessLog, ChainHead, LoginEvent
from shegong.audit.services import export_logged
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def verify_audit() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())
    return str(exc.value)


@pytest.fixture
def three_exports(world):
    return [
        export_logged(user=world.users.district, object_type="client", rows=n, filters={"n": n})
        for n in range(3)
    ]


def raw(sql: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_intact_chain_verifies(world, three_exports):
    first, second, third = three_exports
    assert first.prev_hash == "" and second.prev_hash == first.hash
    assert third.prev_hash == second.hash and len(third.hash) == 64
    assert ChainHead.objects.get(pk="access").last_hash == third.hash
    out = verify_audit()
    assert "access: 3 rows intact" in out and third.hash in out


def test_a_row_edited_in_the_database_is_found(world, three_exports):
    second = three_exports[1]
    raw("UPDATE audit_accesslog SET rows = 999 WHERE id = %s", second.pk)
    message = broken()
    assert f"row {second.pk}" in message and "edited" in message


def test_a_row_edited_with_its_hash_recomputed_breaks_the_next_link(world, three_exports):
    from shegong.audit.chain import row_hash

    first, second, third = three_exports
    forged = AccessLog.objects.get(pk=second.pk)
    forged.rows = 999
    raw(
        "UPDATE audit_accesslog SET rows = 999, hash = %s WHERE id = %s",
        row_hash(forged, forged.prev_hash),
        second.pk,
    )
    assert f"row {third.pk}" in broken()


def test_a_row_deleted_in_the_database_is_found(world, three_exports):
    first, second, third = three_exports
    raw("DELETE FROM audit_accesslog WHERE id = %s", second.pk)
    assert f"row {third.pk}" in broken()


def test_the_first_and_the_newest_rows_deleted_are_found(world, three_exports):
    first, second, third = three_exports
    raw("DELETE FROM audit_accesslog WHERE id = %s", third.pk)
    assert "missing" in broken()
    raw("DELETE FROM audit_accesslog WHERE id = %s", first.pk)
    assert f"row {second.pk}" in broken()


def test_the_login_chain_is_checked_too(world, client):
    login(client, "station_a", PASSWORD)
    login(client, "station_a", "wrong-password-1")
    event = LoginEvent.objects.order_by("id").first()
    assert verify(LoginEvent).broken is None
    raw("UPDATE audit_loginevent SET ip_address = '10.9.9.9' WHERE id = %s", event.pk)
    assert f"login: row {event.pk}" in broken()


def test_the_orm_neither_updates_nor_deletes_audit_rows(world, three_exports):
    row = three_exports[0]
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).update(rows=5)
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        LoginEvent.objects.all().delete()
    assert AccessLog.objects.count() == 3


def test_logins_logouts_and_failures_are_recorded_without_the_password(world, client):
    login(client, "station_a", "Wrong-guess-123")
    assert login(client, "station_a", PASSWORD).status_code == 302
    client.logout()
    login(client, "nobody-has-this", "Secret-Guess-9")
    events = list(LoginEvent.objects.order_by("id").values_list("kind", "username"))
    assert ("failed", "station_a") in events
    assert ("login", "station_a") in events and ("logout", "station_a") in events
    assert ("failed", "nobody-has-this") in events
    station = LoginEvent.objects.filter(username="station_a").first()
    assert station.division_code == world.users.station_a.division_id
    assert LoginEvent.objects.get(username="nobody-has-this").division_code == ""
    stored = " ".join(str(v) for row in LoginEvent.objects.values_list() for v in row)
    assert "Wrong-guess-123" not in stored and "Secret-Guess-9" not in stored


def test_the_auditor_reads_logins_filtered_by_event(world, client):
    login(client, "station_a", "Wrong-guess-123")
    client.force_login(world.users.auditor)
    page = client.get("/audit/logins/", {"action": "failed"})
    assert [(e.username, e.kind) for e in page.context["logins"]] == [("station_a", "failed")]


def test_a_chain_rebuilt_whole_without_the_servers_key_is_found(world, three_exports):
    """Whoever can write the database but does not hold the secret key cannot rebuild the
    chain around a forged row: every hash is keyed."""
    from shegong.audit.chain import row_hash

    previous = ChainHead.objects.get(pk=AccessLog.chain_name).anchor_hash
    for record in AccessLog.objects.order_by("id"):
        if record.pk == three_exports[1].pk:
            record.rows = 999
        digest = row_hash(record, previous, secret="a key the forger guessed")
        raw(
            "UPDATE audit_accesslog SET rows = %s, prev_hash = %s, hash = %s WHERE id = %s",
            record.rows,
            previous,
            digest,
            record.pk,
        )
        previous = digest
    raw("UPDATE audit_chainhead SET last_hash = %s WHERE name = %s", previous, "access")
    assert "edited" in broken()


def test_rows_hashed_before_a_secret_key_rotation_still_verify(world, three_exports, settings):
    old = settings.SECRET_KEY
    settings.SECRET_KEY_FALLBACKS = [old]
    settings.SECRET_KEY = "a new secret key for this test, long enough to be a real one"
    assert verify(AccessLog).broken is None
    settings.SECRET_KEY_FALLBACKS = []
    assert "edited" in broken()
