"""``/api/v1/notifications/``: the caller's own notifications (never anyone else's), with
``read`` and ``read-all`` actions and the unread count."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "day", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        items = selectors.notifications_for(self.request.user)
        if self.action == "list" and self.request.query_params.get("unread") in ("1", "true"):
            items = items.filter(read_at__isnull=True)
        return items

    @extend_schema(
        parameters=[
            OpenApiParameter("unread", bool, description="Only unread notifications."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = services.notification_mark_read(notification=self.get_object(), actor=request.user)
        return Response(NotificationSerializer(note).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(actor=request.user)})

    @extend_schema(
        responses=inline_serializer("NotificationsUnread", {"unread": serializers.IntegerField()})
    )
    @action(detail=False, methods=["get"])
    def unread(self, request):
        return Response({"unread": selectors.unread_count(request.user)})
