"""一人一档 in the browser: on a phone, the client's page lists the open case (and offers no
second one), and the dossier PDF downloaded from the page holds the case's intake text."""

from pathlib import Path

from playwright.sync_api import expect

from tests.cases.factories import CaseFactory
from tests.clients.factories import ClientFactory
from tests.clients.test_client_file import pdf_text

from .pages import DESKTOP, PHONE, SHOTS, log_in

INTAKE = "独居老人，跌倒后无人照看，需要上门照料"


def test_client_page_lists_the_open_case_and_the_dossier_pdf_holds_its_intake(
    live_server, live_world, open_page
):
    elder = ClientFactory(name="刘奶奶", id_missing_reason="暂未提供")
    case = CaseFactory(
        client=elder,
        actor=live_world.users.room_a1,
        unit=live_world.room_a1,
        case_worker=live_world.cw_a1,
        presenting_problem=INTAKE,
    )
    base = live_server.url
    page = open_page(**PHONE)
    log_in(page, base, "room_a1")
    page.goto(f"{base}/clients/{elder.pk}/")
    entry = page.locator("#timeline li[data-section=cases]", has_text=case.number)
    expect(entry).to_be_visible()
    expect(entry.locator(f"a[href='/cases/{case.pk}/']")).to_be_visible()
    expect(page.locator("#client-actions [data-action=open-case]")).to_have_count(0)
    expect(page.locator("#client-actions [data-action=current-case]")).to_be_visible()
    page.screenshot(path=SHOTS / "client-file-phone.png", full_page=True)
    with page.expect_download(timeout=180_000) as download:
        # The link's answer is a download, made while the click waits (seconds on a busy box).
        page.locator("#dossier-pdf").click(timeout=180_000)
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert "".join(INTAKE.split()) in pdf_text(content)
    page.set_viewport_size(DESKTOP["viewport"])  # the same page on a desktop's width
    expect(page.locator("#timeline")).to_contain_text(case.number)
    page.screenshot(path=SHOTS / "client-file-desktop.png", full_page=True)
