"""Instalments over the API: the plan a contract sets, paying one, the budget ledger."""

from rest_framework import serializers
from rest_framework.exceptions import NotFound

from .. import services
from ..models import EvaluationKind, Instalment


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
            "override_reason",
        ]


class InstalmentPlanSerializer(serializers.Serializer):
    share = serializers.DecimalField(max_digits=5, decimal_places=2)
    after = serializers.ChoiceField(choices=[("", "signing"), *EvaluationKind.choices])
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class PaySerializer(serializers.Serializer):
    instalment = serializers.IntegerField()
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
    )
    override_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to pay beyond the advance while delivery lags the time elapsed.",
    )


def instalment_pay(*, project, actor, instalment, **data):
    """Pay the project's instalment numbered by id in the body (404 if not the project's)."""
    found = project.instalments.filter(pk=instalment).first()
    if found is None:
        raise NotFound()
    return services.instalment_pay(instalment=found, actor=actor, **data)


def _yuan():
    return serializers.DecimalField(max_digits=14, decimal_places=2)


class LedgerRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    projects = serializers.IntegerField()
    contract = _yuan()
    paid = _yuan()
    due = _yuan()
    remaining = _yuan()
