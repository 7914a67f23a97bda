"""Browser tests: a real Chromium against pytest-django's live server.

The live server runs in another thread and sees only committed rows, so these tests use
``transactional_db`` (via ``live_server``); its flush empties every table, divisions included,
so each test reloads them before building the small world. Texts the pages show are computed
with the server's own catalogs (``zh_text``), so the assertions hold whether or not a string
has been translated yet. Screenshots go to /tmp/shots/ for a human to look at.
"""

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; the ORM must still work here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.timezone import localdate  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from shegong.access.models import Role  # noqa: E402
from shegong.network.models import Unit  # noqa: E402
from shegong.people.models import Certificate  # noqa: E402
from shegong.purchasing import services  # noqa: E402
from shegong.purchasing.models import Criterion  # noqa: E402
from tests.activities.factories import ActivityFactory  # noqa: E402
from tests.clients.factories import ClientFactory  # noqa: E402
from tests.conftest import PASSWORD, TOWN_A, build_world, ensure_divisions, make_user  # noqa: E402
from tests.purchasing.factories import ProjectFactory, PurchaserFactory  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path("/tmp/shots")
# Users in Chongqing browse in Chinese; Django maps zh-CN to zh-hans.
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}
TIMEOUT_MS = 10_000
EMPTY_TOWN = "500112007"  # 鸳鸯街道: no unit in the world, so the level is the only fault


def zh_text(message):
    """What a zh-hans page shows for ``message``, translated or not."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", autouse=True)
def restore_divisions(django_db_blocker):
    """Put the divisions back once this module is done, for db tests run after it."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


@pytest.fixture
def live_world(live_server, transactional_db):
    """The conftest world, committed so the live server's thread sees it."""
    ensure_divisions()
    return build_world()


@pytest.fixture
def open_page(browser):
    """``open_page(**context_options)`` -> a fresh page in its own context (own cookies)."""
    contexts = []

    def open_(**options):
        context = browser.new_context(**{**DESKTOP, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def submit_login(page, base_url, username, password):
    page.goto(f"{base_url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form:has(#id_password) button[type=submit]").click()


def log_in(page, base_url, username):
    submit_login(page, base_url, username, PASSWORD)
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("nav.navbar")).to_be_visible()


def test_login_coverage_and_drilldown(live_server, live_world, open_page):
    base = live_server.url
    page = open_page()
    page.goto(f"{base}/login/")
    # Chinese by default: the page says so, and "Log in" comes out as 登录.
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("form:has(#id_password) button[type=submit]")).to_have_text("登录")
    expect(page).to_have_title(f"登录 · {zh_text('Social Work Three-Level Service System')}")
    log_in(page, base, "district")

    page.locator("nav .dropdown-toggle", has_text=zh_text("Network")).click()
    page.locator("nav a.dropdown-item[href='/coverage/']").click()
    expect(page).to_have_url(f"{base}/coverage/")
    rows = page.locator("#coverage-table tbody tr")
    expect(rows).to_have_count(31)  # 30 towns and the total
    expect(rows.last.locator("td").first).to_have_text(zh_text("Total"))
    town_a = rows.filter(has=page.get_by_role("link", name="双龙湖街道", exact=True))
    expect(town_a).to_have_count(1)
    page.locator("#chart canvas").first.wait_for()  # ECharts drew the chart
    page.screenshot(path=SHOTS / "coverage.png", full_page=True)

    rooms_link = town_a.locator(f"a[href*='metric=rooms_established'][href*='town={TOWN_A}']")
    expect(rooms_link).to_have_text("2")
    rooms_link.click()
    expect(page).to_have_url(
        re.compile(rf"/coverage/details/\?.*metric=rooms_established&town={TOWN_A}")
    )
    listed = page.locator("main table tbody tr td:first-child")
    expect(listed).to_have_text(["五星路社区社会工作室", "龙昌街社区社会工作室"])
    expect(page.get_by_text("回兴B1社会工作室")).to_have_count(0)
    page.screenshot(path=SHOTS / "coverage-drill.png", full_page=True)

    phone = open_page(**PHONE)
    log_in(phone, base, "district")
    phone.goto(f"{base}/coverage/")
    expect(phone.locator("#coverage-table tbody tr")).to_have_count(31)
    phone.locator("#chart canvas").first.wait_for()
    phone.screenshot(path=SHOTS / "coverage-phone.png", full_page=True)


