from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client
from shegong.common.api import ScopedPrimaryKeyRelatedField
from shegong.common.permissions import write_permission
from shegong.common.viewsets import ServiceViewSet

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


class DueQuerySerializer(serializers.Serializer):
    within_days = serializers.IntegerField(min_value=0, max_value=90, default=7)
    overdue = serializers.BooleanField(default=False)
    town = serializers.RegexField(r"^\d{9}$", required=False, allow_blank=True, default="")
    worker = serializers.IntegerField(required=False, allow_null=True, default=None)


class DueClientSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "division",
            "risk_tier",
            "living_situation",
            "last_visited_on",
            "next_visit_due",
            "overdue",
        ]

    def get_overdue(self, client) -> bool:
        return client.next_visit_due < self.context["today"]


class VisitViewSet(ServiceViewSet):
    """Home visits. Recorded, not edited: a correction is a new visit record."""

    serializer_class = VisitSerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["client", "mode"]
    selector = selectors.visits_for
    create_service = services.visit_record

    @extend_schema(parameters=[DueQuerySerializer], responses=DueClientSerializer(many=True))
    @action(detail=False, methods=["get"])
    def due(self, request):
        """Clients whose visit is due within ``within_days`` or overdue (``overdue=true``:
        overdue only), most overdue first; a worker's list for the day."""
        params = DueQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        today = timezone.localdate()
        within = -1 if params.validated_data["overdue"] else params.validated_data["within_days"]
        worker = None
        if params.validated_data["worker"] is not None:
            worker = get_object_or_404(
                selectors.workers_with_postings(request.user), pk=params.validated_data["worker"]
            )
        clients = selectors.due_clients(
            request.user,
            within_days=within,
            town=params.validated_data["town"],
            worker=worker,
            today=today,
        )
        page = self.paginate_queryset(clients)
        data = DueClientSerializer(page, many=True, context={"today": today}).data
        return self.get_paginated_response(data)
