"""The two registers the district keeps for purchased services: purchasers (who buys) and
agencies (who delivers). Writes go through the owning app's services."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.access.scoping import can_edit_network
from shegong.common.permissions import write_permission
from shegong.divisions.models import Division
from shegong.network.api import AgencySerializer
from shegong.network.models import Agency

from .. import selectors, services
from ..models import Purchaser


class RegisterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A register the district edits: list, read, create, and change by PATCH."""

    permission_classes = [write_permission(can_edit_network)]
    http_method_names = ["get", "post", "patch", "head", "options"]


class PurchaserSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", queryset=Division.objects.all())

    class Meta:
        model = Purchaser
        fields = ["id", *services.PURCHASER_FIELDS]

    def create(self, validated_data):
        return services.purchaser_create(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.purchaser_update(
            purchaser=instance, actor=self.context["request"].user, **validated_data
        )


class PurchaserViewSet(RegisterViewSet):
    """Purchasing bodies (R4.2): who buys the services."""

    serializer_class = PurchaserSerializer

    def get_queryset(self):
        return selectors.purchasers_for(self.request.user)


class AgencyRecordSerializer(serializers.Serializer):
    contracted = serializers.IntegerField()
    closed = serializers.IntegerField()
    grades = serializers.DictField(child=serializers.IntegerField())


class AgencyViewSet(RegisterViewSet):
    """Service agencies (a public register); their record across projects."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.all()

    @extend_schema(responses=AgencyRecordSerializer)
    @action(detail=True, methods=["get"])
    def record(self, request, pk=None):
        record = selectors.agency_record(self.get_object())
        return Response(AgencyRecordSerializer(record).data)
