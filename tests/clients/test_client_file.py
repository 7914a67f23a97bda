"""一人一档: the client's page shows the whole person on one timeline, offers only the
actions allowed now, stays a fixed number of queries however long the file, and the
dossier PDF is masked and written to the access log."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shegong.audit.models import AccessLog
from shegong.common.idcard import mask_id_number
from tests.cases.test_cases import open_case
from tests.clients.test_clients import ID_1, make
from tests.conftest import VILLAGE_A1, VILLAGE_B1
from tests.records.factories import ServiceRecordFactory
from tests.referrals.factories import ReferralFactory

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def pdf_text(content: bytes) -> str:
    """The PDF's text with the layout's spaces and line breaks taken out (pypdf reads the
    embedded font's two-byte codes with a NUL between characters)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.replace("\x00", "").split())


@pytest.fixture
def elder(world):
    return make(world, name="刘奶奶", village=VILLAGE_A1, number=ID_1, phone="13812345678")


def page(client, user, elder):
    client.force_login(user)
    response = client.get(elder.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_open_case_is_on_the_timeline_and_no_second_case_is_offered(client, world, elder):
    url_open = reverse("cases:case-open", args=[elder.pk])
    assert url_open in page(client, world.users.room_a1, elder)
    case = open_case(world, elder, presenting_problem="独居老人，跌倒后无人照看")
    html = page(client, world.users.room_a1, elder)
    assert url_open not in html
    assert reverse("cases:case-detail", args=[case.pk]) in html
    assert case.number in html and "独居老人，跌倒后无人照看" in html


def test_roles_that_cannot_edit_get_no_edit_actions(client, world, elder):
    user = world.users.station_a
    assert reverse("clients:client-edit", args=[elder.pk]) in page(client, user, elder)
    agency = world.users.agency
    client.force_login(agency)
    response = client.get(elder.get_absolute_url())
    if response.status_code == 200:  # agency staff may read some clients, never edit them
        html = response.content.decode()
        for name in ("clients:client-edit", "cases:case-open", "referrals:referral-create"):
            assert reverse(name, args=[elder.pk]) not in html


def test_every_section_is_on_the_timeline_newest_first(client, world, elder):
    case = open_case(world, elder)
    record = ServiceRecordFactory(
        actor=world.users.room_a1, unit=world.room_a1, clients=[elder], outcome="送餐到家"
    )
    referral = ReferralFactory(
        client=elder, actor=world.users.room_a1, from_unit=world.room_a1, to_unit=world.station_a
    )
    html = page(client, world.users.room_a1, elder)
    for url in (
        reverse("cases:case-detail", args=[case.pk]),
        reverse("records:record-detail", args=[record.pk]),
        reverse("referrals:referral-detail", args=[referral.pk]),
    ):
        assert url in html
    for key in ("groups", "visits", "cases", "services", "referrals", "activities", "alerts"):
        assert reverse("clients:client-file-section", args=[elder.pk, key]) in html


def test_a_long_file_is_capped_and_costs_no_query_per_row(
    client, world, elder, django_assert_max_num_queries
):
    for _ in range(15):
        ServiceRecordFactory(actor=world.users.room_a1, unit=world.room_a1, clients=[elder])
    client.force_login(world.users.room_a1)
    client.get(elder.get_absolute_url())  # warm the session and caches
    with django_assert_max_num_queries(40) as queries:
        response = client.get(elder.get_absolute_url())
    few = len(queries)
    for _ in range(30):
        ServiceRecordFactory(actor=world.users.room_a1, unit=world.room_a1, clients=[elder])
    with django_assert_max_num_queries(few):
        response = client.get(elder.get_absolute_url())
    html = response.content.decode()
    # The chip and the newest ten on the timeline, and a link to all of them.
    assert html.count('data-section="services"') == 1 + 10
    full_url = reverse("clients:client-file-section", args=[elder.pk, "services"])
    assert html.count(f'href="{full_url}"') == 2
    full = client.get(full_url)
    assert full.status_code == 200
    assert full.content.decode().count('<li class="list-group-item">') == 45


def test_section_pages_are_scoped(client, world, elder):
    client.force_login(world.users.station_b)
    url = reverse("clients:client-file-section", args=[elder.pk, "cases"])
    assert client.get(url).status_code == 404
    client.force_login(world.users.room_a1)
    assert client.get(url).status_code == 200
    bad = reverse("clients:client-file-section", args=[elder.pk, "nothing"])
    assert client.get(bad).status_code == 404


def test_dossier_pdf_is_masked_holds_the_intake_and_is_logged(client, world, elder):
    open_case(world, elder, presenting_problem="独居老人，跌倒后无人照看")
    client.force_login(world.users.room_a1)
    before = AccessLog.objects.count()
    response = client.get(reverse("clients:client-dossier-pdf", args=[elder.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "独居老人，跌倒后无人照看" in text and "刘奶奶" in text
    assert ID_1 not in text and mask_id_number(ID_1) in text
    assert "13812345678" not in text and "138****5678" in text
    log = AccessLog.objects.order_by("-id").first()
    assert AccessLog.objects.count() == before + 1
    assert (log.user, log.action, log.object_type, log.object_id) == (
        world.users.room_a1,
        AccessLog.Action.EXPORT,
        "client",
        str(elder.pk),
    )


def test_dossier_pdf_out_of_scope_is_404_and_not_logged(client, world):
    other = make(world, name="王大爷", village=VILLAGE_B1)
    client.force_login(world.users.room_a1)
    before = AccessLog.objects.count()
    assert client.get(reverse("clients:client-dossier-pdf", args=[other.pk])).status_code == 404
    assert AccessLog.objects.count() == before
