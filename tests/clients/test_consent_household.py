"""Consent records (PIPL art. 31: a guardian's for under-14s) and household members."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate

from shegong.clients import services
from shegong.clients.models import Consent, ConsentRelation
from tests.clients.test_clients import make, valid
from tests.conftest import VILLAGE_A1, VILLAGE_B1

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def child_id() -> str:
    birth = localdate() - datetime.timedelta(days=365 * 9)
    return valid(f"500112{birth:%Y%m%d}123")


def test_a_child_needs_the_guardian_and_cannot_consent_alone(world, client):
    child = make(world, name="小明", number=child_id())
    client.force_login(world.users.room_a1)
    page = client.get(f"/clients/{child.pk}/")
    assert page.context["needs_guardian_consent"]
    today = str(localdate())
    alone = client.post(
        f"/clients/{child.pk}/consents/",
        {"given_by": "小明", "relation": "self", "purpose": "建档与走访", "given_on": today},
    )
    assert alone.status_code == 400 and alone.context["consent_form"].errors["relation"]
    ok = client.post(
        f"/clients/{child.pk}/consents/",
        {"given_by": "王奶奶", "relation": "guardian", "purpose": "建档与走访", "given_on": today},
    )
    assert ok.status_code == 302
    assert not client.get(f"/clients/{child.pk}/").context["needs_guardian_consent"]


def test_household_members_are_added_in_scope(world, client):
    mine = make(world, name="甲", village=VILLAGE_A1)
    other = make(world, name="乙", village=VILLAGE_B1)
    client.force_login(world.users.room_a1)
    data = {"name": "甲之子", "relation": "儿子", "birth_year": 1975}
    assert client.post(f"/clients/{mine.pk}/household/", data).status_code == 302
    assert [m.name for m in mine.household.all()] == ["甲之子"]
    assert not mine.household.get().lives_with_client
    assert client.post(f"/clients/{other.pk}/household/", data).status_code == 404
    missing = client.post(f"/clients/{mine.pk}/household/", {"name": "", "relation": ""})
    assert missing.status_code == 400


def consent(client, relation, given_by="某人"):
    return services.consent_add(
        client=client,
        given_by=given_by,
        relation=relation,
        purpose="建档与走访",
        given_on=localdate(),
        actor=None,
    )


@pytest.mark.parametrize("relation", ["self", "spouse", "child", "relative", "agent", "other"])
def test_only_a_parent_or_guardian_consents_for_a_child(world, relation):
    child = make(world, name="小明", number=child_id())
    with pytest.raises(ValidationError) as exc:
        consent(child, relation)
    assert list(exc.value.message_dict) == ["relation"]
    assert services.needs_guardian_consent(child) and not child.consents.exists()


@pytest.mark.parametrize("relation", ["parent", "guardian"])
def test_a_parent_or_guardian_consent_satisfies_the_rule(world, relation):
    child = make(world, name="小明", number=child_id())
    consent(child, relation)
    assert not services.needs_guardian_consent(child)


@pytest.mark.parametrize("typed", ["本人", "Self", "self ", "监护人", "奶奶"])
def test_free_text_is_refused_on_the_field(world, typed):
    adult = make(world, name="老王")
    with pytest.raises(ValidationError) as exc:
        consent(adult, typed)
    assert list(exc.value.message_dict) == ["relation"]


def test_an_adult_consents_for_themself(world, client):
    adult = make(world, name="老王")
    client.force_login(world.users.room_a1)
    form = client.get(f"/clients/{adult.pk}/").context["consent_form"]
    assert dict(form.fields["relation"].choices)["self"] == ConsentRelation.SELF.label
    response = client.post(
        f"/clients/{adult.pk}/consents/",
        {"given_by": "老王", "relation": "self", "purpose": "建档", "given_on": str(localdate())},
    )
    assert response.status_code == 302
    assert Consent.objects.get(client=adult).relation == "self"


def test_the_migration_maps_what_was_typed():
    migration = importlib.import_module("shegong.clients.migrations.0005_consent_relation_choices")
    expected = {
        "本人": "self",
        " self ": "self",
        "Self": "self",
        "母亲": "parent",
        "法定监护人": "guardian",
        "guardian": "guardian",
        "老伴": "spouse",
        "儿子": "child",
        "奶奶": "relative",  # not a guardian unless recorded as one
        "委托代理人": "agent",
        "村主任": "other",
        "": "other",
    }
    assert {typed: migration.relation_code(typed) for typed in expected} == expected
    assert {code for code, _label in migration.CHOICES} == set(ConsentRelation.values)
