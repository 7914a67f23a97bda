"""Headers (issue 9, finding 13): a Content-Security-Policy with no inline script (and no
inline script or event handler left in the templates), HTTPS switches driven by the
environment and `check --deploy` clean with the documented production settings, and
``Cache-Control: no-store`` on revealed values, exports and downloads."""

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.clients.test_clients import ID_1, make

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "shegong" / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_script(client):
    policy = directives(client.get("/login/"))
    script = policy.get("script-src", policy.get("default-src"))
    assert script == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_templates_hold_no_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>")
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert not offenders


@pytest.mark.django_db
def test_api_docs_need_no_inline_script(world, client):
    client.force_login(world.users.district)
    page = client.get("/api/v1/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", page)


def test_make_run_serves_plain_http():
    assert not django_settings.SECURE_SSL_REDIRECT
    assert django_settings.SECURE_HSTS_SECONDS == 0
    assert not django_settings.SESSION_COOKIE_SECURE


def production_env(var_dir, **extra):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("SHEGONG_") and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shegong.config.settings",
        PYTHONPATH=str(ROOT / "src"),
        SHEGONG_VAR_DIR=str(var_dir),
        # The README's production settings ("Deploy on PostgreSQL + Redis").
        SHEGONG_SECRET_KEY="Zx9-" + "q8Wm2".join("abcdefghij"),
        SHEGONG_FIELD_KEY=base64.b64encode(os.urandom(32)).decode(),
        SHEGONG_ALLOWED_HOSTS="shegong.example.gov.cn",
        SHEGONG_HTTPS="1",
        SHEGONG_PROXY_SSL_HEADER="1",
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"]
        + ["--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_https_switch_turns_on_redirect_hsts_and_the_proxy_header(tmp_path):
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/login/', headers={'X-Forwarded-Proto': 'https'}, "
        "SERVER_NAME='shegong.example.gov.cn'); "
        "print(r.status_code, r.headers.get('Strict-Transport-Security')); "
        "r = Client().get('/login/', SERVER_NAME='shegong.example.gov.cn'); "
        "print(r.status_code, r['Location'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    secure, plain = result.stdout.strip().splitlines()[-2:]
    assert secure == "200 max-age=31536000; includeSubDomains; preload"
    assert plain == "301 https://shegong.example.gov.cn/login/"


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_revealed_value_is_never_cached(world, client):
    person = make(world, number=ID_1, phone="13812345678")
    client.force_login(world.users.room_a1)
    shown = client.post(f"/clients/{person.pk}/", {"field": "phone", "reason": "回访"})
    assert shown.status_code == 200 and "13812345678" in shown.content.decode()
    assert no_store(shown)

    api = APIClient()
    _stored, token = AuthToken.objects.create(user=world.users.room_a1)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    revealed = api.post(
        f"/api/v1/clients/{person.pk}/reveal/", {"field": "phone", "reason": "回访"}
    )
    assert revealed.status_code == 200 and revealed.json()["value"] == "13812345678"
    assert no_store(revealed)


@pytest.mark.django_db
def test_exports_are_never_cached(world, client):
    make(world, number=ID_1, phone="13812345678")
    client.force_login(world.users.district)
    for url in ("/clients/", "/cases/", "/workers/"):
        export = client.get(url, {"export": "xlsx"})
        assert export.status_code == 200, url
        assert export["Content-Disposition"].startswith("attachment")
        assert no_store(export), url


def test_the_export_helper_itself_forbids_caching():
    from shegong.common.exports import xlsx_response

    assert xlsx_response(b"x", "a.xlsx")["Cache-Control"] == "no-store"
