from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client
from shegong.common.api import ScopedPrimaryKeyRelatedField, StepMixin
from shegong.common.permissions import write_permission
from shegong.common.viewsets import ServiceViewSet, step_action
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
            *services.REFERRAL_FIELDS,
            "status",
            "decision_note",
            "due_at",
            "is_overdue",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["status", "decision_note", "due_at", "created_at", "decided_at"]


@extend_schema_serializer(component_name="ReferralTransition")
class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


def _transition(data) -> dict:
    """The body as ``referral_transition`` takes it."""
    return {"to_status": data["status"], "note": data.get("note", "")}


class ReferralViewSet(StepMixin, ServiceViewSet):
    """Referrals between units, or out to an outside body; the receiver decides."""

    serializer_class = ReferralSerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["status", "client", "to_unit", "from_unit"]
    selector = selectors.referrals_for
    create_service = services.referral_create
    step_object = "referral"

    @extend_schema(request=None, responses=ReferralSerializer(many=True))
    @action(detail=False, methods=["get"])
    def inbox(self, request):
        """Pending referrals addressed to the units the user works in."""
        page = self.paginate_queryset(selectors.inbox(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        responses={
            201: ReferralSerializer,
            400: OpenApiResponse(
                description="Refused, field by field. A second pending referral of the client "
                "to the same receiver is refused on to_unit (or external_kind) with "
                "duplicate_of: the id of the referral waiting."
            ),
        }
    )
    def create(self, request, *args, **kwargs):
        """Refer a client. A referral of the same client to the same receiver (unit, or
        outside body of that kind and name) still awaiting a decision refuses a second."""
        try:
            return super().create(request, *args, **kwargs)
        except services.DuplicateReferral as exc:
            return Response({**exc.message_dict, "duplicate_of": exc.first.pk}, status=400)

    transition = step_action(
        TransitionSerializer, services.referral_transition, prepare=_transition
    )
