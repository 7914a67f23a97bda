from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client
from shegong.common.api import ScopedPrimaryKeyRelatedField
from shegong.common.permissions import write_permission
from shegong.network.models import Unit

from . import selectors, services
from .models import Referral, Status


class ReferralSerializer(serializers.ModelSerializer):
    client = ScopedPrimaryKeyRelatedField(queryset=Client.objects.filter(merged_into=None))
    from_unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.live())
    # Referring up goes to a unit above the sender's scope; the adjacency rule limits it.
    to_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.live(), required=False, allow_null=True
    )
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "client",
            "from_unit",
            "to_unit",
            "external_kind",
            "external_name",
            "reason",
            "urgency",
            "consent_checked",
            "status",
            "decision_note",
            "due_at",
            "is_overdue",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["status", "decision_note", "due_at", "created_at", "decided_at"]

    def create(self, validated_data):
        return services.referral_create(actor=self.context["request"].user, **validated_data)


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReferralSerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["status", "client", "to_unit", "from_unit"]

    def get_queryset(self):
        return selectors.referrals_for(self.request.user)

    @extend_schema(request=None, responses=ReferralSerializer(many=True))
    @action(detail=False, methods=["get"])
    def inbox(self, request):
        """Pending referrals addressed to the units the user works in."""
        page = self.paginate_queryset(selectors.inbox(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=TransitionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        referral = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_transition(
            referral=referral,
            actor=request.user,
            to_status=data.validated_data["status"],
            note=data.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(referral).data)
