"""Browser flows of the frontline: a visit, a case, a group session."""

import datetime

from django.utils import translation
from playwright.sync_api import expect

from tests.activities.factories import ActivityFactory
from tests.clients.factories import ClientFactory

from .pages import PHONE, SHOTS, log_in, zh_text


def test_log_a_visit_on_a_phone(live_server, live_world, open_page):
    from shegong.clients.models import Client

    elder = ClientFactory(
        name="刘奶奶", id_missing_reason="暂未提供", risk_tier="high", living_situation="alone"
    )
    Client.objects.filter(pk=elder.pk).update(next_visit_due="2024-01-01")  # long overdue
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "room_a1")
    page.locator("nav .navbar-toggler").click()
    page.locator("nav a.nav-link[href='/visits/due/']").click()
    item = page.locator("#due-list .list-group-item", has_text="刘奶奶")
    expect(item.locator(".state-behind")).to_be_visible()
    item.get_by_role("link", name=zh_text("Record a visit")).click()
    page.locator("input[name=mode][value=phone]").check()
    page.locator("textarea[name=findings]").fill("电话问候，身体尚可，需要送药")
    page.locator("select[name=risk_change]").select_option("key")
    page.screenshot(path=SHOTS / "visit-form-phone.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/visits/due/")
    expect(page.locator(".alert-success")).to_have_text(zh_text("The visit has been recorded."))
    expect(page.locator("#due-list", has_text="刘奶奶")).to_have_count(0)
    elder.refresh_from_db()
    assert elder.risk_tier == "key" and elder.visits.get().mode == "phone"


def test_casework_from_intake_to_the_supervisors_approval(live_server, live_world, open_page):
    from shegong.cases.models import Case

    elder = ClientFactory(name="王爷爷", id_missing_reason="暂未提供")
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "room_a1")
    page.goto(f"{base}/clients/{elder.pk}/")
    page.get_by_role("link", name=zh_text("Open a case")).click()
    page.locator("select[name=case_worker]").select_option(str(live_world.cw_a1.pk))
    page.locator("textarea[name=presenting_problem]").fill("独居，近期跌倒，情绪低落")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#stage")).to_have_text(zh_text("intake"))
    assess = page.locator("#step-assess")
    assess.locator("input[name=needs]").first.check()
    assess.locator("textarea[name=assessment]").fill("跌倒风险高，需要照料")
    assess.locator("button[type=submit]").click()
    expect(page.locator("#stage")).to_have_text(zh_text("assessed, plan due"))
    plan = page.locator("#step-plan")
    plan.locator("textarea[name=goals]").fill("安装扶手\n每周电话问候")
    plan.locator("input[name=review_on]").fill("2030-01-01")
    plan.locator("button[type=submit]").click()
    expect(page.locator("#stage")).to_have_text(zh_text("intervention"))
    closing = page.locator("#step-request_closure")
    closing.locator("summary").click()
    closing.locator("select[name=reason]").select_option("moved")
    closing.locator("button[type=submit]").click()
    expect(page.locator("#stage")).to_have_text(zh_text("closure awaiting approval"))
    expect(page.locator("#timeline li")).to_have_count(4)
    page.screenshot(path=SHOTS / "case-phone.png", full_page=True)

    desk = open_page()
    log_in(desk, base, "station_a")
    desk.goto(f"{base}/cases/")
    desk.locator("#awaiting a", has_text="王爷爷").click()
    desk.get_by_role("button", name=zh_text("Approve and close")).click()
    with translation.override("zh-hans"):
        closed = translation.pgettext("case stage", "closed")
    expect(desk.locator("#stage")).to_have_text(closed)
    desk.screenshot(path=SHOTS / "case-closed.png", full_page=True)
    assert Case.objects.get().closed_by.username == "station_a"


def test_run_a_group_session(live_server, live_world, open_page):
    kid = ClientFactory(name="小明", id_missing_reason="无")
    group = ActivityFactory(
        actor=live_world.users.station_a,
        unit=live_world.station_a,
        leader=live_world.sw_a,
        needs="缺少陪伴",
        goals="提升自信",
        start_on=datetime.date(2024, 1, 1),
        members=[kid],
    )
    base = live_server.url
    page = open_page()
    log_in(page, base, "station_a")
    page.get_by_role("button", name=zh_text("Services"), exact=True).click()
    page.locator("nav a.dropdown-item[href='/activities/']").click()
    page.get_by_role("link", name="留守儿童成长小组").click()
    form = page.locator("#add-session")
    form.locator("input[name=duration_minutes]").fill("90")
    form.locator("input[name=clients]").first.check()
    form.locator("input[name=other_participants]").fill("3")
    form.locator("textarea[name=notes]").fill("破冰：认识彼此")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_have_text(zh_text("The session has been recorded."))
    expect(page.locator("#sessions li")).to_have_count(1)
    expect(page.locator("#status")).to_have_text(zh_text("under way"))
    page.screenshot(path=SHOTS / "activity.png", full_page=True)
    assert group.service_records.get().clients.get() == kid
