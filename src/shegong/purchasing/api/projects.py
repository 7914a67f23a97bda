"""Projects over the API. Each lifecycle step is an action; an illegal jump is a 400 on
``stage``, a step by someone who may not take it a 403."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from shegong.access.models import User
from shegong.access.scoping import can_write_projects
from shegong.clients.models import TargetGroup
from shegong.common.api import StepMixin
from shegong.common.permissions import write_permission
from shegong.common.viewsets import ServiceViewSet, step_action
from shegong.network.models import Agency, Unit
from shegong.records.models import ServiceField

from .. import indicators, selectors, services
from ..models import EvaluationKind, Metric, ProcurementMethod, Project, Purchaser, Stage
from .indicators import (
    BoardRowSerializer,
    DrillPageSerializer,
    DrillRowSerializer,
    TargetSerializer,
)
from .payments import (
    InstalmentPlanSerializer,
    InstalmentSerializer,
    LedgerRowSerializer,
    PaySerializer,
    instalment_pay,
)


class ProjectSerializer(serializers.ModelSerializer):
    purchaser = serializers.PrimaryKeyRelatedField(queryset=Purchaser.objects.all())
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    target_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    instalments = InstalmentSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            *services.REGISTERED_FIELDS,
            "stage",
            "procurement_method",
            "procurement_started_on",
            "awarded_on",
            "agency",
            "contract_number",
            "contract_amount",
            "start_on",
            "end_on",
            "units",
            "fields",
            "target_groups",
            "instalments",
            "terminated_on",
            "termination_reason",
            "closed_on",
            "final_grade",
            "final_score",
        ]
        read_only_fields = [f for f in fields if f not in services.REGISTERED_FIELDS]

    def validate_purchaser(self, purchaser):
        user = self.context["request"].user
        if not selectors.purchasers_for(user).filter(pk=purchaser.pk).exists():
            raise serializers.ValidationError("Unknown purchaser.")
        return purchaser


class ProcureSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ProcurementMethod.choices)
    started_on = serializers.DateField()


class AwardSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    awarded_on = serializers.DateField()


class CommitmentSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.live())
    full_time = serializers.IntegerField(min_value=1, max_value=20)


def _codes(queryset):
    return serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=queryset, required=False, default=list
    )


class ContractSerializer(serializers.Serializer):
    contract_number = serializers.CharField(max_length=50)
    contract_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    start_on = serializers.DateField()
    end_on = serializers.DateField()
    units = serializers.PrimaryKeyRelatedField(many=True, queryset=Unit.objects.live())
    fields = _codes(ServiceField.objects.all())
    target_groups = _codes(TargetGroup.objects.all())
    commitments = CommitmentSerializer(many=True, required=False, default=list)
    instalments = InstalmentPlanSerializer(many=True)
    indicators = TargetSerializer(
        many=True,
        required=False,
        help_text="The indicator targets the contract sets (at least one, each within its "
        "indicator's range); left out, those set during procurement.",
    )


def _contract_terms(data) -> dict:
    """Commitments, instalments and targets as ``contract_sign`` takes them."""
    indicators = data.pop("indicators", None)
    return {
        **data,
        "commitments": [(c["unit"], c["full_time"]) for c in data["commitments"]],
        "instalments": [(i["share"], i["after"], i["due_on"]) for i in data["instalments"]],
        "targets": None
        if indicators is None
        else {d["template"]: (d["target"], d["weight"]) for d in indicators},
    }


def _on_indicators(service):
    """``service`` with its per-indicator errors (``target_<id>``, ``weight_<id>``: the
    page's fields) answered on the body's ``indicators`` field, each message naming the
    indicator."""

    def run(**kwargs):
        try:
            return service(**kwargs)
        except DjangoValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            errors: dict[str, list[str]] = {}
            for key, messages in exc.message_dict.items():
                per_indicator = key.startswith(("target_", "weight_"))
                errors.setdefault("indicators" if per_indicator else key, []).extend(messages)
            raise DjangoValidationError(errors) from exc

    run.__doc__ = service.__doc__
    return run


class ReportSerializer(serializers.Serializer):
    month = serializers.DateField()
    summary = serializers.CharField()
    problems = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvaluationKind.choices)
    evaluator = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    evaluator_body = serializers.CharField(max_length=100)
    termination_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for a final evaluation before the service period ends.",
    )


class CloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    termination_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the project closes before its service period ends.",
    )


class ProjectViewSet(StepMixin, ServiceViewSet):
    """Purchased-service projects. Each lifecycle step is an action; an illegal jump is a
    400 on ``stage``, a step by someone who may not take it a 403."""

    serializer_class = ProjectSerializer
    # The agency writes its monthly reports; each service checks who may take its step.
    permission_classes = [write_permission(can_write_projects)]
    filterset_fields = ["stage", "purchaser", "agency", "funding_source"]
    step_object = "project"
    selector = selectors.projects_for
    prefetch = ("units", "fields", "target_groups", "instalments")
    create_service = services.project_create

    procure = step_action(ProcureSerializer, services.procurement_start)
    award = step_action(AwardSerializer, services.procurement_award)
    contract = step_action(
        ContractSerializer, _on_indicators(services.contract_sign), prepare=_contract_terms
    )

    @extend_schema(request=TargetSerializer(many=True), responses=BoardRowSerializer)
    @action(detail=True, methods=["post"], url_path="set-indicators")
    def set_indicators(self, request, pk=None):
        """Replace the project's indicators: [{template, target, weight}]."""
        project = self.get_object()
        rows = self.step_input(request, TargetSerializer, many=True)
        with self.precondition(project):  # If-Match: the project as it was read
            _on_indicators(services.indicators_set)(
                project=project,
                actor=request.user,
                targets={d["template"]: (d["target"], d["weight"]) for d in rows},
            )
        [row] = indicators.board([project])
        return Response(BoardRowSerializer(row).data)

    reports = step_action(ReportSerializer, services.progress_report_add, created=True)
    assign_evaluation = step_action(
        AssignSerializer,
        services.evaluation_assign,
        url_path="assign-evaluation",
        created=True,
    )
    pay = step_action(PaySerializer, instalment_pay)
    close = step_action(CloseSerializer, services.project_close)

    @extend_schema(responses=BoardRowSerializer)
    @action(detail=True, methods=["get"])
    def indicators(self, request, pk=None):
        [row] = indicators.board([self.get_object()])
        return Response(BoardRowSerializer(row).data)

    @extend_schema(
        operation_id="projects_indicator_rows",
        responses=DrillPageSerializer,
        parameters=[
            OpenApiParameter("metric", str, OpenApiParameter.PATH, enum=Metric.values),
            OpenApiParameter("group", int, description="a target group's id"),
        ],
    )
    @action(detail=True, methods=["get"], url_path=r"indicators/(?P<metric>[a-z_]+)")
    def indicator_rows(self, request, pk=None, metric=None):
        """The rows behind one figure (``?group=`` for a target group): anonymised unless
        the client is in the reader's own service-data scope."""
        project = self.get_object()
        if metric not in Metric.values:
            raise NotFound
        group = request.query_params.get("group", "")
        kind, rows = indicators.behind(project, metric, int(group) if group.isdigit() else None)
        page = self.paginate_queryset(rows)
        shown = indicators.drill_rows(request.user, kind, page, self.paginator.page.start_index())
        return self.get_paginated_response(DrillRowSerializer(shown, many=True).data)

    @extend_schema(responses=BoardRowSerializer(many=True))
    @action(detail=False, methods=["get"])
    def board(self, request):
        """Every indicator of every contracted project in view (comparable: normalised
        progress, per ¥10,000 and per worker)."""
        projects = self.filter_queryset(self.get_queryset()).filter(stage=Stage.CONTRACTED)
        page = self.paginate_queryset(projects)
        return self.get_paginated_response(
            BoardRowSerializer(indicators.board(page), many=True).data
        )

    @extend_schema(
        responses=LedgerRowSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "by", str, enum=["project", "purchaser", "funding_source"], description="grouping"
            )
        ],
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def ledger(self, request):
        """Budget ledger: by=project (default), purchaser or funding_source. One row per
        group, every group at once (a plain list, not paged)."""
        by = selectors.ledger_group(request.query_params.get("by"))
        rows = selectors.ledger(request.user, group_by=by)
        return Response(LedgerRowSerializer(rows, many=True).data)
