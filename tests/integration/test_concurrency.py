"""No lost update with two real sessions at once (issue 9, finding 6).

Each request runs in its own thread on its own database connection, with committed data
(``transaction=True``). A barrier inside the request, right after it has read the record
(``get_object``), holds both until both have read it, so every round is the race at its
worst: two writers holding the same version. On PostgreSQL the writers meet on the row
lock; on SQLite on the immediate transaction. Run it on PostgreSQL with
``DATABASE_URL=postgres://… pytest tests/integration/test_concurrency.py -n 0``.
"""

import sqlite3
import threading
import time

import pytest
from django.db import connection

from shegong.cases.models import Case, Stage
from shegong.clients.models import Client
from shegong.common.api import VersionedMixin
from tests.conftest import api_for, build_world, ensure_divisions

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


@pytest.fixture(scope="module", autouse=True)
def restore_divisions(django_db_blocker):
    """Put the divisions back once this module is done, for db tests run after it."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


@pytest.fixture
def world(transactional_db):
    """The conftest world, committed so that every thread's connection sees it."""
    ensure_divisions()
    return build_world()


@pytest.fixture
def writers_wait_their_turn(monkeypatch):
    """On SQLite, a statement that meets another connection's lock waits for it, as on the
    file ``make run`` uses (its busy timeout; WAL readers never wait).

    The in-memory test database shares one cache between connections, and there SQLite
    answers at once with "database table is locked" instead of waiting out the busy
    timeout; this gives it back the wait (PostgreSQL waits on the row lock by itself)."""
    if connection.vendor != "sqlite":
        return
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    execute = SQLiteCursorWrapper.execute

    def execute_when_free(self, query, params=None):
        deadline = time.monotonic() + 30
        while True:
            try:
                return execute(self, query, params)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.005)

    monkeypatch.setattr(SQLiteCursorWrapper, "execute", execute_when_free)


@pytest.fixture
def both_read_first(monkeypatch, writers_wait_their_turn):
    """Requests made through ``together`` wait, once they have read their record, until
    the other has read it too."""
    state = threading.local()
    read = VersionedMixin.get_object

    def get_object(self):
        obj = read(self)
        barrier = getattr(state, "barrier", None)
        if barrier is not None:
            barrier.wait(timeout=30)
        return obj

    monkeypatch.setattr(VersionedMixin, "get_object", get_object)

    def together(*calls):
        """Run each call in its own thread and connection; their results, in order."""
        barrier = threading.Barrier(len(calls))
        results, errors = [None] * len(calls), []

        def run(index, call):
            state.barrier = barrier
            try:
                results[index] = call()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                barrier.abort()
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        return results

    return together


def patch(user, url, body, **headers):
    return lambda: api_for(user).patch(url, body, format="json", **headers)


def post(user, url, body, **headers):
    return lambda: api_for(user).post(url, body, format="json", **headers)


@pytest.fixture
def elder(world):
    from tests.clients.factories import ClientFactory
    from tests.conftest import VILLAGE_A1

    return ClientFactory(
        name="刘奶奶", division=world.div[VILLAGE_A1], id_number="", address="旧地址"
    )


def test_two_patches_of_different_fields_both_land(world, elder, both_read_first):
    url = f"/api/v1/clients/{elder.pk}/"
    worker, station = world.users.room_a1, world.users.station_a
    for n in range(ROUNDS):
        name, address = f"刘奶奶{n}", f"新地址{n}"
        answers = both_read_first(
            patch(worker, url, {"name": name}), patch(station, url, {"address": address})
        )
        assert [a.status_code for a in answers] == [200, 200], [a.content for a in answers]
        stored = Client.objects.get(pk=elder.pk)
        assert (stored.name, stored.address) == (name, address)
        assert stored.version == 1 + 2 * (n + 1)
        assert sorted(a["ETag"] for a in answers) == [
            f'"{stored.version - 1}"',
            f'"{stored.version}"',
        ]


def test_of_two_writes_from_one_version_the_second_is_412(world, elder, both_read_first):
    url = f"/api/v1/clients/{elder.pk}/"
    answers = both_read_first(
        patch(world.users.room_a1, url, {"name": "刘一"}, HTTP_IF_MATCH='"1"'),
        patch(world.users.station_a, url, {"name": "刘二"}, HTTP_IF_MATCH='"1"'),
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 412], [a.content for a in answers]
    [won] = [a for a in answers if a.status_code == 200]
    [lost] = [a for a in answers if a.status_code == 412]
    assert lost.json()["version"] == 2 and lost["ETag"] == '"2"'
    stored = Client.objects.get(pk=elder.pk)
    assert stored.version == 2 and stored.name == won.json()["name"]


def test_of_two_concurrent_case_steps_exactly_one_is_taken(world, elder, both_read_first):
    from tests.cases.factories import CaseFactory
    from tests.records.factories import service_field

    needs = [service_field("elderly").code]
    for _round in range(ROUNDS):
        case = CaseFactory(
            actor=world.users.room_a1, client=elder, unit=world.room_a1, case_worker=world.cw_a1
        )
        url = f"/api/v1/cases/{case.pk}/assess/"

        def assessment(text, opened_on=case.opened_on):
            return {
                "needs": needs,
                "risk_tier": "key",
                "assessment": text,
                "assessed_on": str(opened_on),
            }

        answers = both_read_first(
            post(world.users.room_a1, url, assessment("第一位社工的评估")),
            post(world.users.station_a, url, assessment("第二位社工的评估")),
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 400], [a.content for a in answers]
        [won] = [a for a in answers if a.status_code == 200]
        [refused] = [a for a in answers if a.status_code == 400]
        assert list(refused.json()) == ["stage"]
        stored = Case.objects.get(pk=case.pk)
        assert stored.stage == Stage.PLANNING and stored.assessment == won.json()["assessment"]
        assert stored.events.filter(kind="assessed").count() == 1
        Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)  # the next round's case


def test_of_an_acceptance_and_a_cancellation_at_once_exactly_one_is_taken(
    world, elder, both_read_first
):
    from shegong.referrals.models import Referral
    from tests.referrals.factories import ReferralFactory

    for _round in range(ROUNDS):
        referral = ReferralFactory(
            actor=world.users.room_a1,
            client=elder,
            from_unit=world.room_a1,
            to_unit=world.station_a,
        )
        url = f"/api/v1/referrals/{referral.pk}/transition/"
        answers = both_read_first(
            post(world.users.station_a, url, {"status": "accepted"}),
            post(world.users.room_a1, url, {"status": "cancelled", "note": "家属已自行联系"}),
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 400], [a.content for a in answers]
        [won] = [a for a in answers if a.status_code == 200]
        stored = Referral.objects.get(pk=referral.pk)
        assert stored.status == won.json()["status"] and stored.version == 2
        assert stored.history.count() == 2  # created, and the one transition taken
