"""Purchased services (R4.2, R4.3): credit codes, the project lifecycle and its illegal
jumps, evaluations and grades, the payment rule, the budget ledger and staffing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localdate

from shegong.access.models import Role
from shegong.common.creditcode import validate_credit_code
from shegong.purchasing import selectors, services
from shegong.purchasing.models import (
    Criterion,
    Evaluation,
    IndicatorTemplate,
    ProjectIndicator,
    Stage,
)
from tests.conftest import make_user
from tests.purchasing.factories import (
    ProjectFactory,
    PurchaserFactory,
    assign_evaluation,
    some_targets,
)

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]
D = datetime.timedelta
VALID_CODES = ["91350100M000100Y43", "91110000600037341L", "52500112MJ12345673"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes_pass(code):
    assert validate_credit_code(f" {code.lower()} ") == code


@pytest.mark.parametrize(
    "code, problem",
    [
        ("91350100M000100Y44", "check"),  # last character altered
        ("91350100M000100Y4", "length"),
        ("91350100M0001O0Y43", "charset"),  # letter O is not in the set
        ("52500112MJ1234567I", "charset"),
        ("91350100N000100Y43", "check"),  # one character in the body changed
    ],
)
def test_corrupted_credit_codes_are_refused(code, problem):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == problem


def test_agency_with_a_bad_code_is_a_field_error(world):
    world.agency.credit_code = "91350100M000100Y44"
    with pytest.raises(ValidationError) as exc:
        world.agency.full_clean()
    assert "credit_code" in exc.value.message_dict


@pytest.fixture
def market(world):
    """A purchaser, its account, the agency's staff and an evaluator."""
    world.agency.credit_code = VALID_CODES[2]
    world.agency.save()
    bureau = PurchaserFactory(name="渝北区民政局", kind="civil_affairs")
    town = PurchaserFactory(name="回兴街道办事处", kind="town", division=world.div["500112004"])
    world.bureau, world.town_purchaser = bureau, town
    world.users.purchaser = make_user("buyer", Role.PURCHASER, purchaser=bureau)
    world.users.town_buyer = make_user("town_buyer", Role.PURCHASER, purchaser=town)
    world.users.agency_a = make_user("agency_a", Role.AGENCY_STAFF, agency=world.agency)
    world.users.evaluator = make_user("evaluator", Role.EVALUATOR)
    world.users.other_evaluator = make_user("other_evaluator", Role.EVALUATOR)
    return world


def new_project(world, actor=None, **overrides):
    """The bureau's budgeted station project, filed by its buyer (see ProjectFactory)."""
    data = {"actor": actor or world.users.purchaser, "purchaser": world.bureau}
    return ProjectFactory(**{**data, **overrides})


def contracted(world, **contract):
    actor = world.users.purchaser
    project = new_project(world)
    project = services.procurement_start(
        project=project, actor=actor, method="consultation", started_on=localdate() - D(380)
    )
    project = services.procurement_award(
        project=project, actor=actor, agency=world.agency, awarded_on=localdate() - D(370)
    )
    data = {
        "project": project,
        "actor": actor,
        "contract_number": "YBMZ-2025-017",
        "contract_amount": Decimal("280000"),
        "start_on": localdate() - D(365),
        "end_on": localdate(),  # its last day: a final evaluation and closure may follow
        "units": [world.station_a],
        "commitments": [(world.station_a, 1)],
        "instalments": [(40, "", None), (30, "mid", None), (30, "final", None)],
        "targets": some_targets(),
    }
    data.update(contract)
    return services.contract_sign(**data)


def submit(world, evaluation, points_each=None):
    criteria = list(Criterion.objects.filter(is_active=True))
    scores = {
        c.pk: ((c.weight if points_each is None else min(c.weight, Decimal(points_each))), "")
        for c in criteria
    }
    return services.evaluation_score(
        evaluation=evaluation, actor=evaluation.evaluator, scores=scores, submit=True
    )


def evaluate(world, project, kind, points_each=None):
    evaluation = assign_evaluation(world, project, kind=kind, body="重庆某第三方评估机构")
    return submit(world, evaluation, points_each)


