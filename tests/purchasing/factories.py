"""Purchasers and projects through ``shegong.purchasing.services`` (the district registers
purchasers; a purchasing department files its projects)."""

import datetime
from decimal import Decimal

import factory
from django.utils.timezone import localdate
from factory.django import DjangoModelFactory

from shegong.purchasing import services
from shegong.purchasing.models import Project, Purchaser
from tests.network.factories import district


class PurchaserFactory(DjangoModelFactory):
    class Meta:
        model = Purchaser

    actor = None
    name = "渝北区民政局"
    kind = "civil_affairs"
    division = factory.LazyFunction(district)

    @classmethod
    def _create(cls, model_class, **data):
        return services.purchaser_create(**data)


class ProjectFactory(DjangoModelFactory):
    """A budgeted project, approved 400 days ago. Give ``actor`` (its purchaser's account)
    and ``purchaser``."""

    class Meta:
        model = Project

    name = "双龙湖街道社会工作站运营项目"
    funding_source = "lottery"
    budget_amount = Decimal("300000")
    budget_approved_on = factory.LazyFunction(lambda: localdate() - datetime.timedelta(days=400))

    @classmethod
    def _create(cls, model_class, **data):
        return services.project_create(**data)


def assign_evaluation(world, project, *, actor=None, kind="mid", evaluator=None, body="第三方"):
    """An evaluation of ``project`` assigned by the world's purchaser to its evaluator."""
    from shegong.purchasing import services

    return services.evaluation_assign(
        project=project,
        actor=actor or world.users.purchaser,
        kind=kind,
        evaluator=evaluator or world.users.evaluator,
        evaluator_body=body,
    )


def some_targets(**overrides) -> dict:
    """Indicator targets a contract may be signed with: 10 clients served, weight 100
    (``overrides`` by metric: {metric: (target, weight)})."""
    from shegong.purchasing.models import IndicatorTemplate

    targets = {}
    for metric, (target, weight) in {"clients_served": (10, 100), **overrides}.items():
        template = IndicatorTemplate.objects.filter(metric=metric, target_group=None).first()
        targets[template] = (Decimal(str(target)), Decimal(str(weight)))
    return targets
