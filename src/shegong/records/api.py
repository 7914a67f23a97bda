from rest_framework import serializers

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client
from shegong.common.api import ScopedPrimaryKeyRelatedField
from shegong.common.permissions import write_permission
from shegong.common.viewsets import ServiceViewSet
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

    class Meta:
        model = ServiceRecord
        fields = ["id", *services.RECORD_FIELDS, "created_at"]
        # An activity's sessions are recorded from the activity (``…/activities/<id>/sessions/``).
        read_only_fields = ["created_at", "activity"]


class ServiceRecordViewSet(ServiceViewSet):
    """Services given (the ledger). Recorded, not edited."""

    serializer_class = ServiceRecordSerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["method", "unit", "served_on", "case", "project"]
    selector = selectors.records_for
    prefetch = ("items", "clients", "workers")
    create_service = services.service_record_create