def test_the_lifecycle_end_to_end(market):
    world = market
    project = contracted(world)
    assert project.stage == Stage.CONTRACTED and project.instalments.count() == 3
    first = project.instalments.get(number=1)
    paid = services.instalment_pay(
        instalment=first, actor=world.users.purchaser, paid_on=localdate()
    )
    assert paid.paid_amount == Decimal("112000.00")
    mid = evaluate(world, project, "mid")
    assert (mid.score, mid.grade) == (Decimal("100.00"), "excellent")
    final = evaluate(world, project, "final", points_each=5)  # a fair result
    services.instalment_pay(
        instalment=project.instalments.get(number=2),
        actor=world.users.purchaser,
        paid_on=localdate(),
        override_reason="机构已书面说明并整改",  # nothing delivered: paid on an override
    )
    closed = services.project_close(
        project=project, actor=world.users.purchaser, closed_on=localdate()
    )
    assert closed.stage == Stage.CLOSED and closed.final_grade == final.grade
    record = selectors.agency_record(world.agency)
    assert record["closed"] == 1 and record["grades"] == {final.grade: 1}
    assert record["grade_labels"] == [(final.get_grade_display(), 1)]


@pytest.mark.parametrize(
    "step",
    [
        "award_before_procurement",
        "contract_before_award",
        "pay_before_contract",
        "close_without_final",
        "procure_twice",
        "report_before_contract",
    ],
)
def test_illegal_jumps_are_refused_with_the_stage(market, step):
    world = market
    actor = world.users.purchaser
    project = new_project(world)
    with pytest.raises(ValidationError) as exc:
        if step == "award_before_procurement":
            services.procurement_award(
                project=project, actor=actor, agency=world.agency, awarded_on=localdate()
            )
        elif step == "contract_before_award":
            project = services.procurement_start(
                project=project, actor=actor, method="inquiry", started_on=localdate()
            )
            services.contract_sign(
                project=project,
                actor=actor,
                contract_number="X",
                contract_amount=1,
                start_on=localdate(),
                end_on=localdate() + D(30),
                units=[world.station_a],
                instalments=[(100, "", None)],
                targets=some_targets(),
            )
        elif step == "pay_before_contract":
            from shegong.purchasing.models import Instalment

            early = Instalment.objects.create(project=project, number=1, share=100)
            services.instalment_pay(instalment=early, actor=actor, paid_on=localdate())
        elif step == "close_without_final":
            project = contracted(world)
            services.project_close(project=project, actor=actor, closed_on=localdate())
        elif step == "procure_twice":
            services.procurement_start(
                project=project, actor=actor, method="inquiry", started_on=localdate()
            )
            services.procurement_start(
                project=project, actor=actor, method="inquiry", started_on=localdate()
            )
        elif step == "report_before_contract":
            services.progress_report_add(
                project=project, actor=actor, month=localdate(), summary="本月开展走访"
            )
    assert "stage" in exc.value.message_dict
    assert exc.value.message_dict["stage"][0]


def test_contract_rules(market):
    world = market
    with pytest.raises(ValidationError) as exc:
        contracted(
            world,
            contract_amount=Decimal("300001"),
            end_on=localdate() - D(400),
            units=[world.other_station],
            instalments=[(50, "", None), (40, "final", None)],
        )
    assert {"contract_amount", "end_on", "units", "instalments"} <= set(exc.value.message_dict)


def test_grade_sets_the_payable_share_and_payment_waits_for_the_evaluation(market):
    world = market
    project = contracted(world)
    mid_instalment = project.instalments.get(number=2)
    with pytest.raises(ValidationError) as exc:  # the mid-term evaluation is not in yet
        services.instalment_pay(
            instalment=mid_instalment, actor=world.users.purchaser, paid_on=localdate()
        )
    assert "instalment" in exc.value.message_dict
    mid = evaluate(world, project, "mid", points_each=5)
    # 12 criteria × at most 5 points: below 75, above 60 → fair → 80 % payable.
    assert mid.grade == "fair" and 60 <= mid.score < 75
    payable, note = services.instalment_payable(mid_instalment)
    assert payable == Decimal("67200.00") and "80" in note  # 280,000 × 30 % × 80 %
    with pytest.raises(ValidationError) as exc:
        services.instalment_pay(
            instalment=mid_instalment,
            actor=world.users.purchaser,
            paid_on=localdate(),
            amount=Decimal("84000"),
        )
    assert "amount" in exc.value.message_dict
    paid = services.instalment_pay(
        instalment=mid_instalment,
        actor=world.users.purchaser,
        paid_on=localdate(),
        override_reason="按评估结果支付",
    )
    assert paid.paid_amount == payable and paid.withheld_note
    with pytest.raises(ValidationError):
        services.instalment_pay(
            instalment=mid_instalment,
            actor=world.users.purchaser,
            paid_on=localdate(),
            override_reason="按评估结果支付",
        )