def test_five_wrong_passwords_lock_the_account(live_server, live_world, open_page):
    base = live_server.url
    page = open_page()
    for _attempt in range(5):
        submit_login(page, base, "district", "wrong-password")
        expect(page.locator(".alert-danger")).to_be_visible()
        expect(page.locator("nav.navbar")).to_have_count(0)

    page.goto(f"{base}/login/")
    page.locator("#id_username").fill("district")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_response(
        lambda r: r.url == f"{base}/login/" and r.request.method == "POST"
    ) as response:
        page.locator("form:has(#id_password) button[type=submit]").click()
    assert response.value.status == 429
    expect(page.locator("h1")).to_have_text(zh_text("Account locked"))
    expect(page.locator("nav.navbar")).to_have_count(0)  # not signed in
    page.screenshot(path=SHOTS / "locked.png", full_page=True)
    # Still locked for a fresh visit to a page that needs a login.
    page.goto(f"{base}/coverage/")
    expect(page).to_have_url(f"{base}/login/?next=/coverage/")


def test_room_on_a_town_code_is_refused_on_the_division_field(live_server, live_world, open_page):
    base = live_server.url
    page = open_page()
    log_in(page, base, "district")
    before = Unit.objects.count()

    page.goto(f"{base}/units/new/")
    page.locator("#id_kind").select_option("room")
    page.locator("#id_division").select_option(EMPTY_TOWN)
    page.locator("#id_status").select_option("planned")
    page.locator("#id_planned_on").fill("2024-03-01")
    page.locator("#id_name").fill("鸳鸯街道测试社会工作室")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{base}/units/new/")
    field = page.locator("main form .mb-3", has=page.locator("#id_division"))
    expect(field.locator(".invalid-feedback")).to_have_text(
        zh_text("A room must sit on a village / community code (12 digits).")
    )
    expect(page.locator(".invalid-feedback")).to_have_count(1)  # no other field complains
    expect(page.locator("#id_division")).to_have_value(EMPTY_TOWN)  # the entry is kept
    page.screenshot(path=SHOTS / "unit-form-error.png", full_page=True)
    assert Unit.objects.count() == before


def test_room_worker_gets_404_for_another_villages_unit(live_server, live_world, open_page):
    base = live_server.url
    page = open_page()
    log_in(page, base, "room_a1")

    own = page.goto(f"{base}/units/{live_world.room_a1.pk}/")
    assert own.status == 200
    expect(page.locator("h1")).to_contain_text("五星路社区社会工作室")

    other = page.goto(f"{base}/units/{live_world.room_b1.pk}/")
    assert other.status == 404
    expect(page.get_by_text("回兴B1社会工作室")).to_have_count(0)


def test_add_a_certificate_on_a_phone(live_server, live_world, open_page):
    base = live_server.url
    worker = live_world.cw_a2  # 王调解, posted to room A2, no certificate yet
    page = open_page(**PHONE)
    page.goto(f"{base}/login/")
    page.screenshot(path=SHOTS / "login-phone.png", full_page=True)
    log_in(page, base, "station_a")

    # The navbar collapses on a phone: open it and the network menu, then the workers.
    workers_link = page.locator("nav a.dropdown-item[href='/workers/']")
    expect(workers_link).to_be_hidden()
    page.locator("nav .navbar-toggler").click()
    page.locator("nav .dropdown-toggle", has_text=zh_text("Network")).click()
    workers_link.click()
    expect(page).to_have_url(f"{base}/workers/")
    page.get_by_role("link", name="王调解", exact=True).click()
    expect(page).to_have_url(f"{base}/workers/{worker.pk}/")

    form = page.locator(f"form[action='/workers/{worker.pk}/certificates/']")
    expect(form).to_be_hidden()
    page.locator("details:has(form[action$='/certificates/']) > summary").click()
    expect(form).to_be_visible()
    form.locator("select[name=tier]").select_option("worker")
    form.locator("input[name=number]").fill("W-2024-0042")
    form.locator("input[name=year]").fill("2024")
    page.screenshot(path=SHOTS / "worker-certificate-form-phone.png", full_page=True)
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(f"{base}/workers/{worker.pk}/")
    expect(page.locator(".alert-success")).to_have_text(zh_text("The certificate has been added."))
    heading = page.get_by_role("heading", name=zh_text("Certificates"), exact=True)
    certificates = page.locator(".card-body", has=heading).locator("> ul > li")
    expect(certificates).to_have_count(1)
    expect(certificates).to_contain_text("W-2024-0042 · 2024")
    page.screenshot(path=SHOTS / "worker-phone.png", full_page=True)
    assert list(Certificate.objects.filter(worker=worker).values_list("number", flat=True)) == [
        "W-2024-0042"
    ]


def test_pages_load_all_their_static_files(live_server, live_world, open_page):
    base = live_server.url
    page = open_page()
    static = []
    page.on("response", lambda r: static.append((r.status, r.url)) if "/static/" in r.url else None)
    log_in(page, base, "district")
    page.goto(f"{base}/coverage/")
    page.locator("#chart canvas").first.wait_for()
    assert static, "the page loaded no static files"
    assert [url for status, url in static if status != 200] == []
    # app.css is applied: the page background and the red "behind" states.
    expect(page.locator("body")).to_have_css("background-color", "rgb(245, 247, 250)")
    expect(page.locator("#coverage-table td.state-behind").first).to_have_css(
        "color", "rgb(220, 53, 69)"
    )


