"""The case file PDF (MZ/T 094 records) and the printable case page."""

import pytest
from django.urls import reverse
from django.utils import translation

from shegong.audit.models import AccessLog
from shegong.common.idcard import mask_id_number
from tests.cases.test_cases import open_case, serve, through_plan
from tests.clients.test_client_file import pdf_text
from tests.clients.test_clients import ID_1, make
from tests.conftest import VILLAGE_A1

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def shown(message: str) -> str:
    """``message`` as the pages and PDFs show it (Chinese), spaces taken out."""
    with translation.override("zh-hans"):
        return "".join(translation.gettext(message).split())


@pytest.fixture
def case(world):
    elder = make(world, name="刘奶奶", village=VILLAGE_A1, number=ID_1)
    case = open_case(world, elder, presenting_problem="独居老人，跌倒后无人照看")
    case = through_plan(world, case)
    serve(world, case)
    return case


def test_case_file_pdf_follows_the_records_is_masked_and_logged(client, world, case):
    client.force_login(world.users.room_a1)
    before = AccessLog.objects.count()
    response = client.get(reverse("cases:case-file", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "独居老人，跌倒后无人照看" in text and "跌倒风险高，缺少照料" in text
    assert "安装扶手" in text and case.number in text
    for heading in ("1. Intake", "2. Assessment", "3. Service plan", "6. Closure"):
        assert shown(heading) in text
    for signer in ("Case worker", "Supervisor", "Client (or guardian)"):
        assert shown(signer) in text
    assert ID_1 not in text and mask_id_number(ID_1) in text
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.order_by("-id").first()
    assert (log.user, log.object_type, log.object_id, log.action) == (
        world.users.room_a1,
        "case",
        str(case.pk),
        AccessLog.Action.EXPORT,
    )


def test_case_file_out_of_scope_is_404_and_not_logged(client, world, case):
    client.force_login(world.users.station_b)
    before = AccessLog.objects.count()
    assert client.get(reverse("cases:case-file", args=[case.pk])).status_code == 404
    assert AccessLog.objects.count() == before


def test_case_page_prints_identifiers_and_signature_blocks(client, world, case):
    client.force_login(world.users.room_a1)
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert reverse("cases:case-file", args=[case.pk]) in html
    assert 'id="case-identifiers"' in html and mask_id_number(ID_1) in html
    assert 'id="signatures"' in html and shown("Client (or guardian)") in html
