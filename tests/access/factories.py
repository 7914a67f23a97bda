"""Accounts through ``shegong.access.services``: ``user_create``, then ``grant_add`` when a
``role`` is given (on ``unit``, ``agency`` or ``purchaser`` as the role needs)."""

import factory
from factory.django import DjangoModelFactory

from shegong.access import services
from shegong.access.models import User
from tests.network.factories import district

PASSWORD = "Test-Passw0rd!"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    actor = None
    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.SelfAttribute("username")
    role = None
    unit = None
    agency = None
    purchaser = None
    division = factory.LazyAttribute(lambda o: o.unit.division if o.unit else district())
    password = PASSWORD

    @classmethod
    def _create(
        cls, model_class, actor=None, role=None, unit=None, agency=None, purchaser=None, **data
    ):
        user, _password = services.user_create(actor=actor, **data)
        if role:
            services.grant_add(
                user=user, role=role, unit=unit, agency=agency, purchaser=purchaser, actor=actor
            )
        return user