def test_district_creates_an_account_that_sees_only_its_town(live_server, live_world, open_page):
    base = live_server.url
    page = open_page()
    log_in(page, base, "district")
    page.get_by_role("button", name=zh_text("Administration"), exact=True).click()
    page.locator("nav a.dropdown-item[href='/accounts/']").click()
    page.locator("a[href='/accounts/new/']").click()
    page.locator("#id_username").fill("zhanzhang")
    page.locator("#id_display_name").fill("双龙湖站长")
    page.locator("#id_division").select_option(TOWN_A)
    page.locator("main form button[type=submit]").click()

    # The generated password is shown once, on the account's page.
    notice = page.locator(".alert-warning")
    expect(notice).to_contain_text("zhanzhang")
    password = re.search(r"Sg-\S+7a", notice.inner_text()).group(0)
    grant = page.locator("form[action$='/grants/']")
    grant.locator("select[name=role]").select_option("station_staff")
    grant.locator("select[name=unit]").select_option(str(live_world.station_a.pk))
    grant.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_have_text(zh_text("The role has been granted."))
    page.screenshot(path=SHOTS / "account-granted.png", full_page=True)
    page.locator("nav form[action='/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/login/"))

    submit_login(page, base, "zhanzhang", password)
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/units/")
    names = page.locator("main table tbody tr td:first-child")
    expect(names).to_have_count(3)
    expect(page.get_by_text("回兴B1社会工作室")).to_have_count(0)
    # A station worker reads accounts of nobody.
    assert page.goto(f"{base}/accounts/").status == 403


def test_district_moves_a_room_into_operation(live_server, live_world, open_page):
    base = live_server.url
    room = live_world.room_a2  # established 2021-10-01, not yet operating
    page = open_page()
    log_in(page, base, "district")
    page.goto(f"{base}/units/{room.pk}/")
    page.locator(f"a[href='/units/{room.pk}/status/']").click()
    form = page.locator("main form")
    form.locator("select[name=status]").select_option("operating")
    form.locator("input[name=effective_on]").fill("2021-01-01")  # before establishment
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-field=effective_on]")).to_be_visible()
    form.locator("input[name=effective_on]").fill("2022-06-01")
    form.locator("input[name=note]").fill("验收合格")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/units/{room.pk}/")
    expect(page.locator("h1 .badge")).to_have_text(zh_text("operating"))
    expect(page.locator("main ol li").last).to_contain_text("2022-06-01")
    expect(page.locator("main ol li").last).to_contain_text("验收合格")
    page.screenshot(path=SHOTS / "unit-operating.png", full_page=True)


def test_import_units_from_excel(live_server, live_world, open_page, tmp_path):
    from openpyxl import Workbook

    base = live_server.url
    free = sorted(c for c in live_world.div if c.startswith("500112007") and len(c) == 12)[:3]
    wb = Workbook()
    wb.active.append(["区划代码", "名称", "设立日期"])
    wb.active.append([free[0], "甲社会工作室", "2022-01-01"])
    wb.active.append([free[1], "乙社会工作室", "2022-02-30"])  # no such day
    wb.active.append([free[2], "丙社会工作室", "2022-03-01"])
    bad_file = tmp_path / "bad.xlsx"
    wb.save(bad_file)
    wb.active["C3"] = "2022-02-28"
    good_file = tmp_path / "good.xlsx"
    wb.save(good_file)

    page = open_page()
    log_in(page, base, "district")
    page.goto(f"{base}/units/")
    page.locator("a[href='/units/import/']").click()
    form = page.locator("main form")
    form.locator("input[type=file]").set_input_files(bad_file)
    form.locator("input[name=dry_run]").uncheck()
    form.locator("button[type=submit]").click()
    report = page.locator("#import-report")
    expect(report.locator(".alert-danger")).to_be_visible()
    expect(report.locator("tbody tr")).to_have_count(1)
    expect(report.locator("tbody tr td").first).to_have_text("3")
    page.screenshot(path=SHOTS / "import-report.png", full_page=True)
    assert not Unit.objects.filter(division_id__in=free).exists()

    form.locator("input[type=file]").set_input_files(good_file)
    form.locator("input[name=dry_run]").uncheck()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/units/")
    expect(page.locator(".alert-success")).to_contain_text("3")
    assert Unit.objects.filter(division_id__in=free).count() == 3


def test_api_docs_render_offline(live_server, live_world, open_page):
    """Swagger UI comes from drf-spectacular-sidecar: no request leaves the server."""
    base = live_server.url
    page = open_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    log_in(page, base, "district")
    page.goto(f"{base}/api/v1/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.get_by_text("/api/v1/units/", exact=True).first).to_be_visible()
    assert outside == []


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
