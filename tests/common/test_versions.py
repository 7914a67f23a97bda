"""No lost update (issue 9, finding 6), one writer after the other: every editable record
has a version; a save writes only what it changed on the row as stored; the API answers
the version as ``ETag`` and refuses a stale ``If-Match`` with 412; an edit page carries the
version and shows a conflict instead of overwriting; steps are compare-and-set on the
stage. The two-sessions-at-once proof is tests/integration/test_concurrency.py."""

import pytest
from django.core.exceptions import ValidationError

from shegong.cases import services as cases
from shegong.cases.models import Case
from shegong.clients import services as clients
from shegong.clients.models import Client
from shegong.common.services import VersionConflict, model_update, parse_version
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def zsf(world):
    return make(world, name="张三丰", address="旧地址", id_missing_reason="未提供")


def test_a_record_starts_at_version_1_and_every_save_takes_the_next(world, zsf):
    assert zsf.version == 1
    clients.client_update(client=zsf, actor=world.users.room_a1, address="新地址")
    assert zsf.version == 2 and Client.objects.get(pk=zsf.pk).version == 2
    # Nothing changed: nothing saved, no new version.
    clients.client_update(client=zsf, actor=world.users.room_a1, address="新地址")
    assert Client.objects.get(pk=zsf.pk).version == 2
    assert zsf.history.first().version == 2  # the history row names the version
    from shegong.common.history import history_rows

    [change] = history_rows(zsf)[0]["changes"]  # the version is no change anyone made
    assert change["new"] == "新地址"


def test_a_save_from_a_stale_read_keeps_the_other_writers_change(world, zsf):
    """Two writers read version 1; each changes another field; both changes survive
    (``client_update`` used to write every column as it had read it)."""
    first, second = Client.objects.get(pk=zsf.pk), Client.objects.get(pk=zsf.pk)
    clients.client_update(client=first, actor=world.users.room_a1, name="张三")
    clients.client_update(client=second, actor=world.users.room_a1, address="新地址")
    stored = Client.objects.get(pk=zsf.pk)
    assert (stored.name, stored.address, stored.version) == ("张三", "新地址", 3)
    assert (second.name, second.version) == ("张三", 3)  # the writer now holds the row


