"""Group work and community activities through ``shegong.activities.services.activity_create``
(members of the unit's area, a leader, a plan)."""

import datetime

import factory
from django.utils.timezone import localdate
from factory.django import DjangoModelFactory

from shegong.activities import services
from shegong.activities.models import Activity
from tests.records.factories import service_field


class ActivityFactory(DjangoModelFactory):
    """A six-session children's group that started a week ago. Give ``actor``, ``unit`` and
    ``leader``."""

    class Meta:
        model = Activity

    kind = "group"
    title = "留守儿童成长小组"
    field = factory.LazyFunction(lambda: service_field("children"))
    needs = "留守儿童缺少陪伴"
    goals = "提升自信与人际交往"
    planned_sessions = 6
    start_on = factory.LazyFunction(lambda: localdate() - datetime.timedelta(days=7))
    members = ()

    @classmethod
    def _create(cls, model_class, **data):
        return services.activity_create(**data)
