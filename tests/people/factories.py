"""Workers through ``shegong.people.services``: the worker, then a certificate and a posting
when asked for (``certificate=(tier, number, year)``, ``unit=`` from ``posted_on``)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from shegong.people import services
from shegong.people.models import Worker
from tests.network.factories import district


class WorkerFactory(DjangoModelFactory):
    class Meta:
        model = Worker

    actor = None
    name = factory.Sequence(lambda n: f"社工{n}号")
    unit = None
    posted_on = datetime.date(2021, 1, 1)
    certificate = None
    division = factory.LazyAttribute(lambda o: o.unit.division if o.unit else district())
    roles = factory.LazyFunction(lambda: ["social_worker"])
    employer_agency = None
    employer_name = factory.LazyAttribute(lambda o: "" if o.employer_agency else "社区居委会")

    @classmethod
    def _create(cls, model_class, actor=None, unit=None, posted_on=None, certificate=None, **data):
        worker = services.worker_create(actor=actor, **data)
        if certificate:
            tier, number, year = certificate
            services.certificate_add(
                worker=worker, tier=tier, number=number, year=year, actor=actor
            )
        if unit is not None:
            services.assignment_add(worker=worker, unit=unit, start_on=posted_on, actor=actor)
        return worker
