"""Service records through ``shegong.records.services.service_record_create`` (in scope, not
in the future, the items of the field, clients of the unit's area)."""

import factory
from django.utils.timezone import localdate
from factory.django import DjangoModelFactory

from shegong.records.models import ServiceField, ServiceRecord
from shegong.records.services import service_record_create


def service_field(code: str = "elderly") -> ServiceField:
    return ServiceField.objects.get(code=code)


class ServiceRecordFactory(DjangoModelFactory):
    """Give ``unit`` and ``clients`` (or ``other_participants``)."""

    class Meta:
        model = ServiceRecord

    actor = None
    served_on = factory.LazyFunction(localdate)
    duration_minutes = 60
    method = "visit"
    field = factory.LazyFunction(service_field)

    @classmethod
    def _create(cls, model_class, **data):
        return service_record_create(**data)
