"""Purchased-services pages: the lifecycle through forms, the board, ledger, drill-down,
the scoring sheet and the agency register, scoped like the API."""

import pytest
from django.utils.timezone import localdate

from shegong.purchasing.models import Criterion, Project, Stage
from tests.integration.test_pages import read_sheet
from tests.purchasing.factories import assign_evaluation, some_targets
from tests.purchasing.test_purchasing import VALID_CODES, contracted, market  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def test_register_procure_award_and_sign_through_the_pages(market, client):  # noqa: F811
    world = market
    client.force_login(world.users.purchaser)
    bad = client.post("/projects/new/", {"purchaser": world.bureau.pk, "name": ""})
    assert bad.status_code == 200 and "name" in bad.context["form"].errors
    response = client.post(
        "/projects/new/",
        {
            "purchaser": world.bureau.pk,
            "name": "困境儿童关爱项目",
            "funding_source": "charity",
            "budget_amount": "120000",
            "budget_approved_on": str(localdate()),
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == f"/projects/{project.pk}/"
    jump = client.post(f"/projects/{project.pk}/close/", {"closed_on": str(localdate())})
    assert jump.status_code == 302 and Project.objects.get().stage == Stage.BUDGETED
    client.post(
        f"/projects/{project.pk}/procure/", {"method": "inquiry", "started_on": str(localdate())}
    )
    awarded = client.post(
        f"/projects/{project.pk}/award/",
        {"agency": world.agency.pk, "awarded_on": str(localdate())},
        follow=True,
    )
    # Back on the project, told so; the award form closed and showing the award, the
    # contract open next.
    assert awarded.redirect_chain == [(f"/projects/{project.pk}/", 302)]
    assert "合同可以签订" in awarded.content.decode() or awarded.context["messages"]
    html = awarded.content.decode()
    assert 'id="step-award">' in html and 'id="step-contract" open>' in html
    assert awarded.context["forms"]["award"]["agency"].value() == world.agency.pk
    over = client.post(
        f"/projects/{project.pk}/contract/",
        contract_form(world, "130000"),
    )
    assert over.status_code == 400
    assert "contract_amount" in over.context["forms"]["contract"].errors
    client.post(
        f"/projects/{project.pk}/contract/",
        contract_form(world, "110000"),
    )
    project.refresh_from_db()
    assert project.stage == Stage.CONTRACTED and project.commitments.get().full_time == 1
    first = project.instalments.get(number=1)
    client.post(
        f"/projects/{project.pk}/instalments/{first.pk}/pay/", {"paid_on": str(localdate())}
    )
    first.refresh_from_db()
    assert str(first.paid_amount) == "44000.00"
    from shegong.purchasing.models import IndicatorTemplate

    visits = IndicatorTemplate.objects.get(metric="visits")
    negative = client.post(f"/projects/{project.pk}/indicators/", {f"target_{visits.pk}": "-1"})
    assert negative.status_code == 400
    client.post(
        f"/projects/{project.pk}/indicators/",
        {f"target_{visits.pk}": "120", f"weight_{visits.pk}": "30"},
    )
    assert [(i.template, i.target) for i in project.indicators.all()] == [(visits, 120)]
    page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200 and page.context["staffing"][0]["met"]
    assert [f.name for f in page.context["row"].figures] == [visits.name]
    rows = table(read_sheet(client.get("/projects/ledger/", {"export": "xlsx"})))
    assert rows[0][0] == "困境儿童关爱项目" and rows[0][3] == 44000
    assert rows[0][6] == world.agency.name  # by project: agency and service period
    assert (
        table(read_sheet(client.get("/projects/", {"export": "xlsx"})))[0][0] == "困境儿童关爱项目"
    )
    assert client.get("/projects/board/").context["rows"][0].project == project
    assert client.get(f"/projects/{project.pk}/indicators/visits/").status_code == 200
    assert client.get(f"/projects/{project.pk}/indicators/nonsense/").status_code == 404


def test_scoring_sheet_for_the_evaluator_only(market, client):  # noqa: F811

    world = market
    project = contracted(world)
    evaluation = assign_evaluation(world, project)
    url = f"/evaluations/{evaluation.pk}/"
    client.force_login(world.users.evaluator)
    assert list(client.get("/projects/").context["to_score"]) == [evaluation]
    client.force_login(world.users.purchaser)
    assert client.get(url).context["editable"] is False
    assert client.post(url, {}).status_code == 403
    client.force_login(world.users.evaluator)
    criteria = list(Criterion.objects.all())
    too_high = {f"points_{criteria[0].pk}": "99"}
    bad = client.post(url, too_high)
    assert bad.status_code == 400 and bad.context["lines"][0]["error"]
    full = {f"points_{c.pk}": str(c.weight) for c in criteria}
    assert client.post(url, {**full, "submit": "1", "comments": "好"}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.grade == "excellent"
    sheet = read_sheet(client.get(url, {"export": "xlsx"}))
    assert sheet[-1][1] == "优秀 excellent" or sheet[-1][1]
    client.force_login(world.users.agency_a)
    client.post(f"{url}respond/", {"response": "感谢"})
    evaluation.refresh_from_db()
    assert evaluation.agency_response == "感谢"
    client.force_login(world.users.station_b)
    assert client.get(url).status_code == 404
    assert client.get(f"/projects/{project.pk}/").status_code == 404


def test_agency_register_checks_the_credit_code(market, client):  # noqa: F811
    world = market
    client.force_login(world.users.district)
    bad = client.post("/agencies/new/", {"name": "新机构", "credit_code": "52500112MJ12345674"})
    assert bad.status_code == 400 and "credit_code" in bad.context["form"].errors
    ok = client.post("/agencies/new/", {"name": "新机构", "credit_code": VALID_CODES[1]})
    assert ok.status_code == 302
    assert client.get(ok.url).status_code == 200
    client.force_login(world.users.purchaser)
    assert client.get("/agencies/new/").status_code == 403
    assert client.get("/agencies/").status_code == 200


def test_evidence_is_the_evaluators_and_downloads_within_scope(market, client, settings, tmp_path):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    world = market
    project = contracted(world)
    evaluation = assign_evaluation(world, project)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    url = f"/evaluations/{evaluation.pk}/evidence/"
    client.force_login(world.users.agency_a)
    assert client.post(url, {"file": SimpleUploadedFile("a.png", png)}).status_code == 403
    client.force_login(world.users.evaluator)
    fake = client.post(url, {"file": SimpleUploadedFile("a.png", b"not a png")}, follow=True)
    assert evaluation.evidence.count() == 0 and fake.status_code == 200
    client.post(url, {"file": SimpleUploadedFile("site.png", png)})
    evidence = evaluation.evidence.get()
    download = client.get(f"{url}{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == png
    client.force_login(world.users.station_b)
    assert client.get(f"{url}{evidence.pk}/").status_code == 404


def table(rows):
    """The table of a purchasing workbook: the rows after the header block's blank line
    and the column headers."""
    blank = next(i for i, row in enumerate(rows) if not any(row))
    return rows[blank + 2 :]


def contract_form(world, amount):
    """The contract step's form for station A, running a year from today, measured by
    the clients served (300)."""
    [served] = some_targets()
    return {
        f"target_{served.pk}": "300",
        f"weight_{served.pk}": "100",
        "contract_number": "HT-9",
        "contract_amount": amount,
        "start_on": str(localdate()),
        "end_on": str(localdate().replace(year=localdate().year + 1)),
        "units": [world.station_a.pk],
        "full_time_per_station": 1,
        "scheme": "40-30-30",
    }
