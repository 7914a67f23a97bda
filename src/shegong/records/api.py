from rest_framework import serializers

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client
from shegong.common.api import ScopedPrimaryKeyRelatedField, StepMixin
from shegong.common.permissions import write_permission
from shegong.common.viewsets import EditableServiceViewSet, step_action
from shegong.network.models import Unit
from shegong.people.models import Worker

from . import selectors, services
from .models import ServiceField, ServiceItem, ServiceRecord

# Cases and projects belong to apps above this one: reach them through the relations.
_cases = ServiceRecord.case.field.related_model.objects
_projects = ServiceRecord.project.field.related_model.objects


class ServiceRecordSerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.live())
    clients = ScopedPrimaryKeyRelatedField(
        queryset=Client.objects.filter(merged_into=None), many=True, required=False
    )
    workers = ScopedPrimaryKeyRelatedField(queryset=Worker.objects.all(), many=True, required=False)
    field = serializers.SlugRelatedField(slug_field="code", queryset=ServiceField.objects.all())
    items = serializers.PrimaryKeyRelatedField(
        queryset=ServiceItem.objects.filter(is_active=True), many=True, required=False
    )
    case = ScopedPrimaryKeyRelatedField(queryset=_cases.open(), required=False, allow_null=True)
    project = ScopedPrimaryKeyRelatedField(
        queryset=_projects.all(), required=False, allow_null=True
    )

    voided_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            *services.RECORD_FIELDS,
            "created_at",
            "version",
            "voided_at",
            "voided_by",
            "void_reason",
        ]
        # An activity's sessions are recorded from the activity (``…/activities/<id>/sessions/``).
        read_only_fields = [
            "created_at",
            "activity",
            "version",
            "voided_at",
            "voided_by",
            "void_reason",
        ]


class ServiceRecordVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ServiceRecordViewSet(StepMixin, EditableServiceViewSet):
    """Services given (the ledger). Corrected (PATCH, with ``If-Match``) by the author within
    ``SHEGONG_CORRECTION_DAYS``, by the station after; voided with a reason (``void``), never
    deleted. A voided record is left out of the list and every count, but read by its id.
    A create sent with an ``Idempotency-Key`` header is done once."""

    serializer_class = ServiceRecordSerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["method", "unit", "served_on", "case", "project"]
    selector = selectors.records_for
    prefetch = ("items", "clients", "workers")
    create_service = services.service_record_create
    update_service = services.service_record_correct
    update_object = "record"
    step_object = "record"

    def get_queryset(self):
        if self.action == "list":
            return super().get_queryset()
        return selectors.records_all_for(self.request.user).prefetch_related(*self.prefetch)

    void = step_action(
        ServiceRecordVoidSerializer,
        services.service_record_void,
        doc="Void the record, with a reason.",
    )
