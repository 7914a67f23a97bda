from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from shegong.access.scoping import can_edit_workers
from shegong.common.api import ImportReportSerializer, ImportRequestSerializer, import_response
from shegong.common.permissions import write_permission
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
        fields = [
            "id",
            "name",
            "gender",
            "division",
            "roles",
            "employment",
            "employer_agency",
            "employer_name",
            "is_active",
            "certificates",
            "assignments",
        ]

    def create(self, validated_data):
        return services.worker_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        services.worker_update(
            worker=instance, actor=self.context["request"].user, **validated_data
        )
        return instance


class WorkerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WorkerSerializer
    permission_classes = [write_permission(can_edit_workers)]
    filterset_fields = ["employment", "is_active", "employer_agency"]

    def get_queryset(self):
        qs = selectors.worker_search(
            self.request.user,
            q=self.request.query_params.get("q", ""),
            role=self.request.query_params.get("role", ""),
        )
        return qs.prefetch_related("certificates", "assignments__unit")

    @extend_schema(request=CertificateSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def certificates(self, request, pk=None):
        worker = self.get_object()
        data = CertificateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cert = services.certificate_add(worker=worker, actor=request.user, **data.validated_data)
        return Response(CertificateSerializer(cert).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def assignments(self, request, pk=None):
        worker = self.get_object()
        data = AssignmentSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        assignment = services.assignment_add(
            worker=worker, actor=request.user, **data.validated_data
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndAssignmentSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="end-assignment")
    def end_assignment(self, request, pk=None):
        worker = self.get_object()
        data = EndAssignmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = selectors.assignment_get(
            request.user, worker, data.validated_data["assignment"]
        )
        assignment = services.assignment_end(
            assignment=assignment, end_on=data.validated_data["end_on"], actor=request.user
        )
        return Response(AssignmentSerializer(assignment).data)

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
