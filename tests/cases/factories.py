"""Cases through ``shegong.cases.services.case_open`` (a room or station of the client's
area, a case worker posted there, one open case per client)."""

import factory
from django.utils.timezone import localdate
from factory.django import DjangoModelFactory

from shegong.cases import services
from shegong.cases.models import Case


class CaseFactory(DjangoModelFactory):
    """Give ``client``, ``unit`` and ``case_worker``."""

    class Meta:
        model = Case

    actor = None
    opened_on = factory.LazyFunction(localdate)
    source = "visit"
    presenting_problem = "独居，近期跌倒两次，情绪低落"

    @classmethod
    def _create(cls, model_class, **data):
        return services.case_open(**data)
