"""Browser flows of issue 10 items 7 and 9: signing a contract with a satisfaction target
of 20 on a 1–5 scale is refused on the field, then signed once corrected (1366 px); a
station accepts a referral and is offered the next step, assigning its worker to the case
that came with it (390 px). Screenshots under /work/shots/I/."""

import datetime
from pathlib import Path

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import expect

from shegong.access.models import Role
from shegong.cases.models import Case
from shegong.purchasing import services
from shegong.purchasing.models import IndicatorTemplate, Stage
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, make_user
from tests.purchasing.factories import ProjectFactory, PurchaserFactory
from tests.referrals.factories import ReferralFactory

from .pages import PHONE, log_in, zh_text

SHOTS = Path("/work/shots/I")
D = datetime.timedelta


def warm(page, base):
    """The live server's first answer (templates, catalogues) may take longer than a step's
    timeout on a loaded machine."""
    page.goto(f"{base}/login/", timeout=120_000)


@pytest.mark.date_sensitive
def test_a_bad_target_is_refused_then_the_contract_is_signed(live_server, live_world, open_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    world = live_world
    world.agency.credit_code = "52500112MJ12345673"
    world.agency.save()
    bureau = PurchaserFactory(name="渝北区民政局", kind="civil_affairs")
    buyer = make_user("buyer", Role.PURCHASER, purchaser=bureau)
    project = ProjectFactory(actor=buyer, purchaser=bureau, name="双龙湖社工站项目")
    project = services.procurement_start(
        project=project, actor=buyer, method="consultation", started_on=localdate() - D(30)
    )
    base = live_server.url
    page = open_page()
    warm(page, base)
    log_in(page, base, "buyer")
    page.goto(f"{base}/projects/{project.pk}/")
    # The award: saved, told so, and the contract form is what opens next.
    page.locator("#step-award select[name=agency]").select_option(str(world.agency.pk), force=True)
    page.locator("#step-award input[name=awarded_on]").fill(str(localdate() - D(20)))
    page.locator("#step-award button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(
        zh_text("The award has been recorded; the contract can be signed.")
    )
    expect(page.locator("#step-award")).not_to_have_attribute("open", "")
    contract = page.locator("#step-contract")
    expect(contract).to_have_attribute("open", "")
    satisfaction = IndicatorTemplate.objects.get(metric="satisfaction")
    served = IndicatorTemplate.objects.get(metric="clients_served", target_group=None)
    contract.locator("input[name=contract_number]").fill("YBMZ-2026-001")
    contract.locator("input[name=contract_amount]").fill("280000")
    contract.locator("input[name=start_on]").fill(str(localdate() - D(10)))
    contract.locator("input[name=end_on]").fill(str(localdate() + D(355)))
    # Covered units: the searchable select where it runs (typed, then picked from what the
    # server offers), else the plain select given the unit the endpoint would offer.
    search = contract.locator("#id_units-ts-control")
    if search.count():
        search.press_sequentially("双龙湖")
        page.locator("#id_units-ts-dropdown .option", has_text=world.station_a.name).click()
    else:
        contract.locator("select[name=units]").evaluate(
            "(select, pk) => select.add(new Option(pk, pk, true, true))", str(world.station_a.pk)
        )
    contract.locator(f"input[name=target_{served.pk}]").fill("300")
    contract.locator(f"input[name=target_{satisfaction.pk}]").fill("20")
    contract.locator("button[type=submit]").click()
    error = page.locator(f"[data-field=target_{satisfaction.pk}]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("5")
    error.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "contract-bad-target-1366.png", full_page=True)
    project.refresh_from_db()
    assert project.stage == Stage.PROCURING
    page.locator(f"#step-contract input[name=target_{satisfaction.pk}]").fill("4.5")
    page.locator("#step-contract button[type=submit]").click()
    expect(page.locator("#stage")).to_have_text(zh_text("under contract"))
    expect(page.locator("#indicators")).to_contain_text(satisfaction.name)
    page.screenshot(path=SHOTS / "contract-signed-1366.png", full_page=True)
    project.refresh_from_db()
    assert project.indicators.get(template=satisfaction).target == 4.5


def test_accepting_a_referral_offers_the_next_step(live_server, live_world, open_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    world = live_world
    elder = make(world, name="刘奶奶", village=VILLAGE_A1)
    case = CaseFactory(
        actor=world.users.room_a1, client=elder, unit=world.room_a1, case_worker=world.cw_a1
    )
    referral = ReferralFactory(
        actor=world.users.room_a1,
        client=elder,
        from_unit=world.room_a1,
        to_unit=world.station_a,
        reason="独居老人情绪低落，需要站里专业社工介入",
    )
    base = live_server.url
    page = open_page(**PHONE)
    warm(page, base)
    log_in(page, base, "station_a")
    page.goto(f"{base}/referrals/{referral.pk}/")
    page.get_by_role("button", name=zh_text("Accept"), exact=True).click()
    step = page.locator("#next-step")
    expect(step).to_be_visible()
    expect(step).to_contain_text(case.number)
    page.screenshot(path=SHOTS / "referral-next-step-390.png", full_page=True)
    step.locator("select[name=case_worker]").select_option(str(world.sw_a.pk), force=True)
    step.get_by_role("button", name=zh_text("Assign"), exact=True).click()
    expect(page).to_have_url(f"{base}/cases/{case.pk}/")
    page.screenshot(path=SHOTS / "referral-case-assigned-390.png", full_page=True)
    case = Case.objects.get(pk=case.pk)
    assert case.unit == world.station_a and case.case_worker == world.sw_a
