"""Browser tests (fixtures): a real Chromium against pytest-django's live server.

The live server runs in another thread and sees only committed rows, so these tests use
``transactional_db`` (via ``live_server``); its flush empties every table, divisions included,
so each test reloads them before building the small world. Texts the pages show are computed
with the server's own catalogs (``zh_text``), so the assertions hold whether or not a string
has been translated yet. Screenshots go to /tmp/shots/ for a human to look at.
"""

import os

# Playwright's sync API runs an event loop in this thread; the ORM must still work here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import build_world, ensure_divisions  # noqa: E402

from .pages import CHROMIUM, CHROMIUM_ARGS, DESKTOP, SHOTS, TIMEOUT_MS  # noqa: E402


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
