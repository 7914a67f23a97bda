"""The REST API contract: token auth, pagination, 400 with field names for bad input and
nothing written, 403 for read-only roles, 404 out of scope, never a 500."""

import pytest
from rest_framework.test import APIClient

from shegong.access.models import Role
from shegong.network.models import Unit, UnitStatusChange
from shegong.people.models import Worker
from tests.conftest import PASSWORD, TOWN_A, VILLAGE_A1, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_district(world):
    client = APIClient()
    client.force_authenticate(world.users.district)
    return client


def test_token_auth_round_trip(world):
    from shegong.access.services import totp_enrol_with_key
    from tests.conftest import otp_code

    # An administrator: password and second factor (tests/accounts/test_tokens.py).
    totp_enrol_with_key(user=world.users.district)
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "district", "password": PASSWORD, "otp": otp_code(world.users.district)},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = client.get("/api/v1/units/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6


def test_wrong_password_gets_400_and_no_token(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "district", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_anonymous_requests_are_refused(world):
    assert APIClient().get("/api/v1/units/").status_code == 401


def test_room_on_a_town_code_is_400_naming_division(as_district, world):
    before = Unit.objects.count()
    response = as_district.post(
        "/api/v1/units/", {"kind": "room", "division": TOWN_A, "name": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "division" in response.json()
    assert Unit.objects.count() == before


def test_second_live_unit_is_400_and_writes_nothing(as_district, world):
    before = (Unit.objects.count(), UnitStatusChange.objects.count())
    response = as_district.post(
        "/api/v1/units/",
        {"kind": "room", "division": VILLAGE_A1, "name": "重复", "established_on": "2022-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "division" in response.json()
    assert (Unit.objects.count(), UnitStatusChange.objects.count()) == before


def test_create_and_move_a_unit_through_its_lifecycle(as_district, world):
    response = as_district.post(
        "/api/v1/units/",
        {
            "kind": "room",
            "division": "500112002003",
            "name": "龙祥街社区社会工作室",
            "established_on": "2022-02-01",
            "shared_facilities": ["children_home"],
            "has_group_room": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    unit = response.json()
    assert unit["status"] == "established"
    url = f"/api/v1/units/{unit['id']}/transition/"
    illegal = as_district.post(url, {"status": "demonstration", "effective_on": "2023-01-01"})
    assert illegal.status_code == 400 and "status" in illegal.json()
    ok = as_district.post(url, {"status": "operating", "effective_on": "2023-01-01"})
    assert ok.status_code == 200 and ok.json()["status"] == "operating"
    bad_date = as_district.post(url, {"status": "demonstration", "effective_on": "yesterday"})
    assert bad_date.status_code == 400 and "effective_on" in bad_date.json()


def test_lifecycle_dates_cannot_be_patched_around_the_transitions(as_district, world):
    response = as_district.patch(
        f"/api/v1/units/{world.room_a2.pk}/", {"operating_on": "2022-01-01"}, format="json"
    )
    assert response.status_code == 400 and "operating_on" in response.json()
    response = as_district.patch(
        f"/api/v1/units/{world.room_a2.pk}/", {"division": "500112002003"}, format="json"
    )
    assert response.status_code == 400 and "division" in response.json()


def test_unknown_facility_is_400(as_district, world):
    response = as_district.patch(
        f"/api/v1/units/{world.room_a1.pk}/", {"shared_facilities": ["casino"]}, format="json"
    )
    assert response.status_code == 400 and "shared_facilities" in response.json()


def test_read_only_roles_get_403_on_writes_in_scope(world):
    client = APIClient()
    client.force_authenticate(world.users.room_a1)
    assert (
        client.patch(
            f"/api/v1/units/{world.room_a1.pk}/", {"phone": "1"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/units/", {"kind": "room", "division": VILLAGE_A1, "name": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.patch(f"/api/v1/workers/{world.cw_a1.pk}/", {"name": "x"}, format="json").status_code
        == 403
    )


def test_writes_out_of_scope_are_404(world):
    client = APIClient()
    client.force_authenticate(world.users.station_a)
    assert (
        client.patch(f"/api/v1/workers/{world.cw_b1.pk}/", {"name": "x"}, format="json").status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/units/{world.station_b.pk}/transition/",
            {"status": "operating", "effective_on": "2023-01-01"},
        ).status_code
        == 404
    )


def test_worker_needs_a_role_and_an_employer(as_district, world):
    before = Worker.objects.count()
    response = as_district.post(
        "/api/v1/workers/", {"name": "新人", "division": TOWN_A, "roles": []}, format="json"
    )
    assert response.status_code == 400 and "roles" in response.json()
    response = as_district.post(
        "/api/v1/workers/",
        {"name": "新人", "division": TOWN_A, "roles": ["social_worker"]},
        format="json",
    )
    assert response.status_code == 400 and "employer_name" in response.json()
    assert Worker.objects.count() == before


def test_worker_certificate_and_posting(as_district, world):
    response = as_district.post(
        "/api/v1/workers/",
        {
            "name": "新社工",
            "division": TOWN_A,
            "roles": ["social_worker", "grid_worker"],
            "employer_name": "双龙湖街道办事处",
            "employment": "part_time",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    cert = as_district.post(
        f"/api/v1/workers/{pk}/certificates/",
        {"tier": "intermediate", "number": "Z-1", "year": 2022},
    )
    assert cert.status_code == 201
    duplicate = as_district.post(
        f"/api/v1/workers/{pk}/certificates/",
        {"tier": "intermediate", "number": "Z-1", "year": 2022},
    )
    assert duplicate.status_code == 400
    future = as_district.post(
        f"/api/v1/workers/{pk}/certificates/", {"tier": "senior", "number": "Z-2", "year": 2999}
    )
    assert future.status_code == 400 and "year" in future.json()
    post = as_district.post(
        f"/api/v1/workers/{pk}/assignments/",
        {"unit": world.station_a.pk, "start_on": "2023-01-01"},
    )
    assert post.status_code == 201
    overlap = as_district.post(
        f"/api/v1/workers/{pk}/assignments/",
        {"unit": world.station_a.pk, "start_on": "2023-06-01"},
    )
    assert overlap.status_code == 400 and "start_on" in overlap.json()
    outside = as_district.post(
        f"/api/v1/workers/{pk}/assignments/",
        {"unit": world.other_station.pk, "start_on": "2023-06-01"},
    )
    assert outside.status_code == 400 and "unit" in outside.json()
    ended = as_district.post(
        f"/api/v1/workers/{pk}/end-assignment/",
        {"assignment": post.json()["id"], "end_on": "2022-01-01"},
    )
    assert ended.status_code == 400 and "end_on" in ended.json()


def test_coverage_bad_date_is_400_naming_as_of(as_district):
    response = as_district.get("/api/v1/reports/coverage/", {"as_of": "2021-13-45"})
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_coverage_report_shape(as_district):
    body = as_district.get("/api/v1/reports/coverage/", {"as_of": "2024-06-30"}).json()
    assert body["as_of"] == "2024-06-30"
    assert {m["key"] for m in body["milestones"]} == {"coverage", "operating"}
    assert body["total"]["villages"] == 412
    town = next(t for t in body["towns"] if t["code"] == TOWN_A)
    assert town["rooms_established"] == 2 and town["station_social_worker"] == 1


def test_users_api_creates_account_with_generated_password_and_grants(as_district, world):
    response = as_district.post(
        "/api/v1/users/",
        {"username": "newstation", "display_name": "新站长", "division": TOWN_A},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["initial_password"]
    grant = as_district.post(
        f"/api/v1/users/{body['id']}/grants/", {"role": "station_staff", "unit": world.room_a1.pk}
    )
    assert grant.status_code == 400 and "unit" in grant.json()
    grant = as_district.post(
        f"/api/v1/users/{body['id']}/grants/",
        {"role": "station_staff", "unit": world.station_a.pk},
    )
    assert grant.status_code == 201
    login = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "newstation", "password": body["initial_password"]},
        format="json",
    )
    assert login.status_code == 200
    revoke = as_district.delete(f"/api/v1/users/{body['id']}/grants/{grant.json()['id']}/")
    assert revoke.status_code == 204


def test_users_api_refuses_weak_password_and_foreign_units(as_district, world):
    response = as_district.post(
        "/api/v1/users/",
        {"username": "weak", "division": TOWN_A, "password": "12345678"},
        format="json",
    )
    assert response.status_code == 400 and "password" in response.json()
    ok = as_district.post(
        "/api/v1/users/", {"username": "ok1", "division": TOWN_A}, format="json"
    ).json()
    grant = as_district.post(
        f"/api/v1/users/{ok['id']}/grants/",
        {"role": "station_staff", "unit": world.other_station.pk},
    )
    assert grant.status_code == 400 and "unit" in grant.json()
    outside = as_district.post(
        "/api/v1/users/", {"username": "ok2", "division": "500103"}, format="json"
    )
    assert outside.status_code == 400 and "division" in outside.json()


def test_schema_and_offline_docs(as_district):
    schema = as_district.get("/api/v1/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/v1/units/",
        "/api/v1/workers/",
        "/api/v1/divisions/",
        "/api/v1/users/",
        "/api/v1/reports/coverage/",
        "/api/v1/auth/token/",
    ):
        assert path in text
    docs = as_district.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


@pytest.mark.parametrize(
    "method, url, body, content_type",
    [
        (
            "post",
            "/api/v1/workers/",
            '{"name": "x", "division": "50011\\u0000"}',
            "application/json",
        ),
        (
            "post",
            "/api/v1/workers/",
            "name=x&division=50011%00",
            "application/x-www-form-urlencoded",
        ),
        ("get", "/api/v1/units/?kind=room%00", None, None),
    ],
)
def test_nul_characters_are_a_400_not_a_database_error(world, method, url, body, content_type):
    """Found by the schema fuzzer on PostgreSQL: a NUL in a related-object id was a 500."""
    client = APIClient()
    client.force_authenticate(world.users.district)
    kwargs = {"data": body, "content_type": content_type} if body else {}
    assert getattr(client, method)(url, **kwargs).status_code == 400


def test_nul_in_a_page_form_is_a_400(world, client):
    client.force_login(world.users.district)
    response = client.post("/units/new/", {"kind": "room", "division": "500112002003\x00"})
    assert response.status_code == 400


def test_token_endpoint_locks_out_like_the_login_page(world):
    from django.conf import settings

    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", {"username": "room_a1", "password": "x"})
    response = client.post("/api/v1/auth/token/", {"username": "room_a1", "password": PASSWORD})
    assert response.status_code in {400, 403, 429}
    assert "token" not in response.json()


def test_ending_a_posting_at_a_unit_outside_scope_is_refused(world):
    from shegong.people.services import assignment_add

    # 李网格 (village A1) is also posted to room B1, in town B.
    posting = assignment_add(
        worker=world.cw_a1, unit=world.room_b1, start_on="2023-01-01", actor=None
    )
    client = APIClient()
    client.force_authenticate(world.users.station_a)
    response = client.post(
        f"/api/v1/workers/{world.cw_a1.pk}/end-assignment/",
        {"assignment": posting.pk, "end_on": "2024-01-01"},
    )
    assert response.status_code == 400 and "assignment" in response.json()
    posting.refresh_from_db()
    assert posting.end_on is None


# --- The schema tells the truth (issue 9, finding 16) -------------------------------------


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    import schemathesis

    from shegong.config.wsgi import application

    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def wsgi():
    """A werkzeug client on the WSGI application, signed in as the user given."""
    from werkzeug.test import Client

    from tests.integration.openapi import SignedIn, connection_kept

    with connection_kept():
        yield lambda user=None: Client(SignedIn(user))


def conforms(openapi, method, path, response, status):
    """``response`` has ``status``, which the operation documents, in JSON matching the
    schema documented for it."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    operation = openapi[path][method]
    assert operation.responses.find_by_status_code(status) is not None, (method, path, status)
    operation.validate_response(response)
    return response.get_json()


def test_generating_the_schema_gives_no_warning(tmp_path):
    """Each drf-spectacular warning is a place the schema guesses (a path type, an enum's
    name, a component shared by two serializers): generation must have none."""
    from django.core.management import call_command
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"))


def test_every_error_is_json_in_its_documented_shape(openapi, wsgi, world):
    station, room = wsgi(world.users.station_a), wsgi(world.users.room_a1)
    unit = f"/api/v1/units/{world.station_a.pk}/"
    district = wsgi(world.users.district)
    invalid = district.post("/api/v1/units/", json={})
    assert "kind" in conforms(openapi, "POST", "/api/v1/units/", invalid, 400)
    denied = room.patch(f"/api/v1/units/{world.room_a1.pk}/", json={"phone": "1"})
    assert "detail" in conforms(openapi, "PATCH", "/api/v1/units/{id}/", denied, 403)
    missing = station.get("/api/v1/units/999999/")
    assert "detail" in conforms(openapi, "GET", "/api/v1/units/{id}/", missing, 404)
    page = station.get("/api/v1/units/", query_string={"page": 99})
    assert "detail" in conforms(openapi, "GET", "/api/v1/units/", page, 404)
    anonymous = wsgi().get("/api/v1/units/")
    assert "detail" in conforms(openapi, "GET", "/api/v1/units/", anonymous, 401)
    text = district.post("/api/v1/units/", data="kind=room", content_type="text/plain")
    assert "detail" in conforms(openapi, "POST", "/api/v1/units/", text, 415)
    # Not an operation of the schema, but JSON all the same.
    not_allowed = station.delete(unit)
    assert not_allowed.status_code == 405 and "detail" in not_allowed.get_json()
    nowhere = station.get("/api/v1/no-such-thing/")
    assert nowhere.status_code == 404 and "detail" in nowhere.get_json()


def test_a_stale_if_match_is_a_documented_412(openapi, wsgi, world):
    district = wsgi(world.users.district)
    path = f"/api/v1/units/{world.station_a.pk}/"
    stale = district.patch(path, json={"phone": "02367800000"}, headers={"If-Match": '"999"'})
    body = conforms(openapi, "PATCH", "/api/v1/units/{id}/", stale, 412)
    assert body["version"] == world.station_a.version


def test_refusals_before_drf_are_json_too(openapi, wsgi, world):
    """A NUL character (refused by a middleware, PostgreSQL cannot store it) and a multipart
    body Django cannot read are 400s like any other, not text or an HTML page."""
    station = wsgi(world.users.station_a)
    nul = station.post("/api/v1/clients/search/", json={"q": "张\x00"})
    assert "NUL" in conforms(openapi, "POST", "/api/v1/clients/search/", nul, 400)["detail"]
    in_query = station.get("/api/v1/units/", query_string={"name": "a\x00"})
    conforms(openapi, "GET", "/api/v1/units/", in_query, 400)
    broken = station.post(
        "/api/v1/clients/import/",
        data=b'--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nno end',
        content_type="multipart/form-data; boundary=",
    )
    conforms(openapi, "POST", "/api/v1/clients/import/", broken, 400)


def test_the_ledger_is_the_plain_list_its_schema_says(openapi, wsgi, world):
    response = wsgi(world.users.district).get("/api/v1/projects/ledger/", query_string={"by": "x"})
    assert isinstance(conforms(openapi, "GET", "/api/v1/projects/ledger/", response, 200), list)
    documented = openapi["/api/v1/projects/ledger/"]["GET"].definition.raw["responses"]["200"]
    assert documented["content"]["application/json"]["schema"]["type"] == "array"


def test_import_refusals_match_their_schema(openapi, wsgi, world):
    """Both kinds of 400 an import gives: the file's problem (a field error on ``file``) and
    the report of rows that failed."""
    from io import BytesIO

    from tests.network.test_unit_import import workbook

    district = wsgi(world.users.district)
    path = "/api/v1/units/import/"
    not_a_workbook = district.post(path, data={"file": (BytesIO(b"plain text"), "units.xlsx")})
    assert "file" in conforms(openapi, "POST", path, not_a_workbook, 400)
    rows = workbook([["room", "500112002001", "重复的工作室"]]).read()
    bad_rows = district.post(path, data={"file": (BytesIO(rows), "units.xlsx"), "dry_run": "1"})
    report = conforms(openapi, "POST", path, bad_rows, 400)
    assert report["errors"] and {"row", "field", "message"} <= set(report["errors"][0])


def test_a_choice_not_yet_made_reads_blank_as_documented(openapi, wsgi, world):
    """An open case has no closure reason yet: ``""``, which the schema allows."""
    from tests.cases.factories import CaseFactory
    from tests.clients.factories import ClientFactory

    station = world.users.station_a
    client = ClientFactory(actor=station)
    case = CaseFactory(actor=station, client=client, unit=world.station_a, case_worker=world.sw_a)
    response = wsgi(station).get(f"/api/v1/cases/{case.pk}/")
    assert conforms(openapi, "GET", "/api/v1/cases/{id}/", response, 200)["closure_reason"] == ""


def test_a_throttled_view_documents_its_429():
    """No view is throttled today (the login's lockout answers 400); one that is gets its
    429 documented as the JSON DRF answers."""
    from django.urls import path
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.utils import extend_schema
    from rest_framework.response import Response
    from rest_framework.throttling import UserRateThrottle
    from rest_framework.views import APIView

    class Throttled(APIView):
        throttle_classes = [UserRateThrottle]

        @extend_schema(responses={204: None})
        def get(self, request):
            return Response(status=204)

    generator = SchemaGenerator(patterns=[path("api/v1/throttled/", Throttled.as_view())])
    schema = generator.get_schema(request=None, public=True)
    answers = schema["paths"]["/api/v1/throttled/"]["get"]["responses"]
    assert answers["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert {"400", "401", "403"} <= set(answers)


def test_every_drill_down_of_a_project_not_yet_contracted_conforms(openapi, wsgi, world):
    """A budgeted project has no contract period: its completed-referrals drill-down was a
    500 (a query on a None date), found by the fuzz test. Every metric is a documented
    answer, and the metric is documented as the enum it is."""
    from shegong.purchasing.models import Metric
    from tests.purchasing.factories import ProjectFactory, PurchaserFactory

    bureau = PurchaserFactory()
    buyer = make_user("buyer", Role.PURCHASER, purchaser=bureau)
    project = ProjectFactory(actor=buyer, purchaser=bureau)
    district = wsgi(world.users.district)
    path = "/api/v1/projects/{id}/indicators/{metric}/"
    for metric in Metric.values:
        response = district.get(f"/api/v1/projects/{project.pk}/indicators/{metric}/")
        assert conforms(openapi, "GET", path, response, 200)["count"] == 0
    parameters = openapi[path]["GET"].definition.raw["parameters"]
    [documented] = [p["schema"] for p in parameters if p["name"] == "metric"]
    assert sorted(documented["enum"]) == sorted(Metric.values)