def test_only_the_evaluator_scores_and_a_submitted_sheet_is_final(market):
    world = market
    project = contracted(world)
    evaluation = assign_evaluation(world, project)
    criterion = Criterion.objects.first()
    for intruder in (world.users.other_evaluator, world.users.purchaser, world.users.agency_a):
        with pytest.raises(PermissionDenied):
            services.evaluation_score(
                evaluation=evaluation, actor=intruder, scores={criterion.pk: (1, "")}
            )
    with pytest.raises(ValidationError) as exc:
        services.evaluation_score(
            evaluation=evaluation,
            actor=world.users.evaluator,
            scores={criterion.pk: (criterion.weight + 1, "")},
        )
    assert f"score_{criterion.pk}" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.evaluation_score(
            evaluation=evaluation,
            actor=world.users.evaluator,
            scores={criterion.pk: (1, "")},
            submit=True,
        )
    assert "scores" in exc.value.message_dict
    submit(world, evaluation)
    with pytest.raises(ValidationError):
        submit(world, Evaluation.objects.get(pk=evaluation.pk))
    with pytest.raises(PermissionDenied):
        services.evaluation_respond(
            evaluation=evaluation, actor=world.users.purchaser, response="不同意"
        )
    responded = services.evaluation_respond(
        evaluation=evaluation, actor=world.users.agency_a, response="感谢评估，将继续改进"
    )
    assert responded.agency_response
    with pytest.raises(ValidationError) as exc:  # the evaluator role is checked
        assign_evaluation(world, project, kind="final", evaluator=world.users.agency_a, body="x")
    assert "evaluator" in exc.value.message_dict


def test_final_evaluation_follows_the_mid_term(market):
    world = market
    project = contracted(world)
    with pytest.raises(ValidationError) as exc:
        evaluate(world, project, "final")
    assert "kind" in exc.value.message_dict


def test_who_may_manage_a_project(market):
    world = market
    with pytest.raises(PermissionDenied):  # another purchaser's project
        new_project(world, actor=world.users.town_buyer)
    with pytest.raises(PermissionDenied):
        new_project(world, actor=world.users.agency_a)
    assert new_project(world, actor=world.users.district).stage == Stage.BUDGETED


def test_ledger_and_staffing(market):
    world = market
    project = contracted(world)
    services.instalment_pay(
        instalment=project.instalments.get(number=1),
        actor=world.users.purchaser,
        paid_on=localdate(),
    )
    [row] = selectors.ledger(world.users.purchaser)
    assert (row["contract"], row["paid"], row["due"], row["remaining"]) == (
        Decimal("280000"),
        Decimal("112000.00"),
        Decimal("0"),
        Decimal("168000.00"),
    )
    # Paying beyond the advance with nothing delivered: the ledger page flags it.

    template = IndicatorTemplate.objects.get(metric="visits")
    ProjectIndicator.objects.create(project=project, template=template, target=10, weight=1)
    from django.test import Client

    browser = Client()
    browser.force_login(world.users.purchaser)
    [advance_only] = browser.get("/projects/ledger/").context["rows"]
    assert advance_only["ahead"] is False  # the 40 % advance is owed on signing
    evaluate(world, project, "mid")
    services.instalment_pay(
        instalment=project.instalments.get(number=2),
        actor=world.users.purchaser,
        paid_on=localdate(),
        override_reason="机构已书面说明",
    )
    [flagged] = browser.get("/projects/ledger/").context["rows"]
    assert flagged["ahead"] is True  # 30 % more paid, nothing delivered
    [by_source] = selectors.ledger(world.users.district, group_by="funding_source")
    assert by_source["projects"] == 1
    [line] = selectors.staffing(project)
    # 张社工 is the agency's full-time social worker posted at station A.
    assert (line["committed"], line["actual"], line["met"]) == (1, 1, True)
    assert selectors.workers_by_project([project.pk]) == {project.pk: 1}
