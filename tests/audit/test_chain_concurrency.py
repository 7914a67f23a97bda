"""Concurrent writers never fork a chain: each append takes the chain head's lock, so on
PostgreSQL (real concurrent sessions) every row links to the one before it."""

import threading

import pytest
from django.db import connection, connections

from shegong.audit.chain import verify
from shegong.audit.models import AccessLog
from shegong.audit.services import export_logged

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent database sessions"
    ),
]


def test_concurrent_appends_keep_one_chain():
    from shegong.access.models import User

    user = User.objects.create(username="exporter")
    start = threading.Barrier(6)
    errors = []

    def write():
        try:
            start.wait()
            for n in range(5):
                export_logged(user=user, object_type="client", rows=n, scope=("500112",))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AccessLog.objects.count() == 30
    assert verify(AccessLog).broken is None
    hashes = list(AccessLog.objects.values_list("prev_hash", flat=True))
    assert len(set(hashes)) == 30  # no two rows link to the same one
