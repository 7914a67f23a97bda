"""Purchasing that refuses nonsense (issue 10 item 9): indicator targets required and on
their indicator's scale when the contract is signed; a final evaluation and a closure wait
for the end of the service period or a reason for ending early; paying beyond the advance
while delivery lags needs an override with a reason; the award form does not stay open;
exports name the project, agency and dates. Each rule in the service, over the API (400
naming the field) and on the page (the form's field error); scoping untouched."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from shegong.purchasing import services
from shegong.purchasing.models import IndicatorTemplate, Stage
from tests.conftest import api_for
from tests.integration.test_pages import read_sheet
from tests.purchasing.factories import assign_evaluation, some_targets
from tests.purchasing.test_purchasing import contracted, evaluate, market  # noqa: F401
from tests.purchasing.test_purchasing_pages import contract_form

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.timedelta


def awarded(world):
    """The bureau's project, awarded to the world's agency, ready to sign."""
    from tests.purchasing.test_purchasing import new_project

    actor = world.users.purchaser
    project = services.procurement_start(
        project=new_project(world), actor=actor, method="inquiry", started_on=localdate() - D(30)
    )
    return services.procurement_award(
        project=project, actor=actor, agency=world.agency, awarded_on=localdate() - D(20)
    )


def template(metric):
    return IndicatorTemplate.objects.get(metric=metric, target_group=None)


# --- indicator targets ---------------------------------------------------------------


@pytest.mark.parametrize(
    "metric, target, ok",
    [
        ("satisfaction", "20", False),  # the 20 on a 1–5 scale
        ("satisfaction", "0.5", False),
        ("satisfaction", "4.5", True),
        ("satisfaction", "5", True),
        ("clients_served", "-3", False),
        ("clients_served", "0", False),
        ("clients_served", "12.5", False),  # a count is whole
        ("clients_served", "300", True),
        ("service_hours", "12.5", True),
    ],
)
def test_targets_are_checked_against_the_indicators_scale(market, metric, target, ok):  # noqa: F811
    world = market
    chosen = template(metric)
    targets = {chosen: (Decimal(target), Decimal("10"))}
    if ok:
        project = contracted(world, targets=targets)
        assert project.indicators.get().target == Decimal(target)
        return
    with pytest.raises(ValidationError) as exc:
        contracted(world, targets=targets)
    [message] = exc.value.message_dict[f"target_{chosen.pk}"]
    assert chosen.name in message
    assert awarded_project_is_untouched(world)


def awarded_project_is_untouched(world):
    from shegong.purchasing.models import Project

    project = Project.objects.get()
    return project.stage == Stage.PROCURING and not project.indicators.exists()


def test_a_contract_needs_a_target(market):  # noqa: F811
    world = market
    with pytest.raises(ValidationError) as exc:
        contracted(world, targets={})
    assert "indicators" in exc.value.message_dict
    # Targets set during procurement count (and are checked the same way).
    project = awarded(world)
    services.indicators_set(
        project=project, actor=world.users.purchaser, targets=some_targets(visits=(40, 50))
    )
    signed = contracted_from(world, project, targets=None)
    assert signed.stage == Stage.CONTRACTED and signed.indicators.count() == 2


def contracted_from(world, project, **terms):
    data = {
        "contract_number": "HT-2",
        "contract_amount": Decimal("100000"),
        "start_on": localdate() - D(10),
        "end_on": localdate() + D(355),
        "units": [world.station_a],
        "instalments": [(40, "", None), (60, "final", None)],
        **terms,
    }
    return services.contract_sign(project=project, actor=world.users.purchaser, **data)


def test_revising_targets_keeps_them_on_the_scale(market):  # noqa: F811
    world = market
    project = contracted(world)
    satisfaction = template("satisfaction")
    with pytest.raises(ValidationError) as exc:
        services.indicators_set(
            project=project,
            actor=world.users.purchaser,
            targets={satisfaction: (Decimal("20"), Decimal("10"))},
        )
    assert f"target_{satisfaction.pk}" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.indicators_set(project=project, actor=world.users.purchaser, targets={})
    assert "indicators" in exc.value.message_dict  # a contract keeps at least one


def test_signing_with_a_bad_target_on_the_page_is_a_field_error(market, client):  # noqa: F811
    world = market
    project = awarded(world)
    client.force_login(world.users.purchaser)
    satisfaction = template("satisfaction")
    form = {**contract_form(world, "100000"), f"target_{satisfaction.pk}": "20"}
    refused = client.post(f"/projects/{project.pk}/contract/", form)
    assert refused.status_code == 400
    errors = refused.context["forms"]["contract"].errors
    assert "1" in errors[f"target_{satisfaction.pk}"][0]
    assert f'data-field="target_{satisfaction.pk}"' in refused.content.decode()
    empty = {k: v for k, v in contract_form(world, "100000").items() if "target_" not in k}
    refused = client.post(f"/projects/{project.pk}/contract/", empty)
    assert refused.status_code == 400
    assert refused.context["forms"]["contract"].non_field_errors()
    form[f"target_{satisfaction.pk}"] = "4.5"
    assert client.post(f"/projects/{project.pk}/contract/", form).status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.CONTRACTED
    assert project.indicators.get(template=satisfaction).target == Decimal("4.5")


# --- the end of the period ---------------------------------------------------------------


def test_a_final_evaluation_and_closure_wait_for_the_end_of_the_period(market):  # noqa: F811
    world = market
    project = contracted(world, end_on=localdate() + D(100))
    evaluate(world, project, "mid")
    with pytest.raises(ValidationError) as exc:
        assign_evaluation(world, project, kind="final")
    assert "termination_reason" in exc.value.message_dict
    final = services.evaluation_assign(
        project=project,
        actor=world.users.purchaser,
        kind="final",
        evaluator=world.users.evaluator,
        evaluator_body="第三方",
        termination_reason="机构注销，合同提前解除",
    )
    project.refresh_from_db()
    assert project.terminated_on == localdate()
    assert project.termination_reason == "机构注销，合同提前解除"
    assert project.history.filter(termination_reason="机构注销，合同提前解除").exists()
    from tests.purchasing.test_purchasing import submit

    submit(world, final)
    closed = services.project_close(
        project=project, actor=world.users.purchaser, closed_on=localdate()
    )
    assert closed.stage == Stage.CLOSED  # the early end already recorded


def test_closing_before_the_end_needs_the_reason(market):  # noqa: F811
    world = market
    project = contracted(world)  # ends today
    evaluate(world, project, "mid")
    evaluate(world, project, "final")
    with pytest.raises(ValidationError) as exc:  # closed (back-dated) before the end
        services.project_close(
            project=project, actor=world.users.purchaser, closed_on=localdate() - D(1)
        )
    assert "termination_reason" in exc.value.message_dict
    project.refresh_from_db()
    assert project.stage == Stage.CONTRACTED and not project.terminated_on


def test_the_early_end_over_the_api_and_on_the_page(market, client):  # noqa: F811
    world = market
    project = contracted(world, end_on=localdate() + D(100))
    evaluate(world, project, "mid")
    buyer = api_for(world.users.purchaser)
    body = {"kind": "final", "evaluator": world.users.evaluator.pk, "evaluator_body": "第三方"}
    refused = buyer.post(f"/api/v1/projects/{project.pk}/assign-evaluation/", body)
    assert refused.status_code == 400 and "termination_reason" in refused.json()
    client.force_login(world.users.purchaser)
    page = client.post(f"/projects/{project.pk}/assign/", body)
    assert page.status_code == 400
    assert "termination_reason" in page.context["forms"]["assign"].errors
    done = client.post(
        f"/projects/{project.pk}/assign/", {**body, "termination_reason": "购买主体撤销项目"}
    )
    assert done.status_code == 302
    shown = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="termination"' in shown and "购买主体撤销项目" in shown
    assert buyer.get(f"/api/v1/projects/{project.pk}/").json()["termination_reason"]


# --- paying beyond the advance -----------------------------------------------------------------


def test_paying_beyond_the_advance_while_delivery_lags_needs_an_override(market):  # noqa: F811
    world = market
    project = contracted(world)  # a year gone, nothing delivered
    advance = services.instalment_pay(
        instalment=project.instalments.get(number=1),
        actor=world.users.purchaser,
        paid_on=localdate(),
    )
    assert advance.paid_on and not advance.override_reason  # the advance is owed on signing
    evaluate(world, project, "mid")
    mid = project.instalments.get(number=2)
    with pytest.raises(ValidationError) as exc:
        services.instalment_pay(instalment=mid, actor=world.users.purchaser, paid_on=localdate())
    [message] = exc.value.message_dict["override_reason"]
    assert "0%" in message
    mid.refresh_from_db()
    assert mid.paid_on is None
    paid = services.instalment_pay(
        instalment=mid,
        actor=world.users.purchaser,
        paid_on=localdate(),
        override_reason="已约谈机构，书面整改",
    )
    assert paid.override_reason == "已约谈机构，书面整改"
    assert paid.history.filter(override_reason="已约谈机构，书面整改").exists()


def test_the_override_over_the_api_and_on_the_page(market, client):  # noqa: F811
    world = market
    project = contracted(world)
    evaluate(world, project, "mid")
    mid = project.instalments.get(number=2)
    buyer = api_for(world.users.purchaser)
    refused = buyer.post(
        f"/api/v1/projects/{project.pk}/pay/", {"instalment": mid.pk, "paid_on": str(localdate())}
    )
    assert refused.status_code == 400 and "override_reason" in refused.json()
    client.force_login(world.users.purchaser)
    url = f"/projects/{project.pk}/instalments/{mid.pk}/pay/"
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'name="override_reason"' in page  # asked before paying
    refused = client.post(url, {"paid_on": str(localdate())})
    assert refused.status_code == 400
    assert 'data-field="override_reason"' in refused.content.decode()
    assert (
        client.post(url, {"paid_on": str(localdate()), "override_reason": "按合同支付"}).status_code
        == 302
    )
    shown = client.get(f"/projects/{project.pk}/").content.decode()
    assert "override-reason" in shown and "按合同支付" in shown
    # Out of scope stays out of scope: another purchaser's buyer gets a 404.
    client.force_login(world.users.town_buyer)
    assert (
        client.post(url, {"paid_on": str(localdate()), "override_reason": "xxxx"}).status_code
        == 404
    )
    assert (
        api_for(world.users.town_buyer)
        .post(
            f"/api/v1/projects/{project.pk}/pay/",
            {"instalment": mid.pk, "paid_on": str(localdate())},
        )
        .status_code
        == 404
    )


# --- exports --------------------------------------------------------------------------------


def test_exports_name_the_project_agency_and_dates(market, client):  # noqa: F811
    world = market
    project = contracted(world)
    evaluation = evaluate(world, project, "mid")
    client.force_login(world.users.purchaser)
    sheet = read_sheet(client.get(f"/evaluations/{evaluation.pk}/", {"export": "xlsx"}))
    block = {row[0]: row[1] for row in sheet[1:12] if row and row[0]}
    values = set(block.values())
    assert project.name in values and world.agency.name in values
    assert f"{project.start_on:%Y-%m-%d} – {project.end_on:%Y-%m-%d}" in values
    assert any(str(v).startswith(f"{localdate():%Y-%m-%d}") for v in values)  # exported at
    board = read_sheet(client.get("/projects/board/", {"export": "xlsx"}))
    flat = [cell for row in board for cell in row]
    assert project.name in flat and world.agency.name in flat
    ledger = read_sheet(client.get("/projects/ledger/", {"export": "xlsx"}))
    assert world.agency.name in [cell for row in ledger for cell in row]
