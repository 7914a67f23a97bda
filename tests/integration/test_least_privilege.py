"""Issue 9, findings 3 and 4: purchasers and evaluators read the figures behind a project's
indicators as anonymised rows, never a client's name or record; agency staff see the clients
and records of the units they serve, not the whole district because their agency operates
the centre. The persona × object matrix for purchaser, evaluator and agency staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.purchasing.models import Evaluation
from shegong.records.models import Attachment, ServiceRecord
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_B1
from tests.integration.test_pages import read_sheet
from tests.purchasing.test_indicators import delivered  # noqa: F401
from tests.purchasing.test_purchasing import contracted, market  # noqa: F401
from tests.records.test_service_records import PNG, post_record
from tests.visits.factories import VisitFactory

pytestmark = pytest.mark.django_db

DRILLS = ["clients_served", "cases_opened", "services", "referrals_completed"]


def _drill_texts(client, project, metric):
    page = client.get(f"/projects/{project.pk}/indicators/{metric}/")
    api = client.get(f"/api/v1/projects/{project.pk}/indicators/{metric}/")
    return page, api


@pytest.mark.parametrize("persona", ["purchaser", "evaluator"])
def test_purchasers_and_evaluators_read_anonymised_drill_downs(delivered, market, client, persona):  # noqa: F811
    project = delivered.project
    Evaluation.objects.create(
        project=project, kind="mid", evaluator=market.users.evaluator, evaluator_body="x"
    )
    client.force_login(getattr(market.users, persona))
    for metric in DRILLS:
        page, api = _drill_texts(client, project, metric)
        assert page.status_code == 200 and api.status_code == 200, metric
        html, body = page.content.decode(), api.content.decode()
        for name in ("刘奶奶", "小明"):
            assert name not in html and name not in body, (persona, metric)
        assert "/clients/" not in html and "/cases/" not in html, (persona, metric)
        rows = api.json()["results"]
        assert rows and all(r["client"] is None and r["client_name"] == "" for r in rows)
        assert [r["number"] for r in rows] == list(range(1, len(rows) + 1))
    villages = {
        r["village"]
        for r in client.get(f"/api/v1/projects/{project.pk}/indicators/clients_served/").json()[
            "results"
        ]
    }
    assert villages == {market.div[VILLAGE_A1].name}
    minutes = client.get(f"/api/v1/projects/{project.pk}/indicators/services/").json()
    assert sorted(r["minutes"] for r in minutes["results"]) == [30, 60, 90]


def test_the_district_and_the_station_keep_named_rows_in_their_scope(delivered, market, client):  # noqa: F811
    project = delivered.project
    for persona, named in [("district", True), ("station_a", True), ("station_b", False)]:
        client.force_login(getattr(market.users, persona))
        for metric in ("clients_served", "cases_opened"):
            page, api = _drill_texts(client, project, metric)
            if page.status_code == 404:  # station B does not see the project at all
                assert not named and api.status_code == 404
                continue
            assert ("刘奶奶" in page.content.decode()) is named, (persona, metric)
            assert ("刘奶奶" in api.content.decode()) is named, (persona, metric)


def test_unknown_metric_over_the_api_is_404(delivered, market, client):  # noqa: F811
    client.force_login(market.users.district)
    url = f"/api/v1/projects/{delivered.project.pk}/indicators/nonsense/"
    assert client.get(url).status_code == 404


@pytest.fixture
def served(market, client):  # noqa: F811
    """A client in village A1 (station A, which the agency's project covers) and one in
    village B1 (station B, another agency's), each with a case, a visit, a service record and
    an attachment."""
    world = market
    out = {}
    for key, village, unit, actor in [
        ("in", VILLAGE_A1, world.station_a, world.users.station_a),
        ("out", VILLAGE_B1, world.station_b, world.users.station_b),
    ]:
        person = make(world, name=f"对象{key}", village=village)
        case = CaseFactory(
            actor=actor,
            client=person,
            unit=unit,
            case_worker=world.sw_a if key == "in" else world.cw_b1,
            presenting_problem="独居需要照料",
        )
        visit = VisitFactory(client=person, actor=world.users.district)
        client.force_login(actor)
        post_record(client, world, unit=unit.pk, clients=[person.pk])
        record = ServiceRecord.objects.get(clients=person)
        client.post(
            f"/service-records/{record.pk}/attachments/",
            {"file": SimpleUploadedFile("visit.png", PNG), "kind": "photo"},
        )
        attachment = Attachment.objects.get(record=record)
        out[key] = {
            "client": person,
            "urls": [
                f"/clients/{person.pk}/",
                f"/api/v1/clients/{person.pk}/",
                f"/cases/{case.pk}/",
                f"/api/v1/cases/{case.pk}/",
                f"/api/v1/visits/{visit.pk}/",
                f"/service-records/{record.pk}/",
                f"/api/v1/service-records/{record.pk}/",
                f"/service-records/{record.pk}/attachments/{attachment.pk}/",
            ],
        }
    client.logout()
    return out


# Persona × object: which of the two clients (with their case, visit, record, attachment)
# each persona may open. The agency operates the centre and station A, and delivers a
# project on station A: it sees station A's people, never station B's.
MATRIX = {
    "agency_a": {"in"},
    "agency": {"out"},  # the other agency operates station B
    "purchaser": set(),
    "evaluator": set(),
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_persona_object_matrix_for_agencies_purchasers_evaluators(served, market, client, persona):  # noqa: F811
    contracted(market)  # the agency delivers a project on station A
    client.force_login(getattr(market.users, persona))
    wrong = []
    for key, objects in served.items():
        for url in objects["urls"]:
            status = client.get(url).status_code
            expected = 200 if key in MATRIX[persona] else 404
            if status != expected:
                wrong.append((key, url, status, expected))
    assert wrong == []


def test_agency_operating_the_centre_lists_and_exports_only_its_units(served, market, client):  # noqa: F811
    client.force_login(market.users.agency_a)
    names = {c["name"] for c in client.get("/api/v1/clients/").json()["results"]}
    assert names == {"对象in"}
    page = client.get("/clients/")
    assert {c.name for c in page.context["page"].object_list} == {"对象in"}
    export = client.get("/clients/", {"export": "xlsx"})
    assert export.status_code == 200
    text = str(read_sheet(export))
    assert "对象in" in text and "对象out" not in text


@pytest.mark.parametrize(
    "persona, named",
    [("district", True), ("station_a", True), ("station_b", False), ("nobody", False)],
)
def test_the_agency_register_names_its_staff_only_to_readers_of_those_workers(
    market,  # noqa: F811
    client,
    persona,
    named,
):
    """Agencies are a public register (every account reads them), but their staff are
    people: the page counts them for everyone and names only the workers the reader may
    see in the workers register (张社工 works at station A)."""
    world = market
    users = {"nobody": world.users.nobody, **vars(world.users)}
    client.force_login(users[persona])
    page = client.get(f"/agencies/{world.agency.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ("张社工" in html) is named
    assert page.context["staff_count"] == 1
