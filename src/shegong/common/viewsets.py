"""Viewsets that read through an app's selector and write through its services.

Apart from ``api`` because DRF imports ``api`` (pagination, exception handler) while it
is still loading its own ``viewsets`` module."""

import inspect

from rest_framework import mixins, viewsets


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
        serializer.instance = self.create_service(
            actor=self.request.user, **self.create_data(dict(serializer.validated_data))
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
    SelectorMixin,
    ServiceWriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A resource recorded, not edited: list, read and create (see the two mixins)."""


class EditableServiceViewSet(ServiceViewSet, mixins.UpdateModelMixin):
    """A resource also changed in place (PUT and PATCH) through ``update_service``; the
    mixin comes last so that ``ServiceWriteMixin.perform_update`` is the one that runs."""
