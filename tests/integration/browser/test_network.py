"""Browser flows of the network, accounts and imports."""

import re

from playwright.sync_api import expect

from shegong.network.models import Unit
from shegong.people.models import Certificate
from tests.conftest import PASSWORD, TOWN_A

from .pages import EMPTY_TOWN, PHONE, SHOTS, change_password, log_in, submit_login, zh_text


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
    # A generated password is changed at the first login, before any other page.
    expect(page).to_have_url(re.compile(r"/account/password/"))
    change_password(page, password, "Zhanzhang-Passw0rd!")
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
