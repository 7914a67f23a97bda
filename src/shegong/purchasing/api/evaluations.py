"""Evaluations over the API: the evaluator scores (``score``), the agency responds
(``respond``)."""

from rest_framework import mixins, serializers, viewsets

from shegong.common.api import StepMixin
from shegong.common.viewsets import SelectorMixin, step_action

from .. import selectors, services
from ..models import Evaluation


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


def _score_sheet(data) -> dict:
    """The sheet as ``evaluation_score`` takes it: {criterion: (points, comment)}."""
    scores = {s["criterion"]: (s["points"], s["comment"]) for s in data["scores"]}
    return {"scores": scores, "comments": data["comments"], "submit": data["submit"]}


class EvaluationViewSet(
    StepMixin,
    SelectorMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Evaluations: the evaluator scores (``score``), the agency responds (``respond``)."""

    serializer_class = EvaluationSerializer
    filterset_fields = ["project", "kind", "status"]
    step_object = "evaluation"
    selector = selectors.evaluations_for
    prefetch = ("scores",)

    score = step_action(ScoreSheetSerializer, services.evaluation_score, prepare=_score_sheet)
    respond = step_action(RespondSerializer, services.evaluation_respond)
