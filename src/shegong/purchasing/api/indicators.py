"""Indicators over the API: the targets a project sets, and its figures on the board."""

from rest_framework import serializers

from ..models import IndicatorTemplate


class TargetSerializer(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(queryset=IndicatorTemplate.objects.all())
    target = serializers.DecimalField(max_digits=10, decimal_places=2)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


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


class DrillRowSerializer(serializers.Serializer):
    """One row behind a figure. ``client`` and ``client_name`` are null and empty unless the
    client is in the reader's own service-data scope: purchasers and evaluators read
    anonymised rows (issue 9, finding 3)."""

    number = serializers.IntegerField()
    on = serializers.DateField(allow_null=True, default=None)
    unit = serializers.CharField(default="")
    village = serializers.CharField(default="")
    method = serializers.CharField(default="")
    field = serializers.CharField(default="")
    minutes = serializers.IntegerField(allow_null=True, default=None)
    stage = serializers.CharField(default="")
    to = serializers.CharField(default="")
    client = serializers.IntegerField(allow_null=True)
    client_name = serializers.CharField(allow_blank=True)


class DrillPageSerializer(serializers.Serializer):
    """One page of drill-down rows, as the API's pagination returns it."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DrillRowSerializer(many=True)
