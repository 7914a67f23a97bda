from rest_framework import mixins, serializers, viewsets

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client
from shegong.common.api import ScopedPrimaryKeyRelatedField
from shegong.common.permissions import write_permission

from . import selectors, services
from .models import Visit


class VisitSerializer(serializers.ModelSerializer):
    client = ScopedPrimaryKeyRelatedField(queryset=Client.objects.all())
    visitor = serializers.StringRelatedField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "client",
            "visited_on",
            "mode",
            "visitor",
            "findings",
            "needs",
            "risk_change",
            "follow_up",
            "recorded_at",
        ]
        read_only_fields = ["visitor", "recorded_at"]

    def create(self, validated_data):
        return services.visit_record(actor=self.context["request"].user, **validated_data)


class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Home visits. Recorded, not edited: a correction is a new visit record."""

    serializer_class = VisitSerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["client", "mode"]

    def get_queryset(self):
        return selectors.visits_for(self.request.user)
