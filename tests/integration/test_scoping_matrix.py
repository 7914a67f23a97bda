"""The role × object scoping matrix, over every page and endpoint that shows one object,
and every list. Edges: own unit, child, sibling, parent, other district. Out of scope is
always 404, whatever the role may otherwise do."""

import pytest

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
                if route in {"login/", "logout/"}:
                    continue
                if not getattr(p.callback, "scope_safe", False):
                    unguarded.append(route)

    walk(get_resolver().url_patterns)
    assert unguarded == []


# Registers every signed-in user may read whatever their area: agencies (name, credit code,
# registration — published by civil affairs) are contracted across districts.
PUBLIC_REGISTERS = {"agencies"}


def test_every_object_route_answers_404_for_another_districts_object(world, client):
    """Walk the URL configuration: every page and endpoint that takes an object id answers
    404 (or 405 for a method it lacks) for an object in another district, even to the
    district administrator. A new route with an unmapped resource fails this test."""
    import re

    from django.urls import URLPattern, URLResolver, get_resolver

    from shegong.access.services import grant_add
    from shegong.people.services import assignment_add
    from tests.conftest import D, make_user

    outsider = make_user("outsider", division=world.div["500103"])
    grant = grant_add(user=outsider, role="station_staff", unit=world.other_station, actor=None)
    posting = assignment_add(
        worker=world.other_worker, unit=world.other_station, start_on=D(2022, 1, 1), actor=None
    )
    from shegong.clients.services import client_create

    other_client = client_create(
        actor=None, name="渝中居民", division=world.div["500103001003"], id_missing_reason="无"
    )
    from shegong.visits.services import visit_record

    other_visit = visit_record(
        client=other_client, actor=world.users.district, visited_on=D(2024, 1, 2), mode="phone"
    )
    from shegong.clients.services import risk_alert_raise

    other_alert = risk_alert_raise(client=other_client, actor=None, reason="测试")
    from django.utils import timezone

    from shegong.referrals.models import Referral

    other_referral = Referral.objects.create(
        client=other_client,
        from_unit=world.other_station,
        external_kind="hospital",
        reason="测试转介",
        consent_checked=True,
        due_at=timezone.now(),
        created_by=world.users.district,
    )
    from shegong.records.models import ServiceField, ServiceRecord

    other_record = ServiceRecord.objects.create(
        unit=world.other_station,
        served_on=D(2024, 1, 2),
        duration_minutes=30,
        method="phone",
        field=ServiceField.objects.first(),
        other_participants=1,
        created_by=world.users.district,
    )
    from shegong.cases.models import Case

    other_case = Case.objects.create(
        client=other_client,
        unit=world.other_station,
        case_worker=world.other_worker,
        opened_on=D(2024, 1, 2),
        source="visit",
        presenting_problem="测试",
        created_by=world.users.district,
    )
    from shegong.activities.models import Activity

    other_activity = Activity.objects.create(
        kind="group",
        unit=world.other_station,
        title="渝中小组",
        field=ServiceField.objects.first(),
        leader=world.other_worker,
        needs="测试",
        goals="测试",
        start_on=D(2024, 1, 2),
        created_by=world.users.district,
    )
    from shegong.common.models import ImportJob

    other_job = ImportJob.objects.create(kind="roster", original_name="x.xlsx", created_by=outsider)
    from shegong.purchasing.models import Evaluation, Project, Purchaser

    other_purchaser = Purchaser.objects.create(
        name="渝中区民政局", kind="civil_affairs", division=world.div["500103"]
    )
    other_project = Project.objects.create(
        purchaser=other_purchaser,
        division_id="500103",
        name="渝中项目",
        funding_source="lottery",
        budget_amount=1000,
        budget_approved_on=D(2024, 1, 1),
    )
    other_evaluation = Evaluation.objects.create(
        project=other_project, kind="mid", evaluator=outsider, evaluator_body="x"
    )
    instalment = other_project.instalments.create(number=1, share=100)
    ids = {
        "projects": other_project.pk,
        "evaluations": other_evaluation.pk,
        "purchasers": other_purchaser.pk,
        "imports": other_job.pk,
        "import-jobs": other_job.pk,
        "activities": other_activity.pk,
        "cases": other_case.pk,
        "service-records": other_record.pk,
        "referrals": other_referral.pk,
        "alerts": other_alert.pk,
        "visits": other_visit.pk,
        "clients": other_client.pk,
        "units": world.other_station.pk,
        "workers": world.other_worker.pk,
        "accounts": outsider.pk,
        "users": outsider.pk,
        "security": outsider.pk,
        "divisions": "500103",
    }
    nested = {
        "assignment_id": posting.pk,
        "grant_id": grant.pk,
        "status": "accepted",
        "step": "assess",
        "instalment_id": instalment.pk,
        "evidence_id": 1,
        "attachment_id": 1,
        "metric": "visits",
    }

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) != "admin/":
                    yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    client.force_login(world.users.district)
    checked, wrong = [], []
    for route in walk(get_resolver().url_patterns):
        if "pk" not in route or "format" in route:
            continue
        path = "/" + route.replace("^", "").replace("$", "").replace("\\", "")
        resource = re.search(r"(?:api/v1/)?([a-z-]+)/", path).group(1)
        if resource in PUBLIC_REGISTERS:
            continue
        assert resource in ids, f"no out-of-scope object for {route}"
        path = re.sub(r"<int:pk>|\(\?P<pk>[^)]*\)", str(ids[resource]), path)
        for name, value in nested.items():
            path = re.sub(rf"<(?:int|str):{name}>|\(\?P<{name}>[^)]*\)", str(value), path)
        statuses = {
            method: getattr(client, method)(path).status_code
            for method in ("get", "post", "delete")
        }
        checked.append(path)
        if not set(statuses.values()) <= {404, 405} or 404 not in statuses.values():
            wrong.append((path, statuses))
    assert len(checked) >= 20
    assert wrong == []
