"""Browser flow of purchased services: the evaluator scores."""

import datetime
from decimal import Decimal

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect

from shegong.access.models import Role
from shegong.purchasing import services
from shegong.purchasing.models import Criterion
from tests.conftest import make_user
from tests.purchasing.factories import ProjectFactory, PurchaserFactory, some_targets

from .pages import SHOTS, log_in, zh_text


def contracted_project(world, buyer, bureau):
    """The bureau's station A project, won by the world's agency, signed 170 days ago with
    instalments of 40 %, 30 % after the mid-term and 30 % after the final evaluation."""
    day = localdate()
    project = ProjectFactory(
        actor=buyer,
        purchaser=bureau,
        name="双龙湖社工站项目",
        budget_approved_on=day - datetime.timedelta(days=200),
    )
    project = services.procurement_start(
        project=project,
        actor=buyer,
        method="consultation",
        started_on=day - datetime.timedelta(days=190),
    )
    project = services.procurement_award(
        project=project,
        actor=buyer,
        agency=world.agency,
        awarded_on=day - datetime.timedelta(days=180),
    )
    return services.contract_sign(
        project=project,
        actor=buyer,
        contract_number="HT-1",
        contract_amount=Decimal("280000"),
        start_on=day - datetime.timedelta(days=170),
        end_on=day + datetime.timedelta(days=195),
        units=[world.station_a],
        instalments=[(40, "", None), (30, "mid", None), (30, "final", None)],
        targets=some_targets(),
    )


@pytest.mark.date_sensitive
def test_an_evaluator_scores_an_evaluation(live_server, live_world, open_page):
    world = live_world
    world.agency.credit_code = "52500112MJ12345673"
    world.agency.save()
    bureau = PurchaserFactory(name="渝北区民政局", kind="civil_affairs")
    buyer = make_user("buyer", Role.PURCHASER, purchaser=bureau)
    evaluator = make_user("evaluator", Role.EVALUATOR)
    project = contracted_project(world, buyer, bureau)
    evaluation = services.evaluation_assign(
        project=project,
        actor=buyer,
        kind="mid",
        evaluator=evaluator,
        evaluator_body="第三方评估中心",
    )
    base = live_server.url
    page = open_page()
    log_in(page, base, "evaluator")
    page.locator("nav a.nav-link[href='/projects/']").click()
    # The evaluator's work list leads straight to the sheet.
    page.locator("#to-score a", has_text="双龙湖社工站项目").click()
    expect(page).to_have_url(f"{base}/evaluations/{evaluation.pk}/")
    for criterion in Criterion.objects.all():
        points = criterion.weight - (1 if criterion.weight > 8 else 0)
        page.locator(f"input[name=points_{criterion.pk}]").fill(str(points))
    page.locator("textarea[name=comments]").fill("台账完整，个案服务规范")
    page.screenshot(path=SHOTS / "evaluation-sheet.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=zh_text("Submit"), exact=True).click()
    expect(page.locator("#status")).to_have_text(zh_text("submitted"))
    evaluation.refresh_from_db()
    assert evaluation.score == Decimal("96.00") and evaluation.grade == "excellent"
    expect(page.locator("#grade")).to_contain_text("96")
    page.screenshot(path=SHOTS / "evaluation-submitted.png", full_page=True)
    # The instalment that waited for this evaluation is now payable, in full.
    buyer_page = open_page()
    log_in(buyer_page, base, "buyer")
    buyer_page.goto(f"{base}/projects/{project.pk}/")
    expect(buyer_page.locator("#instalments")).to_contain_text("84,000")
    buyer_page.screenshot(path=SHOTS / "project.png", full_page=True)
