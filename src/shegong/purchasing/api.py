from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from shegong.access.models import User
from shegong.access.scoping import can_edit_network, can_write_projects
from shegong.clients.models import TargetGroup
from shegong.common.permissions import write_permission
from shegong.divisions.models import Division
from shegong.network.models import Agency, Unit
from shegong.records.models import ServiceField

from . import indicators, selectors, services
from .models import (
    Evaluation,
    EvaluationKind,
    IndicatorTemplate,
    Instalment,
    ProcurementMethod,
    Project,
    Purchaser,
)


class PurchaserSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", queryset=Division.objects.all())

    class Meta:
        model = Purchaser
        fields = ["id", "name", "kind", "division", "contact_person", "contact_phone"]

    def validate_division(self, division):
        from shegong.access.scoping import in_scope

        if not in_scope(self.context["request"].user, division.code):
            raise serializers.ValidationError("This is outside your area.")
        return division


class PurchaserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Purchasing bodies (R4.2): who buys the services."""

    serializer_class = PurchaserSerializer
    permission_classes = [write_permission(can_edit_network)]

    def get_queryset(self):
        return selectors.purchasers_for(self.request.user)


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "credit_code",
            "registration_authority",
            "registered_on",
            "qualifications",
            "address",
            "contact_person",
            "contact_phone",
        ]

    def validate_credit_code(self, value):
        """The GB 32100 check (the model's rule), as a 400 on ``credit_code``."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        from shegong.common.creditcode import validate_credit_code

        if not value:
            return ""
        try:
            return validate_credit_code(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class AgencyRecordSerializer(serializers.Serializer):
    contracted = serializers.IntegerField()
    closed = serializers.IntegerField()
    grades = serializers.DictField(child=serializers.IntegerField())


class AgencyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Service agencies (a public register); their record across projects."""

    serializer_class = AgencySerializer
    permission_classes = [write_permission(can_edit_network)]
    queryset = Agency.objects.all()
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(responses=AgencyRecordSerializer)
    @action(detail=True, methods=["get"])
    def record(self, request, pk=None):
        record = selectors.agency_record(self.get_object())
        return Response(AgencyRecordSerializer(record).data)


class InstalmentSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Instalment
        fields = [
            "id",
            "number",
            "share",
            "after",
            "due_on",
            "amount",
            "paid_amount",
            "paid_on",
            "withheld_note",
        ]


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
            "name",
            "purchaser",
            "funding_source",
            "budget_amount",
            "budget_approved_on",
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
            "closed_on",
            "final_grade",
            "final_score",
        ]
        read_only_fields = [
            f
            for f in fields
            if f
            not in {"name", "purchaser", "funding_source", "budget_amount", "budget_approved_on"}
        ]

    def validate_purchaser(self, purchaser):
        if (
            not selectors.purchasers_for(self.context["request"].user)
            .filter(pk=purchaser.pk)
            .exists()
        ):
            raise serializers.ValidationError("Unknown purchaser.")
        return purchaser

    def create(self, validated_data):
        return services.project_create(actor=self.context["request"].user, **validated_data)


class ProcureSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ProcurementMethod.choices)
    started_on = serializers.DateField()


class AwardSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    awarded_on = serializers.DateField()


class CommitmentSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.live())
    full_time = serializers.IntegerField(min_value=1, max_value=20)


class InstalmentPlanSerializer(serializers.Serializer):
    share = serializers.DecimalField(max_digits=5, decimal_places=2)
    after = serializers.ChoiceField(choices=[("", "signing"), *EvaluationKind.choices])
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class ContractSerializer(serializers.Serializer):
    contract_number = serializers.CharField(max_length=50)
    contract_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    start_on = serializers.DateField()
    end_on = serializers.DateField()
    units = serializers.PrimaryKeyRelatedField(many=True, queryset=Unit.objects.live())
    fields = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        queryset=ServiceField.objects.all(),
        required=False,
        default=list,
    )
    target_groups = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        queryset=TargetGroup.objects.all(),
        required=False,
        default=list,
    )
    commitments = CommitmentSerializer(many=True, required=False, default=list)
    instalments = InstalmentPlanSerializer(many=True)


class TargetSerializer(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(queryset=IndicatorTemplate.objects.all())
    target = serializers.DecimalField(max_digits=10, decimal_places=2)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class ReportSerializer(serializers.Serializer):
    month = serializers.DateField()
    summary = serializers.CharField()
    problems = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvaluationKind.choices)
    evaluator = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    evaluator_body = serializers.CharField(max_length=100)


class PaySerializer(serializers.Serializer):
    instalment = serializers.IntegerField()
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )


class CloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField()


class FigureSerializer(serializers.Serializer):
    indicator_id = serializers.IntegerField()
    name = serializers.CharField()
    metric = serializers.CharField()
    unit_label = serializers.CharField()
    value = serializers.FloatField()
    target = serializers.FloatField()
    weight = serializers.FloatField()
    progress = serializers.FloatField()
    per_10k = serializers.FloatField(allow_null=True)
    per_worker = serializers.FloatField(allow_null=True)


class BoardRowSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project.pk")
    name = serializers.CharField(source="project.name")
    elapsed = serializers.FloatField()
    delivery = serializers.FloatField()
    paid_share = serializers.FloatField()
    ahead_of_delivery = serializers.BooleanField()
    behind_schedule = serializers.BooleanField()
    workers = serializers.IntegerField()
    figures = serializers.SerializerMethodField()

    def get_figures(self, row) -> list[dict]:
        return FigureSerializer(row.figures, many=True).data


class LedgerRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    projects = serializers.IntegerField()
    contract = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    due = serializers.DecimalField(max_digits=14, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2)


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Purchased-service projects. Each lifecycle step is an action; an illegal jump is a
    400 on ``stage``, a step by someone who may not take it a 403."""

    serializer_class = ProjectSerializer
    # The agency writes its monthly reports; each service checks who may take its step.
    permission_classes = [write_permission(can_write_projects)]
    filterset_fields = ["stage", "purchaser", "agency", "funding_source"]

    def get_queryset(self):
        return selectors.projects_for(self.request.user).prefetch_related(
            "units", "fields", "target_groups", "instalments"
        )

    def _step(self, request, serializer_class, run, status=200):
        project = self.get_object()
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        result = run(project, dict(data.validated_data))
        if isinstance(result, Project):
            return Response(self.get_serializer(self.get_queryset().get(pk=project.pk)).data)
        return Response({"id": result.pk}, status=status)

    @extend_schema(request=ProcureSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def procure(self, request, pk=None):
        return self._step(
            request,
            ProcureSerializer,
            lambda p, d: services.procurement_start(project=p, actor=request.user, **d),
        )

    @extend_schema(request=AwardSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        return self._step(
            request,
            AwardSerializer,
            lambda p, d: services.procurement_award(project=p, actor=request.user, **d),
        )

    @extend_schema(request=ContractSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def contract(self, request, pk=None):
        def run(project, data):
            data["commitments"] = [(c["unit"], c["full_time"]) for c in data["commitments"]]
            data["instalments"] = [
                (i["share"], i["after"], i["due_on"]) for i in data["instalments"]
            ]
            return services.contract_sign(project=project, actor=request.user, **data)

        return self._step(request, ContractSerializer, run)

    @extend_schema(request=TargetSerializer(many=True), responses=BoardRowSerializer)
    @action(detail=True, methods=["post"], url_path="set-indicators")
    def set_indicators(self, request, pk=None):
        """Replace the project's indicators: [{template, target, weight}]."""
        project = self.get_object()
        data = TargetSerializer(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        services.indicators_set(
            project=project,
            actor=request.user,
            targets={d["template"]: (d["target"], d["weight"]) for d in data.validated_data},
        )
        [row] = indicators.board([project])
        return Response(BoardRowSerializer(row).data)

    @extend_schema(request=ReportSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def reports(self, request, pk=None):
        return self._step(
            request,
            ReportSerializer,
            lambda p, d: services.progress_report_add(project=p, actor=request.user, **d),
            status=201,
        )

    @extend_schema(request=AssignSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="assign-evaluation")
    def assign_evaluation(self, request, pk=None):
        return self._step(
            request,
            AssignSerializer,
            lambda p, d: services.evaluation_assign(project=p, actor=request.user, **d),
            status=201,
        )

    @extend_schema(request=PaySerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        def run(project, data):
            instalment = project.instalments.filter(pk=data.pop("instalment")).first()
            if instalment is None:
                raise NotFound()
            services.instalment_pay(instalment=instalment, actor=request.user, **data)
            return project

        return self._step(request, PaySerializer, run)

    @extend_schema(request=CloseSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(
            request,
            CloseSerializer,
            lambda p, d: services.project_close(project=p, actor=request.user, **d),
        )

    @extend_schema(responses=BoardRowSerializer)
    @action(detail=True, methods=["get"])
    def indicators(self, request, pk=None):
        [row] = indicators.board([self.get_object()])
        return Response(BoardRowSerializer(row).data)

    @extend_schema(responses=BoardRowSerializer(many=True))
    @action(detail=False, methods=["get"])
    def board(self, request):
        """Every indicator of every contracted project in view (comparable: normalised
        progress, per ¥10,000 and per worker)."""
        projects = self.filter_queryset(self.get_queryset()).filter(stage="contracted")
        page = self.paginate_queryset(projects)
        return self.get_paginated_response(
            BoardRowSerializer(indicators.board(page), many=True).data
        )

    @extend_schema(responses=LedgerRowSerializer(many=True))
    @action(detail=False, methods=["get"])
    def ledger(self, request):
        """Budget ledger: by=project (default), purchaser or funding_source."""
        by = request.query_params.get("by", "project")
        if by not in {"project", "purchaser", "funding_source"}:
            by = "project"
        return Response(
            LedgerRowSerializer(selectors.ledger(request.user, group_by=by), many=True).data
        )


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=5, decimal_places=2)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ScoreSheetSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True)
    comments = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(default=False)


class RespondSerializer(serializers.Serializer):
    response = serializers.CharField()


class EvaluationSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "project",
            "kind",
            "evaluator",
            "evaluator_body",
            "status",
            "score",
            "grade",
            "comments",
            "scores",
            "submitted_at",
            "agency_response",
        ]

    def get_scores(self, evaluation) -> list[dict]:
        return [
            {"criterion": s.criterion_id, "points": str(s.points), "comment": s.comment}
            for s in evaluation.scores.all()
        ]


class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Evaluations: the evaluator scores (``score``), the agency responds (``respond``)."""

    serializer_class = EvaluationSerializer
    filterset_fields = ["project", "kind", "status"]

    def get_queryset(self):
        return selectors.evaluations_for(self.request.user).prefetch_related("scores")

    @extend_schema(request=ScoreSheetSerializer, responses=EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        evaluation = self.get_object()
        data = ScoreSheetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.evaluation_score(
            evaluation=evaluation,
            actor=request.user,
            scores={
                s["criterion"]: (s["points"], s["comment"]) for s in data.validated_data["scores"]
            },
            comments=data.validated_data["comments"],
            submit=data.validated_data["submit"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=evaluation.pk)).data)

    @extend_schema(request=RespondSerializer, responses=EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        evaluation = self.get_object()
        data = RespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.evaluation_respond(
            evaluation=evaluation, actor=request.user, **data.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=evaluation.pk)).data)
