"""Issue 10 item 7, referrals: a second pending referral of a client to the same receiver
is refused and points to the first (service, API 400 with its id, page form error with a
link); once a referral is accepted, the page offers the receiving unit's next step (open a
case, or assign one of its workers to the case that came with it), through the cases' own
paths and only to those who may take it. Scoping untouched."""

import pytest
from django.core.exceptions import ValidationError

from shegong.cases.models import Case
from shegong.referrals import services
from shegong.referrals.models import Referral, Status
from tests.cases.factories import CaseFactory
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1, VILLAGE_B1, api_for
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def elder(world):
    return make(world, name="刘奶奶", village=VILLAGE_A1)


def up(world, client, **overrides):
    """Room A1 refers ``client`` up to station A."""
    data = {"actor": world.users.room_a1, "from_unit": world.room_a1, "to_unit": world.station_a}
    return ReferralFactory(client=client, **{**data, **overrides})


def test_a_second_pending_referral_to_the_same_unit_is_refused(world, elder):
    first = up(world, elder)
    with pytest.raises(services.DuplicateReferral) as exc:
        up(world, elder, reason="再次转介：情况加重")
    assert exc.value.first == first
    [message] = exc.value.message_dict["to_unit"]
    assert str(first.pk) in message
    # Whoever sends it: the station's inbox has the client already.
    assert Referral.objects.filter(client=elder).count() == 1


def test_what_is_not_a_duplicate(world, elder):
    first = up(world, elder)
    # Another receiver at the same time: out to a hospital.
    hospital = up(world, elder, to_unit=None, external_kind="hospital", external_name="区人民医院")
    with pytest.raises(ValidationError) as exc:  # the same hospital, spelt with spaces
        up(world, elder, to_unit=None, external_kind="hospital", external_name=" 区人民医院 ")
    assert "external_kind" in exc.value.message_dict
    up(world, elder, to_unit=None, external_kind="hospital", external_name="区中医院")
    # Decided referrals do not block a new one.
    services.referral_transition(
        referral=first, to_status=Status.DECLINED, actor=world.users.station_a, note="不符合"
    )
    again = up(world, elder)
    assert again.pk != first.pk and hospital.status == Status.PENDING


def test_the_api_answers_400_with_the_first_referrals_id(world, elder):
    first = up(world, elder)
    body = {
        "client": elder.pk,
        "from_unit": world.room_a1.pk,
        "to_unit": world.station_a.pk,
        "reason": "再次转介",
        "consent_checked": True,
    }
    refused = api_for(world.users.room_a1).post("/api/v1/referrals/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["duplicate_of"] == first.pk and "to_unit" in refused.json()


def test_the_page_shows_the_refusal_with_a_link_to_the_first(world, elder, client):
    first = up(world, elder)
    client.force_login(world.users.room_a1)
    refused = client.post(
        f"/clients/{elder.pk}/refer/",
        {
            "from_unit": world.room_a1.pk,
            "to_unit": world.station_a.pk,
            "reason": "再次转介",
            "urgency": "normal",
            "consent_checked": "on",
        },
    )
    assert refused.status_code == 400
    assert "to_unit" in refused.context["form"].errors
    html = refused.content.decode()
    assert 'id="duplicate-referral"' in html and f'href="/referrals/{first.pk}/"' in html


def accept_on_the_page(client, world, referral):
    client.force_login(world.users.station_a)
    return client.post(f"/referrals/{referral.pk}/accepted/", follow=True)


def test_after_accepting_without_a_case_the_page_offers_to_open_one(world, elder, client):
    referral = up(world, elder)
    before = client
    before.force_login(world.users.station_a)
    assert "next-step" not in before.get(f"/referrals/{referral.pk}/").content.decode()
    page = accept_on_the_page(client, world, referral)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="next-step"' in html
    assert f'href="/clients/{elder.pk}/open-case/"' in html
    # The sender sees the referral, not the receiver's next step.
    client.force_login(world.users.room_a1)
    assert 'id="next-step"' not in client.get(f"/referrals/{referral.pk}/").content.decode()


def test_after_accepting_with_a_case_the_page_offers_to_assign_a_worker(world, elder, client):
    case = CaseFactory(
        actor=world.users.room_a1, client=elder, unit=world.room_a1, case_worker=world.cw_a1
    )
    referral = up(world, elder)
    page = accept_on_the_page(client, world, referral)
    html = page.content.decode()
    assert f'action="/cases/{case.pk}/reassign/"' in html and "open-case" not in html
    assigned = client.post(f"/cases/{case.pk}/reassign/", {"case_worker": world.sw_a.pk})
    assert assigned.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.unit == world.station_a and case.case_worker == world.sw_a


def test_out_of_scope_referrals_stay_404(world, client):
    other = make(world, name="回兴居民", village=VILLAGE_B1)
    referral = ReferralFactory(
        actor=world.users.station_b,
        client=other,
        from_unit=world.station_b,
        to_unit=world.room_b1,
    )
    client.force_login(world.users.station_a)
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert client.post(f"/referrals/{referral.pk}/accepted/").status_code == 404
    assert api_for(world.users.room_a1).get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
