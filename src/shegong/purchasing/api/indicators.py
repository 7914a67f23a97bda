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
