from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser

from shegong.access.scoping import can_edit_workers
from shegong.common.api import (
    ImportReportSerializer,
    ImportRequestSerializer,
    StepMixin,
    import_response,
)
from shegong.common.autocomplete import ChoicesView, person_text
from shegong.common.permissions import write_permission
from shegong.common.viewsets import EditableServiceViewSet, step_action
from shegong.network.api import DivisionInScopeField
from shegong.network.models import Agency, Unit

from . import selectors, services
from .imports import import_worker_row, worker_columns
from .models import Assignment, Certificate, CertificateTier, Worker, WorkerRole


class CertificateSerializer(serializers.ModelSerializer):
    tier = serializers.ChoiceField(choices=CertificateTier.choices)

    class Meta:
        model = Certificate
        fields = ["id", "tier", "number", "year"]


class UnitInScopeField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Unit.objects.visible_to(self.context["request"].user)


class AssignmentSerializer(serializers.ModelSerializer):
    unit = UnitInScopeField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "unit", "unit_name", "start_on", "end_on", "note"]


class EndAssignmentSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    end_on = serializers.DateField()


class WorkerSerializer(serializers.ModelSerializer):
    division = DivisionInScopeField()
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkerRole.choices), allow_empty=False
    )
    employer_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    certificates = CertificateSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Worker
        fields = ["id", *services.WORKER_FIELDS, "certificates", "assignments"]


def assignment_end(*, worker, actor, assignment, end_on):
    """End the worker's posting numbered by id in the body (404 if not the worker's)."""
    found = selectors.assignment_get(actor, worker, assignment)
    return services.assignment_end(assignment=found, end_on=end_on, actor=actor)


class WorkerViewSet(StepMixin, EditableServiceViewSet):
    """Social workers in the user's area, with their certificates and postings."""

    serializer_class = WorkerSerializer
    permission_classes = [write_permission(can_edit_workers)]
    filterset_fields = ["employment", "is_active", "employer_agency"]
    create_service = services.worker_create
    update_service = services.worker_update
    update_object = step_object = "worker"

    def get_queryset(self):
        qs = selectors.worker_search(
            self.request.user,
            q=self.request.query_params.get("q", ""),
            role=self.request.query_params.get("role", ""),
        )
        return qs.prefetch_related("certificates", "assignments__unit")

    certificates = step_action(
        CertificateSerializer, services.certificate_add, created=True, answer=CertificateSerializer
    )
    assignments = step_action(
        AssignmentSerializer, services.assignment_add, created=True, answer=AssignmentSerializer
    )
    end_assignment = step_action(
        EndAssignmentSerializer,
        assignment_end,
        url_path="end-assignment",
        answer=AssignmentSerializer,
    )

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_workers(self, request):
        """Import workers (with a certificate and a posting each) from an Excel register."""
        return import_response(
            request, worker_columns(), lambda values: import_worker_row(values, actor=request.user)
        )


class WorkerChoices(ChoicesView):
    """Active workers in your scope for a searchable select: by name or place, at most 20."""

    text = staticmethod(person_text)

    def search(self, user, q, within):
        return selectors.worker_choices(user, q, within)
