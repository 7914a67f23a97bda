"""Clients through ``shegong.clients.services.client_create``: GB 11643 checks, encryption,
derived fields, the visit due date and a risk alert for a high-risk client all happen."""

import factory
from factory.django import DjangoModelFactory

from shegong.clients import services
from shegong.clients.models import Client
from shegong.divisions.models import Division

VILLAGE = "500112002001"  # 五星路社区, room A1's village in the shared world


class ClientFactory(DjangoModelFactory):
    """Without ``id_number`` the client is registered with a reason it is missing."""

    class Meta:
        model = Client

    actor = None
    groups = ()
    name = "张三丰"
    division = factory.LazyFunction(lambda: Division.objects.get(code=VILLAGE))
    id_number = ""
    id_missing_reason = factory.LazyAttribute(lambda o: "" if o.id_number else "流浪人员，身份不明")

    @classmethod
    def _create(cls, model_class, actor=None, groups=(), **data):
        return services.client_create(actor=actor, groups=groups, **data)