def test_model_update_writes_only_the_fields_that_changed(world, zsf, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        model_update(zsf, {"address": "新地址"}, allowed=["address"], actor=world.users.room_a1)
    [update] = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert '"address"' in update and '"version"' in update and '"name"' not in update


def test_model_update_refuses_a_stale_expected_version(world, zsf):
    clients.client_update(client=zsf, actor=world.users.room_a1, address="新地址")
    with pytest.raises(VersionConflict) as exc:
        model_update(
            zsf, {"name": "别人"}, allowed=["name"], actor=world.users.room_a1, expected_version=1
        )
    assert exc.value.current.version == 2 and "version" in exc.value.message_dict
    assert Client.objects.get(pk=zsf.pk).name == "张三丰"


@pytest.mark.parametrize(
    "given, version", [(None, None), ("", None), ("*", None), ('"3"', 3), ('W/"3"', 3), ("x", -1)]
)
def test_versions_are_read_from_tags_and_fields(given, version):
    assert parse_version(given) == version


def test_api_answers_the_version_as_etag_and_honours_if_match(world, zsf):
    api = api_for(world.users.room_a1)
    url = f"/api/v1/clients/{zsf.pk}/"
    read = api.get(url)
    assert read.status_code == 200 and read["ETag"] == '"1"'
    ok = api.patch(url, {"address": "新地址"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = api.patch(url, {"name": "别人"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    assert stale.json()["version"] == 2 and "2" in stale.json()["detail"]
    assert Client.objects.get(pk=zsf.pk).name == "张三丰"
    # Without If-Match the write goes ahead (and keeps the other fields).
    blind = api.patch(url, {"name": "张三"}, format="json")
    assert blind.status_code == 200 and blind["ETag"] == '"3"'
    stored = Client.objects.get(pk=zsf.pk)
    assert (stored.name, stored.address) == ("张三", "新地址")


def test_a_stale_if_match_on_a_step_is_412_and_takes_no_step(world, zsf):
    case = CaseFactory(
        actor=world.users.room_a1, client=zsf, unit=world.room_a1, case_worker=world.cw_a1
    )
    api = api_for(world.users.room_a1)
    Case.objects.get(pk=case.pk).save()  # someone else saved it: version 2
    body = {"reason": "other", "note": "对象搬走"}
    stale = api.post(
        f"/api/v1/cases/{case.pk}/request-closure/", body, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412, stale.content
    assert Case.objects.get(pk=case.pk).stage == "intake"
    ok = api.post(
        f"/api/v1/cases/{case.pk}/request-closure/", body, format="json", HTTP_IF_MATCH='"2"'
    )
    assert ok.status_code == 200 and ok["ETag"] == '"3"'


def test_a_step_from_a_stage_that_moved_is_refused_on_the_stage(world, zsf):
    """Compare-and-set: two people read the case at intake; the first assesses it, the
    second's assessment would overwrite it, so it is refused, keyed on ``stage``."""
    case = CaseFactory(
        actor=world.users.room_a1, client=zsf, unit=world.room_a1, case_worker=world.cw_a1
    )
    from tests.records.factories import service_field

    other_read = Case.objects.get(pk=case.pk)
    step = dict(
        actor=world.users.room_a1,
        needs=[service_field("elderly")],
        risk_tier="key",
        assessment="第一位社工的评估",
        assessed_on=case.opened_on,
    )
    cases.case_assess(case=case, **step)
    with pytest.raises(ValidationError) as exc:
        cases.case_assess(case=other_read, **{**step, "assessment": "第二位社工的评估"})
    assert list(exc.value.message_dict) == ["stage"]
    assert Case.objects.get(pk=case.pk).assessment == "第一位社工的评估"


def test_the_edit_page_carries_the_version_and_shows_a_conflict(world, client, zsf):
    client.force_login(world.users.room_a1)
    page = client.get(f"/clients/{zsf.pk}/edit/")
    assert b'name="version" value="1"' in page.content
    clients.client_update(client=zsf, actor=world.users.room_a1, address="别人改的地址")
    posted = {
        "name": "张三",
        "division": VILLAGE_A1,
        "risk_tier": "general",
        "address": "旧地址",
        "id_missing_reason": "未提供",
        "version": "1",
    }
    stale = client.post(f"/clients/{zsf.pk}/edit/", posted)
    assert stale.status_code == 200
    form = stale.context["form"]
    assert form.non_field_errors() and "2" in form.non_field_errors()[0]
    # Nothing overwritten; the form shows the values as stored now, at version 2.
    stored = Client.objects.get(pk=zsf.pk)
    assert (stored.name, stored.address) == ("张三丰", "别人改的地址")
    assert "别人改的地址" in stale.content.decode() and b'name="version" value="2"' in stale.content
    # Saved again against version 2, it goes through.
    again = client.post(f"/clients/{zsf.pk}/edit/", {**posted, "version": "2"})
    assert again.status_code == 302
    assert Client.objects.get(pk=zsf.pk).name == "张三"


def test_the_conflict_reads_in_chinese(world, client, zsf):
    client.force_login(world.users.room_a1)
    clients.client_update(client=zsf, actor=world.users.room_a1, address="别人改的地址")
    page = client.post(
        f"/clients/{zsf.pk}/edit/",
        {"name": "张三", "division": VILLAGE_A1, "risk_tier": "general", "version": "1"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "其他人" in page.context["form"].non_field_errors()[0]


def test_the_schema_documents_etag_if_match_and_412():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    detail = paths["/api/v1/clients/{id}/"]
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    for write in (detail["patch"], detail["put"], paths["/api/v1/cases/{id}/assess/"]["post"]):
        headers = [p["name"] for p in write["parameters"] if p["in"] == "header"]
        assert "If-Match" in headers and "412" in write["responses"]
        assert "ETag" in write["responses"]["200"]["headers"]
    assert "If-Match" not in str(paths["/api/v1/clients/"]["get"])


def test_accounts_are_versioned_and_a_sign_in_is_no_edit(world, client):
    from shegong.access.models import User

    account = world.users.station_a
    before = User.objects.get(pk=account.pk).version
    client.force_login(account)  # saves last_login only
    assert User.objects.get(pk=account.pk).version == before
    api = api_for(world.users.district)
    url = f"/api/v1/users/{account.pk}/"
    assert api.get(url)["ETag"] == f'"{before}"'
    stale = f'"{before - 1}"'
    refused = api.patch(url, {"display_name": "改名"}, format="json", HTTP_IF_MATCH=stale)
    assert refused.status_code == 412
    ok = api.patch(url, {"display_name": "改名"}, format="json", HTTP_IF_MATCH=f'"{before}"')
    assert ok.status_code == 200 and ok["ETag"] == f'"{before + 1}"'


def test_a_unit_transition_from_a_status_that_moved_is_refused(world):
    """One reads the room operating and closes it; meanwhile another made it a
    demonstration room: the closure is refused on ``status`` rather than applied."""
    from django.utils.timezone import localdate

    from shegong.network import services as network
    from shegong.network.models import Unit, UnitStatus

    room = Unit.objects.get(pk=world.room_a1.pk)
    stale = Unit.objects.get(pk=room.pk)
    assert room.status == UnitStatus.OPERATING
    district, today = world.users.district, localdate()
    network.unit_transition(
        unit=room, to_status=UnitStatus.DEMONSTRATION, effective_on=today, actor=district
    )
    with pytest.raises(ValidationError) as exc:
        network.unit_transition(
            unit=stale, to_status=UnitStatus.CLOSED, effective_on=today, actor=district
        )
    assert list(exc.value.message_dict) == ["status"]
    assert Unit.objects.get(pk=room.pk).status == UnitStatus.DEMONSTRATION


def test_the_etag_after_an_update_saving_the_row_twice_is_the_stored_version(world):
    from shegong.access.models import User

    account = world.users.station_a
    api = api_for(world.users.district)
    body = {"display_name": "改名", "password": "Another-Passw0rd!x"}
    answer = api.patch(f"/api/v1/users/{account.pk}/", body, format="json")
    assert answer.status_code == 200, answer.content
    assert answer["ETag"] == f'"{User.objects.get(pk=account.pk).version}"'


def test_every_edit_page_carries_the_version(world, client):
    world.agency.refresh_from_db()
    pages = {
        f"/units/{world.room_a1.pk}/edit/": world.room_a1,
        f"/workers/{world.cw_a1.pk}/edit/": world.cw_a1,
        f"/agencies/{world.agency.pk}/edit/": world.agency,
        f"/accounts/{world.users.room_a1.pk}/edit/": world.users.room_a1,
    }
    client.force_login(world.users.district)
    for url, record in pages.items():
        record.refresh_from_db()
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'name="version" value="{record.version}"'.encode() in page.content, url


def test_an_activity_evaluated_meanwhile_is_not_evaluated_again_over_it(world):
    from django.utils.timezone import localdate

    from shegong.activities import services as activities
    from shegong.activities.models import Activity
    from tests.activities.test_activities import hold, plan_group

    group = plan_group(world)
    hold(world, group, other_participants=3)
    assert group.status == "running"  # the session's step left the caller's object current
    stale = Activity.objects.get(pk=group.pk)
    done = {"evaluated_on": localdate(), "goals_met": "fully", "actor": world.users.station_a}
    activities.activity_evaluate(activity=group, evaluation="第一份总结", **done)
    with pytest.raises(ValidationError) as exc:
        activities.activity_evaluate(activity=stale, evaluation="第二份总结", **done)
    assert list(exc.value.message_dict) == ["status"]
    assert Activity.objects.get(pk=group.pk).evaluation == "第一份总结"
