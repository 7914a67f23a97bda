"""The role × object scoping matrix, over every page and endpoint that shows one object,
and every list. Edges: own unit, child, sibling, parent, other district. Out of scope is
always 404, whatever the role may otherwise do."""

import re
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.timezone import localdate

from shegong.access.models import Role
from shegong.clients.services import risk_alert_raise
from shegong.common.models import ImportJob
from shegong.notifications.models import Channel, ChannelKind, Kind, Notification
from shegong.people.services import assignment_add
from shegong.purchasing.models import Evaluation
from shegong.records.models import ServiceField
from tests.activities.factories import ActivityFactory
from tests.cases.factories import CaseFactory
from tests.clients.factories import ClientFactory
from tests.conftest import D, make_user
from tests.purchasing.factories import ProjectFactory, PurchaserFactory
from tests.records.factories import ServiceRecordFactory
from tests.referrals.factories import ReferralFactory
from tests.visits.factories import VisitFactory

pytestmark = pytest.mark.django_db

UNITS = ["center", "station_a", "station_b", "room_a1", "room_a2", "room_b1", "other_station"]
WORKERS = ["sw_a", "cw_a1", "cw_a2", "cw_b1", "other_worker"]

# What each persona may see. Parent and sibling units are out of scope.
VISIBLE = {
    "district": {
        "center",
        "station_a",
        "station_b",
        "room_a1",
        "room_a2",
        "room_b1",
        "sw_a",
        "cw_a1",
        "cw_a2",
        "cw_b1",
    },
    "station_a": {"station_a", "room_a1", "room_a2", "sw_a", "cw_a1", "cw_a2"},
    "room_a1": {"room_a1", "cw_a1"},
    "station_b": {"station_b", "room_b1", "cw_b1"},
    # The agency operates station B, so it covers town B.
    "agency": {"station_b", "room_b1", "cw_b1"},
    # 三员: no service data at all.
    "sysadmin": set(),
    "auditor": set(),
    "nobody": set(),
}

UNIT_PAGES = ["/units/{pk}/", "/api/v1/units/{pk}/"]
UNIT_EDIT_PAGES = ["/units/{pk}/edit/", "/units/{pk}/status/"]
WORKER_PAGES = ["/workers/{pk}/", "/api/v1/workers/{pk}/"]


@pytest.mark.parametrize("persona", list(VISIBLE))
def test_detail_is_visible_only_in_scope(world, client, persona):
    """One world per persona; every object × every detail page and endpoint."""
    client.force_login(getattr(world.users, persona))
    wrong = []
    for obj in UNITS + WORKERS:
        for url in UNIT_PAGES if obj in UNITS else WORKER_PAGES:
            status = client.get(url.format(pk=getattr(world, obj).pk)).status_code
            expected = 200 if obj in VISIBLE[persona] else 404
            if status != expected:
                wrong.append((obj, url, status, expected))
    assert wrong == []


def test_edit_pages_out_of_scope_are_404_for_editors_and_403_for_readers(world, client):
    for persona in ["district", "station_a", "room_a1"]:
        client.force_login(getattr(world.users, persona))
        for url in UNIT_EDIT_PAGES + ["/workers/{pk}/edit/"]:
            target = world.other_worker if "workers" in url else world.other_station
            response = client.get(url.format(pk=target.pk))
            # A reader learns nothing either way: 403 comes before any lookup.
            editor = persona == "district" or (persona == "station_a" and "workers" in url)
            assert response.status_code == (404 if editor else 403), (persona, url)
            # And in scope the editor gets the page.
            if editor:
                own = world.cw_a1 if "workers" in url else world.room_a1
                assert client.get(url.format(pk=own.pk)).status_code == 200, (persona, url)


@pytest.mark.parametrize("persona", list(VISIBLE))
def test_lists_hold_exactly_the_objects_in_scope(world, client, persona):
    client.force_login(getattr(world.users, persona))
    expected_units = {getattr(world, o).pk for o in UNITS if o in VISIBLE[persona]}
    expected_workers = {getattr(world, o).pk for o in WORKERS if o in VISIBLE[persona]}
    api_units = client.get("/api/v1/units/", {"page_size": 500}).json()["results"]
    api_workers = client.get("/api/v1/workers/").json()["results"]
    assert {u["id"] for u in api_units} == expected_units
    assert {w["id"] for w in api_workers} == expected_workers
    page = client.get("/units/")
    assert {u.pk for u in page.context["page"].object_list} == expected_units
    page = client.get("/workers/")
    assert {w.pk for w in page.context["page"].object_list} == expected_workers


