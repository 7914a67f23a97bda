"""The agency's credit code through the API, the register page and the model: full-width
characters are the ASCII code (and the same agency), other characters a field error."""

import pytest

from shegong.network.models import Agency
from tests.conftest import api_for
from tests.purchasing.test_purchasing import VALID_CODES, market  # noqa: F401

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHJKLMNPQRTUWXY",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ",
)
CODE = VALID_CODES[1]  # 91110000600037341L
FULL = CODE.translate(FULL_WIDTH)
# '²' is a \d to a str regex; it used to reach CHARSET.index() and raise (a 500).
SUPERSCRIPT = CODE[:7] + "²" + CODE[8:]


def test_agency_api_normalises_full_width_and_refuses_superscript(market):  # noqa: F811
    api = api_for(market.users.district)
    bad = api.post("/api/v1/agencies/", {"name": "某机构", "credit_code": SUPERSCRIPT})
    assert bad.status_code == 400 and "credit_code" in bad.json()
    ok = api.post("/api/v1/agencies/", {"name": "某机构", "credit_code": FULL})
    assert ok.status_code == 201, ok.json()
    assert Agency.objects.get(pk=ok.json()["id"]).credit_code == CODE
    twice = api.post("/api/v1/agencies/", {"name": "又一机构", "credit_code": FULL})
    assert twice.status_code == 400 and "credit_code" in twice.json()
    patched = api.patch(f"/api/v1/agencies/{ok.json()['id']}/", {"credit_code": SUPERSCRIPT})
    assert patched.status_code == 400 and "credit_code" in patched.json()


def test_agency_page_normalises_full_width_and_refuses_superscript(market, client):  # noqa: F811
    client.force_login(market.users.district)
    bad = client.post("/agencies/new/", {"name": "新机构", "credit_code": SUPERSCRIPT})
    assert bad.status_code == 400 and "credit_code" in bad.context["form"].errors
    ok = client.post("/agencies/new/", {"name": "新机构", "credit_code": FULL})
    assert ok.status_code == 302
    assert Agency.objects.get(name="新机构").credit_code == CODE
    twice = client.post("/agencies/new/", {"name": "又一机构", "credit_code": FULL})
    assert twice.status_code == 400 and twice.context["form"].errors  # the unique constraint
    assert Agency.objects.filter(credit_code=CODE).count() == 1


def test_agency_model_clean_stores_the_ascii_code(world):
    world.agency.credit_code = FULL
    world.agency.full_clean()
    assert world.agency.credit_code == CODE
