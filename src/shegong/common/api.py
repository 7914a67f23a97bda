"""API plumbing shared by every app: errors as 400/404 with field messages, never 500.
The viewsets that read through an app's selectors and write through its services are in
``viewsets`` (DRF loads this module, for its settings, before its own viewsets)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .services import VersionConflict, expecting


def etag(instance) -> str:
    """The ``ETag`` of a versioned record: its version, quoted."""
    return f'"{instance.version}"'


def is_versioned(instance) -> bool:
    from .models import Versioned

    return isinstance(instance, Versioned) and instance.pk is not None


def exception_handler(exc, context):
    if isinstance(exc, VersionConflict):
        # A stale If-Match: 412, naming the problem and the version now current.
        return Response(
            {"detail": exc.message_dict["version"][0], "version": exc.current.version},
            status=412,
            headers={"ETag": etag(exc.current)},
        )
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DataError):
        # A value the database cannot store; the fields should have caught it first.
        exc = exceptions.ValidationError({"non_field_errors": [_("A value is not valid.")]})
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("This conflicts with an existing record.")]}
        )
    return drf_exception_handler(exc, context)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related-object field whose choices are the request user's scope."""

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(request.user)


class VersionedMixin:
    """Optimistic concurrency for a viewset of versioned records (``common.models.Versioned``):

    - the detail read, a create, an update and a step answer the record's version as the
      ``ETag`` (``"3"``);
    - an update (PUT, PATCH) or a step sent with ``If-Match`` runs only if the record is
      still at that version: the row is locked and compared inside the write's transaction,
      and a stale one is a 412 with the version now current (``exception_handler``). Without
      ``If-Match`` the write goes ahead, and the services still lose no other writer's
      change (``common.services.model_update``, compare-and-set steps)."""

    etag_object = None

    def get_object(self):
        self.etag_object = super().get_object()
        return self.etag_object

    def precondition(self, instance):
        """The write, refused (VersionConflict) when ``If-Match`` names a version of
        ``instance`` that is no longer current: checked at once and again where the service
        locks or saves the row, inside its own transaction (``services.expecting``)."""
        if_match = self.request.headers.get("If-Match")
        return expecting(instance if is_versioned(instance) else None, if_match)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self.etag_object = serializer.instance

    def perform_update(self, serializer):
        with self.precondition(serializer.instance) as write:
            super().perform_update(serializer)
        instance = self.etag_object = serializer.instance
        if is_versioned(instance) and write.saved is not None:
            # The version this update's own last save gave the row: it may save it more
            # than once (an account's details, then its password) through other copies.
            instance.version = write.saved

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = self.etag_object
        if 200 <= response.status_code < 300 and obj is not None and is_versioned(obj):
            response["ETag"] = etag(obj)
        return response


class StepMixin(VersionedMixin):
    """Lifecycle steps as POST actions of a viewset: each action names the serializer that
    reads its body and the service that takes the step, and the mixin does the rest.

    ``step_object`` is the keyword the app's services take the object by (``case``,
    ``project``…). A refusal raised by the service (ValidationError, PermissionDenied) becomes
    a 400 naming the field, or a 403, through ``exception_handler``."""

    step_object = "instance"

    def step_input(self, request, serializer_class, *, many=False):
        """The request body, validated by ``serializer_class`` (a 400 when it fails)."""
        body = serializer_class(data=request.data, many=many, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

    def step(self, request, serializer_class, service, *, prepare=None, created=False, answer=None):
        """Run ``service(<step_object>=obj, actor=user, **data)`` on the object of the URL.

        ``prepare`` turns the validated body into the service's keywords where they differ.
        Answers 200 with the object as it now is, or, ``created``, 201 with the ``id`` of
        the row the service returned (a report, an evaluation…). With ``answer`` (a
        serializer class), the answer is the row the service returned, through it (201
        when ``created``)."""
        obj = self.get_object()
        data = self.step_input(request, serializer_class)
        with self.precondition(obj):
            result = service(
                **{self.step_object: obj},
                actor=request.user,
                **(prepare(data) if prepare else data),
            )
        status = 201 if created else 200
        if answer is not None or created:
            self.etag_object = None  # the answer is another record
        if answer is not None:
            return Response(answer(result, context=self.get_serializer_context()).data, status)
        if created:
            return Response({"id": result.pk}, status=status)
        self.etag_object = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(self.etag_object).data)


class CreatedSerializer(serializers.Serializer):
    """The answer of a step that adds a row and does not show it (``StepMixin.step``)."""

    id = serializers.IntegerField()


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class OutcomeSerializer(serializers.Serializer):
    """What the rows did, by kind: a roster's ``new`` (people registered), ``joined``
    (people already registered who gained the group), ``unchanged`` (already in it)."""

    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ImportReportSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    committed = serializers.BooleanField()
    errors = RowErrorSerializer(many=True)
    outcomes = OutcomeSerializer(many=True)
    # Rows skipped as the template's example.
    examples = serializers.ListField(child=serializers.IntegerField())


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    dry_run = serializers.BooleanField()
    total = serializers.IntegerField()
    processed = serializers.IntegerField()
    created = serializers.IntegerField()
    error_count = serializers.IntegerField()
    message = serializers.CharField()
    errors = serializers.ListField(child=serializers.ListField())
    outcomes = OutcomeSerializer(many=True)
    examples = serializers.ListField(child=serializers.IntegerField())


def import_job_data(job) -> dict:
    from .jobs import progress_of

    computed = {"processed", "outcomes"}
    data = {f: getattr(job, f) for f in ImportJobSerializer().fields if f not in computed}
    data["processed"] = progress_of(job)[0]
    data["outcomes"] = [{"key": k, "label": label, "count": n} for k, label, n in job.outcomes]
    return ImportJobSerializer(data).data


def import_response(request, columns, handle_row=None, *, run=None, job_kind=None):
    """Shared by every ``…/import/`` endpoint: 200 with the report when every row passed,
    400 with it (or with the file's problem) otherwise; 202 with the job when a large
    file goes to the background (poll ``import-jobs/<id>/``)."""
    from .imports import ImportFileError
    from .jobs import import_upload

    data = ImportRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        report, job = import_upload(
            actor=request.user,
            upload=data.validated_data["file"],
            columns=columns,
            dry_run=data.validated_data["dry_run"],
            handle_row=handle_row,
            run=run,
            job_kind=job_kind,
        )
    except ImportFileError as exc:
        raise exceptions.ValidationError({"file": [str(exc)]}) from exc
    if job is not None:
        job.refresh_from_db()
        return Response(import_job_data(job), status=202)
    return Response(ImportReportSerializer(report).data, status=200 if report.ok else 400)
