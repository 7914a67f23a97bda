"""Visits through ``shegong.visits.services.visit_record`` (no future date, the client's
next due date moves)."""

import factory
from django.utils.timezone import localdate
from factory.django import DjangoModelFactory

from shegong.visits import services
from shegong.visits.models import Visit
from tests.clients.factories import ClientFactory


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    actor = None
    client = factory.SubFactory(ClientFactory)
    visited_on = factory.LazyFunction(localdate)
    mode = "phone"

    @classmethod
    def _create(cls, model_class, **data):
        return services.visit_record(**data)
