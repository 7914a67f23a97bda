"""The two registers the district keeps for purchased services: purchasers (who buys) and
agencies (who delivers). Writes go through the owning app's services."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.access.scoping import can_edit_network
from shegong.common.permissions import write_permission
from shegong.common.viewsets import EditableServiceViewSet
from shegong.divisions.models import Division
from shegong.network import services as network_services
from shegong.network.api import AgencySerializer
from shegong.network.models import Agency

from .. import selectors, services
from ..models import Purchaser


class RegisterViewSet(EditableServiceViewSet):
    """A register the district edits: list, read, create, and change by PATCH."""

    permission_classes = [write_permission(can_edit_network)]
    http_method_names = ["get", "post", "patch", "head", "options"]


class PurchaserSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", queryset=Division.objects.all())

    class Meta:
        model = Purchaser
        fields = ["id", *services.PURCHASER_FIELDS]


class PurchaserViewSet(RegisterViewSet):
    """Purchasing bodies (R4.2): who buys the services."""

    serializer_class = PurchaserSerializer
    queryset = Purchaser.objects.none()  # the schema's model; rows come from the selector
    selector = selectors.purchasers_for
    create_service = services.purchaser_create
    update_service = services.purchaser_update
    update_object = "purchaser"


class AgencyRecordSerializer(serializers.Serializer):
    contracted = serializers.IntegerField()
    closed = serializers.IntegerField()
    grades = serializers.DictField(child=serializers.IntegerField())


class AgencyViewSet(RegisterViewSet):
    """Service agencies (a public register); their record across projects."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.all()
    create_service = network_services.agency_create
    update_service = network_services.agency_update
    update_object = "agency"

    @extend_schema(responses=AgencyRecordSerializer)
    @action(detail=True, methods=["get"])
    def record(self, request, pk=None):
        record = selectors.agency_record(self.get_object())
        return Response(AgencyRecordSerializer(record).data)
