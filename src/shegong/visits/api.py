from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client
from shegong.common.api import ScopedPrimaryKeyRelatedField, StepMixin
from shegong.common.paging import CappedPagination
from shegong.common.permissions import write_permission
from shegong.common.viewsets import EditableServiceViewSet, step_action
from shegong.people.models import Worker

from . import selectors, services
from .models import Visit, VisitPhoto


class VisitPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = VisitPhoto
        fields = ["id", "kind", "size", "url", "thumbnail_url", "uploaded_at"]

    def get_url(self, photo) -> str:
        return f"{reverse('visits:visit-photo', args=[photo.visit_id])}?id={photo.pk}"

    def get_thumbnail_url(self, photo) -> str:
        return f"{self.get_url(photo)}&size=thumb"


class VisitSerializer(serializers.ModelSerializer):
    client = ScopedPrimaryKeyRelatedField(queryset=Client.objects.all())
    visitor = serializers.StringRelatedField()
    workers = ScopedPrimaryKeyRelatedField(
        queryset=Worker.objects.filter(is_active=True), many=True, required=False
    )
    voided_by = serializers.StringRelatedField(allow_null=True)
    photos = VisitPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "client",
            "visited_on",
            "mode",
            "visitor",
            "workers",
            "findings",
            "needs",
            "risk_change",
            "follow_up",
            "recorded_at",
            "version",
            "photos",
            "voided_at",
            "voided_by",
            "void_reason",
        ]
        read_only_fields = [
            "visitor",
            "recorded_at",
            "version",
            "voided_at",
            "voided_by",
            "void_reason",
        ]


class VisitVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


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


class VisitViewSet(StepMixin, EditableServiceViewSet):
    """Home visits. Corrected (PATCH, with ``If-Match``) by the author within
    ``SHEGONG_CORRECTION_DAYS``, by the station after; voided with a reason (``void``), never
    deleted. A voided visit is left out of the list and every count, but read by its id.
    A create sent with an ``Idempotency-Key`` header is done once."""

    serializer_class = VisitSerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["client", "mode"]
    selector = selectors.visits_for
    prefetch = ("workers", "photos")
    create_service = services.visit_record
    update_service = services.visit_correct
    update_object = "visit"
    step_object = "visit"

    def get_queryset(self):
        if self.action == "list" or self.action == "due":
            return super().get_queryset()
        return selectors.visits_all_for(self.request.user).prefetch_related(*self.prefetch)

    void = step_action(
        VisitVoidSerializer, services.visit_void, doc="Void the visit, with a reason."
    )

    @extend_schema(parameters=[DueQuerySerializer], responses=DueClientSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=CappedPagination)
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
        # Nothing encrypted is shown: nothing is decrypted.
        page = self.paginate_queryset(clients.defer(*Client.SENSITIVE_FIELDS))
        data = DueClientSerializer(page, many=True, context={"today": today}).data
        return self.get_paginated_response(data)
