"""The purchaser and agency registers through their doors (API and pages): every write
goes through the services (a history row names the actor), bad input is a 400 on the field
at fault, and only the district writes."""

import pytest

from shegong.network.models import Agency
from shegong.purchasing.models import Purchaser
from tests.conftest import api_for
from tests.purchasing.test_purchasing import VALID_CODES, contracted, market  # noqa: F401

pytestmark = pytest.mark.django_db
BAD_CODE = "52500112MJ12345674"  # check character altered


def last_change(instance):
    return instance.history.order_by("-history_id").first()


def test_agency_api_creates_and_patches_through_the_service(market):  # noqa: F811
    district = market.users.district
    api = api_for(district)
    made = api.post("/api/v1/agencies/", {"name": " 某机构 ", "address": "渝北区"})
    assert made.status_code == 201, made.json()
    agency = Agency.objects.get(pk=made.json()["id"])
    assert agency.name == "某机构" and last_change(agency).history_user == district
    patched = api.patch(f"/api/v1/agencies/{agency.pk}/", {"credit_code": VALID_CODES[0].lower()})
    assert patched.status_code == 200 and patched.json()["credit_code"] == VALID_CODES[0]
    assert patched.json()["address"] == "渝北区"
    change = last_change(agency)
    assert change.history_type == "~" and change.history_user == district
    for body, field in [({"credit_code": BAD_CODE}, "credit_code"), ({"name": ""}, "name")]:
        refused = api.patch(f"/api/v1/agencies/{agency.pk}/", body)
        assert refused.status_code == 400 and field in refused.json()
    taken = api.post("/api/v1/agencies/", {"name": "又一机构", "credit_code": VALID_CODES[0]})
    assert taken.status_code == 400 and "credit_code" in taken.json()
    assert api.put(f"/api/v1/agencies/{agency.pk}/", {"name": "x"}).status_code == 405
    buyer = api_for(market.users.purchaser)
    assert buyer.patch(f"/api/v1/agencies/{agency.pk}/", {"name": "x"}).status_code == 403


def test_agency_pages_create_and_edit_through_the_service(market, client):  # noqa: F811
    district = market.users.district
    client.force_login(district)
    made = client.post("/agencies/new/", {"name": "新机构", "credit_code": VALID_CODES[1]})
    assert made.status_code == 302
    agency = Agency.objects.get(name="新机构")
    assert last_change(agency).history_user == district
    url = f"/agencies/{agency.pk}/edit/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "新机构", "credit_code": BAD_CODE})
    assert bad.status_code == 400 and "credit_code" in bad.context["form"].errors
    taken = client.post(url, {"name": market.agency.name, "credit_code": VALID_CODES[1]})
    assert taken.status_code == 400 and "name" in taken.context["form"].errors
    saved = client.post(url, {"name": "新机构", "contact_person": "王主任"})
    assert saved.status_code == 302 and saved.url == f"/agencies/{agency.pk}/"
    agency.refresh_from_db()
    assert agency.contact_person == "王主任" and agency.credit_code == ""
    assert last_change(agency).history_user == district
    client.force_login(market.users.purchaser)
    assert client.post(url, {"name": "x"}).status_code == 403


def test_purchaser_api_creates_and_patches_through_the_service(market):  # noqa: F811
    district = market.users.district
    api = api_for(district)
    made = api.post(
        "/api/v1/purchasers/", {"name": "区卫健委", "kind": "health", "division": "500112"}
    )
    assert made.status_code == 201, made.json()
    purchaser = Purchaser.objects.get(pk=made.json()["id"])
    assert last_change(purchaser).history_user == district
    url = f"/api/v1/purchasers/{purchaser.pk}/"
    moved = api.patch(url, {"division": "500112004", "contact_person": "李科长"})
    assert moved.status_code == 200 and moved.json()["division"] == "500112004"
    change = last_change(purchaser)
    assert change.history_type == "~" and change.history_user == district
    refusals = [
        ({"division": "500103"}, "division"),  # another district
        ({"name": market.bureau.name}, "name"),  # taken
        ({"kind": "army"}, "kind"),
    ]
    for body, field in refusals:
        refused = api.patch(url, body)
        assert refused.status_code == 400 and field in refused.json(), refused.json()
    buyer = api_for(market.users.purchaser)
    assert buyer.patch(f"/api/v1/purchasers/{market.bureau.pk}/", {}).status_code == 403


def test_a_purchaser_with_projects_keeps_its_division(market):  # noqa: F811
    contracted(market)
    api = api_for(market.users.district)
    refused = api.patch(f"/api/v1/purchasers/{market.bureau.pk}/", {"division": "500112004"})
    assert refused.status_code == 400 and "division" in refused.json()
    renamed = api.patch(
        f"/api/v1/purchasers/{market.bureau.pk}/", {"contact_phone": "023-67800000"}
    )
    assert renamed.status_code == 200
