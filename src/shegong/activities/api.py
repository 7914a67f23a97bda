from rest_framework import serializers

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client, TargetGroup
from shegong.common.api import ScopedPrimaryKeyRelatedField, StepMixin
from shegong.common.permissions import write_permission
from shegong.common.viewsets import ServiceViewSet, step_action
from shegong.network.models import Unit
from shegong.people.models import Worker
from shegong.records.api import ServiceRecordSerializer
from shegong.records.models import ServiceField

from . import selectors, services
from .models import Activity, GoalsMet


class ActivitySerializer(serializers.ModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.live())
    leader = ScopedPrimaryKeyRelatedField(queryset=Worker.objects.filter(is_active=True))
    field = serializers.SlugRelatedField(slug_field="code", queryset=ServiceField.objects.all())
    target_groups = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=TargetGroup.objects.all(), required=False
    )
    members = ScopedPrimaryKeyRelatedField(
        queryset=Client.objects.filter(merged_into=None), many=True, required=False
    )
    sessions = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            *services.ACTIVITY_FIELDS,
            "members",
            "status",
            "sessions",
            "evaluation",
            "evaluated_on",
            "goals_met",
            "satisfaction",
            "cancel_reason",
        ]
        read_only_fields = [
            "status",
            "evaluation",
            "evaluated_on",
            "goals_met",
            "satisfaction",
            "cancel_reason",
        ]


class SessionSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    clients = ScopedPrimaryKeyRelatedField(
        queryset=Client.objects.filter(merged_into=None), many=True, required=False, default=list
    )
    other_participants = serializers.IntegerField(min_value=0, default=0)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationSerializer(serializers.Serializer):
    evaluation = serializers.CharField()
    evaluated_on = serializers.DateField()
    goals_met = serializers.ChoiceField(choices=GoalsMet.choices)
    satisfaction = serializers.DecimalField(
        max_digits=3, decimal_places=2, required=False, allow_null=True, default=None
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ActivityViewSet(StepMixin, ServiceViewSet):
    """Group work and community activities (MZ/T 095-2017); each session is a service
    record linked to the activity."""

    serializer_class = ActivitySerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["kind", "status", "unit"]
    selector = selectors.activities_for
    prefetch = ("target_groups", "members")
    create_service = services.activity_create
    step_object = "activity"

    def get_queryset(self):
        return selectors.with_totals(super().get_queryset())

    sessions = step_action(
        SessionSerializer, services.session_add, created=True, answer=ServiceRecordSerializer
    )
    evaluate = step_action(EvaluationSerializer, services.activity_evaluate)
    cancel = step_action(CancelSerializer, services.activity_cancel)
