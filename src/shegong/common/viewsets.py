"""Viewsets that read through an app's selector and write through its services.

Apart from ``api`` because DRF imports ``api`` (pagination, exception handler) while it
is still loading its own ``viewsets`` module."""

import inspect

from rest_framework import mixins, viewsets

from .api import VersionedMixin


class _FunctionAttributes:
    """A selector or a service set as a class attribute (``selector = selectors.cases_for``)
    stays a plain function when read through ``self``: it takes no ``self``."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ("selector", "create_service", "update_service"):
            if inspect.isfunction(cls.__dict__.get(name)):
                setattr(cls, name, staticmethod(cls.__dict__[name]))


class SelectorMixin(_FunctionAttributes):
    """Rows through the app's selector: ``selector(user)`` gives what the user may see, so
    a row of another scope is a 404; ``prefetch`` names what each row's serializer reads."""

    selector = None
    prefetch = ()

    def get_queryset(self):
        if self.selector is None:
            return super().get_queryset()
        rows = self.selector(self.request.user)
        return rows.prefetch_related(*self.prefetch) if self.prefetch else rows


class ServiceWriteMixin(_FunctionAttributes):
    """Creates and updates through the app's services: the serializer reads and checks the
    body, ``create_service(actor=user, **data)`` or ``update_service(<update_object>=row,
    actor=user, **data)`` writes it (their refusals become 400 or 403 through
    ``exception_handler``). ``create_data``/``update_data`` shape the checked body where the
    service takes it otherwise. The answer is the row the service wrote."""

    create_service = None
    update_service = None
    update_object = "instance"

    def create_data(self, data: dict) -> dict:
        return data

    def update_data(self, data: dict) -> dict:
        return data

    def perform_create(self, serializer):
        from .services import once

        # An ``Idempotency-Key`` header: the same key sent again by the same account (a
        # retried request) answers the record the first request created.
        serializer.instance = once(
            self.request.user,
            self.request.headers.get("Idempotency-Key", ""),
            lambda: self.create_service(
                actor=self.request.user, **self.create_data(dict(serializer.validated_data))
            ),
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        result = self.update_service(
            **{self.update_object: instance},
            actor=self.request.user,
            **self.update_data(dict(serializer.validated_data)),
        )
        # Some services answer with the row as saved, others with the names they changed.
        serializer.instance = result if isinstance(result, type(instance)) else instance


class ServiceViewSet(
    VersionedMixin,
    SelectorMixin,
    ServiceWriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A resource recorded, not edited: list, read and create (see the mixins; a versioned
    record's ``ETag`` and ``If-Match`` are ``VersionedMixin``'s)."""


class EditableServiceViewSet(ServiceViewSet, mixins.UpdateModelMixin):
    """A resource also changed in place (PUT and PATCH) through ``update_service``; the
    mixin comes last so that ``ServiceWriteMixin.perform_update`` is the one that runs."""


class _StepAction:
    """Built by ``step_action``; becomes the viewset's action when the class is created,
    named after the attribute it is assigned to (DRF routes an action by its name)."""

    def __init__(self, body, service, *, url_path, responses, doc, options):
        self.body, self.service, self.options = body, service, options
        self.url_path, self.responses, self.doc = url_path, responses, doc

    def __set_name__(self, owner, name):
        from drf_spectacular.utils import extend_schema
        from rest_framework.decorators import action

        body, service, options = self.body, self.service, self.options

        def run(viewset, request, pk=None):
            return viewset.step(request, body, service, **options)

        run.__name__, run.__qualname__ = name, f"{owner.__qualname__}.{name}"
        run.__doc__ = self.doc
        if self.responses:
            responses = self.responses
        elif options.get("created"):
            from .api import CreatedSerializer

            responses = {201: options.get("answer") or CreatedSerializer}
        else:
            responses = options.get("answer") or owner.serializer_class
        routed = action(detail=True, methods=["post"], url_path=self.url_path)(run)
        setattr(owner, name, extend_schema(request=body, responses=responses)(routed))


def step_action(body, service, *, url_path=None, responses=None, doc=None, **options):
    """A lifecycle step of a ``StepMixin`` viewset in one line::

        assess = step_action(AssessSerializer, services.case_assess)

    POST ``<object>/<name>/`` validates the body with ``body`` and runs ``service`` through
    ``StepMixin.step`` (``options``: ``prepare``, ``created``, ``answer``). The OpenAPI
    operation documents ``body`` and answers with ``responses``, else ``answer``, else the
    viewset's serializer (``created``: a 201 with ``answer``, else with the new row's id)."""
    return _StepAction(
        body, service, url_path=url_path, responses=responses, doc=doc, options=options
    )
