"""Purchased services over the API: the lifecycle, and the scoping matrix for purchaser,
agency, evaluator and district roles (out of scope → 404)."""

import datetime
from decimal import Decimal

import pytest
from django.utils.timezone import localdate

from shegong.purchasing.models import Criterion, Purchaser
from tests.conftest import api_for
from tests.purchasing.factories import ProjectFactory, assign_evaluation, some_targets
from tests.purchasing.test_purchasing import VALID_CODES, contracted, market  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.timedelta


def file_and_sign_over_the_api(world, buyer):
    """The buyer files a project, procures, awards and signs it over the API; paying or
    closing before the contract is refused. Returns the project's id and the signed body."""
    made = buyer.post(
        "/api/v1/projects/",
        {
            "name": "回兴街道社工站项目",
            "purchaser": world.bureau.pk,
            "funding_source": "lottery",
            "budget_amount": "200000",
            "budget_approved_on": str(localdate() - D(100)),
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    early = buyer.post(
        f"/api/v1/projects/{pk}/pay/", {"instalment": 1, "paid_on": str(localdate())}
    )
    assert early.status_code == 404  # no instalments before a contract
    jump = buyer.post(f"/api/v1/projects/{pk}/close/", {"closed_on": str(localdate())})
    assert jump.status_code == 400 and "stage" in jump.json()
    assert (
        buyer.post(
            f"/api/v1/projects/{pk}/procure/",
            {"method": "public_tender", "started_on": str(localdate() - D(90))},
        ).status_code
        == 200
    )
    assert (
        buyer.post(
            f"/api/v1/projects/{pk}/award/",
            {"agency": world.agency.pk, "awarded_on": str(localdate() - D(80))},
        ).status_code
        == 200
    )
    from shegong.purchasing.models import IndicatorTemplate

    terms = {
        "contract_number": "HT-1",
        "contract_amount": "190000",
        "start_on": str(localdate() - D(70)),
        "end_on": str(localdate() + D(295)),
        "units": [world.station_b.pk],
        "fields": ["elderly"],
        "target_groups": ["dibao"],
        "commitments": [{"unit": world.station_b.pk, "full_time": 1}],
        "instalments": [{"share": "50", "after": ""}, {"share": "50", "after": "final"}],
    }
    # No targets, then a satisfaction target of 20 on a 1–5 scale: refused on "indicators".
    blank = buyer.post(f"/api/v1/projects/{pk}/contract/", terms, format="json")
    assert blank.status_code == 400 and "indicators" in blank.json(), blank.json()
    satisfaction = IndicatorTemplate.objects.get(metric="satisfaction")
    served = IndicatorTemplate.objects.get(metric="clients_served", target_group=None)
    nonsense = buyer.post(
        f"/api/v1/projects/{pk}/contract/",
        {**terms, "indicators": [{"template": satisfaction.pk, "target": "20", "weight": "10"}]},
        format="json",
    )
    assert nonsense.status_code == 400
    assert "1" in nonsense.json()["indicators"][0] and "5" in nonsense.json()["indicators"][0]
    signed = buyer.post(
        f"/api/v1/projects/{pk}/contract/",
        {
            **terms,
            "indicators": [
                {"template": satisfaction.pk, "target": "4.5", "weight": "10"},
                {"template": served.pk, "target": "300", "weight": "90"},
            ],
        },
        format="json",
    )
    assert signed.status_code == 200, signed.json()
    return pk, signed.json()


def test_lifecycle_over_the_api(market):  # noqa: F811
    world = market
    buyer = api_for(world.users.purchaser)
    pk, body = file_and_sign_over_the_api(world, buyer)
    assert body["stage"] == "contracted" and len(body["instalments"]) == 2
    first = body["instalments"][0]["id"]
    paid = buyer.post(
        f"/api/v1/projects/{pk}/pay/", {"instalment": first, "paid_on": str(localdate())}
    )
    assert paid.status_code == 200 and paid.json()["instalments"][0]["paid_amount"] == "95000.00"
    second = body["instalments"][1]["id"]
    waiting = buyer.post(
        f"/api/v1/projects/{pk}/pay/", {"instalment": second, "paid_on": str(localdate())}
    )
    assert waiting.status_code == 400 and "instalment" in waiting.json()
    report = api_for(world.users.agency_a).post(
        f"/api/v1/projects/{pk}/reports/", {"month": str(localdate()), "summary": "本月走访120户"}
    )
    assert report.status_code == 201
    from shegong.purchasing.models import IndicatorTemplate

    template = IndicatorTemplate.objects.get(metric="visits")
    set_ = buyer.post(
        f"/api/v1/projects/{pk}/set-indicators/",
        [{"template": template.pk, "target": "200", "weight": "40"}],
        format="json",
    )
    assert set_.status_code == 200 and set_.json()["figures"][0]["target"] == 200
    refused = api_for(world.users.agency_a).post(
        f"/api/v1/projects/{pk}/set-indicators/", [], format="json"
    )
    assert refused.status_code == 403
    board = buyer.get(f"/api/v1/projects/{pk}/indicators/").json()
    assert board["project"] == pk and 0 < board["elapsed"] < 1
    ledger = buyer.get("/api/v1/projects/ledger/", {"by": "purchaser"}).json()
    assert ledger[0]["paid"] == "95000.00" and ledger[0]["remaining"] == "95000.00"


def test_credit_code_is_checked_by_the_agency_api(market):  # noqa: F811
    world = market
    district = api_for(world.users.district)
    bad = district.post(
        "/api/v1/agencies/", {"name": "某机构", "credit_code": "52500112MJ12345674"}
    )
    assert bad.status_code == 400 and "credit_code" in bad.json()
    ok = district.post(
        "/api/v1/agencies/", {"name": "某机构", "credit_code": VALID_CODES[0].lower()}
    )
    assert ok.status_code == 201 and ok.json()["credit_code"] == VALID_CODES[0]
    pk = ok.json()["id"]
    patched = district.patch(f"/api/v1/agencies/{pk}/", {"contact_person": "王主任"})
    assert patched.status_code == 200 and patched.json()["credit_code"] == VALID_CODES[0]
    broken = district.patch(f"/api/v1/agencies/{pk}/", {"credit_code": "91350100M000100Y44"})
    assert broken.status_code == 400 and "credit_code" in broken.json()
    twice = district.post("/api/v1/agencies/", {"name": "又一机构", "credit_code": VALID_CODES[0]})
    assert twice.status_code == 400
    assert (
        api_for(world.users.purchaser).post("/api/v1/agencies/", {"name": "另一机构"}).status_code
        == 403
    )


@pytest.fixture
def two_projects(market):  # noqa: F811
    """The bureau's project at station A (won by the world's agency) and a town project
    at station B (won by another agency), each with a mid-term evaluation assigned."""
    from shegong.purchasing import services

    world = market
    mine = contracted(world)
    world.other_agency.credit_code = VALID_CODES[0]
    world.other_agency.save()
    town_actor = world.users.town_buyer
    other = ProjectFactory(
        actor=town_actor,
        purchaser=world.town_purchaser,
        name="回兴街道项目",
        funding_source="town_funds",
        budget_amount=Decimal("50000"),
        budget_approved_on=localdate() - D(100),
    )
    other = services.procurement_start(
        project=other, actor=town_actor, method="inquiry", started_on=localdate() - D(90)
    )
    other = services.procurement_award(
        project=other, actor=town_actor, agency=world.other_agency, awarded_on=localdate() - D(80)
    )
    other = services.contract_sign(
        project=other,
        actor=town_actor,
        contract_number="HX-1",
        contract_amount=Decimal("50000"),
        start_on=localdate() - D(70),
        end_on=localdate() + D(100),
        units=[world.station_b],
        instalments=[(100, "", None)],
        targets=some_targets(),
    )
    assign_evaluation(world, mine, body="第三方甲")
    assign_evaluation(
        world, other, actor=town_actor, evaluator=world.users.other_evaluator, body="第三方乙"
    )
    world.users.other_agency_staff = world.users.agency  # conftest: staff of other_agency
    return world, mine, other


@pytest.mark.parametrize(
    "persona, sees_mine, sees_other",
    [
        ("district", True, True),
        ("purchaser", True, False),
        ("town_buyer", False, True),
        ("agency_a", True, False),
        ("other_agency_staff", False, True),
        ("evaluator", True, False),
        ("other_evaluator", False, True),
        ("station_a", True, False),  # the project covers station A
        ("station_b", False, True),
        ("room_a1", False, False),
        ("sysadmin", False, False),
        ("nobody", False, False),
    ],
)
def test_project_scoping_matrix(two_projects, persona, sees_mine, sees_other):
    world, mine, other = two_projects
    api = api_for(getattr(world.users, persona))
    listed = {p["id"] for p in api.get("/api/v1/projects/").json()["results"]}
    assert listed == {p.pk for p, sees in ((mine, sees_mine), (other, sees_other)) if sees}
    for project, sees in ((mine, sees_mine), (other, sees_other)):
        assert api.get(f"/api/v1/projects/{project.pk}/").status_code == (200 if sees else 404)
        assert api.get(f"/api/v1/projects/{project.pk}/indicators/").status_code == (
            200 if sees else 404
        )
        evaluation = project.evaluations.get()
        assert api.get(f"/api/v1/evaluations/{evaluation.pk}/").status_code == (
            200 if sees else 404
        )
    ledger_ids = {int(r["key"]) for r in api.get("/api/v1/projects/ledger/").json()}
    assert ledger_ids == {p.pk for p, sees in ((mine, sees_mine), (other, sees_other)) if sees}


def test_read_only_roles_cannot_step_a_project(two_projects):
    world, mine, _other = two_projects
    for persona in ("evaluator", "agency_a", "station_a"):
        api = api_for(getattr(world.users, persona))
        response = api.post(f"/api/v1/projects/{mine.pk}/close/", {"closed_on": str(localdate())})
        assert response.status_code == 403, persona
    # A purchaser steps only its own projects: another's is not even there.
    town = api_for(world.users.town_buyer)
    assert (
        town.post(f"/api/v1/projects/{mine.pk}/close/", {"closed_on": str(localdate())}).status_code
        == 404
    )


def test_evaluator_scores_only_its_sheet_and_cannot_change_service_records(two_projects):
    from shegong.records.models import ServiceField
    from shegong.records.services import service_record_create

    world, mine, other = two_projects
    record = service_record_create(
        actor=world.users.station_a,
        unit=world.station_a,
        served_on=localdate(),
        duration_minutes=30,
        method="visit",
        field=ServiceField.objects.first(),
        other_participants=3,
        project=mine,
    )
    evaluator = api_for(world.users.evaluator)
    # No service data of its own: the ledger and records are out of reach, writes refused.
    assert evaluator.get(f"/api/v1/service-records/{record.pk}/").status_code == 404
    assert evaluator.post("/api/v1/service-records/", {}).status_code == 403
    assert evaluator.get("/api/v1/service-records/").json()["results"] == []
    sheet = [{"criterion": c.pk, "points": str(c.weight)} for c in Criterion.objects.all()]
    mine_eval, other_eval = mine.evaluations.get(), other.evaluations.get()
    assert (
        evaluator.post(
            f"/api/v1/evaluations/{other_eval.pk}/score/", {"scores": sheet}, format="json"
        ).status_code
        == 404
    )
    agency = api_for(world.users.agency_a)
    assert (
        agency.post(
            f"/api/v1/evaluations/{mine_eval.pk}/score/", {"scores": sheet}, format="json"
        ).status_code
        == 403
    )
    bad = evaluator.post(
        f"/api/v1/evaluations/{mine_eval.pk}/score/",
        {"scores": [{"criterion": sheet[0]["criterion"], "points": "999"}]},
        format="json",
    )
    assert bad.status_code == 400
    done = evaluator.post(
        f"/api/v1/evaluations/{mine_eval.pk}/score/",
        {"scores": sheet, "comments": "服务规范", "submit": True},
        format="json",
    )
    assert done.status_code == 200 and done.json()["grade"] == "excellent"
    again = evaluator.post(
        f"/api/v1/evaluations/{mine_eval.pk}/score/", {"scores": sheet}, format="json"
    )
    assert again.status_code == 400
    answered = agency.post(f"/api/v1/evaluations/{mine_eval.pk}/respond/", {"response": "收到"})
    assert answered.status_code == 200 and answered.json()["agency_response"] == "收到"


def test_service_record_project_link_rules(two_projects):
    from shegong.records.models import ServiceField

    world, mine, other = two_projects
    api = api_for(world.users.station_a)
    base = {
        "unit": world.station_a.pk,
        "served_on": str(localdate()),
        "duration_minutes": 30,
        "method": "visit",
        "field": ServiceField.objects.first().code,
        "other_participants": 2,
    }
    ok = api.post("/api/v1/service-records/", {**base, "project": mine.pk}, format="json")
    assert ok.status_code == 201, ok.json()
    # Station A may not see the town's project at all.
    wrong = api.post("/api/v1/service-records/", {**base, "project": other.pk}, format="json")
    assert wrong.status_code == 400 and "project" in wrong.json()
    late = api.post(
        "/api/v1/service-records/",
        {**base, "project": mine.pk, "served_on": str(localdate() - D(400))},
        format="json",
    )
    assert late.status_code == 400 and "project" in late.json()


def test_purchasers_are_scoped(market):  # noqa: F811
    world = market
    assert {
        p["name"]
        for p in api_for(world.users.town_buyer).get("/api/v1/purchasers/").json()["results"]
    } == {"回兴街道办事处"}
    assert len(api_for(world.users.district).get("/api/v1/purchasers/").json()["results"]) == 2
    made = api_for(world.users.district).post(
        "/api/v1/purchasers/", {"name": "区卫健委", "kind": "health", "division": "500112"}
    )
    assert made.status_code == 201
    outside = api_for(world.users.district).post(
        "/api/v1/purchasers/", {"name": "渝中某局", "kind": "health", "division": "500103"}
    )
    assert outside.status_code == 400 and Purchaser.objects.count() == 3
    assert (
        api_for(world.users.purchaser)
        .post("/api/v1/purchasers/", {"name": "x", "kind": "health", "division": "500112"})
        .status_code
        == 403
    )