@pytest.mark.parametrize(
    "persona, status, towns",
    [
        ("district", 200, 30),
        ("station_a", 200, 1),
        ("station_b", 200, 1),
        ("room_a1", 403, None),
        ("sysadmin", 403, None),
        ("auditor", 403, None),
        ("nobody", 403, None),
    ],
)
def test_coverage_report_and_page_by_role(world, client, persona, status, towns):
    client.force_login(getattr(world.users, persona))
    response = client.get("/api/v1/reports/coverage/")
    assert response.status_code == status
    assert client.get("/coverage/").status_code == status
    assert client.get("/coverage/", {"export": "xlsx"}).status_code == status
    if towns is not None:
        assert len(response.json()["towns"]) == towns


def test_drilldown_never_lists_out_of_scope_units(world, client):
    client.force_login(world.users.station_a)
    response = client.get("/coverage/details/", {"metric": "rooms_established"})
    names = {u.name for u in response.context["page"].object_list}
    assert names == {"五星路社区社会工作室", "龙昌街社区社会工作室"}
    # Asking for another town's figures gives nothing, not that town's units.
    response = client.get(
        "/coverage/details/", {"metric": "rooms_established", "town": "500112004"}
    )
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize(
    "persona, count",
    [("district", 412), ("station_a", 18), ("room_a1", 1), ("sysadmin", 0), ("nobody", 0)],
)
def test_divisions_api_is_scoped(world, client, persona, count):
    client.force_login(getattr(world.users, persona))
    response = client.get("/api/v1/divisions/", {"level": 12})
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    "persona, status",
    [
        ("district", 200),
        ("sysadmin", 200),
        ("station_a", 403),
        ("room_a1", 403),
        ("auditor", 403),
        ("nobody", 403),
    ],
)
def test_accounts_are_managed_by_district_and_system_administrators(world, client, persona, status):
    client.force_login(getattr(world.users, persona))
    assert client.get("/api/v1/users/").status_code == status
    assert client.get("/accounts/").status_code == status
    assert client.get(f"/accounts/{world.users.room_a1.pk}/").status_code == status


def test_account_outside_the_district_is_404(world, client):
    from tests.conftest import make_user

    outsider = make_user("outsider", division=world.div["500103"])
    client.force_login(world.users.district)
    assert client.get(f"/api/v1/users/{outsider.pk}/").status_code == 404
    assert client.get(f"/accounts/{outsider.pk}/").status_code == 404


def test_audit_log_is_for_audit_and_district_administrators(world, client):
    for persona, status in [
        ("auditor", 200),
        ("district", 200),
        ("sysadmin", 403),
        ("station_a", 403),
    ]:
        client.force_login(getattr(world.users, persona))
        assert client.get("/audit/").status_code == status, persona


def test_every_page_view_declares_it_is_scope_safe():
    """Deny by default: a new page that forgets the guard fails here (after CommCare)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    unguarded = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) in {"admin/", "api/v1/", "i18n/"}:
                    continue
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                # The admin's password form only redirects to the site's own (guarded) page.
                if route in {"login/", "logout/", "admin/password_change/"}:
                    continue
                if not getattr(p.callback, "scope_safe", False):
                    unguarded.append(route)

    walk(get_resolver().url_patterns)
    assert unguarded == []


# Registers every signed-in user may read whatever their area: agencies (name, credit code,
# registration — published by civil affairs) are contracted across districts.
# Registers not held by a district: agencies serve several, and the crisis-word lexicon is
# the deployment's one reviewed list.
PUBLIC_REGISTERS = {"agencies", "crisis-words"}


def elsewhere_people(world):
    """An account in 渝中区 on its station, and the station's worker posted there."""
    outsider = make_user(
        "outsider", Role.STATION_STAFF, world.other_station, division=world.div["500103"]
    )
    posting = assignment_add(
        worker=world.other_worker, unit=world.other_station, start_on=D(2022, 1, 1), actor=None
    )
    return outsider, outsider.grants.get(), posting


def elsewhere_services(world, outsider):
    """A client of 渝中区 with a visit, a risk alert, a referral, a service record, a case and
    a group — each made by the station there."""
    client = ClientFactory(
        name="渝中居民", division=world.div["500103001003"], id_missing_reason="无"
    )
    station = {"actor": outsider, "unit": world.other_station}
    field = ServiceField.objects.first()
    return {
        "clients": client,
        "visits": VisitFactory(client=client, actor=world.users.district, visited_on=D(2024, 1, 2)),
        "alerts": risk_alert_raise(client=client, actor=None, reason="测试"),
        "referrals": ReferralFactory(
            actor=outsider,
            client=client,
            from_unit=world.other_station,
            external_kind="hospital",
            reason="测试转介",
        ),
        "service-records": ServiceRecordFactory(
            **station,
            served_on=D(2024, 1, 2),
            duration_minutes=30,
            method="phone",
            field=field,
            other_participants=1,
        ),
        "cases": CaseFactory(
            **station,
            client=client,
            case_worker=world.other_worker,
            opened_on=D(2024, 1, 2),
            presenting_problem="测试问题",
        ),
        "activities": ActivityFactory(
            **station,
            title="渝中小组",
            field=field,
            leader=world.other_worker,
            needs="测试",
            goals="测试",
            start_on=D(2024, 1, 2),
        ),
    }


