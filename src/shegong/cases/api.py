from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client, RiskTier
from shegong.common.api import ScopedPrimaryKeyRelatedField, StepMixin
from shegong.common.permissions import write_permission
from shegong.common.viewsets import ServiceViewSet, step_action
from shegong.network.models import Unit
from shegong.people.models import Worker
from shegong.records.models import ServiceField, ServiceItem

from . import selectors, services
from .models import Case, CaseGoal, ClosureReason


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseGoal
        fields = ["id", "text", "met"]


class CaseSerializer(serializers.ModelSerializer):
    client = ScopedPrimaryKeyRelatedField(queryset=Client.objects.filter(merged_into=None))
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.live())
    case_worker = ScopedPrimaryKeyRelatedField(queryset=Worker.objects.filter(is_active=True))
    number = serializers.CharField(read_only=True)
    needs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    planned_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "client",
            *services.CASE_OPEN_FIELDS,
            "stage",
            "needs",
            "risk_tier",
            "assessment",
            "assessed_on",
            "goals",
            "plan",
            "planned_items",
            "review_on",
            "evaluation",
            "evaluated_on",
            "satisfaction",
            "closure_reason",
            "closure_note",
            "closed_on",
        ]
        # Opening a case writes these; every later step has its own action.
        read_only_fields = [f for f in fields if f not in {"client", *services.CASE_OPEN_FIELDS}]


class AssessSerializer(serializers.Serializer):
    needs = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=ServiceField.objects.all()
    )
    risk_tier = serializers.ChoiceField(choices=RiskTier.choices)
    assessment = serializers.CharField()
    assessed_on = serializers.DateField()


class PlanSerializer(serializers.Serializer):
    goals = serializers.ListField(child=serializers.CharField(max_length=200), min_length=1)
    plan = serializers.CharField(required=False, allow_blank=True, default="")
    planned_items = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ServiceItem.objects.filter(is_active=True), required=False, default=list
    )
    review_on = serializers.DateField()


class EvaluateSerializer(serializers.Serializer):
    evaluation = serializers.CharField()
    evaluated_on = serializers.DateField()
    goals_met = serializers.ListField(child=serializers.IntegerField(), default=list)
    satisfaction = serializers.IntegerField(required=False, allow_null=True, default=None)


class ClosureSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ClosureReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignSerializer(serializers.Serializer):
    case_worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.filter(is_active=True))


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CaseViewSet(StepMixin, ServiceViewSet):
    """Casework (MZ/T 094-2017). Each step is its own action; the case moves only forward,
    and closing needs a supervisor's decision."""

    serializer_class = CaseSerializer
    permission_classes = [write_permission(can_edit_clients)]
    filterset_fields = ["stage", "client", "unit", "case_worker"]
    step_object = "case"
    selector = selectors.cases_for
    prefetch = ("needs", "planned_items", "goals")
    create_service = services.case_open

    assess = step_action(AssessSerializer, services.case_assess)
    plan = step_action(PlanSerializer, services.case_plan)

    @extend_schema(request=EvaluateSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        return self.step(
            request,
            EvaluateSerializer,
            services.case_evaluate,
            prepare=lambda d: {**d, "goals_met": set(d["goals_met"])},
        )

    request_closure = step_action(
        ClosureSerializer, services.case_request_closure, url_path="request-closure"
    )
    decide_closure = step_action(
        DecisionSerializer, services.case_decide_closure, url_path="decide-closure"
    )
    reassign = step_action(
        ReassignSerializer,
        services.case_reassign,
        doc="Give the case to a worker posted at the unit holding it (after a transfer).",
    )