def elsewhere_purchasing(world, outsider):
    """渝中区's purchaser, a project its buyer filed with a mid-term evaluation and an
    instalment, and an import job of the outsider's."""
    purchaser = PurchaserFactory(name="渝中区民政局", division=world.div["500103"])
    buyer = make_user(
        "yuzhong_buyer", Role.PURCHASER, purchaser=purchaser, division=purchaser.division
    )
    project = ProjectFactory(
        actor=buyer,
        purchaser=purchaser,
        name="渝中项目",
        budget_amount=1000,
        budget_approved_on=D(2024, 1, 1),
    )
    evaluation = Evaluation.objects.create(
        project=project, kind="mid", evaluator=outsider, evaluator_body="x"
    )
    instalment = project.instalments.create(number=1, share=100)
    job = ImportJob.objects.create(kind="roster", original_name="x.xlsx", created_by=outsider)
    objects = {"projects": project, "evaluations": evaluation, "purchasers": purchaser}
    return objects | {"imports": job, "import-jobs": job}, instalment


@pytest.fixture
def elsewhere(world):
    """For each resource an object in another district (渝中区), by the route's first segment,
    and the ids the nested routes take."""
    outsider, grant, posting = elsewhere_people(world)
    objects, instalment = elsewhere_purchasing(world, outsider)
    objects |= elsewhere_services(world, outsider)
    objects["notifications"] = Notification.objects.create(
        user=outsider, kind=Kind.DIGEST, key="digest", day=localdate(), title="渝中"
    )
    objects["notification-channels"] = Channel.objects.create(
        unit=world.other_station, kind=ChannelKind.EMAIL, name="渝中", recipients="a@example.org"
    )
    ids = {name: obj.pk for name, obj in objects.items()}
    ids |= {"units": world.other_station.pk, "workers": world.other_worker.pk}
    ids |= {"accounts": outsider.pk, "users": outsider.pk, "security": outsider.pk}
    ids["divisions"] = "500103"
    nested = {
        "assignment_id": posting.pk,
        "grant_id": grant.pk,
        "status": "accepted",
        "step": "assess",
        "instalment_id": instalment.pk,
        "evidence_id": 1,
        "attachment_id": 1,
        "metric": "visits",
        "section": "visits",  # a client file's section
        "other_pk": ids["clients"],  # a merge with another district's client
    }
    return SimpleNamespace(ids=ids, nested=nested)


def object_routes(patterns, prefix=""):
    """Every route of the URL configuration (the admin's aside) that takes an object id."""
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern) != "admin/":
                yield from object_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if re.search(r"<(\w+:)?(pk|code)>|\(\?P<(pk|code)>", route) and "format" not in route:
                yield route


def path_for(route, elsewhere):
    """The route with the out-of-scope object's id filled in; None for a public register."""
    path = "/" + route.replace("^", "").replace("$", "").replace("\\", "")
    resource = re.search(r"(?:api/v1/)?([a-z-]+)/", path).group(1)
    if resource in PUBLIC_REGISTERS:
        return None
    assert resource in elsewhere.ids, f"no out-of-scope object for {route}"
    object_id = str(elsewhere.ids[resource])
    path = re.sub(r"<(?:int:|str:)?(?:pk|code)>|\(\?P<(?:pk|code)>[^)]*\)", object_id, path)
    for name, value in elsewhere.nested.items():
        path = re.sub(rf"<(?:int|str|slug):{name}>|\(\?P<{name}>[^)]*\)", str(value), path)
    # A part left unfilled would be a 404 of the resolver's, proving nothing.
    assert not re.search(r"<\w|\(\?P", path), f"unfilled part of {route}: {path}"
    return path


def test_every_object_route_answers_404_for_another_districts_object(world, client, elsewhere):
    """Walk the URL configuration: every page and endpoint that takes an object id answers
    404 (or 405 for a method it lacks) for an object in another district, even to the
    district administrator. A new route with an unmapped resource fails this test."""
    client.force_login(world.users.district)
    checked, wrong = [], []
    for route in object_routes(get_resolver().url_patterns):
        path = path_for(route, elsewhere)
        if path is None:
            continue
        statuses = {
            method: getattr(client, method)(path).status_code
            for method in ("get", "post", "delete")
        }
        checked.append(path)
        if not set(statuses.values()) <= {404, 405} or 404 not in statuses.values():
            wrong.append((path, statuses))
    assert len(checked) >= 20
    assert wrong == []
